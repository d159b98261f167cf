//! The real output: the default sound device, through rodio and cpal.

use std::fmt;

use rodio::cpal::BufferSize;
use rodio::{DeviceSinkBuilder, DeviceSinkError, MixerDeviceSink};

use super::quiet::without_stderr;
use super::AudioOutput;
use crate::mixer::Mixer;
use crate::timeline::Frames;

/// The default device, open and running (silent until `play`).
pub struct DeviceOutput {
    sink: Option<MixerDeviceSink>,
    rate: u32,
    latency: Frames,
}

/// Why the device could not be opened, in words for a person.
#[derive(Debug)]
pub struct DeviceError {
    pub cause: String,
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause)
    }
}

impl DeviceOutput {
    /// Open the default output device, with libasound's noise silenced.
    pub fn open_default() -> Result<DeviceOutput, DeviceError> {
        let mut sink = without_stderr(open).map_err(describe)?;
        // rodio prints a line when the sink is dropped; ending a session
        // is not news.
        sink.log_on_drop(false);
        let config = *sink.config();
        let rate = config.sample_rate().get();
        // rodio asks cpal for a fixed buffer of about 50 ms; the device
        // pulls that far ahead of what is heard. The sound server may add
        // its own buffer on top, which cpal cannot tell us.
        let latency = match config.buffer_size() {
            BufferSize::Fixed(n) => Frames(u64::from(*n)),
            _ => Frames::from_duration(std::time::Duration::from_millis(50), rate),
        };
        Ok(DeviceOutput {
            sink: Some(sink),
            rate,
            latency,
        })
    }
}

/// rodio's `open_default_sink`, with an error callback that does not
/// print: cpal reports transient stream errors (an underrun, the pulse
/// plugin's `snd_pcm_avail_delay` hiccups) through it, and rodio's
/// default callback would write them over the display. The stream
/// recovers by itself; a lost device shows as silence, not a crash.
fn open() -> Result<MixerDeviceSink, DeviceSinkError> {
    DeviceSinkBuilder::from_default_device()
        .and_then(|b| b.with_error_callback(|_| {}).open_stream())
        .or_else(|_| DeviceSinkBuilder::open_default_sink())
}

fn describe(e: DeviceSinkError) -> DeviceError {
    let cause = match &e {
        DeviceSinkError::NoDevice => {
            "no audio output device was found (no sound card or sound server)".to_owned()
        }
        DeviceSinkError::DefaultSinkConfigError(c)
        | DeviceSinkError::BuildError(c)
        | DeviceSinkError::PlayError(c)
        | DeviceSinkError::SupportedConfigsError(c) => {
            format!("the audio device could not be opened: it may be busy, or no sound server is running ({c})")
        }
        other => format!("the audio device could not be opened ({other})"),
    };
    DeviceError { cause }
}

impl AudioOutput for DeviceOutput {
    fn rate(&self) -> u32 {
        self.rate
    }

    fn latency(&self) -> Frames {
        self.latency
    }

    fn play(&mut self, mixer: Mixer) {
        // Straight into the device's mixer, without a `Player`: the
        // session mixer already does pause, volume and seeking, and each
        // layer rodio adds would be more work per sample.
        if let Some(sink) = &self.sink {
            sink.mixer().add(mixer);
        }
    }

    fn stop(&mut self) {
        // Dropping the sink stops the stream at once.
        self.sink = None;
    }
}
