//! The mixer's events: a timeline's sounds resolved to what plays, and for how long.

use std::sync::Arc;

use super::bank::Rendered;
use super::dsp::DuckSpan;
use super::{Bank, SoundSource};
use crate::session::SoundRef;
use crate::timeline::{Frames, Timeline};

/// One audio event, resolved to what plays.
pub(super) struct Event {
    pub(super) at: u64,
    pub(super) sound: Sound,
    pub(super) len: u64,
    pub(super) gain: f32,
    pub(super) fade_in: u64,
    pub(super) fade_out: u64,
}

pub(super) enum Sound {
    /// A built-in sound, perhaps still rendering.
    Buffer {
        data: Rendered,
        channels: usize,
    },
    File(SoundRef),
    /// Neither rendered nor a file (a bank without it): plays nothing.
    Missing,
}

/// What plays for `sound`, and for how many frames.
pub(super) fn resolve(
    sound: &SoundRef,
    bank: &Bank,
    source: &dyn SoundSource,
    ch: usize,
) -> (Sound, u64) {
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
pub(super) fn events_for(
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
    // order stable so sounds always sum in the same order.
    events.sort_by_key(|e| e.at);
    (events, spans)
}

/// A timeline that replaces the one playing, with its events resolved off
/// the audio thread: a step's words have arrived. Only steps not started
/// yet may differ from the timeline it replaces.
pub struct Replacement {
    pub(super) timeline: Arc<Timeline>,
    pub(super) source: Arc<dyn SoundSource>,
    pub(super) events: Vec<Event>,
    pub(super) spans: Vec<DuckSpan>,
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
