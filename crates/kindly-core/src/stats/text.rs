//! `kindly stats` for people: a few aligned figures, then the calendar.

use std::time::Duration;

use super::{Stats, Tally, WEEKS};

impl Stats {
    /// The human report. `show_streaks` false leaves streaks out entirely.
    pub fn render(&self, show_streaks: bool, color: bool) -> String {
        if self.all.sessions == 0 {
            return "No practice recorded yet. Each `kindly play`, `timer` and `breathe` \
                    is kept here, on this machine only.\n"
                .to_owned();
        }
        let mut out = String::new();
        let mut line = |label: &str, value: String| {
            out.push_str(&format!("{label:<16}{value}\n"));
        };
        tally_lines(&mut line, &self.all, self.completed, self.started_only);
        line(
            "This week",
            format!(
                "{}, {}",
                count(self.this_week.sessions, "session"),
                time(self.this_week.practised)
            ),
        );
        if show_streaks {
            line(
                "Current streak",
                count(self.streaks.current as usize, "day"),
            );
            line(
                "Longest streak",
                count(self.streaks.longest as usize, "day"),
            );
        }
        let width = self
            .per_session
            .iter()
            .map(|s| s.title.chars().count())
            .chain(self.per_theme.iter().map(|(t, _)| t.name().len()))
            .max()
            .unwrap_or(0)
            .min(40);
        out.push_str("\nBy session\n");
        for s in &self.per_session {
            // A timer's title names its length; the row is every length.
            let title = match s.id.as_str() {
                "timer" => "Timer",
                "breathe" => "Breathing",
                _ => &s.title,
            };
            out.push_str(&row(title, s.tally.sessions, s.tally.practised, width));
            if s.lengths.len() > 1 {
                let lengths: Vec<String> = s
                    .lengths
                    .iter()
                    .map(|(d, n)| format!("{} ×{n}", crate::duration::human(*d)))
                    .collect();
                out.push_str(&format!("    {}\n", lengths.join(" · ")));
            }
        }
        if !self.per_theme.is_empty() {
            out.push_str("\nBy theme\n");
            for (theme, t) in &self.per_theme {
                out.push_str(&row(theme.name(), t.sessions, t.practised, width));
            }
        }
        out.push_str(&format!("\nThe last {WEEKS} weeks\n"));
        out.push_str(&self.calendar.render(color));
        out
    }
}

fn row(name: &str, sessions: usize, practised: Duration, width: usize) -> String {
    let name: String = name.chars().take(width).collect();
    format!("  {name:<width$}  {sessions:>4}  {:>12}\n", time(practised))
}

/// The lines both reports open with, all practice's and one session's:
/// the runs that count and how they ended, the time, and the runs only
/// started.
pub(super) fn tally_lines(
    line: &mut dyn FnMut(&str, String),
    tally: &Tally,
    completed: usize,
    started_only: usize,
) {
    line(
        "Sessions",
        format!(
            "{} ({} completed, {} ended early)",
            tally.sessions,
            completed,
            tally.sessions - completed
        ),
    );
    line("Time practised", time(tally.practised));
    if started_only > 0 {
        line(
            "Only started",
            format!(
                "{} (ended in the first 30 s, not counted)",
                count(started_only, "time")
            ),
        );
    }
}

pub(super) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Whole minutes, with hours past sixty.
pub(crate) fn time(d: Duration) -> String {
    let minutes = (d.as_secs() + 30) / 60;
    if minutes == 0 && !d.is_zero() {
        "under 1 min".to_owned()
    } else if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::rec;
    use super::*;
    use crate::practice::Outcome;
    use crate::session::Theme;
    use jiff::civil::date;

    #[test]
    fn times_read_naturally() {
        assert_eq!(time(Duration::ZERO), "0 min");
        assert_eq!(time(Duration::from_secs(20)), "under 1 min");
        assert_eq!(time(Duration::from_secs(90)), "2 min");
        assert_eq!(time(Duration::from_secs(3600 + 5 * 60)), "1 h 05 min");
    }

    #[test]
    fn the_report_and_hiding_streaks() {
        let today = date(2026, 11, 28);
        let mut a = rec(today, 8, 10, "a");
        a.themes = vec![Theme::SelfKindness];
        let mut b = rec(date(2026, 11, 27), 8, 65, "b");
        b.outcome = Outcome::EndedEarly {
            step: 3,
            by: "q".into(),
        };
        let s = Stats::compute(&[a, b], today);
        let text = s.render(true, false);
        let top: Vec<&str> = text.lines().take(5).collect();
        assert_eq!(
            top,
            vec![
                "Sessions        2 (1 completed, 1 ended early)",
                "Time practised  1 h 15 min",
                "This week       2 sessions, 1 h 15 min",
                "Current streak  2 days",
                "Longest streak  2 days",
            ]
        );
        assert!(text.contains("\nBy session\n  Title of b        1    1 h 05 min\n"));
        assert!(text.contains("\nBy theme\n  self-kindness     1        10 min\n"));
        assert!(text.contains("The last 12 weeks\n"));
        let hidden = s.render(false, false);
        assert!(!hidden.to_lowercase().contains("streak"));
    }

    #[test]
    fn an_empty_log_says_so_kindly() {
        let s = Stats::compute(&[], date(2026, 11, 28));
        assert!(s
            .render(true, false)
            .starts_with("No practice recorded yet."));
    }
}
