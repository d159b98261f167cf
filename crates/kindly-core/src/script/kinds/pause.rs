//! `pause`: a timed silence, with optional interval bells.

use crate::diagnostic::{Code, Diagnostic};
use crate::script::fields::{no_refinement, Field, Kind, Shape, SPEAK};
use crate::script::read::SoundUse;
use crate::script::validate::{Cx, Table};
use crate::session::{Bell, Pause, SoundRef, StepKind};

pub(crate) const KIND: Kind = Kind {
    name: "pause",
    about: "A timed silence, with optional interval bells.",
    fields: &[
        Field::plain("duration", Shape::Duration, true),
        Field::optional("text", Shape::Text, "Words shown during the pause."),
        Field::optional(
            "interval",
            Shape::Interval,
            "Ring a bell every interval, or at a random time in a range such as \"3m..7m\".",
        ),
        Field::optional(
            "interval_sound",
            Shape::CueSound,
            "The interval bell; default bowl.",
        ),
        SPEAK,
    ],
    check,
    refine_schema: no_refinement,
};

fn check(cx: &mut Cx<'_, '_>, t: &Table<'_, '_>) -> Option<StepKind> {
    let duration = cx.required_duration(t, "duration");
    let text = cx.optional_text(t, "text");
    let interval = cx.optional_interval(t, "interval");
    let interval_sound = cx.sound_or(
        t,
        "interval_sound",
        SoundUse::Cue,
        SoundRef::Cue(Bell::DEFAULT_SOUND),
    );
    let (duration, interval) = (duration?, interval.valid()?);
    if let (Some(i), Some(v)) = (interval, t.get("interval")) {
        if i.shortest() >= duration {
            cx.push(
                Diagnostic::warning(
                    Code::IntervalTooLong,
                    "no interval bell will ring: the interval is as long as the pause",
                )
                .at(v.span())
                .help("make `interval` shorter than `duration`, or remove it"),
            );
        }
    }
    if interval.is_none() && t.get("interval_sound").is_some() {
        let span = t
            .get("interval_sound")
            .map(|v| v.span())
            .unwrap_or_default();
        cx.push(
            Diagnostic::warning(
                Code::UnusedField,
                "`interval_sound` has no effect without `interval`",
            )
            .at(span)
            .help("add `interval = \"5m\"` to ring it every five minutes, or remove it"),
        );
    }
    Some(StepKind::Pause(Pause {
        duration,
        text,
        interval,
        interval_sound: interval_sound?,
        interval_sound_given: t.get("interval_sound").is_some(),
    }))
}
