//! Decoding through rodio (symphonia): checks before opening, `probe` for
//! lengths, and `DecodedStream`, a file streamed at the session's format.

use std::fs::File;
use std::io::{BufReader, Seek};
use std::num::NonZero;
use std::path::Path;
use std::time::Duration;

use rodio::decoder::DecoderError;
use rodio::source::UniformSourceIterator;
use rodio::{Decoder, Source};

use super::{AudioError, AudioErrorKind, MAX_FILE_BYTES};
use crate::mixer::FrameStream;
use crate::timeline::{Format, Frames};

/// What `probe` learns about a sound file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileInfo {
    pub duration: Duration,
    /// The file's own rate and channel count (it is converted when played).
    pub rate: u32,
    pub channels: u16,
}

/// How much audio `probe` decodes to prove a file really decodes: a few
/// packets' worth, so a check stays fast however long the file is.
const VALIDATE_SAMPLES: usize = 16 * 1024;

/// Refuse what must not be opened, from metadata alone: a FIFO would block
/// and `/dev/zero` never ends, so neither is ever read.
fn check_metadata(path: &Path) -> Result<u64, AudioError> {
    let err = |kind| AudioError::new(path, kind);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => err(AudioErrorKind::NotFound),
        _ => err(AudioErrorKind::Io(e.to_string())),
    })?;
    if meta.is_dir() {
        return Err(err(AudioErrorKind::Directory));
    }
    if !meta.is_file() {
        return Err(err(AudioErrorKind::NotRegularFile));
    }
    match meta.len() {
        0 => Err(err(AudioErrorKind::Empty)),
        n if n > MAX_FILE_BYTES => Err(err(AudioErrorKind::TooLarge { bytes: n })),
        n => Ok(n),
    }
}

type FileDecoder = Decoder<BufReader<File>>;

fn open_decoder(path: &Path) -> Result<FileDecoder, AudioError> {
    let size = check_metadata(path)?;
    let file =
        File::open(path).map_err(|e| AudioError::new(path, AudioErrorKind::Io(e.to_string())))?;
    let mut builder = Decoder::builder()
        .with_data(BufReader::with_capacity(64 * 1024, file))
        .with_byte_len(size)
        .with_seekable(true)
        .with_gapless(true);
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        // Only a hint: a wrong extension still decodes by content.
        builder = builder.with_hint(&ext.to_ascii_lowercase());
    }
    builder.build().map_err(|e| {
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

/// For WAV, the header says exactly how much audio follows; a file shorter
/// than that was cut off (an interrupted copy or download).
fn check_wav_length(path: &Path, size: u64) -> Result<Option<Duration>, AudioError> {
    let Ok(file) = File::open(path) else {
        return Ok(None);
    };
    let mut reader = BufReader::with_capacity(4096, file);
    let Ok(wav) = hound::WavReader::new(&mut reader) else {
        // Not a WAV hound knows (or not a WAV): the decoder will judge.
        return Ok(None);
    };
    let spec = wav.spec();
    let samples = u64::from(wav.len());
    let frames = samples / u64::from(spec.channels.max(1));
    let bytes = samples * u64::from(spec.bits_per_sample).div_ceil(8);
    let data_start = reader.stream_position().unwrap_or(0);
    let actual = size.saturating_sub(data_start);
    // A writer that could not seek back (sox into a pipe) leaves the size
    // field at its maximum; such a file is not truncated, just unsized.
    let unsized_ = bytes >= u64::from(u32::MAX) - 8;
    if bytes > actual && !unsized_ {
        return Err(AudioError::new(
            path,
            AudioErrorKind::Truncated {
                expected_bytes: bytes,
                actual_bytes: actual,
            },
        ));
    }
    Ok((!unsized_ && spec.sample_rate > 0)
        .then(|| Duration::from_secs_f64(frames as f64 / f64::from(spec.sample_rate))))
}

/// Check that `path` is audio kindly can play and measure it, before
/// anything plays. Bounded work: metadata first, then the header and a few
/// packets; only a file whose length no header states is decoded to the
/// end to count its frames.
pub fn probe(path: &Path) -> Result<FileInfo, AudioError> {
    let size = check_metadata(path)?;
    let wav_duration = check_wav_length(path, size)?;
    let mut decoder = open_decoder(path)?;
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
}

impl DecodedStream {
    pub(crate) fn open(
        path: &Path,
        format: Format,
        from_frame: Frames,
    ) -> Result<DecodedStream, AudioError> {
        let mut decoder = open_decoder(path)?;
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
        Ok(DecodedStream {
            inner,
            from,
            to: usize::from(format.channels.max(1)),
            frame: vec![0.0; from],
        })
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
