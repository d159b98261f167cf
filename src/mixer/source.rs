//! The seam between the pure mixer and the files it plays.
//!
//! The mixer never opens a file itself: it asks a `SoundSource` for a
//! stream. The real source (in `audio`) decodes files; tests use an
//! in-memory fake, so every mixer test is exact and needs no disk.

use crate::audio::AudioError;
use crate::session::SoundRef;
use crate::timeline::Frames;

/// Interleaved frames already at the mixer's rate and channel count.
pub trait FrameStream: Send {
    /// Fill `out` from the front with whole frames; return how many samples
    /// were written (a multiple of the channel count). Fewer than
    /// `out.len()` means the stream has ended.
    fn read(&mut self, out: &mut [f32]) -> usize;

    /// Whether the stream ended because reading failed (a file damaged or
    /// changed mid-session), not because the sound was over.
    fn failed(&self) -> bool {
        false
    }
}

/// Opens the file sounds of a timeline, at the mixer's format.
pub trait SoundSource: Send + Sync {
    /// A stream of `sound` starting `from_frame` frames into it.
    fn open(
        &self,
        sound: &SoundRef,
        from_frame: Frames,
    ) -> Result<Box<dyn FrameStream>, AudioError>;

    /// The length of `sound` in frames at the mixer's rate, when known.
    /// Fades out and seeking depend on it.
    fn frames(&self, sound: &SoundRef) -> Option<Frames>;
}

/// A source with no files at all: for sessions made only of built-in sounds.
pub struct NoFiles;

impl SoundSource for NoFiles {
    fn open(
        &self,
        sound: &SoundRef,
        _from_frame: Frames,
    ) -> Result<Box<dyn FrameStream>, AudioError> {
        let path = match sound {
            SoundRef::File(p) => p.clone(),
            other => other.to_string().into(),
        };
        Err(AudioError::new(
            &path,
            crate::audio::AudioErrorKind::NotFound,
        ))
    }

    fn frames(&self, _sound: &SoundRef) -> Option<Frames> {
        None
    }
}
