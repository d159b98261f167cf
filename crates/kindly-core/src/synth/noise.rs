//! Coloured noise sources: white noise addressable by sample index, and the
//! filters that turn it pink or brown with the same spectrum at any rate.

use super::dsp;
use super::rng::Rng;
use std::f64::consts::PI;

/// White noise where sample `i` is a pure function of the seed and `i`, so
/// part of a loop can be generated twice (once to settle filters, once for
/// real) without storing it. Scaled so that filtered noise has the same
/// level at every rate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct White {
    seed: u64,
    scale: f64,
}

impl White {
    /// `label` names the stream; it is hashed so that streams with nearby
    /// labels do not overlap.
    pub(crate) fn new(label: u64, rate: u32) -> White {
        White {
            seed: Rng::new(label).next_u64(),
            // Uniform in [-1, 1) has variance 1/3.
            scale: 3f64.sqrt() * dsp::noise_rate_scale(rate),
        }
    }

    /// Uniform rather than Gaussian: a quarter of the cost, and every
    /// filter after it sums enough samples to make the result Gaussian.
    pub(crate) fn at(&self, i: usize) -> f64 {
        Rng::at(self.seed, i as u64).bipolar() * self.scale
    }
}

/// First-order section from an analog pole/zero pair (bilinear transform with
/// both corners prewarped, so they sit at the same hertz at any rate).
#[derive(Debug, Clone)]
struct Shelf {
    b0: f64,
    b1: f64,
    a1: f64,
    x1: f64,
    y1: f64,
}

impl Shelf {
    fn new(pole_hz: f64, zero_hz: f64, rate: u32) -> Shelf {
        let fs = f64::from(rate.max(1));
        let top = dsp::max_freq(rate).max(1.0);
        let warp = |f: f64| 2.0 * fs * (PI * f.min(top) / fs).tan();
        let (wp, wz, k) = (warp(pole_hz), warp(zero_hz), 2.0 * fs);
        // H(s) = (s + wz) / (s + wp) scaled to unity at high frequency.
        let a0 = k + wp;
        Shelf {
            b0: (k + wz) / a0,
            b1: (wz - k) / a0,
            a1: (wp - k) / a0,
            x1: 0.0,
            y1: 0.0,
        }
    }

    fn process(&mut self, x: f64) -> f64 {
        let y = self.b0 * x + self.b1 * self.x1 - self.a1 * self.y1;
        self.x1 = x;
        self.y1 = y;
        y
    }
}

/// Pink (-3 dB per octave) from 10 Hz up: poles two octaves apart, each
/// followed by a zero one octave later, averages to half the slope of a
/// single pole, within about half a decibel.
#[derive(Debug, Clone)]
pub(crate) struct Pink {
    shelves: Vec<Shelf>,
}

impl Pink {
    pub(crate) fn new(rate: u32) -> Pink {
        let shelves = (0..6)
            .map(|k| {
                let pole = 10.0 * 4f64.powi(k);
                Shelf::new(pole, pole * 2.0, rate)
            })
            .collect();
        Pink { shelves }
    }

    pub(crate) fn process(&mut self, x: f64) -> f64 {
        self.shelves.iter_mut().fold(x, |acc, s| s.process(acc))
    }
}

/// Brown (-6 dB per octave) above `corner` Hz: a leaky integrator, flat
/// below, so it cannot drift.
#[derive(Debug, Clone)]
pub(crate) struct Brown {
    pole: f64,
    y: f64,
}

impl Brown {
    pub(crate) fn new(corner: f64, rate: u32) -> Brown {
        Brown {
            pole: (-2.0 * PI * corner / f64::from(rate.max(1))).exp(),
            y: 0.0,
        }
    }

    pub(crate) fn process(&mut self, x: f64) -> f64 {
        // The (1 - pole) input gain keeps unity gain at DC, and the output
        // level at a given frequency the same at any rate.
        self.y = self.pole * self.y + (1.0 - self.pole) * x;
        self.y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gain of a filter at `freq`, by running a sine through it.
    fn gain(mut f: impl FnMut(f64) -> f64, freq: f64, rate: u32) -> f64 {
        let n = rate as usize; // one second
        let w = 2.0 * PI * freq / f64::from(rate);
        let y: Vec<f64> = (0..n).map(|i| f((w * i as f64).sin())).collect();
        let tail = &y[n / 2..];
        (tail.iter().map(|s| s * s).sum::<f64>() / tail.len() as f64).sqrt() * 2f64.sqrt()
    }

    fn db(x: f64) -> f64 {
        20.0 * x.log10()
    }

    #[test]
    fn white_is_addressable_and_deterministic() {
        let w = White::new(1, 48_000);
        assert_eq!(w.at(10).to_bits(), White::new(1, 48_000).at(10).to_bits());
        assert_ne!(w.at(10), w.at(11));
        assert_ne!(w.at(10), White::new(2, 48_000).at(10));
    }

    #[test]
    fn pink_falls_three_db_per_octave_at_any_rate() {
        for rate in [22_050, 48_000, 96_000] {
            let mut p = Pink::new(rate);
            let lo = gain(|x| p.process(x), 100.0, rate);
            let mut p = Pink::new(rate);
            let hi = gain(|x| p.process(x), 1_600.0, rate);
            let slope = (db(hi) - db(lo)) / 4.0;
            assert!((slope + 3.0).abs() < 0.3, "{rate}: {slope} dB/oct");
        }
    }

    #[test]
    fn brown_falls_six_db_per_octave_above_its_corner() {
        let mut b = Brown::new(15.0, 48_000);
        let lo = gain(|x| b.process(x), 200.0, 48_000);
        let mut b = Brown::new(15.0, 48_000);
        let hi = gain(|x| b.process(x), 800.0, 48_000);
        let slope = (db(hi) - db(lo)) / 2.0;
        assert!((slope + 6.0).abs() < 0.2, "{slope} dB/oct");
    }
}
