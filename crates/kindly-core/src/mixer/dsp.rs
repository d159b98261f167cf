//! The mixer's small pieces of signal processing: fades, the ducking
//! envelope and the output limiter.
//!
//! Everything here is a pure function of frame positions (no state carried
//! between blocks), so rendering from any step reproduces the full render
//! exactly, sample for sample.

/// Where the limiter starts to bend the signal: -2 dBFS.
pub(crate) const LIMIT_KNEE: f32 = 0.794_328_2;
/// What the limiter never exceeds: -1 dBFS.
pub(crate) const LIMIT_CEILING: f32 = 0.891_250_9;

/// How far the bed dips under a voice or clip: -10 dB.
pub(crate) const DUCK_DEPTH: f32 = 0.316_227_77;

/// Soft clipping of one sample: transparent up to the knee, then a tanh
/// curve that leaves the knee with slope 1 (no kink to hear) and bends
/// towards the ceiling, which it never exceeds (f32 rounding may touch it). Not-a-number becomes silence, so a
/// broken float file cannot poison the device.
#[inline]
pub(crate) fn soft_limit(x: f32) -> f32 {
    let a = x.abs();
    if a <= LIMIT_KNEE {
        return x;
    }
    if a.is_nan() {
        return 0.0;
    }
    let room = LIMIT_CEILING - LIMIT_KNEE;
    let y = LIMIT_KNEE + room * ((a - LIMIT_KNEE) / room).tanh();
    // tanh rounds to exactly 1.0 for large arguments; never above.
    y.min(LIMIT_CEILING).copysign(x)
}

/// Limit a block in place. Most blocks are well below the knee; one
/// branch-free pass proves it and the per-sample curve is skipped.
pub(crate) fn limit_block(buf: &mut [f32]) {
    let quiet = buf.iter().fold(true, |ok, &x| ok & (x.abs() <= LIMIT_KNEE));
    if !quiet {
        for x in buf {
            *x = soft_limit(*x);
        }
    }
}

/// Linear fade factor at `pos` frames into a sound of `len` frames that
/// fades in over `fade_in` and out over `fade_out` frames.
///
/// Fade in: `pos / fade_in`, so the first frame is exactly 0 and frame
/// `fade_in` is the first at full level. Fade out mirrors it: the last
/// frame (`len - 1`) is exactly 0.
#[inline]
pub fn fade(pos: u64, len: u64, fade_in: u64, fade_out: u64) -> f32 {
    let mut g = 1.0f32;
    if pos < fade_in {
        g = pos as f32 / fade_in as f32;
    }
    let left = len.saturating_sub(1).saturating_sub(pos);
    if left < fade_out {
        g = g.min(left as f32 / fade_out as f32);
    }
    g
}

/// True when `fade` is 1 for every frame in `pos..pos + n`.
#[inline]
pub(crate) fn fade_is_flat(pos: u64, n: u64, len: u64, fade_in: u64, fade_out: u64) -> bool {
    pos >= fade_in && pos.saturating_add(n).saturating_add(fade_out) <= len
}

/// A span of the timeline under which the bed is ducked: a voice or clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuckSpan {
    pub start: u64,
    pub end: u64,
}

/// The ducking envelope of a whole timeline, as a pure function of time.
///
/// Each span contributes a trapezoid: a linear attack that *ends* at the
/// voice's first frame (the bed is already down when the words begin), full
/// depth while it plays, then a linear release. Overlaps take the maximum.
#[derive(Debug, Clone)]
pub struct Ducking {
    spans: Vec<DuckSpan>,
    /// `reach[i]`: the latest release end among spans `0..=i`; monotonic,
    /// so a binary search finds the first span that can still matter.
    reach: Vec<u64>,
    attack: u64,
    release: u64,
}

impl Ducking {
    pub fn new(mut spans: Vec<DuckSpan>, attack: u64, release: u64) -> Ducking {
        spans.sort_by_key(|s| s.start);
        let mut reach = Vec::with_capacity(spans.len());
        let mut m = 0;
        for s in &spans {
            m = m.max(s.end.saturating_add(release));
            reach.push(m);
        }
        Ducking {
            spans,
            reach,
            attack,
            release,
        }
    }

    /// The spans that can touch `t..t + n`.
    fn around(&self, t: u64, n: u64) -> impl Iterator<Item = &DuckSpan> {
        let first = self.reach.partition_point(|&r| r <= t);
        let end = t.saturating_add(n);
        self.spans[first..]
            .iter()
            .take_while(move |s| s.start.saturating_sub(self.attack) < end)
    }

    /// Envelope in 0..=1 at frame `t` (1 = fully ducked).
    pub(crate) fn envelope(&self, t: u64) -> f32 {
        self.around(t, 1)
            .map(|s| self.trapezoid(s, t))
            .fold(0.0, f32::max)
    }

    fn trapezoid(&self, s: &DuckSpan, t: u64) -> f32 {
        if t >= s.start && t < s.end {
            1.0
        } else if t < s.start {
            let to_go = s.start - t;
            if to_go >= self.attack {
                0.0
            } else {
                1.0 - to_go as f32 / self.attack as f32
            }
        } else {
            let since = t - s.end;
            if since >= self.release {
                0.0
            } else {
                1.0 - since as f32 / self.release as f32
            }
        }
    }

    /// `Some(envelope)` when it is the same over all of `t..t + n`.
    pub fn flat(&self, t: u64, n: u64) -> Option<f32> {
        let mut level = 0.0;
        for s in self.around(t, n) {
            if t >= s.start && t.saturating_add(n) <= s.end {
                level = 1.0;
            } else {
                return None;
            }
        }
        Some(level)
    }

    /// Gain for the bed from the envelope.
    #[inline]
    pub fn gain(envelope: f32) -> f32 {
        1.0 - (1.0 - DUCK_DEPTH) * envelope
    }
}

/// Equal-power crossfade curves over `n` frames: `(fade_in, fade_out)`,
/// with `in² + out² = 1` everywhere, so loudness holds across the seam.
pub(crate) fn equal_power(n: usize) -> (Vec<f32>, Vec<f32>) {
    (0..n)
        .map(|i| {
            let x = (i as f64 + 0.5) / n as f64 * std::f64::consts::FRAC_PI_2;
            (x.sin() as f32, x.cos() as f32)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fades_are_exact_lines() {
        let f: Vec<f32> = (0..10).map(|p| fade(p, 10, 4, 2)).collect();
        assert_eq!(f, vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]);
        assert!(fade_is_flat(4, 4, 10, 4, 2));
        assert!(!fade_is_flat(4, 5, 10, 4, 2));
        assert!(!fade_is_flat(3, 1, 10, 4, 2));
        // No fades: always 1, also at the very ends.
        assert_eq!(fade(0, 3, 0, 0), 1.0);
        assert_eq!(fade(2, 3, 0, 0), 1.0);
    }

    #[test]
    fn limiter_transparent_below_knee_and_never_over_ceiling() {
        for i in 0..=1000 {
            let x = i as f32 / 1000.0 * LIMIT_KNEE;
            assert_eq!(soft_limit(x), x);
            assert_eq!(soft_limit(-x), -x);
        }
        let mut prev = 0.0;
        for i in 0..=100_000 {
            let x = LIMIT_KNEE + i as f32 / 1000.0;
            let y = soft_limit(x);
            assert!(y <= LIMIT_CEILING, "{x} -> {y}");
            assert!(y >= prev, "monotonic at {x}");
            assert_eq!(soft_limit(-x), -y);
            prev = y;
        }
        assert!(soft_limit(f32::INFINITY) <= LIMIT_CEILING);
        assert_eq!(soft_limit(f32::NAN), 0.0);
        let mut block = [0.1, 0.5, 2.0, -3.0, f32::NAN];
        limit_block(&mut block);
        assert_eq!(&block[..2], &[0.1, 0.5]);
        assert!(block[2..].iter().all(|x| x.abs() <= LIMIT_CEILING));
        // Just over the knee the curve leaves with slope ~1: no audible kink.
        let d = (soft_limit(LIMIT_KNEE + 1e-3) - LIMIT_KNEE) / 1e-3;
        assert!((d - 1.0).abs() < 0.02, "slope {d}");
    }

    #[test]
    fn ducking_ramps_down_before_and_up_after() {
        // Voice at frames 10..20, attack 4, release 8.
        let d = Ducking::new(vec![DuckSpan { start: 10, end: 20 }], 4, 8);
        let env: Vec<f32> = (4..30).map(|t| d.envelope(t)).collect();
        assert_eq!(
            env,
            vec![
                0.0, 0.0, 0.0, 0.25, 0.5, 0.75, // 4..10: attack ends at 10
                1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, // 10..20
                1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, // release
                0.0, 0.0
            ]
        );
        assert_eq!(d.flat(0, 6), Some(0.0));
        assert_eq!(d.flat(0, 7), None);
        assert_eq!(d.flat(10, 10), Some(1.0));
        assert_eq!(d.flat(28, 100), Some(0.0));
        assert!((Ducking::gain(1.0) - DUCK_DEPTH).abs() < 1e-7);
        assert_eq!(Ducking::gain(0.0), 1.0);
    }

    #[test]
    fn overlapping_ducks_take_the_deeper() {
        let d = Ducking::new(
            vec![
                DuckSpan { start: 30, end: 40 },
                DuckSpan { start: 0, end: 32 },
            ],
            4,
            8,
        );
        assert_eq!(d.envelope(31), 1.0);
        assert_eq!(d.envelope(33), 1.0);
        assert_eq!(d.envelope(44), 0.5);
    }

    #[test]
    fn equal_power_keeps_power() {
        let (i, o) = equal_power(16);
        for k in 0..16 {
            assert!((i[k] * i[k] + o[k] * o[k] - 1.0).abs() < 1e-6);
        }
        assert!(i[0] < 0.1 && o[15] < 0.1);
    }
}
