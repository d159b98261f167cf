//! `LocalTime`: an instant together with the UTC offset it was lived in.
//!
//! The practice log and the journal both say when something happened "on
//! the wall clock". Storing the instant with its offset (RFC 3339, such as
//! `2026-11-28T07:30:00+01:00`) keeps the day a person practised on fixed
//! forever: moving to another time zone, or a DST change, never moves an old
//! session to a different calendar day. A bracketed zone name (jiff's
//! `Zoned` format) would not be plain RFC 3339, so we keep the offset only.

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;
use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    at: Timestamp,
    offset: Offset,
}

impl LocalTime {
    /// `at` to whole seconds, as the log stores it, lived at `offset`.
    /// Reading the clock and the system time zone is the binary's job
    /// (`kindly::local_time::now`); this crate only takes their values.
    pub fn whole_seconds(at: Timestamp, offset: Offset) -> LocalTime {
        let at = Timestamp::from_second(at.as_second()).unwrap_or(at);
        LocalTime { at, offset }
    }

    pub fn new(at: Timestamp, offset: Offset) -> LocalTime {
        LocalTime { at, offset }
    }

    /// A wall-clock time at a fixed offset, for tests and fixtures.
    #[cfg(test)]
    pub(crate) fn from_civil(datetime: DateTime, offset: Offset) -> Option<LocalTime> {
        let at = offset.to_timestamp(datetime).ok()?;
        Some(LocalTime { at, offset })
    }

    /// Parse RFC 3339 with an offset. `Z` counts as UTC; a missing offset is
    /// an error, because then we would not know which day it was.
    pub fn parse(text: &str) -> Option<LocalTime> {
        let pieces = Pieces::parse(text).ok()?;
        let offset = pieces.to_numeric_offset()?;
        let time = pieces.time()?;
        let at = offset.to_timestamp(pieces.date().to_datetime(time)).ok()?;
        Some(LocalTime { at, offset })
    }

    pub fn timestamp(self) -> Timestamp {
        self.at
    }

    pub(crate) fn datetime(self) -> DateTime {
        self.offset.to_datetime(self.at)
    }

    /// The calendar day on the wall clock where this happened.
    pub fn date(self) -> Date {
        self.datetime().date()
    }

    /// `HH:MM` on the wall clock.
    pub fn clock(self) -> String {
        let t = self.datetime().time();
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.at.display_with_offset(self.offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn hours(h: i8) -> Offset {
        Offset::constant(h)
    }

    #[test]
    fn round_trips_through_rfc3339_with_the_offset() {
        let t = LocalTime::from_civil(date(2026, 11, 28).at(7, 30, 0, 0), hours(1)).unwrap();
        assert_eq!(t.to_string(), "2026-11-28T07:30:00+01:00");
        assert_eq!(LocalTime::parse(&t.to_string()), Some(t));
        assert_eq!(t.date(), date(2026, 11, 28));
        assert_eq!(t.clock(), "07:30");
    }

    #[test]
    fn the_day_is_the_day_on_the_wall_clock_not_in_utc() {
        // 23:30 in New York is already tomorrow in UTC.
        let t = LocalTime::parse("2026-12-31T23:30:00-05:00").unwrap();
        assert_eq!(t.date(), date(2026, 12, 31));
        let z = LocalTime::parse("2026-12-31T23:30:00Z").unwrap();
        assert_eq!(z.date(), date(2026, 12, 31));
    }

    #[test]
    fn whole_seconds_drop_the_fraction() {
        let at = Timestamp::from_millisecond(1_800_000_000_750).unwrap();
        let local = LocalTime::whole_seconds(at, hours(2));
        assert_eq!(local.timestamp().as_second(), 1_800_000_000);
        assert_eq!(local.timestamp().subsec_nanosecond(), 0);
    }

    #[test]
    fn text_without_an_offset_or_time_is_refused() {
        for bad in [
            "",
            "2026-11-28",
            "2026-11-28T07:30:00",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-28T07:30:00+01:00[",
        ] {
            assert_eq!(LocalTime::parse(bad), None, "{bad}");
        }
    }
}
