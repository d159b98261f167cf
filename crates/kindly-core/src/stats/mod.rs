//! `kindly stats`: figures about practice, computed from records alone.
//!
//! Everything here is a pure function of the records and a `today` passed
//! in: no clock, no files. Days are civil dates on the wall clock where the
//! session started (see `LocalTime`), so DST changes and travel cannot
//! split or merge days after the fact.

mod calendar;
mod history;
mod text;

pub use calendar::{shade, Calendar, SHADES, WEEKS};
pub use history::{recent, recent_json, render_recent, History, LISTED, ROW_WEEKS};

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use jiff::civil::Date;
use serde_json::{json, Value};

use crate::practice::Record;
use crate::session::Theme;

/// How many sessions, and how long.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub sessions: usize,
    pub practised: Duration,
}

impl Tally {
    fn add(&mut self, r: &Record) {
        self.sessions += 1;
        self.practised += r.practised;
    }
}

/// Streaks in days with practice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Streaks {
    /// Runs up to today, or to yesterday if today has no practice yet: a
    /// streak is not broken until a whole day has passed without practice.
    pub current: u32,
    pub longest: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionTally {
    pub id: String,
    /// The title in the most recent record, in case the script was renamed.
    pub title: String,
    pub tally: Tally,
    /// For timers and pacers, whose every length is the same practice: how
    /// many times each planned length was sat, longest first.
    pub lengths: Vec<(Duration, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub today: Date,
    pub all: Tally,
    pub completed: usize,
    /// Runs ended in their first 30 s: logged, shown, but not counted in
    /// any other figure.
    pub started_only: usize,
    /// Monday to Sunday of the week holding `today`.
    pub this_week: Tally,
    pub streaks: Streaks,
    /// Most practised first.
    pub per_session: Vec<SessionTally>,
    /// Each theme's own share of the time (the steps tagged with it), so
    /// the times add up to the total; a session counts once towards each
    /// theme it practised.
    pub per_theme: Vec<(Theme, Tally)>,
    pub calendar: Calendar,
}

impl Stats {
    pub fn compute(records: &[Record], today: Date) -> Stats {
        let mut all = Tally::default();
        let mut completed = 0;
        let mut this_week = Tally::default();
        let monday = monday_of(today);
        let mut sessions: BTreeMap<&str, SessionTally> = BTreeMap::new();
        let mut themes: BTreeMap<Theme, Tally> = BTreeMap::new();
        let mut days: BTreeMap<Date, Duration> = BTreeMap::new();
        let mut started_only = 0;
        for r in records {
            if !r.counts() {
                started_only += 1;
                continue;
            }
            all.add(r);
            completed += usize::from(r.outcome.completed());
            let day = r.started.date();
            if monday.is_some_and(|m| day >= m && add_days(m, 6).is_some_and(|s| day <= s)) {
                this_week.add(r);
            }
            let entry = sessions.entry(&r.session).or_insert_with(|| SessionTally {
                id: r.session.clone(),
                title: r.title.clone(),
                tally: Tally::default(),
                lengths: Vec::new(),
            });
            entry.tally.add(r);
            if r.kind != crate::practice::Kind::Play {
                match entry.lengths.iter_mut().find(|(d, _)| *d == r.planned) {
                    Some((_, n)) => *n += 1,
                    None => entry.lengths.push((r.planned, 1)),
                }
            }
            // Records are in the order they were written, so the last wins.
            entry.title = r.title.clone();
            for (t, share) in r.theme_time() {
                let tally = themes.entry(t).or_default();
                tally.sessions += 1;
                tally.practised += share;
            }
            if !r.practised.is_zero() {
                *days.entry(day).or_default() += r.practised;
            }
        }
        let mut per_session: Vec<SessionTally> = sessions.into_values().collect();
        per_session.sort_by(|a, b| {
            b.tally
                .practised
                .cmp(&a.tally.practised)
                .then_with(|| a.id.cmp(&b.id))
        });
        for s in &mut per_session {
            s.lengths.sort_by_key(|l| std::cmp::Reverse(l.0));
        }
        let practice_days: BTreeSet<Date> = days.keys().copied().collect();
        Stats {
            today,
            all,
            completed,
            started_only,
            this_week,
            streaks: streaks(&practice_days, today),
            per_session,
            per_theme: themes.into_iter().collect(),
            calendar: Calendar::new(&days, today),
        }
    }

    /// The figures for `--json`. Streaks are left out entirely when hidden,
    /// so a tool cannot show what the person chose not to see.
    pub fn to_json(&self, show_streaks: bool) -> Value {
        let tally = |t: &Tally| {
            json!({
                "sessions": t.sessions,
                "seconds": seconds(t.practised),
                "minutes": minutes(t.practised),
            })
        };
        let mut v = json!({
            "today": self.today.to_string(),
            "sessions": self.all.sessions,
            "completed": self.completed,
            "started_only": self.started_only,
            "ended_early": self.all.sessions - self.completed,
            "seconds": seconds(self.all.practised),
            "minutes": minutes(self.all.practised),
            "this_week": tally(&self.this_week),
            "per_session": self.per_session.iter().map(|s| {
                let mut t = tally(&s.tally);
                t["id"] = json!(s.id);
                t["title"] = json!(s.title);
                if !s.lengths.is_empty() {
                    t["lengths"] = json!(s.lengths.iter().map(|(d, n)| json!({
                        "planned_seconds": seconds(*d),
                        "sessions": n,
                    })).collect::<Vec<_>>());
                }
                t
            }).collect::<Vec<_>>(),
            "per_theme": self.per_theme.iter().map(|(theme, t)| {
                let mut t = tally(t);
                t["theme"] = json!(theme.name());
                t
            }).collect::<Vec<_>>(),
            "calendar": self.calendar.to_json(),
        });
        if show_streaks {
            v["streaks"] = json!({
                "current": self.streaks.current,
                "longest": self.streaks.longest,
            });
        }
        v
    }
}

fn seconds(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

/// Minutes to one decimal place, for people reading JSON.
fn minutes(d: Duration) -> f64 {
    (d.as_secs_f64() / 6.0).round() / 10.0
}

pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

pub(crate) fn monday_of(d: Date) -> Option<Date> {
    add_days(d, -i64::from(d.weekday().to_monday_zero_offset()))
}

fn streaks(days: &BTreeSet<Date>, today: Date) -> Streaks {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<Date> = None;
    for &d in days {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(d) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(d);
    }
    let yesterday = today.yesterday().ok();
    let mut cursor = if days.contains(&today) {
        Some(today)
    } else {
        yesterday.filter(|y| days.contains(y))
    };
    let mut current = 0;
    while let Some(d) = cursor.filter(|d| days.contains(d)) {
        current += 1;
        cursor = d.yesterday().ok();
    }
    Streaks { current, longest }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::local_time::LocalTime;
    use crate::practice::{Kind, Outcome};
    use jiff::civil::date;
    use jiff::tz::Offset;

    pub(crate) fn rec(day: Date, hour: i8, minutes: u64, session: &str) -> Record {
        Record {
            kind: Kind::Play,
            session: session.into(),
            title: format!("Title of {session}"),
            started: LocalTime::from_civil(day.at(hour, 0, 0, 0), Offset::constant(1)).unwrap(),
            planned: Duration::from_secs(600),
            practised: Duration::from_secs(minutes * 60),
            outcome: Outcome::Completed,
            themes: vec![],
            theme_seconds: vec![],
            again: Vec::new(),
            seed: None,
        }
    }

    fn streaks_of(days: &[Date], today: Date) -> Streaks {
        let records: Vec<Record> = days.iter().map(|&d| rec(d, 8, 5, "a")).collect();
        Stats::compute(&records, today).streaks
    }

    #[test]
    fn an_empty_log_is_all_zeros() {
        let s = Stats::compute(&[], date(2026, 11, 28));
        assert_eq!(s.all, Tally::default());
        assert_eq!(s.streaks, Streaks::default());
        assert!(s.per_session.is_empty() && s.per_theme.is_empty());
        assert_eq!(s.to_json(true)["sessions"], 0);
    }

    #[test]
    fn the_current_streak_counts_today_or_ends_yesterday() {
        let today = date(2026, 11, 28);
        let run = [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27)];
        assert_eq!(
            streaks_of(&run, today),
            Streaks {
                current: 3,
                longest: 3
            }
        );
        let mut with_today = run.to_vec();
        with_today.push(today);
        assert_eq!(streaks_of(&with_today, today).current, 4);
        // Two days ago: broken.
        assert_eq!(
            streaks_of(&run[..2], today),
            Streaks {
                current: 0,
                longest: 2
            }
        );
        // Only today.
        assert_eq!(
            streaks_of(&[today], today),
            Streaks {
                current: 1,
                longest: 1
            }
        );
    }

    #[test]
    fn streaks_cross_months_leap_days_and_years() {
        let days = [
            date(2027, 12, 30),
            date(2027, 12, 31),
            date(2028, 1, 1),
            date(2028, 2, 28),
            date(2028, 2, 29),
            date(2028, 3, 1),
            date(2028, 3, 2),
        ];
        assert_eq!(
            streaks_of(&days, date(2028, 3, 3)),
            Streaks {
                current: 4,
                longest: 4
            }
        );
        assert_eq!(streaks_of(&days[..3], date(2028, 1, 1)).current, 3);
        // 2027 is not a leap year: 28 Feb then 1 Mar is a run.
        let d = [date(2027, 2, 28), date(2027, 3, 1)];
        assert_eq!(streaks_of(&d, date(2027, 3, 1)).current, 2);
    }

    #[test]
    fn many_sessions_on_one_day_are_one_day_and_order_does_not_matter() {
        let today = date(2026, 11, 28);
        let records = vec![
            rec(today, 20, 5, "a"),
            rec(date(2026, 11, 27), 8, 5, "a"),
            rec(today, 7, 5, "b"),
            rec(date(2026, 11, 20), 8, 5, "a"),
        ];
        let s = Stats::compute(&records, today);
        assert_eq!(
            s.streaks,
            Streaks {
                current: 2,
                longest: 2
            }
        );
    }

    #[test]
    fn a_session_ended_at_once_is_not_a_day_of_practice() {
        let today = date(2026, 11, 28);
        let s = Stats::compute(&[rec(today, 8, 0, "a")], today);
        assert_eq!(s.all.sessions, 1);
        assert_eq!(s.streaks.current, 0);
    }

    #[test]
    fn the_day_is_the_wall_clock_day_even_across_offsets() {
        // 23:30 at -05:00 and 00:30 at +01:00 the next day are an hour
        // apart in UTC, yet two different days for the person.
        let a = LocalTime::parse("2026-11-27T23:30:00-05:00").unwrap();
        let b = LocalTime::parse("2026-11-29T00:30:00+01:00").unwrap();
        let mut r1 = rec(date(2026, 1, 1), 0, 5, "a");
        r1.started = a;
        let mut r2 = r1.clone();
        r2.started = b;
        let s = Stats::compute(&[r1, r2], date(2026, 11, 29));
        assert_eq!(
            s.streaks,
            Streaks {
                current: 1,
                longest: 1
            }
        );
    }

    #[test]
    fn this_week_is_monday_to_sunday() {
        // 2026-11-28 is a Saturday; its week is 23..=29 November.
        let today = date(2026, 11, 28);
        let records = vec![
            rec(date(2026, 11, 22), 8, 10, "a"), // Sunday before
            rec(date(2026, 11, 23), 8, 20, "a"), // Monday
            rec(today, 8, 30, "b"),
        ];
        let s = Stats::compute(&records, today);
        assert_eq!(
            s.this_week,
            Tally {
                sessions: 2,
                practised: Duration::from_secs(50 * 60)
            }
        );
        let sunday = Stats::compute(&records, date(2026, 11, 22));
        assert_eq!(sunday.this_week.sessions, 1);
    }

    #[test]
    fn per_session_and_per_theme() {
        let today = date(2026, 11, 28);
        let mut a = rec(today, 8, 10, "a");
        a.themes = vec![Theme::Mindfulness, Theme::SelfKindness];
        let mut b = rec(today, 9, 30, "b");
        b.themes = vec![Theme::SelfKindness];
        let mut a2 = rec(today, 10, 5, "a");
        a2.title = "Renamed".into();
        a2.outcome = Outcome::EndedEarly {
            step: 2,
            by: "q".into(),
        };
        let s = Stats::compute(&[a, b, a2], today);
        assert_eq!(s.completed, 2);
        let ids: Vec<(&str, &str, usize)> = s
            .per_session
            .iter()
            .map(|t| (t.id.as_str(), t.title.as_str(), t.tally.sessions))
            .collect();
        assert_eq!(ids, vec![("b", "Title of b", 1), ("a", "Renamed", 2)]);
        assert_eq!(
            s.per_theme,
            vec![
                (
                    Theme::Mindfulness,
                    Tally {
                        sessions: 1,
                        practised: Duration::from_secs(300)
                    }
                ),
                (
                    Theme::SelfKindness,
                    Tally {
                        sessions: 2,
                        practised: Duration::from_secs(2100)
                    }
                ),
            ]
        );
        // Shares, not the whole session under each theme: the themed
        // records' time is counted once.
        let themed: Duration = s.per_theme.iter().map(|(_, t)| t.practised).sum();
        assert_eq!(themed, Duration::from_secs(600 + 1800));
        let j = s.to_json(false);
        assert!(j.get("streaks").is_none());
        assert_eq!(j["ended_early"], 1);
        assert_eq!(j["minutes"], 45.0);
        assert_eq!(j["per_theme"][1]["theme"], "self-kindness");
        assert!(s.to_json(true)["streaks"]["current"] == 1);
    }

    #[test]
    fn a_run_ended_in_its_first_half_minute_is_only_started() {
        let today = date(2026, 11, 28);
        let mut brief = rec(today, 8, 0, "a");
        brief.practised = Duration::from_secs(12);
        brief.outcome = Outcome::EndedEarly {
            step: 1,
            by: "q".into(),
        };
        // A short session played to its end is practice all the same.
        let mut short_done = rec(today.yesterday().unwrap(), 8, 0, "b");
        short_done.practised = Duration::from_secs(20);
        let s = Stats::compute(&[brief, short_done], today);
        assert_eq!(s.started_only, 1);
        assert_eq!(s.all.sessions, 1);
        assert_eq!(s.per_session.len(), 1);
        // Today has only a start, so the streak ends yesterday.
        assert_eq!(s.streaks.current, 1);
        assert_eq!(s.to_json(true)["started_only"], 1);
    }

    #[test]
    fn timers_are_one_row_with_their_lengths() {
        let today = date(2026, 11, 28);
        let timer = |minutes: u64| {
            let mut r = rec(today, 8, minutes, "timer");
            r.kind = Kind::Timer;
            r.planned = Duration::from_secs(minutes * 60);
            r
        };
        let s = Stats::compute(&[timer(20), timer(10), timer(20)], today);
        assert_eq!(s.per_session.len(), 1);
        assert_eq!(
            s.per_session[0].lengths,
            vec![
                (Duration::from_secs(1200), 2),
                (Duration::from_secs(600), 1)
            ]
        );
        assert_eq!(
            s.to_json(false)["per_session"][0]["lengths"][0]["sessions"],
            2
        );
    }

    #[test]
    fn dates_at_the_edge_of_the_calendar_do_not_panic() {
        use jiff::Timestamp;
        let mut records = Vec::new();
        for (at, offset) in [(Timestamp::MAX, Offset::MAX), (Timestamp::MIN, Offset::MIN)] {
            let mut r = rec(date(2026, 1, 1), 8, 5, "a");
            r.started = LocalTime::new(at, offset);
            records.push(r);
        }
        for today in [Date::MAX, Date::MIN, date(2026, 1, 1)] {
            let s = Stats::compute(&records, today);
            let _ = s.to_json(true);
            let _ = s.calendar.render(false);
        }
    }
}
