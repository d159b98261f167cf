//! The feed: the audio callback's side, which fills the device's buffer from the session mixer.
//!
//! The callback fills the device's buffer a block at a time (`Mixer::fill`).
//! rodio's own mixer would pull every sample through three layers of
//! `Iterator::next`, a channel poll and a virtual call per source; that
//! per-sample path was most of `play`'s CPU (see BENCHMARKS.md). The session
//! mixer already does pause, volume and seeking, so nothing of rodio's mixer
//! is needed. What is left here is shape: the device's sample format and
//! channel count, which need not be the mixer's stereo f32.

use rodio::cpal::{FromSample, SizedSample};

use crate::mixer::{Mixer, BLOCK};

/// The callback's state: the mixer once `play` has put it here, and a
/// block for formats other than stereo f32.
pub(super) struct Feed {
    mixer: Option<Mixer>,
    /// The device's channels, interleaved in every buffer it hands over.
    channels: usize,
    block: Vec<f32>,
    first: bool,
}

impl Feed {
    pub(super) fn new(channels: usize) -> Feed {
        Feed {
            mixer: None,
            channels: channels.max(1),
            block: vec![0.0; BLOCK * 2],
            first: true,
        }
    }

    /// Hand the session's mixer to the callback.
    pub(super) fn put(&mut self, mixer: Mixer) {
        self.mixer = Some(mixer);
    }

    /// The mixer, once `put` has been called.
    pub(super) fn mixer(&mut self) -> Option<&mut Mixer> {
        self.mixer.as_mut()
    }

    /// Fill one buffer the device asked for: from the mixer, then silence
    /// once the session has ended (or before it has a mixer).
    pub(super) fn fill<T: DeviceSample>(&mut self, data: &mut [T]) {
        let Some(mixer) = self.mixer.as_mut() else {
            data.fill(T::EQUILIBRIUM);
            return;
        };
        let mch = usize::from(mixer.timeline().format.channels.max(1));
        let written = fill_from(
            |out| mixer.fill(out),
            mch,
            data,
            self.channels,
            &mut self.block,
        );
        data[written..].fill(T::EQUILIBRIUM);
        if self.first {
            self.first = false;
            crate::trace::mark("first-frame");
        }
    }
}

/// Fill `data` (interleaved at `channels`) from `pull`, which writes
/// frames of `mch` channels and returns the samples written (fewer once the
/// session has ended, as `Mixer::fill` does); return the samples of `data`
/// written. A function of what `pull` hands back, so it is tested without
/// a mixer.
fn fill_from<T: DeviceSample>(
    mut pull: impl FnMut(&mut [f32]) -> usize,
    mch: usize,
    data: &mut [T],
    channels: usize,
    block: &mut [f32],
) -> usize {
    // Stereo f32, the usual case: straight into the device's buffer.
    if channels == mch {
        if let Some(out) = T::as_f32(data) {
            return pull(out);
        }
    }
    let frames = data.len() / channels;
    let per_block = block.len() / mch;
    let mut done = 0;
    while done < frames {
        let want = (frames - done).min(per_block);
        let got = pull(&mut block[..want * mch]) / mch;
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
pub(super) trait DeviceSample: SizedSample + FromSample<f32> {
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

#[cfg(test)]
mod tests {
    use rodio::cpal::Sample;

    use super::*;

    /// A stand-in for the mixer: stereo frames whose left sample is
    /// `n / 100` and right `-n / 100` for frame `n`, for `frames` frames.
    struct Ramp {
        next: usize,
        frames: usize,
        pulls: usize,
    }

    impl Ramp {
        fn new(frames: usize) -> Ramp {
            Ramp {
                next: 0,
                frames,
                pulls: 0,
            }
        }

        fn pull(&mut self, out: &mut [f32]) -> usize {
            self.pulls += 1;
            let mut n = 0;
            for frame in out.chunks_exact_mut(2) {
                if self.next == self.frames {
                    break;
                }
                let v = self.next as f32 / 100.0;
                frame.copy_from_slice(&[v, -v]);
                self.next += 1;
                n += 2;
            }
            n
        }
    }

    #[test]
    fn stereo_f32_goes_straight_into_the_buffer() {
        let mut ramp = Ramp::new(100);
        let mut data = [9.0f32; 6];
        let mut block = [0.0; 4];
        let n = fill_from(|o| ramp.pull(o), 2, &mut data, 2, &mut block);
        assert_eq!(n, 6);
        assert_eq!(data, [0.0, -0.0, 0.01, -0.01, 0.02, -0.02]);
        assert_eq!(ramp.pulls, 1, "one pull, with no block between");
    }

    #[test]
    fn a_mono_device_hears_the_first_channel() {
        let mut ramp = Ramp::new(100);
        let mut data = [9.0f32; 3];
        let mut block = [0.0; 4];
        let n = fill_from(|o| ramp.pull(o), 2, &mut data, 1, &mut block);
        assert_eq!(n, 3);
        assert_eq!(data, [0.0, 0.01, 0.02]);
    }

    #[test]
    fn extra_channels_repeat_the_last_one_block_by_block() {
        let mut ramp = Ramp::new(100);
        // Five frames of four channels through a two-frame block.
        let mut data = [9.0f32; 20];
        let mut block = [0.0; 4];
        let n = fill_from(|o| ramp.pull(o), 2, &mut data, 4, &mut block);
        assert_eq!(n, 20);
        let frames: Vec<&[f32]> = data.chunks(4).collect();
        for (i, f) in frames.iter().enumerate() {
            let v = i as f32 / 100.0;
            assert_eq!(*f, [v, -v, -v, -v], "frame {i}");
        }
        assert_eq!(ramp.pulls, 3, "2 + 2 + 1 frames");
    }

    #[test]
    fn other_formats_are_converted() {
        let mut ramp = Ramp::new(100);
        let mut data = [0i16; 4];
        let mut block = [0.0; 8];
        fill_from(|o| ramp.pull(o), 2, &mut data, 2, &mut block);
        assert_eq!(
            data,
            [0, 0, i16::from_sample(0.01f32), i16::from_sample(-0.01f32)]
        );
        assert_ne!(data[2], 0);
    }

    #[test]
    fn the_end_of_the_session_stops_the_fill_on_its_last_frame() {
        // Three frames left, seven asked for on a mono device.
        let mut ramp = Ramp::new(3);
        let mut data = [9.0f32; 7];
        let mut block = [0.0; 4];
        let n = fill_from(|o| ramp.pull(o), 2, &mut data, 1, &mut block);
        assert_eq!(n, 3);
        assert_eq!(data[..3], [0.0, 0.01, 0.02]);
        assert_eq!(data[3..], [9.0; 4], "the rest is the caller's to fill");
        assert_eq!(ramp.pulls, 2, "no pull after a short one");
    }

    #[test]
    fn with_no_mixer_the_device_hears_silence() {
        let mut feed = Feed::new(2);
        let mut data = [7i16; 8];
        feed.fill(&mut data);
        assert_eq!(data, [0; 8]);
        let mut data = [7u8; 4];
        feed.fill(&mut data);
        // Unsigned silence is the middle of the range.
        assert_eq!(data, [128; 4]);
        assert!(feed.mixer().is_none());
    }
}
