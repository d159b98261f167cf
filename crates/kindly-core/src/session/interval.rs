//! `Interval`: how often an interval bell rings, every so often or at random.
//!
//! Sitters ask for random bells (BodhiTimer #112) so the mind cannot lean
//! on a rhythm. They stay reproducible: the times are a pure function of a
//! seed, so a render made with `--seed 7` rings where a run with
//! `--seed 7` rang.

use std::fmt;
use std::time::Duration;

use crate::duration;

/// The time between interval bells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// `"5m"`: the same gap every time.
    Every(Duration),
    /// `"3m..7m"`: each gap drawn afresh between the two, inclusive.
    Between { min: Duration, max: Duration },
}

/// Why an interval was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum IntervalError {
    /// One side is not a duration (the text of that side).
    Duration(String),
    /// A gap shorter than `SHORTEST`.
    Zero,
    /// `7m..3m`.
    Backwards,
}

impl Interval {
    /// The shortest gap an interval bell may have: below this the bells
    /// would be a roll, not a reminder (and a day of them, millions).
    pub(crate) const SHORTEST: Duration = Duration::from_millis(100);

    /// `"5m"` or `"3m..7m"`, in kindly's duration syntax.
    pub fn parse(text: &str) -> Result<Interval, IntervalError> {
        let side = |s: &str| {
            duration::parse(s.trim()).map_err(|_| IntervalError::Duration(s.trim().to_owned()))
        };
        let interval = match text.split_once("..") {
            None => Interval::Every(side(text)?),
            Some((a, b)) => {
                let (min, max) = (side(a)?, side(b)?);
                if max < min {
                    return Err(IntervalError::Backwards);
                }
                if min == max {
                    Interval::Every(min)
                } else {
                    Interval::Between { min, max }
                }
            }
        };
        if interval.shortest() < Interval::SHORTEST {
            return Err(IntervalError::Zero);
        }
        Ok(interval)
    }

    /// Whether the bells depend on a seed.
    pub fn is_random(&self) -> bool {
        matches!(self, Interval::Between { .. })
    }

    pub(crate) fn shortest(&self) -> Duration {
        match *self {
            Interval::Every(d) => d,
            Interval::Between { min, .. } => min,
        }
    }

    /// When the bells ring within a span of `length`, from its start: every
    /// gap from the start, strictly before `length`. A random gap is drawn
    /// in whole seconds when both ends are whole seconds (times a person
    /// can read in `show`), else in milliseconds. Pure: the same seed gives
    /// the same times.
    pub fn times(&self, length: Duration, seed: u64) -> Vec<Duration> {
        let mut rng = crate::synth::rng::Rng::new(seed);
        let mut out = Vec::new();
        let mut at = Duration::ZERO;
        loop {
            let gap = match *self {
                Interval::Every(d) => d,
                Interval::Between { min, max } => {
                    let whole = min.subsec_nanos() == 0 && max.subsec_nanos() == 0;
                    let (unit, lo, hi) = if whole {
                        (1000, min.as_secs(), max.as_secs())
                    } else {
                        (1, min.as_millis() as u64, max.as_millis() as u64)
                    };
                    let span = hi - lo + 1;
                    let n = lo + rng.next_u64() % span;
                    Duration::from_millis(n * unit)
                }
            };
            // `parse` refuses gaps under `SHORTEST`; a hand-built zero must
            // not spin.
            at += gap.max(Duration::from_millis(1));
            if at >= length {
                return out;
            }
            out.push(at);
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Interval::Every(d) => f.write_str(&duration::human(d)),
            Interval::Between { min, max } => {
                write!(f, "{}..{}", duration::human(min), duration::human(max))
            }
        }
    }
}

/// A seed mixed with a salt (a step's index), so two random pauses of one
/// session do not ring in step with each other.
pub fn salted(seed: u64, salt: u64) -> u64 {
    let mut rng = crate::synth::rng::Rng::at(seed, salt.wrapping_add(1));
    rng.next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: u64 = 60;

    fn secs(v: Vec<Duration>) -> Vec<u64> {
        v.iter().map(Duration::as_secs).collect()
    }

    #[test]
    fn fixed_and_ranged() {
        assert_eq!(
            Interval::parse("5m"),
            Ok(Interval::Every(Duration::from_secs(5 * M)))
        );
        assert_eq!(
            Interval::parse("3m..7m"),
            Ok(Interval::Between {
                min: Duration::from_secs(3 * M),
                max: Duration::from_secs(7 * M)
            })
        );
        assert_eq!(
            Interval::parse(" 2m .. 2m "),
            Ok(Interval::Every(Duration::from_secs(2 * M)))
        );
        assert_eq!(Interval::parse("7m..3m"), Err(IntervalError::Backwards));
        assert_eq!(Interval::parse("0.05s"), Err(IntervalError::Zero));
        assert!(Interval::parse("750ms").is_ok());
        assert_eq!(
            Interval::parse("3m..soon"),
            Err(IntervalError::Duration("soon".into()))
        );
        assert_eq!(Interval::parse("3m..7m").unwrap().to_string(), "3m..7m");
    }

    #[test]
    fn fixed_times_are_the_multiples_before_the_end() {
        let every = Interval::Every(Duration::from_secs(5 * M));
        assert_eq!(
            secs(every.times(Duration::from_secs(20 * M), 9)),
            [300, 600, 900]
        );
        assert_eq!(
            secs(every.times(Duration::from_secs(21 * M), 9)),
            [300, 600, 900, 1200]
        );
    }

    #[test]
    fn random_times_stay_in_range_and_follow_the_seed() {
        let r = Interval::parse("3m..7m").unwrap();
        let hour = Duration::from_secs(60 * M);
        let a = r.times(hour, 42);
        assert_eq!(
            a,
            r.times(hour, 42),
            "the same seed rings at the same times"
        );
        assert_ne!(a, r.times(hour, 43), "another seed rings elsewhere");
        let mut last = Duration::ZERO;
        for t in &a {
            let gap = *t - last;
            assert!((180..=420).contains(&gap.as_secs()), "gap {gap:?}");
            assert_eq!(t.subsec_nanos(), 0, "whole seconds");
            last = *t;
        }
        assert!(hour - last <= Duration::from_secs(7 * M));
        // Over many seeds, both ends of the range are reached.
        let gaps: Vec<u64> = (0..400).map(|s| r.times(hour, s)[0].as_secs()).collect();
        assert!(gaps.contains(&180) && gaps.contains(&420));
    }

    #[test]
    fn salted_seeds_differ() {
        assert_ne!(salted(1, 0), salted(1, 1));
        assert_eq!(salted(1, 3), salted(1, 3));
    }
}
