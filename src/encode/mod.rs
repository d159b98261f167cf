//! Encoders `kindly render` writes blocks of mixed samples into: WAV, FLAC,
//! Ogg Vorbis and MP3, each in its own file behind one trait.
//!
//! An encoder is fed as the mixer fills, so a session is mixed and encoded
//! in one pass with memory flat in its length: no temporary WAV. Headers
//! that can only be completed at the end (FLAC's STREAMINFO, MP3's Xing
//! frame) are patched in place when the output can seek, and left in their
//! valid "unknown" form on a pipe.

mod flac;
mod id3;
mod mp3;
mod vorbis;
mod wav;

use std::fmt;
use std::io::{self, Seek, SeekFrom, Write};
use std::time::Duration;

pub use wav::{encode, wav_header, SampleFormat};

/// The container and codec of a rendered file; also `render --format`'s
/// values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    Wav,
    Flac,
    Ogg,
    Mp3,
}

impl FileFormat {
    pub const ALL: [FileFormat; 4] = [
        FileFormat::Wav,
        FileFormat::Flac,
        FileFormat::Ogg,
        FileFormat::Mp3,
    ];

    /// The name on the command line, which is also the file extension.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Wav => "wav",
            FileFormat::Flac => "flac",
            FileFormat::Ogg => "ogg",
            FileFormat::Mp3 => "mp3",
        }
    }

    /// The format a file name's extension says, case-insensitively.
    /// `.oga` is Ogg audio's registered extension.
    pub fn from_extension(ext: &str) -> Option<FileFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "wav" | "wave" => Some(FileFormat::Wav),
            "flac" => Some(FileFormat::Flac),
            "ogg" | "oga" => Some(FileFormat::Ogg),
            "mp3" => Some(FileFormat::Mp3),
            _ => None,
        }
    }

    /// The name people know it by, for messages.
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Wav => "WAV",
            FileFormat::Flac => "FLAC",
            FileFormat::Ogg => "Ogg Vorbis",
            FileFormat::Mp3 => "MP3",
        }
    }

    /// `wav, flac, ogg, mp3`, for messages.
    pub fn list() -> String {
        FileFormat::ALL.map(FileFormat::name).join(", ")
    }

    /// The `--quality` scale, when the format has one: (lowest, highest,
    /// default). WAV and FLAC are lossless and have none.
    pub fn quality_range(self) -> Option<(f32, f32, f32)> {
        match self {
            // oggenc's scale: -1 (smallest) to 10 (best). 2 is about
            // 96 kbit/s stereo, clean for voice, bells and beds, and keeps
            // a 20-minute session with a noise bed near 14 MB (3 was 16.7).
            FileFormat::Ogg => Some((-1.0, 10.0, 2.0)),
            // LAME's -V: 0 (best) to 9 (smallest); -V 5 is about 130 kbit/s.
            FileFormat::Mp3 => Some((0.0, 9.0, 5.0)),
            FileFormat::Wav | FileFormat::Flac => None,
        }
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Words that travel with the audio.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags {
    pub title: String,
    pub artist: String,
    pub album: String,
    /// The session's summary.
    pub comment: Option<String>,
    /// Who wrote the session and what made the audio.
    pub credits: Option<String>,
    pub chapters: Vec<Chapter>,
    /// The whole session, for chapters' end times.
    pub length: Duration,
}

/// A mark at a step's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub start: Duration,
    pub name: String,
}

impl Tags {
    /// Vorbis comments (Ogg and FLAC), chapters in the form players and
    /// ffmpeg read: `CHAPTER001=00:01:02.500`, `CHAPTER001NAME=...`.
    pub fn vorbis_comments(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("TITLE".to_owned(), self.title.clone()),
            ("ARTIST".to_owned(), self.artist.clone()),
            ("ALBUM".to_owned(), self.album.clone()),
        ];
        if let Some(c) = &self.comment {
            out.push(("COMMENT".to_owned(), c.clone()));
            out.push(("DESCRIPTION".to_owned(), c.clone()));
        }
        if let Some(c) = &self.credits {
            out.push(("CREDITS".to_owned(), c.clone()));
        }
        for (i, ch) in self.chapters.iter().enumerate() {
            let n = i + 1;
            out.push((
                format!("CHAPTER{n:03}"),
                crate::duration::hms_millis(ch.start),
            ));
            out.push((format!("CHAPTER{n:03}NAME"), ch.name.clone()));
        }
        out
    }
}

/// `HH:MM:SS.mmm`.
/// What to write, beyond the samples' own rate and channels.
#[derive(Debug, Clone)]
pub struct Spec {
    pub format: FileFormat,
    pub rate: u32,
    pub channels: u16,
    /// WAV's sample format; FLAC takes its bit depth from it (16 or 24).
    pub sample: SampleFormat,
    /// On the format's own scale (`FileFormat::quality_range`); `None` is its default.
    pub quality: Option<f32>,
    pub tags: Tags,
    /// The frames that will be written: the WAV header and FLAC's
    /// STREAMINFO carry it up front.
    pub frames: u64,
    /// Seeds Ogg's stream serial, so the same session renders the same bytes.
    pub serial: u32,
}

impl Spec {
    /// `format` without tags; rate, channels and length are the mixer's,
    /// filled in by `render`.
    pub fn new(format: FileFormat, sample: SampleFormat) -> Spec {
        Spec {
            format,
            rate: 48_000,
            channels: 2,
            sample,
            quality: None,
            tags: Tags::default(),
            frames: 0,
            serial: 0,
        }
    }
}

/// Where encoded bytes go: a file that can be patched once complete, or a
/// stream that cannot.
pub trait Output: Write {
    /// Overwrite `bytes` at `pos` from the start and go back to the end.
    /// `Ok(false)` when the output cannot seek (a pipe, a FIFO).
    fn patch(&mut self, pos: u64, bytes: &[u8]) -> io::Result<bool>;
}

/// A pipe or device: written once, front to back.
pub struct Stream<W: Write>(pub W);

impl<W: Write> Write for Stream<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Write> Output for Stream<W> {
    fn patch(&mut self, _: u64, _: &[u8]) -> io::Result<bool> {
        Ok(false)
    }
}

/// A regular file.
pub struct Seekable<F: Write + Seek>(pub F);

impl<F: Write + Seek> Write for Seekable<F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<F: Write + Seek> Output for Seekable<F> {
    fn patch(&mut self, pos: u64, bytes: &[u8]) -> io::Result<bool> {
        self.0.seek(SeekFrom::Start(pos))?;
        self.0.write_all(bytes)?;
        self.0.seek(SeekFrom::End(0))?;
        Ok(true)
    }
}

/// One format's encoder, fed interleaved blocks of whole frames.
pub trait Encoder {
    fn write(&mut self, samples: &[f32]) -> io::Result<()>;
    /// The sample format of a plain PCM writer (WAV), which takes samples
    /// already converted (`encode`) through `write_pcm`: render converts
    /// them on the mixing thread, leaving this one only the writing.
    fn pcm(&self) -> Option<SampleFormat> {
        None
    }
    /// Samples already encoded as `pcm()` says.
    fn write_pcm(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _ = bytes;
        Err(io::Error::other(
            "this encoder takes samples, not PCM bytes",
        ))
    }
    /// Flush what is buffered and complete the headers.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// Why an encoder could not start.
#[derive(Debug)]
pub enum SpecError {
    /// More audio than the format's header can describe.
    TooLong {
        bytes: u64,
    },
    /// The codec refused the settings (rate, channels, bits).
    Unsupported(String),
    Io(io::Error),
}

impl From<io::Error> for SpecError {
    fn from(e: io::Error) -> Self {
        SpecError::Io(e)
    }
}

/// The encoder for `spec`, writing into `out`; headers and tags are
/// written at once.
pub fn encoder<'a>(
    spec: &Spec,
    out: &'a mut dyn Output,
) -> Result<Box<dyn Encoder + 'a>, SpecError> {
    Ok(match spec.format {
        FileFormat::Wav => Box::new(wav::Wav::new(spec, out)?),
        FileFormat::Flac => Box::new(flac::Flac::new(spec, out)?),
        FileFormat::Ogg => Box::new(vorbis::Ogg::new(spec, out)?),
        FileFormat::Mp3 => Box::new(mp3::Mp3::new(spec, out)?),
    })
}

/// An encoder's own error as an I/O error, keeping a real I/O error's
/// kind (a closed pipe stays a broken pipe).
fn other(e: impl fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_chapter_times() {
        assert_eq!(FileFormat::from_extension("OGG"), Some(FileFormat::Ogg));
        assert_eq!(FileFormat::from_extension("oga"), Some(FileFormat::Ogg));
        assert_eq!(FileFormat::from_extension("m4a"), None);
        assert_eq!(FileFormat::list(), "wav, flac, ogg, mp3");
        assert_eq!(
            crate::duration::hms_millis(Duration::from_millis(3_723_045)),
            "01:02:03.045"
        );
    }

    #[test]
    fn vorbis_comment_chapters_are_numbered_from_one() {
        let tags = Tags {
            title: "T".into(),
            chapters: vec![
                Chapter {
                    start: Duration::ZERO,
                    name: "a".into(),
                },
                Chapter {
                    start: Duration::from_secs(61),
                    name: "b".into(),
                },
            ],
            ..Tags::default()
        };
        let c = tags.vorbis_comments();
        assert!(c.contains(&("CHAPTER002".into(), "00:01:01.000".into())));
        assert!(c.contains(&("CHAPTER002NAME".into(), "b".into())));
        assert!(c.contains(&("CHAPTER001".into(), "00:00:00.000".into())));
    }
}
