//! The mixer's signal path: the sounds playing, the bed with its fades
//! and ducking, the master volume and the limiter.
//!
//! It makes the frames the transport (`transport.rs`) allows, reading the
//! clock but never moving it.

use super::bed::BedBody;
use super::dsp::{fade, fade_is_flat, limit_block, Ducking};
use super::events::Sound;
use super::playing::{Body, Playing};
use super::Mixer;
use crate::timeline::Frames;

/// The bed under the whole timeline.
pub(super) struct BedState {
    pub(super) body: BedBody,
    pub(super) gain: f32,
    pub(super) fade: u64,
}

impl Mixer {
    /// Make the block `out` (`n` frames): the bed, every sound playing,
    /// the master volume, the limiter.
    pub(super) fn render_block(&mut self, out: &mut [f32], n: usize) {
        let ch = self.ch;
        self.write_bed(out, n);
        let (scratch, shared) = (&mut self.scratch, &self.shared);
        self.playing.retain_mut(|v| {
            let playing = v.mix_into(out, ch, scratch);
            // A file that stopped decoding part-way (damaged, or changed
            // since the session started) is dropped, and the play loop says so.
            if let (false, Body::Stream(s), Some(sound)) = (playing, &v.body, &v.file) {
                if s.failed() {
                    shared.note_failed(sound);
                }
            }
            playing
        });
        self.master(out);
        limit_block(out);
    }

    /// Start event `i` at `offset` frames into its sound.
    pub(super) fn start(&mut self, i: usize, offset: u64) {
        let e = &self.events[i];
        let file = match &e.sound {
            Sound::File(sound) => Some(sound.clone()),
            _ => None,
        };
        let body = match &e.sound {
            Sound::Buffer { data, channels } => Body::Buffer {
                data: data.clone(),
                channels: *channels,
            },
            // A file that fails now (it passed its check before play began,
            // so it changed under us) is left out rather than stopping the
            // session, and the play loop says so.
            Sound::File(sound) => match self.source.open(sound, Frames(offset)) {
                Ok(stream) => Body::Stream(stream),
                Err(_) => {
                    self.shared.note_failed(sound);
                    return;
                }
            },
            Sound::Missing => return,
        };
        self.playing.push(Playing {
            body,
            file,
            pos: offset,
            len: e.len,
            gain: e.gain,
            fade_in: e.fade_in,
            fade_out: e.fade_out,
        });
    }

    /// Write the bed's next `n` frames, scaled by its fades and ducking;
    /// silence when there is no bed.
    fn write_bed(&mut self, out: &mut [f32], n: usize) {
        let ch = self.ch;
        let Some(bed) = &mut self.bed else {
            out.fill(0.0);
            return;
        };
        // While held at a gate (or waiting for words) the timeline stands
        // still, and so do the fades and ducking that follow it.
        let t = self.clock;
        let still = self.holding || self.waiting;
        let span = if still { 1 } else { n as u64 };
        let len = self.timeline.length.0;
        let flat_fade = fade_is_flat(t, span, len, bed.fade, bed.fade);
        let constant = match (flat_fade, self.ducking.flat(t, span)) {
            (true, Some(env)) => Some(bed.gain * Ducking::gain(env)),
            _ if still => Some(
                bed.gain
                    * fade(t, len, bed.fade, bed.fade)
                    * Ducking::gain(self.ducking.envelope(t)),
            ),
            _ => None,
        };
        if constant.is_none() {
            for (i, g) in self.gains[..n].iter_mut().enumerate() {
                let t = t + i as u64;
                *g = bed.gain
                    * fade(t, len, bed.fade, bed.fade)
                    * Ducking::gain(self.ducking.envelope(t));
            }
        }
        match &mut bed.body {
            BedBody::Loop(rendered) => {
                let frames = rendered.frames;
                // Still rendering: silent, while the position moves on so
                // the bed comes in where it would have been.
                let Some(data) = rendered.get() else {
                    out.fill(0.0);
                    return;
                };
                let mut done = 0;
                let mut p = (self.bed_pos % frames) as usize;
                while done < n {
                    let m = (n - done).min(frames as usize - p);
                    let src = &data[p * ch..(p + m) * ch];
                    let dst = &mut out[done * ch..(done + m) * ch];
                    match constant {
                        Some(g) => {
                            for (o, s) in dst.iter_mut().zip(src) {
                                *o = s * g;
                            }
                        }
                        None => {
                            let gains = &self.gains[done..done + m];
                            for ((o, s), g) in dst
                                .chunks_exact_mut(ch)
                                .zip(src.chunks_exact(ch))
                                .zip(gains)
                            {
                                for c in 0..ch {
                                    o[c] = s[c] * g;
                                }
                            }
                        }
                    }
                    done += m;
                    p = 0;
                }
            }
            BedBody::File(f) => {
                f.read(self.bed_pos, out, ch, &*self.source);
                match constant {
                    Some(g) => out.iter_mut().for_each(|o| *o *= g),
                    None => {
                        for (o, g) in out.chunks_exact_mut(ch).zip(&self.gains[..n]) {
                            o.iter_mut().for_each(|o| *o *= g);
                        }
                    }
                }
            }
        }
    }

    /// Apply the master volume, ramping linearly towards the handle's.
    fn master(&mut self, out: &mut [f32]) {
        let target = self.shared.volume().clamp(0.0, 1.0);
        if self.volume == target {
            if target != 1.0 {
                out.iter_mut().for_each(|o| *o *= target);
            }
            return;
        }
        for frame in out.chunks_exact_mut(self.ch) {
            self.volume = if self.volume < target {
                (self.volume + self.volume_step).min(target)
            } else {
                (self.volume - self.volume_step).max(target)
            };
            frame.iter_mut().for_each(|o| *o *= self.volume);
        }
    }
}
