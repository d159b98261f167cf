//! Recipes for the beds: shaped noise rendered as seamless stereo loops.
//!
//! Every layer is made periodic by construction rather than by crossfading:
//! noise is addressed by sample index, filters first run over the loop's
//! last half second so that they enter sample 0 exactly as they would
//! coming round from the end (see [`dsp::circular`]), slow modulations
//! complete whole cycles per loop, and droplets that fall off the end wrap
//! round to the start. So the last frame flows into the first like any two
//! neighbours, with no level or spectral dip a crossfade could leave.

use super::dsp::{self, Biquad, Svf};
use super::noise::{Brown, Pink, White};
use super::rng::Rng;
use super::BedSound;
use std::f64::consts::{PI, TAU};
use std::time::Duration;

pub(crate) fn loop_length(bed: BedSound) -> Duration {
    Duration::from_secs(match bed {
        BedSound::BrownNoise | BedSound::PinkNoise => 10,
        BedSound::Rain | BedSound::Ocean => 12,
    })
}

/// RMS each bed is set to. Brown noise's energy sits where the ear is least
/// sensitive, so it is given a little more to sound about as loud.
fn target_rms_db(bed: BedSound) -> f64 {
    match bed {
        BedSound::BrownNoise => -18.0,
        BedSound::PinkNoise => -20.0,
        BedSound::Rain => -21.0,
        BedSound::Ocean => -19.0,
    }
}

pub(crate) fn render(bed: BedSound, rate: u32) -> Vec<f32> {
    let n = dsp::frames(loop_length(bed), rate);
    if n == 0 {
        return Vec::new();
    }
    let mut out = Stereo {
        n,
        rate,
        buf: vec![0.0; 2 * n],
    };
    match bed {
        BedSound::BrownNoise => brown(&mut out),
        BedSound::PinkNoise => pink(&mut out),
        BedSound::Rain => rain(&mut out),
        BedSound::Ocean => ocean(&mut out),
    }
    out.level(target_rms_db(bed));
    out.buf
}

/// The loop being built, interleaved, in f32 to keep memory to the final
/// buffer alone; every layer is computed in f64 and summed in.
struct Stereo {
    n: usize,
    rate: u32,
    buf: Vec<f32>,
}

impl Stereo {
    /// Adds a settled, periodic layer, `f(i)` giving frame `i` as [L, R].
    /// Half a second of settling is thirty times the longest filter memory
    /// here (a 10 Hz pole, 16 ms). Both sides are computed together so the
    /// processor can overlap their filter chains.
    fn add_layer(&mut self, f: impl FnMut(usize) -> [f64; 2]) {
        let buf = &mut self.buf;
        let settle = self.rate as usize / 2;
        dsp::circular(self.n, settle, f, |i, [l, r]| {
            buf[2 * i] += l as f32;
            buf[2 * i + 1] += r as f32;
        });
    }

    /// Adds `v` at frame `i`, wrapping round the loop.
    fn add_wrapped(&mut self, ch: usize, i: usize, v: f64) {
        self.buf[2 * (i % self.n) + ch] += v as f32;
    }

    fn seconds(&self) -> f64 {
        self.n as f64 / f64::from(self.rate)
    }

    /// Sets the RMS to `db` dBFS, backing off if that would push a peak
    /// above -1 dBFS.
    fn level(&mut self, db: f64) {
        let (sum, peak) = self.buf.iter().fold((0.0, 0.0f64), |(s, p), &x| {
            let x = f64::from(x);
            (s + x * x, p.max(x.abs()))
        });
        let rms = (sum / self.buf.len() as f64).sqrt();
        if rms <= 0.0 {
            return;
        }
        let g = (10f64.powf(db / 20.0) / rms).min(dsp::PEAK / peak);
        self.buf
            .iter_mut()
            .for_each(|x| *x = (f64::from(*x) * g) as f32);
    }
}

/// A smooth control signal, periodic over the loop, sampled about every
/// millisecond and interpolated: the shapes are costly to evaluate and far
/// slower than audio.
struct Curve {
    /// log2 of the samples per step: a power of two keeps lookups to a
    /// shift and a mask.
    shift: u32,
    values: Vec<f64>,
}

impl Curve {
    /// `f` takes the time in seconds within the loop and must be periodic
    /// over it.
    fn new(n: usize, rate: u32, f: impl Fn(f64) -> f64) -> Curve {
        let shift = (rate / 1_000).max(1).ilog2();
        let step = 1usize << shift;
        let fs = f64::from(rate);
        let values = (0..=n.div_ceil(step))
            .map(|k| f(((k * step) % n.max(1)) as f64 / fs))
            .collect();
        Curve { shift, values }
    }

    fn at(&self, i: usize) -> f64 {
        let k = i >> self.shift;
        let frac = (i & ((1 << self.shift) - 1)) as f64 / (1u64 << self.shift) as f64;
        let (a, b) = (self.values[k], self.values[k + 1]);
        a + (b - a) * frac
    }
}

/// Mixes a channel's own noise with a shared one so the two sides are
/// related, as real sound reaching two ears is, but not identical: fully
/// independent low noise feels like pressure in headphones, identical noise
/// sits in the middle of the head.
fn stereo_white(label: u64, correlation: f64, rate: u32) -> impl Fn(usize) -> [f64; 2] {
    let left = White::new(label * 4, rate);
    let right = White::new(label * 4 + 1, rate);
    let shared = White::new(label * 4 + 2, rate);
    let (a, b) = ((1.0 - correlation).sqrt(), correlation.sqrt());
    move |i| {
        let c = b * shared.at(i);
        [a * left.at(i) + c, a * right.at(i) + c]
    }
}

/// The gain that brings a filter chain fed with white noise to unit RMS, so
/// layers can be mixed by their intended levels whatever their filters do,
/// at any rate. Measured on a second of its own noise.
fn unit_gain<G: FnMut(f64) -> f64>(rate: u32, make: impl Fn() -> G) -> f64 {
    let white = White::new(0xCA11, rate);
    let mut chain = make();
    let len = rate as usize;
    let skip = len / 4;
    let sum: f64 = (0..len)
        .map(|i| chain(white.at(i)))
        .skip(skip)
        .map(|y| y * y)
        .sum();
    let rms = (sum / (len - skip).max(1) as f64).sqrt();
    if rms > 0.0 {
        1.0 / rms
    } else {
        0.0
    }
}

fn brown(out: &mut Stereo) {
    let rate = out.rate;
    let white = stereo_white(1, 0.3, rate);
    let mut brown = [0; 2].map(|_| Brown::new(20.0, rate));
    // Below about 30 Hz is felt rather than heard, and few speakers or
    // headphones play it: it would only use up headroom and make the level
    // wander slowly.
    let mut hp = [0; 2].map(|_| Biquad::highpass(30.0, 0.707, rate));
    out.add_layer(|i| {
        let x = white(i);
        [0, 1].map(|c| hp[c].process(brown[c].process(x[c])))
    });
}

fn pink(out: &mut Stereo) {
    let rate = out.rate;
    let white = stereo_white(2, 0.2, rate);
    let mut pink = [0; 2].map(|_| Pink::new(rate));
    let mut hp = [0; 2].map(|_| Biquad::highpass(20.0, 0.707, rate));
    // Above 16 kHz is inaudible to most adults; at high rates it would only
    // take a share of the level.
    let mut lp = [0; 2].map(|_| Biquad::lowpass(16_000.0, 0.707, rate));
    out.add_layer(|i| {
        let x = white(i);
        [0, 1].map(|c| lp[c].process(hp[c].process(pink[c].process(x[c]))))
    });
}

/// Steady rain: a broad hiss of countless distant drops, a low wash for
/// body, and nearby droplets: mostly soft ticks, a few bubbly plinks of
/// drops landing in puddles, all at random places across the stereo field.
fn rain(out: &mut Stereo) {
    let (n, rate) = (out.n, out.rate);
    let period = out.seconds();
    // Gusts: slow swells of intensity in whole cycles per loop.
    let gust = |t: f64| {
        let p = t / period;
        1.0 + 0.12 * (TAU * p + 0.7).sin() + 0.06 * (TAU * 3.0 * p + 2.1).sin()
    };
    let level = Curve::new(n, rate, gust);
    let hiss_chain = || {
        let mut hp = Biquad::highpass(1_200.0, 0.5, rate);
        let mut lp = Biquad::lowpass(8_000.0, 0.5, rate);
        let mut pink = Pink::new(rate);
        move |x: f64| lp.process(hp.process(pink.process(x)))
    };
    let wash_chain = || {
        let mut brown = Brown::new(60.0, rate);
        let mut lp = Biquad::lowpass(900.0, 0.707, rate);
        let mut hp = Biquad::highpass(50.0, 0.707, rate);
        move |x: f64| hp.process(lp.process(brown.process(x)))
    };
    let (hiss_gain, wash_gain) = (unit_gain(rate, hiss_chain), unit_gain(rate, wash_chain));
    // Separate noises: from one, the layers would cancel in a notch where
    // their filters cross.
    let (hiss_white, wash_white) = (stereo_white(3, 0.15, rate), stereo_white(4, 0.4, rate));
    let (mut hiss, mut wash) = ([hiss_chain(), hiss_chain()], [wash_chain(), wash_chain()]);
    out.add_layer(|i| {
        let (x, y, g) = (hiss_white(i), wash_white(i), level.at(i));
        [0, 1].map(|c| (hiss_gain * hiss[c](x[c]) + 0.25 * wash_gain * wash[c](y[c])) * g)
    });
    add_droplets(out, &level);
}

/// Droplets relative to the hiss at unit RMS.
fn add_droplets(out: &mut Stereo, level: &Curve) {
    let (n, rate) = (out.n, out.rate);
    let fs = f64::from(rate);
    let mut rng = Rng::new(0x5A1D);
    let ticks = (110.0 * out.seconds()) as usize;
    let plinks = (4.0 * out.seconds()) as usize;
    let tick_noise = White::new(0x71C, rate);
    let rise = (0.0005 * fs).max(1.0);
    let mut noise_pos = 0;
    for _ in 0..ticks {
        let start = (rng.unit() * n as f64) as usize;
        // Mostly faint, a few close and clear; cubing a uniform gives that
        // spread without ever producing an outlier that would stand out on
        // every repeat of the loop.
        let amp = 16.0 * rng.unit().powi(3) * level.at(start);
        let center = 2_000.0 * 4f64.powf(rng.unit());
        let t60 = rng.range(0.003, 0.012);
        let (gl, gr) = pan(rng.unit());
        let mut bp = Biquad::bandpass(center, rng.range(2.0, 4.0), rate);
        let len = ((t60 + 0.004) * fs) as usize;
        let decay = (-6.9 / (t60 * fs)).exp();
        let mut env = amp;
        for j in 0..len {
            // Half a millisecond of rise keeps even the tiny ones from clicking.
            let e = if (j as f64) < rise {
                env * dsp::raised_cosine(j as f64 / rise)
            } else {
                env
            };
            let v = bp.process(tick_noise.at(noise_pos) * e);
            noise_pos += 1;
            env *= decay;
            out.add_wrapped(0, start + j, v * gl);
            out.add_wrapped(1, start + j, v * gr);
        }
    }
    for _ in 0..plinks {
        let start = (rng.unit() * n as f64) as usize;
        let amp = rng.range(0.15, 0.6) * level.at(start);
        let f0 = 1_400.0 * 2f64.powf(rng.unit());
        let t60 = rng.range(0.02, 0.05);
        let (gl, gr) = pan(rng.unit());
        let len = (t60 * fs) as usize;
        let mut phase: f64 = 0.0;
        for j in 0..len {
            let t = j as f64 / fs;
            // A bubble's pitch rises as it shrinks to the surface.
            let f = f0 * (1.0 + 6.0 * t);
            if !super::modal::audible(f, rate) {
                break;
            }
            phase += TAU * f / fs;
            let env = dsp::raised_cosine(t / 0.001)
                * 10f64.powf(-3.0 * t / t60)
                * dsp::raised_cosine(4.0 * (1.0 - t / t60));
            let v = amp * env * phase.sin();
            out.add_wrapped(0, start + j, v * gl);
            out.add_wrapped(1, start + j, v * gr);
        }
    }
}

/// Equal-power pan gains for a position from 0 (left) to 1 (right).
fn pan(p: f64) -> (f64, f64) {
    ((p * PI / 2.0).cos(), (p * PI / 2.0).sin())
}

/// One wave reaching the shore.
struct Wave {
    /// Seconds into the loop when it breaks.
    at: f64,
    /// Seconds of build-up as it approaches.
    rise: f64,
    /// Seconds of wash as it runs up the beach and drains back.
    fall: f64,
    height: f64,
}

impl Wave {
    /// The wave's loudness at time `t`, seen round the loop of `period`.
    fn swell(&self, t: f64, period: f64) -> f64 {
        let dt = wrap(t - self.at, period);
        let shape = if dt < -self.rise || dt >= self.fall {
            0.0
        } else if dt < 0.0 {
            // A slow approach, quickening into the break.
            smoothstep(1.0 + dt / self.rise).powi(3)
        } else {
            smoothstep(1.0 - dt / self.fall).powf(1.5)
        };
        self.height * shape
    }

    /// The fizz of foam: it starts as the wave breaks and lingers as the
    /// roar fades.
    fn foam(&self, t: f64, period: f64) -> f64 {
        let dt = wrap(t - self.at, period);
        let (on, top, off) = (0.2, 0.4, self.fall + 0.2);
        let shape = if dt < -on || dt >= off {
            0.0
        } else if dt < top {
            smoothstep((dt + on) / (on + top))
        } else {
            smoothstep(1.0 - (dt - top) / (off - top)).powi(2)
        };
        self.height * shape
    }
}

/// `x` moved by whole periods into [-period/2, period/2).
fn wrap(x: f64, period: f64) -> f64 {
    x - period * (x / period + 0.5).floor()
}

fn smoothstep(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// Waves on a beach: two waves per loop of different size and timing, each
/// a roar that brightens as it breaks and darkens as it drains away, with a
/// fizz of foam after the break. The loop starts and ends in the lull
/// between waves. The right side hears each wave a moment later and a
/// little differently, as waves break along a shore.
fn ocean(out: &mut Stereo) {
    let (n, rate) = (out.n, out.rate);
    let period = out.seconds();
    let sides = [
        [
            Wave {
                at: 3.0,
                rise: 2.4,
                fall: 3.8,
                height: 1.0,
            },
            Wave {
                at: 8.5,
                rise: 2.0,
                fall: 2.9,
                height: 0.7,
            },
        ],
        [
            Wave {
                at: 3.3,
                rise: 2.6,
                fall: 3.6,
                height: 0.85,
            },
            Wave {
                at: 8.7,
                rise: 2.1,
                fall: 2.7,
                height: 0.8,
            },
        ],
    ];
    let body_gain = unit_gain(rate, || {
        let mut p = Pink::new(rate);
        move |x| p.process(x)
    });
    let foam_chain = || {
        let mut hp = Biquad::highpass(1_800.0, 0.707, rate);
        let mut lp = Biquad::lowpass(9_000.0, 0.707, rate);
        move |x: f64| lp.process(hp.process(x))
    };
    let foam_gain = unit_gain(rate, foam_chain);
    let curves = |ch: usize| {
        let waves = &sides[ch];
        let swell = |t: f64| {
            let s: f64 = waves.iter().map(|w| w.swell(t, period)).sum();
            // Water is never still: a little unevenness, in whole cycles
            // per loop.
            let p = TAU * t / period;
            let ripple = 0.04 * ((5.0 * p + ch as f64).sin() + (11.0 * p + 2.0).sin());
            (s * (1.0 + ripple)).clamp(0.0, 1.0)
        };
        let amp = Curve::new(n, rate, |t| 0.4 + 0.6 * swell(t));
        // The roar opens from a dull 300 Hz in the lull to 3 kHz at the
        // break.
        let cutoff = Curve::new(n, rate, |t| {
            Svf::coefficient(300.0 * 10f64.powf(swell(t)), rate)
        });
        let foam = Curve::new(n, rate, |t| {
            waves.iter().map(|w| w.foam(t, period)).sum::<f64>()
        });
        (amp, cutoff, foam)
    };
    let curves = [curves(0), curves(1)];
    // Bubbles bursting: the foam's level flickers at a few tens of hertz.
    let bubbles_chain = || {
        let mut lp = Biquad::lowpass(25.0, 0.707, rate);
        move |x: f64| lp.process(x)
    };
    let bubbles_gain = unit_gain(rate, bubbles_chain);
    // The foam has its own noise: from the body's, the two would cancel in
    // a sweeping notch where their filters cross.
    let (white, foam_white) = (stereo_white(5, 0.25, rate), stereo_white(6, 0.1, rate));
    let mut pink = [0; 2].map(|_| Pink::new(rate));
    let mut body_lp = [Svf::default(), Svf::default()];
    let mut body_hp = [0; 2].map(|_| Biquad::highpass(30.0, 0.707, rate));
    let mut fizz = [foam_chain(), foam_chain()];
    let mut bubbles = [bubbles_chain(), bubbles_chain()];
    out.add_layer(|i| {
        let (x, y) = (white(i), foam_white(i));
        [0, 1].map(|c| {
            let (amp, cutoff, foam) = &curves[c];
            let body = body_lp[c].lowpass_g(body_gain * pink[c].process(x[c]), cutoff.at(i), 0.6);
            let body = body_hp[c].process(body) * amp.at(i);
            // Mixing the flicker with the other side's noise keeps it
            // independent of the hiss it modulates.
            let flicker = bubbles_gain * bubbles[c](y[1 - c]);
            let fizz = foam_gain * fizz[c](y[c]) * (0.4 + 0.6 * flicker * flicker);
            body + 0.08 * fizz * foam.at(i)
        })
    });
}
