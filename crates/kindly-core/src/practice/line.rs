//! One practice record as one line of JSON, and back.
//!
//! The line format is versioned (`"v": 1`) and flat so that `jq` and
//! spreadsheets read it without help. Durations are seconds with
//! millisecond precision. Decoding never panics: anything unexpected is a
//! `LineError`, and the caller skips the line with a warning.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Kind, Outcome, Record};
use crate::local_time::LocalTime;
use crate::session::Theme;

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Wire {
    v: u32,
    kind: String,
    session: String,
    title: String,
    started: String,
    planned_seconds: f64,
    practised_seconds: f64,
    completed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ended_at_step: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ended_by: Option<String>,
    #[serde(default)]
    themes: Vec<String>,
    /// Each theme's share of `practised_seconds` (absent in older lines).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    theme_seconds: std::collections::BTreeMap<String, f64>,
    /// The seed of random interval bells (absent when there were none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    /// What `kindly again` runs after `kindly KIND` (absent in older lines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    again: Vec<String>,
}

/// Why a line is not a record.
#[derive(Debug, Clone, PartialEq)]
pub enum LineError {
    /// Not JSON, or not the right fields: typically a line cut short.
    Malformed(String),
    /// JSON of the right shape with a value we cannot use.
    Invalid(String),
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Malformed(e) => write!(f, "not a complete record ({e})"),
            LineError::Invalid(e) => write!(f, "{e}"),
        }
    }
}

/// The record as one line, without the newline. JSON escapes newlines in
/// strings, so a title can never split a record across lines.
pub fn encode(record: &Record) -> String {
    let (ended_at_step, ended_by) = match &record.outcome {
        Outcome::Completed => (None, None),
        Outcome::EndedEarly { step, by } => (Some(*step), Some(by.clone())),
    };
    let wire = Wire {
        v: VERSION,
        kind: record.kind.name().to_owned(),
        session: record.session.clone(),
        title: record.title.clone(),
        started: record.started.to_string(),
        planned_seconds: seconds(record.planned),
        practised_seconds: seconds(record.practised),
        completed: record.outcome.completed(),
        ended_at_step,
        ended_by,
        themes: record.themes.iter().map(|t| t.name().to_owned()).collect(),
        theme_seconds: record
            .theme_seconds
            .iter()
            .map(|(t, d)| (t.name().to_owned(), seconds(*d)))
            .collect(),
        seed: record.seed,
        again: record.again.clone(),
    };
    // Serialising plain strings and finite numbers cannot fail.
    serde_json::to_string(&wire).unwrap_or_default()
}

pub fn decode(line: &str) -> Result<Record, LineError> {
    let wire: Wire = serde_json::from_str(line).map_err(|e| LineError::Malformed(e.to_string()))?;
    if wire.v != VERSION {
        return Err(LineError::Invalid(format!(
            "written by a newer kindly (record version {})",
            wire.v
        )));
    }
    let kind = Kind::from_name(&wire.kind)
        .ok_or_else(|| LineError::Invalid(format!("unknown kind `{}`", wire.kind)))?;
    let started = LocalTime::parse(&wire.started).ok_or_else(|| {
        LineError::Invalid(format!(
            "start time `{}` is not RFC 3339 with an offset",
            wire.started
        ))
    })?;
    let planned = duration(wire.planned_seconds, "planned_seconds")?;
    let practised = duration(wire.practised_seconds, "practised_seconds")?;
    let outcome = if wire.completed {
        Outcome::Completed
    } else {
        Outcome::EndedEarly {
            step: wire.ended_at_step.unwrap_or(0),
            by: wire.ended_by.unwrap_or_default(),
        }
    };
    // Themes a later kindly knows about are ignored, not fatal.
    let themes = wire
        .themes
        .iter()
        .filter_map(|t| Theme::from_name(t))
        .collect();
    let mut theme_seconds = Vec::new();
    for (name, secs) in &wire.theme_seconds {
        if let Some(t) = Theme::from_name(name) {
            theme_seconds.push((t, duration(*secs, "theme_seconds")?));
        }
    }
    Ok(Record {
        kind,
        session: wire.session,
        title: wire.title,
        started,
        planned,
        practised,
        outcome,
        themes,
        theme_seconds,
        seed: wire.seed,
        again: wire.again,
    })
}

fn seconds(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

fn duration(secs: f64, field: &str) -> Result<Duration, LineError> {
    Duration::try_from_secs_f64(secs)
        .map_err(|_| LineError::Invalid(format!("`{field}` is {secs}, not a length of time")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use jiff::tz::Offset;

    fn record() -> Record {
        Record {
            kind: Kind::Play,
            session: "self-compassion-break".into(),
            title: "Self-Compassion \"Break\"\nwith a newline".into(),
            started: LocalTime::from_civil(date(2026, 11, 28).at(7, 30, 0, 0), Offset::constant(1))
                .unwrap(),
            planned: Duration::from_secs(600),
            practised: Duration::from_millis(312_250),
            outcome: Outcome::EndedEarly {
                step: 4,
                by: "SIGTERM".into(),
            },
            themes: vec![Theme::Mindfulness, Theme::SelfKindness],
            theme_seconds: vec![
                (Theme::Mindfulness, Duration::from_secs(200)),
                (Theme::SelfKindness, Duration::from_millis(112_250)),
            ],
            seed: None,
            again: vec![],
        }
    }

    #[test]
    fn what_plays_it_again_is_kept_and_older_lines_have_none() {
        let mut r = record();
        r.kind = Kind::Timer;
        r.again = vec!["20m".into(), "--interval".into(), "5m".into()];
        let line = encode(&r);
        assert!(
            line.ends_with(r#","again":["20m","--interval","5m"]}"#),
            "{line}"
        );
        assert_eq!(decode(&line), Ok(r));
        let old = r#"{"v":1,"kind":"timer","session":"timer","title":"t","started":"2026-11-28T07:30:00+01:00","planned_seconds":600.0,"practised_seconds":600.0,"completed":true}"#;
        assert!(decode(old).unwrap().again.is_empty());
    }

    #[test]
    fn the_seed_of_random_bells_is_kept() {
        let mut r = record();
        r.seed = Some(482_913);
        let line = encode(&r);
        assert!(line.ends_with(r#","seed":482913}"#), "{line}");
        assert_eq!(decode(&line), Ok(r));
    }

    #[test]
    fn the_line_format_is_stable() {
        assert_eq!(
            encode(&record()),
            r#"{"v":1,"kind":"play","session":"self-compassion-break","title":"Self-Compassion \"Break\"\nwith a newline","started":"2026-11-28T07:30:00+01:00","planned_seconds":600.0,"practised_seconds":312.25,"completed":false,"ended_at_step":4,"ended_by":"SIGTERM","themes":["mindfulness","self-kindness"],"theme_seconds":{"mindfulness":200.0,"self-kindness":112.25}}"#
        );
    }

    #[test]
    fn older_lines_keep_their_meaning() {
        // Written before theme shares and the 30 s rule: read, never
        // rewritten, with time split evenly among the themes.
        let old = r#"{"v":1,"kind":"play","session":"s","title":"t","started":"2026-11-28T07:30:00+01:00","planned_seconds":600.0,"practised_seconds":300.0,"completed":true,"themes":["mindfulness","self-kindness"]}"#;
        let r = decode(old).unwrap();
        assert!(r.theme_seconds.is_empty());
        assert_eq!(
            r.theme_time(),
            vec![
                (Theme::Mindfulness, Duration::from_secs(150)),
                (Theme::SelfKindness, Duration::from_secs(150))
            ]
        );
        assert!(r.counts());
    }

    #[test]
    fn records_round_trip() {
        let r = record();
        assert_eq!(decode(&encode(&r)), Ok(r.clone()));
        let done = Record {
            outcome: Outcome::Completed,
            kind: Kind::Timer,
            themes: vec![],
            ..r
        };
        let line = encode(&done);
        assert!(!line.contains("ended_at_step"));
        assert_eq!(decode(&line), Ok(done));
    }

    #[test]
    fn a_line_cut_short_is_malformed_at_every_length() {
        let line = encode(&record());
        for cut in 0..line.len() {
            if !line.is_char_boundary(cut) {
                continue;
            }
            assert!(
                matches!(decode(&line[..cut]), Err(LineError::Malformed(_))),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn unusable_values_are_errors_not_panics() {
        let good = encode(&record());
        for (from, to) in [
            ("\"v\":1", "\"v\":2"),
            ("\"kind\":\"play\"", "\"kind\":\"dance\""),
            ("+01:00", ""),
            ("600.0", "-1.0"),
            ("600.0", "1e300"),
            ("312.25", "\"soon\""),
        ] {
            let bad = good.replacen(from, to, 1);
            assert!(decode(&bad).is_err(), "{bad}");
        }
        assert!(decode("[]").is_err());
        assert!(decode("null").is_err());
    }

    #[test]
    fn unknown_themes_are_dropped() {
        let line = encode(&record()).replace("self-kindness", "gratitude");
        assert_eq!(decode(&line).unwrap().themes, vec![Theme::Mindfulness]);
    }
}
