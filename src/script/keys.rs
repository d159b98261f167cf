//! The keys a session script may use, per table and per step kind.
//!
//! One list serves the checker (unknown keys, suggestions) and a test that
//! holds the JSON Schema to the same set.

pub const TOP: &[&str] = &[
    "title", "summary", "author", "tags", "format", "ambience", "steps",
];
pub const AMBIENCE: &[&str] = &["sound", "volume", "fade"];
/// Keys every step may have.
pub const COMMON: &[&str] = &["kind", "theme"];

/// The keys of each step kind, besides `COMMON`.
pub fn for_kind(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "bell" => &["sound", "strikes", "spacing", "volume", "text"],
        "prompt" => &["text", "hold", "voice"],
        "pause" => &["duration", "text", "interval", "interval_sound"],
        "breathe" => &["pattern", "cycles", "duration", "cue", "text"],
        "audio" => &["file", "text", "volume"],
        "reflect" => &["question", "journal"],
        _ => return None,
    })
}
