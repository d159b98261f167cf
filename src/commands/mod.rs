//! The commands: each parses its settings, calls the library, prints.
//!
//! Commands are thin. They own the terminal's stdout and stderr; the work
//! happens in `script`, `timeline`, `mixer` and friends.

mod again;
mod check;
mod config;
mod journal;
mod list;
mod log;
mod man;
mod new;
mod play;
mod prepare;
mod quick;
mod remind;
mod render;
mod render_all;
mod show;
mod sounds;
mod stats;
mod voices;

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command};
use crate::config::{Config, Flags, LoadedConfig};
use crate::diagnostic::Report;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::library::Script;
use crate::sandbox::Sandbox;
use crate::script::{FileRef, Parsed};
use crate::session::SoundRef;
use crate::timeline::{self, SoundLengths};

pub(crate) fn run(cli: Cli) -> Result<Status> {
    let _ = COLOR.set(cli.color);
    let dirs = Dirs::from_env();
    // A reminder that fired with no desktop to show it is shown now, once.
    if !matches!(
        cli.command,
        Command::Remind(crate::cli::RemindCommand::Fire { .. })
    ) {
        remind::show_pending(dirs.as_ref());
    }
    match cli.command {
        Command::Check(args) => check::run(&args, dirs.as_ref()),
        Command::Show(args) => show::run(&args, dirs.as_ref()),
        Command::List(args) => list::run(&args, dirs.as_ref()),
        Command::New(args) => new::run(&args, dirs.as_ref()),
        Command::Render(args) => render::run(&args, dirs.as_ref()),
        Command::Sounds(cmd) => sounds::run(&cmd),
        Command::Stats(args) => stats::run(&args, dirs.as_ref()),
        Command::Log(cmd) => log::run(&cmd, dirs.as_ref()),
        Command::Journal(args) => journal::run(&args, dirs.as_ref()),
        Command::Config(args) => config::run(&args, dirs.as_ref()),
        Command::Voices(args) => voices::run(&args, dirs.as_ref()),
        Command::Remind(cmd) => remind::run(&cmd, dirs.as_ref()),
        Command::Play(args) => play::run(&args, dirs.as_ref()),
        Command::Timer(args) => play::timer(&args, dirs.as_ref()),
        Command::Again(args) => again::run(&args, dirs.as_ref()),
        Command::Breathe(args) => play::breathe(&args, dirs.as_ref()),
        Command::Schema => {
            print_stdout(&crate::script::json_schema())?;
            Ok(Status::Success)
        }
        Command::Completions { shell } => {
            let script = crate::cli::completion::registration(shell)
                .map_err(|e| Error::new(format!("cannot write the completions: {e}")))?;
            print_stdout(&script)?;
            Ok(Status::Success)
        }
        Command::Man => {
            print_stdout(&man::page(&Cli::command()))?;
            Ok(Status::Success)
        }
    }
}

/// Write to stdout. A closed pipe (`kindly list | head -1`) is not an
/// error worth a message: like ripgrep, stop quietly.
pub(crate) fn print_stdout(text: &str) -> Result<()> {
    let text = crate::visible::visible(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::new(format!("cannot write to standard output: {e}"))),
    }
}

/// The folders, or an error saying how to give kindly one.
pub(crate) fn need_dirs(dirs: Option<&Dirs>) -> Result<&Dirs> {
    dirs.ok_or_else(|| {
        Error::new("cannot find your home folder to keep the practice log and journal in")
            .help("set KINDLY_HOME to a folder kindly may use")
    })
}

pub(crate) fn print_stderr(text: &str) {
    let text = crate::visible::visible(text);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `--color`, set once when a command starts.
static COLOR: std::sync::OnceLock<ColorWhen> = std::sync::OnceLock::new();

/// Whether to colour a stream, as bat and ripgrep decide: `--color always`
/// or `never` wins; otherwise a non-empty `NO_COLOR` turns colour off,
/// `CLICOLOR_FORCE` (set and not `0`) turns it on even into a pipe, and
/// then only a terminal that is not `TERM=dumb` gets colour.
pub(crate) fn color_for(stream_is_terminal: bool) -> bool {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    match COLOR.get().copied().unwrap_or(ColorWhen::Auto) {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if env("NO_COLOR").is_some() => false,
        ColorWhen::Auto if env("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorWhen::Auto => stream_is_terminal && env("TERM").is_none_or(|t| t != "dumb"),
    }
}

pub(crate) fn stderr_color() -> bool {
    color_for(std::io::stderr().is_terminal())
}

pub(crate) fn print_diagnostics(script: &Script, parsed: &Parsed) {
    if parsed.diagnostics.is_empty() {
        return;
    }
    let report = Report {
        path: &script.display,
        source: &script.text,
        diagnostics: &parsed.diagnostics,
    };
    print_stderr(&report.render(stderr_color()));
}

/// Read the user's config file and resolve it with `flags`. Problems in the
/// file are shown located, like a script's, and stop the command: playing
/// with half a configuration would surprise.
pub(crate) fn settings(dirs: Option<&Dirs>, flags: &Flags) -> Result<Config> {
    let mut config = crate::config::resolve(&read_config(dirs)?.file, flags);
    if config.seed.value.is_none() {
        config.seed.value = Some(fresh_seed());
    }
    Ok(config)
}

/// A seed for random interval bells when `--seed` is not given: short
/// enough to type back (the log and `show` say it), from the standard
/// library's per-process random keys.
pub(crate) fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish() % 1_000_000
}

pub(crate) fn read_config(dirs: Option<&Dirs>) -> Result<LoadedConfig> {
    let loaded = crate::config::read(dirs)?;
    if loaded.diagnostics.is_empty() {
        return Ok(loaded);
    }
    let display = loaded
        .path
        .as_deref()
        .map_or_else(|| "config.toml".to_owned(), |p| p.display().to_string());
    let report = Report {
        path: &display,
        source: &loaded.source,
        diagnostics: &loaded.diagnostics,
    };
    print_stderr(&report.render(stderr_color()));
    if loaded.has_errors() {
        return Err(Error::new(format!(
            "the config file {display} has problems, shown above"
        ))
        .help("fix them, or move the file aside to use the defaults; `kindly config` checks it"));
    }
    Ok(loaded)
}

/// What the settings flags of a command say, for `settings`.
pub(crate) fn flags(args: &crate::cli::SessionArgs, ambience: Option<&str>) -> Flags {
    Flags {
        gate: args.gate,
        no_voice: args.no_voice,
        voice: args.voice.clone(),
        prompt_cue: args.prompt_cue.clone(),
        dirs: args.dir.clone(),
        ambience: ambience.map(str::to_owned),
        seed: args.seed,
        ..Flags::default()
    }
}

/// The folders a script may include files from besides its own tree:
/// the person's session folders (`sessions`, `--dir`) and kindly's own.
pub(crate) fn include_roots(config: &Config, dirs: Option<&Dirs>) -> Vec<PathBuf> {
    let mut roots = config.session_dirs();
    roots.extend(dirs.map(Dirs::sessions));
    roots
}

/// The voice to speak with, from the config and what is installed, and a
/// calm note to show when there is none. An engine asked for by name that
/// is not installed stops the command, saying what to do.
pub(crate) fn voice_for(
    config: &Config,
    dirs: Option<&Dirs>,
) -> Result<(Option<crate::voice::Voice>, Option<String>)> {
    use crate::voice::Choice;
    let found = installed_voices(config, dirs);
    match config.choose_voice(&found) {
        (Choice::Speak { .. }, voice) => Ok((voice, None)),
        (
            Choice::Silent {
                found_none: true, ..
            },
            _,
        ) => Ok((
            None,
            Some(
                "No speech engine is installed, so the guidance is on screen, with a soft \
                 two-note tone at each new prompt. `kindly voices` shows how to add a voice."
                    .to_owned(),
            ),
        )),
        (Choice::Silent { .. }, _) => Ok((None, None)),
        (Choice::Missing { engine, why }, _) => {
            let detail = found
                .incomplete
                .iter()
                .find(|(e, _)| *e == engine)
                .map_or_else(
                    || format!("`{}` is not on your PATH", engine.program()),
                    |(_, why)| why.clone(),
                );
            Err(Error::new(format!(
                "the voice engine `{}` ({}) cannot speak: {detail}",
                engine.name(),
                why.describe()
            ))
            .help("`kindly voices` lists the engines kindly found; `kindly voices use auto` picks the best of them, and --no-voice goes on without speech"))
        }
    }
}

/// The engines installed on this machine, looked for on `PATH`.
pub(crate) fn installed_voices(config: &Config, dirs: Option<&Dirs>) -> crate::voice::Found {
    let model_dirs = dirs.map(Dirs::piper_models).unwrap_or_default();
    crate::voice::installed(
        std::env::var_os("PATH").as_deref(),
        config.voice_model.as_deref(),
        &model_dirs,
    )
}

/// Lengths of the files a session uses, measured at the edge.
#[derive(Debug, Clone)]
pub(crate) struct FileLengths {
    files: HashMap<PathBuf, Duration>,
    /// Which of a script's files may be opened at all.
    sandbox: Sandbox,
}

impl Default for FileLengths {
    fn default() -> FileLengths {
        FileLengths {
            files: HashMap::new(),
            sandbox: Sandbox::open(),
        }
    }
}

impl FileLengths {
    /// For `script`'s files: those outside what it may read are refused
    /// before they are opened (see `sandbox`).
    pub(crate) fn for_script(script: &Script, config: &Config) -> FileLengths {
        let sandbox = match &script.source {
            crate::library::Source::Bundled => Sandbox::open(),
            crate::library::Source::File(path) => {
                let allow: Vec<PathBuf> = config.allow.iter().map(|a| a.value.clone()).collect();
                Sandbox::for_script(path, &config.session_dirs(), &allow)
            }
        };
        FileLengths {
            files: HashMap::new(),
            sandbox,
        }
    }

    /// Record a file's length: a clip made while the session plays.
    pub(crate) fn insert(&mut self, path: PathBuf, length: Duration) {
        self.files.insert(path, length);
    }

    pub(crate) fn probe(&mut self, file: &FileRef) -> Result<(), crate::diagnostic::Diagnostic> {
        if self.files.contains_key(&file.path) {
            return Ok(());
        }
        self.sandbox.check(file)?;
        let d = probe_audio(&file.path).map_err(|(message, help)| {
            file.locate(
                crate::diagnostic::Diagnostic::error(crate::diagnostic::Code::BadAudio, message)
                    .help(help),
            )
        })?;
        self.files.insert(file.path.clone(), d);
        Ok(())
    }
}

impl SoundLengths for FileLengths {
    fn length(&self, sound: &SoundRef) -> Option<Duration> {
        match sound {
            SoundRef::File(p) => self.files.get(p).copied(),
            builtin => timeline::BuiltinLengths.length(builtin),
        }
    }
}

/// Check that `path` is an audio file kindly can play and measure it,
/// through the audio edge: metadata first (no FIFOs, devices or huge
/// files), then the header and a few packets.
fn probe_audio(path: &Path) -> std::result::Result<Duration, (String, String)> {
    crate::audio::probe(path)
        .map(|info| info.duration)
        .map_err(|e| (format!("{}: {}", path.display(), e.kind), e.hint()))
}
