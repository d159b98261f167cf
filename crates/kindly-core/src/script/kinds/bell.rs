//! `bell`: strike a bell one or more times; the step lasts until it has rung out.

use crate::script::fields::{no_refinement, Field, Kind, Shape, SPEAK};
use crate::script::read::SoundUse;
use crate::script::validate::{Cx, Table};
use crate::session::{Bell, SoundRef, StepKind};

pub(crate) const KIND: Kind = Kind {
    name: "bell",
    about: "Strike a bell one or more times; the step lasts until it has rung out.",
    fields: &[
        Field::optional(
            "sound",
            Shape::CueSound,
            "A built-in cue or an audio file; default bowl.",
        ),
        Field::optional(
            "strikes",
            Shape::Count {
                max: Bell::MAX_STRIKES,
            },
            "How many times to strike; default 1.",
        ),
        Field::optional(
            "spacing",
            Shape::Duration,
            "Time between strikes; default 4s.",
        ),
        Field::optional("volume", Shape::Volume, "Default 0.8."),
        Field::optional("text", Shape::Text, "Words shown while the bell rings."),
        SPEAK,
    ],
    check,
    refine_schema: no_refinement,
};

fn check(cx: &mut Cx<'_, '_>, t: &Table<'_, '_>) -> Option<StepKind> {
    let sound = cx.sound_or(
        t,
        "sound",
        SoundUse::Cue,
        SoundRef::Cue(Bell::DEFAULT_SOUND),
    );
    let strikes = cx.count(t, "strikes").map(|n| n.unwrap_or(1));
    let spacing = cx.optional_duration(t, "spacing");
    let volume = cx.volume(t, "volume", Bell::DEFAULT_VOLUME);
    let text = cx.optional_text(t, "text");
    Some(StepKind::Bell(Bell {
        sound: sound?,
        sound_given: t.get("sound").is_some(),
        strikes: strikes.valid()?,
        spacing: spacing.valid()?.unwrap_or(Bell::DEFAULT_SPACING),
        volume: volume?,
        text,
        hold: None,
    }))
}
