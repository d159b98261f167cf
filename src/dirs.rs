//! Where kindly keeps things on disk: the only module that decides paths.
//!
//! `directories` implements the XDG base-directory rules (and their macOS
//! and Windows equivalents) so we do not. `KINDLY_HOME` puts everything in
//! one folder, for tests and portable use.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Dirs {
    data: PathBuf,
    config: PathBuf,
    cache: PathBuf,
}

impl Dirs {
    /// Resolve from the environment. `None` only when no home folder can be
    /// found and `KINDLY_HOME` is unset.
    pub fn from_env() -> Option<Dirs> {
        if let Some(home) = std::env::var_os("KINDLY_HOME").filter(|h| !h.is_empty()) {
            return Some(Dirs::in_one_folder(PathBuf::from(home)));
        }
        let p = directories::ProjectDirs::from("", "", "kindly")?;
        Some(Dirs {
            data: p.data_dir().to_owned(),
            config: p.config_dir().to_owned(),
            cache: p.cache_dir().to_owned(),
        })
    }

    pub fn in_one_folder(home: PathBuf) -> Dirs {
        Dirs {
            data: home.clone(),
            config: home.clone(),
            cache: home.join("cache"),
        }
    }

    /// The user's own session scripts.
    pub fn sessions(&self) -> PathBuf {
        self.data.join("sessions")
    }

    /// A copy of the schema that `kindly new` points scripts at.
    pub fn schema_file(&self) -> PathBuf {
        self.data.join("session.schema.json")
    }

    /// The practice log: one JSON record per line, appended to, never rewritten.
    pub fn practice_log(&self) -> PathBuf {
        self.data.join("practice-log.jsonl")
    }

    /// The private journal: one Markdown file per day, kept mode 0700/0600.
    pub fn journal(&self) -> PathBuf {
        self.data.join("journal")
    }

    pub fn data(&self) -> &Path {
        &self.data
    }

    pub fn config(&self) -> &Path {
        &self.config
    }

    pub fn cache(&self) -> &Path {
        &self.cache
    }
}
