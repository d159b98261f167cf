//! The practice log: one record for every `play`, `timer` and `breathe`.
//!
//! `Record` is the domain type; `line` turns it into one JSON line and back;
//! `csv` exports it. Statistics over records live in `crate::stats`; the
//! log file itself is the binary's (`kindly::practice::store`).

mod csv;
mod line;

pub use csv::to_csv;
pub use line::{decode, encode, LineError};

use std::time::Duration;

use crate::local_time::LocalTime;
use crate::session::{Session, Theme};

/// One session someone sat through, fully or partly.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: Kind,
    /// The session's id: the name used on the command line.
    pub session: String,
    pub title: String,
    pub started: LocalTime,
    /// How long the session was meant to take.
    pub planned: Duration,
    /// How long the person actually practised (pauses not counted).
    pub practised: Duration,
    pub outcome: Outcome,
    /// The themes of the steps practised, in first-use order.
    pub themes: Vec<Theme>,
    /// Each theme's own share of `practised`: the time of the steps
    /// tagged with it. Empty in records written before kindly kept it;
    /// `theme_time` reads those.
    pub theme_seconds: Vec<(Theme, Duration)>,
    /// The seed random interval bells were laid out with, so the same
    /// sit can be had again (`--seed`); `None` when there were none.
    pub seed: Option<u64>,
    /// The arguments after the command's name (`kind`) that play this run
    /// again with `kindly again`: the session's name or script's full path,
    /// or a timer's or pacer's set-up, and the options that change what
    /// plays (never `--speed`, `--from` or `--plain`). Empty in records
    /// written before kindly kept them; `again` reads those by a rule.
    pub again: Vec<String>,
}

/// A run ended within this time is a start, not a practice: it is logged,
/// and shown as started, but counts toward neither sessions nor streaks.
pub const STARTED_ONLY: Duration = Duration::from_secs(30);

impl Record {
    /// Whether this run counts as practice (see [`STARTED_ONLY`]).
    pub fn counts(&self) -> bool {
        self.outcome.completed() || self.practised >= STARTED_ONLY
    }

    /// Each theme's share of the time practised, adding up to it. Records
    /// from before shares were kept split their time evenly among their
    /// themes: a reading rule, so old lines keep their meaning and are
    /// never rewritten.
    pub(crate) fn theme_time(&self) -> Vec<(Theme, Duration)> {
        if !self.theme_seconds.is_empty() {
            return self.theme_seconds.clone();
        }
        let n = u32::try_from(self.themes.len()).unwrap_or(u32::MAX);
        if n == 0 {
            return Vec::new();
        }
        self.themes
            .iter()
            .map(|t| (*t, self.practised / n))
            .collect()
    }
}

/// Each theme's share of `practised`, from how long each step was heard
/// (`heard`: a step's theme and its time). Steps with no theme share in
/// proportion, so the shares add up to what was practised.
pub fn theme_shares(
    heard: &[(Option<Theme>, Duration)],
    practised: Duration,
) -> Vec<(Theme, Duration)> {
    let mut per: Vec<(Theme, Duration)> = Vec::new();
    for (theme, d) in heard {
        let Some(theme) = theme else { continue };
        match per.iter_mut().find(|(t, _)| t == theme) {
            Some((_, sum)) => *sum += *d,
            None => per.push((*theme, *d)),
        }
    }
    let themed: f64 = per.iter().map(|(_, d)| d.as_secs_f64()).sum();
    if themed <= 0.0 {
        return Vec::new();
    }
    let scale = practised.as_secs_f64() / themed;
    per.into_iter()
        .map(|(t, d)| {
            (
                t,
                Duration::from_secs_f64((d.as_secs_f64() * scale * 1000.0).round() / 1000.0),
            )
        })
        .collect()
}

/// Which command ran the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Play,
    Timer,
    Breathe,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Play => "play",
            Kind::Timer => "timer",
            Kind::Breathe => "breathe",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        [Kind::Play, Kind::Timer, Kind::Breathe]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    EndedEarly {
        /// The step that was playing, counted from 1 as `--from` counts.
        step: usize,
        /// How: `q`, `SIGINT`, `SIGTERM`, `SIGHUP`, or whatever the player says.
        by: String,
    },
}

impl Outcome {
    pub fn completed(&self) -> bool {
        matches!(self, Outcome::Completed)
    }

    /// Ended at the step counted from 0 (as the player counts), by `by`.
    pub fn ended_early(step_from_zero: usize, by: impl Into<String>) -> Outcome {
        Outcome::EndedEarly {
            step: step_from_zero.saturating_add(1),
            by: by.into(),
        }
    }
}

/// How the log names what ended a session: `SIGINT`, `SIGTERM`, `SIGHUP`,
/// or the number for any other signal.
pub fn signal_name(signal: i32) -> String {
    match signal {
        1 => "SIGHUP".into(),
        2 => "SIGINT".into(),
        15 => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}

/// The themes of the steps a person reached: all of a completed session's,
/// or those of steps `0..=last_step` (counted from 0) when ended early.
pub fn themes_reached(session: &Session, last_step: Option<usize>) -> Vec<Theme> {
    let reached = last_step.map_or(session.steps.len(), |s| s.saturating_add(1));
    let mut out = Vec::new();
    for theme in session.steps.iter().take(reached).filter_map(|s| s.theme) {
        if !out.contains(&theme) {
            out.push(theme);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_shares_add_up_to_what_was_practised() {
        let secs = Duration::from_secs;
        let heard = [
            (Some(Theme::Mindfulness), secs(60)),
            (None, secs(20)),
            (Some(Theme::SelfKindness), secs(120)),
            (Some(Theme::Mindfulness), secs(60)),
        ];
        let shares = theme_shares(&heard, secs(300));
        assert_eq!(
            shares,
            vec![
                (Theme::Mindfulness, secs(150)),
                (Theme::SelfKindness, secs(150))
            ]
        );
        assert!(theme_shares(&[(None, secs(5))], secs(5)).is_empty());
    }

    #[test]
    fn outcomes_count_steps_from_one_and_name_signals() {
        assert_eq!(
            Outcome::ended_early(0, signal_name(15)),
            Outcome::EndedEarly {
                step: 1,
                by: "SIGTERM".into()
            }
        );
        assert_eq!(signal_name(1), "SIGHUP");
        assert_eq!(signal_name(2), "SIGINT");
        assert_eq!(signal_name(9), "signal 9");
    }

    #[test]
    fn themes_reached_stop_at_the_step_ended_on() {
        let text = include_str!("../../../../src/templates/reflection.toml");
        let origin = crate::script::Origin {
            id: "reflection",
            dir: std::path::Path::new("."),
        };
        let parsed = crate::script::parse(text, &origin);
        let Some(session) = parsed.session else {
            panic!("the reflection template parses");
        };
        let all = session.themes();
        assert_eq!(themes_reached(&session, None), all);
        assert!(themes_reached(&session, Some(0)).len() <= 1);
        assert_eq!(themes_reached(&session, Some(usize::MAX)), all);
    }
}
