//! The description of a table's keys: one list per table drives the checker and the schema.
//!
//! A `Field` names a key, the shape of its value, whether it is required and
//! what an editor says about it. The checker accepts exactly the keys a
//! table lists, reads each through the accessor for its shape (which takes
//! bounds such as a count's maximum from here), and `schema` turns the same
//! list into JSON Schema. A key added to a list is therefore accepted,
//! described and checked at once; one left out is refused by all three.

use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Value};

use crate::session::StepKind;

/// What a key's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A string of words, shown (and maybe spoken).
    Text,
    /// `true` or `false`.
    Flag,
    /// A duration such as "90s", or a number of seconds.
    Duration,
    /// A duration, or a range such as "3m..7m" for a bell at a random
    /// time within it.
    Interval,
    /// A loudness from 0 to 1.
    Volume,
    /// A whole number from 1 to `max`.
    Count { max: u32 },
    /// A built-in cue or an audio file.
    CueSound,
    /// A built-in ambience bed or an audio file.
    BedSound,
    /// A duration, or "key" to wait for a key press.
    Hold,
    /// A named breathing pattern or seconds joined by `-`.
    Pattern,
    /// The sound at each breathing phase.
    BreathCue,
    /// An audio file relative to the script.
    File,
}

/// One key of a table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// What an editor shows for the key; `None` keeps the shape's own words.
    pub about: Option<&'static str>,
}

impl Field {
    pub(crate) const fn optional(key: &'static str, shape: Shape, about: &'static str) -> Field {
        Field {
            key,
            shape,
            required: false,
            about: Some(about),
        }
    }

    pub const fn required(key: &'static str, shape: Shape, about: &'static str) -> Field {
        Field {
            key,
            shape,
            required: true,
            about: Some(about),
        }
    }

    /// A key with no words of its own.
    pub const fn plain(key: &'static str, shape: Shape, required: bool) -> Field {
        Field {
            key,
            shape,
            required,
            about: None,
        }
    }
}

/// `speak` as most kinds with words have it.
pub(crate) const SPEAK: Field = Field::optional(
    "speak",
    Shape::Flag,
    "Speak `text` with the voice set in your config file; default false.",
);

/// One step kind: its keys, and how a table of them becomes a step.
pub(crate) struct Kind {
    /// The value of `kind`.
    pub name: &'static str,
    /// What the kind does, for editors.
    pub about: &'static str,
    /// Its keys, besides `kind` and `theme` (`COMMON`), in the order docs list them.
    pub fields: &'static [Field],
    /// The step a table describes. `None`: its problems have been reported.
    pub check:
        fn(&mut super::validate::Cx<'_, '_>, &super::validate::Table<'_, '_>) -> Option<StepKind>,
    /// Rules between keys that a list of keys cannot say, added to the
    /// kind's schema (`breathe`: `cycles` or `duration`, not both).
    pub refine_schema: fn(&mut serde_json::Map<String, Value>),
}

impl Kind {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.fields.iter().map(|f| f.key)
    }
}

/// No rules between keys.
pub(crate) fn no_refinement(_: &mut serde_json::Map<String, Value>) {}

/// The JSON Schema of a value of `shape`.
fn shape_schema(shape: Shape, g: &mut SchemaGenerator) -> Value {
    match shape {
        Shape::Text | Shape::File => json!({ "type": "string" }),
        Shape::Flag => json!({ "type": "boolean" }),
        Shape::Duration => duration(),
        Shape::Interval => interval(),
        Shape::Volume => json!({ "type": "number", "minimum": 0, "maximum": 1 }),
        Shape::Count { max } => {
            json!({ "type": "integer", "format": "uint32", "minimum": 1, "maximum": max })
        }
        Shape::CueSound => sound(crate::synth::Cue::ALL.iter().map(|c| c.name()).collect()),
        Shape::BedSound => sound(
            crate::synth::BedSound::ALL
                .iter()
                .map(|b| b.name())
                .collect(),
        ),
        Shape::Hold => json!({ "anyOf": [ { "const": "key" }, duration() ] }),
        Shape::Pattern => json!({
            "anyOf": [
                { "enum": crate::session::BreathPattern::NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>() },
                { "type": "string", "pattern": "^[0-9.]+(-[0-9.]+){1,3}$" },
                // A person's own `[patterns.NAME]`: the schema cannot know
                // their config, so it takes any name config.toml could
                // hold, and `kindly check` says whether it is there.
                {
                    "type": "string",
                    "pattern": "^[A-Za-z][A-Za-z0-9_-]*$",
                    "description": "One of your own patterns, from [patterns] in config.toml."
                }
            ]
        }),
        Shape::BreathCue => g.subschema_for::<BreathCueName>().to_value(),
    }
}

fn duration() -> Value {
    json!({
        "description": "A duration such as \"90s\", \"1m30s\" or \"2m\", or a number of seconds; more than 0 and at most 24h.",
        "anyOf": [
            // The forms `duration::parse` accepts: whole h and m, seconds
            // with an optional fraction, largest first; or a number of seconds.
            { "type": "string", "pattern": "^\\s*([0-9]+(\\.[0-9]+)?|(?=[0-9])([0-9]+h)?\\s*([0-9]+m)?\\s*([0-9]+(\\.[0-9]+)?s)?\\s*([0-9]+ms)?)\\s*$" },
            { "type": "number", "exclusiveMinimum": 0, "maximum": 86400 }
        ]
    })
}

fn interval() -> Value {
    // A range is two of the string durations joined by `..`.
    let one = "([0-9]+(\\.[0-9]+)?|(?=[0-9])([0-9]+h)?\\s*([0-9]+m)?\\s*([0-9]+(\\.[0-9]+)?s)?\\s*([0-9]+ms)?)";
    let range = format!("^\\s*{one}\\s*\\.\\.\\s*{one}\\s*$");
    json!({
        "description": "A duration such as \"5m\", or a range such as \"3m..7m\" for a bell at a random time within it each time.",
        "anyOf": [ duration(), { "type": "string", "pattern": range } ]
    })
}

fn sound(names: Vec<&'static str>) -> Value {
    json!({
        "anyOf": [
            { "enum": names },
            { "type": "string", "description": "An audio file (WAV, FLAC, Ogg Vorbis, MP3) relative to this script.", "pattern": "[./\\\\]" }
        ]
    })
}

/// A closed table of `fields` (and `extra`, already described) as JSON
/// Schema: its properties, the required keys (`required` first), and no
/// others.
pub(crate) fn table_schema(
    about: &str,
    fields: &[Field],
    extra: Vec<(&'static str, Value)>,
    required: &[&'static str],
    g: &mut SchemaGenerator,
) -> serde_json::Map<String, Value> {
    let mut properties = serde_json::Map::new();
    for (key, schema) in extra {
        properties.insert(key.into(), schema);
    }
    for f in fields {
        let mut schema = shape_schema(f.shape, g);
        if let (Some(about), Value::Object(map)) = (f.about, &mut schema) {
            map.insert("description".into(), about.into());
        }
        properties.insert(f.key.into(), schema);
    }
    let required: Vec<&str> = required
        .iter()
        .copied()
        .chain(fields.iter().filter(|f| f.required).map(|f| f.key))
        .collect();
    let mut table = serde_json::Map::new();
    table.insert("type".into(), "object".into());
    table.insert("description".into(), about.into());
    table.insert("properties".into(), properties.into());
    if !required.is_empty() {
        table.insert("required".into(), json!(required));
    }
    table.insert("additionalProperties".into(), false.into());
    table
}

/// The part of the practice this step belongs to.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
pub(crate) enum ThemeName {
    Mindfulness,
    CommonHumanity,
    SelfKindness,
    Attachment,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum BreathCueName {
    Tone,
    Chime,
    None,
}
