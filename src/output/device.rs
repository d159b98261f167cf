//! The real output: the default sound device, as an `AudioOutput`.
//!
//! Like kira's `CpalBackend`, this only joins the parts, each in its own
//! file: the cpal stream (`stream`), the callback's side that fills it from
//! the mixer (`feed`), what the callbacks report and the watchdog that
//! judges it (`health`), and the heard position between callbacks
//! (`anchor`). The clock is read here and passed in, so those parts stay
//! pure enough to test with plain values.

use std::sync::Arc;
use std::time::Instant;

use super::anchor::{Anchor, Timing};
use super::health::{Health, Watchdog};
use super::stream::{Stream, PERIODS};
use super::{AudioOutput, DeviceError};
use crate::mixer::{Mixer, MixerHandle};
use crate::timeline::Frames;

/// The default device, open, and started by `play`.
pub(crate) struct DeviceOutput {
    stream: Stream,
    handle: Option<MixerHandle>,
    anchor: Anchor,
    health: Arc<Health>,
    /// Started at the first `lost` check while playing; cleared whenever
    /// the device is expected to be quiet for a moment, so the stall
    /// clock starts afresh.
    watchdog: Option<Watchdog>,
    /// Paused at the device: no buffers are taken, and that is no stall.
    paused: bool,
}

impl DeviceOutput {
    /// Open the default output device, with libasound's noise silenced.
    pub(crate) fn open_default() -> Result<DeviceOutput, DeviceError> {
        let health = Arc::new(Health::new());
        let stream = Stream::open_default(&health)?;
        Ok(DeviceOutput {
            stream,
            handle: None,
            anchor: Anchor::Callbacks,
            health,
            watchdog: None,
            paused: false,
        })
    }

    fn timing(&self) -> Timing {
        Timing {
            rate: self.stream.rate(),
            period: self.stream.period(),
            periods: PERIODS,
        }
    }

    /// The frames the mixer has produced (0 before `play`).
    fn taken(&self) -> Frames {
        self.handle
            .as_ref()
            .map_or(Frames::ZERO, MixerHandle::position)
    }
}

impl AudioOutput for DeviceOutput {
    fn rate(&self) -> u32 {
        self.stream.rate()
    }

    fn latency(&self) -> Frames {
        self.timing().latency()
    }

    fn play(&mut self, mixer: Mixer) {
        // Until the device's first callback, what is heard is where the
        // mixer starts (a step, with --from), running on in real time.
        self.anchor = Anchor::From {
            at: Instant::now(),
            from: mixer.handle().position(),
        };
        self.handle = Some(mixer.handle());
        self.stream.start(mixer);
    }

    fn heard(&mut self, taken: Frames) -> Frames {
        let now = Instant::now();
        let (heard, anchor) = self
            .anchor
            .heard(taken, self.timing(), self.health.last_fill(), now);
        self.anchor = anchor;
        heard
    }

    fn flush(&mut self) {
        if !self.stream.is_open() {
            return;
        }
        // The mixer takes the skip as the old stream goes, so the anchor
        // starts at the target, before the new stream can take a frame.
        self.stream.discard();
        self.anchor = Anchor::flushed(self.taken(), self.paused, Instant::now());
        self.watchdog = None;
        if let Err(e) = self.stream.reopen(!self.paused) {
            self.health
                .lose(format!("it could not be opened again after a skip: {e}"));
        }
    }

    fn stop(&mut self) {
        self.stream.stop();
    }

    fn set_paused(&mut self, paused: bool) {
        if !self.stream.is_open() {
            return;
        }
        if paused {
            let at = self.heard(self.taken());
            // A device that cannot pause goes on taking the mixer's
            // silence, and the clock follows it as before.
            if self.stream.pause() {
                self.paused = true;
                self.anchor = Anchor::Held(at);
            }
        } else if self.paused {
            self.paused = false;
            self.stream.resume();
            self.anchor = self.anchor.resumed(Instant::now());
        }
        // The stall clock starts afresh either way.
        self.watchdog = None;
    }

    fn lost(&mut self) -> Option<DeviceError> {
        self.health
            .lost(self.paused, &mut self.watchdog, Instant::now())
            .map(DeviceError::from)
    }
}
