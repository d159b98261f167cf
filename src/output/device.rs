//! The real output: the default sound device, through rodio and cpal.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, BufferSize, FromSample, SizedSample, StreamConfig};

use super::quiet::without_stderr;
use super::AudioOutput;
use crate::mixer::{Mixer, MixerHandle, BLOCK};
use crate::timeline::Frames;

/// The default device, open, and started by `play`.
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
    /// Kept to build the stream again when a skip flushes it.
    device: cpal::Device,
    config: StreamConfig,
    format: cpal::SampleFormat,
    /// The callback's state, the mixer in it once `play` has put it there.
    /// Only the callback locks it while a stream runs; the play loop does
    /// only while none does (before `play`, and while flushing).
    feed: Arc<Mutex<Feed>>,
    handle: Option<MixerHandle>,
    rate: u32,
    /// One period: what the device asks for at a time; its buffer holds
    /// `PERIODS` of them.
    period: Frames,
    anchor: Anchor,
    health: Arc<Health>,
    watchdog: Option<Watchdog>,
    /// Paused at the device: no buffers are taken, and that is no stall.
    paused: bool,
}

/// What the stream's callbacks tell the play loop about the device.
struct Health {
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

impl Health {
    fn new() -> Health {
        Health {
            fatal: Mutex::new(None),
            last: Mutex::new(None),
            failing: AtomicU64::new(0),
            filled_at: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// The callback's note that the device took a buffer.
    fn filled(&self) {
        self.failing.store(0, Ordering::Relaxed);
        let at = self.epoch.elapsed().as_nanos() as u64 + 1;
        self.filled_at.store(at, Ordering::Release);
    }

    /// When the device last took a buffer, if it has.
    fn last_fill(&self) -> Option<Instant> {
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
    fn started(&self, result: Result<(), cpal::Error>) {
        if let Err(e) = result {
            self.error(&e);
        }
    }

    fn error(&self, e: &cpal::Error) {
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
}

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

/// Decides, from the fill token (`Health::fills`) seen at each check and
/// when it was checked, whether the device has stopped taking audio. Pure: the
/// caller passes the time, so the rules are tested without waiting.
#[derive(Debug, Clone, Copy)]
struct Watchdog {
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
/// What the heard position is measured from, between the device's
/// callbacks. The mixer's position moves a period at a time (200 ms); a
/// breathing bar drawn from it would jump. So the position a person hears
/// is the audio clock's last word plus the time since (never more than a
/// period), and it stands still while the device is paused.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Anchor {
    /// Following the callbacks: at each, the buffer has just been filled
    /// to `latency`, so what is heard is `taken - latency`, and it runs on
    /// from there in real time until the next.
    Callbacks,
    /// Paused at the device: heard stays here.
    Held(Frames),
    /// Running on from `from` since `at`, until the device's first
    /// callback after `at` (after a resume or a flush).
    From { at: Instant, from: Frames },
}

/// The device's timing, for `Anchor::heard`.
#[derive(Debug, Clone, Copy)]
struct Timing {
    rate: u32,
    period: Frames,
}

impl Timing {
    /// The whole buffer: how far the mixer runs ahead of what is heard.
    fn latency(self) -> Frames {
        Frames(self.period.0 * PERIODS)
    }
}

impl Anchor {
    /// The frame heard at `now`, given the frames `taken` and when the
    /// device last took a buffer; and the anchor to keep.
    fn heard(
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
        (Frames(heard.0.min(taken.0)), anchor)
    }
}

/// Why the device could not be opened, in words for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceError {
    pub cause: String,
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause)
    }
}

/// The device's period: it asks for this much at a time, and its buffer
/// holds two (cpal's double buffering). Every period wakes the process,
/// the ALSA plugin and the sound server; on this path that is most of what
/// playing costs (BENCHMARKS.md: 50 ms periods cost 2.5 times what 200 ms
/// ones do). A long buffer costs nothing in response: pause pauses the
/// device itself, a skip flushes the buffer (`flush`), and quitting drops
/// the stream. Only a volume change waits for the buffer to play out.
const PERIOD: Duration = Duration::from_millis(200);
/// Periods in the device's buffer, as cpal sets it up for a fixed size.
const PERIODS: u64 = 2;

impl DeviceOutput {
    /// Open the default output device, with libasound's noise silenced.
    pub fn open_default() -> Result<DeviceOutput, DeviceError> {
        let health = Arc::new(Health::new());
        let feed = Arc::new(Mutex::new(Feed::new(2)));
        let (device, stream, config, format) =
            without_stderr(|| open(&feed, &health)).map_err(describe)?;
        let rate = config.sample_rate;
        let period = match config.buffer_size {
            BufferSize::Fixed(n) => Frames(u64::from(n)),
            _ => Frames::from_duration(PERIOD, rate),
        };
        if crate::trace::enabled() {
            crate::trace::mark(&format!(
                "device-open ({rate} Hz, {} ch, {format:?}, buffer {} frames)",
                config.channels,
                period.0 * PERIODS
            ));
        }
        Ok(DeviceOutput {
            stream: Some(stream),
            device,
            config,
            format,
            feed,
            handle: None,
            rate,
            period,
            anchor: Anchor::Callbacks,
            health,
            watchdog: None,
            paused: false,
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

/// Open the default device's stream at its default rate and format,
/// stereo when it can. It is started only by `play`, with the mixer
/// already in `feed`, so the first buffer the device takes is the
/// session's first frames rather than silence queued ahead of them.
///
/// Stream errors are never printed: they would land over the display.
/// Transient ones (an underrun, the pulse plugin's `snd_pcm_avail_delay`
/// hiccups) recover by themselves; a lost device is noted in `health`,
/// and `DeviceOutput::lost` tells the play loop, which ends the session.
fn open(
    feed: &Arc<Mutex<Feed>>,
    health: &Arc<Health>,
) -> Result<(cpal::Device, cpal::Stream, StreamConfig, cpal::SampleFormat), OpenError> {
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
    let frames = ((u64::from(rate) * PERIOD.as_millis() as u64 / 1000) as u32 + 1) & !1;
    let config = StreamConfig {
        channels,
        sample_rate: rate,
        buffer_size: BufferSize::Fixed(frames.max(2)),
    };
    if let Ok(mut f) = feed.lock() {
        f.channels = usize::from(channels.max(1));
    }
    let stream = build_any(&device, &config, format, feed, health)?;
    Ok((device, stream, config, format))
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

/// The callback's state: the mixer once `play` has put it here, and a
/// block for formats other than stereo f32.
struct Feed {
    mixer: Option<Mixer>,
    channels: usize,
    block: Vec<f32>,
    first: bool,
}

impl Feed {
    fn new(channels: usize) -> Feed {
        Feed {
            mixer: None,
            channels,
            block: vec![0.0; BLOCK * 2],
            first: true,
        }
    }

    fn fill<T: DeviceSample>(&mut self, data: &mut [T]) {
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

impl DeviceOutput {
    fn timing(&self) -> Timing {
        Timing {
            rate: self.rate,
            period: self.period,
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
        self.rate
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
        if let Ok(mut feed) = self.feed.lock() {
            feed.mixer = Some(mixer);
        }
        if let Some(stream) = &self.stream {
            self.health.started(stream.play());
        }
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
        if self.stream.is_none() {
            return;
        }
        // Dropping the stream discards what the device holds; the mixer
        // takes the skip now, so the new stream starts at its target.
        self.stream = None;
        if let Ok(mut feed) = self.feed.lock() {
            if let Some(mixer) = feed.mixer.as_mut() {
                mixer.apply_controls();
            }
        }
        let at = self.taken();
        self.anchor = if self.paused {
            Anchor::Held(at)
        } else {
            Anchor::From {
                at: Instant::now(),
                from: at,
            }
        };
        self.watchdog = None;
        match build_any(
            &self.device,
            &self.config,
            self.format,
            &self.feed,
            &self.health,
        ) {
            Ok(stream) => {
                if !self.paused {
                    self.health.started(stream.play());
                }
                self.stream = Some(stream);
            }
            Err(e) => {
                if let Ok(mut fatal) = self.health.fatal.lock() {
                    *fatal = Some(format!("it could not be opened again after a skip: {e}"));
                }
            }
        }
    }

    fn stop(&mut self) {
        // Dropping the stream stops it at once (and ends cpal's worker,
        // even one spinning on a server that has gone).
        self.stream = None;
    }

    fn set_paused(&mut self, paused: bool) {
        if self.stream.is_none() {
            return;
        }
        if paused {
            let at = self.heard(self.taken());
            let Some(stream) = &self.stream else {
                return;
            };
            // A device that cannot pause goes on taking the mixer's
            // silence, and the clock follows it as before.
            if stream.pause().is_ok() {
                self.paused = true;
                self.anchor = Anchor::Held(at);
            }
        } else if self.paused {
            self.paused = false;
            let from = match self.anchor {
                Anchor::Held(at) => at,
                _ => Frames::ZERO,
            };
            if let Some(stream) = &self.stream {
                self.health.started(stream.play());
            }
            self.anchor = Anchor::From {
                at: Instant::now(),
                from,
            };
        }
        // The stall clock starts afresh either way.
        self.watchdog = None;
    }

    fn lost(&mut self) -> Option<DeviceError> {
        if let Some(cause) = self.health.fatal.lock().ok().and_then(|f| f.clone()) {
            return Some(DeviceError {
                cause: format!("the sound device went away ({cause})"),
            });
        }
        let last = || self.health.last.lock().ok().and_then(|l| l.clone());
        if self.health.failing.load(Ordering::Relaxed) >= FAILING {
            return Some(DeviceError {
                cause: format!(
                    "the sound device keeps failing; the sound server may have stopped ({})",
                    last().unwrap_or_default()
                ),
            });
        }
        if self.paused {
            return None;
        }
        let count = self.health.fills();
        let now = Instant::now();
        let quiet = self
            .watchdog
            .get_or_insert_with(|| Watchdog::new(count, now))
            .check(count, now)?;
        Some(DeviceError {
            cause: format!(
                "the sound device stopped taking audio {} s ago; the sound server may have stopped{}",
                quiet.as_secs(),
                last().map_or(String::new(), |e| format!(" (last error: {e})"))
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, ms: u64) -> Instant {
        start + Duration::from_millis(ms)
    }

    /// 200-frame periods, so a 400-frame buffer.
    const T: Timing = Timing {
        rate: 1000,
        period: Frames(200),
    };

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
    fn heard_holds_while_paused_and_resumes_from_there() {
        let t0 = Instant::now();
        let held = Anchor::Held(Frames(1150));
        assert_eq!(
            held.heard(Frames(1400), T, Some(t0), at(t0, 9000)).0,
            Frames(1150)
        );
        // Resumed at 10 s: on from 1150 until the device's next callback...
        let resumed = Anchor::From {
            at: at(t0, 10_000),
            from: Frames(1150),
        };
        let (h, a) = resumed.heard(Frames(1400), T, Some(t0), at(t0, 10_030));
        assert_eq!((h, a), (Frames(1180), resumed));
        // ...then from the callbacks again.
        let (h, a) = resumed.heard(Frames(1600), T, Some(at(t0, 10_050)), at(t0, 10_060));
        assert_eq!((h, a), (Frames(1210), Anchor::Callbacks));
    }

    #[test]
    fn after_a_flush_heard_starts_at_the_skip_target() {
        let t0 = Instant::now();
        let flushed = Anchor::From {
            at: t0,
            from: Frames(5000),
        };
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
}
