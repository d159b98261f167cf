//! The JSON Schema (draft-07) of session scripts, for editors such as taplo and Even Better TOML.
//!
//! The top level is described by a struct for schemars to derive; the
//! `[ambience]` table and each step kind are built from the same tables of
//! keys the checker reads (`keys`, `kinds/`), so a key the checker accepts
//! is a key the schema describes. tests/integration/schema.rs has an independent validator
//! (python's `jsonschema`) accept every bundled session, template and good
//! corpus script and reject known-bad ones, so the schema cannot drift from
//! what `kindly check` accepts. Draft-07 because taplo's support for newer
//! drafts is partial.

#![allow(dead_code)]

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::transform::{ReplacePrefixItems, ReplaceUnevaluatedProperties};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use super::fields::{table_schema, ThemeName};
use super::{keys, kinds};

/// A kindly session script (format 1).
#[derive(JsonSchema)]
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
    /// Files to take more blocks from, relative to this script, such as
    /// "shared/arrival.toml". Only this script's folder tree and your
    /// `sessions` folders can be included from.
    include: Option<Vec<String>>,
    /// Named runs of steps that steps can `use`.
    blocks: Option<std::collections::BTreeMap<String, BlockTable>>,
    /// The steps, in the order they play.
    #[schemars(length(min = 1))]
    steps: Vec<StepItem>,
}

/// A named run of steps.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct BlockTable {
    /// The block's steps, in the order they play; a step may use another block.
    #[schemars(length(min = 1))]
    steps: Vec<StepItem>,
}

/// A step, or a use of a block.
#[derive(JsonSchema)]
#[serde(untagged)]
enum StepItem {
    Step(StepTable),
    Use(UseStep),
}

/// Play a block's steps here, once or `repeat` times.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct UseStep {
    /// The block's name: one of this script's `[blocks.NAME]`, or of a file it includes.
    #[serde(rename = "use")]
    #[schemars(length(min = 1))]
    use_: String,
    /// How many times to play it; default 1.
    #[schemars(range(min = 1, max = 100))]
    repeat: Option<u32>,
}

/// `[ambience]`, described by its table of keys (`keys::AMBIENCE`).
struct AmbienceTable;

impl JsonSchema for AmbienceTable {
    fn schema_name() -> Cow<'static, str> {
        "AmbienceTable".into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        table_schema(
            "A sound bed under the whole session.",
            keys::AMBIENCE,
            Vec::new(),
            &[],
            g,
        )
        .into()
    }
}

/// One step: one closed table per kind, each built from that kind's keys
/// (`kinds/`), told apart by `kind`.
struct StepTable;

impl JsonSchema for StepTable {
    fn schema_name() -> Cow<'static, str> {
        "StepTable".into()
    }

    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let theme = g.subschema_for::<ThemeName>().to_value();
        let variants: Vec<serde_json::Value> = kinds::ALL
            .iter()
            .map(|k| {
                let kind = serde_json::json!({ "type": "string", "const": k.name });
                let common = vec![("kind", kind), ("theme", theme.clone())];
                let mut table = table_schema(k.about, k.fields, common, &["kind"], g);
                (k.refine_schema)(&mut table);
                serde_json::Value::Object(table)
            })
            .collect();
        json_schema!({
            "description": "One step of a session.",
            "oneOf": variants
        })
    }
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

/// The schema as pretty JSON with a trailing newline: what `kindly schema`
/// prints and `schema/session.schema.json` holds.
pub fn json_schema() -> String {
    let mut settings = SchemaSettings::draft07();
    // Keep a key's description beside its `$ref` (`cue`, `ambience`) rather
    // than wrapping the reference in an `allOf`, as the schema always has:
    // taplo and Even Better TOML show the description either way.
    settings.transforms = vec![
        Box::new(ReplaceUnevaluatedProperties::default()),
        Box::new(ReplacePrefixItems::default()),
    ];
    let schema = settings
        .into_generator()
        .into_root_schema_for::<SessionFile>();
    let mut schema = serde_json::Value::from(schema);
    drop_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::{keys, kinds};
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

    fn set<'a>(keys: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        keys.into_iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn schema_matches_the_checker() {
        let schema: Value = serde_json::from_str(&super::json_schema()).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(props(&schema), set(keys::TOP.iter().copied()));
        let defs = &schema["definitions"];
        assert_eq!(
            props(&defs["AmbienceTable"]),
            set(keys::AMBIENCE.iter().map(|f| f.key))
        );
        assert_eq!(
            props(&defs["UseStep"]),
            set(super::super::blocks::USE_KEYS.iter().copied())
        );
        assert_eq!(
            defs["UseStep"]["properties"]["repeat"]["maximum"],
            super::super::MAX_REPEAT
        );
        let variants = defs["StepTable"]["oneOf"].as_array().unwrap();
        assert_eq!(variants.len(), kinds::ALL.len());
        for v in variants {
            let name = v["properties"]["kind"]["const"].as_str().unwrap();
            let kind = kinds::find(name).unwrap();
            let mut expected = set(kind.keys());
            expected.extend(set(keys::COMMON.iter().copied()));
            assert_eq!(props(v), expected, "kind {name}");
            assert_eq!(v["additionalProperties"], false);
            let required: Vec<&str> = kind
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.key)
                .collect();
            let listed: Vec<&str> = v["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            assert_eq!(listed[1..], required[..], "kind {name}");
        }
    }
}
