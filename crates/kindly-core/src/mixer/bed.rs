//! The ambience bed: a rendered loop, or a file streamed in a seamless loop.
//!
//! The bed's position is its own frame count (it keeps playing while a gate
//! holds the timeline), and the sample at any position is a pure function
//! of it: `pos mod loop length` for a rendered loop, and for a file the
//! same crossfade arithmetic whether reached by playing or by seeking.

use super::bank::Rendered;
use super::dsp::equal_power;
use super::source::{FrameStream, SoundSource};
use crate::session::SoundRef;
use crate::timeline::Frames;

/// The crossfade at a file bed's loop point. Long enough to hide the seam
/// of a file that was never cut to loop; short enough not to smear rhythm.
pub(crate) const FILE_LOOP_CROSSFADE_MS: u64 = 75;

pub(crate) enum BedBody {
    /// Interleaved at the mixer's channel count.
    Loop(Rendered),
    File(Box<FileLoop>),
}

/// A file played in a loop of `period = length - xfade` frames: in the
/// first `xfade` frames of each period, the file's head fades in while its
/// tail (the previous pass, still reading) fades out, equal-power.
pub(crate) struct FileLoop {
    sound: SoundRef,
    period: u64,
    xfade: u64,
    head: Option<Box<dyn FrameStream>>,
    tail: Option<Box<dyn FrameStream>>,
    fade_in: Vec<f32>,
    fade_out: Vec<f32>,
    scratch: Vec<f32>,
}

impl FileLoop {
    /// `None` when the file's length is unknown or zero.
    pub(crate) fn new(
        sound: SoundRef,
        length: u64,
        rate: u32,
        block: usize,
        ch: usize,
    ) -> Option<FileLoop> {
        if length < 2 {
            return None;
        }
        let want = FILE_LOOP_CROSSFADE_MS * u64::from(rate) / 1000;
        let xfade = want.min(length / 4);
        let (fade_in, fade_out) = equal_power(xfade as usize);
        Some(FileLoop {
            sound,
            period: length - xfade,
            xfade,
            head: None,
            tail: None,
            fade_in,
            fade_out,
            scratch: vec![0.0; block * ch],
        })
    }

    pub(crate) fn seek(&mut self, pos: u64, source: &dyn SoundSource) {
        let q = pos % self.period;
        self.head = source.open(&self.sound, Frames(q)).ok();
        self.tail = if q < self.xfade {
            source.open(&self.sound, Frames(self.period + q)).ok()
        } else {
            None
        };
    }

    /// Write (not add) the bed's frames `pos..pos + n` into `out`.
    pub(crate) fn read(&mut self, pos: u64, out: &mut [f32], ch: usize, source: &dyn SoundSource) {
        let n = out.len() / ch;
        let mut done = 0;
        let mut t = pos;
        while done < n {
            let q = t % self.period;
            let seg = &mut out[done * ch..];
            let m;
            if q < self.xfade {
                m = (n - done).min((self.xfade - q) as usize);
                let head = &mut seg[..m * ch];
                read_or_silence(&mut self.head, head);
                let tail = &mut self.scratch[..m * ch];
                read_or_silence(&mut self.tail, tail);
                for i in 0..m {
                    let k = q as usize + i;
                    let (gi, go) = (self.fade_in[k], self.fade_out[k]);
                    for c in 0..ch {
                        head[i * ch + c] = head[i * ch + c] * gi + tail[i * ch + c] * go;
                    }
                }
                if q + m as u64 == self.xfade {
                    self.tail = None;
                }
            } else {
                m = (n - done).min((self.period - q) as usize);
                read_or_silence(&mut self.head, &mut seg[..m * ch]);
                if q + m as u64 == self.period {
                    // The pass that just ended reads on as the next tail.
                    self.tail = if self.xfade > 0 {
                        self.head.take()
                    } else {
                        None
                    };
                    self.head = source.open(&self.sound, Frames::ZERO).ok();
                }
            }
            done += m;
            t += m as u64;
        }
    }
}

/// A stream that ends early or failed to open leaves silence, not garbage.
fn read_or_silence(stream: &mut Option<Box<dyn FrameStream>>, out: &mut [f32]) {
    let got = match stream {
        Some(s) => s.read(out),
        None => 0,
    };
    out[got..].fill(0.0);
}
