//! `render`: a timeline through the mixer into an encoder, to a file or a
//! stream.
//!
//! Mixing and encoding run in one pass, block by block, so memory stays
//! flat however long the session (src/encode/ holds the formats); the mix
//! runs on a second thread a few buffers ahead of the encoder. A file is
//! written beside its target under a temporary name and renamed only when
//! complete: an interrupted render never leaves a broken file behind.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

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
/// still in L1 cache when they are converted.
const MIX_FRAMES: usize = crate::mixer::BLOCK;
/// Mixer blocks per buffer handed from the mixing thread to the encoding
/// one: large enough that the hand-over costs nothing, small enough that
/// the buffers in flight stay in cache.
const BLOCKS_PER_BUFFER: usize = 32;
/// Buffers in flight between the two threads, reused: memory is a few of
/// them however long the session.
const BUFFERS: usize = 4;
/// The output buffer: few system calls. A WAV render hands it whole
/// buffers at least this large, which `BufWriter` passes straight through.
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

/// Mixing runs on a thread of its own, a few buffers ahead of the
/// encoder, which runs here with the output and `progress`: on two cores
/// the mix costs no wall-clock time beside the encoding (or, for WAV, the
/// kernel's copy of the bytes). A WAV's samples are converted on the
/// mixing thread too, so the writing thread does nothing but write.
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
    if progress(Frames(0), total).is_break() {
        return Err(RenderError::Stopped);
    }
    let mut done = 0u64;
    // Asked to stop with audio still to come: stop.
    let mut report = |frames: u64, last: bool| {
        done += frames;
        if !last && progress(Frames(done), total).is_break() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let flow = match encoder.pcm() {
        Some(sample) => {
            let frame_bytes = ch * usize::from(sample.bytes());
            let block_bytes = MIX_FRAMES * frame_bytes;
            let len = block_bytes * WRITE_BYTES.div_ceil(block_bytes);
            let mut mix = vec![0.0f32; MIX_FRAMES * ch];
            let produce = |buf: &mut [u8]| fill_pcm(mixer, sample, &mut mix, buf, u64::MAX);
            pipeline(len, produce, |bytes: &[u8], last| {
                encoder.write_pcm(bytes)?;
                Ok(report((bytes.len() / frame_bytes) as u64, last))
            })
        }
        None => {
            let block = MIX_FRAMES * ch;
            let produce = |buf: &mut [f32]| {
                let mut used = 0;
                for piece in buf.chunks_exact_mut(block) {
                    let n = mixer.fill(piece);
                    used += n;
                    if n < block {
                        break;
                    }
                }
                used
            };
            pipeline(
                block * BLOCKS_PER_BUFFER,
                produce,
                |samples: &[f32], last| {
                    encoder.write(samples)?;
                    Ok(report((samples.len() / ch) as u64, last))
                },
            )
        }
    }
    .map_err(io_err)?;
    if flow.is_break() {
        return Err(RenderError::Stopped);
    }
    encoder.finish().map_err(io_err)?;
    let _ = progress(Frames(done), total);
    if done != total.0 {
        return Err(io_err(miscounted(done, total.0)));
    }
    Ok(Frames(done))
}

/// Mix up to `samples` samples into `buf` as `sample` PCM, a mixer block
/// (`mix`) at a time, until `buf` is full, the samples are done or the
/// timeline ends. Returns the bytes filled: fewer than `buf` holds only
/// at one of the last two.
fn fill_pcm(
    mixer: &mut Mixer,
    sample: SampleFormat,
    mix: &mut [f32],
    buf: &mut [u8],
    samples: u64,
) -> usize {
    let bytes = usize::from(sample.bytes());
    let (mut used, mut left) = (0, samples);
    while used < buf.len() && left > 0 {
        let want = mix
            .len()
            .min((buf.len() - used) / bytes)
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = mixer.fill(&mut mix[..want]);
        encode::encode(sample, &mix[..n], &mut buf[used..used + n * bytes]);
        used += n * bytes;
        left -= n as u64;
        if n < want {
            break;
        }
    }
    used
}

/// The header promised `total` frames and the mixer made `done`: say so
/// rather than leave a file whose header lies.
fn miscounted(done: u64, total: u64) -> io::Error {
    io::Error::other(format!(
        "the mixer produced {done} frames, not the {total} the timeline has"
    ))
}

/// Run `produce` on a thread of its own, filling buffers of `len` items,
/// and `consume` here on each filled one in order, `last` set on the
/// final one. `produce` returns how many items it filled: fewer than `len`
/// ends the stream. The buffers go back and forth and are reused, at most
/// `BUFFERS` of them. `consume` ends it early with an error or `Break`;
/// the producing thread then stops at its next buffer.
fn pipeline<T: Copy + Default + Send>(
    len: usize,
    mut produce: impl FnMut(&mut [T]) -> usize + Send,
    mut consume: impl FnMut(&[T], bool) -> io::Result<ControlFlow<()>>,
) -> io::Result<ControlFlow<()>> {
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = mpsc::sync_channel::<(Vec<T>, usize)>(BUFFERS);
        let (free_tx, free_rx) = mpsc::channel::<Vec<T>>();
        for _ in 0..BUFFERS {
            let _ = free_tx.send(vec![T::default(); len]);
        }
        let producer = std::thread::Builder::new()
            .name("kindly-mix".into())
            .spawn_scoped(scope, move || {
                while let Ok(mut buf) = free_rx.recv() {
                    let n = produce(&mut buf);
                    let last = n < buf.len();
                    if full_tx.send((buf, n)).is_err() || last {
                        break;
                    }
                }
            })?;
        let result = loop {
            // Closed without a last buffer: the producer panicked, which
            // the join below passes on.
            let Ok((buf, n)) = full_rx.recv() else {
                break Ok(ControlFlow::Continue(()));
            };
            let last = n < buf.len();
            match consume(&buf[..n], last) {
                Ok(ControlFlow::Continue(())) if !last => {}
                other => break other,
            }
            let _ = free_tx.send(buf);
        };
        // Wake the producer, wherever it waits, so it ends.
        drop(full_rx);
        drop(free_tx);
        if let Err(panic) = producer.join() {
            std::panic::resume_unwind(panic);
        }
        result
    })
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
    if let Some(done) = wav_in_two(mixer, spec, tmp.as_file(), progress) {
        let frames = done.map_err(about_path)?;
        readable_by_all(tmp.as_file()).map_err(io_err)?;
        tmp.persist(path).map_err(|e| io_err(e.error))?;
        return Ok(frames);
    }
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

/// The shortest render worth a second mixer: below it, starting a thread
/// and a second set of buffers costs about what it saves.
const SPLIT_FRAMES: u64 = 30 * 48_000;
/// Each half's writes: the two take turns at the file (the kernel writes
/// one file's pages under one lock), so fewer, larger writes wait less;
/// at 1 MiB the bytes still sit in the core's own 2 MiB L2 when written.
/// 512 KiB took 0.092 s for the reference session, 1 to 2 MiB 0.079 to
/// 0.083 s, 4 MiB and more (out of L2) 0.1 s and worse (medians of 10).
const SPLIT_WRITE_BYTES: usize = 1024 * 1024;

/// A WAV file rendered in two halves at once, each mixed, converted and
/// written at its own offset by its own thread, so each thread writes
/// bytes still in its own core's cache. `render_to_output`'s pipeline
/// hands every byte from the mixing core to the writing one, and on
/// two-core machines that copy, not the mix, is what a WAV render waits
/// on (BENCHMARKS.md, "The WAV render against an honest floor").
///
/// `None`, having written nothing, where the mixer cannot promise the
/// second half sample for sample (`Mixer::fork_at`: a sound streams from
/// a file, say), for a short render, and for the other formats, whose
/// bytes depend on everything before them; the caller then renders in
/// one pass. The bytes are the one pass's exactly.
fn wav_in_two(
    mixer: &mut Mixer,
    spec: &Spec,
    file: &std::fs::File,
    progress: &mut Progress,
) -> Option<Result<Frames, RenderError>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

        if spec.format != encode::FileFormat::Wav {
            return None;
        }
        let tl = Arc::clone(mixer.timeline());
        let start = mixer.clock().0;
        let frames = tl.length.0.saturating_sub(start);
        if frames < SPLIT_FRAMES {
            return None;
        }
        let (rate, channels) = (tl.format.rate, tl.format.channels.max(1));
        let first = frames / 2;
        let mut rest = mixer.fork_at(Frames(start + first))?;
        let io_err = |error| RenderError::Io { path: None, error };
        let header = match encode::wav_header(spec.sample, rate, channels, frames) {
            Ok(h) => h,
            Err(bytes) => return Some(Err(RenderError::TooLong { bytes })),
        };
        let sample = spec.sample;
        let frame_bytes = u64::from(channels) * u64::from(sample.bytes());
        let total = Frames(frames);
        let stop = AtomicBool::new(false);
        let done = [AtomicU64::new(0), AtomicU64::new(0)];
        // `count` frames from `m`, written from byte `at` on; `tick` after
        // each buffer, which may stop both halves.
        let half = |m: &mut Mixer,
                    count: u64,
                    mut at: u64,
                    done: &AtomicU64,
                    tick: &mut dyn FnMut() -> ControlFlow<()>|
         -> io::Result<u64> {
            let ch = usize::from(channels);
            let block_bytes = MIX_FRAMES * ch * usize::from(sample.bytes());
            let mut buf = vec![0u8; block_bytes * SPLIT_WRITE_BYTES.div_ceil(block_bytes)];
            let mut mix = vec![0.0f32; MIX_FRAMES * ch];
            let mut made = 0;
            while made < count && !stop.load(Ordering::Relaxed) {
                let samples = (count - made) * ch as u64;
                let used = fill_pcm(m, sample, &mut mix, &mut buf, samples);
                file.write_all_at(&buf[..used], at)?;
                at += used as u64;
                let frames = used as u64 / frame_bytes;
                made += frames;
                done.fetch_add(frames, Ordering::Relaxed);
                if tick().is_break() {
                    stop.store(true, Ordering::Relaxed);
                }
                if used < buf.len() {
                    // Done, or the mixer ended early (the count check
                    // says so).
                    break;
                }
            }
            Ok(made)
        };
        if progress(Frames(0), total).is_break() {
            return Some(Err(RenderError::Stopped));
        }
        let head = header.len() as u64;
        // The second half says each buffer it writes, so that once the
        // first half is done, this thread goes on reporting progress (and
        // hearing Ctrl-C) until the second is; it hangs up when it ends.
        let (wrote, written) = mpsc::channel::<()>();
        let result = std::thread::scope(|scope| {
            let (half, stop, done, rest) = (&half, &stop, &done, &mut rest);
            let second = std::thread::Builder::new()
                .name("kindly-mix".into())
                .spawn_scoped(scope, move || {
                    let theirs = half(
                        rest,
                        frames - first,
                        head + first * frame_bytes,
                        &done[1],
                        &mut || {
                            let _ = wrote.send(());
                            ControlFlow::Continue(())
                        },
                    );
                    // A full disk here stops the first half too.
                    if theirs.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    theirs
                });
            let second = match second {
                Ok(s) => s,
                Err(e) => return Err(io_err(e)),
            };
            let mut report = || {
                let now = done[0].load(Ordering::Relaxed) + done[1].load(Ordering::Relaxed);
                progress(Frames(now), total)
            };
            let ours = file
                .write_all_at(&header, 0)
                .and_then(|()| half(mixer, first, head, &done[0], &mut report));
            if ours.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            while written.recv().is_ok() {
                if report().is_break() {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            let theirs = second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok((ours.map_err(io_err)?, theirs.map_err(io_err)?))
        });
        let (a, b) = match result {
            Ok(parts) => parts,
            Err(e) => return Some(Err(e)),
        };
        if stop.load(Ordering::Relaxed) && a + b < frames {
            return Some(Err(RenderError::Stopped));
        }
        let _ = progress(Frames(a + b), total);
        if a + b != frames {
            return Some(Err(io_err(miscounted(a + b, frames))));
        }
        Some(Ok(total))
    }
    #[cfg(not(unix))]
    {
        let _ = (mixer, spec, file, progress);
        None
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A producer of `total` counting numbers, `len` at a time.
    fn counting(total: u32) -> impl FnMut(&mut [u32]) -> usize + Send {
        let mut next = 0;
        move |buf: &mut [u32]| {
            let n = buf.len().min((total - next) as usize);
            for (slot, v) in buf.iter_mut().zip(next..) {
                if v == total {
                    break;
                }
                *slot = v;
            }
            next += n as u32;
            n
        }
    }

    #[test]
    fn the_pipeline_hands_over_every_item_in_order_and_marks_the_last() {
        for total in [0, 1, 7, 8, 9, 1000] {
            let mut seen = Vec::new();
            let mut lasts = Vec::new();
            let flow = pipeline(8, counting(total), |items: &[u32], last| {
                seen.extend_from_slice(items);
                lasts.push(last);
                Ok(ControlFlow::Continue(()))
            })
            .unwrap();
            assert!(flow.is_continue());
            assert_eq!(seen, (0..total).collect::<Vec<_>>(), "{total}");
            // One last buffer, at the end; a whole final buffer is
            // followed by an empty one.
            assert_eq!(lasts.iter().filter(|&&l| l).count(), 1, "{total}");
            assert_eq!(lasts.last(), Some(&true));
        }
    }

    #[test]
    fn stopping_or_failing_ends_the_producer_without_a_hang() {
        let mut calls = 0;
        let flow = pipeline(8, counting(u32::MAX), |_: &[u32], _| {
            calls += 1;
            Ok(if calls == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            })
        })
        .unwrap();
        assert!(flow.is_break());
        assert_eq!(calls, 3);
        let failed = pipeline(8, counting(u32::MAX), |_: &[u32], _| {
            Err(io::Error::other("disk full"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
    }
}
