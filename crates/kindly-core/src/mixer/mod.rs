//! The mixer: one `Timeline` in, samples out, for live play and render alike.
//!
//! Pure: it reads no clock and opens no file of its own accord. Built-in
//! sounds come from a `Bank` rendered beforehand; files come through an
//! injected `SoundSource`. Time is the count of frames produced, so the
//! same `fill` feeds the sound device and the render alike.
//!
//! Per block it writes the bed (with its fades and ducking), adds every
//! playing sound, applies the master volume and soft-limits the result.
//! Blocks are split at event onsets, so every sound starts on its exact
//! frame.

mod bank;
mod bed;
pub(crate) mod dsp;
mod events;
mod handle;
mod playing;
mod signal;
mod source;
#[cfg(test)]
mod tests;
mod transport;

pub use bank::{Bank, SoundStore};
pub use events::Replacement;
pub use handle::MixerHandle;
pub use source::{FrameStream, NoFiles, OpenError, SoundSource};

use std::sync::Arc;
use std::time::Duration;

use bed::{BedBody, FileLoop};
use dsp::Ducking;
use events::{events_for, resolve, Event, Sound};
use handle::Shared;
use playing::Playing;
use signal::BedState;

use crate::session::SoundRef;
use crate::timeline::{Frames, Timeline};

/// Frames per internal block: small enough for a responsive handle
/// (about 21 ms at 48 kHz), large enough that per-block work is noise.
pub const BLOCK: usize = 1024;

/// The bed's ducking ramps.
const DUCK_ATTACK: Duration = Duration::from_millis(300);
const DUCK_RELEASE: Duration = Duration::from_millis(800);
/// How long a master volume change takes: short enough to feel immediate,
/// long enough to avoid zipper noise.
const VOLUME_RAMP: Duration = Duration::from_millis(30);

/// Mixes a `Timeline` into interleaved f32 samples.
pub struct Mixer {
    timeline: Arc<Timeline>,
    source: Arc<dyn SoundSource>,
    ch: usize,
    rate: u32,
    events: Vec<Event>,
    /// First event not yet started.
    next_event: usize,
    playing: Vec<Playing>,
    bed: Option<BedState>,
    ducking: Ducking,
    /// Timeline frame: the next frame to produce.
    clock: u64,
    /// The bed's own frame count; equals `clock` until a gate holds.
    bed_pos: u64,
    /// Frames produced while the timeline stood still (held at a gate, or
    /// waiting for words): the time a person spent there, which the
    /// display's clock counts although the timeline does not.
    held: u64,
    /// The step being played (`steps.len()` at the end).
    step: usize,
    holding: bool,
    /// Held at the start of a step whose words are still being made.
    waiting: bool,
    gate_released: bool,
    finished: bool,
    volume: f32,
    volume_step: f32,
    shared: Arc<Shared>,
    gains: Vec<f32>,
    scratch: Vec<f32>,
}

impl Mixer {
    /// A mixer at the start of `timeline`. Built-in sounds are taken from
    /// `bank` (rendered at the timeline's format); files are opened through
    /// `source`.
    pub fn new(timeline: Arc<Timeline>, bank: &Bank, source: Arc<dyn SoundSource>) -> Mixer {
        let format = timeline.format;
        let ch = usize::from(format.channels.max(1));
        let rate = format.rate.max(1);
        let frames = |d: Duration| Frames::from_duration(d, rate).0;
        let length_of = |sound: &SoundRef| resolve(sound, bank, &*source, ch);
        let (mut events, spans) = events_for(&timeline, bank, &*source, ch);

        let bed = timeline.ambience.as_ref().and_then(|a| {
            let body = match &a.sound {
                SoundRef::File(_) => {
                    let len = source.frames(&a.sound)?.0;
                    BedBody::File(Box::new(FileLoop::new(
                        a.sound.clone(),
                        len,
                        rate,
                        BLOCK,
                        ch,
                    )?))
                }
                other => match length_of(other).0 {
                    Sound::Buffer { data, channels } if channels == ch && data.frames > 0 => {
                        BedBody::Loop(data)
                    }
                    // A cue as a bed: played once, like any other sound.
                    Sound::Buffer { data, channels } => {
                        events.insert(
                            0,
                            Event {
                                at: 0,
                                len: data.frames,
                                sound: Sound::Buffer { data, channels },
                                gain: a.gain.get(),
                                fade_in: a.fade.0,
                                fade_out: a.fade.0,
                            },
                        );
                        return None;
                    }
                    _ => return None,
                },
            };
            Some(BedState {
                body,
                gain: a.gain.get(),
                fade: a.fade.0,
            })
        });

        let mut mixer = Mixer {
            source,
            waiting: false,
            ch,
            rate,
            events,
            next_event: 0,
            playing: Vec::with_capacity(32),
            bed,
            ducking: Ducking::new(spans, frames(DUCK_ATTACK), frames(DUCK_RELEASE)),
            clock: 0,
            bed_pos: 0,
            held: 0,
            step: 0,
            holding: false,
            gate_released: false,
            finished: false,
            volume: 1.0,
            volume_step: 1.0 / frames(VOLUME_RAMP).max(1) as f32,
            shared: Arc::new(Shared::new()),
            gains: vec![0.0; BLOCK],
            scratch: vec![0.0; BLOCK * ch],
            timeline,
        };
        mixer.seek_frame(0, 0);
        mixer
    }

    /// A second mixer that makes this one's frames from `at` on, sample
    /// for sample as this one would: for rendering a timeline in two
    /// parts on two threads. Every sample is a pure function of its frame
    /// (see `dsp`), sounds under way at `at` start part-way in the order
    /// this mixer started them (so they are summed in the same order), and
    /// the bed is a loop read at its position.
    ///
    /// `None` where that cannot be promised: a sound or the bed streams
    /// from a file (decoders and resamplers seek only approximately), a
    /// built-in sound is still rendering, words are still being made, a
    /// gate could hold, it is paused, a volume ramp would still be under
    /// way at `at`, or `at` is not strictly between this mixer's clock and
    /// the end.
    pub fn fork_at(&self, at: Frames) -> Option<Mixer> {
        let s = &self.shared;
        let steady = !self.holding
            && !self.waiting
            && self.bed_pos == self.clock
            && !s.gates_armed()
            && !s.paused()
            && !self.timeline.has_pending_speech();
        if !steady || at.0 <= self.clock || at.0 >= self.timeline.length.0 {
            return None;
        }
        // A ramp steps by `volume_step` a frame and lands exactly on its
        // target (`master` clamps to it); one frame spare for rounding.
        let target = s.volume().clamp(0.0, 1.0);
        let ramp = ((self.volume - target).abs() / self.volume_step).ceil() as u64 + 1;
        if self.volume != target && at.0 - self.clock < ramp {
            return None;
        }
        let events = self
            .events
            .iter()
            .map(|e| {
                let sound = match &e.sound {
                    Sound::Buffer { data, channels } if data.get().is_some() => Sound::Buffer {
                        data: data.clone(),
                        channels: *channels,
                    },
                    Sound::Missing => Sound::Missing,
                    _ => return None,
                };
                Some(Event {
                    at: e.at,
                    sound,
                    len: e.len,
                    gain: e.gain,
                    fade_in: e.fade_in,
                    fade_out: e.fade_out,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let bed = match &self.bed {
            None => None,
            Some(BedState {
                body: BedBody::Loop(data),
                gain,
                fade,
            }) if data.get().is_some() => Some(BedState {
                body: BedBody::Loop(data.clone()),
                gain: *gain,
                fade: *fade,
            }),
            Some(_) => return None,
        };
        let shared = Arc::new(Shared::new());
        shared.copy_settings(s);
        let mut fork = Mixer {
            timeline: Arc::clone(&self.timeline),
            source: Arc::clone(&self.source),
            ch: self.ch,
            rate: self.rate,
            events,
            next_event: 0,
            playing: Vec::with_capacity(self.playing.capacity()),
            bed,
            ducking: self.ducking.clone(),
            clock: 0,
            bed_pos: 0,
            held: 0,
            step: self.step,
            holding: false,
            waiting: false,
            gate_released: false,
            finished: false,
            volume: target,
            volume_step: self.volume_step,
            shared,
            gains: vec![0.0; BLOCK],
            scratch: vec![0.0; BLOCK * self.ch],
        };
        fork.seek_frame(at.0, self.step);
        Some(fork)
    }

    /// Live controls, for another thread.
    pub fn handle(&self) -> MixerHandle {
        MixerHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    pub fn timeline(&self) -> &Arc<Timeline> {
        &self.timeline
    }

    /// The next timeline frame to be produced.
    pub fn clock(&self) -> Frames {
        Frames(self.clock)
    }

    #[cfg(test)]
    pub(crate) fn is_finished(&self) -> bool {
        self.finished
    }

    /// Fill `out` with interleaved frames; return the number of samples
    /// written. Fewer than `out.len()` (rounded down to whole frames) only
    /// once the timeline has ended. While paused, writes silence.
    pub fn fill(&mut self, out: &mut [f32]) -> usize {
        let ch = self.ch;
        let total = out.len() / ch;
        let mut done = 0;
        while done < total {
            self.take_requests();
            if self.shared.paused() {
                out[done * ch..total * ch].fill(0.0);
                done = total;
                break;
            }
            let want = (total - done).min(BLOCK);
            let n = self.chunk(&mut out[done * ch..(done + want) * ch]);
            if n == 0 {
                break;
            }
            done += n;
        }
        self.publish();
        done * ch
    }

    /// Produce up to `out.len() / ch` frames, stopping early at the next
    /// event onset or gate. Returns frames produced; 0 at the end.
    fn chunk(&mut self, out: &mut [f32]) -> usize {
        let ch = self.ch;
        let Some(n) = self.plan_block((out.len() / ch) as u64) else {
            return 0;
        };
        let n = n as usize;
        self.render_block(&mut out[..n * ch], n);
        self.advance_clock(n as u64);
        n
    }
}
