//! One path from arguments to a prepared session, in ripgrep's low-args →
//! high-args shape: `load` resolves a script into a `LoadedSession` (found,
//! checked, files measured, voice planned), and `LoadedSession::prepare` compiles
//! it once, at the output's format, with the person's ambience, into a
//! `Prepared` session. `play`, `show` and `render` take a `Prepared`;
//! `timer`, `breathe` and `voices try` build their session in code and
//! compile it through the same `compile`.
//!
//! A command that opens a device loads first (so a broken script is said
//! before a missing device), opens the output, and only then prepares, at
//! the rate the output runs at: nothing is compiled twice.

use crate::config::{self, Config};
use crate::dirs::Dirs;
use crate::error::{Error, Result};
use crate::library::{Finder, Script};
use crate::script::Parsed;
use crate::session::{Ambience, Session, SoundRef};
use crate::timeline::{Bed, Format, Frames, Options, SoundLengths, Timeline};

use super::{print_diagnostics, probe_audio, voice_for, FileLengths};

/// The low half: the script, parsed, checked, with its files measured and
/// its voice planned, not yet compiled (the output's format is not known
/// yet when a device is to be opened).
pub(crate) struct LoadedSession {
    pub script: Script,
    pub session: Session,
    /// The measured length of every file the session plays (spoken
    /// clips included, estimated while pending).
    pub lengths: FileLengths,
    /// Clips still to synthesize (`Speech::Stream`), in the order heard.
    pub jobs: Vec<crate::voice::Job>,
    /// The voice that speaks, if any.
    pub voice: Option<crate::voice::Voice>,
    /// Said once before the session starts, when no voice speaks it.
    pub voice_note: Option<String>,
}

/// The high half: a `LoadedSession` compiled for one output format. (Words
/// still to be made while a session plays, `LoadedSession::jobs`, are taken
/// before it is prepared.)
pub(crate) struct Prepared {
    pub script: Script,
    pub session: Session,
    pub timeline: Timeline,
    pub voice: Option<crate::voice::Voice>,
    pub voice_note: Option<String>,
}

impl LoadedSession {
    /// Compile at `format`, the output's, with `config`'s gate length and
    /// ambience.
    pub(crate) fn prepare(self, config: &Config, format: Format) -> Result<Prepared> {
        let timeline = compile(&self.session, &self.lengths, config, format)?;
        Ok(Prepared {
            script: self.script,
            session: self.session,
            timeline,
            voice: self.voice,
            voice_note: self.voice_note,
        })
    }
}

/// Compile `session` at `format`, as `config` says: its gate length, and
/// `--ambience` (or the config's `ambience`) in place of the session's bed.
pub(crate) fn compile(
    session: &Session,
    lengths: &dyn SoundLengths,
    config: &Config,
    format: Format,
) -> Result<Timeline> {
    let mut timeline =
        Timeline::compile(session, &options(config, format), lengths).map_err(|e| {
            Error::new(format!("cannot measure the length of {}", e.0))
                .help("check that the file is a readable audio file")
        })?;
    if let Some(name) = &config.ambience.value {
        override_ambience(&mut timeline, name)?;
    }
    Ok(timeline)
}

/// How `load` treats words that are not in the voice cache yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Speech {
    /// Synthesize every clip before returning (show, render, clock outputs).
    Wait,
    /// Return at once with the clips to make in `LoadedSession::jobs`, their steps
    /// marked pending (live play on a device).
    Stream,
}

/// Find `arg` (a name or a path), read, check and measure it, and plan
/// its voice, as `config` says.
pub(crate) fn load(
    arg: &str,
    config: &Config,
    dirs: Option<&Dirs>,
    speech: Speech,
) -> Result<LoadedSession> {
    let script = Finder::new(&config.session_dirs(), dirs).find(arg)?;
    let mut jobs = Vec::new();
    let voice_note;
    let spoken_by;
    let parsed = script.parse_in(&super::include_roots(config, dirs), &config.patterns);
    let (session, lengths) = match parsed.session {
        Some(ref session) if !parsed.has_errors() => {
            let mut lengths = FileLengths::for_script(&script, config);
            let mut problems = Vec::new();
            for file in &parsed.files {
                if let Err(d) = lengths.probe(file) {
                    problems.push(d);
                }
            }
            if !problems.is_empty() {
                let with_files = Parsed {
                    session: None,
                    diagnostics: problems,
                    files: Vec::new(),
                    blocks_file: false,
                };
                print_diagnostics(&script, &with_files);
                return Err(broken(&script));
            }
            // Warnings are worth seeing before a session starts.
            print_diagnostics(&script, &parsed);
            let mut session = session.clone();
            config::apply_bell(&mut session, config.bell.value);
            let (voice, note) = voice_for(config, dirs)?;
            if let Some(voice) = &voice {
                let cache = dirs.map(Dirs::voice_cache).ok_or_else(|| {
                    Error::new("there is no cache folder to keep spoken prompts in")
                        .help("set KINDLY_HOME to a folder, or add --no-voice")
                })?;
                match speech {
                    Speech::Wait => {
                        let clips = crate::voice::speak(
                            &mut session,
                            voice,
                            config.speak_prompts.value,
                            &cache,
                            dirs.map(Dirs::config_file),
                        )?;
                        for (path, length) in clips {
                            lengths.files.insert(path, length);
                        }
                    }
                    Speech::Stream => {
                        let (ready, todo) = crate::voice::plan_clips(
                            &session,
                            voice,
                            config.speak_prompts.value,
                            &cache,
                        );
                        for (step, path, length) in ready {
                            session.steps[step].spoken = Some(path.clone());
                            lengths.files.insert(path, length);
                        }
                        for job in &todo {
                            let step = &mut session.steps[job.step];
                            step.spoken = Some(job.path.clone());
                            step.speech_pending = true;
                            let guess = crate::voice::speech::estimate(&job.text, voice.shape);
                            lengths.files.insert(job.path.clone(), guess);
                        }
                        jobs = todo;
                    }
                }
            }
            let cue = config.prompt_cue.value.sound();
            if let Some(crate::session::SoundRef::File(path)) = &cue {
                let length = probe_audio(path).map_err(|(message, help)| {
                    Error::new(format!("the prompt cue {message}")).help(help)
                })?;
                lengths.files.insert(path.clone(), length);
            }
            crate::voice::mark_unspoken(&mut session, config.speak_prompts.value, cue.as_ref());
            // Said only where there are words a voice would have spoken.
            let has_words = !crate::voice::plan(&session, config.speak_prompts.value).is_empty();
            voice_note = note.filter(|_| has_words);
            spoken_by = voice;
            (session, lengths)
        }
        _ if parsed.blocks_file && !parsed.has_errors() => {
            print_diagnostics(&script, &parsed);
            return Err(Error::new(format!(
                "{} is a file of blocks, not a session",
                script.display
            ))
            .help(
                "include it from a session, like `include = [\"shared/arrival.toml\"]`, \
                 and play its blocks with steps like `use = \"arrival\"`",
            ));
        }
        _ => {
            print_diagnostics(&script, &parsed);
            return Err(broken(&script));
        }
    };
    Ok(LoadedSession {
        script,
        session,
        lengths,
        jobs,
        voice: spoken_by,
        voice_note,
    })
}

fn broken(script: &Script) -> Error {
    let name = match &script.source {
        crate::library::Source::File(p) => p.display().to_string(),
        crate::library::Source::Bundled => script.id.clone(),
    };
    Error::new(format!("{} has problems, shown above", script.display))
        .help(format!("fix them and run `kindly check {name}` again"))
}

/// How to compile for `format`, as `config` says.
pub(crate) fn options(config: &Config, format: Format) -> Options {
    Options {
        format,
        gate: config.gate.value,
        seed: config.seed.value.unwrap_or(0),
    }
}

/// `--ambience NAME|none`: another built-in bed (or a file) for this
/// session, keeping the session's volume and fades when it has them.
fn override_ambience(timeline: &mut Timeline, name: &str) -> Result<()> {
    if name == "none" {
        timeline.ambience = None;
        return Ok(());
    }
    let sound = match SoundRef::builtin(name) {
        Some(s @ SoundRef::Bed(_)) => s,
        Some(SoundRef::Cue(_)) | None if !SoundRef::looks_like_file(name) => {
            let beds: Vec<&str> = crate::synth::BedSound::ALL
                .iter()
                .map(|b| b.name())
                .collect();
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
