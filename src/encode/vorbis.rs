//! Ogg Vorbis, the format for phones: libvorbis (bundled by vorbis_rs) in
//! quality-VBR mode, tags and chapters as Vorbis comments.

use std::io;
use std::num::{NonZeroU32, NonZeroU8};

use vorbis_rs::{
    VorbisBitrateManagementStrategy, VorbisEncoder, VorbisEncoderBuilder, VorbisError,
};

use super::{Encoder, FileFormat, Output, Spec, SpecError};

pub(super) struct Ogg<'a> {
    encoder: VorbisEncoder<&'a mut dyn Output>,
    /// One buffer per channel: libvorbis takes planar blocks.
    planar: Vec<Vec<f32>>,
}

impl<'a> Ogg<'a> {
    pub(super) fn new(spec: &Spec, out: &'a mut dyn Output) -> Result<Ogg<'a>, SpecError> {
        let (.., default) = FileFormat::Ogg.quality_range().unwrap_or((0.0, 0.0, 2.0));
        let quality = spec.quality.unwrap_or(default);
        let rate = NonZeroU32::new(spec.rate)
            .ok_or_else(|| SpecError::Unsupported("a rate of 0 Hz".into()))?;
        let channels = u8::try_from(spec.channels)
            .ok()
            .and_then(NonZeroU8::new)
            .ok_or_else(|| {
                SpecError::Unsupported(format!("{} channels in Ogg Vorbis", spec.channels))
            })?;
        let mut builder =
            VorbisEncoderBuilder::new_with_serial(rate, channels, out, spec.serial as i32);
        builder.bitrate_management_strategy(VorbisBitrateManagementStrategy::QualityVbr {
            // oggenc's -q scale is tenths of libvorbis's.
            target_quality: quality / 10.0,
        });
        for (k, v) in spec.tags.vorbis_comments() {
            builder
                .comment_tag(k, v.replace('\0', " "))
                .map_err(error)?;
        }
        let encoder = builder.build().map_err(error)?;
        Ok(Ogg {
            encoder,
            planar: vec![Vec::new(); usize::from(channels.get())],
        })
    }
}

fn error(e: VorbisError) -> SpecError {
    match e {
        VorbisError::Io(e) => SpecError::Io(e),
        other => SpecError::Unsupported(format!("Ogg Vorbis: {other}")),
    }
}

fn io_error(e: VorbisError) -> io::Error {
    match e {
        VorbisError::Io(e) => e,
        other => super::other(other),
    }
}

impl Encoder for Ogg<'_> {
    fn write(&mut self, samples: &[f32]) -> io::Result<()> {
        let ch = self.planar.len();
        if samples.is_empty() {
            return Ok(());
        }
        for (c, plane) in self.planar.iter_mut().enumerate() {
            plane.clear();
            plane.extend(samples.iter().skip(c).step_by(ch));
        }
        self.encoder
            .encode_audio_block(&self.planar)
            .map_err(io_error)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let out = self.encoder.finish().map_err(io_error)?;
        out.flush()
    }
}
