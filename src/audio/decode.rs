//! Decoding through rodio (symphonia): checks before opening, `probe` for
//! lengths, and `DecodedStream`, a file streamed at the session's format.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::num::NonZero;
use std::path::Path;
use std::time::Duration;

use rodio::decoder::DecoderError;
use rodio::source::UniformSourceIterator;
use rodio::{Decoder, Source};

use super::wav::{self, WavFault};
use super::{AudioError, AudioErrorKind, MAX_FILE_BYTES};
use crate::contain;
use crate::mixer::FrameStream;
use crate::safe_file::{open_regular, OpenError};
use crate::timeline::{Format, Frames};

/// What `probe` learns about a sound file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileInfo {
    pub duration: Duration,
    /// The file's own rate and channel count (it is converted when played).
    pub rate: u32,
    pub channels: u16,
}

/// How much audio `probe` decodes to prove a file really decodes: a few
/// packets' worth, so a check stays fast however long the file is.
const VALIDATE_SAMPLES: usize = 16 * 1024;

/// Open `path` as a regular file of a size kindly reads, judged on the
/// descriptor (see `safe_file`): a FIFO or `/dev/zero` is never read, even
/// one swapped in since the file was last checked.
fn open_file(path: &Path) -> Result<(File, u64), AudioError> {
    let err = |kind| AudioError::new(path, kind);
    let (file, len) = open_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        OpenError::NotFound => err(AudioErrorKind::NotFound),
        OpenError::Directory => err(AudioErrorKind::Directory),
        OpenError::NotRegular => err(AudioErrorKind::NotRegularFile),
        OpenError::TooLarge { bytes, .. } => err(AudioErrorKind::TooLarge { bytes }),
        OpenError::Io(e) => err(AudioErrorKind::Io(e.to_string())),
    })?;
    if len == 0 {
        return Err(err(AudioErrorKind::Empty));
    }
    Ok((file, len))
}

type FileDecoder = Decoder<BufReader<File>>;

/// A panic inside a decoder, as a person reads it: the file is damaged.
fn panicked(path: &Path, message: &str) -> AudioError {
    AudioError::new(
        path,
        AudioErrorKind::Corrupt(format!("the decoder failed on it ({message})")),
    )
}

/// Check the header of a WAV file (anything else passes untouched) and
/// return its length from the sizes there. Refuses what would crash a
/// decoder, and tells a cut-off file from one written into a pipe.
fn check_wav(path: &Path, file: &mut File, size: u64) -> Result<Option<Duration>, AudioError> {
    let mut head = Vec::with_capacity(wav::HEAD_BYTES);
    file.by_ref()
        .take(wav::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| AudioError::new(path, AudioErrorKind::Io(e.to_string())))?;
    file.rewind()
        .map_err(|e| AudioError::new(path, AudioErrorKind::Io(e.to_string())))?;
    let header = match wav::parse(&head) {
        Ok(h) => h,
        Err(WavFault::NotWav) => return Ok(None),
        Err(WavFault::Bad(why)) => {
            return Err(AudioError::new(path, AudioErrorKind::Corrupt(why)));
        }
    };
    let bytes = header.audio_bytes(size).map_err(|(expected, actual)| {
        AudioError::new(
            path,
            AudioErrorKind::Truncated {
                expected_bytes: expected,
                actual_bytes: actual,
            },
        )
    })?;
    let frames = header.frames(bytes);
    Ok(Some(Duration::from_secs_f64(
        frames as f64 / f64::from(header.rate),
    )))
}

/// Build a decoder over an opened file, inside `contain::catch`.
fn decoder_for(path: &Path, file: File, size: u64) -> Result<FileDecoder, AudioError> {
    let mut builder = Decoder::builder()
        .with_data(BufReader::with_capacity(64 * 1024, file))
        .with_byte_len(size)
        .with_seekable(true)
        .with_gapless(true);
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        // Only a hint: a wrong extension still decodes by content.
        builder = builder.with_hint(&ext.to_ascii_lowercase());
    }
    let built = contain::catch(move || builder.build()).map_err(|m| panicked(path, &m))?;
    built.map_err(|e| {
        let kind = match e {
            DecoderError::UnrecognizedFormat | DecoderError::NoStreams => AudioErrorKind::NotAudio,
            DecoderError::IoError(msg) if msg.contains("end of stream") => {
                AudioErrorKind::Corrupt("it ends before its first sound".to_owned())
            }
            DecoderError::IoError(msg) => AudioErrorKind::Io(msg),
            other => AudioErrorKind::Corrupt(other.to_string()),
        };
        AudioError::new(path, kind)
    })
}

/// Open, check the header, and build a decoder, all on one descriptor.
fn open_decoder(path: &Path) -> Result<(FileDecoder, Option<Duration>), AudioError> {
    let (mut file, size) = open_file(path)?;
    let wav_duration = check_wav(path, &mut file, size)?;
    Ok((decoder_for(path, file, size)?, wav_duration))
}

/// Check that `path` is audio kindly can play and measure it, before
/// anything plays. Bounded work: the header and a few packets; only a file
/// whose length no header states is decoded to the end to count its
/// frames. A WAV's length comes from kindly's own reading of its header
/// and the file's size, so an unsized WAV (written into a pipe) measures
/// what is there. A decoder that panics on the file is contained: the
/// file is reported as damaged.
pub(crate) fn probe(path: &Path) -> Result<FileInfo, AudioError> {
    let (decoder, wav_duration) = open_decoder(path)?;
    contain::catch(move || measure(path, decoder, wav_duration)).map_err(|m| panicked(path, &m))?
}

fn measure(
    path: &Path,
    mut decoder: FileDecoder,
    wav_duration: Option<Duration>,
) -> Result<FileInfo, AudioError> {
    let rate = decoder.sample_rate().get();
    let channels = decoder.channels().get();
    let header_duration = wav_duration.or(decoder.total_duration());
    let mut seen = 0usize;
    for _ in decoder.by_ref().take(VALIDATE_SAMPLES) {
        seen += 1;
    }
    if seen == 0 {
        return Err(AudioError::new(path, AudioErrorKind::Silent));
    }
    let duration = match header_duration {
        Some(d) => d,
        None => {
            // No length in any header (some MP3s): count every frame.
            let rest = decoder.count();
            let frames = (seen + rest) as u64 / u64::from(channels);
            Duration::from_secs_f64(frames as f64 / f64::from(rate))
        }
    };
    if duration.is_zero() {
        return Err(AudioError::new(path, AudioErrorKind::Silent));
    }
    Ok(FileInfo {
        duration,
        rate,
        channels,
    })
}

/// A file decoded on demand and converted to the session's format. Holds
/// one packet and the resampler's state: memory does not grow with the
/// file's length.
pub(crate) struct DecodedStream {
    inner: UniformSourceIterator<Steady>,
    from: usize,
    to: usize,
    frame: Vec<f32>,
    /// The decoder panicked: the stream has ended, and says why.
    failed: bool,
}

impl DecodedStream {
    pub(crate) fn open(
        path: &Path,
        format: Format,
        from_frame: Frames,
    ) -> Result<DecodedStream, AudioError> {
        let (decoder, _) = open_decoder(path)?;
        contain::catch(move || DecodedStream::start(decoder, format, from_frame))
            .map_err(|m| panicked(path, &m))
    }

    fn start(mut decoder: FileDecoder, format: Format, from_frame: Frames) -> DecodedStream {
        let from = usize::from(decoder.channels().get());
        if from_frame.0 > 0 {
            let at = from_frame.to_duration(format.rate);
            if decoder.try_seek(at).is_err() {
                // A file that cannot seek is read forward to the spot.
                let skip = (at.as_secs_f64() * f64::from(decoder.sample_rate().get())) as usize;
                for _ in decoder.by_ref().take(skip * from) {}
            }
        }
        let rate = NonZero::new(format.rate).unwrap_or(NonZero::<u32>::MIN);
        let channels = decoder.channels();
        // Rate conversion by rodio; channel mapping here, because rodio's
        // drops the right channel when going to mono.
        let inner = UniformSourceIterator::new(Steady(decoder), channels, rate);
        DecodedStream {
            inner,
            from,
            to: usize::from(format.channels.max(1)),
            frame: vec![0.0; from],
            failed: false,
        }
    }

    fn read_frames(&mut self, out: &mut [f32]) -> usize {
        let (from, to) = (self.from, self.to);
        if from == to {
            let mut n = 0;
            for (o, s) in out.iter_mut().zip(&mut self.inner) {
                *o = s;
                n += 1;
            }
            return n - n % to;
        }
        let mut written = 0;
        for o in out.chunks_exact_mut(to) {
            for slot in self.frame.iter_mut() {
                match self.inner.next() {
                    Some(s) => *slot = s,
                    None => return written,
                }
            }
            map_channels(&self.frame, o);
            written += to;
        }
        written
    }
}

/// A decoder presented as one endless span. rodio's converter ends the
/// whole stream when a span is empty, and a Vorbis stream's first packet
/// decodes to nothing; kindly's files keep one format throughout.
struct Steady(FileDecoder);

impl Iterator for Steady {
    type Item = f32;

    #[inline]
    fn next(&mut self) -> Option<f32> {
        self.0.next()
    }
}

impl Source for Steady {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        self.0.channels()
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        self.0.sample_rate()
    }

    fn total_duration(&self) -> Option<Duration> {
        self.0.total_duration()
    }
}

impl FrameStream for DecodedStream {
    fn read(&mut self, out: &mut [f32]) -> usize {
        if self.failed {
            return 0;
        }
        // A file changed under a session can make the decoder panic
        // mid-stream; on the audio thread that must end this sound only.
        match contain::catch(|| self.read_frames(out)) {
            Ok(n) => n,
            Err(_) => {
                self.failed = true;
                0
            }
        }
    }

    fn failed(&self) -> bool {
        self.failed
    }
}

/// One frame from `src.len()` to `out.len()` channels: mono spreads to all;
/// to mono is the average; otherwise channels map in order and any extra
/// output channels get the average.
fn map_channels(src: &[f32], out: &mut [f32]) {
    let avg = src.iter().sum::<f32>() / src.len() as f32;
    if src.len() == 1 || out.len() == 1 {
        out.fill(avg);
        return;
    }
    for (c, o) in out.iter_mut().enumerate() {
        *o = src.get(c).copied().unwrap_or(avg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_maps() {
        let mut o = [0.0; 2];
        map_channels(&[0.5], &mut o);
        assert_eq!(o, [0.5, 0.5]);
        let mut o = [0.0; 1];
        map_channels(&[1.0, 0.0], &mut o);
        assert_eq!(o, [0.5]);
        let mut o = [0.0; 3];
        map_channels(&[1.0, 0.0], &mut o);
        assert_eq!(o, [1.0, 0.0, 0.5]);
    }
}
