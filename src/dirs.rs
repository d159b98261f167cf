//! Where kindly keeps things on disk: the only module that decides paths.
//!
//! `directories` implements the XDG base-directory rules (and their macOS
//! and Windows equivalents) so we do not. `KINDLY_HOME` puts everything in
//! one folder, for tests and portable use. `KINDLY_CONFIG` names the
//! configuration file itself, wherever the rest lives.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub(crate) struct Dirs {
    data: PathBuf,
    cache: PathBuf,
    config_file: PathBuf,
    /// Where `config_file` came from, for `kindly config` to say.
    config_from: ConfigFrom,
    /// The person's home folder, which `~` in config paths names. The
    /// real one even under `KINDLY_HOME`: that moves kindly's own files,
    /// not the person's music folder.
    home: Option<PathBuf>,
}

/// Why the configuration file is where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConfigFrom {
    /// The platform's config folder (XDG on Linux).
    Platform,
    /// `KINDLY_HOME`.
    Home,
    /// `KINDLY_CONFIG`, named outright: it must exist.
    Env,
}

/// The configuration file's name inside the config folder.
pub(crate) const CONFIG_FILE: &str = "config.toml";

impl Dirs {
    /// Resolve from the environment. `None` only when no home folder can be
    /// found and `KINDLY_HOME` is unset.
    pub(crate) fn from_env() -> Option<Dirs> {
        let mut dirs = if let Some(home) = std::env::var_os("KINDLY_HOME").filter(|h| !h.is_empty())
        {
            Dirs::in_one_folder(PathBuf::from(home))
        } else {
            let p = directories::ProjectDirs::from("", "", "kindly")?;
            Dirs {
                data: p.data_dir().to_owned(),
                cache: p.cache_dir().to_owned(),
                config_file: p.config_dir().join(CONFIG_FILE),
                config_from: ConfigFrom::Platform,
                home: None,
            }
        };
        if let Some(file) = std::env::var_os("KINDLY_CONFIG").filter(|f| !f.is_empty()) {
            dirs.config_file = PathBuf::from(file);
            dirs.config_from = ConfigFrom::Env;
        }
        dirs.home = directories::BaseDirs::new().map(|b| b.home_dir().to_owned());
        Some(dirs)
    }

    pub(crate) fn in_one_folder(home: PathBuf) -> Dirs {
        Dirs {
            data: home.clone(),
            cache: home.join("cache"),
            config_file: home.join(CONFIG_FILE),
            config_from: ConfigFrom::Home,
            home: None,
        }
    }

    /// The person's home folder, for `~` in config paths, when there is one.
    pub(crate) fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    /// The user's `config.toml`, which may not exist.
    pub(crate) fn config_file(&self) -> &Path {
        &self.config_file
    }

    pub(crate) fn config_from(&self) -> ConfigFrom {
        self.config_from
    }

    /// Built-in sounds rendered at a device's rate, kept so that the
    /// next session need not synthesize them again.
    pub(crate) fn sound_cache(&self) -> PathBuf {
        self.cache.join("sounds")
    }

    /// Synthesized speech, one WAV per (voice command, text).
    pub(crate) fn voice_cache(&self) -> PathBuf {
        self.cache.join("voices")
    }

    /// The user's own session scripts.
    /// Where piper's voice models are looked for when `voice.model` is not
    /// set: kindly's own `voices` folder, then piper's usual places.
    pub(crate) fn piper_models(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.data.join("voices")];
        if let Some(base) = directories::BaseDirs::new() {
            dirs.push(base.data_dir().join("piper"));
            dirs.push(base.data_dir().join("piper-voices"));
            dirs.push(base.data_dir().join("piper").join("voices"));
        }
        dirs.push(PathBuf::from("/usr/share/piper-voices"));
        dirs.push(PathBuf::from("/usr/local/share/piper-voices"));
        dirs
    }

    pub(crate) fn sessions(&self) -> PathBuf {
        self.data.join("sessions")
    }

    /// A copy of the schema that `kindly new` points scripts at.
    pub(crate) fn schema_file(&self) -> PathBuf {
        self.data.join("session.schema.json")
    }

    /// The practice log: one JSON record per line, appended to, never rewritten.
    pub(crate) fn practice_log(&self) -> PathBuf {
        self.data.join("practice-log.jsonl")
    }

    /// The private journal: one Markdown file per day, kept mode 0700/0600.
    pub(crate) fn journal(&self) -> PathBuf {
        self.data.join("journal")
    }

    /// What `kindly remind add` wrote, so `list` shows it and `remove`
    /// takes away exactly that.
    pub(crate) fn reminders(&self) -> PathBuf {
        self.data.join("reminders.json")
    }

    /// Reminders that fired where no desktop could show them, one JSON
    /// line each, until the next run shows them.
    pub(crate) fn pending_reminders(&self) -> PathBuf {
        self.data.join("reminders-pending.jsonl")
    }

    /// Where systemd looks for a person's own units:
    /// `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`
    /// (systemd.unit(5)). Not under `KINDLY_HOME`: systemd reads only these.
    pub(crate) fn systemd_user_units() -> Option<PathBuf> {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| Some(directories::BaseDirs::new()?.home_dir().join(".config")))?;
        Some(config.join("systemd").join("user"))
    }

    /// Where launchd loads a person's agents from on macOS.
    pub(crate) fn launch_agents() -> Option<PathBuf> {
        Some(
            directories::BaseDirs::new()?
                .home_dir()
                .join("Library")
                .join("LaunchAgents"),
        )
    }

    pub(crate) fn data(&self) -> &Path {
        &self.data
    }
}
