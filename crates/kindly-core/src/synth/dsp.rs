//! Small DSP building blocks shared by the cues and the beds: filters, envelopes, levels.

use std::f64::consts::PI;
use std::time::Duration;

/// Highest frequency any sound may put energy at, as a fraction of the sample
/// rate: 0.45 leaves room below Nyquist so nothing aliases or sounds brittle.
pub(crate) const MAX_FREQ_FRACTION: f64 = 0.45;

/// -1 dBFS, the loudest any sample may be; a hair under 10^(-1/20) so that
/// rounding to 16 bits can never land above it.
pub(crate) const PEAK: f64 = 0.891;

/// Frames of `duration` at `rate`, rounded, so lengths do not depend on how a
/// rate happens to divide a second.
pub(crate) fn frames(duration: Duration, rate: u32) -> usize {
    (duration.as_secs_f64() * f64::from(rate)).round() as usize
}

/// Highest frequency allowed at `rate`.
pub(crate) fn max_freq(rate: u32) -> f64 {
    MAX_FREQ_FRACTION * f64::from(rate)
}

/// Rises smoothly from 0 at `x = 0` to 1 at `x = 1` with zero slope at both
/// ends, so a gain ramp built from it adds no click of its own.
pub(crate) fn raised_cosine(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    0.5 - 0.5 * (PI * x).cos()
}

// Buffers of whole sounds are f32, the format they are played in: in f64
// a 12 s sound at 48 kHz would need another 4.6 MB at its peak, and f32's
// rounding is some 140 dB down. Gains are computed in f64.

/// Fades the first `len` samples in from exactly 0.
pub(crate) fn fade_in(buf: &mut [f32], len: usize) {
    let len = len.min(buf.len());
    for (i, s) in buf.iter_mut().take(len).enumerate() {
        *s = (f64::from(*s) * raised_cosine(i as f64 / len as f64)) as f32;
    }
}

/// Fades the last `len` samples out so the very last one is exactly 0.
pub(crate) fn fade_out(buf: &mut [f32], len: usize) {
    let len = len.min(buf.len());
    let start = buf.len() - len;
    for (k, s) in buf[start..].iter_mut().enumerate() {
        *s = (f64::from(*s) * raised_cosine(1.0 - (k + 1) as f64 / len as f64)) as f32;
    }
}

pub(crate) fn peak(buf: &[f32]) -> f64 {
    buf.iter().fold(0.0, |m, &s| m.max(f64::from(s).abs()))
}

/// Scales `buf` so its peak is `target` (to f32 precision); silence stays
/// silence.
pub(crate) fn normalize_peak(buf: &mut [f32], target: f64) {
    let p = peak(buf);
    if p > 0.0 {
        let g = target / p;
        buf.iter_mut().for_each(|s| *s = (f64::from(*s) * g) as f32);
    }
}

/// White noise has the same variance at every rate, so its density per hertz
/// falls as the rate rises. Scaling by this keeps filtered noise equally loud
/// at any rate.
pub(crate) fn noise_rate_scale(rate: u32) -> f64 {
    (f64::from(rate) / 48_000.0).sqrt()
}

/// A second-order section (RBJ cookbook), transposed direct form II in f64 so
/// very low cutoffs stay precise.
#[derive(Debug, Clone)]
pub(crate) struct Biquad {
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
    s1: f64,
    s2: f64,
}

impl Biquad {
    fn from_rbj(b: [f64; 3], a: [f64; 3]) -> Biquad {
        Biquad {
            b0: b[0] / a[0],
            b1: b[1] / a[0],
            b2: b[2] / a[0],
            a1: a[1] / a[0],
            a2: a[2] / a[0],
            s1: 0.0,
            s2: 0.0,
        }
    }

    /// `(cos w0, alpha)` with the frequency kept inside the safe band.
    fn omega(freq: f64, q: f64, rate: u32) -> (f64, f64) {
        let f = freq.clamp(1.0, max_freq(rate).max(1.0));
        let w0 = 2.0 * PI * f / f64::from(rate.max(1));
        (w0.cos(), w0.sin() / (2.0 * q))
    }

    pub(crate) fn lowpass(freq: f64, q: f64, rate: u32) -> Biquad {
        let (c, alpha) = Biquad::omega(freq, q, rate);
        Biquad::from_rbj(
            [(1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        )
    }

    pub(crate) fn highpass(freq: f64, q: f64, rate: u32) -> Biquad {
        let (c, alpha) = Biquad::omega(freq, q, rate);
        Biquad::from_rbj(
            [(1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        )
    }

    /// Band-pass with 0 dB gain at the centre.
    pub(crate) fn bandpass(freq: f64, q: f64, rate: u32) -> Biquad {
        let (c, alpha) = Biquad::omega(freq, q, rate);
        Biquad::from_rbj([alpha, 0.0, -alpha], [1.0 + alpha, -2.0 * c, 1.0 - alpha])
    }

    pub(crate) fn process(&mut self, x: f64) -> f64 {
        let y = self.b0 * x + self.s1;
        self.s1 = self.b1 * x - self.a1 * y + self.s2;
        self.s2 = self.b2 * x - self.a2 * y;
        y
    }
}

/// A state-variable low-pass (Simper's trapezoidal SVF) whose cutoff may move
/// every sample without zipper noise or instability, for swells that open and
/// close.
#[derive(Debug, Clone, Default)]
pub(crate) struct Svf {
    ic1: f64,
    ic2: f64,
}

impl Svf {
    /// The cutoff coefficient for `freq`; computing it is the expensive part,
    /// so a moving cutoff can be computed at a control rate and interpolated.
    pub(crate) fn coefficient(freq: f64, rate: u32) -> f64 {
        let f = freq.clamp(1.0, max_freq(rate).max(1.0));
        (PI * f / f64::from(rate.max(1))).tan()
    }

    pub(crate) fn lowpass_g(&mut self, x: f64, g: f64, q: f64) -> f64 {
        let k = 1.0 / q;
        let a1 = 1.0 / (1.0 + g * (g + k));
        let a2 = g * a1;
        let a3 = g * a2;
        let v3 = x - self.ic2;
        let v1 = a1 * self.ic1 + a2 * v3;
        let v2 = self.ic2 + a2 * self.ic1 + a3 * v3;
        self.ic1 = 2.0 * v1 - self.ic1;
        self.ic2 = 2.0 * v2 - self.ic2;
        v2
    }
}

/// Runs a stateful per-sample process `f(i)` over one period `0..n` of an
/// endless loop and hands each output to `sink`. First the last `settle`
/// samples of the loop are run and thrown away, so the state is what it
/// would be arriving at sample 0 from the end of the loop; then the whole
/// loop is run and kept. The kept output wraps from its end into its start
/// exactly as any sample flows into the next, so if `f`'s input is periodic
/// in `n`, the loop is seamless, for any stable filter whose memory is much
/// shorter than `settle`.
pub(crate) fn circular<T>(
    n: usize,
    settle: usize,
    mut f: impl FnMut(usize) -> T,
    mut sink: impl FnMut(usize, T),
) {
    for i in n - settle.min(n)..n {
        f(i);
    }
    for i in 0..n {
        sink(i, f(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_to_nearest() {
        assert_eq!(frames(Duration::from_millis(1500), 22_050), 33_075);
        assert_eq!(frames(Duration::from_millis(1), 22_050), 22);
        assert_eq!(frames(Duration::from_secs(1), 0), 0);
    }

    #[test]
    fn fades_start_and_end_at_zero() {
        let mut b = vec![1.0f32; 8];
        fade_in(&mut b, 4);
        let expected = [0.0, 0.146_446_609, 0.5, 0.853_553_390, 1.0];
        for (got, want) in b.iter().zip(expected) {
            assert!((f64::from(*got) - want).abs() < 1e-7, "{got} vs {want}");
        }
        let mut b = vec![1.0f32; 8];
        fade_out(&mut b, 4);
        assert_eq!(b[7], 0.0);
        assert_eq!(b[5], 0.5);
        assert_eq!(b[3], 1.0);
    }

    #[test]
    fn fades_longer_than_buffer_do_not_panic() {
        let mut b = vec![1.0f32; 3];
        fade_in(&mut b, 10);
        fade_out(&mut b, 10);
        assert_eq!(b[0], 0.0);
        assert_eq!(b[2], 0.0);
        fade_out(&mut [], 4);
    }

    #[test]
    fn normalize_hits_target_and_leaves_silence_alone() {
        let mut b = vec![0.125f32, -0.25, 0.0625];
        normalize_peak(&mut b, 0.5);
        assert_eq!(b, vec![0.25, -0.5, 0.125]);
        let mut z = vec![0.0f32; 4];
        normalize_peak(&mut z, PEAK);
        assert_eq!(z, vec![0.0; 4]);
    }

    #[test]
    fn lowpass_passes_dc_and_blocks_nyquist() {
        let mut lp = Biquad::lowpass(1_000.0, 0.707, 8_000);
        let dc = (0..2_000).map(|_| lp.process(1.0)).last().unwrap();
        assert!((dc - 1.0).abs() < 1e-9);
        let mut lp = Biquad::lowpass(1_000.0, 0.707, 8_000);
        let ny = (0..2_000)
            .map(|i| lp.process(if i % 2 == 0 { 1.0 } else { -1.0 }))
            .last()
            .unwrap();
        assert!(ny.abs() < 1e-9);
    }

    #[test]
    fn filter_frequencies_are_clamped_below_nyquist() {
        // 30 kHz at 8 kHz would be meaningless; it must still be a stable filter.
        let mut bp = Biquad::bandpass(30_000.0, 1.0, 8_000);
        let y: Vec<f64> = (0..4_000)
            .map(|i| bp.process(if i == 0 { 1.0 } else { 0.0 }))
            .collect();
        assert!(y.iter().all(|v| v.is_finite()));
        assert!(y[3_999].abs() < 1e-9);
        let mut svf = Svf::default();
        let g = Svf::coefficient(1e6, 8_000);
        let y = (0..4_000)
            .map(|_| svf.lowpass_g(1.0, g, 0.7))
            .last()
            .unwrap();
        assert!((y - 1.0).abs() < 1e-9);
    }

    #[test]
    fn circular_filtering_wraps_seamlessly() {
        // A one-pole smoother over a square wave: after settling, the output
        // at the start must continue from the output at the end.
        let square = |i: usize| if i < 200 { 1.0 } else { -1.0 };
        let mut buf = vec![0.0f64; 400];
        let mut y = 0.0;
        circular(
            400,
            400,
            |i| {
                y += 0.05 * (square(i) - y);
                y
            },
            |i, v| buf[i] = v,
        );
        let last = buf[399];
        let expected_first = last + 0.05 * (1.0 - last);
        // Only the settling of the first pass, 0.95^400, separates them.
        assert!((buf[0] - expected_first).abs() < 1e-8);
    }
}
