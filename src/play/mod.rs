//! Live playback: the loop that follows the audio clock, shows the
//! session and answers keys and signals.
//!
//! The session is driven by the output alone: the mixer's position (the
//! frames the output has taken) and the output's word on what of it is
//! heard now (`AudioOutput::heard`) decide every display and every
//! decision. The loop only waits for input with a timeout, which sets the
//! redraw cadence; it never sleeps its way through a session. It asks the
//! output at every look whether it has been `lost`, and ends the session
//! if so (exit 2).
//!
//! How a session ends decides the exit status, like ripgrep's 0/1/2:
//! finished, or ended by the person (`q`, Esc), is 0; an ending signal
//! (Ctrl-C, SIGTERM, SIGHUP) is 128 + its number, as shells expect, so
//! `kindly play x && next` does not go on after an interruption; errors
//! are 2. All of them return a `PlayOutcome` for the practice log.
//!
//! At a `journal = true` reflect step in interactive play the person types
//! an answer (`ui::reflect` decides what each key means); it is saved here,
//! with `journal::store::append`, before the gate is released, so the
//! session never moves on with an answer unsaved. A save that fails is
//! said plainly and the answer stays on the screen to copy; the session
//! goes on.

pub mod view;

pub use view::View;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::dirs::Dirs;
use crate::journal::{self, Entry};
use crate::mixer::Mixer;
use crate::output::{AudioOutput, DeviceError};
use crate::session::{Gain, Theme};
use crate::timeline::{Gate, Timeline};
use crate::ui::reflect::{ReflectWait, Reflected};
use crate::ui::{self, Action, Display, Input, Inputs, Status};

/// A second `p` within this time goes to the previous step.
const BACK_AGAIN: Duration = Duration::from_secs(2);
/// How long a volume notice stays on the step line.
const NOTICE: Duration = Duration::from_millis(1500);
/// Volume keys move by this much.
const VOLUME_STEP: f32 = 0.1;

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Played to the end.
    Completed,
    /// The person pressed `q` or Esc.
    Quit,
    /// Ctrl-C, SIGTERM or SIGHUP: the signal's number.
    Signal(i32),
    /// The sound device or its server went away mid-session, and why.
    DeviceLost(DeviceError),
}

/// What happened, for the caller to report and the journal to log.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayOutcome {
    pub started: SystemTime,
    /// The session's length as compiled (gates at their default length).
    pub planned: Duration,
    /// Wall-clock time the session ran, less time paused.
    pub practised: Duration,
    pub completed: bool,
    /// The step (counted from 0) the session was on when ended early.
    pub ended_at_step: Option<usize>,
    pub themes: Vec<Theme>,
    /// How long each step was heard, with its theme, in step order: each
    /// theme's share of the practice.
    pub heard: Vec<(Option<Theme>, Duration)>,
    pub ending: Ending,
}

/// News from the voice while a session plays.
#[derive(Debug)]
pub enum Update {
    /// More words are ready; the mixer already plays this timeline.
    Timeline(Arc<Timeline>),
    /// Something to tell the person (a clip that could not be made).
    Note(String),
}

/// How to play.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Live bars (stdout is a terminal, no `--plain`); otherwise one
    /// plain line per step.
    pub live: bool,
    /// Keys in raw mode, with gates waiting for them (stdin is a terminal
    /// too). Without keys, gates go on after their compiled pause.
    pub keys: bool,
    pub color: bool,
    /// Start at this step (counted from 0).
    pub from: usize,
    pub volume: Gain,
    pub themes: Vec<Theme>,
    /// Where journal answers go. Set only when somebody can type (with
    /// `keys`); without it journal steps wait for Enter and write nothing.
    pub journal: Option<JournalTarget>,
}

/// Where a session's journal answers are saved, and what they belong to.
#[derive(Debug, Clone)]
pub struct JournalTarget {
    pub dirs: Dirs,
    /// The session's id and title, written with each answer.
    pub session: String,
    pub title: String,
}

impl JournalTarget {
    /// Save one answer now; the day's file it went to.
    fn save(&self, question: &str, answer: String) -> crate::error::Result<std::path::PathBuf> {
        let entry = Entry {
            at: crate::local_time::now(),
            session: self.session.clone(),
            title: self.title.clone(),
            question: question.to_owned(),
            answer,
        };
        journal::store::append(&self.dirs, &entry)
    }
}

/// Play `mixer` through `output` to the end, or until the person or a
/// signal ends it. The output must already be open (it decides the rate
/// the timeline was compiled at).
pub fn run(
    mut mixer: Mixer,
    output: &mut dyn AudioOutput,
    settings: &Settings,
    updates: Option<std::sync::mpsc::Receiver<Update>>,
) -> std::io::Result<PlayOutcome> {
    let mut timeline: Arc<Timeline> = Arc::clone(mixer.timeline());
    let handle = mixer.handle();
    handle.set_volume(settings.volume);
    handle.set_gates_armed(settings.keys);
    if settings.from > 0 {
        mixer.seek_to_step(settings.from);
    }
    let latency = output.latency();

    // Raw mode before the key thread starts, so no key is read cooked.
    let raw = if settings.keys {
        Some(ui::RawMode::enter()?)
    } else {
        None
    };
    let inputs = Inputs::start(settings.keys)?;
    let mut display: Box<dyn Display> = if settings.live {
        Box::new(ui::Live::new(&timeline, settings.color))
    } else {
        Box::new(ui::Plain::new())
    };

    let started = SystemTime::now();
    let wall = Instant::now();
    output.play(mixer);
    crate::trace::mark("play");

    let journal = settings.journal.as_ref().filter(|_| settings.keys);
    let mut status = Status {
        armed: settings.keys,
        journal: journal.is_some(),
        ..Status::default()
    };
    let mut paused_for = Duration::ZERO;
    let mut paused_at: Option<Instant> = None;
    let mut notice_until: Option<Instant> = None;
    let mut last_back: Option<Instant> = None;
    let mut finished_at: Option<Instant> = None;
    let mut reflect: Option<(usize, ReflectWait)> = None;
    let mut current = settings.from;
    let drain = latency.to_duration(timeline.format.rate) + Duration::from_millis(150);

    let ending = loop {
        if let Some(e) = output.lost() {
            break Ending::DeviceLost(e);
        }
        // Words made while the session plays: the mixer has the timeline
        // they change already; the display follows.
        while let Some(update) = updates.as_ref().and_then(|u| u.try_recv().ok()) {
            match update {
                Update::Timeline(t) => timeline = t,
                Update::Note(note) => display.note(&note),
            }
        }
        status.notice = if handle.waiting_for_words() {
            Some("the voice is still preparing these words…".to_owned())
        } else if notice_until.is_some() {
            status.notice.take()
        } else {
            None
        };
        let heard = output.heard(handle.position());
        if let Some(view) = View::at(&timeline, heard, handle.holding()) {
            let view = view.waited(handle.held(), &timeline);
            current = view.step;
            display.show(&timeline, &view, &status);
        }
        // Let the device play out what it already holds before stopping.
        if handle.finished() {
            let at = *finished_at.get_or_insert_with(Instant::now);
            if at.elapsed() >= drain {
                break Ending::Completed;
            }
        }
        if let Some(sound) = handle.take_failed() {
            display.note(&format!(
                "could not play {sound} (it changed since the session started); going on without it\n"
            ));
        }
        if notice_until.is_some_and(|t| t <= Instant::now()) {
            notice_until = None;
            status.notice = None;
        }

        let key = match inputs.next(display.cadence()) {
            None => continue,
            Some(Input::Signal(n)) => break Ending::Signal(n),
            Some(Input::Key(key)) => key,
        };
        // The step the mixer is on (not the one heard): keys act on it.
        let step = timeline.step_at(handle.position()).map_or(current, |s| {
            if handle.holding() {
                timeline
                    .step_at(handle.position() - crate::timeline::Frames(1))
                    .unwrap_or(s)
            } else {
                s
            }
        });
        let gate = timeline.steps.get(step).and_then(|s| s.gate);
        if let Some(Gate::Reflect { journal: asks }) = gate {
            if reflect.as_ref().is_none_or(|(i, _)| *i != step) {
                reflect = Some((step, ReflectWait::new(asks, journal.is_some())));
            }
            if let Some((_, wait)) = reflect.as_mut() {
                match wait.key(key) {
                    Reflected::Pass => {}
                    Reflected::Done => {
                        handle.release_gate();
                        continue;
                    }
                    Reflected::Skipped => {
                        display.answer(None);
                        display.note("skipped: nothing written\n");
                        handle.release_gate();
                        continue;
                    }
                    Reflected::Typing => {
                        display.answer(wait.typing().as_deref());
                        continue;
                    }
                    Reflected::Answered(answer) => {
                        display.answer(None);
                        display.note(&indent(&answer));
                        if let Some(target) = journal {
                            let question = timeline.steps[step].text.as_deref().unwrap_or("");
                            match target.save(question, answer) {
                                Ok(_) => display.note("saved in your journal\n"),
                                Err(e) => display.note(&not_saved(&e)),
                            }
                        }
                        handle.release_gate();
                        continue;
                    }
                    Reflected::Interrupted => break Ending::Signal(signal_hook::consts::SIGINT),
                }
            }
        } else {
            // Left the step (or came back to it later): a fresh wait.
            reflect = None;
        }
        let key_gate = matches!(gate, Some(Gate::Key)).then_some(Gate::Key);
        match ui::action(key, key_gate) {
            Action::Quit => break Ending::Quit,
            Action::Interrupt => break Ending::Signal(signal_hook::consts::SIGINT),
            Action::TogglePause => {
                let paused = !handle.is_paused();
                // A device stops before the mixer does, and the mixer goes
                // on before the device does, so neither adds silence to
                // what the device takes.
                if paused {
                    output.set_paused(true);
                    handle.set_paused(true);
                } else {
                    handle.set_paused(false);
                    output.set_paused(false);
                }
                status.paused = paused;
                if paused {
                    paused_at = Some(Instant::now());
                } else if let Some(t) = paused_at.take() {
                    paused_for += t.elapsed();
                }
            }
            Action::Next => {
                handle.seek_to_step(step + 1);
                output.flush();
            }
            Action::GoOn => handle.release_gate(),
            Action::Back => {
                let again = last_back.is_some_and(|t| t.elapsed() < BACK_AGAIN);
                let to = if again { step.saturating_sub(1) } else { step };
                handle.seek_to_step(to);
                output.flush();
                last_back = Some(Instant::now());
            }
            Action::VolumeUp | Action::VolumeDown => {
                let sign = if ui::action(key, None) == Action::VolumeUp {
                    1.0
                } else {
                    -1.0
                };
                let v = (handle.volume().get() + sign * VOLUME_STEP).clamp(0.0, 1.0);
                let v = (v * 10.0).round() / 10.0;
                handle.set_volume(Gain::new_clamped(v));
                status.notice = Some(format!("volume {}%", (v * 100.0).round()));
                notice_until = Some(Instant::now() + NOTICE);
            }
            Action::Help => display.toggle_help(),
            Action::Nothing => {}
        }
    };

    output.stop();
    // An answer still open when the session ended is not saved (only
    // Ctrl-D finishes one), but it is not lost silently.
    if let Some(text) = reflect.as_ref().and_then(|(_, w)| w.typing()) {
        display.answer(None);
        if !text.trim().is_empty() {
            display.note(&format!(
                "{}\nnot saved: the session ended before the answer was finished\n",
                indent(&text).trim_end()
            ));
        }
    }
    if let Some(t) = paused_at.take() {
        paused_for += t.elapsed();
    }
    let practised = wall.elapsed().saturating_sub(paused_for);
    let completed = ending == Ending::Completed;
    let summary = if completed {
        format!(
            "Session complete · {}. Thank you for taking this time.",
            view::clock(timeline.duration())
        )
    } else {
        format!(
            "Ended at step {} of {} · practised {}.",
            current + 1,
            timeline.steps.len(),
            view::clock(practised)
        )
    };
    display.finish(&summary);
    drop(display);
    drop(raw);
    let reached = if completed {
        timeline.length
    } else {
        handle.position().min(timeline.length)
    };
    let heard = timeline
        .steps
        .iter()
        .filter(|s| s.start < reached)
        .map(|s| {
            (
                s.theme,
                (s.end().min(reached) - s.start).to_duration(timeline.format.rate),
            )
        })
        .collect();
    Ok(PlayOutcome {
        heard,
        started,
        planned: timeline.duration(),
        practised,
        completed,
        ended_at_step: (!completed).then_some(current),
        themes: settings.themes.clone(),
        ending,
    })
}

/// An answer as it stays on the screen: under the question, indented.
fn indent(answer: &str) -> String {
    let lines: Vec<String> = answer.lines().map(|l| format!("  {l}")).collect();
    format!("\n{}\n", lines.join("\n"))
}

/// A failed save, said plainly: the answer is above, to copy.
fn not_saved(e: &crate::error::Error) -> String {
    let mut text = format!("NOT SAVED: {}", e.message());
    if let Some(help) = e.help_text() {
        text.push_str(&format!("\n({help})"));
    }
    text.push_str("\nYour answer is shown above: copy it to keep it. The session goes on.\n");
    text
}
