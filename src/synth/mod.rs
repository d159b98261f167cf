//! Built-in sounds, synthesized by kindly itself: the cues and the ambience beds.
//!
//! Placeholder with the names only; the synthesis lands on the `synth` branch.

use std::time::Duration;

/// A short sound struck once: bells, the woodblock, the breath-phase tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Bowl,
    Bell,
    Chime,
    Gong,
    Woodblock,
    SoftTone,
}

/// A sound bed that loops under a whole session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bed {
    BrownNoise,
    PinkNoise,
    Rain,
    Ocean,
}

impl Cue {
    pub const ALL: [Cue; 6] = [
        Cue::Bowl,
        Cue::Bell,
        Cue::Chime,
        Cue::Gong,
        Cue::Woodblock,
        Cue::SoftTone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cue::Bowl => "bowl",
            Cue::Bell => "bell",
            Cue::Chime => "chime",
            Cue::Gong => "gong",
            Cue::Woodblock => "woodblock",
            Cue::SoftTone => "soft-tone",
        }
    }

    pub fn from_name(name: &str) -> Option<Cue> {
        Cue::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn length(self) -> Duration {
        match self {
            Cue::Bowl => Duration::from_secs(12),
            Cue::Gong => Duration::from_secs(12),
            Cue::Bell => Duration::from_secs(6),
            Cue::Chime => Duration::from_secs(4),
            Cue::Woodblock => Duration::from_millis(500),
            Cue::SoftTone => Duration::from_millis(1500),
        }
    }

    pub fn render(self, sample_rate: u32) -> Vec<f32> {
        let frames = (self.length().as_secs_f64() * f64::from(sample_rate)).round() as usize;
        vec![0.0; frames]
    }
}

impl Bed {
    pub const ALL: [Bed; 4] = [Bed::BrownNoise, Bed::PinkNoise, Bed::Rain, Bed::Ocean];

    pub fn name(self) -> &'static str {
        match self {
            Bed::BrownNoise => "brown-noise",
            Bed::PinkNoise => "pink-noise",
            Bed::Rain => "rain",
            Bed::Ocean => "ocean",
        }
    }

    pub fn from_name(name: &str) -> Option<Bed> {
        Bed::ALL.into_iter().find(|b| b.name() == name)
    }

    pub fn loop_length(self) -> Duration {
        Duration::from_secs(12)
    }

    pub fn render_loop(self, sample_rate: u32) -> Vec<f32> {
        let frames = (self.loop_length().as_secs_f64() * f64::from(sample_rate)).round() as usize;
        vec![0.0; frames * 2]
    }
}
