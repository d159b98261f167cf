//! The mixer: one `Timeline` in, samples out, for live play and render alike.
//!
//! Pure: it reads no clock and opens no file of its own accord. Built-in
//! sounds come from a `Bank` rendered beforehand; files come through an
//! injected `SoundSource`. Time is the count of frames produced, so the
//! same `fill` feeds the sound device and the render alike.
//!
//! Per block it writes the bed (with its fades and ducking), adds every
//! playing voice, applies the master volume and soft-limits the result.
//! Blocks are split at event onsets, so every sound starts on its exact
//! frame.

mod bank;
mod bed;
pub(crate) mod dsp;
mod handle;
mod source;
#[cfg(test)]
mod tests;
mod voice;

use bank::Rendered;
pub use bank::{Bank, SoundStore};
pub use handle::MixerHandle;
pub use source::{FrameStream, NoFiles, OpenError, SoundSource};

use std::sync::Arc;
use std::time::Duration;

use bed::{BedBody, FileLoop};
use dsp::{fade, fade_is_flat, limit_block, DuckSpan, Ducking};
use handle::Shared;
use voice::{Body, Voice};

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

/// One audio event, resolved to what plays.
struct Event {
    at: u64,
    sound: Sound,
    len: u64,
    gain: f32,
    fade_in: u64,
    fade_out: u64,
}

enum Sound {
    /// A built-in sound, perhaps still rendering.
    Buffer {
        data: Rendered,
        channels: usize,
    },
    File(SoundRef),
    /// Neither rendered nor a file (a bank without it): plays nothing.
    Missing,
}

/// The bed under the whole timeline.
struct BedState {
    body: BedBody,
    gain: f32,
    fade: u64,
}

/// Mixes a `Timeline` into interleaved f32 samples.
pub struct Mixer {
    timeline: Arc<Timeline>,
    source: Arc<dyn SoundSource>,
    ch: usize,
    rate: u32,
    events: Vec<Event>,
    /// First event not yet started.
    next_event: usize,
    voices: Vec<Voice>,
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

/// What plays for `sound`, and for how many frames.
fn resolve(sound: &SoundRef, bank: &Bank, source: &dyn SoundSource, ch: usize) -> (Sound, u64) {
    match sound {
        SoundRef::Cue(c) => match bank.cue(*c) {
            Some(data) => {
                let len = data.frames;
                (Sound::Buffer { data, channels: 1 }, len)
            }
            None => (Sound::Missing, 0),
        },
        SoundRef::Bed(b) => match bank.bed(*b) {
            Some(data) => {
                let len = data.frames;
                (Sound::Buffer { data, channels: ch }, len)
            }
            None => (Sound::Missing, 0),
        },
        SoundRef::File(_) => {
            let len = source.frames(sound).map_or(u64::MAX, |f| f.0);
            (Sound::File(sound.clone()), len)
        }
    }
}

/// Every audio event of `timeline`, resolved and in start order, with the
/// spans the bed ducks under.
fn events_for(
    timeline: &Timeline,
    bank: &Bank,
    source: &dyn SoundSource,
    ch: usize,
) -> (Vec<Event>, Vec<DuckSpan>) {
    let mut events = Vec::new();
    let mut spans = Vec::new();
    for e in timeline.audio_events() {
        let (sound, len) = resolve(&e.sound, bank, source, ch);
        if e.role.ducks_bed() {
            spans.push(DuckSpan {
                start: e.at.0,
                end: e.at.0.saturating_add(len),
            });
        }
        // A bell a later bell strikes over fades out from that strike.
        let (len, fade_out) = match e.until {
            Some(until) if until.0 < e.at.0.saturating_add(len) => {
                let duck =
                    Frames::from_duration(crate::timeline::DUCK_BELL, timeline.format.rate).0;
                let len = (until.0 - e.at.0).saturating_add(duck).min(len);
                (len, duck.min(len))
            }
            _ => (len, e.fade_out.0),
        };
        events.push(Event {
            at: e.at.0,
            sound,
            len,
            gain: e.gain.get(),
            fade_in: e.fade_in.0,
            fade_out,
        });
    }
    // Steps are in order and each step's events are sorted; keep the
    // order stable so voices always sum in the same order.
    events.sort_by_key(|e| e.at);
    (events, spans)
}

/// A timeline that replaces the one playing, with its events resolved off
/// the audio thread: a step's words have arrived. Only steps not started
/// yet may differ from the timeline it replaces.
pub struct Replacement {
    timeline: Arc<Timeline>,
    source: Arc<dyn SoundSource>,
    events: Vec<Event>,
    spans: Vec<DuckSpan>,
}

impl std::fmt::Debug for Replacement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replacement")
            .field("steps", &self.timeline.steps.len())
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

impl Replacement {
    pub fn new(timeline: Arc<Timeline>, bank: &Bank, source: Arc<dyn SoundSource>) -> Replacement {
        let ch = usize::from(timeline.format.channels.max(1));
        let (events, spans) = events_for(&timeline, bank, &*source, ch);
        Replacement {
            timeline,
            source,
            events,
            spans,
        }
    }
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
            voices: Vec::with_capacity(32),
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

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Jump to the start of step `index`, now (the handle's request, taken
    /// directly: for render and tests).
    pub fn seek_to_step(&mut self, index: usize) {
        let steps = &self.timeline.steps;
        let at = steps
            .get(index)
            .map_or(self.timeline.length.0, |s| s.start.0);
        self.seek_frame(at, index.min(steps.len()));
        // Published now, so a player started at a step (`--from`) shows
        // that step before the first block is mixed.
        self.publish();
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

    /// Take the handle's pending requests (a seek, a released gate) now,
    /// and publish the position they lead to: for an output that has
    /// stopped pulling frames and must know where it will start again.
    pub fn apply_controls(&mut self) {
        self.take_requests();
        self.publish();
    }

    /// Tell the handle where the mixer is.
    fn publish(&self) {
        self.shared
            .publish(self.clock, self.held, self.holding, self.finished);
    }

    fn take_requests(&mut self) {
        let s = Arc::clone(&self.shared);
        if let Some(step) = s.take_seek() {
            self.seek_to_step(step);
        }
        if s.take_release() {
            self.release_gate();
        }
        if let Some(next) = s.take_replacement() {
            self.replace(*next);
        }
    }

    /// Switch to a timeline whose steps from the current one on may have
    /// changed (words arrived). Sounds already playing go on; events not
    /// yet started are taken from the new timeline.
    fn replace(&mut self, next: Replacement) {
        let rate = self.rate;
        let frames = |d: Duration| Frames::from_duration(d, rate).0;
        // Keep the place within the current step: a person who skipped
        // past steps still waiting for words is in a step that moved.
        let into_step = self
            .timeline
            .steps
            .get(self.step)
            .map_or(0, |s| self.clock.saturating_sub(s.start.0));
        self.timeline = next.timeline;
        if let Some(s) = self.timeline.steps.get(self.step) {
            self.clock = (s.start.0 + into_step).min(s.end().0);
        }
        self.source = next.source;
        self.events = next.events;
        self.ducking = Ducking::new(next.spans, frames(DUCK_ATTACK), frames(DUCK_RELEASE));
        let clock = self.clock;
        // Events at the clock have not started yet (a held step starts on
        // its first frame): they play now.
        self.next_event = self.events.partition_point(|e| e.at < clock);
        self.step = self.step.min(self.timeline.steps.len());
        self.advance_step();
    }

    fn release_gate(&mut self) {
        self.advance_step();
        if self.holding {
            self.gate_released = true;
            self.holding = false;
            return;
        }
        if let Some(step) = self.timeline.steps.get(self.step) {
            if step.gate.is_some() && self.clock < step.end().0 {
                self.seek_to_step(self.step + 1);
            }
        }
    }

    fn seek_frame(&mut self, at: u64, step: usize) {
        self.voices.clear();
        self.next_event = self.events.partition_point(|e| e.at < at);
        for i in 0..self.next_event {
            let e = &self.events[i];
            if e.at.saturating_add(e.len) > at {
                self.start(i, at - e.at);
            }
        }
        self.clock = at;
        self.bed_pos = at;
        self.step = step;
        self.holding = false;
        self.gate_released = false;
        self.finished = false;
        if let Some(BedState {
            body: BedBody::File(f),
            ..
        }) = &mut self.bed
        {
            f.seek(at, &*self.source);
        }
    }

    /// Start event `i` at `offset` frames into its sound.
    fn start(&mut self, i: usize, offset: u64) {
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
        self.voices.push(Voice {
            body,
            file,
            pos: offset,
            len: e.len,
            gain: e.gain,
            fade_in: e.fade_in,
            fade_out: e.fade_out,
        });
    }

    /// Move `step` past finished steps, holding at an armed gate, and
    /// waiting at the start of a step whose words are not ready.
    fn advance_step(&mut self) {
        let steps = &self.timeline.steps;
        while let Some(s) = steps.get(self.step) {
            if self.clock < s.end().0 {
                break;
            }
            if s.gate.is_some() && self.shared.gates_armed() && !self.gate_released {
                self.holding = true;
                self.waiting = false;
                self.shared.set_waiting(false);
                return;
            }
            self.step += 1;
            self.gate_released = false;
        }
        self.holding = false;
        self.waiting = steps
            .get(self.step)
            .is_some_and(|s| s.speech_pending && self.clock <= s.start.0);
        self.shared.set_waiting(self.waiting);
    }

    /// Produce up to `out.len() / ch` frames, stopping early at the next
    /// event onset or gate. Returns frames produced; 0 at the end.
    fn chunk(&mut self, out: &mut [f32]) -> usize {
        let ch = self.ch;
        let mut n = (out.len() / ch) as u64;
        self.advance_step();
        if !self.holding && !self.waiting {
            let end = self.timeline.length.0;
            if self.clock >= end {
                self.finished = true;
                return 0;
            }
            while let Some(e) = self.events.get(self.next_event) {
                if e.at > self.clock {
                    n = n.min(e.at - self.clock);
                    break;
                }
                self.next_event += 1;
                self.start(self.next_event - 1, self.clock - e.at);
            }
            n = n.min(end - self.clock);
            // Armed, or with words still to come, stop at every step's
            // end, so a gate or a step without its words is never run past.
            if self.shared.gates_armed() || self.timeline.has_pending_speech() {
                if let Some(s) = self.timeline.steps.get(self.step) {
                    n = n.min(s.end().0 - self.clock);
                }
            }
        }
        let n = n as usize;
        let out = &mut out[..n * ch];
        self.write_bed(out, n);
        let (scratch, shared) = (&mut self.scratch, &self.shared);
        self.voices.retain_mut(|v| {
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
        if !self.holding && !self.waiting {
            self.clock += n as u64;
        } else {
            self.held += n as u64;
        }
        self.bed_pos += n as u64;
        n
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
