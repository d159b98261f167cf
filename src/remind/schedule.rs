//! The text of a reminder's schedule: systemd timer and service units, a
//! crontab line, a launchd agent's plist. Pure: the command writes them.
//!
//! Each runs the same thing, `kindly remind fire ID`, with the program's
//! absolute path and the environment kindly itself ran with (`KINDLY_HOME`),
//! so the reminder finds the same data folder. Quoting follows each
//! reader's own rules: systemd.syntax(7) and systemd.unit(5) specifiers for
//! units, crontab(5) `%` and sh(1) single quotes for cron, XML for plists.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jiff::civil::Weekday;

use super::{crontab_marker, Reminder, ReminderId};

/// What a schedule runs: `program remind fire ID`, with `env` set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fire {
    /// kindly itself, absolute.
    pub program: PathBuf,
    /// Variables to pass on, such as `KINDLY_HOME`.
    pub env: Vec<(String, String)>,
}

impl Fire {
    fn args(&self, id: ReminderId) -> Vec<String> {
        vec!["remind".into(), "fire".into(), id.to_string()]
    }
}

/// A path or value no schedule can carry safely: control characters
/// (a newline would end the crontab line or the unit's setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unwritable(pub String);

fn check(text: &str) -> Result<&str, Unwritable> {
    if text.chars().any(char::is_control) {
        Err(Unwritable(text.to_owned()))
    } else {
        Ok(text)
    }
}

fn path_text(path: &Path) -> Result<&str, Unwritable> {
    check(
        path.to_str()
            .ok_or_else(|| Unwritable(path.to_string_lossy().into_owned()))?,
    )
}

/// The unit names, without a folder: `kindly-remind-1.timer` and `.service`.
pub(crate) fn unit_names(id: ReminderId) -> (String, String) {
    (
        format!("kindly-remind-{id}.timer"),
        format!("kindly-remind-{id}.service"),
    )
}

/// The launchd job's label, also the plist's file stem.
pub(crate) fn launchd_label(id: ReminderId) -> String {
    format!("kindly.remind.{id}")
}

/// `OnCalendar=` for systemd.time(7): `Mon..Fri *-*-* 08:00:00`.
pub(crate) fn on_calendar(reminder: &Reminder) -> String {
    let days = match reminder.days.weekdays() {
        None => String::new(),
        Some(days) => {
            let names: Vec<&str> = days.iter().map(|d| systemd_day(*d)).collect();
            format!("{} ", ranges(&names, days))
        }
    };
    format!(
        "{days}*-*-* {:02}:{:02}:00",
        reminder.at.hour(),
        reminder.at.minute()
    )
}

fn systemd_day(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// `Mon..Fri` for a run of consecutive days, else a comma list.
fn ranges(names: &[&str], days: &[Weekday]) -> String {
    let consecutive = days
        .windows(2)
        .all(|w| w[0].to_monday_one_offset() + 1 == w[1].to_monday_one_offset());
    match (names.first(), names.last()) {
        (Some(a), Some(b)) if consecutive && names.len() > 2 => format!("{a}..{b}"),
        _ => names.join(","),
    }
}

/// A word for a unit file (systemd.syntax(7)): in double quotes, with
/// `\` and `"` escaped and `%` doubled, since units expand specifiers.
/// `$` is doubled too where `ExecStart=` would expand it as a variable.
fn unit_word(text: &str, in_command: bool) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '%' => out.push_str("%%"),
            '$' if in_command => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The header every file kindly writes opens with, naming how to undo it.
fn written_by(id: ReminderId) -> String {
    format!("Written by `kindly remind add`; `kindly remind remove {id}` removes it.")
}

/// The service the timer starts: runs `kindly remind fire ID` once.
pub(crate) fn systemd_service(reminder: &Reminder, fire: &Fire) -> Result<String, Unwritable> {
    let id = reminder.id;
    let mut out = format!("# {}\n", written_by(id));
    out.push_str("[Unit]\n");
    let _ = writeln!(
        out,
        "Description=kindly reminder {id}: {}",
        reminder_line(reminder)?.replace('%', "%%")
    );
    out.push_str("\n[Service]\nType=oneshot\n");
    for (key, value) in &fire.env {
        let setting = format!("{}={}", check(key)?, check(value)?);
        let _ = writeln!(out, "Environment={}", unit_word(&setting, false));
    }
    let mut command = vec![unit_word(path_text(&fire.program)?, true)];
    command.extend(fire.args(id).iter().map(|a| unit_word(a, true)));
    let _ = writeln!(out, "ExecStart={}", command.join(" "));
    Ok(out)
}

/// The timer: fires at the time on the days, and (`Persistent=true`) once
/// at the next boot or login when the computer was off at the time.
pub(crate) fn systemd_timer(reminder: &Reminder) -> Result<String, Unwritable> {
    let id = reminder.id;
    let (_, service) = unit_names(id);
    let mut out = format!("# {}\n", written_by(id));
    out.push_str("[Unit]\n");
    let _ = writeln!(
        out,
        "Description=kindly reminder {id}: {}",
        reminder_line(reminder)?.replace('%', "%%")
    );
    out.push_str("\n[Timer]\n");
    let _ = writeln!(out, "OnCalendar={}", on_calendar(reminder));
    out.push_str("Persistent=true\n");
    let _ = writeln!(out, "Unit={service}");
    out.push_str("\n[Install]\nWantedBy=timers.target\n");
    Ok(out)
}

fn reminder_line(reminder: &Reminder) -> Result<String, Unwritable> {
    Ok(check(&reminder.describe())?.to_owned())
}

/// A word for sh(1) inside a crontab line: single-quoted, and `%` escaped
/// as crontab(5) asks, since cron turns a bare `%` into a newline.
fn cron_word(text: &str) -> String {
    super::shell_word(text).replace('%', "\\%")
}

/// The crontab line, ending in kindly's marker so a person reading
/// `crontab -l` knows whose it is.
pub(crate) fn crontab_line(reminder: &Reminder, fire: &Fire) -> Result<String, Unwritable> {
    let days = match reminder.days.weekdays() {
        None => "*".to_owned(),
        Some(days) => {
            // crontab(5): 0 or 7 is Sunday, 1 Monday.
            let numbers: Vec<String> = days
                .iter()
                .map(|d| d.to_sunday_zero_offset().to_string())
                .collect();
            let consecutive = days
                .windows(2)
                .all(|w| w[0].to_sunday_zero_offset() + 1 == w[1].to_sunday_zero_offset());
            match (numbers.first(), numbers.last()) {
                (Some(a), Some(b)) if consecutive && numbers.len() > 2 => format!("{a}-{b}"),
                _ => numbers.join(","),
            }
        }
    };
    let mut line = format!(
        "{} {} * * {days} ",
        reminder.at.minute(),
        reminder.at.hour()
    );
    for (key, value) in &fire.env {
        let _ = write!(line, "{}={} ", check(key)?, cron_word(check(value)?));
    }
    line.push_str(&cron_word(path_text(&fire.program)?));
    for arg in fire.args(reminder.id) {
        line.push(' ');
        line.push_str(&cron_word(&arg));
    }
    line.push(' ');
    line.push_str(&crontab_marker(reminder.id));
    Ok(line)
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A launchd agent (launchd.plist(5)). A calendar interval missed while
/// the Mac slept runs when it wakes, as `Persistent=true` does.
pub(crate) fn launchd_plist(reminder: &Reminder, fire: &Fire) -> Result<String, Unwritable> {
    let id = reminder.id;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \
         \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n",
    );
    let _ = writeln!(
        out,
        "<!-- {} -->",
        xml(&written_by(id)).replace("--", "- -")
    );
    out.push_str("<plist version=\"1.0\">\n<dict>\n");
    let _ = writeln!(
        out,
        "\t<key>Label</key>\n\t<string>{}</string>",
        launchd_label(id)
    );
    out.push_str("\t<key>ProgramArguments</key>\n\t<array>\n");
    let _ = writeln!(
        out,
        "\t\t<string>{}</string>",
        xml(path_text(&fire.program)?)
    );
    for arg in fire.args(id) {
        let _ = writeln!(out, "\t\t<string>{}</string>", xml(&arg));
    }
    out.push_str("\t</array>\n");
    if !fire.env.is_empty() {
        out.push_str("\t<key>EnvironmentVariables</key>\n\t<dict>\n");
        for (key, value) in &fire.env {
            let _ = writeln!(
                out,
                "\t\t<key>{}</key>\n\t\t<string>{}</string>",
                xml(check(key)?),
                xml(check(value)?)
            );
        }
        out.push_str("\t</dict>\n");
    }
    let at = |indent: &str, weekday: Option<Weekday>| {
        let mut d = format!("{indent}<dict>\n");
        if let Some(w) = weekday {
            // launchd.plist(5): 0 and 7 are Sunday.
            let _ = writeln!(
                d,
                "{indent}\t<key>Weekday</key>\n{indent}\t<integer>{}</integer>",
                w.to_sunday_zero_offset()
            );
        }
        let _ = writeln!(
            d,
            "{indent}\t<key>Hour</key>\n{indent}\t<integer>{}</integer>\n\
             {indent}\t<key>Minute</key>\n{indent}\t<integer>{}</integer>",
            reminder.at.hour(),
            reminder.at.minute()
        );
        let _ = writeln!(d, "{indent}</dict>");
        d
    };
    out.push_str("\t<key>StartCalendarInterval</key>\n");
    match reminder.days.weekdays() {
        None => out.push_str(&at("\t", None)),
        Some(days) => {
            out.push_str("\t<array>\n");
            for d in days {
                out.push_str(&at("\t\t", Some(*d)));
            }
            out.push_str("\t</array>\n");
        }
    }
    out.push_str("</dict>\n</plist>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remind::{Days, TimeOfDay};

    fn reminder(days: Days) -> Reminder {
        Reminder {
            id: ReminderId(3),
            at: TimeOfDay::parse("07:05").unwrap(),
            days,
            session: Some("self-compassion-break".into()),
            unless_practised: false,
        }
    }

    fn fire(program: &str, home: Option<&str>) -> Fire {
        Fire {
            program: PathBuf::from(program),
            env: home
                .map(|h| vec![("KINDLY_HOME".to_owned(), h.to_owned())])
                .unwrap_or_default(),
        }
    }

    #[test]
    fn calendars_name_the_days_and_the_minute() {
        assert_eq!(on_calendar(&reminder(Days::Every)), "*-*-* 07:05:00");
        assert_eq!(
            on_calendar(&reminder(Days::Weekdays)),
            "Mon..Fri *-*-* 07:05:00"
        );
    }

    #[test]
    fn the_units_run_kindly_fire_with_its_home() {
        let r = reminder(Days::Weekdays);
        let service = systemd_service(&r, &fire("/opt/k dir/kindly", Some("/h/100%"))).unwrap();
        assert_eq!(
            service,
            "# Written by `kindly remind add`; `kindly remind remove 3` removes it.\n\
             [Unit]\n\
             Description=kindly reminder 3: 07:05 on weekdays, self-compassion-break\n\
             \n\
             [Service]\n\
             Type=oneshot\n\
             Environment=\"KINDLY_HOME=/h/100%%\"\n\
             ExecStart=\"/opt/k dir/kindly\" \"remind\" \"fire\" \"3\"\n"
        );
        let timer = systemd_timer(&r).unwrap();
        assert_eq!(
            timer,
            "# Written by `kindly remind add`; `kindly remind remove 3` removes it.\n\
             [Unit]\n\
             Description=kindly reminder 3: 07:05 on weekdays, self-compassion-break\n\
             \n\
             [Timer]\n\
             OnCalendar=Mon..Fri *-*-* 07:05:00\n\
             Persistent=true\n\
             Unit=kindly-remind-3.service\n\
             \n\
             [Install]\n\
             WantedBy=timers.target\n"
        );
    }

    #[test]
    fn unit_words_escape_what_systemd_would_read_otherwise() {
        assert_eq!(unit_word(r#"a"b\c%d$e"#, true), r#""a\"b\\c%%d$$e""#);
        assert_eq!(unit_word("$HOME", false), "\"$HOME\"");
    }

    #[test]
    fn the_crontab_line_is_marked_and_quoted_for_cron_and_sh() {
        let r = reminder(Days::Weekdays);
        assert_eq!(
            crontab_line(&r, &fire("/usr/bin/kindly", None)).unwrap(),
            "5 7 * * 1-5 /usr/bin/kindly remind fire 3 # kindly reminder 3"
        );
        let every = reminder(Days::Every);
        assert_eq!(
            crontab_line(&every, &fire("/o'k/kindly", Some("/h/50% off"))).unwrap(),
            r"5 7 * * * KINDLY_HOME='/h/50\% off' '/o'\''k/kindly' remind fire 3 # kindly reminder 3"
        );
    }

    #[test]
    fn a_newline_in_a_path_is_refused_not_written() {
        let r = reminder(Days::Every);
        let bad = fire("/tmp/a\nb", None);
        assert!(crontab_line(&r, &bad).is_err());
        assert!(systemd_service(&r, &bad).is_err());
        assert!(launchd_plist(&r, &bad).is_err());
        let bad_home = fire("/bin/kindly", Some("/h\n0 * * * * evil"));
        assert!(crontab_line(&r, &bad_home).is_err());
    }

    #[test]
    fn the_plist_lists_each_weekday_and_escapes_xml() {
        let r = reminder(Days::Weekdays);
        let plist = launchd_plist(&r, &fire("/Apps/K&K/kindly", Some("/Users/a<b>"))).unwrap();
        assert!(
            plist.contains("<string>kindly.remind.3</string>"),
            "{plist}"
        );
        assert!(plist.contains("<string>/Apps/K&amp;K/kindly</string>"));
        assert!(plist.contains("<string>/Users/a&lt;b&gt;</string>"));
        for day in 1..=5 {
            assert!(plist.contains(&format!(
                "\t\t\t<key>Weekday</key>\n\t\t\t<integer>{day}</integer>\n"
            )));
        }
        assert_eq!(plist.matches("<key>Hour</key>").count(), 5);
        assert!(!plist.contains("<integer>0</integer>\n\t\t\t<key>Hour"));
        let every = launchd_plist(&reminder(Days::Every), &fire("/k", None)).unwrap();
        assert!(!every.contains("Weekday") && !every.contains("EnvironmentVariables"));
        assert!(every.contains(
            "\t<key>StartCalendarInterval</key>\n\t<dict>\n\t\t<key>Hour</key>\n\t\t<integer>7</integer>\n\t\t<key>Minute</key>\n\t\t<integer>5</integer>\n\t</dict>\n"
        ));
    }
}
