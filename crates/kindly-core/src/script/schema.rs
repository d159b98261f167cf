//! The JSON Schema (draft-07) of session scripts, for editors such as taplo and Even Better TOML.
//!
//! These types exist only to describe the format to schemars; the checker
//! in `validate` is what reads scripts. A unit test holds both to the same
//! keys, and tests/integration/schema.rs has an independent validator
//! (python's `jsonschema`) accept every bundled session, template and good
//! corpus script and reject known-bad ones, so the schema cannot drift from
//! what `kindly check` accepts. Draft-07 because taplo's support for newer
//! drafts is partial.
//!
//! Fields with a default are never required: `schema_with` hides the
//! `Option` from schemars, so those fields carry `#[serde(default)]`.

#![allow(dead_code)]

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;

/// A kindly session script (format 1).
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "kindly session")]
struct SessionFile {
    /// The session's name, shown in `kindly list` and while playing.
    title: String,
    /// One sentence about the session, shown in `kindly list`.
    summary: Option<String>,
    author: Option<String>,
    /// Labels for finding the session, such as "breathing" or "short".
    tags: Option<Vec<String>>,
    /// The format version. Only 1 exists.
    #[schemars(range(min = 1, max = 1))]
    format: Option<u32>,
    /// A sound bed under the whole session.
    ambience: Option<AmbienceTable>,
    /// The steps, in the order they play.
    #[schemars(length(min = 1))]
    steps: Vec<StepTable>,
}

/// A sound bed under the whole session.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AmbienceTable {
    /// A built-in bed or an audio file relative to this script.
    #[schemars(schema_with = "bed_sound")]
    sound: String,
    /// Loudness from 0 (silent) to 1; default 0.3.
    #[schemars(schema_with = "volume")]
    #[serde(default)]
    volume: Option<f64>,
    /// Fade in at the start and out at the end; default 5s.
    #[schemars(schema_with = "duration")]
    #[serde(default)]
    fade: Option<String>,
}

/// One step of a session.
#[derive(Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
enum StepTable {
    /// Strike a bell one or more times; the step lasts until it has rung out.
    Bell {
        theme: Option<ThemeName>,
        /// A built-in cue or an audio file; default bowl.
        #[schemars(schema_with = "cue_sound")]
        #[serde(default)]
        sound: Option<String>,
        /// How many times to strike; default 1.
        #[schemars(range(min = 1, max = 12))]
        strikes: Option<u32>,
        /// Time between strikes; default 4s.
        #[schemars(schema_with = "duration")]
        #[serde(default)]
        spacing: Option<String>,
        /// Default 0.8.
        #[schemars(schema_with = "volume")]
        #[serde(default)]
        volume: Option<f64>,
        /// Words shown while the bell rings.
        text: Option<String>,
        /// Speak `text` with the voice set in your config file; default false.
        speak: Option<bool>,
    },
    /// Show words for a while.
    Prompt {
        theme: Option<ThemeName>,
        /// The words to show.
        text: String,
        /// How long to show them: a duration, or "key" to wait for a key
        /// press. Default: a slow reading time.
        #[schemars(schema_with = "hold")]
        #[serde(default)]
        hold: Option<String>,
        /// A recorded clip of the words, relative to this script.
        voice: Option<String>,
        /// With a voice set in your config file, prompts are spoken; false
        /// keeps this one silent. A recorded `voice` always plays.
        speak: Option<bool>,
    },
    /// A timed silence, with optional interval bells.
    Pause {
        theme: Option<ThemeName>,
        #[schemars(schema_with = "duration")]
        duration: String,
        /// Words shown during the pause.
        text: Option<String>,
        /// Ring a bell every interval, or at a random time in a range
        /// such as "3m..7m".
        #[schemars(schema_with = "interval")]
        #[serde(default)]
        interval: Option<String>,
        /// The interval bell; default bowl.
        #[schemars(schema_with = "cue_sound")]
        #[serde(default)]
        interval_sound: Option<String>,
        /// Speak `text` with the voice set in your config file; default false.
        speak: Option<bool>,
    },
    /// A breathing pacer. Give `cycles` or `duration`, not both.
    Breathe {
        theme: Option<ThemeName>,
        /// box, 4-7-8, coherent, or seconds such as "4-6", "4-7-8", "4-4-4-4".
        #[schemars(schema_with = "pattern")]
        #[serde(default)]
        pattern: Option<String>,
        #[schemars(range(min = 1, max = 200))]
        cycles: Option<u32>,
        /// As many whole breaths as fit, rounded to the nearest.
        #[schemars(schema_with = "duration")]
        #[serde(default)]
        duration: Option<String>,
        /// The sound at each phase; default tone.
        cue: Option<BreathCueName>,
        text: Option<String>,
        /// Speak `text` with the voice set in your config file; default false.
        speak: Option<bool>,
    },
    /// Play an audio file.
    Audio {
        theme: Option<ThemeName>,
        /// WAV, FLAC, Ogg Vorbis or MP3, relative to this script.
        file: String,
        /// A caption shown while it plays.
        text: Option<String>,
        /// Default 1.
        #[schemars(schema_with = "volume")]
        #[serde(default)]
        volume: Option<f64>,
    },
    /// Ask a question and wait for Enter.
    Reflect {
        theme: Option<ThemeName>,
        question: String,
        /// Capture a typed answer in the private journal.
        journal: Option<bool>,
        /// Speak the question with the voice set in your config file; default false.
        speak: Option<bool>,
    },
}

/// The part of the practice this step belongs to.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum ThemeName {
    Mindfulness,
    CommonHumanity,
    SelfKindness,
    Attachment,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum BreathCueName {
    Tone,
    Chime,
    None,
}

fn duration(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "A duration such as \"90s\", \"1m30s\" or \"2m\", or a number of seconds; more than 0 and at most 24h.",
        "anyOf": [
            // The forms `duration::parse` accepts: whole h and m, seconds
            // with an optional fraction, largest first; or a number of seconds.
            { "type": "string", "pattern": "^\\s*([0-9]+(\\.[0-9]+)?|(?=[0-9])([0-9]+h)?\\s*([0-9]+m)?\\s*([0-9]+(\\.[0-9]+)?s)?\\s*([0-9]+ms)?)\\s*$" },
            { "type": "number", "exclusiveMinimum": 0, "maximum": 86400 }
        ]
    })
}

fn interval(g: &mut SchemaGenerator) -> Schema {
    let d = duration(g);
    // A range is two of the string durations joined by `..`.
    let one = "([0-9]+(\\.[0-9]+)?|(?=[0-9])([0-9]+h)?\\s*([0-9]+m)?\\s*([0-9]+(\\.[0-9]+)?s)?\\s*([0-9]+ms)?)";
    let range = format!("^\\s*{one}\\s*\\.\\.\\s*{one}\\s*$");
    json_schema!({
        "description": "A duration such as \"5m\", or a range such as \"3m..7m\" for a bell at a random time within it each time.",
        "anyOf": [ d, { "type": "string", "pattern": range } ]
    })
}

fn hold(g: &mut SchemaGenerator) -> Schema {
    let d = duration(g);
    json_schema!({
        "anyOf": [ { "const": "key" }, d ]
    })
}

fn volume(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number", "minimum": 0, "maximum": 1 })
}

fn pattern(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "enum": ["box", "4-7-8", "coherent"] },
            { "type": "string", "pattern": "^[0-9.]+(-[0-9.]+){1,3}$" }
        ]
    })
}

fn sound_schema(names: Vec<&'static str>) -> Schema {
    json_schema!({
        "anyOf": [
            { "enum": names },
            { "type": "string", "description": "An audio file (WAV, FLAC, Ogg Vorbis, MP3) relative to this script.", "pattern": "[./\\\\]" }
        ]
    })
}

fn cue_sound(_: &mut SchemaGenerator) -> Schema {
    sound_schema(crate::synth::Cue::ALL.iter().map(|c| c.name()).collect())
}

fn bed_sound(_: &mut SchemaGenerator) -> Schema {
    sound_schema(crate::synth::Bed::ALL.iter().map(|b| b.name()).collect())
}

/// TOML has no null: an absent key is how a script says "default". schemars
/// adds `null` for every `Option`, which would tell an editor otherwise.
fn drop_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    let null = serde_json::json!({ "type": "null" });
    if let Value::Object(map) = value {
        if map.get("default") == Some(&Value::Null) {
            map.remove("default");
        }
        if let Some(Value::Array(types)) = map.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                map.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(options)) = map.get("anyOf") {
            let rest: Vec<Value> = options.iter().filter(|o| **o != null).cloned().collect();
            if rest.len() == 1 && rest.len() < options.len() {
                map.remove("anyOf");
                if let Value::Object(inner) = &rest[0] {
                    for (k, v) in inner {
                        map.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
        }
        map.values_mut().for_each(drop_null);
    } else if let Value::Array(items) = value {
        items.iter_mut().for_each(drop_null);
    }
}

/// A breathe step gives `cycles` or `duration`, never both and never
/// neither. serde has no words for that, so it is added to the generated
/// variant as a `oneOf`, which taplo and Even Better TOML both read.
fn exactly_one_length(schema: &mut serde_json::Value) {
    let Some(variants) = schema
        .pointer_mut("/definitions/StepTable/oneOf")
        .and_then(|v| v.as_array_mut())
    else {
        return;
    };
    for variant in variants {
        if variant
            .pointer("/properties/kind/const")
            .and_then(|k| k.as_str())
            == Some("breathe")
        {
            variant["oneOf"] = serde_json::json!([
                { "required": ["cycles"], "not": { "required": ["duration"] } },
                { "required": ["duration"], "not": { "required": ["cycles"] } }
            ]);
        }
    }
}

/// The schema as pretty JSON with a trailing newline: what `kindly schema`
/// prints and `schema/session.schema.json` holds.
pub fn json_schema() -> String {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<SessionFile>();
    let mut schema = serde_json::Value::from(schema);
    drop_null(&mut schema);
    exactly_one_length(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::keys;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn props(v: &Value) -> BTreeSet<String> {
        v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn schema_matches_the_checker() {
        let schema: Value = serde_json::from_str(&super::json_schema()).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(props(&schema), set(keys::TOP));
        let defs = &schema["definitions"];
        assert_eq!(props(&defs["AmbienceTable"]), set(keys::AMBIENCE));
        let variants = defs["StepTable"]["oneOf"].as_array().unwrap();
        assert_eq!(variants.len(), 6);
        for v in variants {
            let kind = v["properties"]["kind"]["const"]
                .as_str()
                .or_else(|| v["properties"]["kind"]["enum"][0].as_str())
                .unwrap();
            let mut expected = set(keys::for_kind(kind).unwrap());
            expected.extend(set(keys::COMMON));
            assert_eq!(props(v), expected, "kind {kind}");
            assert_eq!(v["additionalProperties"], false);
        }
    }
}
