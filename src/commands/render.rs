//! `kindly render`: a session to a WAV file, offline.
//!
//! The same mixer as `play`, pulled as fast as the disk takes it. Every
//! sound file is checked before the first sample is written, so a bad file
//! fails the command (exit 2) without leaving anything behind.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

use crate::audio::FileSource;
use crate::cli::{Bits, RenderArgs};
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::mixer::{Bank, Mixer};
use crate::overwrite::{self, Existing};
use crate::render::{render_to_path, render_to_writer, RenderError, SampleFormat};
use crate::session::{Ambience, SoundRef};
use crate::timeline::{Bed, Frames, Timeline};

use super::{flags, load, options, settings};

pub(super) fn run(args: &RenderArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let flags = flags(&args.session_args, args.ambience.as_deref());
    let config = settings(dirs, &flags)?;
    let options = options(&config, args.rate);
    let loaded = load(&args.session, &config, dirs, &options, super::Speech::Wait)?;
    if let Some(note) = &loaded.voice_note {
        super::print_stderr(&format!("note: {note}\n"));
    }
    let mut timeline = loaded.timeline;
    if let Some(name) = &config.ambience.value {
        override_ambience(&mut timeline, name)?;
    }
    let timeline = Arc::new(timeline);
    let files = sound_files(&timeline)?;
    if args.output != Path::new("-") {
        // The script, its sounds and its voice clips are never the output.
        let mut inputs: Vec<&Path> = timeline
            .audio_events()
            .map(|e| &e.sound)
            .chain(timeline.ambience.as_ref().map(|b| &b.sound))
            .filter_map(|s| match s {
                SoundRef::File(p) => Some(p.as_path()),
                _ => None,
            })
            .collect();
        if let crate::library::Source::File(script) = &loaded.script.source {
            inputs.push(script);
        }
        overwrite::check(&args.output, &inputs, Existing::Replace, args.force)?;
    }
    let bank = Bank::for_timeline(&timeline);
    let mut mixer = Mixer::new(Arc::clone(&timeline), &bank, Arc::new(files));
    mixer.handle().set_volume(config.volume.value);
    let format = match args.bits {
        Bits::B16 => SampleFormat::Int16,
        Bits::B24 => SampleFormat::Int24,
        Bits::F32 => SampleFormat::Float32,
    };

    let bar = crate::ui::task_bar(
        timeline.length.0,
        "rendering {wide_bar} {percent:>3}% · {eta} left",
    );
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
    let result = if args.output == Path::new("-") {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        render_to_writer(&mut mixer, format, &mut lock, &mut progress)
    } else {
        render_to_path(&mut mixer, format, &args.output, &mut progress)
    };
    bar.finish_and_clear();
    match result {
        Ok(_) => Ok(Status::Success),
        // A reader that has seen enough (`| head -c 44`) is not a failure.
        Err(e) if e.is_broken_pipe() => Ok(Status::Success),
        Err(e @ RenderError::TooLong { .. }) => Err(Error::new(e.to_string())),
        Err(RenderError::Stopped) => {
            let what = if args.output == Path::new("-") {
                "the WAV on standard output is incomplete".to_owned()
            } else {
                format!("nothing was written to {}", args.output.display())
            };
            super::print_stderr(&format!("stopped: {what}\n"));
            let n = signal().unwrap_or(signal_hook::consts::SIGINT);
            Ok(Status::Signal(u8::try_from(n).unwrap_or(2)))
        }
        Err(e) => {
            Err(Error::new(e.to_string())
                .help("check there is space and permission to write there"))
        }
    }
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

/// `--ambience NAME|none`: another built-in bed (or a file) for this
/// session, keeping the session's volume and fades when it has them.
/// Shared with `play`, `timer` and `breathe`.
pub(super) fn override_ambience(timeline: &mut Timeline, name: &str) -> Result<()> {
    if name == "none" {
        timeline.ambience = None;
        return Ok(());
    }
    let sound = match SoundRef::builtin(name) {
        Some(s @ SoundRef::Bed(_)) => s,
        Some(SoundRef::Cue(_)) | None if !SoundRef::looks_like_file(name) => {
            let beds: Vec<&str> = crate::synth::Bed::ALL.iter().map(|b| b.name()).collect();
            return Err(
                Error::new(format!("`{name}` is not an ambience")).help(format!(
                    "use one of {}, a sound file, or `none`",
                    beds.join(", ")
                )),
            );
        }
        _ => SoundRef::File(name.into()),
    };
    let rate = timeline.format.rate;
    let (gain, fade) = match &timeline.ambience {
        Some(b) => (b.gain, b.fade),
        None => (
            Ambience::DEFAULT_VOLUME,
            Frames::from_duration(Ambience::DEFAULT_FADE, rate),
        ),
    };
    timeline.ambience = Some(Bed { sound, gain, fade });
    Ok(())
}
