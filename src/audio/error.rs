//! `AudioError`: why a sound file cannot be used, said so a person can act on it.

use std::fmt;
use std::path::{Path, PathBuf};

/// The formats kindly decodes, named in every "cannot read" message.
const FORMATS: &str = "WAV, FLAC, Ogg Vorbis, MP3";

/// A sound file kindly cannot use: what is wrong, which file, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AudioError {
    pub path: PathBuf,
    pub kind: AudioErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AudioErrorKind {
    NotFound,
    Directory,
    /// A FIFO, a device (`/dev/zero`), a socket: reading could block forever
    /// or never end, so it is refused from its metadata alone.
    NotRegularFile,
    Empty,
    TooLarge {
        bytes: u64,
    },
    /// Opening or reading failed (permissions, I/O errors).
    Io(String),
    /// No decoder recognises the bytes.
    NotAudio,
    /// The header promises more audio than the file holds.
    Truncated {
        expected_bytes: u64,
        actual_bytes: u64,
    },
    /// Recognised, but decoding failed.
    Corrupt(String),
    /// Decodes, but holds no audio frames.
    Silent,
}

impl AudioError {
    pub(crate) fn new(path: &Path, kind: AudioErrorKind) -> AudioError {
        AudioError {
            path: path.to_owned(),
            kind,
        }
    }

    /// What a person can do about it.
    pub(crate) fn hint(&self) -> String {
        let name = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "sound".to_owned());
        let convert = format!(
            "convert it with `sox {} {name}-converted.wav`",
            self.path.display()
        );
        match &self.kind {
            AudioErrorKind::NotFound => {
                "check the path; it is relative to the session file's folder".to_owned()
            }
            AudioErrorKind::Directory => "name a sound file inside the folder".to_owned(),
            AudioErrorKind::NotRegularFile => {
                "copy the audio into a regular file and name that file".to_owned()
            }
            AudioErrorKind::Empty | AudioErrorKind::Silent => {
                "export the sound again, or name a different file".to_owned()
            }
            AudioErrorKind::TooLarge { .. } => format!(
                "kindly reads files up to {} GiB; shorten it or lower its quality, e.g. {convert}",
                super::MAX_FILE_BYTES >> 30
            ),
            AudioErrorKind::Io(_) => "check the file's permissions and the disk".to_owned(),
            AudioErrorKind::NotAudio => {
                format!("kindly reads {FORMATS}; if this is audio in another format, {convert}")
            }
            AudioErrorKind::Truncated { .. } | AudioErrorKind::Corrupt(_) => {
                format!("the file looks damaged; copy or export it again, or {convert}")
            }
        }
    }
}

impl fmt::Display for AudioErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioErrorKind::NotFound => f.write_str("no such file"),
            AudioErrorKind::Directory => f.write_str("this is a folder, not a sound file"),
            AudioErrorKind::NotRegularFile => {
                f.write_str("not a regular file (a pipe, device or socket)")
            }
            AudioErrorKind::Empty => f.write_str("the file is empty"),
            AudioErrorKind::TooLarge { bytes } => {
                write!(f, "the file is too large ({} MiB)", bytes >> 20)
            }
            AudioErrorKind::Io(e) => write!(f, "cannot read it: {e}"),
            AudioErrorKind::NotAudio => write!(f, "not an audio file kindly can read ({FORMATS})"),
            AudioErrorKind::Truncated {
                expected_bytes,
                actual_bytes,
            } => write!(
                f,
                "the file is truncated: its header promises {expected_bytes} bytes of audio, \
                 but only {actual_bytes} are there"
            ),
            AudioErrorKind::Corrupt(e) => write!(f, "the audio is damaged: {e}"),
            AudioErrorKind::Silent => f.write_str("the file holds no audio"),
        }
    }
}

impl fmt::Display for AudioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\n  hint: {}",
            self.path.display(),
            self.kind,
            self.hint()
        )
    }
}

impl std::error::Error for AudioError {}
