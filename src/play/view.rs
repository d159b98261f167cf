//! `View`: what the display shows at one moment, computed from the audio
//! clock alone.
//!
//! Pure: a timeline and a frame in, numbers out. Both the live display and
//! the plain lines are drawn from a `View`, so they cannot disagree, and
//! the arithmetic is tested without a terminal.

use std::time::Duration;

use crate::session::Phase;
use crate::timeline::{Frames, Gate, Show, Timeline};

/// The state of a session at one heard frame.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct View {
    /// Index of the current step.
    pub step: usize,
    /// Where the timeline is: the heard frame, as a duration.
    pub elapsed: Duration,
    pub total: Duration,
    /// Time the timeline stood still so far (held at a gate while a person
    /// writes, or waiting for words). Not part of `elapsed`, which places
    /// the timeline; the session's clock adds it, so it keeps running.
    pub waited: Duration,
    /// Time left in the current step.
    pub step_left: Duration,
    /// Waiting for a person at the end of a gated step.
    pub waiting: Option<Gate>,
    pub breath: Option<Breath>,
    /// An open-ended sit: the time sat so far, shown counting up in place
    /// of time left and a step count (which would count out of the sit's
    /// 12-hour bound). `None` for every other session. The player knows
    /// the sit is open and sets it (`View::sat`).
    pub sat: Option<Duration>,
}

/// Where the pacer is inside one breath phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Breath {
    pub phase: Phase,
    /// How full the pacer bar is, 0..=1: rises on the inhale, stays full
    /// on the held-in breath, falls on the exhale, stays empty at rest.
    pub fill: f64,
    pub left: Duration,
}

impl View {
    /// This view with `held` frames of standing still counted in.
    pub(crate) fn waited(mut self, held: Frames, timeline: &Timeline) -> View {
        self.waited = held.to_duration(timeline.format.rate);
        self
    }

    /// This view of an open-ended sit, `sat` into it.
    pub fn sat(mut self, sat: Duration) -> View {
        self.sat = Some(sat);
        self
    }

    /// The session's clock: the timeline's place plus the time waited.
    pub(crate) fn clock(&self) -> (Duration, Duration) {
        (self.elapsed + self.waited, self.total + self.waited)
    }

    /// The view at `heard` (the frame a person hears now). `holding` is
    /// the mixer's state: held at the end of a gated step, the step is
    /// still the gated one even though the clock sits on the next start.
    pub(crate) fn at(timeline: &Timeline, heard: Frames, holding: bool) -> Option<View> {
        let rate = timeline.format.rate;
        let probe = if holding {
            Frames(heard.0.saturating_sub(1))
        } else {
            heard
        };
        let index = timeline.step_at(probe)?;
        let step = timeline.steps.get(index)?;
        let heard = heard.min(timeline.length);
        let breath = step
            .display
            .iter()
            .rev()
            .find(|d| d.at <= heard && matches!(d.show, Show::Phase { .. }))
            .and_then(|d| match d.show {
                Show::Phase { phase, length } if heard < d.at + length => {
                    let into = (heard - d.at).0 as f64 / length.0.max(1) as f64;
                    let fill = match phase {
                        Phase::Inhale => into,
                        Phase::HoldIn => 1.0,
                        Phase::Exhale => 1.0 - into,
                        Phase::HoldOut => 0.0,
                    };
                    Some(Breath {
                        phase,
                        fill: fill.clamp(0.0, 1.0),
                        left: (d.at + length - heard).to_duration(rate),
                    })
                }
                _ => None,
            });
        Some(View {
            step: index,
            elapsed: heard.to_duration(rate),
            total: timeline.duration(),
            waited: Duration::ZERO,
            step_left: (step.end() - heard).to_duration(rate),
            waiting: if holding { step.gate } else { None },
            breath,
            sat: None,
        })
    }
}

/// Times on the display: zero-padded minutes, so the line keeps its width.
pub(crate) use crate::duration::clock_padded as clock;

/// Seconds left, rounded up: a countdown shows 3, 2, 1, never 0 while
/// time remains.
pub(crate) fn secs_left(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{BuiltinLengths, Format, Options};

    fn timeline(source: &str) -> Timeline {
        let session = crate::test_support::session(source);
        let options = Options {
            format: Format {
                rate: 10,
                channels: 2,
            },
            gate: Duration::from_secs(5),
            ..Options::default()
        };
        Timeline::compile(&session, &options, &BuiltinLengths).unwrap()
    }

    #[test]
    fn pacer_fills_holds_and_empties() {
        // 10 Hz: every frame is a tenth of a second.
        let t = timeline(
            "title = \"t\"\n[[steps]]\nkind = \"breathe\"\npattern = \"4-2-4\"\ncycles = 1\ncue = \"none\"\n",
        );
        let at = |f| View::at(&t, Frames(f), false).unwrap().breath.unwrap();
        assert_eq!(at(0).phase, Phase::Inhale);
        assert_eq!(at(0).fill, 0.0);
        assert_eq!(at(20).fill, 0.5);
        assert_eq!(at(20).left, Duration::from_secs(2));
        assert_eq!(at(45).phase, Phase::HoldIn);
        assert_eq!(at(45).fill, 1.0);
        assert_eq!(at(70).phase, Phase::Exhale);
        assert_eq!(at(70).fill, 0.75);
    }

    #[test]
    fn a_held_gate_is_still_its_step() {
        let t = timeline(
            "title = \"t\"\n[[steps]]\nkind = \"prompt\"\ntext = \"a\"\nhold = \"key\"\n\
             [[steps]]\nkind = \"pause\"\nduration = 3\n",
        );
        let end = t.steps[0].end();
        let held = View::at(&t, end, true).unwrap();
        assert_eq!(held.step, 0);
        assert_eq!(held.waiting, Some(Gate::Key));
        assert_eq!(View::at(&t, end, false).unwrap().step, 1);
        let v = View::at(&t, Frames(10), false).unwrap();
        assert_eq!(v.step_left, Duration::from_secs(4));
        assert_eq!(v.total, Duration::from_secs(8));
    }

    #[test]
    fn only_an_open_sit_has_a_time_sat() {
        let t = timeline("title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = 3\n");
        let v = View::at(&t, Frames(10), false).unwrap();
        assert_eq!(v.sat, None);
        assert_eq!(
            v.clone().sat(Duration::from_secs(7)).sat,
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            v.sat(Duration::from_secs(7)).step_left,
            Duration::from_secs(2)
        );
    }

    #[test]
    fn clocks_read_calmly() {
        assert_eq!(clock(Duration::from_secs(75)), "01:15");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
        assert_eq!(secs_left(Duration::from_millis(2100)), 3);
        assert_eq!(secs_left(Duration::ZERO), 0);
    }
}
