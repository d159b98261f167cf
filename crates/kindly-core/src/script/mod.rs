//! Session scripts: TOML text in, a `Session` and every problem found out.
//!
//! Parsing never fails outright. `parse` returns what it could build and
//! all the diagnostics at once, so `kindly check` can report every problem
//! in one run. It is pure: the caller reads the file and probes referenced
//! audio files (see `FileRef`).

mod blocks;
mod fields;
mod include;
mod keys;
mod kinds;
#[cfg(test)]
mod mutations;
mod read;
mod schema;
mod suggest;
mod validate;
pub mod walk;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Note, SourceFile};
use crate::session::Session;

pub use blocks::{MAX_BLOCK_DEPTH, MAX_EXPANDED_STEPS, MAX_REPEAT};
pub use include::{
    outside as include_outside, resolve_within, InMemory, Included, Includes, NoIncludes,
    MAX_INCLUDED_FILES, MAX_INCLUDE_BYTES, MAX_INCLUDE_DEPTH,
};
pub use schema::json_schema;
pub use suggest::{closest, did_you_mean, one_of, suggest};

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
    /// The script is a file of blocks (`blocks` and `include`, no title or
    /// steps): checked like a session, but with nothing to play.
    pub blocks_file: bool,
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
    /// The file the span is in, when the path was written in an included
    /// file; `None`: the session's own.
    pub file: Option<std::sync::Arc<SourceFile>>,
    /// The lines that brought that file in.
    pub notes: Vec<Note>,
}

impl FileRef {
    /// `d`, about this file, placed at the value that named it.
    pub fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        d.span = Some(self.span.clone());
        if let Some(file) = &self.file {
            d = d.in_file(file);
        }
        for note in &self.notes {
            d = d.note(note.clone());
        }
        d
    }
}

/// Where a script came from, to name it and resolve its relative paths.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    /// The session id: the file stem, or the bundled name.
    pub id: &'a str,
    /// The folder relative sound paths are resolved against.
    pub dir: &'a Path,
}

/// Check `source` and build the session it describes. It may include no
/// files: see `parse_with`.
pub fn parse(source: &str, origin: &Origin<'_>) -> Parsed {
    validate::run(
        source,
        origin,
        &mut NoIncludes,
        &crate::session::Patterns::default(),
    )
}

/// Check `source`, reading the files it includes through `includes`, with
/// the person's own named breathing patterns, which a `breathe` step's
/// `pattern` may name.
pub fn parse_with(
    source: &str,
    origin: &Origin<'_>,
    includes: &mut dyn Includes,
    patterns: &crate::session::Patterns,
) -> Parsed {
    validate::run(source, origin, includes, patterns)
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
