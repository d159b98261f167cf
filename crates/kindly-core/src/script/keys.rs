//! The keys a session script may use, per table and per step kind.
//!
//! One list serves the checker (unknown keys, suggestions) and a test that
//! holds the JSON Schema to the same set.

pub const TOP: &[&str] = &[
    "title", "summary", "author", "tags", "format", "ambience", "include", "blocks", "steps",
];
pub const AMBIENCE: &[&str] = &["sound", "volume", "fade"];
/// Keys every step may have.
pub const COMMON: &[&str] = &["kind", "theme"];

/// The keys of each step kind, besides `COMMON`.
pub fn for_kind(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "bell" => &["sound", "strikes", "spacing", "volume", "text", "speak"],
        "prompt" => &["text", "hold", "voice", "speak"],
        "pause" => &["duration", "text", "interval", "interval_sound", "speak"],
        "breathe" => &["pattern", "cycles", "duration", "cue", "text", "speak"],
        // No `speak`: an audio step's sound is its file, and words spoken
        // over it would fight it.
        "audio" => &["file", "text", "volume"],
        "reflect" => &["question", "journal", "speak"],
        _ => return None,
    })
}
