//! The user's configuration: defaults, `config.toml`, and flags, resolved into one `Config`.
//!
//! Like ripgrep's lowargs → hiargs: `Flags` is what the command line said,
//! `ConfigFile` is what the file said, and `resolve` (pure, no I/O) decides
//! each setting with flags first, then the file, then the default, and
//! remembers which of the three it was so `kindly config` can say. Reading
//! the file from disk happens in `read`, the only part that touches it.

mod file;
mod read;

use std::path::PathBuf;
use std::time::Duration;

pub use file::{parse, Base, ConfigFile, VoiceFile, MAX_TIMEOUT, PLACEHOLDER, TOP, VOICE};
pub use read::{read, Loaded};

use crate::session::{Bell, Gain, Session, SoundRef, StepKind};
use crate::synth::Cue;
use crate::timeline::DEFAULT_GATE;

/// How long one clip may take to synthesize unless the file says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Default,
    File,
    /// A command-line flag, such as `--gate`.
    Flag(&'static str),
}

impl Origin {
    pub fn describe(self) -> String {
        match self {
            Origin::Default => "default".to_owned(),
            Origin::File => "config file".to_owned(),
            Origin::Flag(f) => format!("flag {f}"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
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
pub struct Flags {
    pub volume: Option<Gain>,
    pub ambience: Option<String>,
    pub gate: Option<Duration>,
    /// `--dir` folders, searched before the file's `sessions`.
    pub dirs: Vec<PathBuf>,
    pub no_voice: bool,
}

/// The voice to speak with: a command template and a bound on each clip.
#[derive(Debug, Clone, PartialEq)]
pub struct Voice {
    /// argv, with `{text}` where the words go.
    pub command: Vec<String>,
    pub timeout: Duration,
}

/// Every setting, resolved: the hiargs.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
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
    /// Read by the journal's statistics.
    pub show_streaks: Setting<bool>,
    /// `None`: no voice configured, or `--no-voice`.
    pub voice: Setting<Option<Voice>>,
    /// Speak every prompt (not only steps with `speak = true`).
    pub speak_prompts: Setting<bool>,
    /// The bound on one clip; also in `voice`, kept here for its origin.
    pub voice_timeout: Setting<Duration>,
}

impl Default for Config {
    fn default() -> Config {
        resolve(&ConfigFile::default(), &Flags::default())
    }
}

impl Config {
    pub fn session_dirs(&self) -> Vec<PathBuf> {
        self.sessions.iter().map(|s| s.value.clone()).collect()
    }

    pub fn voice(&self) -> Option<&Voice> {
        self.voice.value.as_ref()
    }
}

/// Give bells that name no sound the configured cue, and interval bells
/// too: someone who dislikes the bowl dislikes it between bells as well.
/// Bells the script names are the author's choice and stay.
pub fn apply_bell(session: &mut Session, cue: Cue) {
    for step in &mut session.steps {
        match &mut step.kind {
            StepKind::Bell(b) if !b.sound_given => b.sound = SoundRef::Cue(cue),
            StepKind::Pause(p) if !p.interval_sound_given => p.interval_sound = SoundRef::Cue(cue),
            _ => {}
        }
    }
}

/// Flags over the file over defaults. Pure.
pub fn resolve(file: &ConfigFile, flags: &Flags) -> Config {
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
    let file_voice = file.voice.as_ref().map(|v| Voice {
        command: v.command.clone(),
        timeout: voice_timeout.value,
    });
    let voice = if flags.no_voice {
        Setting {
            value: None,
            origin: Origin::Flag("--no-voice"),
        }
    } else {
        Setting::pick(None, file_voice.map(Some), None)
    };
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
        show_streaks: Setting::pick(None, file.show_streaks, true),
        voice,
        speak_prompts: Setting::pick(
            None,
            file.voice.as_ref().and_then(|v| v.speak_prompts),
            true,
        ),
        voice_timeout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with_voice() -> ConfigFile {
        ConfigFile {
            gate: Some(Duration::from_secs(30)),
            sessions: vec!["/f".into()],
            voice: Some(VoiceFile {
                command: vec!["say".into(), "{text}".into()],
                speak_prompts: None,
                timeout: None,
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
        assert!(c.voice().is_none());
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
        let v = c.voice().unwrap();
        assert_eq!(v.timeout, DEFAULT_TIMEOUT);
        assert_eq!(c.voice.origin, Origin::File);
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
        assert!(c.voice().is_none());
        assert_eq!(c.voice.origin, Origin::Flag("--no-voice"));
        assert_eq!(c.ambience.value.as_deref(), Some("none"));
        // Flag folders are searched first, then the file's.
        assert_eq!(c.session_dirs(), vec![PathBuf::from("/flag"), "/f".into()]);
    }
}
