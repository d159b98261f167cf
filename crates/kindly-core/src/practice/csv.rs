//! `kindly log export --csv`: the log as RFC 4180 CSV for spreadsheets.
//!
//! Written by hand: it is one header, one row per record, and quoting by
//! the RFC's three rules (fields holding a comma, quote or line break are
//! quoted; quotes inside are doubled; lines end in CRLF).

use super::{Outcome, Record};

const HEADER: [&str; 10] = [
    "started",
    "kind",
    "session",
    "title",
    "planned_seconds",
    "practised_seconds",
    "completed",
    "ended_at_step",
    "ended_by",
    "themes",
];

pub fn to_csv(records: &[Record]) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|h| h.to_string()));
    for r in records {
        let (step, by) = match &r.outcome {
            Outcome::Completed => (String::new(), String::new()),
            Outcome::EndedEarly { step, by } => (step.to_string(), by.clone()),
        };
        let themes: Vec<&str> = r.themes.iter().map(|t| t.name()).collect();
        row(
            &mut out,
            [
                r.started.to_string(),
                r.kind.name().to_owned(),
                r.session.clone(),
                r.title.clone(),
                format!("{:.3}", r.planned.as_secs_f64()),
                format!("{:.3}", r.practised.as_secs_f64()),
                r.outcome.completed().to_string(),
                step,
                by,
                themes.join(";"),
            ]
            .into_iter(),
        );
    }
    out
}

fn row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&f));
    }
    out.push_str("\r\n");
}

/// Quote a field by RFC 4180, after neutralising formulas: a spreadsheet
/// runs a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula,
/// and a session title comes from whoever wrote the script. OWASP's fix:
/// a leading `'` makes it text. (No field kindly writes is a negative
/// number, so nothing real starts with `-`.)
fn quote(field: &str) -> String {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        let text = format!("'{field}");
        return format!("\"{}\"", text.replace('"', "\"\""));
    }
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::LocalTime;
    use crate::practice::Kind;
    use crate::session::Theme;
    use std::time::Duration;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        // CSV injection (OWASP): formulas become text.
        assert_eq!(quote("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(quote("+1"), "\"'+1\"");
        assert_eq!(quote("-2+3"), "\"'-2+3\"");
        assert_eq!(quote("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(quote("a=b"), "a=b");
        assert_eq!(quote(""), "");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("cr\r"), "\"cr\r\"");
    }

    #[test]
    fn header_and_rows() {
        let r = Record {
            kind: Kind::Play,
            session: "rain".into(),
            title: "Rain, \"gently\"".into(),
            started: LocalTime::parse("2026-11-28T07:30:00+01:00").unwrap(),
            planned: Duration::from_secs(600),
            practised: Duration::from_millis(90_500),
            outcome: Outcome::EndedEarly {
                step: 2,
                by: "q".into(),
            },
            themes: vec![Theme::Mindfulness, Theme::CommonHumanity],
            theme_seconds: vec![],
            again: Vec::new(),
            seed: None,
        };
        assert_eq!(
            to_csv(&[r]),
            "started,kind,session,title,planned_seconds,practised_seconds,completed,ended_at_step,ended_by,themes\r\n\
             2026-11-28T07:30:00+01:00,play,rain,\"Rain, \"\"gently\"\"\",600.000,90.500,false,2,q,mindfulness;common-humanity\r\n"
        );
        assert_eq!(to_csv(&[]).lines().count(), 1);
    }
}
