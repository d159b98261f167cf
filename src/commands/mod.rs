//! The commands: each parses its settings, calls the library, prints.
//!
//! Commands are thin. They own the terminal's stdout and stderr; the work
//! happens in `script`, `timeline`, `mixer` and friends.

mod check;
mod list;
mod new;
mod play;
mod render;
mod show;
mod sounds;

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::CommandFactory;

use crate::cli::{Cli, Command, LayoutArgs};
use crate::diagnostic::Report;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::library::{Finder, Script};
use crate::script::{FileRef, Parsed};
use crate::session::{Session, SoundRef};
use crate::timeline::{self, Format, Options, SoundLengths, Timeline};

pub fn run(cli: Cli) -> Result<Status> {
    let dirs = Dirs::from_env();
    match cli.command {
        Command::Check(args) => check::run(&args, dirs.as_ref()),
        Command::Show(args) => show::run(&args, dirs.as_ref()),
        Command::List(args) => list::run(&args, dirs.as_ref()),
        Command::New(args) => new::run(&args, dirs.as_ref()),
        Command::Render(args) => render::run(&args, dirs.as_ref()),
        Command::Sounds(cmd) => sounds::run(&cmd),
        Command::Play(args) => play::run(&args, dirs.as_ref()),
        Command::Timer(args) => play::timer(&args),
        Command::Breathe(args) => play::breathe(&args),
        Command::Schema => {
            print_stdout(&crate::script::json_schema())?;
            Ok(Status::Success)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kindly", &mut buf);
            print_stdout(&String::from_utf8_lossy(&buf))?;
            Ok(Status::Success)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Error::new(format!("cannot render the manual: {e}")))?;
            print_stdout(&String::from_utf8_lossy(&buf))?;
            Ok(Status::Success)
        }
    }
}

/// Write to stdout. A closed pipe (`kindly list | head -1`) is not an
/// error worth a message: like ripgrep, stop quietly.
pub(crate) fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::new(format!("cannot write to standard output: {e}"))),
    }
}

pub(crate) fn print_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Colour only on a terminal, and never when `NO_COLOR` is set.
pub(crate) fn color_for(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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

/// What every command that plays or shows a session needs: the script,
/// parsed, checked, with its files measured, compiled to a timeline.
pub(crate) struct Loaded {
    pub script: Script,
    pub session: Session,
    pub timeline: Timeline,
}

pub(crate) fn load(
    arg: &str,
    extra_dirs: &[PathBuf],
    dirs: Option<&Dirs>,
    options: &Options,
) -> Result<Loaded> {
    let script = Finder::new(extra_dirs, dirs).find(arg)?;
    let parsed = script.parse();
    let (session, lengths) = match parsed.session {
        Some(ref session) if !parsed.has_errors() => {
            let mut lengths = FileLengths::default();
            let mut problems = Vec::new();
            for file in &parsed.files {
                if let Err(d) = lengths.probe(file) {
                    problems.push(d);
                }
            }
            if !problems.is_empty() {
                let with_files = Parsed {
                    session: None,
                    diagnostics: problems,
                    files: Vec::new(),
                };
                print_diagnostics(&script, &with_files);
                return Err(broken(&script));
            }
            // Warnings are worth seeing before a session starts.
            print_diagnostics(&script, &parsed);
            (session.clone(), lengths)
        }
        _ => {
            print_diagnostics(&script, &parsed);
            return Err(broken(&script));
        }
    };
    let timeline = Timeline::compile(&session, options, &lengths).map_err(|e| {
        Error::new(format!("cannot measure the length of {}", e.0))
            .help("check that the file is a readable audio file")
    })?;
    Ok(Loaded {
        script,
        session,
        timeline,
    })
}

fn broken(script: &Script) -> Error {
    let name = match &script.source {
        crate::library::Source::File(p) => p.display().to_string(),
        crate::library::Source::Bundled => script.id.clone(),
    };
    Error::new(format!("{} has problems, shown above", script.display))
        .help(format!("fix them and run `kindly check {name}` again"))
}

pub(crate) fn options(layout: &LayoutArgs, rate: u32) -> Options {
    Options {
        format: Format { rate, channels: 2 },
        gate: layout.gate.unwrap_or(timeline::DEFAULT_GATE),
    }
}

/// Lengths of the files a session uses, measured at the edge.
#[derive(Default)]
pub(crate) struct FileLengths {
    files: HashMap<PathBuf, Duration>,
}

impl FileLengths {
    pub fn probe(&mut self, file: &FileRef) -> Result<(), crate::diagnostic::Diagnostic> {
        if self.files.contains_key(&file.path) {
            return Ok(());
        }
        let d = probe_audio(&file.path).map_err(|(message, help)| {
            crate::diagnostic::Diagnostic::error("bad-audio", message)
                .at(file.span.clone())
                .help(help)
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
