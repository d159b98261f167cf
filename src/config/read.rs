//! The edge that reads `config.toml` from disk. Everything else in `config` is pure.

use std::path::{Path, PathBuf};

use super::file::{parse, Base, ConfigFile};
use crate::diagnostic::Diagnostic;
use crate::dirs::{ConfigFrom, Dirs};
use crate::error::{Error, Result};

/// No real config file comes near this; it bounds the work of a wrong path.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The config file as read: what it says, and every problem in it.
#[derive(Debug, Default)]
pub(crate) struct LoadedConfig {
    /// `None` when there is no home folder to put it in.
    pub path: Option<PathBuf>,
    pub from: Option<ConfigFrom>,
    pub exists: bool,
    pub source: String,
    pub file: ConfigFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedConfig {
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Read and check the user's config file. A missing file is all defaults,
/// unless `KINDLY_CONFIG` named it outright: then it is a mistake worth
/// saying.
pub(crate) fn read(dirs: Option<&Dirs>) -> Result<LoadedConfig> {
    let Some(dirs) = dirs else {
        return Ok(LoadedConfig::default());
    };
    let path = dirs.config_file();
    let mut loaded = LoadedConfig {
        path: Some(path.to_owned()),
        from: Some(dirs.config_from()),
        ..LoadedConfig::default()
    };
    let bytes = match crate::safe_file::read_bounded(path, MAX_CONFIG_BYTES) {
        Ok(b) => b,
        Err(crate::safe_file::OpenError::NotFound) => {
            if dirs.config_from() == ConfigFrom::Env {
                return Err(Error::new(format!(
                    "KINDLY_CONFIG names {}, which does not exist",
                    path.display()
                ))
                .help("create the file, or unset KINDLY_CONFIG to use the usual place"));
            }
            return Ok(loaded);
        }
        Err(e @ crate::safe_file::OpenError::Io(_)) => {
            return Err(Error::io("read the config file", path, &e.into_io()));
        }
        Err(_) => {
            return Err(Error::new(format!(
                "the config file {} is not a small regular file",
                path.display()
            ))
            .help("config.toml is a short TOML file; point KINDLY_CONFIG at one, or remove this"));
        }
    };
    let source = String::from_utf8(bytes).map_err(|_| {
        Error::new(format!(
            "the config file {} is not UTF-8 text",
            path.display()
        ))
        .help("save it as UTF-8 in your editor")
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let (file, diagnostics) = parse(
        &source,
        Base {
            dir,
            home: dirs.home(),
        },
    );
    loaded.exists = true;
    loaded.source = source;
    loaded.file = file;
    loaded.diagnostics = diagnostics;
    Ok(loaded)
}
