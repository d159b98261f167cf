//! `prompt`: show words for a while, for a reading time, a duration or until a key.

use toml::de::DeValue;

use crate::duration;
use crate::script::fields::{no_refinement, Field, Kind, Shape};
use crate::script::validate::{Cx, Table};
use crate::script::walk::duration_error;
use crate::session::{Hold, Prompt, StepKind};

pub(crate) const KIND: Kind = Kind {
    name: "prompt",
    about: "Show words for a while.",
    fields: &[
        Field::required("text", Shape::Text, "The words to show."),
        Field::optional(
            "hold",
            Shape::Hold,
            "How long to show them: a duration, or \"key\" to wait for a key\npress. Default: a slow reading time.",
        ),
        Field::optional(
            "voice",
            Shape::File,
            "A recorded clip of the words, relative to this script.",
        ),
        Field::optional(
            "speak",
            Shape::Flag,
            "With a voice set in your config file, prompts are spoken; false\nkeeps this one silent. A recorded `voice` always plays.",
        ),
    ],
    check,
    refine_schema: no_refinement,
};

fn check(cx: &mut Cx<'_, '_>, t: &Table<'_, '_>) -> Option<StepKind> {
    let text = cx.required_text(t, "text");
    let hold = match t.get("hold") {
        None => text
            .as_deref()
            .map(|s| Hold::Reading(Hold::reading_time(s))),
        Some(v) => match v.get_ref() {
            DeValue::String(s) if s.trim() == "key" => Some(Hold::Key),
            DeValue::String(s) => match duration::parse(s) {
                Ok(d) => Some(Hold::For(d)),
                Err(e) => {
                    cx.push(duration_error("hold", s, &e, v.span()).help(
                        "write a duration like \"10s\" or \"1m\", or \"key\" to wait for a key press",
                    ));
                    None
                }
            },
            _ => cx.duration_value(v, "hold").map(Hold::For),
        },
    };
    // A table or list here was refused by `refuse_voice_settings`.
    let voice = t
        .get("voice")
        .filter(|v| !matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)))
        .and_then(|v| cx.file_path(v, "voice"));
    if t.get("voice").is_some() && voice.is_none() {
        return None;
    }
    Some(StepKind::Prompt(Prompt {
        text: text?,
        hold: hold?,
        voice,
    }))
}
