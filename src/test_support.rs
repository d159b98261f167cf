//! Helpers for this crate's unit tests only.

use std::path::Path;

use crate::script::{parse, Origin};
use crate::session::Session;

/// `source`, which must be a well-formed script, as a session (its folder is `.`).
pub(crate) fn session(source: &str) -> Session {
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
