//! The session domain model: what a checked script means, in real types.
//!
//! Nothing here knows about TOML. `script` builds these values from a file
//! after validating it; the timeline compiler consumes them.

mod breath;
mod gain;
mod interval;
mod sound;
mod step;
mod theme;

pub use breath::{BreathPattern, PatternError, Patterns, Phase};
pub use gain::Gain;
pub use interval::{salted, Interval, IntervalError};
pub use sound::SoundRef;
pub use step::{
    AudioClip, Bell, BreathCue, BreathLength, Breathe, Hold, Pause, Prompt, Reflect, Step, StepKind,
};
pub use theme::Theme;

use std::time::Duration;

/// A name a person may give a pattern or preset in config.toml: a letter
/// first (so it is never mistaken for seconds like `4-6`), then letters,
/// digits, `-` and `_`. The schema's pattern for an own pattern's name
/// (`script/fields.rs`) says the same as a regular expression.
pub fn is_own_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A whole session, as the person will hear it.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The name used on the command line: the file stem, or the bundled name.
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub ambience: Option<Ambience>,
    pub steps: Vec<Step>,
}

/// A bed under the whole session.
#[derive(Debug, Clone, PartialEq)]
pub struct Ambience {
    pub sound: SoundRef,
    pub volume: Gain,
    pub fade: Duration,
}

impl Ambience {
    pub const DEFAULT_VOLUME: Gain = Gain::new_clamped(0.3);
    pub const DEFAULT_FADE: Duration = Duration::from_secs(5);
}

impl Session {
    /// The themes this session practises, in first-use order, without repeats.
    pub fn themes(&self) -> Vec<Theme> {
        let mut out = Vec::new();
        for theme in self.steps.iter().filter_map(|s| s.theme) {
            if !out.contains(&theme) {
                out.push(theme);
            }
        }
        out
    }
}
