//! Quick practices with no script: `kindly timer` and `kindly breathe`.
//!
//! Each builds an ordinary `Session` in code, so it compiles to the same
//! timeline as a script and plays through the same path: what `timer`
//! plays could have been written by hand.

use std::time::Duration;

use crate::duration;
use crate::session::{
    Bell, BreathCue, BreathLength, BreathPattern, Breathe, Interval, Pause, Session, SoundRef,
    Step, StepKind,
};
use crate::synth::Cue;

/// A silent sit between bells.
#[derive(Debug, Clone)]
pub struct Timer {
    /// From the first strike of the starting bell to the first strike of
    /// the ending bell.
    pub length: Duration,
    pub bell: Cue,
    /// A single strike every so often, or at random in a range.
    pub interval: Option<Interval>,
    /// Quiet time before the starting bell.
    pub warmup: Option<Duration>,
    /// Strikes of the ending bell: three by default, one for those who
    /// would rather end softly.
    pub end_strikes: u32,
    /// Where random interval bells fall.
    pub seed: u64,
    /// No length was given: the sit goes on until the person ends it
    /// (`OPEN_ENDED` is only the bound), and ending it is finishing it.
    pub open: bool,
}

/// How long an open-ended sit may go on: longer than anyone sits, short
/// enough that its interval bells are quickly laid out.
pub const OPEN_ENDED: Duration = Duration::from_secs(12 * 3600);

/// Strikes of the ending bell, unless the person says.
pub const END_STRIKES: u32 = 3;

impl Timer {
    /// The shortest sit: shorter is a bell, not a timer.
    pub(crate) const SHORTEST: Duration = Duration::from_secs(1);

    /// The session: [warm-up] bell, then a pause up to each interval bell,
    /// then the ending bell. Bells are steps of their own, so each sounds
    /// on its exact frame and the display counts them. A bell that strikes
    /// while the one before still rings fades that ring (the timeline's
    /// ducking), so an interval may be shorter than the ring.
    pub fn session(&self) -> Result<Session, String> {
        if self.length < Timer::SHORTEST {
            return Err("a timer must last at least a second".to_owned());
        }
        if self.end_strikes == 0 || self.end_strikes > Bell::MAX_STRIKES {
            return Err(format!(
                "the ending bell takes from 1 to {} strikes",
                Bell::MAX_STRIKES
            ));
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
        let bells = self.bells();
        let minutes = duration::human(self.length);
        for (k, at) in bells.iter().enumerate() {
            let text = if k == 0 && self.open {
                Some("Begin. Sit for as long as you like; press q to end.".to_owned())
            } else if k == 0 {
                Some(format!("Begin. Sitting for {minutes}."))
            } else {
                None
            };
            let next = bells.get(k + 1).copied().unwrap_or(self.length);
            let ring = self.bell.length().min(next - *at);
            let mut bell = self.strike(1, text);
            // The next bell comes before this one has rung out.
            bell.hold = (ring < self.bell.length()).then_some(ring);
            steps.push(step(StepKind::Bell(bell)));
            steps.push(step(StepKind::Pause(Pause {
                duration: next - *at - ring,
                text: None,
                interval: None,
                interval_sound: SoundRef::Cue(self.bell),
                interval_sound_given: true,
            })));
        }
        steps.retain(|s| !matches!(&s.kind, StepKind::Pause(p) if p.duration.is_zero()));
        steps.push(step(StepKind::Bell(self.strike(
            self.end_strikes,
            Some("The end of the sit. Take your time.".into()),
        ))));
        Ok(Session {
            id: "timer".into(),
            title: if self.open {
                "Timer · open-ended".to_owned()
            } else {
                format!("Timer · {minutes}")
            },
            summary: None,
            author: None,
            tags: Vec::new(),
            ambience: None,
            steps,
        })
    }

    /// When each bell of the sit strikes, from the starting bell: the
    /// start, then the interval bells. One closer to the ending bell than
    /// half the shortest interval is left out: the end is near, and two
    /// bells so close would read as one muddled signal.
    pub fn bells(&self) -> Vec<Duration> {
        let mut bells = vec![Duration::ZERO];
        if let Some(i) = self.interval {
            let margin = i.shortest() / 2;
            bells.extend(
                i.times(self.length, self.seed)
                    .into_iter()
                    .filter(|at| self.length - *at >= margin),
            );
        }
        bells
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
            hold: None,
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
        block: None,
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

    fn timer(length: u64, interval: Option<&str>) -> Timer {
        Timer {
            length: Duration::from_secs(length),
            bell: Cue::Bowl,
            interval: interval.map(|i| Interval::parse(i).unwrap()),
            warmup: None,
            end_strikes: END_STRIKES,
            seed: 0,
            open: false,
        }
    }

    #[test]
    fn an_open_ended_sit_rings_its_intervals_until_the_bound() {
        let mut t = timer(OPEN_ENDED.as_secs(), Some("20m"));
        t.open = true;
        let s = t.session().unwrap();
        assert_eq!(s.title, "Timer · open-ended");
        assert_eq!(
            s.steps[0].kind.text(),
            Some("Begin. Sit for as long as you like; press q to end.")
        );
        // A bell every 20 minutes for twelve hours, then the ending bell.
        assert_eq!(seconds(&t).len(), 36 + 3);
    }

    fn seconds(timer: &Timer) -> Vec<u64> {
        strikes(&timer.session().unwrap())
            .iter()
            .map(|(s, _)| *s)
            .collect()
    }

    #[test]
    fn bells_land_on_the_minute_marks() {
        let mut t = timer(20 * 60, Some("5m"));
        t.warmup = Some(Duration::from_secs(10));
        assert_eq!(seconds(&t), vec![10, 310, 610, 910, 1210, 1214, 1218]);
    }

    #[test]
    fn intervals_shorter_than_the_ring_are_allowed() {
        // `kindly timer 20s --interval 5s` with a 12 s bowl: every bell
        // rings where it should, and the timeline ducks each earlier ring.
        let t = timer(20, Some("5s"));
        assert_eq!(seconds(&t), vec![0, 5, 10, 15, 20, 24, 28]);
        let tl =
            Timeline::compile(&t.session().unwrap(), &Options::default(), &BuiltinLengths).unwrap();
        let until: Vec<Option<u64>> = tl
            .audio_events()
            .map(|e| e.until.map(|f| f.0 / 48_000))
            .collect();
        // The closing strikes ring over each other, as a struck bowl does.
        assert_eq!(
            until,
            vec![Some(5), Some(10), Some(15), Some(20), None, None, None]
        );
        // A timer shorter than its bell's ring is a short sit, not an error.
        assert_eq!(seconds(&timer(5, None)), vec![0, 5, 9, 13]);
        assert!(timer(0, None).session().is_err());
    }

    #[test]
    fn a_bell_too_near_the_end_is_left_out() {
        // 600 s is 5 s from the end: closer than half an interval.
        assert_eq!(
            seconds(&timer(605, Some("5m"))),
            vec![0, 300, 605, 609, 613]
        );
    }

    #[test]
    fn one_closing_strike() {
        let mut t = timer(60, None);
        t.end_strikes = 1;
        assert_eq!(seconds(&t), vec![0, 60]);
        t.end_strikes = 0;
        assert!(t.session().is_err());
    }

    #[test]
    fn random_bells_follow_the_seed() {
        let mut t = timer(30 * 60, Some("3m..7m"));
        t.seed = 11;
        let a = seconds(&t);
        assert_eq!(a, seconds(&t));
        t.seed = 12;
        assert_ne!(a, seconds(&t));
        // Starting bell, interval bells 3 to 7 minutes apart, three at the end.
        let inner = &a[1..a.len() - 3];
        assert!(!inner.is_empty());
        let mut last = 0;
        for at in inner {
            assert!((180..=420).contains(&(at - last)), "{a:?}");
            last = *at;
        }
        assert!(1800 - last >= 90, "{a:?}");
    }

    #[test]
    fn breathe_is_one_pacer_step() {
        let s = breathe(BreathPattern::coherent(), BreathLength::Cycles(3));
        let t = Timeline::compile(&s, &Options::default(), &BuiltinLengths).unwrap();
        assert_eq!(t.steps.len(), 1);
        assert_eq!(t.length, Frames(33 * 48_000));
    }
}
