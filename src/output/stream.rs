//! The cpal stream: opening the default device, and building, starting, pausing and dropping its stream.
//!
//! cpal is rodio's own backend, reached through its re-export, so kindly
//! links one audio stack. This file is the only one that touches a cpal
//! device or stream; the callbacks it installs hand every buffer to the
//! `Feed` and every report to `Health`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, BufferSize, StreamConfig};

use super::error::OpenError;
use super::feed::{DeviceSample, Feed};
use super::health::Health;
use super::quiet::without_stderr;
use crate::mixer::Mixer;
use crate::timeline::Frames;

/// The device's period: it asks for this much at a time, and its buffer
/// holds two (cpal's double buffering). Every period wakes the process,
/// the ALSA plugin and the sound server; on this path that is most of what
/// playing costs (BENCHMARKS.md: 50 ms periods cost 2.5 times what 200 ms
/// ones do). A long buffer costs nothing in response: pause pauses the
/// device itself, a skip flushes the buffer, and quitting drops the
/// stream. Only a volume change waits for the buffer to play out.
const PERIOD: Duration = Duration::from_millis(200);

/// Periods in the device's buffer, as cpal sets it up for a fixed size.
pub(super) const PERIODS: u64 = 2;

/// The default device and, while it is open, its stream.
///
/// The play loop locks the feed only while no stream runs (before the
/// first start, and between `discard` and `reopen`), so the callback's
/// `try_lock` all but never finds it taken. Every lock of the feed from
/// this side is in this type, which keeps that promise in one place.
pub(super) struct Stream {
    /// Kept to build the stream again when a skip flushes it.
    device: cpal::Device,
    config: StreamConfig,
    format: cpal::SampleFormat,
    /// The callback's state, the mixer in it once `start` has put it there.
    feed: Arc<Mutex<Feed>>,
    health: Arc<Health>,
    /// Dropped to stop at once (and to end cpal's worker, even one
    /// spinning on a server that has gone).
    running: Option<cpal::Stream>,
}

impl Stream {
    /// Open the default device's stream at its default rate and format,
    /// stereo when it can. It is started only by `start`, with the mixer
    /// already in the feed, so the first buffer the device takes is the
    /// session's first frames rather than silence queued ahead of them.
    ///
    /// libasound's noise is silenced meanwhile (`quiet`). Stream errors are
    /// never printed either: they would land over the display. They go to
    /// `health`, and the play loop asks it whether the device is lost.
    pub(super) fn open_default(health: &Arc<Health>) -> Result<Stream, OpenError> {
        let stream = without_stderr(|| Stream::open(health))?;
        // After stderr is back, or the line would go to /dev/null.
        if crate::trace::enabled() {
            crate::trace::mark(&format!(
                "device-open ({} Hz, {} ch, {:?}, buffer {} frames)",
                stream.rate(),
                stream.config.channels,
                stream.format,
                stream.period().0 * PERIODS
            ));
        }
        Ok(stream)
    }

    fn open(health: &Arc<Health>) -> Result<Stream, OpenError> {
        let device = cpal::default_host()
            .default_output_device()
            .ok_or(OpenError::NoDevice)?;
        let (config, format) = choose(&device)?;
        let feed = Arc::new(Mutex::new(Feed::new(usize::from(config.channels))));
        let running = build_any(&device, &config, format, &feed, health)?;
        Ok(Stream {
            device,
            config,
            format,
            feed,
            health: Arc::clone(health),
            running: Some(running),
        })
    }

    pub(super) fn rate(&self) -> u32 {
        self.config.sample_rate
    }

    /// One period: what the device asks for at a time; its buffer holds
    /// `PERIODS` of them.
    pub(super) fn period(&self) -> Frames {
        match self.config.buffer_size {
            BufferSize::Fixed(n) => Frames(u64::from(n)),
            _ => Frames::from_duration(PERIOD, self.rate()),
        }
    }

    /// Whether a stream is open (none once stopped, or after a failed
    /// `reopen`).
    pub(super) fn is_open(&self) -> bool {
        self.running.is_some()
    }

    /// Hand `mixer` to the callback, then start the device.
    pub(super) fn start(&mut self, mixer: Mixer) {
        if let Ok(mut feed) = self.feed.lock() {
            feed.put(mixer);
        }
        self.resume();
    }

    /// Start the device taking buffers again; a failure is noted in
    /// `health`.
    pub(super) fn resume(&self) {
        if let Some(stream) = &self.running {
            self.health.started(stream.play());
        }
    }

    /// Stop the device taking buffers, keeping what its buffer holds;
    /// false if it cannot pause (or no stream is open).
    pub(super) fn pause(&self) -> bool {
        self.running.as_ref().is_some_and(|s| s.pause().is_ok())
    }

    /// Drop the stream: it stops at once.
    pub(super) fn stop(&mut self) {
        self.running = None;
    }

    /// Drop the stream, which discards what the device holds, and let the
    /// mixer take its pending controls (a skip) now, so a stream built
    /// next starts at the target.
    pub(super) fn discard(&mut self) {
        self.running = None;
        if let Ok(mut feed) = self.feed.lock() {
            if let Some(mixer) = feed.mixer() {
                mixer.apply_controls();
            }
        }
    }

    /// Build the stream again after `discard`, and start it if `play`.
    pub(super) fn reopen(&mut self, play: bool) -> Result<(), cpal::Error> {
        let stream = build_any(
            &self.device,
            &self.config,
            self.format,
            &self.feed,
            &self.health,
        )?;
        if play {
            self.health.started(stream.play());
        }
        self.running = Some(stream);
        Ok(())
    }
}

/// The stream's configuration on `device`: its default rate and format,
/// stereo if the device takes it (the timeline is compiled in stereo),
/// else its default layout, in periods of `PERIOD`.
fn choose(device: &cpal::Device) -> Result<(StreamConfig, cpal::SampleFormat), OpenError> {
    let default = device.default_output_config()?;
    let rate = default.sample_rate();
    let format = default.sample_format();
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
    let frames = ((u64::from(rate) * PERIOD.as_millis() as u64 / 1000) as u32 + 1) & !1;
    let config = StreamConfig {
        channels,
        sample_rate: rate,
        buffer_size: BufferSize::Fixed(frames.max(2)),
    };
    Ok((config, format))
}

/// A stream of `format` samples on `device`, fed from `feed`.
fn build_any(
    device: &cpal::Device,
    config: &StreamConfig,
    format: cpal::SampleFormat,
    feed: &Arc<Mutex<Feed>>,
    health: &Arc<Health>,
) -> Result<cpal::Stream, cpal::Error> {
    use cpal::SampleFormat as F;
    let (feed, health) = (Arc::clone(feed), Arc::clone(health));
    match format {
        F::F32 => build::<f32>(device, config, feed, health),
        F::I16 => build::<i16>(device, config, feed, health),
        F::I32 => build::<i32>(device, config, feed, health),
        F::U16 => build::<u16>(device, config, feed, health),
        F::U8 => build::<u8>(device, config, feed, health),
        F::I8 => build::<i8>(device, config, feed, health),
        F::F64 => build::<f64>(device, config, feed, health),
        // A format with no `DeviceSample` (the 24-bit ones): ask for f32,
        // and let the build say whether the device takes it.
        _ => build::<f32>(device, config, feed, health),
    }
}

fn build<T>(
    device: &cpal::Device,
    config: &StreamConfig,
    feed: Arc<Mutex<Feed>>,
    health: Arc<Health>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: DeviceSample,
{
    let taken = Arc::clone(&health);
    device.build_output_stream::<T, _, _>(
        *config,
        move |data: &mut [T], _| {
            // Never wait on the play loop here; it holds the lock only
            // while no stream runs, so this is all but certain.
            match feed.try_lock() {
                Ok(mut feed) => feed.fill(data),
                Err(_) => data.fill(T::EQUILIBRIUM),
            }
            taken.filled();
        },
        move |e| health.error(&e),
        None,
    )
}
