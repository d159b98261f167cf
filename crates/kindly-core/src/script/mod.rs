//! Session scripts: TOML text in, a `Session` and every problem found out.
//!
//! Parsing never fails outright. `parse` returns what it could build and
//! all the diagnostics at once, so `kindly check` can report every problem
//! in one run. It is pure: the caller reads the file and probes referenced
//! audio files (see `FileRef`).

mod keys;
#[cfg(test)]
mod mutations;
mod schema;
mod suggest;
mod validate;
pub mod walk;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::session::Session;

pub use keys::{
    for_kind as keys_for_kind, AMBIENCE as AMBIENCE_KEYS, COMMON as COMMON_KEYS, TOP as TOP_KEYS,
};
pub use schema::json_schema;
pub use suggest::{closest, one_of};

/// The format version this build reads.
pub const FORMAT: i64 = 1;

/// The result of reading one script.
#[derive(Debug)]
pub struct Parsed {
    /// Present when there were no errors (warnings allowed).
    pub session: Option<Session>,
    pub diagnostics: Vec<Diagnostic>,
    /// Audio files the script refers to, for the caller to probe.
    pub files: Vec<FileRef>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A file named in a script, with the span of the value that named it.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRef {
    pub path: PathBuf,
    pub span: Range<usize>,
}

/// Where a script came from, to name it and resolve its relative paths.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    /// The session id: the file stem, or the bundled name.
    pub id: &'a str,
    /// The folder relative sound paths are resolved against.
    pub dir: &'a Path,
}

/// Check `source` and build the session it describes.
pub fn parse(source: &str, origin: &Origin<'_>) -> Parsed {
    validate::run(source, origin, &crate::session::Patterns::default())
}

/// `parse`, with the person's own named breathing patterns, which a
/// `breathe` step's `pattern` may name.
pub fn parse_with(
    source: &str,
    origin: &Origin<'_>,
    patterns: &crate::session::Patterns,
) -> Parsed {
    validate::run(source, origin, patterns)
}

/// `source`, which must be a well-formed script, as a session: for tests
/// elsewhere in the crate that need one (its folder is `.`).
#[cfg(test)]
pub(crate) fn session_for_tests(source: &str) -> Session {
    let parsed = parse(
        source,
        &Origin {
            id: "t",
            dir: Path::new("."),
        },
    );
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed
        .session
        .expect("a well-formed script gives a session")
}
