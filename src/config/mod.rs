//! The user's configuration: defaults, `config.toml`, and flags, resolved into one `Config`.
//!
//! Like ripgrep's lowargs → hiargs: `Flags` is what the command line said,
//! `ConfigFile` is what the file said, and `resolve` (pure, no I/O) decides
//! each setting with flags first, then the file, then the default, and
//! remembers which of the three it was so `kindly config` can say. Reading
//! the file from disk happens in `read`, the only part that touches it.

mod file;
mod presets;
mod read;

use std::path::PathBuf;
use std::time::Duration;

pub(crate) use file::{parse, Base, ConfigFile, PromptCue};
pub(crate) use presets::{Preset, PresetKind};
pub(crate) use read::{read, LoadedConfig};

use crate::session::{Bell, Gain, Session, SoundRef, StepKind};
use crate::synth::Cue;
use crate::timeline::DEFAULT_GATE;
use crate::voice::{Choice, Shape, Voice, Wanted, Why};

/// How long one clip may take to synthesize unless the file says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Default,
    File,
    /// A command-line flag, such as `--gate`.
    Flag(&'static str),
}

impl Origin {
    pub(crate) fn describe(self) -> String {
        match self {
            Origin::Default => "default".to_owned(),
            Origin::File => "config file".to_owned(),
            Origin::Flag(f) => format!("flag {f}"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn pick(flag: Option<(T, &'static str)>, file: Option<T>, default: T) -> Setting<T> {
        match (flag, file) {
            (Some((value, name)), _) => Setting {
                value,
                origin: Origin::Flag(name),
            },
            (None, Some(value)) => Setting {
                value,
                origin: Origin::File,
            },
            (None, None) => Setting {
                value: default,
                origin: Origin::Default,
            },
        }
    }
}

/// What the command line said about settings the file also sets: the
/// lowargs. Commands fill in the flags they have.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flags {
    pub volume: Option<Gain>,
    pub ambience: Option<String>,
    pub gate: Option<Duration>,
    /// `--dir` folders, searched before the file's `sessions`.
    pub dirs: Vec<PathBuf>,
    pub no_voice: bool,
    /// `--voice ENGINE|auto|off`.
    pub voice: Option<Wanted>,
    /// `--prompt-cue`.
    pub prompt_cue: Option<PromptCue>,
    /// `--seed`, for random interval bells.
    pub seed: Option<u64>,
}

/// Every setting, resolved: the hiargs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    /// Master volume.
    pub volume: Setting<Gain>,
    /// Replaces every session's ambience: a bed, `none`, or a file.
    /// `None`: each session keeps its own.
    pub ambience: Setting<Option<String>>,
    /// The cue of bells that name no sound, and of interval bells.
    pub bell: Setting<Cue>,
    /// How long a gate lasts when nobody presses a key.
    pub gate: Setting<Duration>,
    /// Folders to look for sessions in, flags' first.
    pub sessions: Vec<Setting<PathBuf>>,
    /// Folders any script may read sounds from (`allow` in the file).
    pub allow: Vec<Setting<PathBuf>>,
    /// Read by the journal's statistics.
    pub show_streaks: Setting<bool>,
    /// Which voice to speak with: `auto` unless the file or a flag says.
    pub voice: Setting<Wanted>,
    /// A factor on the calm pace.
    pub voice_rate: Setting<f64>,
    /// Silence between sentences.
    pub voice_pause: Setting<Duration>,
    /// piper's model, when given.
    pub voice_model: Option<PathBuf>,
    /// What marks a prompt that is not spoken.
    pub prompt_cue: Setting<PromptCue>,
    /// Speak every prompt (not only steps with `speak = true`).
    pub speak_prompts: Setting<bool>,
    /// The bound on one clip; also in `voice`, kept here for its origin.
    pub voice_timeout: Setting<Duration>,
    /// Where random interval bells fall: `--seed`, or (filled in at the
    /// edge, `Origin::Default`) one picked for this run.
    pub seed: Setting<Option<u64>>,
    /// `[patterns]`: the person's own breathing patterns.
    pub patterns: crate::session::Patterns,
    /// `[presets.NAME]`.
    pub presets: Vec<Preset>,
}

impl Default for Config {
    fn default() -> Config {
        resolve(&ConfigFile::default(), &Flags::default())
    }
}

impl Config {
    /// The preset called `name`.
    pub(crate) fn preset(&self, name: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.name == name)
    }

    pub(crate) fn session_dirs(&self) -> Vec<PathBuf> {
        self.sessions.iter().map(|s| s.value.clone()).collect()
    }

    /// Why the voice is what it is, for `kindly voices`.
    pub(crate) fn voice_why(&self) -> Why {
        match self.voice.origin {
            Origin::Default => Why::Auto,
            Origin::File => Why::Config,
            Origin::Flag(_) => Why::Flag,
        }
    }

    /// The voice to speak with, given the engines installed: `choose`, with
    /// this configuration's rate, model, pause and timeout.
    pub(crate) fn choose_voice(&self, found: &crate::voice::Found) -> (Choice, Option<Voice>) {
        let model = self.voice_model.as_ref().or(found.model.as_ref());
        let choice = crate::voice::choose(
            &self.voice.value,
            self.voice_why(),
            &found.engines,
            self.voice_rate.value,
            model,
        );
        let voice = match &choice {
            Choice::Speak { recipe, .. } => Some(Voice {
                recipe: recipe.clone(),
                shape: Shape {
                    pause: self.voice_pause.value,
                },
                timeout: self.voice_timeout.value,
            }),
            _ => None,
        };
        (choice, voice)
    }
}

/// Give bells that name no sound the configured cue, and interval bells
/// too: someone who dislikes the bowl dislikes it between bells as well.
/// Bells the script names are the author's choice and stay.
pub(crate) fn apply_bell(session: &mut Session, cue: Cue) {
    for step in &mut session.steps {
        match &mut step.kind {
            StepKind::Bell(b) if !b.sound_given => b.sound = SoundRef::Cue(cue),
            StepKind::Pause(p) if !p.interval_sound_given => p.interval_sound = SoundRef::Cue(cue),
            _ => {}
        }
    }
}

/// Flags over the file over defaults. Pure.
pub(crate) fn resolve(file: &ConfigFile, flags: &Flags) -> Config {
    let mut sessions: Vec<Setting<PathBuf>> = flags
        .dirs
        .iter()
        .map(|d| Setting {
            value: d.clone(),
            origin: Origin::Flag("--dir"),
        })
        .collect();
    sessions.extend(file.sessions.iter().map(|d| Setting {
        value: d.clone(),
        origin: Origin::File,
    }));
    let voice_timeout = Setting::pick(
        None,
        file.voice.as_ref().and_then(|v| v.timeout),
        DEFAULT_TIMEOUT,
    );
    let fv = file.voice.clone().unwrap_or_default();
    // A command in the file, with no engine beside it, is the person's own
    // program; `engine` otherwise; `auto` by default.
    let file_wanted = fv
        .engine
        .clone()
        .or_else(|| fv.command.clone().map(Wanted::Command));
    let flag_wanted = if flags.no_voice {
        Some((Wanted::Off, "--no-voice"))
    } else {
        flags.voice.clone().map(|w| (w, "--voice"))
    };
    let voice = Setting::pick(flag_wanted, file_wanted, Wanted::Auto);
    Config {
        volume: Setting::pick(
            flags.volume.map(|v| (v, "--volume")),
            file.volume,
            Gain::UNITY,
        ),
        ambience: Setting::pick(
            flags.ambience.clone().map(|a| (Some(a), "--ambience")),
            file.ambience.clone().map(Some),
            None,
        ),
        bell: Setting::pick(None, file.bell, Bell::DEFAULT_SOUND),
        gate: Setting::pick(flags.gate.map(|g| (g, "--gate")), file.gate, DEFAULT_GATE),
        sessions,
        allow: file
            .allow
            .iter()
            .map(|d| Setting {
                value: d.clone(),
                origin: Origin::File,
            })
            .collect(),
        show_streaks: Setting::pick(None, file.show_streaks, true),
        voice,
        voice_rate: Setting::pick(None, fv.rate, 1.0),
        voice_pause: Setting::pick(None, fv.pause, Shape::DEFAULT_PAUSE),
        voice_model: fv.model.clone(),
        prompt_cue: Setting::pick(
            flags.prompt_cue.clone().map(|c| (c, "--prompt-cue")),
            file.prompt_cue.clone(),
            PromptCue::Auto,
        ),
        speak_prompts: Setting::pick(
            None,
            file.voice.as_ref().and_then(|v| v.speak_prompts),
            true,
        ),
        voice_timeout,
        seed: Setting::pick(flags.seed.map(|s| (Some(s), "--seed")), None, None),
        patterns: file.patterns.clone(),
        presets: file.presets.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::file::VoiceFile;
    use super::*;

    fn file_with_voice() -> ConfigFile {
        ConfigFile {
            gate: Some(Duration::from_secs(30)),
            sessions: vec!["/f".into()],
            voice: Some(VoiceFile {
                command: Some(vec!["say".into(), "{text}".into()]),
                ..VoiceFile::default()
            }),
            ..ConfigFile::default()
        }
    }

    #[test]
    fn defaults() {
        let c = Config::default();
        assert_eq!(c.volume.value, Gain::UNITY);
        assert_eq!(c.gate.value, DEFAULT_GATE);
        assert_eq!(c.bell.value, Cue::Bowl);
        assert_eq!(c.voice.value, Wanted::Auto);
        assert_eq!(c.voice_why(), Why::Auto);
        assert_eq!(c.prompt_cue.value, PromptCue::Auto);
        assert!(c.show_streaks.value);
        assert!(c.speak_prompts.value);
        assert!(c.sessions.is_empty());
        assert_eq!(c.gate.origin, Origin::Default);
    }

    #[test]
    fn file_over_defaults() {
        let c = resolve(&file_with_voice(), &Flags::default());
        assert_eq!(
            (c.gate.value, c.gate.origin),
            (Duration::from_secs(30), Origin::File)
        );
        assert_eq!(
            c.voice.value,
            Wanted::Command(vec!["say".into(), "{text}".into()])
        );
        assert_eq!(c.voice_timeout.value, DEFAULT_TIMEOUT);
        assert_eq!(c.voice.origin, Origin::File);
        // A command needs no engine installed.
        let (choice, voice) = c.choose_voice(&crate::voice::Found::default());
        assert!(matches!(
            choice,
            Choice::Speak {
                why: Why::Config,
                ..
            }
        ));
        assert_eq!(voice.unwrap().recipe.argv, ["say", "{text}"]);
        assert_eq!(c.speak_prompts.origin, Origin::Default);
    }

    #[test]
    fn flags_over_file() {
        let flags = Flags {
            gate: Some(Duration::from_secs(5)),
            dirs: vec!["/flag".into()],
            no_voice: true,
            ambience: Some("none".into()),
            ..Flags::default()
        };
        let c = resolve(&file_with_voice(), &flags);
        assert_eq!(c.gate.origin, Origin::Flag("--gate"));
        assert_eq!(c.gate.value, Duration::from_secs(5));
        assert_eq!(c.voice.value, Wanted::Off);
        assert_eq!(c.voice.origin, Origin::Flag("--no-voice"));
        assert_eq!(c.choose_voice(&crate::voice::Found::default()).1, None);
        assert_eq!(c.ambience.value.as_deref(), Some("none"));
        // Flag folders are searched first, then the file's.
        assert_eq!(c.session_dirs(), vec![PathBuf::from("/flag"), "/f".into()]);
    }
}
