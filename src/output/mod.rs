//! The audio output: the one module that owns the sound device.
//!
//! `AudioOutput` is the seam between the play loop and the hardware, like
//! kira's `Backend` or hyperfine's `Executor`: the real implementation
//! hands the mixer to a cpal stream's callback, and `ClockOutput` pulls
//! frames on a timer with no device at all, for `--silent`, `--speed N`
//! and deterministic tests (`KINDLY_OUTPUT=null` or
//! `KINDLY_OUTPUT=record:PATH`).
//!
//! Whatever the output, the session's clock is the mixer's position: the
//! frames the output has taken. Only `ClockOutput` reads a timer, because
//! it stands in for a device's crystal.

mod anchor;
mod clock;
mod device;
mod error;
mod feed;
mod health;
mod quiet;
mod stream;

pub(crate) use error::DeviceError;

use clock::ClockOutput;
use device::DeviceOutput;

use std::path::PathBuf;

use crate::mixer::Mixer;
use crate::timeline::Frames;

/// Something that consumes a mixer's frames at the pace of real time
/// (or a multiple of it).
pub(crate) trait AudioOutput: Send {
    /// The sample rate to compile the timeline at, so nothing resamples.
    fn rate(&self) -> u32;

    /// How far ahead of what is heard the output pulls frames: subtract it
    /// from the mixer's position to know what a person hears now.
    fn latency(&self) -> Frames;

    /// Start consuming `mixer`; returns at once.
    fn play(&mut self, mixer: Mixer);

    /// The frame a person hears now, given the frames the output has
    /// `taken` (the mixer's position).
    fn heard(&mut self, taken: Frames) -> Frames;

    /// Throw away what the output holds and go on from the mixer as it is
    /// now: after a skip, so the new step is heard at once rather than
    /// after the buffer has played out.
    fn flush(&mut self);

    /// Stop at once. What is already in the device's buffer may still be
    /// heard (a few tens of milliseconds).
    fn stop(&mut self);

    /// Pause or resume at once. The mixer pauses too (silence, its clock
    /// held); a device that can also stops taking frames, so what its
    /// buffer holds waits to be heard after the pause, not before it.
    fn set_paused(&mut self, paused: bool);

    /// Why the output can no longer play, once it can't: the device or
    /// its server went away, or it stopped taking frames. The play loop
    /// asks at every redraw and ends the session with this.
    fn lost(&mut self) -> Option<DeviceError>;
}

/// Which output to open, resolved from flags and `KINDLY_OUTPUT`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OutputKind {
    /// The default sound device.
    Device,
    /// No device: a clock consumes frames at `speed` times real time,
    /// writing them to a WAV file when `record` is set.
    Clock { speed: f64, record: Option<PathBuf> },
}

impl OutputKind {
    /// The hidden `KINDLY_OUTPUT` switch for tests: `null`, `record:PATH`
    /// or `device`. Anything else is ignored (the flags decide).
    pub(crate) fn from_env(speed: f64) -> Option<OutputKind> {
        let value = std::env::var("KINDLY_OUTPUT").ok()?;
        match value.as_str() {
            "null" => Some(OutputKind::Clock {
                speed,
                record: None,
            }),
            "device" => Some(OutputKind::Device),
            other => other.strip_prefix("record:").map(|p| OutputKind::Clock {
                speed,
                record: Some(PathBuf::from(p)),
            }),
        }
    }

    /// Open the output. Only `Device` can fail, before anything is drawn.
    pub(crate) fn open(&self) -> Result<Box<dyn AudioOutput>, DeviceError> {
        match self {
            OutputKind::Device => Ok(Box::new(DeviceOutput::open_default()?)),
            OutputKind::Clock { speed, record } => {
                Ok(Box::new(ClockOutput::new(48_000, *speed, record.clone())))
            }
        }
    }
}
