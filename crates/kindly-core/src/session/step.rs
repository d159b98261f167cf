//! `Step` and its kinds: one thing that happens in a session.

use std::path::PathBuf;
use std::time::Duration;

use super::{BreathPattern, Gain, Interval, Phase, SoundRef, Theme};
use crate::synth::Cue;

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    pub theme: Option<Theme>,
    /// Line of the step's `[[steps]]` header in its script, for messages;
    /// for a step from an included file, the line of the session's `use`.
    pub line: Option<usize>,
    /// The block the step is written in, when it came from one (the
    /// innermost, for a block used inside a block), so a dry run can say
    /// where a step of the expanded timeline was written.
    pub block: Option<String>,
    /// The script's `speak`: `None` when not written. Prompts are spoken
    /// unless it is `false`; other steps only when it is `true`.
    pub speak: Option<bool>,
    /// Synthesized speech of the step's text, filled in at the edge by the
    /// voice (never by a script). A prompt's recorded `voice` wins over it.
    pub spoken: Option<PathBuf>,
    /// The soft cue that marks a step which would have been spoken but is
    /// not (no voice), filled in at the edge (`voice::mark_unspoken`).
    pub prompt_cue: Option<SoundRef>,
    /// The words are being synthesized and their length is not known yet:
    /// the step waits at its start for them (live play only).
    pub speech_pending: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    Bell(Bell),
    Prompt(Prompt),
    Pause(Pause),
    Breathe(Breathe),
    Audio(AudioClip),
    Reflect(Reflect),
}

impl StepKind {
    pub const NAMES: [&'static str; 6] = ["bell", "prompt", "pause", "breathe", "audio", "reflect"];

    pub fn name(&self) -> &'static str {
        match self {
            StepKind::Bell(_) => "bell",
            StepKind::Prompt(_) => "prompt",
            StepKind::Pause(_) => "pause",
            StepKind::Breathe(_) => "breathe",
            StepKind::Audio(_) => "audio",
            StepKind::Reflect(_) => "reflect",
        }
    }

    /// The words shown while the step runs, if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            StepKind::Bell(b) => b.text.as_deref(),
            StepKind::Prompt(p) => Some(&p.text),
            StepKind::Pause(p) => p.text.as_deref(),
            StepKind::Breathe(b) => b.text.as_deref(),
            StepKind::Audio(a) => a.text.as_deref(),
            StepKind::Reflect(r) => Some(&r.question),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bell {
    pub sound: SoundRef,
    /// `sound` was written in the script; otherwise the user's configured
    /// bell may take the default's place.
    pub sound_given: bool,
    pub strikes: u32,
    pub spacing: Duration,
    pub volume: Gain,
    pub text: Option<String>,
    /// How long the step lasts from its first strike, when not as long as
    /// its strikes and ring: a timer's next bell may come sooner, and the
    /// ring goes on under it until that bell ducks it. Scripts never set it.
    pub hold: Option<Duration>,
}

impl Bell {
    pub const DEFAULT_SOUND: Cue = Cue::Bowl;
    pub(crate) const DEFAULT_SPACING: Duration = Duration::from_secs(4);
    pub const DEFAULT_VOLUME: Gain = Gain::new_clamped(0.8);
    pub const MAX_STRIKES: u32 = 12;
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub text: String,
    pub hold: Hold,
    pub voice: Option<PathBuf>,
}

/// How long a prompt stays before the session moves on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hold {
    /// Written in the script.
    For(Duration),
    /// Not written: long enough to read the text slowly.
    Reading(Duration),
    /// Wait for a key press.
    Key,
}

impl Hold {
    /// Three seconds to arrive, then 0.4 s a word (a slow, contemplative
    /// 150 words a minute), rounded up to a whole second, at least 5 s.
    pub(crate) fn reading_time(text: &str) -> Duration {
        let words = text.split_whitespace().count() as u64;
        let tenths = 30 + 4 * words;
        Duration::from_secs(tenths.div_ceil(10).max(5))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pause {
    pub duration: Duration,
    pub text: Option<String>,
    pub interval: Option<Interval>,
    pub interval_sound: SoundRef,
    /// `interval_sound` was written in the script.
    pub interval_sound_given: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Breathe {
    pub pattern: BreathPattern,
    pub length: BreathLength,
    pub cue: BreathCue,
    pub text: Option<String>,
}

impl Breathe {
    pub const MAX_CYCLES: u32 = 200;

    /// Whole cycles: a breath is never cut in the middle. A duration is
    /// rounded to the nearest number of cycles, at least one.
    pub fn cycles(&self) -> u32 {
        match self.length {
            BreathLength::Cycles(n) => n,
            BreathLength::Duration(d) => {
                let cycle = self.pattern.cycle().as_secs_f64();
                let n = (d.as_secs_f64() / cycle).round();
                (n as u32).max(1)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BreathLength {
    Cycles(u32),
    Duration(Duration),
}

/// The soft sound at the start of each breath phase. With `tone`, breathing
/// in and breathing out sound different (a higher and a lower tone), so a
/// person with closed eyes can follow the pacer; a hold keeps the tone of
/// the breath before it, and the timeline plays it quieter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreathCue {
    Tone,
    Chime,
    None,
}

impl BreathCue {
    pub const NAMES: [&'static str; 3] = ["tone", "chime", "none"];

    pub fn from_name(name: &str) -> Option<BreathCue> {
        match name {
            "tone" => Some(BreathCue::Tone),
            "chime" => Some(BreathCue::Chime),
            "none" => Some(BreathCue::None),
            _ => None,
        }
    }

    pub fn cue(self, phase: Phase) -> Option<Cue> {
        match (self, phase) {
            (BreathCue::Tone, Phase::Inhale | Phase::HoldIn) => Some(Cue::SoftTone),
            (BreathCue::Tone, Phase::Exhale | Phase::HoldOut) => Some(Cue::SoftToneLow),
            (BreathCue::Chime, _) => Some(Cue::Chime),
            (BreathCue::None, _) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AudioClip {
    pub file: PathBuf,
    pub text: Option<String>,
    pub volume: Gain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reflect {
    pub question: String,
    pub journal: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_time() {
        assert_eq!(Hold::reading_time(""), Duration::from_secs(5));
        assert_eq!(
            Hold::reading_time("one two three four five"),
            Duration::from_secs(5)
        );
        // 3 + 0.4*10 = 7
        assert_eq!(Hold::reading_time(&"w ".repeat(10)), Duration::from_secs(7));
        // 3 + 0.4*11 = 7.4 -> 8
        assert_eq!(Hold::reading_time(&"w ".repeat(11)), Duration::from_secs(8));
    }

    #[test]
    fn cycles_from_duration() {
        let b = Breathe {
            pattern: BreathPattern::coherent(),
            length: BreathLength::Duration(Duration::from_secs(60)),
            cue: BreathCue::Tone,
            text: None,
        };
        assert_eq!(b.cycles(), 5); // 60 / 11 = 5.45
        let short = Breathe {
            length: BreathLength::Duration(Duration::from_secs(1)),
            ..b
        };
        assert_eq!(short.cycles(), 1);
    }
}
