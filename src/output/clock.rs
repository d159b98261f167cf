//! `ClockOutput`: a device made of a timer, for playing with no sound.
//!
//! It consumes the mixer's frames at `speed` times real time, as a sound
//! card would, so the session's clock (the mixer's position) advances the
//! same way whether anyone hears it or not. This is the one place in
//! kindly where a timer paces the frames: it stands in for the crystal of
//! a real device. With `record`, the frames go to a 16-bit WAV file, which
//! makes `play` testable without a device.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{AudioOutput, DeviceError};
use crate::mixer::Mixer;
use crate::timeline::Frames;

/// How often the clock wakes to hand out frames: small enough for a
/// smooth display, large enough to cost nothing.
const TICK: Duration = Duration::from_millis(5);

pub(crate) struct ClockOutput {
    rate: u32,
    speed: f64,
    record: Option<PathBuf>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ClockOutput {
    pub(crate) fn new(rate: u32, speed: f64, record: Option<PathBuf>) -> ClockOutput {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        ClockOutput {
            rate,
            speed,
            record,
            stop: Arc::new(AtomicBool::new(false)),
            thread: None,
        }
    }
}

impl AudioOutput for ClockOutput {
    fn rate(&self) -> u32 {
        self.rate
    }

    fn latency(&self) -> Frames {
        Frames::ZERO
    }

    fn play(&mut self, mut mixer: Mixer) {
        let stop = Arc::clone(&self.stop);
        let (rate, speed) = (f64::from(self.rate), self.speed);
        let channels = usize::from(mixer.timeline().format.channels.max(1));
        let mut writer = self.record.as_ref().and_then(|path| {
            let spec = hound::WavSpec {
                channels: channels as u16,
                sample_rate: self.rate,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            hound::WavWriter::create(path, spec).ok()
        });
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut taken: u64 = 0;
            let mut block = vec![0.0f32; crate::mixer::BLOCK * channels];
            'run: while !stop.load(Ordering::Acquire) {
                let due = (start.elapsed().as_secs_f64() * rate * speed) as u64;
                while taken < due {
                    let want = ((due - taken) as usize).min(crate::mixer::BLOCK);
                    let n = mixer.fill(&mut block[..want * channels]);
                    if let Some(w) = writer.as_mut() {
                        for s in &block[..n] {
                            let _ = w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16);
                        }
                    }
                    if n < want * channels {
                        break 'run;
                    }
                    taken += want as u64;
                }
                std::thread::sleep(TICK);
            }
            if let Some(w) = writer {
                let _ = w.finalize();
            }
        });
        self.thread = Some(thread);
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn heard(&mut self, taken: Frames) -> Frames {
        // Nothing is buffered: what the clock has taken is what is heard.
        taken
    }

    fn flush(&mut self) {}

    fn set_paused(&mut self, _paused: bool) {
        // The mixer's pause is all a clock needs.
    }

    fn lost(&mut self) -> Option<DeviceError> {
        // A timer stands in for the device's crystal; it cannot go away.
        None
    }
}

impl Drop for ClockOutput {
    fn drop(&mut self) {
        self.stop();
    }
}
