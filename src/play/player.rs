//! `Player`: every decision of live play, as a state machine. Events in
//! (a key, a signal, a look at the output's clock, a journal save's
//! result, news from the voice), effects out (show, seek, pause the
//! device, save, end).
//!
//! Pure, like kira's mock backend is stepped: it reads no clock (the
//! driver passes the time since the session started with every event), touches
//! no terminal, device or file. `play::run` is the thin driver that reads
//! the events and performs the effects; the tests below step a `Player`
//! by hand and compare the exact effects.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crossterm::event::KeyEvent;

use super::display::PlayState;
use super::keys::{self, Action};
use super::reflect::{ReflectWait, Reflected};
use super::view::{self, View};
use super::{Ending, PlayOutcome, Settings, Update};
use crate::error::Error;
use crate::output::DeviceError;
use crate::session::Gain;
use crate::timeline::{Frames, Gate, Timeline};

/// A second `p` within this time goes to the previous step.
const BACK_AGAIN: Duration = Duration::from_secs(2);
/// How long a volume notice stays on the step line.
const NOTICE: Duration = Duration::from_millis(1500);
/// Volume keys move by this much.
const VOLUME_STEP: f32 = 0.1;
/// Beyond the output's own latency, how long a finished session waits
/// for the device to play out what it holds.
const DRAIN: Duration = Duration::from_millis(150);

/// The mixer and the output at one look.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Clock {
    /// The frames the mixer has given out: where keys act.
    pub position: Frames,
    /// The frame a person hears now: what the display shows.
    pub heard: Frames,
    /// Held at the end of a gated step.
    pub holding: bool,
    /// Frames the timeline stood still so far.
    pub held: Frames,
    /// The mixer reached the end of the timeline.
    pub finished: bool,
    /// The mixer stands at words the voice has not made yet.
    pub waiting_for_words: bool,
}

/// What the driver hears.
#[derive(Debug)]
pub(crate) enum Event {
    /// A look at the clock: redraw, and end once the device has drained.
    Tick(Clock),
    /// A key, with the clock read when it arrived.
    Key(KeyEvent, Clock),
    /// Ctrl-C, SIGTERM or SIGHUP: its number.
    Signal(i32),
    /// The result of the last `Effect::Save`.
    Saved(Result<(), Error>),
    /// Words made while the session plays, or a clip that failed.
    Voice(Update),
    /// A sound file that could not be played (it changed on disk).
    SoundFailed(String),
    /// The output went away.
    DeviceLost(DeviceError),
}

/// What the driver does.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    /// Draw the session at this view (with `Player::timeline`).
    Show(View, PlayState),
    /// A note above the display.
    Note(String),
    /// The answer being typed, or `None` to take it away.
    Answer(Option<String>),
    ToggleHelp,
    /// Save a journal answer now and report with `Event::Saved`; the gate
    /// waits for that.
    Save {
        question: String,
        answer: String,
    },
    /// Stop the device, then the mixer.
    Pause,
    /// Start the mixer, then the device.
    Resume,
    /// Go to this step (counted from 0) and drop what the device holds.
    Seek(usize),
    /// Go on from the gate the mixer holds at.
    ReleaseGate,
    SetVolume(Gain),
    /// The session is over: stop the output, then call `Player::finish`.
    End(Ending),
    /// Clear the live parts of the display and print this summary.
    Finish(String),
}

/// Live play's state between events.
#[derive(Debug)]
pub(crate) struct Player {
    timeline: Arc<Timeline>,
    status: PlayState,
    volume: Gain,
    started: SystemTime,
    themes: Vec<crate::session::Theme>,
    /// The step the person hears.
    current: usize,
    /// The wait at the reflect step the mixer is on.
    reflect: Option<(usize, ReflectWait)>,
    drain: Duration,
    paused_at: Option<Duration>,
    paused_for: Duration,
    notice_until: Option<Duration>,
    last_back: Option<Duration>,
    finished_at: Option<Duration>,
    /// An open-ended sit (`Settings::open`).
    open: bool,
    /// `q` in an open sit: the time sat when it was pressed, and the
    /// closing bell rings before the sit ends (as `Ending::Quit`, so the
    /// log's rules for a sit ended by the person still hold).
    closing: Option<Duration>,
}

impl Player {
    /// `latency`: what the output holds between the mixer and the ear.
    /// `started`: the wall-clock start, for the practice log only.
    pub(crate) fn new(
        timeline: Arc<Timeline>,
        settings: &Settings,
        latency: Frames,
        started: SystemTime,
    ) -> Player {
        let journal = settings.keys && settings.journal.is_some();
        Player {
            drain: latency.to_duration(timeline.format.rate) + DRAIN,
            timeline,
            status: PlayState {
                armed: settings.keys,
                journal,
                ..PlayState::default()
            },
            volume: settings.volume,
            started,
            themes: settings.themes.clone(),
            current: settings.from,
            reflect: None,
            paused_at: None,
            paused_for: Duration::ZERO,
            notice_until: None,
            last_back: None,
            finished_at: None,
            open: settings.open,
            closing: None,
        }
    }

    /// The timeline the display follows (the voice may replace it).
    pub(crate) fn timeline(&self) -> &Arc<Timeline> {
        &self.timeline
    }

    /// Take `event`, `now` after the session started.
    pub(crate) fn on(&mut self, now: Duration, event: Event) -> Vec<Effect> {
        match event {
            Event::Tick(clock) => self.tick(now, clock),
            Event::Key(key, clock) => self.key(now, key, clock),
            Event::Signal(n) => vec![Effect::End(Ending::Signal(n))],
            Event::DeviceLost(e) => vec![Effect::End(Ending::DeviceLost(e))],
            Event::Saved(result) => {
                let note = match result {
                    Ok(()) => "saved in your journal\n".to_owned(),
                    Err(e) => not_saved(&e),
                };
                vec![Effect::Note(note), Effect::ReleaseGate]
            }
            Event::Voice(Update::Timeline(t)) => {
                self.timeline = t;
                Vec::new()
            }
            Event::Voice(Update::Note(note)) => vec![Effect::Note(note)],
            Event::SoundFailed(sound) => vec![Effect::Note(format!(
                "could not play {sound} (it changed since the session started); going on without it\n"
            ))],
        }
    }

    fn tick(&mut self, now: Duration, clock: Clock) -> Vec<Effect> {
        let mut effects = Vec::new();
        if clock.waiting_for_words {
            self.status.notice = Some("the voice is still preparing these words…".to_owned());
        } else if self.notice_until.is_none() {
            self.status.notice = None;
        }
        if let Some(view) = self.view(clock) {
            self.current = view.step;
            effects.push(Effect::Show(view, self.status.clone()));
        }
        // Let the device play out what it already holds before stopping.
        if clock.finished {
            let at = *self.finished_at.get_or_insert(now);
            if now.saturating_sub(at) >= self.drain {
                let ending = if self.closing.is_some() {
                    Ending::Quit
                } else {
                    Ending::Completed
                };
                effects.push(Effect::End(ending));
                return effects;
            }
        }
        if self.notice_until.is_some_and(|t| t <= now) {
            self.notice_until = None;
            self.status.notice = None;
        }
        effects
    }

    /// What the display shows at `clock`. An open sit counts the time sat:
    /// the session's clock, and once `q` has sent it to the closing bell,
    /// the time sat then plus the bell's time so far.
    fn view(&self, clock: Clock) -> Option<View> {
        let view = View::at(&self.timeline, clock.heard, clock.holding)?
            .waited(clock.held, &self.timeline);
        if !self.open {
            return Some(view);
        }
        let sat = match (self.closing, self.timeline.steps.last()) {
            (Some(sat), Some(last)) => {
                let into = clock.heard.min(self.timeline.length) - last.start.min(clock.heard);
                sat + into.to_duration(self.timeline.format.rate)
            }
            _ => view.clock().0,
        };
        Some(view.sat(sat))
    }

    /// The step the mixer is on (not the one heard): keys act on it.
    fn mixer_step(&self, clock: Clock) -> usize {
        let timeline = &self.timeline;
        timeline.step_at(clock.position).map_or(self.current, |s| {
            if clock.holding {
                timeline
                    .step_at(Frames(clock.position.0.saturating_sub(1)))
                    .unwrap_or(s)
            } else {
                s
            }
        })
    }

    fn key(&mut self, now: Duration, key: KeyEvent, clock: Clock) -> Vec<Effect> {
        let step = self.mixer_step(clock);
        let gate = self.timeline.steps.get(step).and_then(|s| s.gate);
        if let Some(Gate::Reflect { journal: asks }) = gate {
            if self.reflect.as_ref().is_none_or(|(i, _)| *i != step) {
                self.reflect = Some((step, ReflectWait::new(asks, self.status.journal)));
            }
            if let Some((_, wait)) = self.reflect.as_mut() {
                match wait.key(key) {
                    Reflected::Pass => {}
                    Reflected::Done => return vec![Effect::ReleaseGate],
                    Reflected::Skipped => {
                        return vec![
                            Effect::Answer(None),
                            Effect::Note("skipped: nothing written\n".to_owned()),
                            Effect::ReleaseGate,
                        ]
                    }
                    Reflected::Typing => return vec![Effect::Answer(wait.typing())],
                    Reflected::Answered(answer) => {
                        let mut effects = vec![Effect::Answer(None), Effect::Note(indent(&answer))];
                        if self.status.journal {
                            let question = self.timeline.steps[step].text.clone();
                            effects.push(Effect::Save {
                                question: question.unwrap_or_default(),
                                answer,
                            });
                        } else {
                            effects.push(Effect::ReleaseGate);
                        }
                        return effects;
                    }
                    Reflected::Interrupted => {
                        return vec![Effect::End(Ending::Signal(signal_hook::consts::SIGINT))]
                    }
                }
            }
        } else {
            // Left the step (or came back to it later): a fresh wait.
            self.reflect = None;
        }
        let key_gate = matches!(gate, Some(Gate::Key)).then_some(Gate::Key);
        let action = keys::action(key, key_gate);
        match action {
            // The first q of an open sit rings the closing bell; a second
            // ends at once, as q ends anything else.
            Action::Quit if self.open && self.closing.is_none() => {
                let last = self.timeline.steps.len().saturating_sub(1);
                if step >= last {
                    return vec![Effect::End(Ending::Quit)];
                }
                self.closing = Some(self.view(clock).and_then(|v| v.sat).unwrap_or_default());
                let mut effects = Vec::new();
                if self.status.paused {
                    self.status.paused = false;
                    if let Some(t) = self.paused_at.take() {
                        self.paused_for += now.saturating_sub(t);
                    }
                    effects.push(Effect::Resume);
                }
                effects.push(Effect::Seek(last));
                effects
            }
            Action::Quit => vec![Effect::End(Ending::Quit)],
            Action::Interrupt => vec![Effect::End(Ending::Signal(signal_hook::consts::SIGINT))],
            Action::TogglePause => {
                self.status.paused = !self.status.paused;
                if self.status.paused {
                    self.paused_at = Some(now);
                    vec![Effect::Pause]
                } else {
                    if let Some(t) = self.paused_at.take() {
                        self.paused_for += now.saturating_sub(t);
                    }
                    vec![Effect::Resume]
                }
            }
            Action::Next => vec![Effect::Seek(step + 1)],
            Action::GoOn => vec![Effect::ReleaseGate],
            Action::Back => {
                let again = self
                    .last_back
                    .is_some_and(|t| now.saturating_sub(t) < BACK_AGAIN);
                self.last_back = Some(now);
                vec![Effect::Seek(if again {
                    step.saturating_sub(1)
                } else {
                    step
                })]
            }
            Action::VolumeUp | Action::VolumeDown => {
                let sign = if action == Action::VolumeUp {
                    1.0
                } else {
                    -1.0
                };
                let v = (self.volume.get() + sign * VOLUME_STEP).clamp(0.0, 1.0);
                let v = (v * 10.0).round() / 10.0;
                self.volume = Gain::new_clamped(v);
                self.status.notice = Some(format!("volume {}%", (v * 100.0).round()));
                self.notice_until = Some(now + NOTICE);
                vec![Effect::SetVolume(self.volume)]
            }
            Action::Help => vec![Effect::ToggleHelp],
            Action::Nothing => Vec::new(),
        }
    }

    /// After `Effect::End(ending)`: the last effects (an unfinished answer
    /// said, the summary) and what happened, for the log. `position` is
    /// where the mixer stopped.
    pub(crate) fn finish(
        mut self,
        now: Duration,
        position: Frames,
        ending: Ending,
    ) -> (Vec<Effect>, PlayOutcome) {
        let mut effects = Vec::new();
        // An answer still open when the session ended is not saved (only
        // Ctrl-D finishes one), but it is not lost silently.
        if let Some(text) = self.reflect.as_ref().and_then(|(_, w)| w.typing()) {
            effects.push(Effect::Answer(None));
            if !text.trim().is_empty() {
                effects.push(Effect::Note(format!(
                    "{}\nnot saved: the session ended before the answer was finished\n",
                    indent(&text).trim_end()
                )));
            }
        }
        if let Some(t) = self.paused_at.take() {
            self.paused_for += now.saturating_sub(t);
        }
        let timeline = &self.timeline;
        let practised = now.saturating_sub(self.paused_for);
        let completed = ending == Ending::Completed;
        effects.push(Effect::Finish(if self.open && !completed {
            format!(
                "Sat for {}. Thank you for taking this time.",
                view::clock(practised)
            )
        } else if completed {
            format!(
                "Session complete · {}. Thank you for taking this time.",
                view::clock(timeline.duration())
            )
        } else {
            format!(
                "Ended at step {} of {} · practised {}.",
                self.current + 1,
                timeline.steps.len(),
                view::clock(practised)
            )
        }));
        let reached = if completed {
            timeline.length
        } else {
            position.min(timeline.length)
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
        let outcome = PlayOutcome {
            heard,
            started: self.started,
            planned: timeline.duration(),
            practised,
            completed,
            ended_at_step: (!completed).then_some(self.current),
            themes: self.themes,
            ending,
        };
        (effects, outcome)
    }
}

/// An answer as it stays on the screen: under the question, indented.
fn indent(answer: &str) -> String {
    let lines: Vec<String> = answer.lines().map(|l| format!("  {l}")).collect();
    format!("\n{}\n", lines.join("\n"))
}

/// A failed save, said plainly: the answer is above, to copy.
fn not_saved(e: &Error) -> String {
    let mut text = format!("NOT SAVED: {}", e.message());
    if let Some(help) = e.help_text() {
        text.push_str(&format!("\n({help})"));
    }
    text.push_str("\nYour answer is shown above: copy it to keep it. The session goes on.\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dirs::Dirs;
    use crate::play::JournalTarget;
    use crate::timeline::{BuiltinLengths, Format, Options};
    use crossterm::event::{KeyCode, KeyModifiers};

    /// Key gate (5 s), journal reflect (5 s), a plain reflect (5 s), a
    /// 3 s pause; at 10 Hz a frame is a tenth of a second.
    const SCRIPT: &str = "title = \"t\"\n\
        [[steps]]\nkind = \"prompt\"\ntext = \"a\"\nhold = \"key\"\n\
        [[steps]]\nkind = \"reflect\"\nquestion = \"How are you?\"\njournal = true\n\
        [[steps]]\nkind = \"reflect\"\nquestion = \"And now?\"\n\
        [[steps]]\nkind = \"pause\"\nduration = 3\n";

    /// 10 Hz stereo, and a gate of 5 s where nobody presses a key.
    fn options() -> Options {
        Options {
            format: Format {
                rate: 10,
                channels: 2,
            },
            gate: Duration::from_secs(5),
            seed: 0,
        }
    }

    fn timeline(source: &str) -> Arc<Timeline> {
        let session = crate::test_support::session(source);
        Arc::new(Timeline::compile(&session, &options(), &BuiltinLengths).unwrap())
    }

    fn player(volume: f32) -> Player {
        let settings = Settings {
            keys: true,
            from: 0,
            volume: Gain::new_clamped(volume),
            themes: Vec::new(),
            journal: Some(JournalTarget {
                dirs: Dirs::in_one_folder("/nowhere".into()),
                session: "t".into(),
                title: "t".into(),
            }),
            open: false,
        };
        Player::new(
            timeline(SCRIPT),
            &settings,
            Frames::ZERO,
            SystemTime::UNIX_EPOCH,
        )
    }

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    /// The mixer playing (and heard) at `frame`.
    fn at(frame: u64) -> Clock {
        Clock {
            position: Frames(frame),
            heard: Frames(frame),
            ..Clock::default()
        }
    }

    /// The mixer held at the end of step `step`.
    fn held(p: &Player, step: usize) -> Clock {
        let end = p.timeline().steps[step].end();
        Clock {
            holding: true,
            ..at(end.0)
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ch(c: char) -> KeyEvent {
        key(KeyCode::Char(c))
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// What the display should get at `clock`.
    fn shown(p: &Player, clock: Clock, status: PlayState) -> Effect {
        let view = View::at(p.timeline(), clock.heard, clock.holding).unwrap();
        Effect::Show(view.waited(clock.held, p.timeline()), status)
    }

    fn armed() -> PlayState {
        PlayState {
            armed: true,
            journal: true,
            ..PlayState::default()
        }
    }

    #[test]
    fn at_a_key_gate_space_goes_on_but_at_a_reflect_gate_it_pauses() {
        let mut p = player(1.0);
        let gate = held(&p, 0);
        assert_eq!(
            p.on(secs(5.0), Event::Key(ch(' '), gate)),
            [Effect::ReleaseGate]
        );

        let reflect = held(&p, 2);
        assert_eq!(
            p.on(secs(16.0), Event::Key(ch(' '), reflect)),
            [Effect::Pause]
        );
        let paused = PlayState {
            paused: true,
            ..armed()
        };
        assert_eq!(
            p.on(secs(17.0), Event::Tick(reflect)),
            [shown(&p, reflect, paused)]
        );
        assert_eq!(
            p.on(secs(20.0), Event::Key(ch(' '), reflect)),
            [Effect::Resume]
        );
        // Enter still answers the gate after the pause.
        assert_eq!(
            p.on(secs(21.0), Event::Key(key(KeyCode::Enter), reflect)),
            [Effect::ReleaseGate]
        );
        // Time paused is not practice: 22 s less 4 s paused.
        let (_, outcome) = p.finish(secs(22.0), reflect.position, Ending::Quit);
        assert_eq!(outcome.practised, secs(18.0));
    }

    #[test]
    fn play_keys_are_text_in_an_answer_and_esc_skips_it() {
        let mut p = player(1.0);
        let gate = held(&p, 1);
        assert_eq!(
            p.on(secs(9.0), Event::Key(ch('n'), gate)),
            [Effect::Answer(Some("n".into()))]
        );
        assert_eq!(
            p.on(secs(9.1), Event::Key(ch('q'), gate)),
            [Effect::Answer(Some("nq".into()))]
        );
        assert_eq!(
            p.on(secs(9.2), Event::Key(key(KeyCode::Esc), gate)),
            [
                Effect::Answer(None),
                Effect::Note("skipped: nothing written\n".into()),
                Effect::ReleaseGate
            ]
        );
        // The answer is over: `n` is a play key again.
        assert_eq!(
            p.on(secs(9.3), Event::Key(ch('n'), gate)),
            [Effect::Seek(2)]
        );
    }

    #[test]
    fn a_finished_answer_is_saved_before_the_gate_opens() {
        let mut p = player(1.0);
        let gate = held(&p, 1);
        for c in "ok".chars() {
            p.on(secs(9.0), Event::Key(ch(c), gate));
        }
        assert_eq!(
            p.on(secs(9.5), Event::Key(ctrl('d'), gate)),
            [
                Effect::Answer(None),
                Effect::Note("\n  ok\n".into()),
                Effect::Save {
                    question: "How are you?".into(),
                    answer: "ok".into()
                }
            ]
        );
        assert_eq!(
            p.on(secs(9.6), Event::Saved(Ok(()))),
            [
                Effect::Note("saved in your journal\n".into()),
                Effect::ReleaseGate
            ]
        );
        let full = Error::new("the disk is full").help("free some space");
        assert_eq!(
            p.on(secs(9.7), Event::Saved(Err(full))),
            [
                Effect::Note(
                    "NOT SAVED: the disk is full\n(free some space)\n\
                     Your answer is shown above: copy it to keep it. The session goes on.\n"
                        .into()
                ),
                Effect::ReleaseGate
            ]
        );
    }

    #[test]
    fn back_twice_goes_to_the_step_before() {
        let mut p = player(1.0);
        let in_pause = at(p.timeline().steps[3].start.0 + 10);
        assert_eq!(
            p.on(secs(17.0), Event::Key(ch('p'), in_pause)),
            [Effect::Seek(3)]
        );
        assert_eq!(
            p.on(secs(18.0), Event::Key(ch('p'), in_pause)),
            [Effect::Seek(2)]
        );
        // Long after: back to the start of the step the mixer is on.
        let in_reflect = at(p.timeline().steps[2].start.0 + 10);
        assert_eq!(
            p.on(secs(25.0), Event::Key(KeyCode::Left.into(), in_reflect)),
            [Effect::Seek(2)]
        );
    }

    #[test]
    fn volume_stops_at_its_limits_and_says_so_for_a_while() {
        let mut p = player(1.0);
        let now = at(10);
        assert_eq!(
            p.on(secs(1.0), Event::Key(ch('+'), now)),
            [Effect::SetVolume(Gain::new_clamped(1.0))]
        );
        let notice = |n: &str| PlayState {
            notice: Some(n.into()),
            ..armed()
        };
        assert_eq!(
            p.on(secs(1.1), Event::Tick(now)),
            [shown(&p, now, notice("volume 100%"))]
        );
        for _ in 0..9 {
            p.on(secs(2.0), Event::Key(ch('-'), now));
        }
        assert_eq!(
            p.on(secs(2.0), Event::Key(ch('-'), now)),
            [Effect::SetVolume(Gain::new_clamped(0.0))]
        );
        assert_eq!(
            p.on(secs(2.0), Event::Key(key(KeyCode::Down), now)),
            [Effect::SetVolume(Gain::new_clamped(0.0))]
        );
        assert_eq!(
            p.on(secs(3.0), Event::Tick(now)),
            [shown(&p, now, notice("volume 0%"))]
        );
        // The notice goes 1.5 s after the last key.
        assert_eq!(p.on(secs(3.6), Event::Tick(now)).len(), 1);
        assert_eq!(p.on(secs(3.7), Event::Tick(now)), [shown(&p, now, armed())]);
    }

    #[test]
    fn the_end_waits_for_the_device_to_drain() {
        let mut p = player(1.0);
        let length = p.timeline().length;
        let end = Clock {
            finished: true,
            ..at(length.0)
        };
        let view = shown(&p, end, armed());
        assert_eq!(
            p.on(secs(23.0), Event::Tick(end)),
            std::slice::from_ref(&view)
        );
        assert_eq!(
            p.on(secs(23.1), Event::Tick(end)),
            std::slice::from_ref(&view)
        );
        assert_eq!(
            p.on(secs(23.15), Event::Tick(end)),
            [view, Effect::End(Ending::Completed)]
        );
        let (effects, outcome) = p.finish(secs(23.2), length, Ending::Completed);
        assert_eq!(
            effects,
            [Effect::Finish(
                "Session complete · 00:18. Thank you for taking this time.".into()
            )]
        );
        assert!(outcome.completed);
        assert_eq!(outcome.ended_at_step, None);
        let heard: Vec<Duration> = outcome.heard.iter().map(|(_, d)| *d).collect();
        assert_eq!(heard, [secs(5.0), secs(5.0), secs(5.0), secs(3.0)]);
    }

    #[test]
    fn a_signal_ends_at_the_step_heard_and_an_open_answer_is_shown() {
        let mut p = player(1.0);
        let gate = held(&p, 1);
        p.on(secs(9.0), Event::Tick(gate));
        for c in "half".chars() {
            p.on(secs(9.0), Event::Key(ch(c), gate));
        }
        assert_eq!(
            p.on(secs(12.0), Event::Signal(15)),
            [Effect::End(Ending::Signal(15))]
        );
        let (effects, outcome) = p.finish(secs(12.0), gate.position, Ending::Signal(15));
        assert_eq!(
            effects,
            [
                Effect::Answer(None),
                Effect::Note(
                    "\n  half\nnot saved: the session ended before the answer was finished\n"
                        .into()
                ),
                Effect::Finish("Ended at step 2 of 4 · practised 00:12.".into())
            ]
        );
        assert_eq!(outcome.ended_at_step, Some(1));
        assert_eq!(outcome.ending, Ending::Signal(15));
        let heard: Vec<Duration> = outcome.heard.iter().map(|(_, d)| *d).collect();
        assert_eq!(heard, [secs(5.0), secs(5.0)]);
    }

    #[test]
    fn ctrl_c_while_typing_is_an_interrupt_not_a_letter() {
        let mut p = player(1.0);
        let gate = held(&p, 1);
        assert_eq!(
            p.on(secs(9.0), Event::Key(ctrl('c'), gate)),
            [Effect::End(Ending::Signal(signal_hook::consts::SIGINT))]
        );
    }

    #[test]
    fn words_that_arrive_for_a_waiting_step_replace_the_timeline() {
        let mut p = player(1.0);
        let waiting = Clock {
            waiting_for_words: true,
            ..at(10)
        };
        let preparing = PlayState {
            notice: Some("the voice is still preparing these words…".into()),
            ..armed()
        };
        assert_eq!(
            p.on(secs(1.0), Event::Tick(waiting)),
            [shown(&p, waiting, preparing)]
        );
        // The words came, and the session is longer for them.
        let longer = timeline(&SCRIPT.replace("duration = 3", "duration = 7"));
        assert_eq!(
            p.on(
                secs(2.0),
                Event::Voice(Update::Timeline(Arc::clone(&longer)))
            ),
            []
        );
        assert!(Arc::ptr_eq(p.timeline(), &longer));
        let Effect::Show(view, status) = p.on(secs(2.1), Event::Tick(at(11))).remove(0) else {
            panic!("a tick shows the session");
        };
        assert_eq!(status, armed());
        assert_eq!(view.total, secs(22.0));
        assert_eq!(view.step_left, secs(3.9));
        assert_eq!(
            p.on(secs(3.0), Event::Voice(Update::Note("no voice\n".into()))),
            [Effect::Note("no voice\n".into())]
        );
    }

    #[test]
    fn device_loss_and_quit_end_the_session() {
        let mut p = player(1.0);
        let lost = DeviceError::new("the sound server went away");
        assert_eq!(
            p.on(secs(1.0), Event::DeviceLost(lost.clone())),
            [Effect::End(Ending::DeviceLost(lost))]
        );
        assert_eq!(
            p.on(secs(1.0), Event::Key(ch('q'), at(10))),
            [Effect::End(Ending::Quit)]
        );
        assert_eq!(
            p.on(secs(1.0), Event::Key(ch('?'), at(10))),
            [Effect::ToggleHelp]
        );
    }

    /// `kindly timer` with no length, 60 s here (its bound), with keys.
    fn open_sit() -> Player {
        let timer = crate::quick::Timer {
            length: Duration::from_secs(60),
            bell: crate::synth::Cue::Bowl,
            interval: None,
            warmup: None,
            end_strikes: 1,
            seed: 0,
            open: true,
        };
        let session = timer.session().unwrap();
        let timeline = Timeline::compile(&session, &options(), &BuiltinLengths).unwrap();
        let settings = Settings {
            keys: true,
            from: 0,
            volume: Gain::new_clamped(1.0),
            themes: Vec::new(),
            journal: None,
            open: true,
        };
        Player::new(
            Arc::new(timeline),
            &settings,
            Frames::ZERO,
            SystemTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn an_open_sit_shows_the_time_sat_and_q_rings_the_closing_bell() {
        let mut p = open_sit();
        let keys = PlayState {
            armed: true,
            ..PlayState::default()
        };
        let sat = |p: &Player, frame: u64, time: f64| {
            let view = View::at(p.timeline(), Frames(frame), false).unwrap();
            Effect::Show(view.sat(secs(time)), keys.clone())
        };
        // 25 s in: the time sat, counting up from the start.
        assert_eq!(p.on(secs(25.0), Event::Tick(at(250))), [sat(&p, 250, 25.0)]);
        let last = p.timeline().steps.len() - 1;
        let bell = p.timeline().steps[last].start.0;
        // q at 40 s: to the closing bell, not the end.
        assert_eq!(
            p.on(secs(40.0), Event::Key(ch('q'), at(400))),
            [Effect::Seek(last)]
        );
        // The bell rings on the far side of the 60 s bound, but the time
        // sat goes on from 40 s.
        assert_eq!(
            p.on(secs(42.0), Event::Tick(at(bell + 20))),
            [sat(&p, bell + 20, 42.0)]
        );
        let done = Clock {
            finished: true,
            ..at(p.timeline().length.0)
        };
        let rung = p.on(secs(50.0), Event::Tick(done));
        assert!(matches!(rung.as_slice(), [Effect::Show(..)]), "{rung:?}");
        let ended = p.on(secs(50.2), Event::Tick(done));
        assert_eq!(ended.last(), Some(&Effect::End(Ending::Quit)));
        let (effects, outcome) = p.finish(secs(50.2), done.position, Ending::Quit);
        assert_eq!(
            effects,
            [Effect::Finish(
                "Sat for 00:50. Thank you for taking this time.".into()
            )]
        );
        assert_eq!(outcome.ending, Ending::Quit);
        assert_eq!(outcome.practised, secs(50.2));
    }

    #[test]
    fn a_second_q_ends_an_open_sit_at_once_and_a_paused_one_resumes_for_its_bell() {
        let mut p = open_sit();
        let last = p.timeline().steps.len() - 1;
        assert_eq!(
            p.on(secs(5.0), Event::Key(ch(' '), at(50))),
            [Effect::Pause]
        );
        assert_eq!(
            p.on(secs(9.0), Event::Key(ch('q'), at(50))),
            [Effect::Resume, Effect::Seek(last)]
        );
        let bell = p.timeline().steps[last].start.0;
        assert_eq!(
            p.on(secs(10.0), Event::Key(ch('q'), at(bell + 5))),
            [Effect::End(Ending::Quit)]
        );
        // A session that is not an open sit ends on the first q.
        assert_eq!(
            player(1.0).on(secs(1.0), Event::Key(ch('q'), at(10))),
            [Effect::End(Ending::Quit)]
        );
    }
}
