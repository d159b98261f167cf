//! Calm speech, the same for every engine: sentences, pauses, one loudness.
//!
//! Pure: text in, sentences out; samples in, one finished clip out. The
//! engines differ in level by up to 9 dB, in rate (8 to 48 kHz), and in
//! how they honour pauses, so kindly does these itself:
//! - each text is split into sentences, each synthesized on its own, and
//!   joined with a pause of kindly's choosing ([`Shape::pause`]);
//! - each sentence is trimmed of the engine's own leading and trailing
//!   silence and resampled to [`RATE`] (windowed sinc);
//! - the whole clip is normalized to [`TARGET_LUFS`] integrated loudness
//!   (ITU-R BS.1770: K-weighting and gating, the measure ffmpeg's
//!   `ebur128` and broadcast meters use), its peaks held below -1 dBFS,
//!   with short fades at both ends so nothing clicks.

use std::time::Duration;

/// The rate every clip is stored at: the K-weighting filters below are
/// defined at 48 kHz, and it is kindly's render rate.
pub(crate) const RATE: u32 = 48_000;

/// Integrated loudness of every clip. Speech at -20 LUFS sits clearly over
/// the beds, which duck 10 dB beneath it.
pub(crate) const TARGET_LUFS: f64 = -20.0;

/// The highest sample after normalizing: -1 dBFS, like the mixer's limiter.
const PEAK: f32 = 0.891;

/// Below this (relative to the loudest 10 ms) a sentence's edge is silence.
const TRIM_DB: f32 = -45.0;

/// Fades at each sentence's edges.
const FADE: Duration = Duration::from_millis(12);

/// Kept before the first word and after the last of a clip, so a voice
/// never starts on the very first sample.
const LEAD: Duration = Duration::from_millis(60);

/// The longest a sentence may be, in characters, before it is cut at a
/// comma or a space: engines slur or stall on very long input.
const MAX_SENTENCE: usize = 400;

/// Settings that change the sound of a clip (and so its cache key).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shape {
    /// Silence between sentences.
    pub pause: Duration,
}

impl Shape {
    pub(crate) const DEFAULT_PAUSE: Duration = Duration::from_millis(800);
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            pause: Shape::DEFAULT_PAUSE,
        }
    }
}

/// Split `text` into sentences: after `.`, `!`, `?` or `…` (with any closing
/// quotes or brackets) followed by white space, and at blank lines. Each is
/// trimmed; none is empty. A sentence longer than [`MAX_SENTENCE`] is cut
/// at its last comma or space before that.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        current.push(c);
        let mut end = matches!(c, '.' | '!' | '?' | '…');
        if end {
            // Swallow a run of terminators and closing marks: `...`, `?!`, `."`.
            while let Some(&n) = chars.get(i + 1) {
                if matches!(
                    n,
                    '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | ']'
                ) {
                    current.push(n);
                    i += 1;
                } else {
                    break;
                }
            }
            end = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        }
        let blank_line = c == '\n'
            && chars[i + 1..]
                .iter()
                .take_while(|c| c.is_whitespace())
                .any(|&c| c == '\n');
        if end || blank_line {
            push_sentence(&mut out, &current);
            current.clear();
        }
        i += 1;
    }
    push_sentence(&mut out, &current);
    out
}

fn push_sentence(out: &mut Vec<String>, s: &str) {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut rest = s.as_str();
    while rest.chars().count() > MAX_SENTENCE {
        let limit = rest
            .char_indices()
            .nth(MAX_SENTENCE)
            .map_or(rest.len(), |(b, _)| b);
        let head = &rest[..limit];
        let cut = head
            .rfind(", ")
            .map(|b| b + 1)
            .or_else(|| head.rfind(' '))
            .unwrap_or(limit);
        out.push(rest[..cut].trim().to_owned());
        rest = rest[cut..].trim_start();
    }
    if rest.chars().any(char::is_alphanumeric) {
        out.push(rest.to_owned());
    }
}

/// Words in `text`, as a person counts them: for measuring pace.
pub(crate) fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// About how long `text` takes to say at the calm pace, before it is
/// synthesized: a stand-in length for a step whose words are on their way.
pub(crate) fn estimate(text: &str, shape: Shape) -> Duration {
    let parts = sentences(text);
    let words: usize = parts.iter().map(|p| words(p)).sum();
    let speech = words as f64 * 60.0 / super::engine::CALM_WPM;
    let pauses = parts.len().saturating_sub(1) as f64 * shape.pause.as_secs_f64();
    Duration::from_secs_f64(speech + pauses + 2.0 * LEAD.as_secs_f64())
}

/// Mono samples at a rate, as decoded from an engine's WAV.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mono {
    pub rate: u32,
    pub samples: Vec<f32>,
}

/// Join synthesized sentences into one finished clip at [`RATE`].
/// Sentences with no sound in them are left out; `None` when none has any.
pub(crate) fn finish(sentences: &[Mono], shape: Shape) -> Option<Vec<f32>> {
    let pause = frames(shape.pause);
    let lead = frames(LEAD);
    let mut out = vec![0.0; lead];
    let mut any = false;
    for s in sentences {
        let resampled = resample(&s.samples, s.rate, RATE);
        let Some(trimmed) = trim(&resampled) else {
            continue;
        };
        if any {
            out.resize(out.len() + pause, 0.0);
        }
        let start = out.len();
        out.extend_from_slice(trimmed);
        fade_edges(&mut out[start..], frames(FADE));
        any = true;
    }
    if !any {
        return None;
    }
    out.resize(out.len() + lead, 0.0);
    normalize(&mut out);
    Some(out)
}

fn frames(d: Duration) -> usize {
    (d.as_secs_f64() * f64::from(RATE)).round() as usize
}

/// The part of `s` between its first and last sound, in 10 ms windows
/// measured against the loudest; `None` for silence.
fn trim(s: &[f32]) -> Option<&[f32]> {
    let peak = s.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if peak < 1e-4 {
        return None;
    }
    let threshold = peak * 10f32.powf(TRIM_DB / 20.0);
    let first = s.iter().position(|x| x.abs() > threshold)?;
    let last = s.iter().rposition(|x| x.abs() > threshold)?;
    // Keep a little either side: consonants start and end softly.
    let margin = RATE as usize / 50;
    Some(&s[first.saturating_sub(margin)..(last + margin).min(s.len())])
}

fn fade_edges(s: &mut [f32], n: usize) {
    let n = n.min(s.len() / 2);
    let len = s.len();
    for i in 0..n {
        let g = i as f32 / n as f32;
        s[i] *= g;
        s[len - 1 - i] *= g;
    }
}

/// Resample with a Blackman-windowed sinc, 16 zero crossings a side, its
/// cutoff below the lower Nyquist frequency. Plenty for speech.
pub(crate) fn resample(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || from == 0 || input.is_empty() {
        return input.to_vec();
    }
    const ZEROS: f64 = 16.0;
    let ratio = f64::from(to) / f64::from(from);
    // Cutoff as a fraction of the input's Nyquist frequency.
    let cutoff = ratio.min(1.0) * 0.95;
    let half = (ZEROS / cutoff).ceil() as i64;
    let out_len = (input.len() as f64 * ratio).round() as usize;
    // The kernel, tabulated at STEPS points per input sample, so the loop
    // below is one interpolated look-up a tap rather than three calls to
    // trigonometry.
    const STEPS: usize = 256;
    let table: Vec<f64> = (0..=(half as usize * STEPS + 1))
        .map(|i| {
            let x = i as f64 / STEPS as f64;
            let w = x / (half as f64);
            if w >= 1.0 {
                return 0.0;
            }
            let window = 0.42
                + 0.5 * (std::f64::consts::PI * w).cos()
                + 0.08 * (2.0 * std::f64::consts::PI * w).cos();
            let arg = std::f64::consts::PI * x * cutoff;
            let sinc = if arg.abs() < 1e-12 {
                1.0
            } else {
                arg.sin() / arg
            };
            sinc * cutoff * window
        })
        .collect();
    let kernel = |x: f64| -> f64 {
        let p = x.abs() * STEPS as f64;
        let i = p as usize;
        match (table.get(i), table.get(i + 1)) {
            (Some(a), Some(b)) => a + (b - a) * (p - i as f64),
            _ => 0.0,
        }
    };
    let mut out = Vec::with_capacity(out_len);
    for n in 0..out_len {
        let t = n as f64 / ratio;
        let centre = t.floor() as i64;
        let lo = (centre - half + 1).max(0);
        let hi = (centre + half).min(input.len() as i64 - 1);
        let mut acc = 0.0f64;
        for k in lo..=hi {
            acc += f64::from(input[k as usize]) * kernel(t - k as f64);
        }
        out.push(acc as f32);
    }
    out
}

/// Integrated loudness of mono samples at [`RATE`], in LUFS (BS.1770-4):
/// K-weighted, 400 ms blocks overlapping by 75 %, gated at -70 LUFS and
/// then 10 LU below the ungated mean. `None` for silence.
pub(crate) fn loudness(s: &[f32]) -> Option<f64> {
    let weighted = k_weight(s);
    let block = RATE as usize * 4 / 10;
    let hop = block / 4;
    let mut powers = Vec::new();
    if weighted.len() < block {
        let p = mean_square(&weighted);
        powers.push(p);
    } else {
        let mut at = 0;
        while at + block <= weighted.len() {
            powers.push(mean_square(&weighted[at..at + block]));
            at += hop;
        }
    }
    let lufs = |p: f64| -0.691 + 10.0 * p.log10();
    let absolute: Vec<f64> = powers
        .into_iter()
        .filter(|&p| p > 0.0 && lufs(p) > -70.0)
        .collect();
    if absolute.is_empty() {
        return None;
    }
    let ungated = absolute.iter().sum::<f64>() / absolute.len() as f64;
    let gate = lufs(ungated) - 10.0;
    let kept: Vec<f64> = absolute.into_iter().filter(|&p| lufs(p) > gate).collect();
    Some(lufs(kept.iter().sum::<f64>() / kept.len() as f64))
}

fn mean_square(s: &[f32]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    s.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>() / s.len() as f64
}

/// BS.1770's two-stage K filter at 48 kHz: a high shelf for the head, then
/// a high-pass (the "RLB" curve).
fn k_weight(s: &[f32]) -> Vec<f32> {
    let shelf = Biquad {
        b: [
            1.535_124_859_586_97,
            -2.691_696_189_406_38,
            1.198_392_810_852_85,
        ],
        a: [-1.690_659_293_182_41, 0.732_480_774_215_85],
    };
    let highpass = Biquad {
        b: [1.0, -2.0, 1.0],
        a: [-1.990_047_454_833_98, 0.990_072_250_366_21],
    };
    highpass.run(&shelf.run(s))
}

struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
}

impl Biquad {
    fn run(&self, s: &[f32]) -> Vec<f32> {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
        s.iter()
            .map(|&x| {
                let x = f64::from(x);
                let y = self.b[0] * x + self.b[1] * x1 + self.b[2] * x2
                    - self.a[0] * y1
                    - self.a[1] * y2;
                x2 = x1;
                x1 = x;
                y2 = y1;
                y1 = y;
                y as f32
            })
            .collect()
    }
}

/// Bring `s` to [`TARGET_LUFS`], then hold its peaks under [`PEAK`] with a
/// soft knee, so loud consonants are rounded rather than clipped.
fn normalize(s: &mut [f32]) {
    let Some(lufs) = loudness(s) else {
        return;
    };
    let gain = 10f64.powf((TARGET_LUFS - lufs) / 20.0) as f32;
    let knee = PEAK * 0.7;
    for x in s.iter_mut() {
        let v = *x * gain;
        let a = v.abs();
        *x = if a <= knee {
            v
        } else {
            // Above the knee, approach PEAK smoothly and never pass it.
            let over = (a - knee) / (PEAK - knee);
            (knee + (PEAK - knee) * over.tanh()).copysign(v)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(rate: u32, hz: f32, secs: f32, amp: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .map(|i| amp * (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn sentences_split_where_a_reader_pauses() {
        assert_eq!(
            sentences("Breathe in. Breathe out!  Is it so?\"Yes.\" And rest..."),
            vec![
                "Breathe in.",
                "Breathe out!",
                "Is it so?\"Yes.\"",
                "And rest..."
            ]
        );
        assert_eq!(
            sentences("Dear me,\n\nfirst line\nsame sentence. 3.5 seconds"),
            vec!["Dear me,", "first line same sentence.", "3.5 seconds"]
        );
        assert_eq!(sentences("  ...  "), Vec::<String>::new());
        assert_eq!(sentences(""), Vec::<String>::new());
        let long = "word ".repeat(300);
        let parts = sentences(&long);
        assert!(parts.len() >= 3);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_SENTENCE));
        assert_eq!(parts.iter().map(|p| words(p)).sum::<usize>(), 300);
    }

    #[test]
    fn loudness_matches_the_standard() {
        // BS.1770's reference: a 997 Hz sine at -20 dBFS... reads -20 LUFS
        // on one channel to within a tenth (the K filter is ~0 dB there,
        // +0.7 dB shelf, less the -0.691 constant).
        let s = tone(RATE, 997.0, 5.0, 0.1 * std::f32::consts::SQRT_2);
        let l = loudness(&s).unwrap();
        assert!((l - -20.0).abs() < 0.2, "{l}");
        assert_eq!(loudness(&vec![0.0; 48_000]), None);
    }

    #[test]
    fn clips_come_out_at_one_loudness_whatever_went_in() {
        let quiet = Mono {
            rate: 16_000,
            samples: tone(16_000, 300.0, 2.0, 0.02),
        };
        let loud = Mono {
            rate: 22_050,
            samples: tone(22_050, 300.0, 2.0, 0.9),
        };
        for m in [quiet, loud] {
            let clip = finish(&[m], Shape::default()).unwrap();
            let l = loudness(&clip).unwrap();
            assert!((l - TARGET_LUFS).abs() < 0.5, "{l}");
            assert!(clip.iter().all(|x| x.abs() <= PEAK));
        }
    }

    #[test]
    fn sentences_are_trimmed_and_joined_with_the_pause() {
        let mut samples = vec![0.0; 8_000];
        samples.extend(tone(16_000, 200.0, 1.0, 0.3));
        samples.extend(vec![0.0; 8_000]);
        let m = Mono {
            rate: 16_000,
            samples,
        };
        let shape = Shape {
            pause: Duration::from_millis(500),
        };
        let one = finish(std::slice::from_ref(&m), shape).unwrap();
        let two = finish(&[m.clone(), m], shape).unwrap();
        // The 0.5 s of silence either side is gone; one more sentence adds
        // its own length and the pause.
        let secs = |v: &Vec<f32>| v.len() as f64 / f64::from(RATE);
        assert!(
            (secs(&one) - (1.0 + 0.04 + 0.12)).abs() < 0.02,
            "{}",
            secs(&one)
        );
        assert!((secs(&two) - secs(&one) - (1.04 + 0.5)).abs() < 0.02);
        // Silent in the middle of the pause, sound either side.
        let mid = (secs(&one) - 0.06 + 0.25) as f64;
        let at = (mid * f64::from(RATE)) as usize;
        assert!(two[at - 100..at + 100].iter().all(|x| x.abs() < 1e-6));
        // No click at either end.
        assert_eq!(one[0], 0.0);
        assert_eq!(*one.last().unwrap(), 0.0);
        assert_eq!(
            finish(
                &[Mono {
                    rate: 8_000,
                    samples: vec![0.0; 800]
                }],
                shape
            ),
            None
        );
    }

    #[test]
    fn resampling_keeps_a_tone_and_its_length() {
        let s = tone(16_000, 440.0, 1.0, 0.5);
        let r = resample(&s, 16_000, RATE);
        assert_eq!(r.len(), 48_000);
        // Same level in the middle, so the filter passes 440 Hz whole.
        let rms = |v: &[f32]| (v.iter().map(|x| x * x).sum::<f32>() / v.len() as f32).sqrt();
        assert!((rms(&r[4_800..43_200]) / rms(&s[1_600..14_400]) - 1.0).abs() < 0.01);
        assert_eq!(resample(&s, RATE, RATE), s);
    }
}
