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
//! an answer (`play::reflect` decides what each key means); it is saved here,
//! with `journal::store::append`, before the gate is released, so the
//! session never moves on with an answer unsaved. A save that fails is
//! said plainly and the answer stays on the screen to copy; the session
//! goes on.
//!
//! Every decision is the `Player`'s (player.rs), a pure state machine;
//! `run` is its driver. `play` owns the seams it draws and listens
//! through (`Display`, `InputSource`, display.rs); `ui` implements them
//! and the command passes them in, so `play` never imports `ui`.

mod display;
pub(crate) mod keys;
mod player;
pub(crate) mod reflect;
pub(crate) mod view;

pub(crate) use display::{Display, Input, InputSource, PlayState};
pub(crate) use player::{Clock, Effect, Event, Player};
pub(crate) use view::View;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::dirs::Dirs;
use crate::journal::{self, Entry};
use crate::mixer::{Mixer, MixerHandle};
use crate::output::{AudioOutput, DeviceError};
use crate::session::{Gain, Theme};
use crate::timeline::Timeline;

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
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
pub(crate) struct PlayOutcome {
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
pub(crate) enum Update {
    /// More words are ready; the mixer already plays this timeline.
    Timeline(Arc<Timeline>),
    /// Something to tell the person (a clip that could not be made).
    Note(String),
}

/// How to play.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Keys in raw mode, with gates waiting for them (stdin is a terminal
    /// too). Without keys, gates go on after their compiled pause.
    pub keys: bool,
    /// Start at this step (counted from 0).
    pub from: usize,
    pub volume: Gain,
    pub themes: Vec<Theme>,
    /// Where journal answers go. Set only when somebody can type (with
    /// `keys`); without it journal steps wait for Enter and write nothing.
    pub journal: Option<JournalTarget>,
    /// An open-ended sit (`kindly timer` with no length): the display
    /// counts the time sat, and `q` rings the closing bell before ending.
    pub open: bool,
}

/// Where a session's journal answers are saved, and what they belong to.
#[derive(Debug, Clone)]
pub(crate) struct JournalTarget {
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
/// signal ends it, shown on `display`, with keys and signals from
/// `inputs`. The output must already be open (it decides the rate the
/// timeline was compiled at).
pub(crate) fn run(
    mut mixer: Mixer,
    output: &mut dyn AudioOutput,
    settings: &Settings,
    updates: Option<std::sync::mpsc::Receiver<Update>>,
    display: &mut dyn Display,
    inputs: &dyn InputSource,
) -> PlayOutcome {
    let handle = mixer.handle();
    handle.set_volume(settings.volume);
    handle.set_gates_armed(settings.keys);
    if settings.from > 0 {
        mixer.seek_to_step(settings.from);
    }
    let mut player = Player::new(
        Arc::clone(mixer.timeline()),
        settings,
        output.latency(),
        SystemTime::now(),
    );
    let wall = Instant::now();
    output.play(mixer);
    crate::trace::mark("play");

    let journal = settings.journal.as_ref().filter(|_| settings.keys);
    let mut driver = Driver {
        handle: &handle,
        output,
        display,
        journal,
    };
    let ending = 'session: loop {
        let mut events = Vec::new();
        if let Some(e) = driver.output.lost() {
            events.push(Event::DeviceLost(e));
        }
        // Words made while the session plays: the mixer has the timeline
        // they change already; the display follows.
        while let Some(update) = updates.as_ref().and_then(|u| u.try_recv().ok()) {
            events.push(Event::Voice(update));
        }
        events.push(Event::Tick(driver.clock()));
        if let Some(sound) = handle.take_failed() {
            events.push(Event::SoundFailed(sound.to_string()));
        }
        for event in events {
            if let Some(ending) = driver.feed(&mut player, wall.elapsed(), event) {
                break 'session ending;
            }
        }
        let event = match inputs.next(driver.display.cadence()) {
            None => continue,
            Some(Input::Signal(n)) => Event::Signal(n),
            Some(Input::Key(key)) => Event::Key(key, driver.clock()),
        };
        if let Some(ending) = driver.feed(&mut player, wall.elapsed(), event) {
            break ending;
        }
    };

    driver.output.stop();
    let timeline = Arc::clone(player.timeline());
    let (effects, outcome) = player.finish(wall.elapsed(), handle.position(), ending);
    for effect in effects {
        driver.perform(effect, &timeline);
    }
    outcome
}

/// What `run` performs the `Player`'s effects on.
struct Driver<'a> {
    handle: &'a MixerHandle,
    output: &'a mut dyn AudioOutput,
    display: &'a mut dyn Display,
    journal: Option<&'a JournalTarget>,
}

impl Driver<'_> {
    /// The mixer and the output, read now.
    fn clock(&mut self) -> Clock {
        let position = self.handle.position();
        Clock {
            waiting_for_words: self.handle.waiting_for_words(),
            position,
            heard: self.output.heard(position),
            holding: self.handle.holding(),
            held: self.handle.held(),
            finished: self.handle.finished(),
        }
    }

    /// Give `event` to the player and perform what it says, until it says
    /// the session ends. A save is done here and its result fed back at
    /// once, so the gate is released only after the answer is kept.
    fn feed(&mut self, player: &mut Player, now: Duration, event: Event) -> Option<Ending> {
        let mut pending: VecDeque<Effect> = player.on(now, event).into();
        while let Some(effect) = pending.pop_front() {
            match effect {
                Effect::End(ending) => return Some(ending),
                Effect::Save { question, answer } => {
                    let saved = match self.journal {
                        Some(target) => target.save(&question, answer).map(drop),
                        None => Err(crate::error::Error::new("there is no journal to save in")),
                    };
                    pending.extend(player.on(now, Event::Saved(saved)));
                }
                effect => self.perform(effect, player.timeline()),
            }
        }
        None
    }

    fn perform(&mut self, effect: Effect, timeline: &Timeline) {
        match effect {
            Effect::Show(view, status) => self.display.show(timeline, &view, &status),
            Effect::Note(text) => self.display.note(&text),
            Effect::Answer(typing) => self.display.answer(typing.as_deref()),
            Effect::ToggleHelp => self.display.toggle_help(),
            Effect::Finish(summary) => self.display.finish(&summary),
            // A device stops before the mixer does, and the mixer goes on
            // before the device does, so neither adds silence to what the
            // device takes.
            Effect::Pause => {
                self.output.set_paused(true);
                self.handle.set_paused(true);
            }
            Effect::Resume => {
                self.handle.set_paused(false);
                self.output.set_paused(false);
            }
            Effect::Seek(step) => {
                self.handle.seek_to_step(step);
                self.output.flush();
            }
            Effect::ReleaseGate => self.handle.release_gate(),
            Effect::SetVolume(volume) => self.handle.set_volume(volume),
            // `feed` handles these two.
            Effect::End(_) | Effect::Save { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    /// `ui` implements what `play` owns; `play` must never reach back.
    #[test]
    fn play_never_imports_ui() {
        let files = [
            ("mod.rs", include_str!("mod.rs")),
            ("display.rs", include_str!("display.rs")),
            ("keys.rs", include_str!("keys.rs")),
            ("player.rs", include_str!("player.rs")),
            ("reflect.rs", include_str!("reflect.rs")),
            ("view.rs", include_str!("view.rs")),
        ];
        let needle = ["crate", "::ui"].concat();
        for (name, text) in files {
            assert!(!text.contains(&needle), "src/play/{name} uses {needle}");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/play");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        let mut listed: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        listed.sort();
        assert_eq!(
            found, listed,
            "a new file in src/play/ belongs in this list"
        );
    }
}
