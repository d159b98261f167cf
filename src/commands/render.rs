//! `kindly render`: a session to a WAV, FLAC, Ogg Vorbis or MP3 file,
//! offline, with its titles and chapters, and its words beside it.
//!
//! The same mixer as `play`, pulled as fast as the encoder takes it. Every
//! sound file is checked before the first sample is written, so a bad file
//! fails the command (exit 2) without leaving anything behind.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::audio::FileSource;
use crate::cli::{Bits, RenderArgs};
use crate::dirs::Dirs;
use crate::encode::{FileFormat, Spec, Tags};
use crate::error::{Error, Result, Status};
use crate::mixer::{Bank, Mixer, SoundStore};
use crate::overwrite::{self, Existing};
use crate::render::{render_to_path, render_to_writer, RenderError, SampleFormat};
use crate::session::SoundRef;
use crate::sound_cache::DiskStore;
use crate::timeline::{Frames, Timeline};

use super::prepare::{load, Speech};
use super::{flags, settings};

pub(super) fn run(args: &RenderArgs, dirs: Option<&Dirs>) -> Result<Status> {
    if args.all {
        return super::render_all::run(args, dirs);
    }
    let session = args.session.as_deref().unwrap_or_default();
    let flags = flags(&args.session_args, args.ambience.as_deref());
    let config = settings(dirs, &flags)?;
    let to_stdout = args.output == Path::new("-");
    let format = output_format(&args.output, args.format)?;
    check_quality(format, args.quality)?;
    if to_stdout && std::io::stdout().is_terminal() {
        return Err(Error::new(format!(
            "will not write {} audio to a terminal",
            format.label()
        ))
        .help("redirect it (`-o - > file`, `-o - | player -`) or name a file with -o"));
    }
    if to_stdout && args.transcript {
        return Err(
            Error::new("--transcript writes NAME.vtt and NAME.lrc beside the audio file")
                .help("name the audio file with -o, such as `-o session.ogg`"),
        );
    }
    let prepared = prepare(session, args, &config, dirs, format)?;
    if !to_stdout {
        // The script, its sounds and its voice clips are never the output.
        let inputs: Vec<&Path> = prepared.inputs.iter().map(PathBuf::as_path).collect();
        overwrite::check(&args.output, &inputs, Existing::Replace, args.force)?;
    }
    let length = prepared.length();

    let bar = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        crate::ui::task_bar(
            prepared.timeline.length.0,
            "rendering {wide_bar} {percent:>3}% · {eta} left",
        )
    };
    // Ctrl-C stops the render between blocks, so the temporary file is
    // removed rather than left behind by a killed process.
    let interrupts = crate::ui::Interrupts::start().ok();
    let signal = || interrupts.as_ref().and_then(crate::ui::Interrupts::signal);
    let mut progress = |done: Frames, _total: Frames| {
        bar.set_position(done.0);
        match signal() {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        }
    };
    let target = if to_stdout {
        None
    } else {
        Some(args.output.as_path())
    };
    let result = prepared.render(target, &mut progress);
    bar.finish_and_clear();
    match result {
        Ok(_) => {
            let mut wrote = vec![args.output.clone()];
            if args.transcript {
                wrote.extend(write_transcript(
                    &args.output,
                    &prepared.title,
                    &prepared.timeline,
                )?);
            }
            if !args.quiet && !to_stdout {
                report(&wrote, length);
            }
            // A seed kindly picked is said, so the render can be made again.
            if let (Some(seed), false) = (prepared.timeline.seed, args.quiet) {
                super::print_stderr(&format!(
                    "random interval bells from seed {seed}; `--seed {seed}` renders them the same way again\n"
                ));
            }
            Ok(Status::Success)
        }
        // A reader that has seen enough (`| head -c 44`) is not a failure.
        Err(e) if e.is_broken_pipe() => Ok(Status::Success),
        Err(RenderError::Stopped) => {
            let what = if to_stdout {
                format!("the {} on standard output is incomplete", format.label())
            } else {
                format!("nothing was written to {}", args.output.display())
            };
            super::print_stderr(&format!("stopped: {what}\n"));
            let n = signal().unwrap_or(signal_hook::consts::SIGINT);
            Ok(Status::Signal(u8::try_from(n).unwrap_or(2)))
        }
        Err(e) => Err(render_error(e)),
    }
}

/// A failed render as a person reads it.
pub(super) fn render_error(e: RenderError) -> Error {
    match e {
        e @ (RenderError::TooLong { .. } | RenderError::Unsupported(_)) => {
            Error::new(e.to_string())
        }
        e => Error::new(e.to_string()).help("check there is space and permission to write there"),
    }
}

/// A session ready to mix: its timeline laid out, its files checked, and
/// what to write.
pub(super) struct Prepared {
    pub timeline: Arc<Timeline>,
    pub title: String,
    pub spec: Spec,
    files: Arc<FileSource>,
    volume: crate::session::Gain,
    /// The sound cache, when there is a data folder.
    store: Option<Arc<dyn SoundStore>>,
    /// What the session reads (its script, sounds and voice clips), which
    /// no output may replace.
    pub inputs: Vec<PathBuf>,
}

impl Prepared {
    pub(crate) fn volume(&self) -> crate::session::Gain {
        self.volume
    }

    pub(crate) fn length(&self) -> std::time::Duration {
        self.timeline.length.to_duration(self.timeline.format.rate)
    }

    /// Mix and encode into `path`, or standard output when `None`.
    pub(crate) fn render(
        &self,
        path: Option<&Path>,
        progress: &mut crate::render::Progress,
    ) -> std::result::Result<Frames, RenderError> {
        // Built-in sounds from the sound cache, as `play` reads them: the
        // brown-noise loop and the bowl are most of a short render's CPU.
        let bank = Bank::for_timeline_cached(&self.timeline, self.store.as_deref());
        let files: Arc<FileSource> = Arc::clone(&self.files);
        let mut mixer = Mixer::new(Arc::clone(&self.timeline), &bank, files);
        mixer.handle().set_volume(self.volume);
        match path {
            Some(path) => render_to_path(&mut mixer, &self.spec, path, progress),
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                render_to_writer(&mut mixer, &self.spec, &mut lock, progress)
            }
        }
    }
}

/// Load `session` (a name or a path) and make it ready to render as
/// `args` and `format` say.
pub(super) fn prepare(
    session: &str,
    args: &RenderArgs,
    config: &crate::config::Config,
    dirs: Option<&Dirs>,
    format: FileFormat,
) -> Result<Prepared> {
    let channels = if args.mono { 1 } else { 2 };
    let at = crate::timeline::Format {
        rate: args.rate,
        channels,
    };
    let loaded = load(session, config, dirs, Speech::Wait)?.prepare(config, at)?;
    if let Some(note) = &loaded.voice_note {
        super::print_stderr(&format!("note: {note}\n"));
    }
    let timeline = loaded.timeline;
    let files = sound_files(&timeline)?;
    let mut inputs: Vec<PathBuf> = timeline
        .audio_events()
        .map(|e| &e.sound)
        .chain(timeline.ambience.as_ref().map(|b| &b.sound))
        .filter_map(|s| match s {
            SoundRef::File(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    if let crate::library::Source::File(script) = &loaded.script.source {
        inputs.push(script.clone());
    }
    let sample = match args.bits {
        Bits::B16 => SampleFormat::Int16,
        Bits::B24 => SampleFormat::Int24,
        Bits::F32 => SampleFormat::Float32,
    };
    let spec = Spec {
        quality: args.quality,
        tags: tags(&loaded.session, &timeline, loaded.voice.as_ref()),
        serial: serial(&loaded.session.id),
        ..Spec::new(format, sample)
    };
    Ok(Prepared {
        timeline: Arc::new(timeline),
        title: loaded.session.title.clone(),
        spec,
        files: Arc::new(files),
        volume: config.volume.value,
        store: dirs.map(|d| Arc::new(DiskStore::new(d.sound_cache())) as Arc<dyn SoundStore>),
        inputs,
    })
}

/// The format `-o`'s extension names, or `--format`'s. A name that says
/// one format is never written as another; a name without an extension
/// (`-o -`, `/dev/null`) and a FIFO or device, whose name is not a file
/// name, are `--format`, or WAV.
pub(super) fn output_format(output: &Path, flag: Option<FileFormat>) -> Result<FileFormat> {
    let special = std::fs::metadata(output).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let ext = match output.extension() {
        Some(ext) if output != Path::new("-") && !special => ext.to_string_lossy().into_owned(),
        _ => return Ok(flag.unwrap_or(FileFormat::Wav)),
    };
    let Some(named) = FileFormat::from_extension(&ext) else {
        return Err(Error::new(format!(
            "`{}`: kindly does not write .{ext} files",
            output.display()
        ))
        .help(format!(
            "name the file with one of these extensions: {}; or add --format",
            FileFormat::list()
        )));
    };
    match flag {
        Some(f) if f != named => Err(Error::new(format!(
            "`{}` is named as {}, but --format asks for {}",
            output.display(),
            named.label(),
            f.label()
        ))
        .help(format!("name it .{} or leave out --format", f.name()))),
        _ => Ok(named),
    }
}

/// `--quality` within the format's scale.
pub(super) fn check_quality(format: FileFormat, quality: Option<f32>) -> Result<()> {
    let Some(q) = quality else { return Ok(()) };
    match format.quality_range() {
        None => Err(Error::new(format!(
            "{} is lossless: --quality has nothing to set",
            format.label()
        ))
        .help("leave out --quality, or use --bits for WAV and FLAC")),
        Some((lo, hi, default)) if !(lo..=hi).contains(&q) || !q.is_finite() => Err(Error::new(
            format!("--quality {q} is outside {}'s scale", format.label()),
        )
        .help(format!("use {lo} to {hi} (default {default})"))),
        Some(_) => Ok(()),
    }
}

/// Title, artist, album, summary, credits and a chapter per step with words.
fn tags(
    session: &crate::session::Session,
    timeline: &Timeline,
    voice: Option<&crate::voice::Voice>,
) -> Tags {
    let mut credits = Vec::new();
    if let Some(author) = &session.author {
        credits.push(format!("Session by {author}."));
    }
    if let Some(engine) = voice.and_then(|v| v.recipe.engine) {
        credits.push(format!("Voice: {}.", engine.name()));
    }
    credits.push(format!("Made with kindly {}.", env!("CARGO_PKG_VERSION")));
    Tags {
        title: session.title.clone(),
        artist: "kindly".to_owned(),
        album: "kindly sessions".to_owned(),
        comment: session.summary.clone(),
        credits: Some(credits.join(" ")),
        chapters: crate::transcript::chapters(timeline),
        length: timeline.length.to_duration(timeline.format.rate),
    }
}

/// A stream serial from the session's name (FNV-1a): renders repeat byte
/// for byte, and different sessions chained by a player stay distinct.
fn serial(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// NAME.vtt and NAME.lrc beside `audio`, each through a temporary file.
pub(super) fn write_transcript(
    audio: &Path,
    title: &str,
    timeline: &Timeline,
) -> Result<Vec<PathBuf>> {
    let cues = crate::transcript::cues(timeline);
    let length = timeline.length.to_duration(timeline.format.rate);
    let files = [
        ("vtt", crate::transcript::vtt(title, &cues)),
        ("lrc", crate::transcript::lrc(title, length, &cues)),
    ];
    let mut wrote = Vec::new();
    for (ext, text) in files {
        let path = audio.with_extension(ext);
        let fail = |e: std::io::Error| {
            Error::new(format!("cannot write {}: {e}", path.display()))
                .help("check there is space and permission to write there")
        };
        let mut tmp = crate::render::temp_beside(&path, ext).map_err(fail)?;
        std::io::Write::write_all(tmp.as_file_mut(), text.as_bytes()).map_err(fail)?;
        crate::render::readable_by_all(tmp.as_file()).map_err(fail)?;
        tmp.persist(&path).map_err(|e| fail(e.error))?;
        wrote.push(path);
    }
    Ok(wrote)
}

/// `wrote session.ogg (12:05, 9.6 MB)` on stderr, one line a file.
pub(super) fn report(paths: &[PathBuf], length: std::time::Duration) {
    let mut out = String::new();
    for (i, p) in paths.iter().enumerate() {
        let size = std::fs::metadata(p).map_or(0, |m| m.len());
        let size = if size >= 1_000_000 {
            format!("{:.1} MB", size as f64 / 1e6)
        } else {
            format!("{:.1} kB", size as f64 / 1e3)
        };
        let secs = length.as_secs();
        if i == 0 {
            out.push_str(&format!(
                "wrote {} ({}:{:02}, {size})\n",
                p.display(),
                secs / 60,
                secs % 60
            ));
        } else {
            out.push_str(&format!("wrote {} ({size})\n", p.display()));
        }
    }
    super::print_stderr(&out);
}

/// Probe every file `timeline` plays, at its format, before a sample is
/// made: a bad file fails the command with every problem listed. Shared
/// with `play`.
pub(super) fn sound_files(timeline: &Timeline) -> Result<FileSource> {
    let sounds = timeline
        .audio_events()
        .map(|e| &e.sound)
        .chain(timeline.ambience.as_ref().map(|b| &b.sound));
    FileSource::probe_all(timeline.format, sounds).map_err(|errors| {
        let list: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.path.display(), e.kind))
            .collect();
        Error::new(format!(
            "cannot use these sound files:\n  {}",
            list.join("\n  ")
        ))
        .help(errors[0].hint())
    })
}
