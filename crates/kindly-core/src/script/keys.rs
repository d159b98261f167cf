//! The keys of a script's top level and of `[ambience]`; each step kind's are in `kinds/`.
//!
//! The checker accepts these and no others, and the schema is built from
//! the same lists (`schema.rs`), so the two cannot disagree.

use super::fields::{Field, Shape};

pub const TOP: &[&str] = &[
    "title", "summary", "author", "tags", "format", "ambience", "include", "blocks", "steps",
];

/// Keys every step may have, whatever its kind.
pub(crate) const COMMON: &[&str] = &["kind", "theme"];

pub(crate) const AMBIENCE: &[Field] = &[
    Field::required(
        "sound",
        Shape::BedSound,
        "A built-in bed or an audio file relative to this script.",
    ),
    Field::optional(
        "volume",
        Shape::Volume,
        "Loudness from 0 (silent) to 1; default 0.3.",
    ),
    Field::optional(
        "fade",
        Shape::Duration,
        "Fade in at the start and out at the end; default 5s.",
    ),
];
