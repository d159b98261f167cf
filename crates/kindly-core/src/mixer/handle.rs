//! `MixerHandle`: live controls for a mixer running on the audio thread.
//!
//! The UI and the audio callback share only atomics: requests are written
//! here and the mixer takes them at its next block boundary; the mixer
//! publishes its position and state back after every block. No locks, no
//! allocation, so the audio thread never waits on the UI.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::Replacement;
use crate::session::{Gain, SoundRef};
use crate::timeline::Frames;

const NO_SEEK: u64 = u64::MAX;

#[derive(Debug)]
pub(crate) struct Shared {
    position: AtomicU64,
    /// Frames produced while the timeline stood still, since the start.
    held: AtomicU64,
    seek: AtomicU64,
    paused: AtomicBool,
    volume: AtomicU32,
    release: AtomicBool,
    gates_armed: AtomicBool,
    finished: AtomicBool,
    holding: AtomicBool,
    /// A file that could not be opened when its time came, for the play
    /// loop to mention. Set with `try_lock`: the audio thread never waits.
    failed: Mutex<Option<SoundRef>>,
    /// A timeline to switch to at the next block (its words arrived).
    /// Taken with `try_lock`: the audio thread never waits.
    replacement: Mutex<Option<Box<Replacement>>>,
    replaced: AtomicBool,
    waiting: AtomicBool,
}

impl Shared {
    pub(crate) fn new() -> Shared {
        Shared {
            position: AtomicU64::new(0),
            held: AtomicU64::new(0),
            seek: AtomicU64::new(NO_SEEK),
            paused: AtomicBool::new(false),
            volume: AtomicU32::new(1.0f32.to_bits()),
            release: AtomicBool::new(false),
            gates_armed: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            holding: AtomicBool::new(false),
            failed: Mutex::new(None),
            replacement: Mutex::new(None),
            replaced: AtomicBool::new(false),
            waiting: AtomicBool::new(false),
        }
    }

    // The mixer's side.

    /// Take `other`'s volume, pause and armed gates: a forked mixer plays
    /// as the one it was forked from.
    pub(crate) fn copy_settings(&self, other: &Shared) {
        let volume = other.volume.load(Ordering::Relaxed);
        self.volume.store(volume, Ordering::Relaxed);
        self.paused.store(other.paused(), Ordering::Release);
        self.gates_armed
            .store(other.gates_armed(), Ordering::Relaxed);
    }

    pub(crate) fn take_seek(&self) -> Option<usize> {
        match self.seek.swap(NO_SEEK, Ordering::AcqRel) {
            NO_SEEK => None,
            step => Some(step as usize),
        }
    }

    pub(crate) fn take_release(&self) -> bool {
        self.release.swap(false, Ordering::AcqRel)
    }

    pub(crate) fn paused(&self) -> bool {
        self.paused.load(Ordering::Acquire)
    }

    pub(crate) fn volume(&self) -> f32 {
        f32::from_bits(self.volume.load(Ordering::Relaxed))
    }

    pub(crate) fn gates_armed(&self) -> bool {
        self.gates_armed.load(Ordering::Relaxed)
    }

    /// `sound` could not be opened and is left out.
    pub(crate) fn note_failed(&self, sound: &SoundRef) {
        if let Ok(mut failed) = self.failed.try_lock() {
            *failed = Some(sound.clone());
        }
    }

    /// The replacement timeline, if one is waiting and the lock is free.
    pub(crate) fn take_replacement(&self) -> Option<Box<Replacement>> {
        if !self.replaced.load(Ordering::Acquire) {
            return None;
        }
        let mut slot = self.replacement.try_lock().ok()?;
        self.replaced.store(false, Ordering::Release);
        slot.take()
    }

    pub(crate) fn set_waiting(&self, waiting: bool) {
        self.waiting.store(waiting, Ordering::Relaxed);
    }

    pub(crate) fn publish(&self, position: u64, held: u64, holding: bool, finished: bool) {
        self.held.store(held, Ordering::Relaxed);
        self.holding.store(holding, Ordering::Relaxed);
        self.finished.store(finished, Ordering::Relaxed);
        self.position.store(position, Ordering::Release);
    }
}

/// Cloneable remote control of one `Mixer`.
#[derive(Debug, Clone)]
pub struct MixerHandle {
    pub(crate) shared: Arc<Shared>,
}

impl MixerHandle {
    /// The timeline frame the mixer has produced so far. Advances once per
    /// block; stands still while paused or held at a gate.
    pub fn position(&self) -> Frames {
        Frames(self.shared.position.load(Ordering::Acquire))
    }

    /// How long the timeline has stood still so far, held at gates or
    /// waiting for words, in frames the mixer produced meanwhile: a
    /// person's time at a reflect step, which the session's clock counts.
    pub fn held(&self) -> Frames {
        Frames(self.shared.held.load(Ordering::Relaxed))
    }

    /// Jump to the start of step `index` (past the last step: the end).
    /// Sounds still ringing at that point are picked up where they would be.
    pub fn seek_to_step(&self, index: usize) {
        self.shared.seek.store(index as u64, Ordering::Release);
    }

    /// Paused: the mixer outputs silence and the timeline stands still;
    /// resuming continues at exactly the same frame.
    pub fn set_paused(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::Release);
    }

    /// Master volume; the mixer ramps to it over a few milliseconds.
    pub fn set_volume(&self, volume: Gain) {
        self.shared
            .volume
            .store(volume.get().to_bits(), Ordering::Relaxed);
    }

    pub fn volume(&self) -> Gain {
        Gain::new_clamped(self.shared.volume())
    }

    /// Armed (interactive play): the timeline holds at the end of a gated
    /// step until `release_gate`. Unarmed (render): gates are just the
    /// compiled pause.
    pub fn set_gates_armed(&self, armed: bool) {
        self.shared.gates_armed.store(armed, Ordering::Relaxed);
    }

    /// Go on from a gate: at the end of a gated step, continue; inside a
    /// gated step before its end, jump to the next step. Otherwise nothing.
    pub fn release_gate(&self) {
        self.shared.release.store(true, Ordering::Release);
    }

    /// True while the timeline is held at the end of a gated step.
    pub fn holding(&self) -> bool {
        self.shared.holding.load(Ordering::Relaxed)
    }

    /// A sound file that could not be opened when its time came (it was
    /// checked before play began, so it changed since), once; it was
    /// left out and the session went on.
    pub fn take_failed(&self) -> Option<SoundRef> {
        self.shared.failed.lock().ok()?.take()
    }

    /// Switch to `next` at the next block: the same session with more of
    /// its words ready. A replacement not yet taken is superseded.
    pub fn replace(&self, next: Replacement) {
        if let Ok(mut slot) = self.shared.replacement.lock() {
            *slot = Some(Box::new(next));
            self.shared.replaced.store(true, Ordering::Release);
        }
    }

    /// True while the mixer waits at the start of a step for its words.
    pub fn waiting_for_words(&self) -> bool {
        self.shared.waiting.load(Ordering::Relaxed)
    }

    /// True once the whole timeline, tail fade included, has been produced.
    pub fn finished(&self) -> bool {
        self.shared.finished.load(Ordering::Acquire)
    }
}
