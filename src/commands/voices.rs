//! `kindly voices`: which speech engines are installed and which one speaks; try one, or choose one.

use std::path::Path;

use serde_json::json;

use crate::cli::{OutputStyle, VoicesAction, VoicesArgs};
use crate::config::Config;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::voice::{Choice, Engine, Wanted};

use super::{flags, installed_voices, print_stdout, settings};

/// What `voices try` says when given no words.
const SAMPLE: &str =
    "Let yourself arrive, just as you are. There is nothing you need to do right now.";

pub(super) fn run(args: &VoicesArgs, dirs: Option<&Dirs>) -> Result<Status> {
    match &args.action {
        None => list(args, dirs),
        Some(VoicesAction::Try {
            engine,
            text,
            output,
            force,
        }) => try_one(
            args,
            dirs,
            engine.as_ref(),
            text.as_deref(),
            output.as_deref(),
            *force,
        ),
        Some(VoicesAction::Use { engine }) => use_one(dirs, engine),
    }
}

fn list(args: &VoicesArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let config = settings(dirs, &flags(&args.session_args, None))?;
    let found = installed_voices(&config, dirs);
    let (choice, _) = config.choose_voice(&found);
    let speaking = match &choice {
        Choice::Speak { recipe, .. } => recipe.engine.map_or("command", Engine::name),
        _ => "none",
    };
    if args.format == OutputStyle::Json {
        let engines: Vec<_> = Engine::ALL
            .iter()
            .map(|e| {
                let missing = found
                    .incomplete
                    .iter()
                    .find(|(i, _)| i == e)
                    .map(|(_, w)| w.clone());
                json!({
                    "engine": e.name(),
                    "program": e.program(),
                    "installed": found.engines.contains(e),
                    "missing": missing,
                    "speaks": speaking == e.name(),
                })
            })
            .collect();
        let why = match &choice {
            Choice::Speak { why, .. }
            | Choice::Silent { why, .. }
            | Choice::Missing { why, .. } => why.describe(),
        };
        let out =
            json!({ "speaking": speaking, "why": why, "engines": engines, "model": found.model });
        print_stdout(&format!("{out:#}\n"))?;
        return Ok(Status::Success);
    }
    let mut out = String::from("Speech engines, best first:\n");
    for e in Engine::ALL {
        let mark = if speaking == e.name() { "▶" } else { " " };
        let state = if found.engines.contains(&e) {
            "installed".to_owned()
        } else if let Some((_, why)) = found.incomplete.iter().find(|(i, _)| *i == e) {
            format!("found, but {why}")
        } else {
            "not installed".to_owned()
        };
        out.push_str(&format!("{mark} {:<10} {state}\n", e.name()));
        out.push_str(&format!("  {:<10} {}\n", "", e.about()));
    }
    out.push('\n');
    out.push_str(&match &choice {
        Choice::Speak { recipe, why } => format!(
            "Speaking with {}: {}.\n",
            recipe.engine.map_or_else(|| format!("your command `{}`", recipe.program()), |e| e.name().to_owned()),
            why.describe()
        ),
        Choice::Silent { found_none: true, .. } => "No engine is installed, so prompts are shown on screen with a soft two-note tone.\n\
             To hear them, install one: on Debian or Ubuntu `sudo apt install festival festvox-us-slt-hts`\n\
             (or flite, or espeak-ng), on Fedora `sudo dnf install flite`; macOS has `say` already.\n"
            .to_owned(),
        Choice::Silent { why, .. } => format!("Speech is off ({}).\n", why.describe()),
        Choice::Missing { engine, why } => format!(
            "{} is asked for ({}) but cannot speak; `kindly voices use auto` picks the best one installed.\n",
            engine.name(),
            why.describe()
        ),
    });
    out.push_str("`kindly voices try` plays a sample; `kindly voices use ENGINE` chooses one.\n");
    print_stdout(&out)?;
    Ok(Status::Success)
}

/// Speak a sample as a one-prompt session, through the same voice, cache,
/// mixer and output as any session: played, or rendered with `-o`.
fn try_one(
    args: &VoicesArgs,
    dirs: Option<&Dirs>,
    engine: Option<&Wanted>,
    text: Option<&str>,
    output: Option<&Path>,
    force: bool,
) -> Result<Status> {
    let mut flags = flags(&args.session_args, None);
    if let Some(w) = engine {
        flags.voice = Some(w.clone());
    }
    let config = settings(dirs, &flags)?;
    let (voice, _) = super::voice_for(&config, dirs)?;
    let Some(voice) = voice else {
        return Err(
            Error::new("no voice speaks now, so there is nothing to try")
                .help("`kindly voices` says which engines are installed and how to add one"),
        );
    };
    let words = text.unwrap_or(SAMPLE);
    let cache = super::need_dirs(dirs)?.voice_cache();
    let path = cache.join(voice.cache_key(words));
    let length = match crate::voice::cached_length(&path) {
        Some(l) => l,
        None => crate::voice::synthesize(&voice, words, &path, dirs.map(Dirs::config_file))?,
    };
    let name = voice.recipe.engine.map_or("your command", Engine::name);
    match output {
        Some(out) => {
            write_clip(&path, out, force)?;
            super::print_stderr(&format!(
                "wrote {} ({}, {name})\n",
                out.display(),
                crate::duration::human(length)
            ));
            Ok(Status::Success)
        }
        None => play_clip(&config, dirs, &path, words, name),
    }
}

fn play_clip(
    config: &Config,
    dirs: Option<&Dirs>,
    clip: &Path,
    words: &str,
    name: &str,
) -> Result<Status> {
    let session = crate::quick::spoken_sample(&format!("A sample of {name}"), words, clip);
    super::play::sample(&session, clip, config, dirs)
}

/// Copy the sample clip to `out`, which is never replaced without `force`.
fn write_clip(clip: &Path, out: &Path, force: bool) -> Result<()> {
    if !force && std::fs::symlink_metadata(out).is_ok() {
        return Err(Error::new(format!("{} already exists", out.display()))
            .help("choose another name, or add --force to replace it"));
    }
    let bytes = std::fs::read(clip).map_err(|e| Error::io("read the voice cache", clip, &e))?;
    write_atomically(out, &bytes)
}

/// Write `bytes` to a temporary file beside `path`, then rename it over
/// `path`, so an interruption leaves the old file whole.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".kindly-")
        .tempfile_in(dir)
        .map_err(|e| Error::io("write into", dir, &e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", tmp.path(), &e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    Ok(())
}

/// Write `engine = "…"` into config.toml's `[voice]` table with toml_edit,
/// which keeps the file's comments, order and spacing.
fn use_one(dirs: Option<&Dirs>, engine: &Wanted) -> Result<Status> {
    let dirs = super::need_dirs(dirs)?;
    let path = dirs.config_file();
    let loaded = crate::config::read(Some(dirs))?;
    let source = if loaded.source.is_empty() {
        "# kindly's settings: `kindly config` shows each one and where it came from.\n".to_owned()
    } else {
        loaded.source.clone()
    };
    let mut doc: toml_edit::DocumentMut = source.parse().map_err(|e| {
        Error::new(format!("cannot read {} as TOML: {e}", path.display()))
            .help("fix the file (`kindly config` shows where), then run this again")
    })?;
    let name = match engine {
        Wanted::Auto => "auto",
        Wanted::Off => "off",
        Wanted::Engine(e) => e.name(),
        Wanted::Command(_) => unreachable_command(),
    };
    let voice = doc
        .entry("voice")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(table) = voice.as_table_like_mut() else {
        return Err(
            Error::new(format!("`voice` in {} is not a table", path.display()))
                .help("make it a `[voice]` table, then run this again"),
        );
    };
    if table.contains_key("command") {
        table.remove("command");
        super::print_stderr("note: removed your own `command` from [voice]; `engine` speaks now\n");
    }
    table.insert("engine", toml_edit::value(name));
    let text = doc.to_string();
    // Checked as kindly will read it, before anything is written.
    let base = crate::config::Base {
        dir: path.parent().unwrap_or(Path::new(".")),
        home: None,
    };
    let (_, diags) = crate::config::parse(&text, base);
    if diags
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        return Err(Error::new(format!(
            "{} would not be valid after this change",
            path.display()
        ))
        .help("`kindly config` shows its problems; fix them first"));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io("create the config folder", parent, &e))?;
    }
    write_atomically(path, text.as_bytes())?;
    super::print_stderr(&format!("voice: {name} (written to {})\n", path.display()));
    Ok(Status::Success)
}

fn unreachable_command() -> &'static str {
    // `Wanted::parse`, the only way here, never makes a command; were one
    // to arrive, `auto` is the harmless choice.
    "auto"
}
