//! `Frames` and `Format`: time measured the way the audio device measures it.

use std::ops::{Add, AddAssign, Sub};
use std::time::Duration;

/// A count of frames (one sample per channel). Every offset in a timeline
/// is in frames, so the schedule and the audio cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Frames(pub u64);

impl Frames {
    pub const ZERO: Frames = Frames(0);

    /// The nearest whole frame to `d` at `rate`, in exact integer arithmetic.
    pub fn from_duration(d: Duration, rate: u32) -> Frames {
        let n = d.as_nanos() * u128::from(rate);
        Frames(((n + 500_000_000) / 1_000_000_000) as u64)
    }

    pub fn to_duration(self, rate: u32) -> Duration {
        let nanos = u128::from(self.0) * 1_000_000_000 / u128::from(rate.max(1));
        Duration::from_nanos(nanos as u64)
    }

    pub fn secs(self, rate: u32) -> f64 {
        self.0 as f64 / f64::from(rate.max(1))
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

impl Add for Frames {
    type Output = Frames;
    fn add(self, rhs: Frames) -> Frames {
        Frames(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Frames {
    fn add_assign(&mut self, rhs: Frames) {
        *self = *self + rhs;
    }
}

impl Sub for Frames {
    type Output = Frames;
    fn sub(self, rhs: Frames) -> Frames {
        Frames(self.0.saturating_sub(rhs.0))
    }
}

/// The shape of the audio a timeline is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub rate: u32,
    pub channels: u16,
}

impl Default for Format {
    /// 48 kHz stereo: what most devices run at natively, so the output
    /// need not resample on the way out.
    fn default() -> Format {
        Format {
            rate: 48_000,
            channels: 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_exact() {
        assert_eq!(
            Frames::from_duration(Duration::from_secs(1), 48_000),
            Frames(48_000)
        );
        assert_eq!(
            Frames::from_duration(Duration::from_millis(5500), 44_100),
            Frames(242_550)
        );
        // 1/3 s at 1 Hz rounds to 0, 2/3 s to 1.
        assert_eq!(
            Frames::from_duration(Duration::from_millis(333), 1),
            Frames(0)
        );
        assert_eq!(
            Frames::from_duration(Duration::from_millis(667), 1),
            Frames(1)
        );
        assert_eq!(Frames(96_000).to_duration(48_000), Duration::from_secs(2));
        assert_eq!(Frames(3) - Frames(5), Frames(0));
    }
}
