//! `Gain`: a linear amplitude factor in 0..=1, the unit of every volume.

use std::fmt;

/// A linear amplitude multiplier between 0 (silent) and 1 (full scale).
///
/// Scripts speak in this unit (`volume = 0.8`), so it stays linear rather
/// than decibels.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Gain(f32);

impl Gain {
    #[cfg(test)]
    pub(crate) const SILENT: Gain = Gain(0.0);
    pub const UNITY: Gain = Gain(1.0);

    /// `None` when `value` is outside 0..=1 or not a number.
    pub fn new(value: f64) -> Option<Gain> {
        (0.0..=1.0).contains(&value).then_some(Gain(value as f32))
    }

    /// For constants and user-facing knobs (`+`/`-`), where out-of-range
    /// values are a request to go as far as possible rather than an error.
    pub const fn new_clamped(value: f32) -> Gain {
        if value.is_nan() || value < 0.0 {
            Gain(0.0)
        } else if value > 1.0 {
            Gain(1.0)
        } else {
            Gain(value)
        }
    }

    pub fn get(self) -> f32 {
        self.0
    }
}

impl fmt::Display for Gain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(Gain::new(0.0), Some(Gain::SILENT));
        assert_eq!(Gain::new(1.0), Some(Gain::UNITY));
        assert_eq!(Gain::new(1.01), None);
        assert_eq!(Gain::new(-0.1), None);
        assert_eq!(Gain::new(f64::NAN), None);
        assert_eq!(Gain::new_clamped(2.0), Gain::UNITY);
        assert_eq!(Gain::new_clamped(f32::NAN), Gain::SILENT);
    }
}
