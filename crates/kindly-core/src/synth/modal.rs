//! Modal synthesis: a struck object as a sum of decaying sine partials plus a
//! short burst of filtered noise for the strike itself.

use super::dsp::{self, Biquad};
use super::rng::Rng;
use std::time::Duration;

/// ln(1000): a decay of 60 dB in units of the exponential time constant.
const LN_1000: f64 = 6.907_755_278_982_137;

/// Below this a partial is inaudible next to a peak near 1, so it stops
/// being computed early.
const SILENT: f64 = 1e-7;

/// One mode of vibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Partial {
    pub(crate) freq: f64,
    pub(crate) amp: f64,
    /// Seconds to fall by 60 dB.
    pub(crate) t60: f64,
    /// Time constant in seconds of a slow rise, for modes that are fed energy
    /// by the others after the strike (a gong's bloom); 0 starts at once.
    pub(crate) bloom: f64,
}

impl Partial {
    pub(crate) const fn new(freq: f64, amp: f64, t60: f64) -> Partial {
        Partial {
            freq,
            amp,
            t60,
            bloom: 0.0,
        }
    }

    /// Real round objects are never perfectly symmetric, so each mode is a
    /// pair of nearly equal frequencies `beat` Hz apart; their sum swells and
    /// fades `beat` times a second. `balance` is the weaker one's share:
    /// below 1 the beating never cancels fully, as on a real bowl.
    pub(crate) fn doublet(self, beat: f64, balance: f64) -> [Partial; 2] {
        let total = 1.0 + balance;
        [
            Partial {
                freq: self.freq - beat / 2.0,
                amp: self.amp / total,
                ..self
            },
            Partial {
                freq: self.freq + beat / 2.0,
                amp: self.amp * balance / total,
                ..self
            },
        ]
    }
}

/// Whether a partial can be played at `rate` without aliasing. Partials at
/// or above 0.45 of the rate (0.9 of Nyquist) are skipped: folding back they
/// would be heard as wrong, unrelated pitches.
pub(crate) fn audible(freq: f64, rate: u32) -> bool {
    freq > 0.0 && freq < dsp::max_freq(rate)
}

/// Partials computed side by side. Each partial's recurrence waits on its
/// previous sample, so running several at once lets the processor overlap
/// them (and use its vector units) instead of idling.
const LANES: usize = 8;

/// Adds each audible partial, as a sine starting at phase 0 (so the sum
/// starts at exactly 0) under an exponential decay and optional bloom.
pub(crate) fn add_partials(out: &mut [f32], rate: u32, partials: &[Partial]) {
    let fs = f64::from(rate);
    // Samples until a partial has decayed to nothing; grouping partials of
    // similar life lets each group stop early.
    let life = |p: &Partial| ((p.amp / SILENT).max(1.0).log10() / 3.0 * p.t60 + p.bloom) * fs;
    let mut audible: Vec<&Partial> = partials.iter().filter(|p| audible(p.freq, rate)).collect();
    audible.sort_by(|a, b| life(a).total_cmp(&life(b)));
    for group in audible.chunks(LANES) {
        let len = group
            .iter()
            .map(|p| life(p).ceil() as usize)
            .max()
            .unwrap_or(0)
            .min(out.len());
        // A damped phasor z per partial, advanced by one complex multiply
        // by w per sample instead of a sine and an exponential; its
        // imaginary part is the partial. Unused lanes stay at zero.
        let (mut zr, mut zi) = ([0.0; LANES], [0.0; LANES]);
        let (mut wr, mut wi) = ([0.0; LANES], [0.0; LANES]);
        // The bloom factor is 1 - q, with q decaying from 1 (or 0 for none).
        let (mut q, mut qb) = ([0.0; LANES], [0.0; LANES]);
        for (j, p) in group.iter().enumerate() {
            let r = (-LN_1000 / (p.t60 * fs)).exp();
            let w = std::f64::consts::TAU * p.freq / fs;
            (wr[j], wi[j]) = (r * w.cos(), r * w.sin());
            zr[j] = p.amp;
            if p.bloom > 0.0 {
                (q[j], qb[j]) = (1.0, (-1.0 / (p.bloom * fs)).exp());
            }
        }
        for s in out[..len].iter_mut() {
            let mut v = [0.0; LANES];
            for j in 0..LANES {
                v[j] = zi[j] * (1.0 - q[j]);
                let nr = zr[j] * wr[j] - zi[j] * wi[j];
                zi[j] = zr[j] * wi[j] + zi[j] * wr[j];
                zr[j] = nr;
                q[j] *= qb[j];
            }
            *s += (((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))) as f32;
        }
    }
}

/// The contact noise of a strike: white noise through a band-pass, dying
/// away fast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Strike {
    pub(crate) center: f64,
    pub(crate) q: f64,
    pub(crate) amp: f64,
    pub(crate) t60: f64,
}

pub(crate) fn add_strike(out: &mut [f32], rate: u32, strike: Strike, seed: u64) {
    let fs = f64::from(rate);
    if !audible(strike.center, rate) {
        return;
    }
    let mut rng = Rng::new(seed);
    let mut bp = Biquad::bandpass(strike.center, strike.q, rate);
    // The filter's own ring extends the burst, so run until both are quiet.
    let len = ((strike.t60 * 2.0 + 0.02) * fs) as usize;
    let r = (-LN_1000 / (strike.t60 * fs)).exp();
    let mut env = strike.amp * dsp::noise_rate_scale(rate);
    for s in out.iter_mut().take(len) {
        *s += bp.process(rng.gauss() * env) as f32;
        env *= r;
    }
}

/// Everything that defines a struck sound.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StruckSound {
    pub(crate) length: Duration,
    /// Raised-cosine rise of the strike: short enough to sound struck, long
    /// enough not to click.
    pub(crate) attack: f64,
    /// Raised-cosine fade at the very end, so the ring stops at exactly 0.
    pub(crate) fade: f64,
    pub(crate) partials: Vec<Partial>,
    pub(crate) strikes: Vec<Strike>,
    pub(crate) seed: u64,
    /// Peak level after normalisation.
    pub(crate) peak: f64,
}

impl StruckSound {
    pub(crate) fn render(&self, rate: u32) -> Vec<f32> {
        let n = dsp::frames(self.length, rate);
        let fs = f64::from(rate);
        let mut buf = vec![0.0f32; n];
        add_partials(&mut buf, rate, &self.partials);
        for (i, &strike) in self.strikes.iter().enumerate() {
            add_strike(&mut buf, rate, strike, self.seed.wrapping_add(i as u64));
        }
        dsp::fade_in(&mut buf, (self.attack * fs).round() as usize);
        dsp::fade_out(&mut buf, (self.fade * fs).round() as usize);
        dsp::normalize_peak(&mut buf, self.peak);
        buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_above_nine_tenths_of_nyquist_are_skipped() {
        assert!(audible(3_599.0, 8_000));
        assert!(!audible(3_600.0, 8_000));
        assert!(!audible(5_000.0, 8_000));
        assert!(audible(9_900.0, 22_050));
        assert!(!audible(9_923.0, 22_050));
        assert!(!audible(0.0, 48_000));
        assert!(!audible(100.0, 0));
    }

    #[test]
    fn a_skipped_partial_adds_nothing() {
        let mut buf = vec![0.0; 16];
        add_partials(&mut buf, 8_000, &[Partial::new(3_700.0, 1.0, 1.0)]);
        assert_eq!(buf, vec![0.0; 16]);
    }

    #[test]
    fn a_partial_is_a_decaying_sine_from_zero() {
        // A quarter of the rate: the sine steps through 0, 1, 0, -1.
        let mut buf = vec![0.0; 5];
        add_partials(&mut buf, 4, &[Partial::new(1.0, 1.0, 1e9)]);
        let want = [0.0, 1.0, 0.0, -1.0, 0.0];
        for (got, want) in buf.iter().zip(want) {
            assert!((got - want).abs() < 1e-6, "{buf:?}");
        }
        // t60 of one second at 1 kHz: 60 dB down after 1000 samples.
        let mut buf = vec![0.0; 1_001];
        add_partials(&mut buf, 1_000, &[Partial::new(250.0, 1.0, 1.0)]);
        assert!((f64::from(buf[997].abs()) - 1e-3 * 10f64.powf(3.0 * 3.0 / 1000.0)).abs() < 1e-9);
    }

    #[test]
    fn bloom_rises_from_nothing() {
        let mut buf = vec![0.0; 400];
        let p = Partial {
            bloom: 0.05,
            ..Partial::new(250.0, 1.0, 1_000.0)
        };
        add_partials(&mut buf, 1_000, &[p]);
        // Sample 1 would be 1.0 without bloom; with it the mode has barely begun.
        assert!(buf[1] > 0.0 && buf[1] < 0.03);
        assert!(buf[397] > 0.97);
    }

    #[test]
    fn doublet_splits_frequency_and_keeps_total_amplitude() {
        let [a, b] = Partial::new(200.0, 1.0, 10.0).doublet(2.0, 0.5);
        assert_eq!((a.freq, b.freq), (199.0, 201.0));
        assert!((a.amp + b.amp - 1.0).abs() < 1e-12);
        assert!((b.amp / a.amp - 0.5).abs() < 1e-12);
    }
}
