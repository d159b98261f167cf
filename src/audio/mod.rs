//! The edge that touches sound files: checking, measuring and decoding them.
//!
//! Everything that reads the disk for audio lives here. The mixer sees
//! files only through `FileSource`, its implementation of the mixer's
//! `SoundSource` seam.

mod decode;
mod error;
mod files;
#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
mod wav;

pub(crate) use decode::probe;
pub(crate) use error::{AudioError, AudioErrorKind};
pub(crate) use files::FileSource;

/// The largest sound file kindly reads. An hour of 48 kHz stereo 24-bit
/// WAV is under 1 GiB, so anything larger is almost surely a mistake, and
/// refusing it up front bounds the work a bad path can cause.
pub(crate) const MAX_FILE_BYTES: u64 = 2 << 30;
