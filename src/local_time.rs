//! The wall clock: the one place kindly reads the time of day and the system time zone.
//!
//! `LocalTime` itself lives in the pure core; only the edges (commands,
//! the player, the journal) call these to make one.

use jiff::tz::TimeZone;
use jiff::Timestamp;

pub(crate) use kindly_core::local_time::LocalTime;

/// Now, in the system time zone, to whole seconds.
pub(crate) fn now() -> LocalTime {
    at(Timestamp::now())
}

/// A moment the player noted with `SystemTime`, on this machine's wall clock.
pub(crate) fn from_system_time(t: std::time::SystemTime) -> LocalTime {
    at(Timestamp::try_from(t).unwrap_or_else(|_| Timestamp::now()))
}

fn at(t: Timestamp) -> LocalTime {
    let offset = TimeZone::try_system().unwrap_or(TimeZone::UTC).to_offset(t);
    LocalTime::whole_seconds(t, offset)
}

#[cfg(test)]
mod tests {
    #[test]
    fn system_times_keep_whole_seconds() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_800_000_000_750);
        let local = super::from_system_time(t);
        assert_eq!(local.timestamp().as_second(), 1_800_000_000);
        assert_eq!(local.timestamp().subsec_nanosecond(), 0);
    }
}
