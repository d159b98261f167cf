//! `render`: a timeline through the mixer into a WAV file or stream.
//!
//! The header is written up front with exact sizes (the timeline's length
//! is known and gates are not armed while rendering), so the same code
//! writes to a pipe, which cannot seek back, and to a file. A file is
//! written beside its target under a temporary name and renamed only when
//! complete: an interrupted render never leaves a broken WAV behind.

use std::fmt;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::mixer::Mixer;
use crate::timeline::Frames;

/// Sample formats `kindly render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SampleFormat {
    #[default]
    Int16,
    Int24,
    Float32,
}

impl SampleFormat {
    pub fn bytes(self) -> u16 {
        match self {
            SampleFormat::Int16 => 2,
            SampleFormat::Int24 => 3,
            SampleFormat::Float32 => 4,
        }
    }

    /// `16`, `24` or `32f`, as the command line spells them.
    pub fn parse(s: &str) -> Option<SampleFormat> {
        match s {
            "16" => Some(SampleFormat::Int16),
            "24" => Some(SampleFormat::Int24),
            "32f" => Some(SampleFormat::Float32),
            _ => None,
        }
    }
}

impl fmt::Display for SampleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SampleFormat::Int16 => "16",
            SampleFormat::Int24 => "24",
            SampleFormat::Float32 => "32f",
        })
    }
}

#[derive(Debug)]
pub enum RenderError {
    /// More audio than a WAV file's 32-bit sizes can describe.
    TooLong { bytes: u64 },
    /// `progress` asked to stop (Ctrl-C): nothing is left under the
    /// output's name, and no temporary file either.
    Stopped,
    Io {
        path: Option<PathBuf>,
        error: io::Error,
    },
}

impl RenderError {
    /// A reader closed the pipe (`kindly render x -o - | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, RenderError::Io { error, .. } if error.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::TooLong { bytes } => write!(
                f,
                "the render would be {} MiB, over the 4 GiB a WAV file can hold; \
                 use a lower --rate or --bits 16",
                bytes >> 20
            ),
            RenderError::Io {
                path: Some(p),
                error,
            } => write!(f, "cannot write {}: {error}", p.display()),
            RenderError::Io { path: None, error } => {
                write!(f, "cannot write to standard output: {error}")
            }
            RenderError::Stopped => f.write_str("the render was stopped before it finished"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Frames mixed per `fill`: the mixer's own block, so the f32 samples are
/// still in L1 cache when they are encoded.
const MIX_FRAMES: usize = crate::mixer::BLOCK;
/// Bytes handed to the writer at once: few system calls, and small enough
/// to stay in L2 cache until the kernel copies it.
const WRITE_BYTES: usize = 512 * 1024;

/// How the caller hears of progress, and may stop a render: `Break` ends
/// it with `RenderError::Stopped`.
pub type Progress<'a> = dyn FnMut(Frames, Frames) -> ControlFlow<()> + 'a;

/// Render the rest of `mixer`'s timeline as a WAV stream into `out`,
/// calling `progress(done, total)` as it goes. Returns the frames written.
pub fn render_to_writer(
    mixer: &mut Mixer,
    format: SampleFormat,
    out: &mut dyn Write,
    progress: &mut Progress,
) -> Result<Frames, RenderError> {
    let io_err = |error| RenderError::Io { path: None, error };
    let tl = mixer.timeline().clone();
    let ch = usize::from(tl.format.channels.max(1));
    let total = tl.length - mixer.clock();
    let header = wav_header(format, tl.format.rate, ch as u16, total.0)
        .map_err(|bytes| RenderError::TooLong { bytes })?;
    out.write_all(&header).map_err(io_err)?;
    let mut mix = vec![0.0f32; MIX_FRAMES * ch];
    let bytes = usize::from(format.bytes());
    // Zeroed once; encoded blocks are written into it in place.
    let mut buf = vec![0u8; WRITE_BYTES + mix.len() * bytes];
    let mut used = 0;
    let mut done = 0u64;
    if progress(Frames(0), total).is_break() {
        return Err(RenderError::Stopped);
    }
    loop {
        let n = mixer.fill(&mut mix);
        encode(format, &mix[..n], &mut buf[used..used + n * bytes]);
        used += n * bytes;
        done += (n / ch) as u64;
        if used >= WRITE_BYTES || n < mix.len() {
            out.write_all(&buf[..used]).map_err(io_err)?;
            used = 0;
            // Asked to stop with audio still to come: stop.
            if progress(Frames(done), total).is_break() && n == mix.len() {
                return Err(RenderError::Stopped);
            }
        }
        if n < mix.len() {
            break;
        }
    }
    out.flush().map_err(io_err)?;
    if done != total.0 {
        // The header promised `total` frames; say so rather than leave a
        // file whose header lies.
        return Err(io_err(io::Error::other(format!(
            "the mixer produced {done} frames, not the {} the timeline has",
            total.0
        ))));
    }
    Ok(Frames(done))
}

/// Render into the file `path`, through a temporary file beside it that is
/// renamed over `path` only once complete. A path that is not a regular
/// file (`/dev/null`, a FIFO, a terminal) is written directly: renaming
/// over it would replace the device with a file.
pub fn render_to_path(
    mixer: &mut Mixer,
    format: SampleFormat,
    path: &Path,
    progress: &mut Progress,
) -> Result<Frames, RenderError> {
    let io_err = |error| RenderError::Io {
        path: Some(path.to_owned()),
        error,
    };
    // Errors writing are about `path`, whatever was written to.
    let mut render_into = |out: &mut dyn Write| {
        render_to_writer(mixer, format, out, progress).map_err(|e| match e {
            RenderError::Io { error, .. } => io_err(error),
            other => other,
        })
    };
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io_err)?;
        return render_into(&mut file);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".kindly-render-")
        .suffix(".wav.part")
        .tempfile_in(dir)
        .map_err(io_err)?;
    let frames = render_into(tmp.as_file_mut())?;
    readable_by_all(tmp.as_file()).map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(frames)
}

/// Temporary files are created private (0600); a rendered WAV or exported
/// sound is an ordinary file, readable like any other the user writes.
pub(crate) fn readable_by_all(file: &std::fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// A canonical WAV header for `frames` frames, or the byte count when it
/// does not fit in a WAV's 32-bit sizes.
pub fn wav_header(
    format: SampleFormat,
    rate: u32,
    channels: u16,
    frames: u64,
) -> Result<Vec<u8>, u64> {
    let bytes = format.bytes();
    let block = u32::from(channels) * u32::from(bytes);
    let data = frames * u64::from(block);
    let float = format == SampleFormat::Float32;
    // IEEE float is not PCM: its fmt chunk carries cbSize and a fact chunk
    // follows, as the format requires.
    let fmt_len: u32 = if float { 18 } else { 16 };
    let fact_len: u32 = if float { 12 } else { 0 };
    let riff = 4 + (8 + fmt_len) + fact_len + 8;
    if data + u64::from(riff) > u64::from(u32::MAX) {
        return Err(data);
    }
    let mut h = Vec::with_capacity(64);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(riff + data as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&fmt_len.to_le_bytes());
    h.extend_from_slice(&(if float { 3u16 } else { 1u16 }).to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&(rate * block).to_le_bytes());
    h.extend_from_slice(&(block as u16).to_le_bytes());
    h.extend_from_slice(&(bytes * 8).to_le_bytes());
    if float {
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(b"fact");
        h.extend_from_slice(&4u32.to_le_bytes());
        h.extend_from_slice(&(frames as u32).to_le_bytes());
    }
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(data as u32).to_le_bytes());
    Ok(h)
}

/// Samples to little-endian bytes. Rounding is to nearest, without dither:
/// the mix is deterministic, so the same session renders the same bytes.
/// The limiter keeps samples within -1 dBFS; the casts saturate anyway.
pub(crate) fn encode(format: SampleFormat, samples: &[f32], out: &mut [u8]) {
    match format {
        SampleFormat::Int16 => {
            // Eight samples at a time in fixed-size arrays: the compiler
            // turns this into vector converts and packs.
            let mut s8 = samples.chunks_exact(8);
            let mut o8 = out.chunks_exact_mut(16);
            for (s, o) in (&mut s8).zip(&mut o8) {
                let mut b = [0u8; 16];
                for i in 0..8 {
                    let v = to_i16(s[i]);
                    b[2 * i..2 * i + 2].copy_from_slice(&v.to_le_bytes());
                }
                o.copy_from_slice(&b);
            }
            for (s, o) in s8
                .remainder()
                .iter()
                .zip(o8.into_remainder().chunks_exact_mut(2))
            {
                o.copy_from_slice(&to_i16(*s).to_le_bytes());
            }
        }
        SampleFormat::Int24 => {
            for (s, o) in samples.iter().zip(out.chunks_exact_mut(3)) {
                let v = round(s * 8_388_607.0).clamp(-8_388_608, 8_388_607);
                o.copy_from_slice(&v.to_le_bytes()[..3]);
            }
        }
        SampleFormat::Float32 => {
            for (s, o) in samples.iter().zip(out.chunks_exact_mut(4)) {
                o.copy_from_slice(&s.to_le_bytes());
            }
        }
    }
}

/// Scale to 16 bits, saturate, round to nearest (ties to even). The
/// rounding is the float "magic number" trick: adding 1.5 * 2^23 leaves the
/// rounded integer in the low mantissa bits. Pure arithmetic and bit
/// operations, so it vectorises; a saturating `as` cast does not, because
/// of its NaN rule (the limiter has already turned NaN into silence).
#[inline]
fn to_i16(s: f32) -> i16 {
    const MAGIC: f32 = 12_582_912.0;
    let v = (s * 32767.0).clamp(-32768.0, 32767.0) + MAGIC;
    (v.to_bits() as i32 - MAGIC.to_bits() as i32) as i16
}

/// Round half away from zero with a truncating cast: branch-free and
/// vectorisable (`f32::round` is a libm call on baseline x86-64).
#[inline]
fn round(v: f32) -> i32 {
    (v + 0.5f32.copysign(v)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_and_encoding() {
        assert_eq!(round(0.49), 0);
        assert_eq!(round(0.5), 1);
        assert_eq!(round(-0.5), -1);
        assert_eq!(round(-1.6), -2);
        let mut b = [0u8; 6];
        encode(SampleFormat::Int16, &[1.0, -1.0, 0.0], &mut b);
        assert_eq!(b, [0xff, 0x7f, 0x01, 0x80, 0, 0]);
        // The vector path and the remainder agree; out-of-range saturates.
        let s: Vec<f32> = (0..11).map(|i| i as f32 / 4.0 - 1.5).collect();
        let mut b = [0u8; 22];
        encode(SampleFormat::Int16, &s, &mut b);
        let back: Vec<i16> = b
            .chunks(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        let expect: Vec<i16> = s
            .iter()
            .map(|x| (x * 32767.0).round().clamp(-32768.0, 32767.0) as i16)
            .collect();
        assert_eq!(back, expect);
        let mut b = [0u8; 6];
        encode(SampleFormat::Int24, &[1.0, -1.0], &mut b);
        assert_eq!(b, [0xff, 0xff, 0x7f, 0x01, 0x00, 0x80]);
    }

    #[test]
    fn header_sizes() {
        let h = wav_header(SampleFormat::Int16, 48_000, 2, 10).unwrap();
        assert_eq!(h.len(), 44);
        assert_eq!(&h[4..8], &(36u32 + 40).to_le_bytes());
        let h = wav_header(SampleFormat::Float32, 8_000, 1, 3).unwrap();
        assert_eq!(h.len(), 58);
        assert!(wav_header(SampleFormat::Float32, 192_000, 2, 192_000 * 3600 * 2).is_err());
    }
}
