//! `Bank`: the built-in sounds a timeline uses, rendered once at its format.
//!
//! Synthesis is pure but not free (a bowl is seconds of additive partials),
//! so each cue and bed is rendered once per rate, before anything plays,
//! and shared by every strike through an `Arc`. Tests fill a bank by hand
//! with tiny exact buffers instead.

use std::collections::HashMap;
use std::sync::Arc;

use crate::session::SoundRef;
use crate::synth::{Bed, Cue};
use crate::timeline::{Format, Timeline};

/// Rendered built-in sounds at one format.
#[derive(Debug, Clone)]
pub struct Bank {
    format: Format,
    /// Mono.
    cues: HashMap<Cue, Arc<Vec<f32>>>,
    /// Seamless loops, interleaved at `format.channels`.
    beds: HashMap<Bed, Arc<Vec<f32>>>,
}

impl Bank {
    pub fn new(format: Format) -> Bank {
        Bank {
            format,
            cues: HashMap::new(),
            beds: HashMap::new(),
        }
    }

    /// Every built-in sound `timeline` uses, rendered at its format.
    ///
    /// Each distinct sound renders on its own thread: synthesis is the
    /// largest part of `play`'s start-up (a rain loop alone is tens of
    /// milliseconds), and each sound is a pure function of its kind and
    /// rate, so the bank is the same bit for bit however it is split.
    pub fn for_timeline(timeline: &Timeline) -> Bank {
        let mut cues: Vec<Cue> = Vec::new();
        let mut beds: Vec<Bed> = Vec::new();
        let sounds = timeline
            .audio_events()
            .map(|e| &e.sound)
            .chain(timeline.ambience.as_ref().map(|b| &b.sound));
        for sound in sounds {
            match sound {
                SoundRef::Cue(c) if !cues.contains(c) => cues.push(*c),
                SoundRef::Bed(b) if !beds.contains(b) => beds.push(*b),
                _ => {}
            }
        }
        let rate = timeline.format.rate;
        let (cues, beds) = std::thread::scope(|scope| {
            // The beds take longest: start them first.
            let beds: Vec<_> = beds
                .into_iter()
                .map(|b| (b, scope.spawn(move || b.render_loop(rate))))
                .collect();
            let cues: Vec<_> = cues
                .into_iter()
                .map(|c| (c, scope.spawn(move || c.render(rate))))
                .collect();
            let join = |h: std::thread::ScopedJoinHandle<'_, Vec<f32>>| {
                h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
            };
            (
                cues.into_iter()
                    .map(|(c, h)| (c, join(h)))
                    .collect::<Vec<_>>(),
                beds.into_iter()
                    .map(|(b, h)| (b, join(h)))
                    .collect::<Vec<_>>(),
            )
        });
        let mut bank = Bank::new(timeline.format);
        for (c, mono) in cues {
            bank.insert_cue(c, mono);
        }
        for (b, stereo) in beds {
            bank.insert_bed(b, stereo);
        }
        bank
    }

    /// Render `sound` if it is built in and not rendered yet.
    pub fn render(&mut self, sound: &SoundRef) {
        let rate = self.format.rate;
        match sound {
            SoundRef::Cue(c) => {
                self.cues
                    .entry(*c)
                    .or_insert_with(|| Arc::new(c.render(rate)));
            }
            SoundRef::Bed(b) => {
                if !self.beds.contains_key(b) {
                    let stereo = b.render_loop(rate);
                    self.insert_bed(*b, stereo);
                }
            }
            SoundRef::File(_) => {}
        }
    }

    /// Use `mono` as the sound of `cue` (tests, and callers with their own).
    pub fn insert_cue(&mut self, cue: Cue, mono: Vec<f32>) {
        self.cues.insert(cue, Arc::new(mono));
    }

    /// Use the stereo interleaved `stereo` loop as `bed`, converted to the
    /// bank's channel count. Stereo is kept as it is, without a copy: a
    /// bed loop is the largest buffer kindly holds.
    pub fn insert_bed(&mut self, bed: Bed, stereo: Vec<f32>) {
        let channels = usize::from(self.format.channels.max(1));
        let data = if channels == 2 {
            stereo
        } else {
            from_stereo(&stereo, channels)
        };
        self.beds.insert(bed, Arc::new(data));
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub(crate) fn cue(&self, cue: Cue) -> Option<Arc<Vec<f32>>> {
        self.cues.get(&cue).cloned()
    }

    pub(crate) fn bed(&self, bed: Bed) -> Option<Arc<Vec<f32>>> {
        self.beds.get(&bed).cloned()
    }
}

/// Stereo to `channels`: mono is the average; extra channels beyond two
/// get the average too, so a surround device hears the bed everywhere.
fn from_stereo(stereo: &[f32], channels: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(stereo.len() / 2 * channels);
    for f in stereo.chunks_exact(2) {
        let mid = 0.5 * (f[0] + f[1]);
        match channels {
            1 => out.push(mid),
            _ => {
                out.extend_from_slice(f);
                out.extend(std::iter::repeat_n(mid, channels - 2));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stereo_to_other_layouts() {
        assert_eq!(from_stereo(&[1.0, 0.0, 0.5, 0.5], 1), vec![0.5, 0.5]);
        assert_eq!(
            from_stereo(&[1.0, 0.0], 3),
            vec![1.0, 0.0, 0.5],
            "third channel gets the mid"
        );
    }
}
