//! `BreathPattern`: the phases of one breath and how long each lasts.

use std::fmt;
use std::time::Duration;

/// One phase of a breath.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Inhale,
    HoldIn,
    Exhale,
    HoldOut,
}

impl Phase {
    /// What the pacer shows.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Inhale => "breathe in",
            Phase::HoldIn => "hold",
            Phase::Exhale => "breathe out",
            Phase::HoldOut => "rest",
        }
    }
}

/// A breath cycle. Two numbers are in-out, three are in-hold-out, four are
/// in-hold-out-hold: the conventions of box and 4-7-8 breathing.
#[derive(Debug, Clone, PartialEq)]
pub struct BreathPattern {
    phases: Vec<(Phase, Duration)>,
}

/// Why a pattern string was refused; the checker turns it into a diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternError {
    Count(usize),
    NotANumber(String),
    OutOfRange(String),
}

impl BreathPattern {
    pub const NAMES: [(&'static str, &'static str); 3] = [
        ("box", "4-4-4-4"),
        ("4-7-8", "4-7-8"),
        ("coherent", "5.5-5.5"),
    ];
    pub(crate) const MIN_PHASE: Duration = Duration::from_millis(500);
    pub(crate) const MAX_PHASE: Duration = Duration::from_secs(30);

    pub fn coherent() -> BreathPattern {
        BreathPattern::parse("coherent").expect("built-in pattern is valid")
    }

    /// Parse a named pattern or seconds joined by `-`.
    pub fn parse(text: &str) -> Result<BreathPattern, PatternError> {
        let spec = BreathPattern::NAMES
            .iter()
            .find(|(name, _)| *name == text)
            .map_or(text, |(_, spec)| spec);
        let parts: Vec<&str> = spec.split('-').collect();
        let order: &[Phase] = match parts.len() {
            2 => &[Phase::Inhale, Phase::Exhale],
            3 => &[Phase::Inhale, Phase::HoldIn, Phase::Exhale],
            4 => &[Phase::Inhale, Phase::HoldIn, Phase::Exhale, Phase::HoldOut],
            n => return Err(PatternError::Count(n)),
        };
        let mut phases = Vec::with_capacity(parts.len());
        for (part, phase) in parts.iter().zip(order) {
            let secs: f64 = part
                .trim()
                .parse()
                .map_err(|_| PatternError::NotANumber((*part).to_owned()))?;
            if !secs.is_finite() {
                return Err(PatternError::NotANumber((*part).to_owned()));
            }
            let min = BreathPattern::MIN_PHASE.as_secs_f64();
            let max = BreathPattern::MAX_PHASE.as_secs_f64();
            // A zero-length hold is a common way to write "no hold" (4-0-4).
            let zero_hold = secs == 0.0 && matches!(phase, Phase::HoldIn | Phase::HoldOut);
            if !zero_hold && !(min..=max).contains(&secs) {
                return Err(PatternError::OutOfRange((*part).to_owned()));
            }
            if !zero_hold {
                phases.push((*phase, Duration::from_secs_f64(secs)));
            }
        }
        Ok(BreathPattern { phases })
    }

    pub fn phases(&self) -> &[(Phase, Duration)] {
        &self.phases
    }

    pub fn cycle(&self) -> Duration {
        self.phases.iter().map(|(_, d)| *d).sum()
    }
}

/// A person's own named patterns (`[patterns]` in config.toml), handed to
/// the checker as data: the core reads no config file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patterns {
    named: Vec<(String, BreathPattern)>,
}

impl Patterns {
    /// The named patterns, in the order given. A name given twice keeps
    /// its first pattern (the config checker refuses duplicates anyway).
    pub fn new(named: Vec<(String, BreathPattern)>) -> Patterns {
        Patterns { named }
    }

    pub fn get(&self, name: &str) -> Option<&BreathPattern> {
        self.named.iter().find(|(n, _)| n == name).map(|(_, p)| p)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &BreathPattern)> {
        self.named.iter().map(|(n, p)| (n.as_str(), p))
    }

    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// Every name a pattern may be called by: the person's, then kindly's.
    pub fn names(&self) -> Vec<&str> {
        self.named
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(BreathPattern::NAMES.iter().map(|(n, _)| *n))
            .collect()
    }
}

impl BreathPattern {
    /// A person's named pattern, a built-in name, or seconds joined by `-`.
    pub fn parse_with(text: &str, patterns: &Patterns) -> Result<BreathPattern, PatternError> {
        match patterns.get(text.trim()) {
            Some(p) => Ok(p.clone()),
            None => BreathPattern::parse(text.trim()),
        }
    }
}

impl fmt::Display for BreathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .phases
            .iter()
            .map(|(_, d)| format!("{}", d.as_secs_f64()))
            .collect();
        f.write_str(&parts.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_numeric() {
        let b = BreathPattern::parse("box").unwrap();
        assert_eq!(b.phases().len(), 4);
        assert_eq!(b.cycle(), Duration::from_secs(16));
        let c = BreathPattern::parse("coherent").unwrap();
        assert_eq!(c.cycle(), Duration::from_secs(11));
        assert_eq!(c.to_string(), "5.5-5.5");
        let r = BreathPattern::parse("4-7-8").unwrap();
        assert_eq!(r.phases()[1].0, Phase::HoldIn);
        let z = BreathPattern::parse("4-0-6").unwrap();
        assert_eq!(z.phases().len(), 2);
    }

    #[test]
    fn a_persons_names_come_first() {
        let calm = BreathPattern::parse("4-2-6-0").unwrap();
        let mine = Patterns::new(vec![("calm".into(), calm.clone())]);
        assert_eq!(BreathPattern::parse_with(" calm ", &mine), Ok(calm));
        assert_eq!(
            BreathPattern::parse_with("box", &mine),
            BreathPattern::parse("box")
        );
        assert!(BreathPattern::parse_with("calm", &Patterns::default()).is_err());
        assert_eq!(mine.names(), ["calm", "box", "4-7-8", "coherent"]);
    }

    #[test]
    fn refused() {
        assert_eq!(BreathPattern::parse("4"), Err(PatternError::Count(1)));
        assert_eq!(
            BreathPattern::parse("4-x"),
            Err(PatternError::NotANumber("x".into()))
        );
        assert_eq!(
            BreathPattern::parse("0-4"),
            Err(PatternError::OutOfRange("0".into()))
        );
        assert_eq!(
            BreathPattern::parse("4-90"),
            Err(PatternError::OutOfRange("90".into()))
        );
        assert!(BreathPattern::parse("inf-4").is_err());
        assert_eq!(
            BreathPattern::parse("1-2-3-4-5"),
            Err(PatternError::Count(5))
        );
    }
}
