//! WAV: a canonical header with exact sizes up front, then samples as
//! little-endian PCM or float, so the same bytes go to a pipe and a file.

use std::fmt;
use std::io;

use super::{Encoder, Output, Spec, SpecError};

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

/// Bytes handed to the output at once: few system calls, and small enough
/// to stay in L2 cache until the kernel copies it.
const WRITE_BYTES: usize = 512 * 1024;

pub(super) struct Wav<'a> {
    out: &'a mut dyn Output,
    format: SampleFormat,
    buf: Vec<u8>,
    used: usize,
}

impl<'a> Wav<'a> {
    pub(super) fn new(spec: &Spec, out: &'a mut dyn Output) -> Result<Wav<'a>, SpecError> {
        let header = wav_header(spec.sample, spec.rate, spec.channels, spec.frames)
            .map_err(|bytes| SpecError::TooLong { bytes })?;
        out.write_all(&header)?;
        Ok(Wav {
            out,
            format: spec.sample,
            // Zeroed once; encoded blocks are written into it in place.
            buf: vec![0u8; WRITE_BYTES],
            used: 0,
        })
    }
}

impl Encoder for Wav<'_> {
    fn write(&mut self, samples: &[f32]) -> io::Result<()> {
        let bytes = usize::from(self.format.bytes());
        let need = samples.len() * bytes;
        if self.used + need > self.buf.len() {
            self.out.write_all(&self.buf[..self.used])?;
            self.used = 0;
            if need > self.buf.len() {
                self.buf.resize(need, 0);
            }
        }
        encode(
            self.format,
            samples,
            &mut self.buf[self.used..self.used + need],
        );
        self.used += need;
        Ok(())
    }

    fn pcm(&self) -> Option<SampleFormat> {
        Some(self.format)
    }

    fn write_pcm(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.used > 0 {
            self.out.write_all(&self.buf[..self.used])?;
            self.used = 0;
        }
        self.out.write_all(bytes)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let this = *self;
        this.out.write_all(&this.buf[..this.used])?;
        this.out.flush()
    }
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
pub fn encode(format: SampleFormat, samples: &[f32], out: &mut [u8]) {
    match format {
        SampleFormat::Int16 => {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has just been asked and has AVX2.
                unsafe { encode_i16_avx2(samples, out) };
                return;
            }
            encode_i16(samples, out);
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

/// The 16-bit conversion in AVX2, chosen at run time (the build targets
/// baseline x86-64). Written with intrinsics because the compiler's own
/// vectorisation of `encode_i16` spends most of its time shuffling bytes
/// into place: here sixteen samples are scaled, clamped, rounded and
/// packed with saturation in a handful of instructions, and stored as one
/// 32-byte write. It makes exactly `encode_i16`'s bytes: both round half
/// to even (the magic-number add there, the default MXCSR mode here),
/// both clamp to the 16-bit range first, and not-a-number is made 0 as
/// the magic-number arithmetic makes it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn encode_i16_avx2(samples: &[f32], out: &mut [u8]) {
    use std::arch::x86_64::*;
    let n = samples.len().min(out.len() / 2);
    let whole = n / 16 * 16;
    let scale = _mm256_set1_ps(32767.0);
    let lo = _mm256_set1_ps(-32768.0);
    let hi = _mm256_set1_ps(32767.0);
    // Eight samples from `p`, as 32-bit integers.
    macro_rules! eight {
        ($p:expr) => {{
            let x = _mm256_mul_ps(_mm256_loadu_ps($p), scale);
            // Not-a-number compares unordered with itself: those lanes go to 0.
            let x = _mm256_and_ps(x, _mm256_cmp_ps::<_CMP_ORD_Q>(x, x));
            _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(x, lo), hi))
        }};
    }
    let mut i = 0;
    while i < whole {
        // SAFETY: `i + 16 <= n <= samples.len()`, so both loads read
        // within `samples`, and bytes `2i..2i + 32` lie within `out`.
        let a = eight!(samples.as_ptr().add(i));
        let b = eight!(samples.as_ptr().add(i + 8));
        // packs works within 128-bit lanes: a0-3 b0-3 a4-7 b4-7; the
        // permute puts the quarters back in order.
        let packed = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packs_epi32(a, b));
        _mm256_storeu_si256(out.as_mut_ptr().add(2 * i).cast(), packed);
        i += 16;
    }
    encode_i16(&samples[whole..n], &mut out[2 * whole..2 * n]);
}

#[inline(always)]
fn encode_i16(samples: &[f32], out: &mut [u8]) {
    // Eight samples at a time in fixed-size arrays: the compiler turns
    // this into vector converts and packs.
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

/// One sample as the WAV writer rounds it, for 16 or 24 bits: FLAC uses
/// it too, so a FLAC render decodes to exactly the WAV's samples.
#[inline]
pub(super) fn to_int(bits: u32, s: f32) -> i32 {
    if bits == 16 {
        i32::from(to_i16(s))
    } else {
        round(s * 8_388_607.0).clamp(-8_388_608, 8_388_607)
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
    fn the_avx2_conversion_makes_the_same_bytes_as_the_baseline() {
        // Steps finer than a 16-bit step, ties, the limits and beyond.
        let s: Vec<f32> = (-70_001..70_001)
            .map(|i| i as f32 / 32767.0 * 0.5)
            .chain([1.0, -1.0, 1.5, -1.5, 0.0, -0.0, f32::MAX, f32::MIN])
            .chain([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -f32::NAN])
            .chain((0..40).map(|i| (i as f32 - 20.0) / 32767.0 + 0.5 / 32767.0))
            .collect();
        // Every length from the vector path's width down, so the
        // remainder is covered at each offset.
        for len in [
            s.len(),
            s.len() - 1,
            s.len() - 7,
            s.len() - 15,
            15,
            16,
            17,
            3,
            0,
        ] {
            let s = &s[s.len() - len..];
            let mut chosen = vec![0u8; s.len() * 2];
            let mut baseline = vec![0u8; s.len() * 2];
            encode(SampleFormat::Int16, s, &mut chosen);
            encode_i16(s, &mut baseline);
            assert!(chosen == baseline, "length {len}");
        }
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
