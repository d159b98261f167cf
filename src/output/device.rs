//! The real output: the default sound device, through rodio and cpal.

use std::fmt;
use std::sync::mpsc::{channel, Receiver, Sender};

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, BufferSize, FromSample, SizedSample, StreamConfig};

use super::quiet::without_stderr;
use super::AudioOutput;
use crate::mixer::{Mixer, BLOCK};
use crate::timeline::Frames;

/// The default device, open and running (silent until `play`).
///
/// The stream's callback fills the device's buffer from the session mixer
/// a block at a time (`Mixer::fill`). rodio's own mixer would pull every
/// sample through three layers of `Iterator::next`, a channel poll and a
/// virtual call per source; that per-sample path was most of `play`'s CPU
/// (see BENCHMARKS.md). The session mixer already does pause, volume and
/// seeking, so nothing of rodio's mixer is needed; cpal is rodio's own
/// backend, reached through its re-export.
pub struct DeviceOutput {
    stream: Option<cpal::Stream>,
    mixers: Sender<Mixer>,
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

/// The device's buffer: about 50 ms, as rodio asks for, rounded to an
/// even frame count.
const BUFFER: std::time::Duration = std::time::Duration::from_millis(50);

impl DeviceOutput {
    /// Open the default output device, with libasound's noise silenced.
    pub fn open_default() -> Result<DeviceOutput, DeviceError> {
        let (mixers, rx) = channel();
        let (stream, config, format) = without_stderr(|| open(rx)).map_err(describe)?;
        let rate = config.sample_rate;
        let latency = match config.buffer_size {
            BufferSize::Fixed(n) => Frames(u64::from(n)),
            _ => Frames::from_duration(BUFFER, rate),
        };
        if crate::trace::enabled() {
            crate::trace::mark(&format!(
                "device-open ({rate} Hz, {} ch, {format:?}, buffer {} frames)",
                config.channels, latency.0
            ));
        }
        Ok(DeviceOutput {
            stream: Some(stream),
            mixers,
            rate,
            latency,
        })
    }
}

enum OpenError {
    NoDevice,
    Cpal(cpal::Error),
}

impl From<cpal::Error> for OpenError {
    fn from(e: cpal::Error) -> OpenError {
        OpenError::Cpal(e)
    }
}

/// Open and start the default device's stream at its default rate and
/// format, stereo when it can, playing silence until a mixer arrives on
/// `mixers`. (Starting it only in `play` would put the session's first
/// frame first in the device's buffer, but an idle PulseAudio null sink
/// can then hold the new stream for up to its 2 s latency mid-cue, and the
/// end-to-end timing test fails: the stream is started here, as before.) Transient stream errors (an underrun, the pulse plugin's
/// `snd_pcm_avail_delay` hiccups) are not printed: they would land over
/// the display, and the stream recovers by itself; a lost device shows as
/// silence, not a crash.
fn open(
    mixers: Receiver<Mixer>,
) -> Result<(cpal::Stream, StreamConfig, cpal::SampleFormat), OpenError> {
    let device = cpal::default_host()
        .default_output_device()
        .ok_or(OpenError::NoDevice)?;
    let default = device.default_output_config()?;
    let rate = default.sample_rate();
    let format = default.sample_format();
    // Stereo at the default rate and format if the device takes it (the
    // timeline is compiled in stereo), else its default layout.
    let channels = device
        .supported_output_configs()
        .ok()
        .and_then(|mut all| {
            all.find(|c| {
                c.channels() == 2
                    && c.sample_format() == format
                    && (c.min_sample_rate()..=c.max_sample_rate()).contains(&rate)
            })
        })
        .map_or(default.channels(), |_| 2);
    let frames = ((u64::from(rate) * BUFFER.as_millis() as u64 / 1000) as u32 + 1) & !1;
    let config = StreamConfig {
        channels,
        sample_rate: rate,
        buffer_size: BufferSize::Fixed(frames.max(2)),
    };
    use cpal::SampleFormat as F;
    let stream = match format {
        F::F32 => build::<f32>(&device, &config, mixers),
        F::I16 => build::<i16>(&device, &config, mixers),
        F::I32 => build::<i32>(&device, &config, mixers),
        F::U16 => build::<u16>(&device, &config, mixers),
        F::U8 => build::<u8>(&device, &config, mixers),
        F::I8 => build::<i8>(&device, &config, mixers),
        F::F64 => build::<f64>(&device, &config, mixers),
        _ => build::<f32>(&device, &config, mixers),
    }?;
    stream.play()?;
    Ok((stream, config, format))
}

fn build<T>(
    device: &cpal::Device,
    config: &StreamConfig,
    mixers: Receiver<Mixer>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: DeviceSample,
{
    let mut feed = Feed::new(mixers, usize::from(config.channels.max(1)));
    device.build_output_stream::<T, _, _>(
        *config,
        move |data: &mut [T], _| feed.fill(data),
        |_| {},
        None,
    )
}

/// The callback's state: the mixer once `play` has sent it, and a block
/// for formats other than stereo f32.
struct Feed {
    mixers: Receiver<Mixer>,
    mixer: Option<Mixer>,
    channels: usize,
    block: Vec<f32>,
    first: bool,
}

impl Feed {
    fn new(mixers: Receiver<Mixer>, channels: usize) -> Feed {
        Feed {
            mixers,
            mixer: None,
            channels,
            block: vec![0.0; BLOCK * 2],
            first: true,
        }
    }

    fn fill<T: DeviceSample>(&mut self, data: &mut [T]) {
        if self.mixer.is_none() {
            self.mixer = self.mixers.try_recv().ok();
        }
        let Some(mixer) = self.mixer.as_mut() else {
            data.fill(T::EQUILIBRIUM);
            return;
        };
        let written = fill_from(mixer, data, self.channels, &mut self.block);
        data[written..].fill(T::EQUILIBRIUM);
        if self.first {
            self.first = false;
            crate::trace::mark("first-frame");
        }
    }
}

/// Fill `data` (interleaved at `channels`) from the stereo `mixer`;
/// return the samples written (fewer once the session has ended).
fn fill_from<T: DeviceSample>(
    mixer: &mut Mixer,
    data: &mut [T],
    channels: usize,
    block: &mut [f32],
) -> usize {
    let mch = usize::from(mixer.timeline().format.channels.max(1));
    // Stereo f32, the usual case: straight into the device's buffer.
    if channels == mch {
        if let Some(out) = T::as_f32(data) {
            return mixer.fill(out);
        }
    }
    let frames = data.len() / channels;
    let per_block = block.len() / mch;
    let mut done = 0;
    while done < frames {
        let want = (frames - done).min(per_block);
        let got = mixer.fill(&mut block[..want * mch]) / mch;
        let out = &mut data[done * channels..(done + got) * channels];
        for (o, i) in out.chunks_exact_mut(channels).zip(block.chunks_exact(mch)) {
            for (c, s) in o.iter_mut().enumerate() {
                // Mono takes the first channel; extra channels repeat
                // the last one.
                *s = T::from_sample(i[c.min(mch - 1)]);
            }
        }
        done += got;
        if got < want {
            break;
        }
    }
    done * channels
}

/// A device sample format: converted from f32, or f32 itself, which the
/// mixer writes in place.
trait DeviceSample: SizedSample + FromSample<f32> {
    fn as_f32(_data: &mut [Self]) -> Option<&mut [f32]> {
        None
    }
}

impl DeviceSample for f32 {
    fn as_f32(data: &mut [f32]) -> Option<&mut [f32]> {
        Some(data)
    }
}

impl DeviceSample for f64 {}
impl DeviceSample for i8 {}
impl DeviceSample for i16 {}
impl DeviceSample for i32 {}
impl DeviceSample for u8 {}
impl DeviceSample for u16 {}

fn describe(e: OpenError) -> DeviceError {
    let cause = match &e {
        OpenError::NoDevice => {
            "no audio output device was found (no sound card or sound server)".to_owned()
        }
        OpenError::Cpal(c) => format!(
            "the audio device could not be opened: it may be busy, or no sound server is running ({c})"
        ),
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
        // The callback picks it up on its next buffer.
        let _ = self.mixers.send(mixer);
    }

    fn stop(&mut self) {
        // Dropping the stream stops it at once.
        self.stream = None;
    }
}
