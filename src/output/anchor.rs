//! The heard position: which frame a person hears now, between the device's callbacks.
//!
//! The mixer's position moves a period at a time (200 ms); a breathing bar
//! drawn from it would jump. So the position a person hears is the audio
//! clock's last word plus the time since (never more than a period), and
//! it stands still while the device is paused. Everything here is
//! arithmetic on values the caller passes in, the time included, so the
//! rules are tested without a device or a wait.

use std::time::Instant;

use crate::timeline::Frames;

/// The device's timing, for `Anchor::heard`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    pub(super) rate: u32,
    /// What the device asks for at a time.
    pub(super) period: Frames,
    /// Periods in the device's buffer.
    pub(super) periods: u64,
}

impl Timing {
    /// The whole buffer: how far the mixer runs ahead of what is heard.
    pub(super) fn latency(self) -> Frames {
        Frames(self.period.0 * self.periods)
    }
}

/// What the heard position is measured from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Anchor {
    /// Following the callbacks: at each, the buffer has just been filled
    /// to `latency`, so what is heard is `taken - latency`, and it runs on
    /// from there in real time until the next.
    Callbacks,
    /// Paused at the device: heard stays here.
    Held(Frames),
    /// Running on from `from` since `at`, until the device's first
    /// callback after `at` (after a start, a resume or a flush).
    From { at: Instant, from: Frames },
}

impl Anchor {
    /// The frame heard at `now`, given the frames `taken` and when the
    /// device last took a buffer; and the anchor to keep.
    pub(super) fn heard(
        self,
        taken: Frames,
        timing: Timing,
        last_fill: Option<Instant>,
        now: Instant,
    ) -> (Frames, Anchor) {
        let anchor = match self {
            Anchor::From { at, .. } if last_fill.is_some_and(|l| l > at) => Anchor::Callbacks,
            other => other,
        };
        let since =
            |t: Instant| Frames::from_duration(now.saturating_duration_since(t), timing.rate);
        let heard = match anchor {
            Anchor::Held(at) => at,
            Anchor::From { at, from } => from + since(at),
            Anchor::Callbacks => {
                let run = last_fill.map_or(Frames::ZERO, since);
                taken - timing.latency() + Frames(run.0.min(timing.period.0))
            }
        };
        // The device cannot play what the mixer has not yet made.
        (Frames(heard.0.min(taken.0)), anchor)
    }

    /// The anchor once a paused device plays again at `now`: on from where
    /// it was held, so the pause costs the listener nothing.
    pub(super) fn resumed(self, now: Instant) -> Anchor {
        let from = match self {
            Anchor::Held(at) => at,
            // Only a held anchor is ever resumed (pausing holds it); were
            // it not, the start is the one position that is never ahead.
            _ => Frames::ZERO,
        };
        Anchor::From { at: now, from }
    }

    /// The anchor once the device's buffer has been thrown away at `now`
    /// and the mixer stands at `target`: nothing before it will be heard.
    pub(super) fn flushed(target: Frames, paused: bool, now: Instant) -> Anchor {
        if paused {
            Anchor::Held(target)
        } else {
            Anchor::From {
                at: now,
                from: target,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(start: Instant, ms: u64) -> Instant {
        start + Duration::from_millis(ms)
    }

    /// 200-frame periods at 1 kHz, so a 400-frame buffer and a frame per ms.
    const T: Timing = Timing {
        rate: 1000,
        period: Frames(200),
        periods: 2,
    };

    #[test]
    fn latency_is_the_whole_buffer() {
        assert_eq!(T.latency(), Frames(400));
        let t = Timing { periods: 3, ..T };
        assert_eq!(t.latency(), Frames(600));
    }

    #[test]
    fn heard_runs_on_between_callbacks_but_never_past_a_period() {
        let t0 = Instant::now();
        let a = Anchor::Callbacks;
        // Just filled to 1400: 1000 is at the speaker.
        assert_eq!(a.heard(Frames(1400), T, Some(t0), t0).0, Frames(1000));
        assert_eq!(
            a.heard(Frames(1400), T, Some(t0), at(t0, 150)).0,
            Frames(1150)
        );
        // A late callback: no further than a period on.
        assert_eq!(
            a.heard(Frames(1400), T, Some(t0), at(t0, 500)).0,
            Frames(1200)
        );
        // Nothing taken yet: nothing heard.
        assert_eq!(a.heard(Frames(0), T, None, t0).0, Frames(0));
    }

    #[test]
    fn heard_is_never_behind_the_start_while_the_buffer_first_fills() {
        let t0 = Instant::now();
        let a = Anchor::Callbacks;
        // 300 taken, less than the 400-frame buffer: heard counts from 0,
        // not from a frame before the session began.
        assert_eq!(a.heard(Frames(300), T, Some(t0), t0).0, Frames(0));
        assert_eq!(
            a.heard(Frames(300), T, Some(t0), at(t0, 120)).0,
            Frames(120)
        );
    }

    #[test]
    fn before_the_first_callback_heard_runs_on_from_the_start() {
        let t0 = Instant::now();
        // `play` from step 3, at frame 7000: the device has taken nothing.
        let started = Anchor::From {
            at: t0,
            from: Frames(7000),
        };
        let (h, a) = started.heard(Frames(7400), T, None, at(t0, 40));
        assert_eq!((h, a), (Frames(7040), started));
        // A callback from before the start does not end it either.
        let (h, a) = started.heard(Frames(7400), T, Some(t0), at(t0, 60));
        assert_eq!((h, a), (Frames(7060), started));
    }

    #[test]
    fn heard_holds_while_paused_and_resumes_from_there() {
        let t0 = Instant::now();
        let held = Anchor::Held(Frames(1150));
        assert_eq!(
            held.heard(Frames(1400), T, Some(t0), at(t0, 9000)).0,
            Frames(1150)
        );
        // A held anchor ignores callbacks (a device that could not pause
        // is never held, so these are stray ones).
        let (h, a) = held.heard(Frames(1600), T, Some(at(t0, 9500)), at(t0, 9600));
        assert_eq!((h, a), (Frames(1150), held));
        // Resumed at 10 s: on from 1150 until the device's next callback...
        let resumed = held.resumed(at(t0, 10_000));
        assert_eq!(
            resumed,
            Anchor::From {
                at: at(t0, 10_000),
                from: Frames(1150),
            }
        );
        let (h, a) = resumed.heard(Frames(1400), T, Some(t0), at(t0, 10_030));
        assert_eq!((h, a), (Frames(1180), resumed));
        // ...then from the callbacks again.
        let (h, a) = resumed.heard(Frames(1600), T, Some(at(t0, 10_050)), at(t0, 10_060));
        assert_eq!((h, a), (Frames(1210), Anchor::Callbacks));
    }

    #[test]
    fn after_a_flush_heard_starts_at_the_skip_target() {
        let t0 = Instant::now();
        let flushed = Anchor::flushed(Frames(5000), false, t0);
        assert_eq!(
            flushed,
            Anchor::From {
                at: t0,
                from: Frames(5000),
            }
        );
        // The new stream has taken nothing yet: heard cannot pass taken.
        assert_eq!(
            flushed.heard(Frames(5000), T, Some(t0), at(t0, 3)).0,
            Frames(5000)
        );
        // It prefilled its buffer (5400) and started.
        let (h, a) = flushed.heard(Frames(5400), T, Some(at(t0, 4)), at(t0, 54));
        assert_eq!((h, a), (Frames(5050), Anchor::Callbacks));
    }

    #[test]
    fn a_flush_while_paused_holds_at_the_skip_target() {
        let t0 = Instant::now();
        let flushed = Anchor::flushed(Frames(5000), true, t0);
        assert_eq!(flushed, Anchor::Held(Frames(5000)));
        assert_eq!(
            flushed
                .heard(Frames(5400), T, Some(at(t0, 10)), at(t0, 3000))
                .0,
            Frames(5000)
        );
        // Resuming runs on from the target, not from before the skip.
        let (h, _) =
            flushed
                .resumed(at(t0, 4000))
                .heard(Frames(5400), T, Some(at(t0, 10)), at(t0, 4025));
        assert_eq!(h, Frames(5025));
    }
}
