//! `Playing`: one sound playing, from a rendered buffer or a file stream,
//! with its own gain and linear fades.

use super::bank::Rendered;
use super::dsp::{fade, fade_is_flat};
use super::source::FrameStream;
use crate::session::SoundRef;

pub(crate) enum Body {
    /// A rendered built-in sound, interleaved at `channels` (1 for cues).
    Buffer { data: Rendered, channels: usize },
    /// A file, already at the mixer's rate and channel count.
    Stream(Box<dyn FrameStream>),
}

pub(crate) struct Playing {
    pub body: Body,
    /// The file it plays, named if its stream fails.
    pub file: Option<SoundRef>,
    /// Frames since the sound's first frame.
    pub pos: u64,
    /// The sound's length in frames (`u64::MAX` when unknown).
    pub len: u64,
    pub gain: f32,
    pub fade_in: u64,
    pub fade_out: u64,
}

impl Playing {
    /// Add the next `out.len() / ch` frames into `out`. `scratch` holds at
    /// least `out.len()` samples for streams. False once the sound is over.
    pub(crate) fn mix_into(&mut self, out: &mut [f32], ch: usize, scratch: &mut [f32]) -> bool {
        let want = (out.len() / ch) as u64;
        let mut n = want.min(self.len.saturating_sub(self.pos)) as usize;
        let mut ended = false;
        let (src, sc): (&[f32], usize) = match &mut self.body {
            Body::Buffer { data, channels } => {
                let sc = *channels;
                // Still rendering (live play's first moments only): silent
                // but keeping its place, so it comes in where it should.
                let Some(data) = data.get() else {
                    self.pos += n as u64;
                    return self.pos < self.len;
                };
                let have = (data.len() / sc) as u64;
                let start = self.pos.min(have) as usize;
                n = n.min(have as usize - start);
                if (start + n) as u64 >= have {
                    ended = true;
                }
                (&data[start * sc..(start + n) * sc], sc)
            }
            Body::Stream(s) => {
                let got = s.read(&mut scratch[..n * ch]) / ch;
                if got < n {
                    ended = true;
                }
                n = got;
                (&scratch[..n * ch], ch)
            }
        };
        let out = &mut out[..n * ch];
        if fade_is_flat(self.pos, n as u64, self.len, self.fade_in, self.fade_out) {
            add_const(out, src, sc, ch, self.gain);
        } else {
            for i in 0..n {
                let g =
                    self.gain * fade(self.pos + i as u64, self.len, self.fade_in, self.fade_out);
                add_frame(
                    &mut out[i * ch..(i + 1) * ch],
                    &src[i * sc..(i + 1) * sc],
                    g,
                );
            }
        }
        self.pos += n as u64;
        !ended && self.pos < self.len
    }
}

/// `out += src * g`, for the layouts the mixer meets: same channel count
/// (streams, beds) or mono spread to every channel (cues).
#[inline]
fn add_const(out: &mut [f32], src: &[f32], sc: usize, ch: usize, g: f32) {
    if sc == ch {
        for (o, s) in out.iter_mut().zip(src) {
            *o += s * g;
        }
    } else if sc == 1 && ch == 2 {
        for (o, s) in out.chunks_exact_mut(2).zip(src) {
            let v = s * g;
            o[0] += v;
            o[1] += v;
        }
    } else {
        for (o, s) in out.chunks_exact_mut(ch).zip(src.chunks_exact(sc)) {
            add_frame(o, s, g);
        }
    }
}

#[inline]
fn add_frame(out: &mut [f32], src: &[f32], g: f32) {
    let last = src.len() - 1;
    for (c, o) in out.iter_mut().enumerate() {
        *o += src[c.min(last)] * g;
    }
}
