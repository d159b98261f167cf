//! `breathe`: a breathing pacer, measured in cycles or by duration.

use serde_json::{json, Map, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::script::fields::{Field, Kind, Shape, SPEAK};
use crate::script::suggest::{did_you_mean, one_of, unknown_name};
use crate::script::validate::{Cx, Table};
use crate::script::walk;
use crate::session::{BreathCue, BreathLength, BreathPattern, Breathe, PatternError, StepKind};

pub(crate) const KIND: Kind = Kind {
    name: "breathe",
    about: "A breathing pacer. Give `cycles` or `duration`, not both.",
    fields: &[
        Field::optional(
            "pattern",
            Shape::Pattern,
            "box, 4-7-8, coherent, or seconds such as \"4-6\", \"4-7-8\", \"4-4-4-4\".",
        ),
        Field::plain(
            "cycles",
            Shape::Count {
                max: Breathe::MAX_CYCLES,
            },
            false,
        ),
        Field::optional(
            "duration",
            Shape::Duration,
            "As many whole breaths as fit, rounded to the nearest.",
        ),
        Field::optional(
            "cue",
            Shape::BreathCue,
            "The sound at each phase; default tone.",
        ),
        Field::plain("text", Shape::Text, false),
        SPEAK,
    ],
    check,
    refine_schema: exactly_one_length,
};

/// `cycles` or `duration`, never both and never neither. A list of keys
/// has no words for that; a `oneOf`, which taplo and Even Better TOML both
/// read, does.
fn exactly_one_length(schema: &mut Map<String, Value>) {
    schema.insert(
        "oneOf".into(),
        json!([
            { "required": ["cycles"], "not": { "required": ["duration"] } },
            { "required": ["duration"], "not": { "required": ["cycles"] } }
        ]),
    );
}

fn check(cx: &mut Cx<'_, '_>, t: &Table<'_, '_>) -> Option<StepKind> {
    let pattern = match t.get("pattern") {
        None => Some(BreathPattern::coherent()),
        Some(v) => self::pattern(cx, v),
    };
    let cycles = cx.count(t, "cycles");
    let duration = cx.optional_duration(t, "duration");
    let cue = match t.get("cue") {
        None => Some(BreathCue::Tone),
        Some(v) => {
            let name = cx.string(v, "cue");
            name.and_then(|name| match BreathCue::from_name(name) {
                Some(c) => Some(c),
                None => {
                    cx.push(unknown_name(
                        Code::UnknownCue,
                        "breath cue",
                        name,
                        &BreathCue::NAMES,
                        v.span(),
                    ));
                    None
                }
            })
        }
    };
    let text = cx.optional_text(t, "text");
    let length = match (cycles.valid()?, duration.valid()?) {
        (Some(_), Some(_)) => {
            let span = t.get("duration").map(|v| v.span()).unwrap_or_default();
            cx.push(
                Diagnostic::error(
                    Code::ConflictingFields,
                    "`cycles` and `duration` are both given",
                )
                .at(span)
                .label("remove this or `cycles`")
                .help("a breathe step is measured in `cycles` or by `duration`, not both"),
            );
            None
        }
        (Some(n), None) => Some(BreathLength::Cycles(n)),
        (None, Some(d)) => Some(BreathLength::Duration(d)),
        (None, None) => {
            cx.push(
                Diagnostic::error(
                    Code::MissingField,
                    "this `breathe` step needs `cycles` or `duration`",
                )
                .at(t.anchor.clone())
                .help("add `cycles = 6`, or `duration = \"2m\"` for as many whole breaths as fit"),
            );
            None
        }
    };
    Some(StepKind::Breathe(Breathe {
        pattern: pattern?,
        length: length?,
        cue: cue?,
        text,
    }))
}

fn pattern(cx: &mut Cx<'_, '_>, v: &walk::Value<'_>) -> Option<BreathPattern> {
    let text = cx.string(v, "pattern")?;
    match BreathPattern::parse_with(text, cx.patterns) {
        Ok(p) => Some(p),
        Err(e) => {
            let names = cx.patterns.names();
            let message = match &e {
                PatternError::Count(_) | PatternError::NotANumber(_) => {
                    format!("`{text}` is not a breathing pattern")
                }
                PatternError::OutOfRange(part) => {
                    format!("`{part}` seconds is out of range in pattern `{text}`")
                }
            };
            let help = match (&e, did_you_mean(text, names.iter().copied())) {
                (PatternError::OutOfRange(_), _) => {
                    "each phase must be from 0.5 to 30 seconds (a hold may be 0)".to_owned()
                }
                (_, Some(help)) => help,
                // A name: perhaps one the person meant to keep in config.toml.
                _ if crate::session::is_own_name(text) => format!(
                    "use {}, or name your own in config.toml:\n\n[patterns]\n{text} = \"4-2-6-0\"",
                    one_of(&names)
                ),
                _ => format!(
                    "use {}, or seconds such as \"4-6\" (in, out), \"4-7-8\" (in, hold, out) or \"4-4-4-4\" (in, hold, out, hold)",
                    one_of(&names)
                ),
            };
            cx.push(
                Diagnostic::error(Code::BadPattern, message)
                    .at(v.span())
                    .help(help),
            );
            None
        }
    }
}
