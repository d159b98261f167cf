//! Built-in sounds, synthesized by kindly itself: struck cues and looping beds.
//!
//! Everything here is pure: a sound is a function of its kind and a sample
//! rate, rendered the same way, bit for bit, every time.

mod beds;
mod cues;
mod dsp;
mod modal;
mod noise;
pub(crate) mod rng;

use std::time::Duration;

/// The recipes' revision. Rendered sounds kept between runs (the sound
/// cache) are named by it, so bump it whenever a recipe changes what it
/// renders; `recipes_are_pinned_to_their_revision` fails until you do.
pub const REVISION: u32 = 3;

/// A short struck sound marking a moment: the start or end of a practice, a
/// breath, a transition. Rendered mono.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Bowl,
    Bell,
    Chime,
    Gong,
    Woodblock,
    SoftTone,
    /// The soft tone a fourth lower: the out-breath, so that a person with
    /// closed eyes hears which way to breathe.
    SoftToneLow,
    /// Marks a prompt that is shown but not spoken.
    Notice,
}

/// A continuous background, rendered as a stereo loop that repeats seamlessly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BedSound {
    BrownNoise,
    PinkNoise,
    Rain,
    Ocean,
}

impl Cue {
    pub const ALL: [Cue; 8] = [
        Cue::Bowl,
        Cue::Bell,
        Cue::Chime,
        Cue::Gong,
        Cue::Woodblock,
        Cue::SoftTone,
        Cue::SoftToneLow,
        Cue::Notice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cue::Bowl => "bowl",
            Cue::Bell => "bell",
            Cue::Chime => "chime",
            Cue::Gong => "gong",
            Cue::Woodblock => "woodblock",
            Cue::SoftTone => "soft-tone",
            Cue::SoftToneLow => "soft-tone-low",
            Cue::Notice => "notice",
        }
    }

    pub fn from_name(name: &str) -> Option<Cue> {
        Cue::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The exact length of [`Cue::render`]: `round(length * rate)` frames.
    pub fn length(self) -> Duration {
        cues::length(self)
    }

    /// Mono samples at `sample_rate`, peaking at -1 dBFS, starting and ending
    /// at exactly 0. Sounds the same at any rate; partials that would not fit
    /// below the rate's Nyquist frequency are left out. Empty for rate 0.
    pub fn render(self, sample_rate: u32) -> Vec<f32> {
        match self {
            Cue::Notice => cues::notice(sample_rate),
            _ => cues::sound(self).render(sample_rate),
        }
    }

    /// How many samples `render(sample_rate)` returns, without rendering.
    pub fn frames(self, sample_rate: u32) -> usize {
        dsp::frames(self.length(), sample_rate)
    }
}

impl BedSound {
    pub const ALL: [BedSound; 4] = [
        BedSound::BrownNoise,
        BedSound::PinkNoise,
        BedSound::Rain,
        BedSound::Ocean,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BedSound::BrownNoise => "brown-noise",
            BedSound::PinkNoise => "pink-noise",
            BedSound::Rain => "rain",
            BedSound::Ocean => "ocean",
        }
    }

    pub fn from_name(name: &str) -> Option<BedSound> {
        BedSound::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The length of one loop of [`BedSound::render_loop`].
    pub(crate) fn loop_length(self) -> Duration {
        beds::loop_length(self)
    }

    /// Stereo interleaved samples (L, R, L, R...), `round(loop_length * rate)`
    /// frames, that continue seamlessly from the last frame into the first.
    /// Peaks at or below -1 dBFS, around -20 dBFS RMS. Empty for rate 0.
    pub(crate) fn render_loop(self, sample_rate: u32) -> Vec<f32> {
        beds::render(self, sample_rate)
    }

    /// How many frames `render_loop(sample_rate)` returns, without
    /// rendering.
    pub(crate) fn loop_frames(self, sample_rate: u32) -> usize {
        dsp::frames(self.loop_length(), sample_rate)
    }
}

/// One sound ready to be written to a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedSound {
    pub file_name: String,
    pub channels: u16,
    pub sample_rate: u32,
    /// Interleaved when `channels` is 2.
    pub samples: Vec<f32>,
}

/// Export rate: low enough to keep the files small, high enough (Nyquist
/// above 11 kHz) that the cues keep their sparkle.
const EXPORT_RATE: u32 = 22_050;

/// Beds are exported as a mono downmix at a lower rate: the files in
/// `audio/` are for people to hear what the beds are like, and stereo loops
/// at full rate would be megabytes each. Playback renders them in stereo.
const BED_EXPORT_RATE: u32 = 16_000;

/// Every cue and bed, rendered for export as `<name>.wav`: cues mono at
/// 22.05 kHz, beds as one seamless mono loop at 16 kHz. Identical on every
/// call.
pub fn export_set() -> Vec<ExportedSound> {
    let cues = Cue::ALL.into_iter().map(|c| ExportedSound {
        file_name: format!("{}.wav", c.name()),
        channels: 1,
        sample_rate: EXPORT_RATE,
        samples: c.render(EXPORT_RATE),
    });
    let beds = BedSound::ALL.into_iter().map(|b| ExportedSound {
        file_name: format!("{}.wav", b.name()),
        channels: 1,
        sample_rate: BED_EXPORT_RATE,
        samples: b
            .render_loop(BED_EXPORT_RATE)
            .chunks_exact(2)
            .map(|lr| 0.5 * (lr[0] + lr[1]))
            .collect(),
    });
    cues.chain(beds).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    const RATES: [u32; 2] = [48_000, 22_050];
    /// -1 dBFS, with room for f32 rounding.
    const MAX_PEAK: f32 = 0.8913;

    /// Renders are slow in debug builds; every test shares one of each.
    fn cue(c: Cue, rate: u32) -> &'static [f32] {
        static CACHE: OnceLock<HashMap<(Cue, u32), Vec<f32>>> = OnceLock::new();
        let all = CACHE.get_or_init(|| {
            Cue::ALL
                .into_iter()
                .flat_map(|c| RATES.map(|r| ((c, r), c.render(r))))
                .collect()
        });
        &all[&(c, rate)]
    }

    fn bed(b: BedSound, rate: u32) -> &'static [f32] {
        static CACHE: OnceLock<HashMap<(BedSound, u32), Vec<f32>>> = OnceLock::new();
        let all = CACHE.get_or_init(|| {
            BedSound::ALL
                .into_iter()
                .flat_map(|b| RATES.map(|r| ((b, r), b.render_loop(r))))
                .collect()
        });
        &all[&(b, rate)]
    }

    /// Rendered sounds are cached by `REVISION`: a recipe that changes
    /// what it renders without a new revision would leave people hearing
    /// the old sound from their cache. So the renders are pinned here, at
    /// 16 bits (as exported to `audio/`, whose test pins them too).
    #[test]
    fn recipes_are_pinned_to_their_revision() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let quantized = Cue::ALL
            .into_iter()
            .flat_map(|c| cue(c, 22_050).iter())
            .chain(
                BedSound::ALL
                    .into_iter()
                    .flat_map(|b| bed(b, 22_050).iter()),
            )
            .map(|&x| (x.clamp(-1.0, 1.0) * 32767.0).round() as i16);
        for q in quantized {
            h = (h ^ u64::from(q as u16)).wrapping_mul(0x0100_0000_01b3);
        }
        let pinned: [(u32, u64); 3] = [(1, PINNED_R1), (2, PINNED_R2), (3, PINNED_R3)];
        let want = pinned.iter().find(|(r, _)| *r == REVISION).map(|p| p.1);
        assert_eq!(
            Some(h),
            want,
            "the sounds changed: bump synth::REVISION and pin {h:#x} for it here"
        );
    }

    const PINNED_R1: u64 = 0x97bf_7cb8_1682_42d5;
    /// Revision 2 added the prompt cue, `notice`.
    const PINNED_R2: u64 = 0xe200_9c7f_00f4_3b27;
    /// Revision 3 added the out-breath tone, `soft-tone-low`.
    const PINNED_R3: u64 = 0xc3c0_e4a4_62d4_0442;

    /// The mixer lays a sound out by these lengths while it renders.
    #[test]
    fn lengths_are_known_before_rendering() {
        for rate in RATES {
            for c in Cue::ALL {
                assert_eq!(cue(c, rate).len(), c.frames(rate), "{}", c.name());
            }
            for b in BedSound::ALL {
                assert_eq!(bed(b, rate).len(), 2 * b.loop_frames(rate), "{}", b.name());
            }
        }
    }

    fn channel(x: &[f32], ch: usize) -> Vec<f32> {
        x.iter().skip(ch).step_by(2).copied().collect()
    }

    fn peak(x: &[f32]) -> f32 {
        x.iter().fold(0.0, |m, s| m.max(s.abs()))
    }

    fn mean(x: &[f32]) -> f64 {
        x.iter().map(|&s| f64::from(s)).sum::<f64>() / x.len() as f64
    }

    fn rms_db(x: &[f32]) -> f64 {
        let ms = x.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / x.len() as f64;
        10.0 * ms.log10()
    }

    fn max_step(x: &[f32]) -> f32 {
        x.windows(2).fold(0.0, |m, w| m.max((w[1] - w[0]).abs()))
    }

    fn mean_step(x: &[f32]) -> f64 {
        x.windows(2)
            .map(|w| f64::from((w[1] - w[0]).abs()))
            .sum::<f64>()
            / (x.len() - 1) as f64
    }

    fn ms(rate: u32, millis: u32) -> usize {
        (rate * millis / 1_000) as usize
    }

    #[test]
    fn names_round_trip() {
        let names: Vec<_> = Cue::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(
            names,
            [
                "bowl",
                "bell",
                "chime",
                "gong",
                "woodblock",
                "soft-tone",
                "soft-tone-low",
                "notice"
            ]
        );
        let names: Vec<_> = BedSound::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, ["brown-noise", "pink-noise", "rain", "ocean"]);
        for c in Cue::ALL {
            assert_eq!(Cue::from_name(c.name()), Some(c));
        }
        for b in BedSound::ALL {
            assert_eq!(BedSound::from_name(b.name()), Some(b));
        }
        assert_eq!(Cue::from_name("Bowl"), None);
        assert_eq!(BedSound::from_name("rain "), None);
    }

    /// Heard, not named: the out-breath tone really is a fourth below the
    /// in-breath tone, counted from the rendered samples' zero crossings.
    #[test]
    fn the_out_breath_tone_is_a_fourth_lower() {
        let crossings = |c: Cue| {
            let x = cue(c, 22_050);
            x.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count() as f64
        };
        let ratio = crossings(Cue::SoftTone) / crossings(Cue::SoftToneLow);
        assert!((ratio - 4.0 / 3.0).abs() < 0.02, "ratio {ratio}");
    }

    #[test]
    fn cue_lengths_are_exact() {
        assert_eq!(Cue::SoftTone.length(), Duration::from_millis(1_500));
        for c in Cue::ALL {
            for rate in RATES {
                let want = (c.length().as_secs_f64() * f64::from(rate)).round() as usize;
                assert_eq!(cue(c, rate).len(), want, "{c:?} at {rate}");
            }
        }
        assert_eq!(Cue::SoftTone.render(22_050).len(), 33_075);
    }

    #[test]
    fn cue_levels_peak_at_minus_one_dbfs_without_dc() {
        for c in Cue::ALL {
            for rate in RATES {
                let x = cue(c, rate);
                let p = peak(x);
                assert!(p <= MAX_PEAK && p > 0.5, "{c:?} at {rate}: peak {p}");
                let m = mean(x);
                assert!(m.abs() < 1e-3, "{c:?} at {rate}: mean {m}");
            }
        }
    }

    #[test]
    fn cues_start_and_end_at_zero_without_clicks() {
        for c in Cue::ALL {
            for rate in RATES {
                let x = cue(c, rate);
                assert_eq!(x[0], 0.0, "{c:?} at {rate}");
                assert_eq!(x[x.len() - 1], 0.0, "{c:?} at {rate}");
                // The onset is a ramp from silence: its first half
                // millisecond moves far less than the sound itself does.
                let body = max_step(x);
                let head = max_step(&x[..ms(rate, 2)]);
                let first = max_step(&x[..=ms(rate, 1) / 2]);
                assert!(head <= body, "{c:?} at {rate}");
                assert!(
                    first < 0.25 * body,
                    "{c:?} at {rate}: onset step {first} vs {body}"
                );
                // The ending has died away to nothing.
                let tail = max_step(&x[x.len() - ms(rate, 5)..]);
                assert!(tail < 1e-3, "{c:?} at {rate}: ending step {tail}");
            }
        }
    }

    #[test]
    fn bed_lengths_are_exact_and_stereo() {
        for b in BedSound::ALL {
            let secs = b.loop_length().as_secs_f64();
            assert!((8.0..=12.0).contains(&secs), "{b:?}: {secs} s");
            for rate in RATES {
                let want = (secs * f64::from(rate)).round() as usize;
                assert_eq!(bed(b, rate).len(), 2 * want, "{b:?} at {rate}");
            }
        }
    }

    #[test]
    fn bed_levels_sit_near_minus_twenty_dbfs() {
        for b in BedSound::ALL {
            for rate in RATES {
                let x = bed(b, rate);
                let p = peak(x);
                // Noise has a crest factor of about 14 dB, so at -20 dBFS
                // RMS its peaks are near -6 dBFS, not at -1.
                assert!(p <= MAX_PEAK && p > 0.3, "{b:?} at {rate}: peak {p}");
                let r = rms_db(x);
                assert!(
                    (-23.0..=-17.0).contains(&r),
                    "{b:?} at {rate}: {r} dBFS RMS"
                );
                for ch in 0..2 {
                    let m = mean(&channel(x, ch));
                    assert!(m.abs() < 1e-3, "{b:?} at {rate} ch {ch}: mean {m}");
                }
            }
        }
    }

    #[test]
    fn beds_loop_seamlessly() {
        for b in BedSound::ALL {
            for rate in RATES {
                let x = bed(b, rate);
                for ch in 0..2 {
                    let c = channel(x, ch);
                    let n = c.len();
                    let wrap = f64::from((c[0] - c[n - 1]).abs());
                    let typical = mean_step(&c);
                    assert!(
                        wrap <= 4.0 * typical,
                        "{b:?} at {rate} ch {ch}: wrap {wrap} vs {typical}"
                    );
                    // No level jump: the half seconds either side of the
                    // wrap match within 1.5 dB or, where half a second of
                    // noise wanders by that much on its own (brown noise's
                    // energy is in few, slow cycles), the jump at the wrap
                    // is no outlier among those inside the loop.
                    let half = ms(rate, 500);
                    let (head, tail) = (rms_db(&c[..half]), rms_db(&c[n - half..]));
                    let levels: Vec<f64> = c.chunks_exact(half).map(rms_db).collect();
                    let jumps: Vec<f64> = levels.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
                    let m = jumps.iter().sum::<f64>() / jumps.len() as f64;
                    let sd = (jumps.iter().map(|j| (j - m).powi(2)).sum::<f64>()
                        / jumps.len() as f64)
                        .sqrt();
                    let seam = (head - tail).abs();
                    assert!(
                        seam < 1.5 || seam <= m + 3.0 * sd,
                        "{b:?} at {rate} ch {ch}: {head} vs {tail} dB (inside: {m} ± {sd})"
                    );
                }
            }
        }
    }

    #[test]
    fn bed_sides_differ() {
        for b in BedSound::ALL {
            let x = bed(b, 48_000);
            let (l, r) = (channel(x, 0), channel(x, 1));
            let dot = |a: &[f32], b: &[f32]| {
                a.iter()
                    .zip(b)
                    .map(|(&x, &y)| f64::from(x) * f64::from(y))
                    .sum::<f64>()
            };
            let corr = dot(&l, &r) / (dot(&l, &l) * dot(&r, &r)).sqrt();
            assert!(corr.abs() < 0.7, "{b:?}: L/R correlation {corr}");
        }
    }

    #[test]
    fn renders_are_deterministic() {
        for c in Cue::ALL {
            assert_eq!(c.render(22_050), cue(c, 22_050), "{c:?}");
        }
        for b in BedSound::ALL {
            assert_eq!(b.render_loop(22_050), bed(b, 22_050), "{b:?}");
        }
    }

    #[test]
    fn odd_rates_do_not_panic() {
        // Long renders are slow in a debug build, so the highest rates get
        // the short cues only: the code is the same for all of them.
        let short = [Cue::Chime, Cue::Woodblock, Cue::SoftTone];
        for rate in [8_000, 11_025, 44_100, 96_000, 192_000] {
            let cues = if rate > 48_000 {
                &short[..]
            } else {
                &Cue::ALL[..]
            };
            for &c in cues {
                let x = c.render(rate);
                assert_eq!(
                    x.len(),
                    (c.length().as_secs_f64() * f64::from(rate)).round() as usize
                );
                assert!(x.iter().all(|s| s.is_finite()));
                assert!(peak(&x) <= MAX_PEAK && peak(&x) > 0.5, "{c:?} at {rate}");
            }
        }
        for rate in [8_000, 192_000] {
            for b in BedSound::ALL {
                let x = b.render_loop(rate);
                assert!(x.iter().all(|s| s.is_finite()));
                assert!(peak(&x) <= MAX_PEAK && peak(&x) > 0.3, "{b:?} at {rate}");
            }
        }
    }

    /// Share of the energy of `x` at or above `from` hertz, from a
    /// Hann-windowed DFT of its first `len` samples.
    fn energy_above(x: &[f32], rate: u32, from: f64, len: usize) -> f64 {
        let x = &x[..len.min(x.len())];
        let n = x.len();
        let windowed: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                f64::from(s) * (0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n as f64).cos())
            })
            .collect();
        let (mut above, mut total) = (0.0, 0.0);
        for k in 1..n / 2 {
            let w = std::f64::consts::TAU * k as f64 / n as f64;
            let (re, im) = windowed
                .iter()
                .enumerate()
                .fold((0.0, 0.0), |(re, im), (i, &s)| {
                    let a = w * i as f64;
                    (re + s * a.cos(), im - s * a.sin())
                });
            let power = re * re + im * im;
            total += power;
            if k as f64 * f64::from(rate) / n as f64 >= from {
                above += power;
            }
        }
        above / total
    }

    #[test]
    fn nothing_is_put_near_nyquist_at_low_rates() {
        // At 8 kHz most partials of the gong, bell and chime lie above
        // 3.6 kHz; they must be left out, not folded back.
        for c in Cue::ALL {
            let x = c.render(8_000);
            let share = energy_above(&x, 8_000, 3_600.0, 2_048);
            // Correctly filtered, the share is 1e-8 or less; letting
            // partials up to 0.6 of the rate through gives 1e-4.
            assert!(share < 1e-6, "{c:?}: {share}");
        }
    }

    #[test]
    fn rate_zero_gives_silence() {
        for c in Cue::ALL {
            assert!(c.render(0).is_empty());
        }
        for b in BedSound::ALL {
            assert!(b.render_loop(0).is_empty());
        }
    }

    #[test]
    fn export_set_is_small_and_complete() {
        let set = export_set();
        let names: Vec<_> = set.iter().map(|s| s.file_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "bowl.wav",
                "bell.wav",
                "chime.wav",
                "gong.wav",
                "woodblock.wav",
                "soft-tone.wav",
                "soft-tone-low.wav",
                "notice.wav",
                "brown-noise.wav",
                "pink-noise.wav",
                "rain.wav",
                "ocean.wav"
            ]
        );
        let mut bytes = 0;
        for s in &set {
            let bed = s.file_name.contains("noise")
                || s.file_name == "rain.wav"
                || s.file_name == "ocean.wav";
            let rate = if bed { BED_EXPORT_RATE } else { EXPORT_RATE };
            assert_eq!(s.sample_rate, rate, "{}", s.file_name);
            assert_eq!(s.channels, 1, "{}", s.file_name);
            bytes += s.samples.len() * 2;
        }
        // The committed `audio/` folder stays small.
        assert!(bytes < 3_200_000, "{bytes} bytes");
        assert_eq!(set, export_set());
    }

    /// Not a check: writes every sound to a temporary folder to listen to and
    /// look at, and prints render times and levels.
    /// `cargo test --release --lib synth::tests::listen -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn listen() {
        let dir = std::env::temp_dir().join("kindly-synth");
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, channels: u16, rate: u32, x: &[f32]| {
            let spec = hound::WavSpec {
                channels,
                sample_rate: rate,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            let mut w = hound::WavWriter::create(dir.join(name), spec).unwrap();
            for &s in x {
                w.write_sample((s * 32_767.0).round() as i16).unwrap();
            }
            w.finalize().unwrap();
        };
        let rate = 48_000;
        // The fastest of a few runs, to see past a busy machine.
        let time = |f: &dyn Fn() -> Vec<f32>| {
            let mut best = std::time::Duration::MAX;
            let mut x = Vec::new();
            for _ in 0..5 {
                let t = std::time::Instant::now();
                x = f();
                best = best.min(t.elapsed());
            }
            (x, best)
        };
        for c in Cue::ALL {
            let (x, took) = time(&|| c.render(rate));
            println!(
                "{:<12} {:>7.1} ms  peak {:.4}  rms(1st s) {:6.1} dB",
                c.name(),
                took.as_secs_f64() * 1e3,
                peak(&x),
                rms_db(&x[..(rate as usize).min(x.len())])
            );
            write(&format!("{}.wav", c.name()), 1, rate, &x);
        }
        for b in BedSound::ALL {
            let (x, took) = time(&|| b.render_loop(rate));
            println!(
                "{:<12} {:>7.1} ms  peak {:.4}  rms {:6.1} dB",
                b.name(),
                took.as_secs_f64() * 1e3,
                peak(&x),
                rms_db(&x)
            );
            write(&format!("{}.wav", b.name()), 2, rate, &x);
            // Three times round, to hear the seams.
            write(&format!("{}-x3.wav", b.name()), 2, rate, &x.repeat(3));
        }
        // The lowest rate, to check nothing folds back.
        for c in Cue::ALL {
            write(&format!("{}-8k.wav", c.name()), 1, 8_000, &c.render(8_000));
        }
        let mut total = 0;
        for s in export_set() {
            let bytes = 44 + 2 * s.samples.len();
            total += bytes;
            println!("export {:<16} {:>8} bytes", s.file_name, bytes);
            write(
                &format!("export-{}", s.file_name),
                s.channels,
                s.sample_rate,
                &s.samples,
            );
        }
        println!("export total {total} bytes");
    }
}
