//! The private reflection journal: answers typed during `reflect` steps.
//!
//! - `editor`: a pure line-editor state machine (keys in, echo and outcome
//!   out), so every key sequence can be tested without a terminal;
//! - `keys`: terminal keys as the editor sees them;
//! - `capture`: the thin crossterm loop that drives it in raw mode, and
//!   `capture`, which asks, then saves (for `journal capture-test` only);
//! - `markdown`: how an entry is written and how a day's file is read back;
//! - `store`: the files, one Markdown file per day, mode 0600 in a folder of
//!   mode 0700. Nothing is ever sent anywhere.

#[cfg(feature = "test-hooks")]
mod capture;
mod editor;
mod keys;
mod markdown;
pub(crate) mod store;

#[cfg(feature = "test-hooks")]
pub(crate) use capture::{can_capture, capture, Captured};
pub(crate) use editor::{Answer, Editor, Reaction};
pub(crate) use keys::key as editor_key;
pub(crate) use markdown::{day_heading, entry_block, summaries};

use jiff::civil::Date;

use crate::local_time::LocalTime;

/// One answer, with what it answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub at: LocalTime,
    pub session: String,
    pub title: String,
    pub question: String,
    pub answer: String,
}

/// `today`, `yesterday` or `YYYY-MM-DD`, relative to a `today` passed in.
pub(crate) fn parse_day(text: &str, today: Date) -> Option<Date> {
    match text.trim() {
        "today" => Some(today),
        "yesterday" => today.yesterday().ok(),
        other => plain_date(other),
    }
}

/// Exactly `YYYY-MM-DD`: jiff would also accept a date with a time.
pub(crate) fn plain_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_are_named_three_ways() {
        let today = date(2026, 3, 1);
        assert_eq!(parse_day("today", today), Some(today));
        assert_eq!(parse_day("yesterday", today), Some(date(2026, 2, 28)));
        assert_eq!(parse_day("2026-11-28", today), Some(date(2026, 11, 28)));
        for bad in [
            "",
            "tomorrow",
            "2026-02-30",
            "28/11/2026",
            "2026-11-28T00:00",
        ] {
            assert_eq!(parse_day(bad, today), None, "{bad}");
        }
    }
}
