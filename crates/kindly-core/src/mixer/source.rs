//! The seam between the pure mixer and the files it plays.
//!
//! The mixer never opens a file itself: it asks a `SoundSource` for a
//! stream. The real source (the binary's `audio`) decodes files; tests use
//! an in-memory fake, so every mixer test is exact and needs no disk.

use crate::session::SoundRef;
use crate::timeline::Frames;
use std::fmt;

/// Why a source could not open a sound. The mixer only needs to know that
/// it failed (it leaves the sound out and notes it); the source's own error,
/// with its words for a person, travels inside for whoever wants it.
pub type OpenError = Box<dyn std::error::Error + Send + Sync>;

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
    fn open(&self, sound: &SoundRef, from_frame: Frames)
        -> Result<Box<dyn FrameStream>, OpenError>;

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
    ) -> Result<Box<dyn FrameStream>, OpenError> {
        Err(Box::new(NotAFile(sound.to_string())))
    }

    fn frames(&self, _sound: &SoundRef) -> Option<Frames> {
        None
    }
}

/// What `NoFiles` says when asked for a file.
#[derive(Debug)]
struct NotAFile(String);

impl fmt::Display for NotAFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: this session has no sound files", self.0)
    }
}

impl std::error::Error for NotAFile {}
