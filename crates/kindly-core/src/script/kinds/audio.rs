//! `audio`: play an audio file, such as recorded guidance.

use crate::script::fields::{no_refinement, Field, Kind, Shape};
use crate::script::validate::{Cx, Table};
use crate::session::{AudioClip, Gain, StepKind};

pub(crate) const KIND: Kind = Kind {
    name: "audio",
    about: "Play an audio file.",
    // No `speak`: an audio step's sound is its file, and words spoken over
    // it would fight it.
    fields: &[
        Field::required(
            "file",
            Shape::File,
            "WAV, FLAC, Ogg Vorbis or MP3, relative to this script.",
        ),
        Field::optional("text", Shape::Text, "A caption shown while it plays."),
        Field::optional("volume", Shape::Volume, "Default 1."),
    ],
    check,
    refine_schema: no_refinement,
};

fn check(cx: &mut Cx<'_, '_>, t: &Table<'_, '_>) -> Option<StepKind> {
    let file = match t.get("file") {
        Some(v) => cx.file_path(v, "file"),
        None => {
            cx.missing(t, "file", "file = \"sounds/guidance.ogg\"");
            None
        }
    };
    let text = cx.optional_text(t, "text");
    let volume = cx.volume(t, "volume", Gain::UNITY);
    Some(StepKind::Audio(AudioClip {
        file: file?,
        text,
        volume: volume?,
    }))
}
