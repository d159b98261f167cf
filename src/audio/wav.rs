//! The WAV header, read by kindly before any decoder sees the file.
//!
//! Two jobs. First, refuse what would crash a decoder or make no sense: a
//! sample rate of 0, no channels, 0 bits per sample (also inside
//! WAVE_FORMAT_EXTENSIBLE), a block size of 0. Second, tell a cut-off file
//! from an *unsized* one. A program writing WAV into a pipe cannot seek
//! back to fill in the sizes, so ffmpeg and sox leave 0 or 0xFFFFFFFF
//! there and espeak-ng 0x7ffff000; such a file is complete, and its length
//! is what is actually there. Pure: bytes in, a verdict out.

/// What the header of a WAV file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WavHeader {
    pub rate: u32,
    pub channels: u16,
    /// Bytes per frame (all channels).
    pub block_align: u16,
    /// Where the audio starts in the file.
    pub data_start: u64,
    /// The `data` chunk's size, or `None` when it is a streaming
    /// placeholder (the audio runs to the end of the file).
    pub data_len: Option<u64>,
}

/// Why a WAV header cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WavFault {
    /// Not RIFF/WAVE at all: some other format, or not audio.
    NotWav,
    /// A WAV with something impossible in its header.
    Bad(String),
}

/// How much of the file's start `parse` needs to see: chunks before `data`
/// (LIST, fact, bext) are small.
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

/// Sizes at or above this are placeholders, not sizes: kindly reads no
/// file over 2 GiB (`MAX_FILE_BYTES`), and espeak-ng writes 0x7ffff000.
const PLACEHOLDER: u32 = 0x7fff_0000;

const PCM: u16 = 1;
const FLOAT: u16 = 3;
const EXTENSIBLE: u16 = 0xFFFE;

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Read the header from the first bytes of a file (`HEAD_BYTES` or all of
/// a shorter file).
pub(crate) fn parse(head: &[u8]) -> Result<WavHeader, WavFault> {
    if head.len() < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(WavFault::NotWav);
    }
    let bad = |why: &str| Err(WavFault::Bad(why.to_owned()));
    let mut fmt: Option<(u32, u16, u16)> = None;
    let mut at = 12usize;
    while at + 8 <= head.len() {
        let id = &head[at..at + 4];
        let size = u32_at(head, at + 4);
        let body = at + 8;
        if id == b"fmt " {
            if size < 16 || body + 16 > head.len() {
                return bad("its format chunk is too short");
            }
            let f = &head[body..];
            let mut tag = u16_at(f, 0);
            let channels = u16_at(f, 2);
            let rate = u32_at(f, 4);
            let block_align = u16_at(f, 12);
            let bits = u16_at(f, 14);
            if tag == EXTENSIBLE {
                if size < 40 || body + 40 > head.len() {
                    return bad("its extensible format chunk is too short");
                }
                let valid = u16_at(f, 18);
                if valid == 0 || valid > bits {
                    return bad(&format!("it says {valid} valid bits in {bits}-bit samples"));
                }
                // The sub-format GUID starts with the plain format tag.
                tag = u16_at(f, 24);
            }
            if rate == 0 {
                return bad("its sample rate is 0");
            }
            if channels == 0 {
                return bad("it has no channels");
            }
            let supported = match tag {
                PCM => matches!(bits, 8 | 16 | 24 | 32),
                FLOAT => matches!(bits, 32 | 64),
                // Other codecs inside WAV (ADPCM, µ-law): the decoder judges.
                _ => bits > 0,
            };
            if !supported {
                return bad(&format!("it has {bits} bits per sample"));
            }
            if block_align == 0 {
                return bad("its block size is 0");
            }
            if tag == PCM || tag == FLOAT {
                let want = u32::from(channels) * u32::from(bits / 8);
                if u32::from(block_align) != want {
                    return bad(&format!(
                        "its block size is {block_align}, but {channels} channels of {bits} bits need {want}"
                    ));
                }
            }
            fmt = Some((rate, channels, block_align));
        } else if id == b"data" {
            let Some((rate, channels, block_align)) = fmt else {
                return bad("its audio comes before its format chunk");
            };
            let data_len = (size != 0 && size < PLACEHOLDER).then_some(u64::from(size));
            return Ok(WavHeader {
                rate,
                channels,
                block_align,
                data_start: body as u64,
                data_len,
            });
        }
        // Chunks are padded to an even length.
        let next = u64::from(size) + u64::from(size & 1);
        match usize::try_from(body as u64 + next) {
            Ok(n) => at = n,
            Err(_) => break,
        }
    }
    bad("it has no audio (no `data` chunk)")
}

impl WavHeader {
    /// Bytes of audio in a file of `file_len` bytes, and whether the
    /// header promised more than that (a cut-off copy).
    pub(crate) fn audio_bytes(&self, file_len: u64) -> Result<u64, (u64, u64)> {
        let there = file_len.saturating_sub(self.data_start);
        match self.data_len {
            Some(promised) if promised > there => Err((promised, there)),
            Some(promised) => Ok(promised),
            None => Ok(there),
        }
    }

    /// Whole frames in `bytes` of audio.
    pub(crate) fn frames(&self, bytes: u64) -> u64 {
        bytes / u64::from(self.block_align)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A WAV file's bytes: format chunk fields and a data chunk size field.
    pub(crate) fn wav(tag: u16, channels: u16, rate: u32, bits: u16, data_size: u32) -> Vec<u8> {
        let align = channels * bits.div_ceil(8);
        let mut fmt = Vec::new();
        fmt.extend(tag.to_le_bytes());
        fmt.extend(channels.to_le_bytes());
        fmt.extend(rate.to_le_bytes());
        fmt.extend((rate * u32::from(align)).to_le_bytes());
        fmt.extend(align.to_le_bytes());
        fmt.extend(bits.to_le_bytes());
        if tag == EXTENSIBLE {
            fmt.extend(22u16.to_le_bytes());
            fmt.extend(bits.to_le_bytes());
            fmt.extend(4u32.to_le_bytes());
            fmt.extend([
                1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71,
            ]);
        }
        let mut out = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
        out.extend((fmt.len() as u32).to_le_bytes());
        out.extend(fmt);
        out.extend(b"data");
        out.extend(data_size.to_le_bytes());
        out
    }

    #[test]
    fn impossible_headers_are_refused_by_name() {
        let why = |b: Vec<u8>| match parse(&b) {
            Err(WavFault::Bad(s)) => s,
            other => panic!("{other:?}"),
        };
        assert_eq!(why(wav(PCM, 1, 0, 16, 100)), "its sample rate is 0");
        assert_eq!(why(wav(PCM, 0, 8000, 16, 100)), "it has no channels");
        assert_eq!(why(wav(PCM, 1, 8000, 0, 100)), "it has 0 bits per sample");
        assert_eq!(
            why(wav(EXTENSIBLE, 1, 16000, 0, 100)),
            "it says 0 valid bits in 0-bit samples"
        );
        assert_eq!(
            why(b"RIFF\0\0\0\0WAVE".to_vec()),
            "it has no audio (no `data` chunk)"
        );
        assert_eq!(parse(b"OggS...."), Err(WavFault::NotWav));
    }

    #[test]
    fn placeholders_mean_unsized_and_real_sizes_are_kept() {
        for placeholder in [0, 0xFFFF_FFFF, 0x7fff_f000] {
            let h = parse(&wav(PCM, 1, 22050, 16, placeholder)).unwrap();
            assert_eq!(h.data_len, None, "{placeholder:#x}");
            assert_eq!(h.audio_bytes(h.data_start + 44_100), Ok(44_100));
            assert_eq!(h.frames(44_100), 22_050);
        }
        let h = parse(&wav(EXTENSIBLE, 2, 48000, 32, 1000)).unwrap();
        assert_eq!((h.data_len, h.block_align), (Some(1000), 8));
        assert_eq!(h.audio_bytes(h.data_start + 400), Err((1000, 400)));
    }
}
