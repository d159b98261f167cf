//! The 12-week heat map, drawn like a contribution graph.
//!
//! Seven rows (Monday to Sunday) by twelve columns (weeks, the last one
//! holding today). Each cell is a shade by minutes practised that day. The
//! shades are characters (`·░▒▓█`), so the map reads the same with
//! `NO_COLOR` or on a plain terminal; colour only adds green on top.
//! Thresholds are fixed minutes rather than quartiles of your own history,
//! so a cell means the same thing this month and next.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::civil::Date;
use serde_json::{json, Value};

use super::{add_days, monday_of};

pub const WEEKS: usize = 12;

/// The characters, from no practice to the most.
pub const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];

/// Upper bounds (exclusive) in minutes of shades 1, 2 and 3.
const LIMITS: [u64; 3] = [10, 20, 40];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The left margin: a day name and a space.
const MARGIN: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// The Monday of the first column, if the calendar reaches that far back.
    first: Option<Date>,
    today: Date,
    /// Indexed `week * 7 + weekday`; `None` for days after today.
    days: Vec<Option<Duration>>,
}

/// Which shade, 0 to 4, a day's practice gets.
pub fn shade(practised: Duration) -> usize {
    if practised.is_zero() {
        return 0;
    }
    let minutes = practised.as_secs() / 60;
    1 + LIMITS.iter().filter(|&&l| minutes >= l).count()
}

impl Calendar {
    pub(super) fn new(per_day: &BTreeMap<Date, Duration>, today: Date) -> Calendar {
        let first = monday_of(today).and_then(|m| add_days(m, -7 * (WEEKS as i64 - 1)));
        let days = (0..WEEKS * 7)
            .map(|i| {
                let day = first.and_then(|f| add_days(f, i as i64))?;
                (day <= today).then(|| per_day.get(&day).copied().unwrap_or_default())
            })
            .collect();
        Calendar { first, today, days }
    }

    fn date(&self, week: usize, weekday: usize) -> Option<Date> {
        add_days(self.first?, (week * 7 + weekday) as i64)
    }

    pub fn to_json(&self) -> Value {
        let days: Vec<Value> = (0..WEEKS * 7)
            .filter_map(|i| {
                let practised = self.days[i]?;
                let date = self.date(i / 7, i % 7)?;
                Some(json!({
                    "date": date.to_string(),
                    "minutes": (practised.as_secs_f64() / 6.0).round() / 10.0,
                    "shade": shade(practised),
                }))
            })
            .collect();
        json!({
            "from": self.first.map(|d| d.to_string()),
            "to": self.today.to_string(),
            "days": days,
        })
    }

    /// The map as text: month labels, seven rows, a legend.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        out.push_str(&self.month_labels());
        out.push('\n');
        for (weekday, name) in DAYS.iter().enumerate() {
            let mut line = format!("{name} ");
            for week in 0..WEEKS {
                match self.days[week * 7 + weekday] {
                    Some(d) => line.push_str(&paint(shade(d), color)),
                    None => line.push(' '),
                }
                line.push(' ');
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push_str(&format!(
            "{:MARGIN$}{} none  {} under 10 min  {} 10-20  {} 20-40  {} 40 min or more\n",
            "",
            paint(0, color),
            paint(1, color),
            paint(2, color),
            paint(3, color),
            paint(4, color),
        ));
        out
    }

    /// A month's name above the first week that holds its 1st, and above
    /// the first column unless that would run into the next label.
    fn month_labels(&self) -> String {
        let mut labels: Vec<(usize, i8)> = Vec::new();
        for week in 0..WEEKS {
            let starts = (0..7)
                .filter_map(|wd| self.date(week, wd))
                .find(|d| d.day() == 1);
            if let Some(d) = starts {
                labels.push((week, d.month()));
            }
        }
        if labels.first().is_none_or(|&(w, _)| w >= 2) {
            if let Some(d) = self.date(0, 0) {
                labels.insert(0, (0, d.month()));
            }
        }
        let mut line = String::new();
        for (week, month) in labels {
            let col = MARGIN + week * 2;
            while line.chars().count() < col {
                line.push(' ');
            }
            line.push_str(MONTHS[(month as usize).saturating_sub(1) % 12]);
        }
        line
    }
}

pub(super) fn paint(level: usize, color: bool) -> String {
    let c = SHADES[level.min(4)];
    if !color {
        return c.to_string();
    }
    let code = ["90", "38;5;22", "38;5;28", "38;5;34", "38;5;40"][level.min(4)];
    format!("\x1b[{code}m{c}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::super::tests::rec;
    use super::super::Stats;
    use super::*;
    use jiff::civil::date;

    #[test]
    fn shades_by_minutes() {
        let m = |n: u64| Duration::from_secs(n * 60);
        assert_eq!(shade(Duration::ZERO), 0);
        assert_eq!(shade(Duration::from_secs(1)), 1);
        assert_eq!(shade(m(9)), 1);
        assert_eq!(shade(m(10)), 2);
        assert_eq!(shade(m(19)), 2);
        assert_eq!(shade(m(20)), 3);
        assert_eq!(shade(m(40)), 4);
        assert_eq!(shade(m(400)), 4);
    }

    #[test]
    fn draws_twelve_weeks_ending_with_this_one() {
        // Saturday 28 November 2026: the grid runs from Monday 7 September.
        let today = date(2026, 11, 28);
        let records = vec![
            rec(date(2026, 9, 7), 8, 5, "a"),    // first cell
            rec(date(2026, 10, 1), 8, 15, "a"),  // a Thursday
            rec(date(2026, 11, 27), 8, 25, "a"), // yesterday, Friday
            rec(today, 8, 45, "a"),
            rec(date(2026, 9, 6), 8, 45, "a"), // before the grid: not drawn
        ];
        let s = Stats::compute(&records, today);
        assert_eq!(
            s.calendar.render(false),
            "    Sep   Oct     Nov\n\
Mon ░ · · · · · · · · · · ·
Tue · · · · · · · · · · · ·
Wed · · · · · · · · · · · ·
Thu · · · ▒ · · · · · · · ·
Fri · · · · · · · · · · · ▓
Sat · · · · · · · · · · · █
Sun · · · · · · · · · · ·
    · none  ░ under 10 min  ▒ 10-20  ▓ 20-40  █ 40 min or more
"
        );
        let j = s.calendar.to_json();
        assert_eq!(j["from"], "2026-09-07");
        assert_eq!(j["to"], "2026-11-28");
        assert_eq!(j["days"].as_array().unwrap().len(), 11 * 7 + 6);
        assert_eq!(j["days"][0]["minutes"], 5.0);
    }

    #[test]
    fn color_adds_escapes_around_the_same_characters() {
        let s = Stats::compute(&[], date(2026, 11, 28));
        let colored = s.calendar.render(true);
        assert!(colored.contains("\x1b[90m·\x1b[0m"));
        assert!(!s.calendar.render(false).contains('\x1b'));
    }

    #[test]
    fn a_year_boundary_labels_january() {
        let s = Stats::compute(&[], date(2027, 1, 10));
        let first = s.calendar.render(false).lines().next().unwrap().to_owned();
        assert!(first.contains("Jan"), "{first}");
        assert!(first.contains("Dec"), "{first}");
    }
}
