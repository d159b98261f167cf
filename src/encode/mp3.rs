//! MP3, for players that need it: LAME (bundled by mp3lame-encoder, LGPL)
//! in VBR, behind an ID3v2.4 tag with chapters (id3.rs).
//!
//! LAME starts the audio with a placeholder Xing/LAME frame; once the
//! stream is complete, the real one (length, seek table, encoder delay) is
//! written over it when the file can seek, so players show the right length
//! and trim LAME's padding.

use std::io;

use mp3lame_encoder::{Builder, FlushNoGap, InterleavedPcm, MonoPcm, Quality};

use super::{other, Encoder, FileFormat, Output, Spec, SpecError};

pub(super) struct Mp3<'a> {
    out: &'a mut dyn Output,
    lame: mp3lame_encoder::Encoder,
    mono: bool,
    buf: Vec<u8>,
    /// Where the audio starts: after the ID3 tag, where the Xing frame goes.
    audio_at: u64,
}

impl<'a> Mp3<'a> {
    pub(super) fn new(spec: &Spec, out: &'a mut dyn Output) -> Result<Mp3<'a>, SpecError> {
        let unsupported =
            |e: mp3lame_encoder::BuildError| SpecError::Unsupported(format!("MP3: {e}"));
        if !(1..=2).contains(&spec.channels) {
            return Err(SpecError::Unsupported(
                "MP3 holds one or two channels".into(),
            ));
        }
        let (.., default) = FileFormat::Mp3.quality_range().unwrap_or((0.0, 9.0, 5.0));
        let v = spec.quality.unwrap_or(default).round().clamp(0.0, 9.0) as u8;
        let mut b =
            Builder::new().ok_or_else(|| SpecError::Unsupported("LAME could not start".into()))?;
        b.set_num_channels(spec.channels as u8)
            .map_err(unsupported)?;
        b.set_sample_rate(spec.rate).map_err(unsupported)?;
        // Keep the session's rate when MP3 has it; otherwise LAME picks
        // the nearest it has and resamples.
        let native = [
            8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000,
        ];
        if native.contains(&spec.rate) {
            b.set_output_sample_rate(std::num::NonZeroU32::new(spec.rate))
                .map_err(unsupported)?;
        }
        b.set_mode(if spec.channels == 1 {
            mp3lame_encoder::Mode::Mono
        } else {
            mp3lame_encoder::Mode::JointStereo
        })
        .map_err(unsupported)?;
        b.set_vbr_mode(mp3lame_encoder::VbrMode::Mtrh)
            .map_err(unsupported)?;
        b.set_vbr_quality(quality(v)).map_err(unsupported)?;
        b.set_quality(Quality::Good).map_err(unsupported)?;
        b.set_to_write_vbr_tag(true).map_err(unsupported)?;
        let lame = b.build().map_err(unsupported)?;
        let tag = super::id3::tag(&spec.tags);
        out.write_all(&tag)?;
        Ok(Mp3 {
            out,
            lame,
            mono: spec.channels == 1,
            buf: Vec::new(),
            audio_at: tag.len() as u64,
        })
    }
}

fn quality(v: u8) -> Quality {
    use Quality::*;
    [
        Best,
        SecondBest,
        NearBest,
        VeryNice,
        Nice,
        Good,
        Decent,
        Ok,
        SecondWorst,
        Worst,
    ][usize::from(v.min(9))]
}

impl Encoder for Mp3<'_> {
    fn write(&mut self, samples: &[f32]) -> io::Result<()> {
        let frames = if self.mono {
            samples.len()
        } else {
            samples.len() / 2
        };
        self.buf.clear();
        self.buf
            .reserve(mp3lame_encoder::max_required_buffer_size(frames));
        let n = if self.mono {
            self.lame.encode_to_vec(MonoPcm(samples), &mut self.buf)
        } else {
            self.lame
                .encode_to_vec(InterleavedPcm(samples), &mut self.buf)
        }
        .map_err(other)?;
        self.out.write_all(&self.buf[..n])
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.buf.clear();
        self.buf.reserve(7200);
        let n = self
            .lame
            .flush_to_vec::<FlushNoGap>(&mut self.buf)
            .map_err(other)?;
        self.out.write_all(&self.buf[..n])?;
        self.out.flush()?;
        let mut frame: Vec<u8> = Vec::with_capacity(self.lame.lame_tag_size());
        if self.lame.lame_tag_encode_to_vec(&mut frame).is_some() {
            self.out.patch(self.audio_at, &frame)?;
        }
        self.out.flush()
    }
}
