//! Shell completion that knows kindly's names: sessions (bundled and your
//! own), built-in sounds and beds, breathing patterns.
//!
//! clap_complete's dynamic engine: the shell's script (from `kindly
//! completions SHELL`, or `COMPLETE=SHELL kindly`) calls kindly back with
//! the words so far, and these functions answer. Reading the sessions
//! folder here is I/O at the edge, done only when a shell asks.

use std::ffi::OsStr;

use clap_complete::engine::{CompletionCandidate, PathCompleter, ValueCompleter};

use crate::dirs::Dirs;
use crate::library::{Finder, BUNDLED};
use crate::synth::{BedSound, Cue};

/// The environment variable the completion scripts set.
pub(crate) const VAR: &str = "COMPLETE";

/// Answer the shell and exit, when it is the shell calling (`COMPLETE` is
/// set); otherwise return at once.
pub(crate) fn answer_the_shell() {
    clap_complete::CompleteEnv::with_factory(|| {
        without_hidden(&<crate::cli::Cli as clap::CommandFactory>::command())
    })
    .var(VAR)
    .complete();
}

/// The command line with the test-only (hidden) commands taken out. The
/// engine offers a hidden command when nothing visible matches the word
/// (`kindly log app<TAB>`), and they are not for people; clap has no way
/// to remove a subcommand, so the tree is copied without them. Only what
/// completion reads is copied: names, help, arguments and their completers.
fn without_hidden(cmd: &clap::Command) -> clap::Command {
    let mut copy = clap::Command::new(cmd.get_name().to_owned())
        .args(cmd.get_arguments().filter(|a| !a.is_hide_set()).cloned());
    if let Some(about) = cmd.get_about() {
        copy = copy.about(about.clone());
    }
    if let Some(version) = cmd.get_version() {
        copy = copy.version(version.to_owned());
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        copy = copy.subcommand(without_hidden(sub));
    }
    copy
}

/// The script `kindly completions SHELL` prints: the same registration
/// `COMPLETE=SHELL kindly` writes, calling `kindly` on PATH.
pub(crate) fn registration(shell: clap_complete::Shell) -> std::io::Result<String> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::PowerShell => &Powershell,
        clap_complete::Shell::Zsh => &Zsh,
        _ => &Bash,
    };
    let mut buf = Vec::new();
    completer.write_registration(VAR, "kindly", "kindly", "kindly", &mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn matching<'a>(
    current: &OsStr,
    names: impl IntoIterator<Item = (String, Option<&'a str>)>,
) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let mut out: Vec<CompletionCandidate> = names
        .into_iter()
        .filter(|(n, _)| n.starts_with(current.as_ref()))
        .map(|(n, help)| {
            let c = CompletionCandidate::new(n);
            match help {
                Some(h) => c.help(Some(h.to_owned().into())),
                None => c,
            }
        })
        .collect();
    out.dedup_by(|a, b| a.get_value() == b.get_value());
    out
}

/// Session names: your own folders' scripts and the bundled ones; a word
/// that looks like a path completes as a file.
pub(crate) fn sessions(current: &OsStr) -> Vec<CompletionCandidate> {
    let text = current.to_string_lossy();
    if text.contains('/') || text.starts_with('.') || text.starts_with('~') {
        return PathCompleter::file().complete(current);
    }
    let dirs = Dirs::from_env();
    let extra = quiet_config(dirs.as_ref())
        .map(|c| c.session_dirs())
        .unwrap_or_default();
    let finder = Finder::new(&extra, dirs.as_ref());
    let mut names: Vec<(String, Option<&str>)> = finder
        .user_scripts()
        .into_iter()
        .map(|(name, _)| (name, Some("yours")))
        .collect();
    names.extend(BUNDLED.iter().map(|b| (b.name.to_owned(), Some("bundled"))));
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = matching(current, names);
    out.extend(
        PathCompleter::file()
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .complete(current),
    );
    out
}

/// Built-in bell and cue sounds, or a file.
pub(crate) fn sounds(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut out = matching(
        current,
        Cue::ALL.iter().map(|c| (c.name().to_owned(), None)),
    );
    out.extend(PathCompleter::file().complete(current));
    out
}

/// Built-in beds, `none`, or a file.
pub(crate) fn beds(current: &OsStr) -> Vec<CompletionCandidate> {
    let names = BedSound::ALL
        .iter()
        .map(|b| (b.name().to_owned(), None))
        .chain([("none".to_owned(), Some("no ambience"))]);
    let mut out = matching(current, names);
    out.extend(PathCompleter::file().complete(current));
    out
}

/// The named breathing patterns (any `4-6`-style pattern works too).
pub(crate) fn patterns(current: &OsStr) -> Vec<CompletionCandidate> {
    let dirs = Dirs::from_env();
    let config = quiet_config(dirs.as_ref());
    let mine: Vec<(String, String)> = config
        .iter()
        .flat_map(|c| c.patterns.iter())
        .map(|(n, p)| (n.to_owned(), p.to_string()))
        .collect();
    let mut names: Vec<(String, Option<&str>)> = mine
        .iter()
        .map(|(n, p)| (n.clone(), Some(p.as_str())))
        .collect();
    names.extend([
        ("coherent".to_owned(), Some("5.5 s in, 5.5 s out")),
        ("box".to_owned(), Some("4-4-4-4")),
        ("4-7-8".to_owned(), Some("in 4, hold 7, out 8")),
    ]);
    matching(current, names)
}

/// The presets in config.toml.
pub(crate) fn presets(current: &OsStr) -> Vec<CompletionCandidate> {
    let dirs = Dirs::from_env();
    let config = quiet_config(dirs.as_ref());
    let names = config
        .iter()
        .flat_map(|c| c.presets.iter())
        .map(|p| (p.name.clone(), Some(p.kind.name())));
    matching(current, names.collect::<Vec<_>>())
}

/// What marks an unspoken prompt: auto, none, a built-in cue, or a file.
pub(crate) fn cues(current: &OsStr) -> Vec<CompletionCandidate> {
    let names = [
        ("auto".to_owned(), Some("a soft two-note tone")),
        ("none".to_owned(), Some("no mark")),
    ]
    .into_iter()
    .chain(Cue::ALL.iter().map(|c| (c.name().to_owned(), None)));
    let mut out = matching(current, names);
    out.extend(PathCompleter::file().complete(current));
    out
}

/// Voice engine names, with `auto` and `off`: every engine kindly knows,
/// installed or not (`kindly voices` says which are).
pub(crate) fn voices(current: &OsStr) -> Vec<CompletionCandidate> {
    matching(
        current,
        crate::voice::Wanted::names()
            .into_iter()
            .map(|n| (n.to_owned(), None)),
    )
}

/// The person's settings, read without a word on stderr: a completion runs
/// inside the shell's line editor, where a config warning would scribble
/// over what is being typed. A config with errors offers nothing of its own.
fn quiet_config(dirs: Option<&Dirs>) -> Option<crate::config::Config> {
    let loaded = crate::config::read(dirs).ok()?;
    (!loaded.has_errors()).then(|| crate::config::resolve(&loaded.file, &Default::default()))
}
