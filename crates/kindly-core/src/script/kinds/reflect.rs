//! `reflect`: ask a question and wait for Enter, keeping a typed answer if asked to.

use crate::script::fields::{no_refinement, Field, Kind, Shape};
use crate::script::validate::{Cx, Table};
use crate::session::{Reflect, StepKind};

pub(crate) const KIND: Kind = Kind {
    name: "reflect",
    about: "Ask a question and wait for Enter.",
    fields: &[
        Field::plain("question", Shape::Text, true),
        Field::optional(
            "journal",
            Shape::Flag,
            "Capture a typed answer in the private journal.",
        ),
        Field::optional(
            "speak",
            Shape::Flag,
            "Speak the question with the voice set in your config file; default false.",
        ),
    ],
    check,
    refine_schema: no_refinement,
};

fn check(cx: &mut Cx<'_, '_>, t: &Table<'_, '_>) -> Option<StepKind> {
    let question = cx.required_text(t, "question");
    let journal = cx.flag(t, "journal");
    Some(StepKind::Reflect(Reflect {
        question: question?,
        journal: journal?,
    }))
}
