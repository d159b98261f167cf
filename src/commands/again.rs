//! `kindly again`: play the last logged session once more, with the options
//! it had, and say what is being repeated.
//!
//! Each log line keeps the arguments that play it again (`Record::again`),
//! written here (`play_args`, `timer_args`, `breathe_args`) in the forms the
//! command line reads back, and read back here through the same clap
//! definitions, so a repeated run is an ordinary `play`, `timer` or
//! `breathe`. Lines written before kindly kept them are read by a rule:
//! a session again by its name, a timer or pacer for the time it was meant
//! to last.

use std::time::Duration;

use clap::Parser;

use crate::cli::{AgainArgs, BreatheArgs, Cli, Command, PlayArgs, PlaybackArgs, TimerArgs};
use crate::config::PromptCue;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::library::Source;
use crate::practice::{self, Kind, Record};
use crate::session::{Interval, SoundRef};
use crate::voice::Wanted;

pub(super) fn run(args: &AgainArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let dirs = super::need_dirs(dirs)?;
    let log = practice::store::read(dirs)?;
    let Some(last) = log.records.last() else {
        return Err(Error::new("there is nothing to play again yet").help(
            "`kindly again` repeats the last session you played, sat or breathed with; \
             try `kindly list` for a session, or `kindly timer 10m`",
        ));
    };
    let (kind, repeat, old) = repeat_of(last);
    if kind == Kind::Play {
        missing_script(&repeat, last)?;
    }
    let mut argv = vec!["kindly".to_owned(), kind.name().to_owned()];
    argv.extend(repeat.iter().cloned());
    let cli = Cli::try_parse_from(&argv).map_err(|e| {
        let first = e.to_string();
        let first = first
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ");
        Error::new(format!("the last run's options no longer read ({first})"))
            .help(format!("run it yourself: `kindly {}`", argv[1..].join(" ")))
    })?;
    let note = if old {
        " (an older log line: only what it kept)"
    } else {
        ""
    };
    super::print_stderr(&format!("again: {}{note}\n", describe(kind, &repeat)));
    let p = &args.playback;
    let over = |played: &mut PlaybackArgs| {
        played.silent |= p.silent;
        played.plain |= p.plain;
        played.speed = p.speed;
        played.volume = p.volume.or(played.volume);
        played.ambience = p.ambience.clone().or(played.ambience.take());
    };
    match cli.command {
        Command::Play(mut play) => {
            over(&mut play.playback);
            super::play::run(&play, Some(dirs))
        }
        Command::Timer(mut timer) => {
            over(&mut timer.playback);
            super::play::timer(&timer, Some(dirs))
        }
        Command::Breathe(mut breathe) => {
            over(&mut breathe.playback);
            super::play::breathe(&breathe, Some(dirs))
        }
        // `repeat_of` only gives these three commands' arguments.
        _ => Err(Error::new(
            "the last run is not one `kindly again` can repeat",
        )),
    }
}

/// What to run again for `record`, and whether it was read by the rule for
/// lines written before kindly kept its arguments.
fn repeat_of(record: &Record) -> (Kind, Vec<String>, bool) {
    if !record.again.is_empty() {
        return (record.kind, record.again.clone(), false);
    }
    let length = duration_arg(record.planned);
    let repeat = match record.kind {
        Kind::Play => vec![record.session.clone()],
        Kind::Timer => vec![length],
        Kind::Breathe => vec!["--for".to_owned(), length],
    };
    (record.kind, repeat, true)
}

/// A script played from a file that is not there any more.
fn missing_script(repeat: &[String], record: &Record) -> Result<()> {
    let Some(target) = repeat.first() else {
        return Ok(());
    };
    let path = std::path::Path::new(target);
    if path.is_absolute() && !path.exists() {
        return Err(Error::new(format!(
            "the last session, {} (\"{}\"), was played from {}, which has since moved or been deleted",
            record.session, record.title, target
        ))
        .help("play it from where it is now with `kindly play PATH`; `kindly again` then repeats that"));
    }
    Ok(())
}

/// "timer 20m, interval 5m": the command, its first argument, then each
/// option and its value.
fn describe(kind: Kind, repeat: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut head = kind.name().to_owned();
    let mut i = 0;
    if let Some(first) = repeat.first().filter(|a| !a.starts_with("--")) {
        head.push(' ');
        head.push_str(first);
        i = 1;
    }
    parts.push(head);
    while i < repeat.len() {
        let flag = match repeat[i].trim_start_matches("--") {
            "open" => "open-ended".to_owned(),
            other => other.replace('-', " "),
        };
        match repeat.get(i + 1).filter(|v| !v.starts_with("--")) {
            Some(value) => {
                parts.push(format!("{flag} {value}"));
                i += 2;
            }
            None => {
                parts.push(flag);
                i += 1;
            }
        }
    }
    parts.join(", ")
}

/// A length as the command line reads it back exactly: `20m`, `1m30s`, or
/// seconds with their fraction.
fn duration_arg(d: Duration) -> String {
    if d.subsec_nanos() != 0 {
        return format!("{}", d.as_secs_f64());
    }
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 || out.is_empty() {
        out.push_str(&format!("{sec}s"));
    }
    out
}

fn interval_arg(i: &Interval) -> String {
    match *i {
        Interval::Every(d) => duration_arg(d),
        Interval::Between { min, max } => format!("{}..{}", duration_arg(min), duration_arg(max)),
    }
}

fn push(out: &mut Vec<String>, flag: &str, value: Option<String>) {
    if let Some(v) = value {
        out.push(flag.to_owned());
        out.push(v);
    }
}

/// The playback options that change what plays: volume and ambience.
fn playback_args(out: &mut Vec<String>, p: &PlaybackArgs) {
    push(out, "--volume", p.volume.map(|v| v.to_string()));
    push(out, "--ambience", p.ambience.clone());
}

/// What plays `kindly play` again: a file by its full path (the next run
/// may start in another folder), a bundled or library session by name.
pub(super) fn play_args(args: &PlayArgs, source: &Source, id: &str) -> Vec<String> {
    let mut out = vec![match source {
        Source::File(path) => absolute(path),
        Source::Bundled => id.to_owned(),
    }];
    playback_args(&mut out, &args.playback);
    let s = &args.session_args;
    if s.no_voice {
        out.push("--no-voice".to_owned());
    }
    push(&mut out, "--voice", s.voice.as_ref().and_then(wanted_arg));
    push(&mut out, "--prompt-cue", s.prompt_cue.as_ref().map(cue_arg));
    push(&mut out, "--gate", s.gate.map(duration_arg));
    for dir in &s.dir {
        push(&mut out, "--dir", Some(absolute(dir)));
    }
    out
}

/// A path as the next run reads it from any folder.
fn absolute(path: &std::path::Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned()
}

/// `--voice` as it was given. A command line never gives a voice command
/// (that comes only from config.toml, which the next run reads itself).
fn wanted_arg(wanted: &Wanted) -> Option<String> {
    match wanted {
        Wanted::Auto => Some("auto".to_owned()),
        Wanted::Off => Some("off".to_owned()),
        Wanted::Engine(engine) => Some(engine.name().to_owned()),
        Wanted::Command(_) => None,
    }
}

/// `--prompt-cue` as it was given, a file by its full path.
fn cue_arg(cue: &PromptCue) -> String {
    match cue {
        PromptCue::Auto => "auto".to_owned(),
        PromptCue::None => "none".to_owned(),
        PromptCue::Sound(SoundRef::Cue(c)) => c.name().to_owned(),
        PromptCue::Sound(SoundRef::Bed(b)) => b.name().to_owned(),
        PromptCue::Sound(SoundRef::File(path)) => absolute(path),
    }
}

/// What plays `kindly timer` again; `seed` is the one its random bells
/// were laid out with, so they ring at the same times.
pub(super) fn timer_args(args: &TimerArgs, seed: Option<u64>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(length) = args.length {
        out.push(duration_arg(length));
    }
    push(&mut out, "--preset", args.preset.clone());
    push(&mut out, "--bell", args.bell.clone());
    push(
        &mut out,
        "--interval",
        args.interval.as_ref().map(interval_arg),
    );
    push(
        &mut out,
        "--seed",
        seed.or(args.seed).map(|s| s.to_string()),
    );
    push(
        &mut out,
        "--end-strikes",
        args.end_strikes.map(|n| n.to_string()),
    );
    push(&mut out, "--warmup", args.warmup.map(duration_arg));
    playback_args(&mut out, &args.playback);
    if out.is_empty() {
        // An open-ended sit: `timer` and nothing else. The log needs one
        // word to say the arguments were kept.
        out.push("--open".to_owned());
    }
    out
}

/// What plays `kindly breathe` again.
pub(super) fn breathe_args(args: &BreatheArgs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(pattern) = &args.pattern {
        out.push(pattern.clone());
    }
    push(&mut out, "--preset", args.preset.clone());
    push(&mut out, "--cycles", args.cycles.map(|n| n.to_string()));
    push(&mut out, "--for", args.for_.map(duration_arg));
    playback_args(&mut out, &args.playback);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str]) -> Command {
        Cli::try_parse_from(argv).unwrap().command
    }

    /// What `kindly again` runs for `command` and the kept arguments.
    fn read_back(command: &str, again: &[String]) -> Command {
        let mut argv = vec!["kindly".to_owned(), command.to_owned()];
        argv.extend(again.iter().cloned());
        Cli::try_parse_from(&argv).unwrap().command
    }

    #[test]
    fn lengths_read_back_exactly() {
        for d in [
            Duration::from_secs(20 * 60),
            Duration::from_secs(90),
            Duration::from_secs(3600 + 5),
            Duration::from_millis(750),
        ] {
            assert_eq!(crate::duration::parse(&duration_arg(d)), Ok(d), "{d:?}");
        }
        assert_eq!(duration_arg(Duration::from_secs(90)), "1m30s");
    }

    #[test]
    fn a_timer_reads_back_as_it_was_given() {
        let Command::Timer(t) = parse(&[
            "kindly",
            "timer",
            "20m",
            "--interval",
            "3m..7m",
            "--end-strikes",
            "1",
            "--volume",
            "0.5",
            "--speed",
            "9",
        ]) else {
            panic!("a timer")
        };
        let again = timer_args(&t, Some(42));
        assert_eq!(
            again,
            [
                "20m",
                "--interval",
                "3m..7m",
                "--seed",
                "42",
                "--end-strikes",
                "1",
                "--volume",
                "0.5"
            ]
        );
        let Command::Timer(back) = read_back("timer", &again) else {
            panic!("a timer")
        };
        assert_eq!(timer_args(&back, None), again);
        assert_eq!(
            describe(Kind::Timer, &again),
            "timer 20m, interval 3m..7m, seed 42, end strikes 1, volume 0.5"
        );
    }

    #[test]
    fn a_session_keeps_its_voice_cue_and_folders() {
        let Command::Play(p) = parse(&[
            "kindly",
            "play",
            "kindness",
            "--voice",
            "flite",
            "--prompt-cue",
            "chime",
            "--dir",
            "/srv/sessions",
            "--gate",
            "30s",
        ]) else {
            panic!("play")
        };
        let again = play_args(&p, &Source::Bundled, "kindness");
        assert_eq!(
            again,
            [
                "kindness",
                "--voice",
                "flite",
                "--prompt-cue",
                "chime",
                "--gate",
                "30s",
                "--dir",
                "/srv/sessions"
            ]
        );
        let Command::Play(back) = read_back("play", &again) else {
            panic!("play")
        };
        assert_eq!(play_args(&back, &Source::Bundled, "kindness"), again);
    }

    #[test]
    fn an_open_sit_and_a_pacer_read_back() {
        let Command::Timer(t) = parse(&["kindly", "timer"]) else {
            panic!("a timer")
        };
        assert_eq!(timer_args(&t, None), ["--open"]);
        assert!(matches!(
            parse(&["kindly", "timer", "--open"]),
            Command::Timer(_)
        ));
        assert_eq!(
            describe(Kind::Timer, &["--open".into()]),
            "timer, open-ended"
        );
        let Command::Breathe(b) = parse(&["kindly", "breathe", "4-2-6", "--cycles", "3"]) else {
            panic!("breathe")
        };
        assert_eq!(breathe_args(&b), ["4-2-6", "--cycles", "3"]);
    }
}
