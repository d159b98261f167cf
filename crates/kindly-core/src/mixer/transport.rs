//! The mixer's transport: which step plays, gates and their release, waits
//! for words still being made, seeking, and where each block must stop.
//!
//! It moves the timeline clock and decides how many frames a block may
//! have; the signal path (`signal.rs`) makes them. Keeping the two apart
//! means a change to step or gate bookkeeping cannot touch a sample.

use std::sync::Arc;
use std::time::Duration;

use super::bed::BedBody;
use super::dsp::Ducking;
use super::events::Replacement;
use super::signal::BedState;
use super::{Mixer, DUCK_ATTACK, DUCK_RELEASE};
use crate::timeline::Frames;

impl Mixer {
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

    /// Take the handle's pending requests (a seek, a released gate) now,
    /// and publish the position they lead to: for an output that has
    /// stopped pulling frames and must know where it will start again.
    pub fn apply_controls(&mut self) {
        self.take_requests();
        self.publish();
    }

    /// Tell the handle where the mixer is.
    pub(super) fn publish(&self) {
        self.shared
            .publish(self.clock, self.held, self.holding, self.finished);
    }

    pub(super) fn take_requests(&mut self) {
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
    pub(super) fn replace(&mut self, next: Replacement) {
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

    pub(super) fn release_gate(&mut self) {
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

    pub(super) fn seek_frame(&mut self, at: u64, step: usize) {
        self.playing.clear();
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

    /// Move `step` past finished steps, holding at an armed gate, and
    /// waiting at the start of a step whose words are not ready.
    pub(super) fn advance_step(&mut self) {
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

    /// How many of the `n` frames asked for the next block may have:
    /// stopping at the next event onset, the end, and (armed, or with words
    /// still to come) the end of the step. Starts the sounds due now.
    /// `None` once the timeline has ended.
    pub(super) fn plan_block(&mut self, mut n: u64) -> Option<u64> {
        self.advance_step();
        if !self.holding && !self.waiting {
            let end = self.timeline.length.0;
            if self.clock >= end {
                self.finished = true;
                return None;
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
        Some(n)
    }

    /// Count `n` frames made: on the timeline, or as time held at a gate
    /// or waiting for words, while the bed goes on.
    pub(super) fn advance_clock(&mut self, n: u64) {
        if !self.holding && !self.waiting {
            self.clock += n;
        } else {
            self.held += n;
        }
        self.bed_pos += n;
    }
}
