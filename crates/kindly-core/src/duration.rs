//! Durations as people write them ("90s", "1m30s", "2m", "1.5") and as kindly prints them.
//!
//! Only the forms docs/session-format.md documents are accepted: hours and
//! minutes as whole numbers and seconds with an optional fraction, largest
//! first (`"1h"`, `"1m30s"`, `"1m 30s"`, `"0.8s"`, `"750ms"`), or a plain
//! number of seconds (`45`, `"7.5"`). humantime's
//! wider spellings ("15 sec", "1.5m", "2 minutes") are refused, so a script
//! that passes `kindly check` means what its author read in the docs.

use std::time::Duration;

/// The longest duration any script or flag may ask for.
pub const MAX: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a duration was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationError {
    /// Not a duration at all.
    Syntax,
    /// Zero or negative.
    NotPositive,
    /// Longer than `MAX`.
    TooLong,
}

impl DurationError {
    pub fn describe(&self) -> &'static str {
        match self {
            DurationError::Syntax => "is not a duration",
            DurationError::NotPositive => "must be longer than 0",
            DurationError::TooLong => "is longer than 24 hours",
        }
    }
}

/// What to write instead, for help lines.
pub const HELP: &str = "write a duration like \"90s\", \"1m30s\" or \"2m\", or a number of seconds";

/// Parse text: `[Nh][ ][Nm][ ][N.Ns][ ][Nms]` (at least one part, largest
/// first; only seconds may have a fraction), or a plain number of seconds.
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return match text.parse::<f64>() {
            Ok(secs) => from_secs(secs),
            Err(_) => Err(DurationError::Syntax),
        };
    }
    let mut total: u64 = 0;
    let mut fraction = 0.0;
    let mut rest = text;
    let mut parts = 0;
    for (unit, scale) in [("h", 3600u64), ("m", 60), ("s", 1), ("ms", 0)] {
        rest = rest.trim_start();
        // Seconds may have a fraction ("1.5s", "0.8s").
        let digits = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (unit == "s" && *b == b'.'))
            .count();
        let after = &rest[digits..];
        if digits == 0 || !after.starts_with(unit) || (unit == "m" && after.starts_with("ms")) {
            continue;
        }
        let number = &rest[..digits];
        match unit {
            "s" => fraction += number.parse::<f64>().map_err(|_| DurationError::Syntax)?,
            "ms" => {
                let ms: u64 = number.parse().map_err(|_| DurationError::Syntax)?;
                fraction += ms as f64 / 1000.0;
            }
            _ => {
                let n: u64 = number.parse().map_err(|_| DurationError::Syntax)?;
                total = n
                    .checked_mul(scale)
                    .and_then(|v| total.checked_add(v))
                    .ok_or(DurationError::TooLong)?;
            }
        }
        rest = &after[unit.len()..];
        parts += 1;
    }
    if parts == 0 || !rest.trim().is_empty() {
        return Err(DurationError::Syntax);
    }
    from_secs(total as f64 + fraction)
}

/// A number of seconds, as written in a script (`duration = 90`).
pub fn from_secs(secs: f64) -> Result<Duration, DurationError> {
    if secs.is_nan() {
        return Err(DurationError::Syntax);
    }
    if secs <= 0.0 {
        return Err(DurationError::NotPositive);
    }
    if secs > MAX.as_secs_f64() {
        return Err(DurationError::TooLong);
    }
    check(Duration::from_secs_f64(secs))
}

fn check(d: Duration) -> Result<Duration, DurationError> {
    if d.is_zero() {
        Err(DurationError::NotPositive)
    } else if d > MAX {
        Err(DurationError::TooLong)
    } else {
        Ok(d)
    }
}

/// A compact clock for displays: `4:05`, `1:02:03`.
pub fn clock(d: Duration) -> String {
    clock_with(d, false)
}

/// The same, with the minutes zero-padded (`01:15`), so a running display
/// keeps its width as the time goes by.
pub fn clock_padded(d: Duration) -> String {
    clock_with(d, true)
}

fn clock_with(d: Duration, pad: bool) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else if pad {
        format!("{:02}:{:02}", s / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A short human duration for summaries: `45s`, `12m`, `12m 30s`, `1h 5m`.
pub fn human(d: Duration) -> String {
    // Round to the nearest second: listings never need milliseconds.
    let s = (d.as_secs_f64()).round() as u64;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m, sec) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

/// `HH:MM:SS.mmm`, as WebVTT cues and chapter marks write a time.
pub fn hms_millis(t: Duration) -> String {
    let ms = t.as_millis();
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn accepted() {
        assert_eq!(parse("90s"), Ok(secs(90.0)));
        assert_eq!(parse("1m30s"), Ok(secs(90.0)));
        assert_eq!(parse("1m 30s"), Ok(secs(90.0)));
        assert_eq!(parse("2m"), Ok(secs(120.0)));
        assert_eq!(parse("1h"), Ok(secs(3600.0)));
        assert_eq!(parse("1h 5m 2s"), Ok(secs(3902.0)));
        assert_eq!(parse("2.5"), Ok(secs(2.5)));
        assert_eq!(parse(" 45 "), Ok(secs(45.0)));
        assert_eq!(parse("0.8s"), Ok(secs(0.8)));
        assert_eq!(parse("1m 1.5s"), Ok(secs(61.5)));
        assert_eq!(parse("750ms"), Ok(secs(0.75)));
        assert_eq!(parse("1s 500ms"), Ok(secs(1.5)));
        assert_eq!(parse("24h"), Ok(MAX));
    }

    #[test]
    fn refused() {
        assert_eq!(parse("soon"), Err(DurationError::Syntax));
        assert_eq!(parse(""), Err(DurationError::Syntax));
        assert_eq!(parse("0s"), Err(DurationError::NotPositive));
        assert_eq!(parse("-5"), Err(DurationError::NotPositive));
        assert_eq!(parse("25h"), Err(DurationError::TooLong));
        assert_eq!(parse("99999999999999999999h"), Err(DurationError::Syntax));
        assert_eq!(parse("9999999999999999h"), Err(DurationError::TooLong));
        // humantime's wider spellings are not documented, so not accepted.
        for text in [
            "15 sec",
            "1.5m",
            "1.5ms",
            "1ms1s",
            "30s1m",
            "1m1m",
            "2 minutes",
            "1m30",
            "m",
            "1..5",
        ] {
            assert_eq!(parse(text), Err(DurationError::Syntax), "{text}");
        }
        assert_eq!(from_secs(f64::INFINITY), Err(DurationError::TooLong));
        assert_eq!(from_secs(f64::NAN), Err(DurationError::Syntax));
        assert_eq!(parse("nan"), Err(DurationError::Syntax));
    }

    #[test]
    fn display() {
        assert_eq!(clock(secs(245.0)), "4:05");
        assert_eq!(clock(secs(3723.0)), "1:02:03");
        assert_eq!(human(secs(45.0)), "45s");
        assert_eq!(human(secs(720.0)), "12m");
        assert_eq!(human(secs(750.0)), "12m 30s");
        assert_eq!(human(secs(3900.0)), "1h 5m");
    }
}
