//! Quick practices with no script: `kindly timer` and `kindly breathe`.
//!
//! Each builds an ordinary `Session` in code, so it compiles to the same
//! timeline as a script and plays through the same path: what `timer`
//! plays could have been written by hand.

use std::time::Duration;

use crate::duration;
use crate::session::{
    Bell, BreathCue, BreathLength, BreathPattern, Breathe, Pause, Session, SoundRef, Step, StepKind,
};
use crate::synth::Cue;

/// A silent sit between bells.
#[derive(Debug, Clone)]
pub struct Timer {
    /// From the first strike of the starting bell to the first strike of
    /// the ending bell.
    pub length: Duration,
    pub bell: Cue,
    /// A single strike every `interval` from the start.
    pub interval: Option<Duration>,
    /// Quiet time before the starting bell.
    pub warmup: Option<Duration>,
}

/// Strikes of the ending bell, and the time between them.
const END_STRIKES: u32 = 3;

impl Timer {
    /// The session: [warm-up] bell, then a pause up to each interval bell,
    /// then three strikes. Bells are steps of their own, so each sounds on
    /// its exact frame and the display counts them. Refused, with the
    /// reason, when the bell would ring over the next one.
    pub fn session(&self) -> Result<Session, String> {
        let ring = self.bell.length();
        let name = self.bell.name();
        if self.length <= ring {
            return Err(format!(
                "a timer must be longer than the {name}'s ring ({}s)",
                ring.as_secs()
            ));
        }
        if let Some(i) = self.interval {
            if i <= ring {
                return Err(format!(
                    "the interval must be longer than the {name}'s ring ({}s)",
                    ring.as_secs()
                ));
            }
        }
        let mut steps = Vec::new();
        if let Some(w) = self.warmup {
            steps.push(step(StepKind::Pause(Pause {
                duration: w,
                text: Some("Settle in. The bell will begin the sit.".into()),
                interval: None,
                interval_sound: SoundRef::Cue(self.bell),
                interval_sound_given: true,
            })));
        }
        // Bell times from the start; an interval bell too close to the end
        // (its ring would run into the ending bell) is left out.
        let mut bells = vec![Duration::ZERO];
        if let Some(i) = self.interval {
            let mut at = i;
            while at + ring < self.length {
                bells.push(at);
                at += i;
            }
        }
        let minutes = duration::human(self.length);
        for (k, at) in bells.iter().enumerate() {
            let text = if k == 0 {
                Some(format!("Begin. Sitting for {minutes}."))
            } else {
                None
            };
            steps.push(step(StepKind::Bell(self.strike(1, text))));
            let next = bells.get(k + 1).copied().unwrap_or(self.length);
            steps.push(step(StepKind::Pause(Pause {
                duration: next - *at - ring,
                text: None,
                interval: None,
                interval_sound: SoundRef::Cue(self.bell),
                interval_sound_given: true,
            })));
        }
        steps.push(step(StepKind::Bell(self.strike(
            END_STRIKES,
            Some("The end of the sit. Take your time.".into()),
        ))));
        Ok(Session {
            id: "timer".into(),
            title: format!("Timer · {minutes}"),
            summary: None,
            author: None,
            tags: Vec::new(),
            ambience: None,
            steps,
        })
    }

    fn strike(&self, strikes: u32, text: Option<String>) -> Bell {
        Bell {
            sound: SoundRef::Cue(self.bell),
            strikes,
            spacing: Bell::DEFAULT_SPACING,
            volume: Bell::DEFAULT_VOLUME,
            text,
            // The timer's bell is chosen on its command line.
            sound_given: true,
        }
    }
}

/// One prompt already spoken into `clip`: for `kindly voices try`.
pub fn spoken_sample(title: &str, words: &str, clip: &std::path::Path) -> Session {
    let mut s = step(StepKind::Prompt(crate::session::Prompt {
        text: words.to_owned(),
        hold: crate::session::Hold::For(std::time::Duration::from_millis(500)),
        voice: None,
    }));
    s.spoken = Some(clip.to_owned());
    s.theme = None;
    Session {
        id: "voice-sample".into(),
        title: title.to_owned(),
        summary: None,
        author: None,
        tags: Vec::new(),
        ambience: None,
        steps: vec![s],
    }
}

/// A breathing pacer on its own.
pub fn breathe(pattern: BreathPattern, length: BreathLength) -> Session {
    let text = format!("Breathe with the bar ({pattern}).");
    Session {
        id: "breathe".into(),
        title: format!("Breathing · {pattern}"),
        summary: None,
        author: None,
        tags: Vec::new(),
        ambience: None,
        steps: vec![step(StepKind::Breathe(Breathe {
            pattern,
            length,
            cue: BreathCue::Tone,
            text: Some(text),
        }))],
    }
}

/// Sitting with a timer and pacing the breath are both mindfulness
/// practice, which is how the practice log counts them.
fn step(kind: StepKind) -> Step {
    Step {
        kind,
        theme: Some(crate::session::Theme::Mindfulness),
        line: None,
        speak: None,
        spoken: None,
        prompt_cue: None,
        speech_pending: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{BuiltinLengths, Frames, Options, Role, Timeline};

    fn strikes(session: &Session) -> Vec<(u64, Role)> {
        let t = Timeline::compile(session, &Options::default(), &BuiltinLengths).unwrap();
        t.audio_events()
            .map(|e| (e.at.0 / 48_000, e.role))
            .collect()
    }

    #[test]
    fn bells_land_on_the_minute_marks() {
        let timer = Timer {
            length: Duration::from_secs(20 * 60),
            bell: Cue::Bowl,
            interval: Some(Duration::from_secs(5 * 60)),
            warmup: Some(Duration::from_secs(10)),
        };
        let at: Vec<u64> = strikes(&timer.session().unwrap())
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(at, vec![10, 310, 610, 910, 1210, 1214, 1218]);
    }

    #[test]
    fn bells_that_would_overlap_are_refused_or_left_out() {
        let mut timer = Timer {
            length: Duration::from_secs(10),
            bell: Cue::Bowl,
            interval: None,
            warmup: None,
        };
        assert!(timer.session().unwrap_err().contains("ring (12s)"));
        timer.length = Duration::from_secs(605);
        timer.interval = Some(Duration::from_secs(5));
        assert!(timer.session().is_err());
        timer.interval = Some(Duration::from_secs(300));
        // 600 s is too close to the end (605 s) for a 12 s ring.
        let at: Vec<u64> = strikes(&timer.session().unwrap())
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(at, vec![0, 300, 605, 609, 613]);
    }

    #[test]
    fn breathe_is_one_pacer_step() {
        let s = breathe(BreathPattern::coherent(), BreathLength::Cycles(3));
        let t = Timeline::compile(&s, &Options::default(), &BuiltinLengths).unwrap();
        assert_eq!(t.steps.len(), 1);
        assert_eq!(t.length, Frames(33 * 48_000));
    }
}
