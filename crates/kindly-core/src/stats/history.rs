//! One session's history (`kindly stats NAME`) and the recent runs
//! (`kindly list --recent`), from the records alone.
//!
//! The reading rules are the ones `Stats` follows: a run ended in its
//! first 30 s is shown as started and counted nowhere else, and old lines
//! keep their meaning.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::civil::Date;
use serde_json::{json, Value};

use super::calendar::{paint, shade};
use super::text::{count, tally_lines, time};
use super::{add_days, monday_of, seconds, Tally};
use crate::practice::{Outcome, Record};

/// Weeks in the history's calendar row, Monday to Sunday each: eight
/// fit beside a label in 80 columns.
pub const ROW_WEEKS: usize = 8;

/// How many runs the history lists, newest first.
pub const LISTED: usize = 10;

/// Every run of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub id: String,
    /// As in the newest record.
    pub title: String,
    pub today: Date,
    /// Counted runs (see `Record::counts`).
    pub tally: Tally,
    pub completed: usize,
    pub started_only: usize,
    /// Newest first, started-only runs too (they are shown, as such).
    pub runs: Vec<Record>,
    /// How many times each planned length was sat, longest first.
    pub lengths: Vec<(Duration, usize)>,
    /// Minutes practised each day of the row, oldest first; `None` after today.
    pub row: Vec<Option<Duration>>,
    /// The Monday the row starts on.
    pub row_from: Option<Date>,
}

impl History {
    /// The history of `id`; `None` when the log has no run of it.
    pub fn of(records: &[Record], id: &str, today: Date) -> Option<History> {
        let mut mine: Vec<&Record> = records.iter().filter(|r| r.session == id).collect();
        // The log is in the order runs ended; a history reads by start.
        mine.sort_by_key(|r| r.started.timestamp());
        let newest = mine.last()?;
        let mut tally = Tally::default();
        let mut completed = 0;
        let mut started_only = 0;
        let mut lengths: Vec<(Duration, usize)> = Vec::new();
        let mut days: BTreeMap<Date, Duration> = BTreeMap::new();
        for r in &mine {
            if !r.counts() {
                started_only += 1;
                continue;
            }
            tally.add(r);
            completed += usize::from(r.outcome.completed());
            match lengths.iter_mut().find(|(d, _)| *d == r.planned) {
                Some((_, n)) => *n += 1,
                None => lengths.push((r.planned, 1)),
            }
            *days.entry(r.started.date()).or_default() += r.practised;
        }
        lengths.sort_by_key(|l| std::cmp::Reverse(l.0));
        let row_from = monday_of(today).and_then(|m| add_days(m, -7 * (ROW_WEEKS as i64 - 1)));
        let row = (0..ROW_WEEKS * 7)
            .map(|i| {
                let day = row_from.and_then(|f| add_days(f, i as i64))?;
                (day <= today).then(|| days.get(&day).copied().unwrap_or_default())
            })
            .collect();
        Some(History {
            id: id.to_owned(),
            title: newest.title.clone(),
            today,
            tally,
            completed,
            started_only,
            runs: mine.iter().rev().map(|r| (*r).clone()).collect(),
            lengths,
            row,
            row_from,
        })
    }

    pub fn render(&self, color: bool) -> String {
        let mut out = format!("{} ({})\n", self.title, self.id);
        let mut line = |label: &str, value: String| {
            out.push_str(&format!("{label:<16}{value}\n"));
        };
        tally_lines(&mut line, &self.tally, self.completed, self.started_only);
        if let (Some(first), Some(last)) = (self.runs.last(), self.runs.first()) {
            line("First", when(first));
            line("Last", when(last));
        }
        if !self.lengths.is_empty() {
            let lengths: Vec<String> = self
                .lengths
                .iter()
                .map(|(d, n)| format!("{} ×{n}", time(*d)))
                .collect();
            line("Lengths", lengths.join(", "));
        }
        let mut row = String::new();
        for (i, day) in self.row.iter().enumerate() {
            if i > 0 && i % 7 == 0 {
                row.push(' ');
            }
            match day {
                Some(d) => row.push_str(&paint(shade(*d), color)),
                None => row.push(' '),
            }
        }
        let from = self.row_from.map_or_else(String::new, |d| d.to_string());
        out.push_str(&format!(
            "\n{:<16}{}\n{:<16}weeks from Monday {from}, today last\n",
            format!("Last {ROW_WEEKS} weeks"),
            row.trim_end(),
            ""
        ));
        out.push_str("\nRecent runs\n");
        for r in self.runs.iter().take(LISTED) {
            out.push_str(&format!("  {}  {}\n", when(r), run_outcome(r)));
        }
        if self.runs.len() > LISTED {
            out.push_str(&format!(
                "  … and {} earlier (`kindly log export` has every one)\n",
                self.runs.len() - LISTED
            ));
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let row: Vec<Value> = self
            .row
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let day = add_days(self.row_from?, i as i64)?;
                let d = (*d)?;
                Some(json!({
                    "date": day.to_string(),
                    "minutes": (d.as_secs_f64() / 6.0).round() / 10.0,
                    "shade": shade(d),
                }))
            })
            .collect();
        json!({
            "id": self.id,
            "title": self.title,
            "today": self.today.to_string(),
            "sessions": self.tally.sessions,
            "completed": self.completed,
            "ended_early": self.tally.sessions - self.completed,
            "started_only": self.started_only,
            "seconds": seconds(self.tally.practised),
            "lengths": self.lengths.iter().map(|(d, n)| json!({
                "planned_seconds": seconds(*d),
                "sessions": n,
            })).collect::<Vec<_>>(),
            "days": row,
            "runs": self.runs.iter().map(run_json).collect::<Vec<_>>(),
        })
    }
}

/// Each session's newest run, newest first, at most `n`: what
/// `kindly list --recent` shows.
pub fn recent(records: &[Record], n: usize) -> Vec<(&Record, usize)> {
    let mut seen: Vec<(&Record, usize)> = Vec::new();
    for r in records.iter().rev() {
        match seen.iter_mut().find(|(s, _)| s.session == r.session) {
            Some((_, runs)) => *runs += 1,
            None => seen.push((r, 1)),
        }
    }
    seen.truncate(n);
    seen
}

/// `kindly list --recent` as text.
pub fn render_recent(recent: &[(&Record, usize)]) -> String {
    if recent.is_empty() {
        return "No practice recorded yet. Each `kindly play`, `timer` and `breathe` \
                is kept here, on this machine only.\n"
            .to_owned();
    }
    let width = recent
        .iter()
        .map(|(r, _)| r.session.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let mut out = String::from("Recently practised, newest first\n");
    for (r, runs) in recent {
        out.push_str(&format!(
            "{:<width$}  {}  {}\n{:<width$}  {} · {} in the log\n",
            r.session,
            when(r),
            run_outcome(r),
            "",
            r.title,
            count(*runs, "run"),
        ));
    }
    out.push_str("\n`kindly stats NAME` shows one session's history.\n");
    out
}

pub fn recent_json(recent: &[(&Record, usize)]) -> Value {
    Value::Array(
        recent
            .iter()
            .map(|(r, runs)| {
                let mut v = run_json(r);
                v["session"] = json!(r.session);
                v["title"] = json!(r.title);
                v["runs"] = json!(runs);
                v
            })
            .collect(),
    )
}

fn when(r: &Record) -> String {
    format!("{} {}", r.started.date(), r.started.clock())
}

/// How a run went, in words: `12 min of 12 min, completed`.
fn run_outcome(r: &Record) -> String {
    let of = format!("{} of {}", length(r.practised), length(r.planned));
    match &r.outcome {
        _ if !r.counts() => format!("{of}, only started (not counted)"),
        Outcome::Completed => format!("{of}, completed"),
        Outcome::EndedEarly { step, .. } => format!("{of}, ended early at step {step}"),
    }
}

/// Minutes, or seconds for a run shorter than one (a short timer, a
/// start): "under 1 min of under 1 min" would say nothing.
fn length(d: Duration) -> String {
    if d < Duration::from_secs(60) {
        format!("{} s", d.as_secs())
    } else {
        time(d)
    }
}

fn run_json(r: &Record) -> Value {
    let mut v = json!({
        "started": r.started.to_string(),
        "kind": r.kind.name(),
        "planned_seconds": seconds(r.planned),
        "practised_seconds": seconds(r.practised),
        "completed": r.outcome.completed(),
        "counts": r.counts(),
    });
    if let Some(seed) = r.seed {
        v["seed"] = json!(seed);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::super::tests::rec;
    use super::*;
    use jiff::civil::date;

    #[test]
    fn one_sessions_history() {
        let today = date(2026, 12, 2); // a Wednesday
        let mut records = vec![
            rec(date(2026, 11, 2), 7, 10, "a"),
            rec(date(2026, 11, 20), 7, 25, "b"),
            rec(today, 7, 12, "a"),
        ];
        // A run of 20 seconds: shown as started, counted nowhere.
        let mut short = rec(today, 9, 0, "a");
        short.practised = Duration::from_secs(20);
        short.outcome = Outcome::EndedEarly {
            step: 1,
            by: "q".into(),
        };
        records.push(short);
        let mut early = rec(date(2026, 11, 30), 7, 4, "a");
        early.planned = Duration::from_secs(1200);
        early.outcome = Outcome::EndedEarly {
            step: 3,
            by: "q".into(),
        };
        records.push(early);

        let h = History::of(&records, "a", today).unwrap();
        assert_eq!(h.tally.sessions, 3);
        assert_eq!(h.tally.practised, Duration::from_secs(26 * 60));
        assert_eq!(h.completed, 2);
        assert_eq!(h.started_only, 1);
        assert_eq!(h.runs.len(), 4);
        assert_eq!(
            h.lengths,
            vec![
                (Duration::from_secs(1200), 1),
                (Duration::from_secs(600), 2)
            ]
        );
        // Eight Monday-aligned weeks ending with this one; today has 12
        // minutes (the 20 s start is not practice), the days after it none.
        assert_eq!(h.row.len(), 56);
        assert_eq!(h.row_from, Some(date(2026, 10, 12)));
        let today_at = 7 * 7 + 2;
        assert_eq!(h.row[today_at], Some(Duration::from_secs(12 * 60)));
        assert_eq!(h.row[today_at + 1], None);
        assert_eq!(h.row[21], Some(Duration::from_secs(10 * 60))); // Nov 2

        let text = h.render(false);
        assert!(
            text.starts_with("Title of a (a)\nSessions        3 (2 completed, 1 ended early)\n"),
            "{text}"
        );
        assert!(text.contains("Time practised  26 min\n"), "{text}");
        assert!(
            text.contains("Only started    1 time (ended in the first 30 s, not counted)\n"),
            "{text}"
        );
        assert!(
            text.contains("Lengths         20 min ×1, 10 min ×2\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "Last 8 weeks    ······· ······· ······· ▒······ ······· ······· ······· ░·▒\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("  2026-11-30 07:00  4 min of 20 min, ended early at step 3\n"),
            "{text}"
        );
        assert!(
            text.contains("  2026-12-02 09:00  20 s of 10 min, only started (not counted)\n"),
            "{text}"
        );
        let json = h.to_json();
        assert_eq!(json["sessions"], 3);
        assert_eq!(json["started_only"], 1);
        assert_eq!(json["runs"].as_array().unwrap().len(), 4);
        assert_eq!(json["runs"][0]["counts"], false);

        assert!(History::of(&records, "nobody", today).is_none());
    }

    #[test]
    fn recent_runs_are_each_sessions_newest() {
        let d = date(2026, 12, 1);
        let records = vec![
            rec(d, 7, 10, "a"),
            rec(d, 8, 10, "b"),
            rec(d, 9, 10, "a"),
            rec(d, 10, 10, "c"),
        ];
        let r = recent(&records, 2);
        let names: Vec<(&str, u8, usize)> = r
            .iter()
            .map(|(r, n)| (r.session.as_str(), r.started.datetime().hour() as u8, *n))
            .collect();
        assert_eq!(names, vec![("c", 10, 1), ("a", 9, 2)]);
        let text = render_recent(&r);
        assert!(
            text.contains("c         2026-12-01 10:00  10 min of 10 min, completed\n"),
            "{text}"
        );
        assert!(text.contains("Title of a · 2 runs in the log"), "{text}");
        assert_eq!(recent_json(&r)[1]["runs"], 2);
        assert!(render_recent(&[]).starts_with("No practice recorded yet."));
    }
}
