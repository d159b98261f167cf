//! `kindly play`, `kindly timer` and `kindly breathe`: settle the options,
//! open the output, hand over to `crate::play`.
//!
//! The output opens before anything is drawn, so a missing device gives
//! one clear message (exit 2) and no half-drawn display.

use std::io::IsTerminal;
use std::sync::Arc;

use crate::cli::{BreatheArgs, PlayArgs, PlaybackArgs, TimerArgs};
use crate::config::{Config, Flags};
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::mixer::{Bank, Mixer};
use crate::output::{DeviceError, OutputKind};
use crate::play::{self, Ending, JournalTarget, PlayOutcome, Settings};
use crate::practice::{self, Kind, Outcome, Record};
use crate::session::{Gain, Session};
use crate::sound_cache::DiskStore;
use crate::timeline::{BuiltinLengths, Format, Frames, SoundLengths, Timeline};
use crate::ui;

use super::prepare::{self, load, LoadedSession, Speech};
use super::render::sound_files;
use super::{color_for, flags, settings};

/// The playback flags every playing command shares. Volume and ambience
/// travel in the resolved `Config`, where the config file can set them too.
struct Playback<'a> {
    silent: bool,
    plain: bool,
    speed: Option<f64>,
    /// Counted from 1, as typed.
    from: Option<usize>,
    /// The command as typed, to suggest `--silent` with when there is no
    /// device, and the session's name when it can be rendered.
    command: String,
    render: Option<&'a str>,
    /// For the practice log; `None` is not practice (a voice sample).
    kind: Option<Kind>,
    /// Said once the output is open, before the session starts.
    note: Option<String>,
    /// The seed of random bells the session was built with (a timer's),
    /// for the log; a script's is in its timeline.
    seed: Option<u64>,
    /// An open-ended timer: ending it (q, Ctrl-C) finishes it.
    open: bool,
    /// What `kindly again` runs after the command's name (`again.rs`).
    again: Vec<String>,
}

pub(super) fn run(args: &PlayArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let mut flags = flags(&args.session_args, args.playback.ambience.as_deref());
    flags.volume = volume_flag(args.playback.volume)?;
    let config = settings(dirs, &flags)?;
    // A device waits for nobody, so its words are made while it plays; a
    // clock output (tests, --silent, --speed) takes them all first, so
    // what it records is exactly what `render` writes.
    let device = output_kind(args.playback.silent, args.playback.speed) == OutputKind::Device;
    let speech = if device { Speech::Stream } else { Speech::Wait };
    // Loaded, not yet compiled: that waits for the output's rate.
    let loaded = load(&args.session, &config, dirs, speech)?;
    let from = if args.resume {
        resume_step(&loaded.session, dirs)?
    } else {
        args.from
    };

    let playback = Playback {
        silent: args.playback.silent,
        plain: args.playback.plain,
        speed: args.playback.speed,
        from,
        command: format!("play {}", args.session),
        render: Some(&args.session),
        kind: Some(Kind::Play),
        note: loaded.voice_note.clone(),
        seed: None,
        open: false,
        again: super::again::play_args(args, &loaded.script.source, &loaded.session.id),
    };
    let stream = match (&loaded.voice, loaded.jobs.is_empty()) {
        (Some(voice), false) => Some(Streaming {
            voice: voice.clone(),
            jobs: loaded.jobs.clone(),
            lengths: loaded.lengths.clone(),
        }),
        _ => None,
    };
    start_streaming(
        ToPlay::Loaded(Box::new(loaded)),
        &config,
        &playback,
        dirs,
        stream,
    )
}

/// `--resume`: the step (counted from 1) where the last logged run of
/// `session` ended early, or `None` (from the start, said why) when it was
/// finished, never played, or has fewer steps now than then.
fn resume_step(session: &Session, dirs: Option<&Dirs>) -> Result<Option<usize>> {
    let dirs = super::need_dirs(dirs)?;
    let log = practice::store::read(dirs)?;
    let last = log
        .records
        .iter()
        .rev()
        .find(|r| r.kind == Kind::Play && r.session == session.id);
    let note = match last.map(|r| &r.outcome) {
        Some(Outcome::EndedEarly { step, .. }) if *step <= session.steps.len() => {
            super::print_stderr(&format!(
                "going on at step {step} of {}, where the last run ended\n",
                session.steps.len()
            ));
            return Ok(Some(*step));
        }
        Some(Outcome::EndedEarly { step, .. }) => format!(
            "the last run ended at step {step}, but {} has {} steps now",
            session.id,
            session.steps.len()
        ),
        Some(Outcome::Completed) => "the last run was played to the end".to_owned(),
        None => format!("the practice log has no run of {} yet", session.id),
    };
    super::print_stderr(&format!("{note}; starting at the beginning\n"));
    Ok(None)
}

/// What a playing command plays: a script loaded (and prepared once the
/// output is open), or a session built in code with the sounds it needs.
enum ToPlay<'a> {
    Loaded(Box<LoadedSession>),
    Built(&'a Session, &'a dyn SoundLengths),
}

/// Words still to synthesize while a session plays.
struct Streaming {
    voice: crate::voice::Voice,
    jobs: Vec<crate::voice::Job>,
    lengths: super::FileLengths,
}

/// The output a playing command uses: a device, or a clock for `--silent`
/// and `--speed` (and `KINDLY_OUTPUT` for tests).
fn output_kind(silent: bool, speed: Option<f64>) -> OutputKind {
    let factor = speed.unwrap_or(1.0);
    OutputKind::from_env(factor).unwrap_or(if silent || speed.is_some() {
        OutputKind::Clock {
            speed: factor,
            record: None,
        }
    } else {
        OutputKind::Device
    })
}

/// `--volume`, checked here so the message names the flag.
fn volume_flag(volume: Option<f64>) -> Result<Option<Gain>> {
    match volume {
        None => Ok(None),
        Some(v) => Gain::new(v).map(Some).ok_or_else(|| {
            Error::new(format!("--volume {v} is out of range"))
                .help("give a number from 0 (silent) to 1 (full)")
        }),
    }
}

pub(super) fn timer(args: &TimerArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let config = settings(dirs, &Flags::default())?;
    let quick = super::quick::timer(args, &config)?;
    let again = super::again::timer_args(args, quick.seed);
    quick_start(
        &quick,
        &args.playback,
        "timer LENGTH",
        (Kind::Timer, again),
        dirs,
    )
}

pub(super) fn breathe(args: &BreatheArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let config = settings(dirs, &Flags::default())?;
    let quick = super::quick::breathe(args, &config)?;
    let again = super::again::breathe_args(args);
    quick_start(
        &quick,
        &args.playback,
        "breathe",
        (Kind::Breathe, again),
        dirs,
    )
}

fn quick_start(
    quick: &super::quick::Quick,
    args: &PlaybackArgs,
    name: &str,
    (kind, again): (Kind, Vec<String>),
    dirs: Option<&Dirs>,
) -> Result<Status> {
    // Flags over the preset; the config file and defaults beneath both.
    let flags = Flags {
        volume: volume_flag(args.volume)?.or(quick.volume),
        ambience: args.ambience.clone().or_else(|| quick.ambience.clone()),
        ..Flags::default()
    };
    let config = settings(dirs, &flags)?;
    let playback = Playback {
        silent: args.silent,
        plain: args.plain,
        speed: args.speed,
        from: None,
        command: name.to_owned(),
        render: None,
        kind: Some(kind),
        note: None,
        seed: quick.seed,
        open: quick.open,
        again,
    };
    // A quick practice is built-in sounds only.
    start(&quick.session, &BuiltinLengths, &config, &playback, dirs)
}

/// Play a one-prompt sample already spoken into `clip`, unlogged: for
/// `kindly voices try`, through the same mixer and output as a session.
pub(super) fn sample(
    session: &Session,
    clip: &std::path::Path,
    config: &Config,
    dirs: Option<&Dirs>,
) -> Result<Status> {
    let mut lengths = super::FileLengths::default();
    let length = crate::voice::cached_length(clip)
        .ok_or_else(|| Error::new(format!("the sample {} cannot be read back", clip.display())))?;
    lengths.insert(clip.to_owned(), length);
    let playback = Playback {
        silent: false,
        plain: true,
        speed: None,
        from: None,
        command: "voices try".to_owned(),
        render: None,
        kind: None,
        note: None,
        seed: None,
        open: false,
        again: Vec::new(),
    };
    start(session, &lengths, config, &playback, dirs)
}

/// Check the flags, open the output, compile at its rate, play, log.
fn start(
    session: &Session,
    lengths: &dyn SoundLengths,
    config: &Config,
    playback: &Playback,
    dirs: Option<&Dirs>,
) -> Result<Status> {
    start_streaming(
        ToPlay::Built(session, lengths),
        config,
        playback,
        dirs,
        None,
    )
}

/// `start`, with words still to be made while the session plays.
fn start_streaming(
    to_play: ToPlay,
    config: &Config,
    playback: &Playback,
    dirs: Option<&Dirs>,
    stream: Option<Streaming>,
) -> Result<Status> {
    let volume = config.volume.value;
    let speed = match playback.speed {
        None => None,
        Some(s) if s.is_finite() && (0.1..=1000.0).contains(&s) => Some(s),
        Some(s) => {
            return Err(Error::new(format!("--speed {s} is out of range"))
                .help("give a factor from 0.1 to 1000, such as 10 for ten times faster"))
        }
    };
    let steps = match &to_play {
        ToPlay::Loaded(loaded) => loaded.session.steps.len(),
        ToPlay::Built(session, _) => session.steps.len(),
    };
    let from = match playback.from {
        None => 0,
        Some(n) if (1..=steps).contains(&n) => n - 1,
        Some(n) => {
            return Err(Error::new(format!(
                "--from {n}: the session has steps 1 to {steps}"
            )))
        }
    };

    // Tests reach the null and recording outputs through the environment;
    // a person through --silent and --speed.
    let kind = output_kind(playback.silent, speed);
    crate::trace::mark("loaded");
    let mut output = kind.open().map_err(|e| no_device(&e, playback))?;
    if let Some(note) = &playback.note {
        super::print_stderr(&format!("{note}\n"));
    }

    // Compile once, at the output's rate, so nothing resamples on the way
    // out.
    let format = Format {
        rate: output.rate(),
        channels: 2,
    };
    let (session, timeline) = match to_play {
        ToPlay::Loaded(loaded) => {
            let prepared = loaded.prepare(config, format)?;
            (prepared.session, prepared.timeline)
        }
        ToPlay::Built(session, lengths) => (
            session.clone(),
            prepare::compile(session, lengths, config, format)?,
        ),
    };
    let session = &session;
    let timeline_seed = timeline.seed;
    let timeline = Arc::new(timeline);
    crate::trace::mark("compiled");
    let files = sound_files(&timeline)?;
    // A device waits for nobody: render what the first moments need and
    // the rest meanwhile. A clock output (tests, --silent, --speed) takes
    // the whole bank first, so what it records is exactly what `render`
    // writes.
    let bank = if kind == OutputKind::Device {
        let start = timeline.steps.get(from).map_or(Frames::ZERO, |s| s.start);
        let store = dirs.map(|d| {
            Arc::new(DiskStore::new(d.sound_cache())) as Arc<dyn crate::mixer::SoundStore>
        });
        Bank::prepare(&timeline, start, store)
    } else {
        Bank::for_timeline(&timeline)
    };
    crate::trace::mark("bank-rendered");
    let mut mixer = Mixer::new(Arc::clone(&timeline), &bank, Arc::new(files.clone()));
    let updates = match stream {
        Some(stream) => Some(conduct(
            stream,
            session.clone(),
            config,
            format,
            (&bank, files),
            &mut mixer,
            from,
            dirs,
        )?),
        None => None,
    };

    let stdout_tty = std::io::stdout().is_terminal();
    // A terminal without cursor control (TERM=dumb, as Emacs shells and
    // some screen readers set) would show only the codes of the live view.
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let live = stdout_tty && !dumb && !playback.plain;
    let keys = live && std::io::stdin().is_terminal();
    // Answers can be typed only with keys, and kept only with a data folder.
    let journal = dirs.filter(|_| keys).map(|dirs| JournalTarget {
        dirs: dirs.clone(),
        session: session.id.clone(),
        title: session.title.clone(),
    });
    let settings = Settings {
        keys,
        from,
        volume,
        themes: session.themes(),
        journal,
        open: playback.open,
    };
    // The terminal is the command's to set up and hand over: raw mode
    // before the key thread starts, so no key is read cooked; the display
    // finishes before raw mode ends.
    let terminal = |e: std::io::Error| Error::new(format!("cannot use the terminal: {e}"));
    let raw = if keys {
        Some(ui::RawMode::enter().map_err(terminal)?)
    } else {
        None
    };
    let inputs = ui::Inputs::start(keys).map_err(terminal)?;
    let mut display: Box<dyn play::Display> = if live {
        Box::new(ui::Live::new(mixer.timeline(), color_for(stdout_tty)))
    } else {
        Box::new(ui::Plain::new())
    };
    let outcome = play::run(
        mixer,
        output.as_mut(),
        &settings,
        updates,
        display.as_mut(),
        &inputs,
    );
    drop(display);
    drop(raw);
    // A `--speed` preview is an author's check, not practice.
    if let (Some(kind), None) = (playback.kind, playback.speed) {
        log(
            session,
            &outcome,
            kind,
            playback.seed.or(timeline_seed),
            (playback.open, &playback.again),
            dirs,
        );
    }
    status(&outcome, playback)
}

/// Make the session's missing words in the background, in the order they
/// are heard, and hand each timeline they change to the mixer (and the
/// play loop). Before play starts, wait only for the words of the step
/// play starts at, so a session that opens with words starts with them,
/// and one that opens with a bell or silence starts at once.
#[allow(clippy::too_many_arguments)]
fn conduct(
    stream: Streaming,
    mut session: Session,
    config: &Config,
    format: Format,
    (bank, mut files): (&Bank, crate::audio::FileSource),
    mixer: &mut Mixer,
    from: usize,
    dirs: Option<&Dirs>,
) -> Result<std::sync::mpsc::Receiver<play::Update>> {
    let Streaming {
        voice,
        jobs,
        mut lengths,
    } = stream;
    let pool = crate::voice::Pool::start(&voice, jobs, dirs.map(Dirs::config_file));
    let settled = config.clone();
    let cue = config.prompt_cue.value.sound();
    let handle = mixer.handle();
    let mut bank = bank.clone();
    // A step whose words fail gets the prompt cue, which the bank may not
    // hold yet (the session had words there): render it now, off the
    // audio thread, so it is ready if needed.
    if let Some(crate::session::SoundRef::Cue(c)) = &cue {
        if bank.cue(*c).is_none() {
            bank.insert_cue(*c, c.render(format.rate));
        }
    }
    // One finished clip: its length in, or (when the voice failed) the
    // step goes on in silence with the prompt cue, and the person is told.
    let take = move |done: crate::voice::Done,
                     session: &mut Session,
                     lengths: &mut super::FileLengths|
          -> Option<String> {
        let step = &mut session.steps[done.step];
        step.speech_pending = false;
        match done.result {
            Ok(length) => {
                lengths.insert(done.path, length);
                None
            }
            Err(e) => {
                step.spoken = None;
                step.prompt_cue = cue.clone();
                Some(format!(
                    "the voice could not speak step {}: {}\n",
                    done.step + 1,
                    e.message()
                ))
            }
        }
    };
    // The files already probed stay known: only a new clip is probed.
    let mut compile = move |session: &Session,
                            lengths: &super::FileLengths|
          -> Option<(Arc<Timeline>, crate::mixer::Replacement)> {
        let timeline = prepare::compile(session, lengths, &settled, format).ok()?;
        let sounds = timeline.audio_events().map(|e| &e.sound);
        files.probe_new(sounds).ok()?;
        let timeline = Arc::new(timeline);
        let replacement =
            crate::mixer::Replacement::new(Arc::clone(&timeline), &bank, Arc::new(files.clone()));
        Some((timeline, replacement))
    };
    // Words at the very start: wait for them (the engine's time, no more).
    let mut notes = Vec::new();
    let mut waited = false;
    if session.steps.get(from).is_some_and(|s| s.speech_pending) && std::io::stderr().is_terminal()
    {
        super::print_stderr("preparing the voice…\n");
    }
    while session.steps.get(from).is_some_and(|s| s.speech_pending) {
        let Ok(done) = pool.done.recv() else { break };
        notes.extend(take(done, &mut session, &mut lengths));
        waited = true;
    }
    if waited {
        if let Some((_, replacement)) = compile(&session, &lengths) {
            handle.replace(replacement);
            mixer.apply_controls();
        }
    }
    let (tx, rx) = std::sync::mpsc::channel();
    for note in notes {
        let _ = tx.send(play::Update::Note(note));
    }
    if waited {
        let _ = tx.send(play::Update::Timeline(Arc::clone(mixer.timeline())));
    }
    std::thread::spawn(move || {
        for done in pool.done.iter() {
            if let Some(note) = take(done, &mut session, &mut lengths) {
                if tx.send(play::Update::Note(note)).is_err() {
                    return;
                }
            }
            if let Some((timeline, replacement)) = compile(&session, &lengths) {
                handle.replace(replacement);
                if tx.send(play::Update::Timeline(timeline)).is_err() {
                    return;
                }
            }
        }
    });
    Ok(rx)
}

/// Add the session to the practice log. A log that cannot be written is
/// worth a warning, never worth spoiling the end of a practice.
fn log(
    session: &Session,
    outcome: &PlayOutcome,
    kind: Kind,
    seed: Option<u64>,
    (open, again): (bool, &[String]),
    dirs: Option<&Dirs>,
) {
    let Some(dirs) = dirs else {
        return;
    };
    let step = outcome.ended_at_step.unwrap_or(0);
    let record = Record {
        kind,
        session: session.id.clone(),
        title: session.title.clone(),
        started: crate::local_time::from_system_time(outcome.started),
        // An open-ended sit was meant to last as long as it did.
        planned: if open {
            outcome.practised
        } else {
            outcome.planned
        },
        practised: outcome.practised,
        outcome: match outcome.ending {
            Ending::Completed => Outcome::Completed,
            // A few seconds are a start, as for any session (issue 15 §6).
            Ending::Quit | Ending::Signal(_)
                if open && outcome.practised >= practice::STARTED_ONLY =>
            {
                Outcome::Completed
            }
            Ending::Quit => Outcome::ended_early(step, "q"),
            Ending::Signal(n) => Outcome::ended_early(step, practice::signal_name(n)),
            Ending::DeviceLost(_) => Outcome::ended_early(step, "device lost"),
        },
        themes: practice::themes_reached(session, outcome.ended_at_step),
        theme_seconds: practice::theme_shares(&outcome.heard, outcome.practised),
        seed,
        // A script's random bells come again from the seed they had.
        again: match seed {
            Some(s) if kind == Kind::Play && !again.iter().any(|a| a == "--seed") => {
                let mut again = again.to_vec();
                again.extend(["--seed".to_owned(), s.to_string()]);
                again
            }
            _ => again.to_vec(),
        },
    };
    if let Err(e) = practice::store::append(dirs, &record) {
        super::print_stderr(&format!("warning: {}\n", e.message()));
    }
}

/// Finished or ended by the person: 0; ended by a signal: 128 + n; the
/// sound lost: an error (2) that says how to pick up again. The practice
/// so far is already in the log.
fn status(outcome: &PlayOutcome, playback: &Playback) -> Result<Status> {
    match &outcome.ending {
        Ending::Completed | Ending::Quit => Ok(Status::Success),
        Ending::Signal(n) => Ok(Status::Signal(u8::try_from(*n).unwrap_or(15))),
        Ending::DeviceLost(e) => {
            let step = outcome.ended_at_step.unwrap_or(0) + 1;
            let again = match playback.render {
                Some(name) => format!("`kindly play {name} --from {step}` picks up at this step"),
                None => format!("`kindly {}` starts again", playback.command),
            };
            Err(Error::new(format!("the sound stopped at step {step}: {e}")).help(format!(
                "check that the sound server is running (or the device is plugged in); then {again}, \
                 and `--silent` goes on with text and timing only"
            )))
        }
    }
}

fn no_device(e: &DeviceError, playback: &Playback) -> Error {
    let mut help = format!(
        "`kindly {} --silent` runs with text and timing only",
        playback.command
    );
    if let Some(name) = playback.render {
        let stem = std::path::Path::new(name)
            .file_stem()
            .map_or(name.into(), |s| s.to_string_lossy());
        help.push_str(&format!(
            ", and `kindly render {name} -o {stem}.wav` makes a file to play elsewhere"
        ));
    }
    Error::new(format!("cannot play sound: {e}")).help(help)
}
