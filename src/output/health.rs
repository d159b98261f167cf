//! The device's health: what the stream's callbacks report, and the watchdog that judges it.
//!
//! A lost device does not always say so. A server that has gone shows
//! through ALSA's pulse plugin either as a flood of errors or as nothing at
//! all: no error, just no more buffers. So the callbacks note every buffer
//! and every error in `Health`, and the play loop asks, at each redraw,
//! whether what they noted adds up to a device that is gone (`Health::lost`).
//! The judging is pure: the caller passes the time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rodio::cpal;

/// This many errors with no buffer taken between them is a device that
/// has failed, not one recovering from an underrun (one error, then
/// buffers again).
const FAILING: u64 = 500;

/// How long the device may take no buffers before it counts as lost. An
/// idle PulseAudio sink can hold a new stream for up to 2 s before it mixes
/// it in; no working device is silent for longer than that.
const STALL: Duration = Duration::from_secs(4);

/// A gap this long between two checks means this process itself was
/// stopped (SIGSTOP, a debugger, a suspended machine): the device's
/// silence over it says nothing about the device.
const CHECK_GAP: Duration = Duration::from_secs(1);

/// What the stream's callbacks tell the play loop about the device.
/// Shared with the callbacks, so everything in it is a lock the callback
/// never waits on for long, or an atomic.
pub(super) struct Health {
    /// An error that ended the stream (the device or its server gone).
    fatal: Mutex<Option<String>>,
    /// The latest error that did not, kept to explain a stall.
    last: Mutex<Option<String>>,
    /// Errors since the device last took a buffer. The pulse plugin,
    /// once its server has gone, fails every poll at once: thousands a
    /// second, with no buffer between them.
    failing: AtomicU64,
    /// When the device last took a buffer: nanoseconds since `epoch`,
    /// plus one (0 for never). A value that stops moving means the device
    /// has gone quiet, which is how a lost PulseAudio server shows through
    /// ALSA's pulse plugin: no error, just no more buffers (and cpal's
    /// worker spinning on a socket that is always readable).
    filled_at: AtomicU64,
    epoch: Instant,
}

/// Why the device can no longer play, as `Health::lost` finds it; the
/// words for a person are `DeviceError`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Loss {
    /// The stream ended with an error that said so.
    Gone { cause: String },
    /// Errors, `FAILING` of them, and no buffer between.
    Failing { last: Option<String> },
    /// No buffer taken for `quiet`, `STALL` or more.
    Stalled {
        quiet: Duration,
        last: Option<String>,
    },
}

impl Health {
    pub(super) fn new() -> Health {
        Health {
            fatal: Mutex::new(None),
            last: Mutex::new(None),
            failing: AtomicU64::new(0),
            filled_at: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// The callback's note that the device took a buffer.
    pub(super) fn filled(&self) {
        self.failing.store(0, Ordering::Relaxed);
        let at = self.epoch.elapsed().as_nanos() as u64 + 1;
        self.filled_at.store(at, Ordering::Release);
    }

    /// When the device last took a buffer, if it has.
    pub(super) fn last_fill(&self) -> Option<Instant> {
        match self.fills() {
            0 => None,
            n => Some(self.epoch + Duration::from_nanos(n - 1)),
        }
    }

    /// A token that changes whenever the device takes a buffer.
    fn fills(&self) -> u64 {
        self.filled_at.load(Ordering::Acquire)
    }

    /// Note a result from starting the stream; a failure is an error.
    pub(super) fn started(&self, result: Result<(), cpal::Error>) {
        if let Err(e) = result {
            self.error(&e);
        }
    }

    /// The callback's note of a stream error. Only the kinds that mean the
    /// stream is over are fatal; the rest (an underrun, the pulse plugin's
    /// `snd_pcm_avail_delay` hiccups) recover by themselves unless they
    /// keep coming.
    pub(super) fn error(&self, e: &cpal::Error) {
        use cpal::ErrorKind as K;
        let slot = match e.kind() {
            K::DeviceNotAvailable | K::HostUnavailable | K::StreamInvalidated => &self.fatal,
            _ => &self.last,
        };
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(e.to_string());
        }
        self.failing.fetch_add(1, Ordering::Relaxed);
    }

    /// Note that the stream is over for `cause`, which no callback saw
    /// (it could not be built again).
    pub(super) fn lose(&self, cause: String) {
        if let Ok(mut fatal) = self.fatal.lock() {
            *fatal = Some(cause);
        }
    }

    /// Whether the device is lost, judged at `now`. A fatal error or a
    /// flood of errors is lost even while paused; silence is judged by
    /// `watchdog` only while playing, since a paused device takes nothing.
    /// The caller clears `watchdog` whenever the device is expected to be
    /// quiet for a moment (a pause, a resume, a new stream).
    pub(super) fn lost(
        &self,
        paused: bool,
        watchdog: &mut Option<Watchdog>,
        now: Instant,
    ) -> Option<Loss> {
        if let Some(cause) = self.fatal.lock().ok().and_then(|f| f.clone()) {
            return Some(Loss::Gone { cause });
        }
        let last = || self.last.lock().ok().and_then(|l| l.clone());
        if self.failing.load(Ordering::Relaxed) >= FAILING {
            return Some(Loss::Failing { last: last() });
        }
        if paused {
            return None;
        }
        let count = self.fills();
        let quiet = watchdog
            .get_or_insert_with(|| Watchdog::new(count, now))
            .check(count, now)?;
        Some(Loss::Stalled {
            quiet,
            last: last(),
        })
    }
}

/// Decides, from the fill token (`Health::fills`) seen at each check and
/// when it was checked, whether the device has stopped taking audio. Pure: the
/// caller passes the time, so the rules are tested without waiting.
#[derive(Debug, Clone, Copy)]
pub(super) struct Watchdog {
    seen: u64,
    moved_at: Instant,
    checked_at: Instant,
}

impl Watchdog {
    fn new(count: u64, now: Instant) -> Watchdog {
        Watchdog {
            seen: count,
            moved_at: now,
            checked_at: now,
        }
    }

    /// How long the device has been quiet, once that is `STALL` or more.
    fn check(&mut self, count: u64, now: Instant) -> Option<Duration> {
        if now.saturating_duration_since(self.checked_at) >= CHECK_GAP {
            self.moved_at = now;
        }
        self.checked_at = now;
        if count != self.seen {
            self.seen = count;
            self.moved_at = now;
            return None;
        }
        let quiet = now.saturating_duration_since(self.moved_at);
        (quiet >= STALL).then_some(quiet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, ms: u64) -> Instant {
        start + Duration::from_millis(ms)
    }

    fn error(kind: cpal::ErrorKind) -> cpal::Error {
        cpal::Error::new(kind)
    }

    #[test]
    fn a_device_taking_buffers_is_never_lost() {
        let t = Instant::now();
        let mut w = Watchdog::new(0, t);
        for i in 1..200 {
            assert_eq!(w.check(i, at(t, i * 60)), None);
        }
    }

    #[test]
    fn a_device_quiet_for_the_stall_time_is_lost() {
        let t = Instant::now();
        let mut w = Watchdog::new(5, t);
        let mut lost = None;
        for i in 1..=100 {
            if let Some(q) = w.check(5, at(t, i * 60)) {
                lost = Some((i * 60, q));
                break;
            }
        }
        let (when, quiet) = lost.expect("lost");
        assert_eq!(when, 4020);
        assert_eq!(quiet, Duration::from_millis(4020));
    }

    #[test]
    fn a_buffer_resets_the_stall() {
        let t = Instant::now();
        let mut w = Watchdog::new(0, t);
        for i in 1..=60 {
            assert_eq!(w.check(0, at(t, i * 60)), None);
        }
        // A buffer at 3.66 s: the stall counts from there.
        assert_eq!(w.check(1, at(t, 3660)), None);
        for ms in (3720..7660).step_by(60) {
            assert_eq!(w.check(1, at(t, ms)), None, "at {ms} ms");
        }
        assert_eq!(w.check(1, at(t, 7660)), Some(Duration::from_secs(4)));
    }

    #[test]
    fn time_this_process_was_stopped_does_not_count() {
        let t = Instant::now();
        let mut w = Watchdog::new(0, t);
        // Stopped for a minute (SIGSTOP): the next check starts afresh...
        assert_eq!(w.check(0, at(t, 60_000)), None);
        // ...and the device has its full stall time to catch up.
        assert_eq!(w.check(1, at(t, 60_100)), None);
        assert_eq!(w.check(1, at(t, 60_200)), None);
    }

    #[test]
    fn checks_just_under_the_gap_apart_still_count_the_silence() {
        let t = Instant::now();
        let mut w = Watchdog::new(0, t);
        // 999 ms apart is a slow redraw, not a stopped process.
        assert_eq!(w.check(0, at(t, 999)), None);
        assert_eq!(w.check(0, at(t, 1998)), None);
        assert_eq!(w.check(0, at(t, 2997)), None);
        assert_eq!(w.check(0, at(t, 3996)), None);
        assert_eq!(w.check(0, at(t, 4995)), Some(Duration::from_millis(4995)));
    }

    #[test]
    fn a_fresh_health_has_no_fill_and_is_not_lost_at_first() {
        let h = Health::new();
        assert_eq!(h.last_fill(), None);
        let t = Instant::now();
        let mut w = None;
        assert_eq!(h.lost(false, &mut w, t), None);
        assert!(w.is_some(), "the first check starts the watchdog");
    }

    #[test]
    fn a_fill_is_dated_and_clears_the_errors_before_it() {
        let h = Health::new();
        for _ in 0..FAILING - 1 {
            h.error(&error(cpal::ErrorKind::Xrun));
        }
        h.filled();
        let when = h.last_fill().expect("a fill");
        assert!(when >= h.epoch, "dated after the epoch");
        // The count starts again: FAILING - 1 more is still not a flood.
        for _ in 0..FAILING - 1 {
            h.error(&error(cpal::ErrorKind::Xrun));
        }
        let mut w = None;
        assert_eq!(h.lost(false, &mut w, Instant::now()), None);
    }

    #[test]
    fn a_fatal_error_is_lost_even_while_paused() {
        for kind in [
            cpal::ErrorKind::DeviceNotAvailable,
            cpal::ErrorKind::HostUnavailable,
            cpal::ErrorKind::StreamInvalidated,
        ] {
            let h = Health::new();
            let e = error(kind);
            h.error(&e);
            let mut w = None;
            assert_eq!(
                h.lost(true, &mut w, Instant::now()),
                Some(Loss::Gone {
                    cause: e.to_string()
                }),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn one_passing_error_is_not_lost_but_a_flood_is() {
        let h = Health::new();
        let xrun = error(cpal::ErrorKind::Xrun);
        h.error(&xrun);
        let mut w = None;
        let t = Instant::now();
        assert_eq!(h.lost(false, &mut w, t), None);
        for _ in 1..FAILING {
            h.error(&xrun);
        }
        // Paused or not: a device that fails every poll has failed.
        assert_eq!(
            h.lost(true, &mut None, t),
            Some(Loss::Failing {
                last: Some(xrun.to_string())
            })
        );
    }

    #[test]
    fn a_stream_that_could_not_be_built_again_is_gone() {
        let h = Health::new();
        h.lose("it could not be opened again after a skip: busy".into());
        assert_eq!(
            h.lost(false, &mut None, Instant::now()),
            Some(Loss::Gone {
                cause: "it could not be opened again after a skip: busy".into()
            })
        );
    }

    #[test]
    fn silence_is_judged_only_while_playing_and_keeps_the_last_error() {
        let h = Health::new();
        let t = Instant::now();
        let mut w = None;
        // Paused for ten seconds with no buffer: no stall, and the
        // watchdog is not started.
        assert_eq!(h.lost(true, &mut w, t), None);
        assert_eq!(h.lost(true, &mut w, at(t, 10_000)), None);
        assert!(w.is_none());
        // Playing: quiet from the first check on.
        let xrun = error(cpal::ErrorKind::Xrun);
        h.error(&xrun);
        for ms in (0..4000).step_by(500) {
            assert_eq!(h.lost(false, &mut w, at(t, 20_000 + ms)), None);
        }
        assert_eq!(
            h.lost(false, &mut w, at(t, 24_000)),
            Some(Loss::Stalled {
                quiet: Duration::from_secs(4),
                last: Some(xrun.to_string()),
            })
        );
    }
}
