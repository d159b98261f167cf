//! `render`: a timeline through the mixer into an encoder, to a file or a
//! stream.
//!
//! Mixing and encoding run in one pass, block by block, so memory stays
//! flat however long the session (src/encode/ holds the formats). A file is
//! written beside its target under a temporary name and renamed only when
//! complete: an interrupted render never leaves a broken file behind.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::encode::{self, Output, Seekable, Spec, SpecError, Stream};
use crate::mixer::Mixer;
use crate::timeline::Frames;

pub use crate::encode::SampleFormat;

#[derive(Debug)]
pub enum RenderError {
    /// More audio than the format's 32-bit sizes can describe.
    TooLong { bytes: u64 },
    /// The encoder refused the settings.
    Unsupported(String),
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
                 use a lower --rate, --bits 16, or another --format",
                bytes >> 20
            ),
            RenderError::Unsupported(why) => f.write_str(why),
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
/// Blocks between calls to `progress`: often enough for Ctrl-C to feel
/// immediate, rarely enough to cost nothing.
const BLOCKS_PER_PROGRESS: usize = 64;
/// The output buffer: few system calls; an encoder that buffers itself
/// (WAV) writes through it in large pieces.
const WRITE_BYTES: usize = 512 * 1024;

/// How the caller hears of progress, and may stop a render: `Break` ends
/// it with `RenderError::Stopped`.
pub type Progress<'a> = dyn FnMut(Frames, Frames) -> ControlFlow<()> + 'a;

/// Render the rest of `mixer`'s timeline as `spec` says into `out`,
/// calling `progress(done, total)` as it goes. Returns the frames written.
/// The rate, channels and length are the mixer's, whatever `spec` says.
pub fn render_to_writer(
    mixer: &mut Mixer,
    spec: &Spec,
    out: &mut dyn Write,
    progress: &mut Progress,
) -> Result<Frames, RenderError> {
    let mut stream = Stream(BufWriter::with_capacity(WRITE_BYTES, out));
    render_to_output(mixer, spec, &mut stream, progress)
}

fn render_to_output(
    mixer: &mut Mixer,
    spec: &Spec,
    out: &mut dyn Output,
    progress: &mut Progress,
) -> Result<Frames, RenderError> {
    let io_err = |error| RenderError::Io { path: None, error };
    let spec = {
        let tl = mixer.timeline();
        Spec {
            rate: tl.format.rate,
            channels: tl.format.channels.max(1),
            frames: (tl.length - mixer.clock()).0,
            ..spec.clone()
        }
    };
    let ch = usize::from(spec.channels);
    let total = Frames(spec.frames);
    let mut encoder = encode::encoder(&spec, out).map_err(|e| match e {
        SpecError::TooLong { bytes } => RenderError::TooLong { bytes },
        SpecError::Unsupported(why) => RenderError::Unsupported(why),
        SpecError::Io(error) => io_err(error),
    })?;
    let mut mix = vec![0.0f32; MIX_FRAMES * ch];
    let mut done = 0u64;
    if progress(Frames(0), total).is_break() {
        return Err(RenderError::Stopped);
    }
    for block in 1usize.. {
        let n = mixer.fill(&mut mix);
        encoder.write(&mix[..n]).map_err(io_err)?;
        done += (n / ch) as u64;
        if n < mix.len() {
            break;
        }
        // Asked to stop with audio still to come: stop.
        if block % BLOCKS_PER_PROGRESS == 0 && progress(Frames(done), total).is_break() {
            return Err(RenderError::Stopped);
        }
    }
    encoder.finish().map_err(io_err)?;
    let _ = progress(Frames(done), total);
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
    spec: &Spec,
    path: &Path,
    progress: &mut Progress,
) -> Result<Frames, RenderError> {
    let io_err = |error| RenderError::Io {
        path: Some(path.to_owned()),
        error,
    };
    // Errors writing are about `path`, whatever was written to.
    let about_path = |e| match e {
        RenderError::Io { error, .. } => io_err(error),
        other => other,
    };
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io_err)?;
        return render_to_writer(mixer, spec, &mut file, progress).map_err(about_path);
    }
    let mut tmp = temp_beside(path, spec.format.name()).map_err(io_err)?;
    let frames = {
        let mut out = Seekable(BufWriter::with_capacity(WRITE_BYTES, tmp.as_file_mut()));
        let frames = render_to_output(mixer, spec, &mut out, progress).map_err(about_path)?;
        out.flush().map_err(io_err)?;
        frames
    };
    readable_by_all(tmp.as_file()).map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(frames)
}

/// A temporary file in `path`'s folder, removed when dropped unless
/// persisted: how render writes every file, so an error or Ctrl-C leaves
/// nothing behind.
pub(crate) fn temp_beside(path: &Path, ext: &str) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".kindly-render-")
        .suffix(&format!(".{ext}.part"))
        .tempfile_in(dir)
}

/// Temporary files are created private (0600); a rendered file or exported
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
