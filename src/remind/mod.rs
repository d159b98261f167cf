//! Reminders: what a reminder is, the record of what kindly wrote for it,
//! and the pure edits behind `kindly remind` (crontab text, the message).
//!
//! kindly runs no daemon of its own. A reminder is a systemd user timer, a
//! crontab line or a launchd agent that runs `kindly remind fire ID`; the
//! text of those lives in [`schedule`]. Everything here is pure: the
//! command (src/commands/remind.rs) reads and writes the files and runs
//! `systemctl`, `crontab` and `launchctl`.

pub(crate) mod schedule;

use std::fmt;
use std::path::PathBuf;

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::practice::Record;

/// A wall-clock time of day, to the minute: when a reminder fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TimeOfDay {
    hour: u8,
    minute: u8,
}

impl TimeOfDay {
    /// `HH:MM` (or `H:MM`) on a 24-hour clock.
    pub(crate) fn parse(text: &str) -> Option<TimeOfDay> {
        let (h, m) = text.trim().split_once(':')?;
        let digits = |s: &str, most: usize| {
            (!s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u8>().ok())
                .flatten()
        };
        let hour = digits(h, 2)?;
        let minute = digits(m, 2).filter(|_| m.len() == 2)?;
        (hour < 24 && minute < 60).then_some(TimeOfDay { hour, minute })
    }

    pub(crate) fn hour(self) -> u8 {
        self.hour
    }

    pub(crate) fn minute(self) -> u8 {
        self.minute
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TimeOfDay, D::Error> {
        let text = String::deserialize(d)?;
        TimeOfDay::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not HH:MM")))
    }
}

/// Which days a reminder fires on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Days {
    Every,
    /// Monday to Friday.
    Weekdays,
}

impl Days {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Days::Every => "every day",
            Days::Weekdays => "on weekdays",
        }
    }

    /// The days of the week, Monday first, as systemd, cron and launchd
    /// each spell them differently.
    pub(crate) fn weekdays(self) -> Option<&'static [Weekday]> {
        const WEEKDAYS: &[Weekday] = &[
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ];
        match self {
            Days::Every => None,
            Days::Weekdays => Some(WEEKDAYS),
        }
    }
}

/// A reminder's number: its unit is `kindly-remind-ID.timer`, its crontab
/// line ends `# kindly reminder ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct ReminderId(pub u32);

impl fmt::Display for ReminderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What the person asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Reminder {
    pub id: ReminderId,
    pub at: TimeOfDay,
    pub days: Days,
    /// A bundled session's name or a script's absolute path; `None` for
    /// "a few minutes of whatever helps".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Stay quiet on a day that already has practice in the log.
    #[serde(default)]
    pub unless_practised: bool,
}

impl Reminder {
    /// "08:00 on weekdays, self-compassion-break, unless you have practised".
    pub(crate) fn describe(&self) -> String {
        let mut out = format!("{} {}", self.at, self.days.describe());
        match &self.session {
            Some(s) => out.push_str(&format!(", {s}")),
            None => out.push_str(", any session"),
        }
        if self.unless_practised {
            out.push_str(", unless you have already practised that day");
        }
        out
    }
}

/// How a reminder is scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Via {
    /// A systemd user timer and service.
    Systemd,
    /// A line in the person's crontab.
    Cron,
    /// A launchd agent (macOS).
    Launchd,
}

impl Via {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Via::Systemd => "systemd user timer",
            Via::Cron => "crontab line",
            Via::Launchd => "launchd agent",
        }
    }
}

/// A file kindly wrote, with a digest of what it wrote: `remove` deletes
/// only a file that still holds that, never one a person has changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Written {
    pub path: PathBuf,
    pub sha256: String,
}

impl Written {
    pub(crate) fn new(path: PathBuf, text: &str) -> Written {
        Written {
            path,
            sha256: digest(text.as_bytes()),
        }
    }

    /// Whether `bytes` are what kindly wrote.
    pub(crate) fn holds(&self, bytes: &[u8]) -> bool {
        digest(bytes) == self.sha256
    }
}

fn digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One reminder and everything kindly wrote for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    #[serde(flatten)]
    pub reminder: Reminder,
    pub via: Via,
    /// Unit files or the agent's plist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<Written>,
    /// The crontab line, exactly as added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crontab_line: Option<String>,
}

/// `reminders.json` in kindly's data folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Book {
    #[serde(default)]
    pub reminders: Vec<Entry>,
}

impl Book {
    pub(crate) fn parse(text: &str) -> Result<Book, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub(crate) fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub(crate) fn get(&self, id: ReminderId) -> Option<&Entry> {
        self.reminders.iter().find(|e| e.reminder.id == id)
    }

    /// The next number after every one in use, so a removed reminder's
    /// number is not given to a new one while its files might linger.
    pub(crate) fn next_id(&self) -> ReminderId {
        ReminderId(
            self.reminders
                .iter()
                .map(|e| e.reminder.id.0)
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        )
    }
}

/// Whether `day` already has practice in the log: a run that counts
/// (see [`Record::counts`]), on that wall-clock day.
pub(crate) fn practised_on(records: &[Record], day: Date) -> bool {
    records
        .iter()
        .any(|r| r.counts() && r.started.date() == day)
}

/// The marker at the end of every crontab line kindly adds.
pub(crate) fn crontab_marker(id: ReminderId) -> String {
    format!("# kindly reminder {id}")
}

/// `current` (the output of `crontab -l`) with `line` added at the end.
/// Every line of the person's own is kept exactly, and the table ends in
/// a newline, which cron needs.
pub(crate) fn crontab_with(current: &str, line: &str) -> String {
    let mut out = current.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out
}

/// `current` without the lines exactly equal to `line`, and whether there
/// was one. Nothing else changes, so a line that merely looks like kindly's
/// (or one the person edited) stays.
pub(crate) fn crontab_without(current: &str, line: &str) -> (String, bool) {
    let mut found = false;
    let mut out = String::with_capacity(current.len());
    for l in current.split_inclusive('\n') {
        if l.trim_end_matches(['\n', '\r']) == line {
            found = true;
        } else {
            out.push_str(l);
        }
    }
    (out, found)
}

/// What a notification (or, with no desktop, the next run) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    pub summary: String,
    pub body: String,
}

pub(crate) fn message(reminder: &Reminder) -> Message {
    let body = match &reminder.session {
        Some(s) => format!("When you are ready: kindly play {}", shell_word(s)),
        None => "When you are ready, `kindly list` has sessions to choose from, \
                 or simply take three slow breaths."
            .to_owned(),
    };
    Message {
        summary: "Time for a few kind minutes".to_owned(),
        body,
    }
}

/// A pending reminder, fired when no desktop could show it: one JSON line
/// in the data folder until the next run shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    pub id: ReminderId,
    /// RFC 3339 with the offset, as the practice log keeps times.
    pub fired: String,
    pub summary: String,
    pub body: String,
}

/// The lines the next run prints for what was pending, once: one per
/// reminder, however often it fired meanwhile.
pub(crate) fn pending_notice(pending: &[Pending], today: Date) -> String {
    let mut seen: Vec<(ReminderId, &Pending, usize)> = Vec::new();
    for p in pending {
        match seen.iter_mut().find(|(id, _, _)| *id == p.id) {
            Some(s) => {
                s.1 = p;
                s.2 += 1;
            }
            None => seen.push((p.id, p, 1)),
        }
    }
    let mut out = String::new();
    for (_, p, times) in seen {
        let when = match crate::local_time::LocalTime::parse(&p.fired) {
            Some(t) if t.date() == today => format!("at {}", t.clock()),
            Some(t) => format!("on {} at {}", t.date(), t.clock()),
            None => "while you were away".to_owned(),
        };
        let again = if times > 1 {
            format!(" ({times} times)")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "reminder {when}{again}: {}. {}\n",
            p.summary, p.body
        ));
    }
    out
}

/// `s` as one word for a POSIX shell: bare if it is plain, else in single
/// quotes.
pub(crate) fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=+,@".contains(&b));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::LocalTime;
    use crate::practice::{Kind, Outcome};
    use jiff::civil::date;
    use std::time::Duration;

    #[test]
    fn times_of_day_parse_on_a_24_hour_clock() {
        assert_eq!(TimeOfDay::parse("08:00").unwrap().to_string(), "08:00");
        assert_eq!(TimeOfDay::parse("7:05").unwrap().to_string(), "07:05");
        assert_eq!(TimeOfDay::parse("23:59").unwrap().hour(), 23);
        for bad in [
            "",
            "8",
            "24:00",
            "12:60",
            "12:5",
            "-1:00",
            "+1:00",
            "1:2:3",
            "08:00pm",
            "١٢:٠٠",
            "008:00",
        ] {
            assert_eq!(TimeOfDay::parse(bad), None, "{bad}");
        }
    }

    fn entry(id: u32) -> Entry {
        Entry {
            reminder: Reminder {
                id: ReminderId(id),
                at: TimeOfDay::parse("08:00").unwrap(),
                days: Days::Weekdays,
                session: Some("self-compassion-break".into()),
                unless_practised: true,
            },
            via: Via::Cron,
            files: vec![],
            crontab_line: Some("0 8 * * 1-5 kindly remind fire 1 # kindly reminder 1".into()),
        }
    }

    #[test]
    fn the_book_round_trips_and_numbers_go_up() {
        let book = Book {
            reminders: vec![entry(1), entry(4)],
        };
        let again = Book::parse(&book.to_text()).unwrap();
        assert_eq!(again, book);
        assert_eq!(book.next_id(), ReminderId(5));
        assert_eq!(Book::default().next_id(), ReminderId(1));
        assert!(Book::parse("{\"reminders\": [{\"id\": 1}]}").is_err());
    }

    #[test]
    fn crontab_edits_keep_every_line_of_the_persons_own() {
        let mine = "# my jobs\nMAILTO=me\n*/5 * * * * backup   # nightly-ish\n";
        let line = "0 8 * * * '/bin/kindly' remind fire 1 # kindly reminder 1";
        let added = crontab_with(mine, line);
        assert_eq!(added, format!("{mine}{line}\n"));
        // No final newline in the person's table: one is added, not lost.
        assert_eq!(crontab_with("x", line), format!("x\n{line}\n"));
        assert_eq!(crontab_with("", line), format!("{line}\n"));
        let (back, found) = crontab_without(&added, line);
        assert!(found);
        assert_eq!(back, mine);
        // A line that only looks like kindly's stays.
        let edited = format!("{mine}{line} --edited\n");
        assert_eq!(crontab_without(&edited, line), (edited.clone(), false));
    }

    fn record(started: &str, practised: u64) -> Record {
        Record {
            kind: Kind::Timer,
            session: "timer".into(),
            title: "Timer".into(),
            started: LocalTime::parse(started).unwrap(),
            planned: Duration::from_secs(600),
            practised: Duration::from_secs(practised),
            outcome: Outcome::ended_early(0, "q"),
            themes: vec![],
            theme_seconds: vec![],
            again: Vec::new(),
            seed: None,
        }
    }

    #[test]
    fn a_day_has_practice_when_a_counted_run_started_on_it() {
        let records = [
            record("2026-12-01T23:50:00-05:00", 300),
            record("2026-12-02T07:00:00-05:00", 10),
        ];
        assert!(practised_on(&records, date(2026, 12, 1)));
        // Ten seconds is a start, not practice.
        assert!(!practised_on(&records, date(2026, 12, 2)));
        assert!(!practised_on(&[], date(2026, 12, 1)));
    }

    #[test]
    fn the_message_names_the_session_as_a_command_to_copy() {
        let mut r = entry(1).reminder;
        assert_eq!(
            message(&r).body,
            "When you are ready: kindly play self-compassion-break"
        );
        r.session = Some("/home/a b/it's.toml".into());
        assert_eq!(
            message(&r).body,
            r"When you are ready: kindly play '/home/a b/it'\''s.toml'"
        );
        r.session = None;
        assert!(message(&r).body.contains("kindly list"));
    }

    #[test]
    fn pending_reminders_are_shown_once_each() {
        let p = |id, fired: &str| Pending {
            id: ReminderId(id),
            fired: fired.into(),
            summary: "Time for a few kind minutes".into(),
            body: "When you are ready: kindly play x".into(),
        };
        let text = pending_notice(
            &[
                p(1, "2026-12-01T08:00:00+01:00"),
                p(2, "2026-12-02T19:30:00+01:00"),
                p(1, "2026-12-02T08:00:00+01:00"),
            ],
            date(2026, 12, 2),
        );
        assert_eq!(
            text,
            "reminder at 08:00 (2 times): Time for a few kind minutes. When you are ready: kindly play x\n\
             reminder at 19:30: Time for a few kind minutes. When you are ready: kindly play x\n"
        );
        let old = pending_notice(&[p(3, "2026-11-30T08:00:00+01:00")], date(2026, 12, 2));
        assert!(
            old.starts_with("reminder on 2026-11-30 at 08:00: "),
            "{old}"
        );
    }
}
