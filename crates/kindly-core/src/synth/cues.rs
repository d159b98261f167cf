//! Recipes for the struck cues: which partials, how loud, how long they ring.

use super::modal::{Partial, Strike, StruckSound};
use super::Cue;
use std::time::Duration;

/// Build a doublet set from `(ratio, amp, t60, beat, balance)` rows.
fn doublets(f0: f64, rows: &[(f64, f64, f64, f64, f64)]) -> Vec<Partial> {
    rows.iter()
        .flat_map(|&(ratio, amp, t60, beat, balance)| {
            Partial::new(f0 * ratio, amp, t60).doublet(beat, balance)
        })
        .collect()
}

pub(crate) fn length(cue: Cue) -> Duration {
    Duration::from_millis(match cue {
        Cue::Bowl => 12_000,
        Cue::Bell => 6_000,
        Cue::Chime => 4_000,
        Cue::Gong => 12_000,
        Cue::Woodblock => 500,
        Cue::SoftTone | Cue::SoftToneLow => 1_500,
        Cue::Notice => 1_400,
    })
}

pub(crate) fn sound(cue: Cue) -> StruckSound {
    let base = StruckSound {
        length: length(cue),
        attack: 0.004,
        fade: 0.5,
        partials: Vec::new(),
        strikes: Vec::new(),
        seed: 0,
        peak: super::dsp::PEAK,
    };
    match cue {
        Cue::Bowl => bowl(base),
        Cue::Bell => bell(base),
        Cue::Chime => chime(base),
        Cue::Gong => gong(base),
        Cue::Woodblock => woodblock(base),
        Cue::SoftTone => soft_tone(base, SOFT_TONE),
        Cue::SoftToneLow => soft_tone(base, SOFT_TONE_LOW),
        Cue::Notice => notice_note(base, NOTICE_LOW),
    }
}

const NOTICE_LOW: f64 = 659.3;
/// A fourth above: an open, unhurried interval, like a doorbell heard
/// from another room.
const NOTICE_HIGH: f64 = NOTICE_LOW * 4.0 / 3.0;
/// The second note follows the first by this much.
const NOTICE_GAP: f64 = 0.17;

/// The prompt cue: two soft, rising notes, so that a person with closed
/// eyes knows there are new words to read. Nothing else kindly makes has
/// two rising notes, so it is never mistaken for a bell or a breath.
pub(crate) fn notice(rate: u32) -> Vec<f32> {
    let base = sound(Cue::Notice);
    let mut buf = base.render(rate);
    let high = notice_note(base, NOTICE_HIGH).render(rate);
    let gap = (NOTICE_GAP * f64::from(rate)).round() as usize;
    for (i, x) in high.into_iter().enumerate() {
        if let Some(b) = buf.get_mut(i + gap) {
            *b += x * 0.85;
        }
    }
    // The tail of the high note is cut by the buffer's end: fade it there.
    let fade = (0.3 * f64::from(rate)).round() as usize;
    super::dsp::fade_out(&mut buf, fade);
    // As soft as the soft tone: a whisper beside the bells.
    super::dsp::normalize_peak(&mut buf, 0.56);
    buf
}

/// One note of the prompt cue: a rounded sine with a faint octave, a soft
/// 15 ms onset and a short ring.
fn notice_note(v: StruckSound, f0: f64) -> StruckSound {
    StruckSound {
        attack: 0.015,
        fade: 0.4,
        partials: vec![
            Partial::new(f0, 1.0, 1.1),
            Partial::new(f0 * 2.0, 0.10, 0.5),
            Partial::new(f0 * 3.0, 0.02, 0.3),
        ],
        strikes: Vec::new(),
        seed: 0,
        peak: 0.5,
        ..v
    }
}

/// A Tibetan singing bowl struck with a felt mallet. Mode ratios after
/// measurements of hand-hammered bowls (1, 2.71, 5.15, 8.43, 12.3...); every
/// mode is a doublet, and the split widens with the mode, which is what makes
/// a bowl "sing" with slow wah-wah beats.
fn bowl(v: StruckSound) -> StruckSound {
    StruckSound {
        attack: 0.005,
        fade: 1.5,
        partials: doublets(
            220.0,
            &[
                (1.0, 1.0, 18.0, 0.8, 0.8),
                (2.71, 0.6, 13.0, 1.7, 0.7),
                (5.15, 0.32, 8.0, 2.4, 0.6),
                (8.43, 0.15, 3.5, 2.9, 0.6),
                (12.3, 0.07, 2.0, 3.0, 0.5),
                (16.9, 0.03, 1.2, 3.0, 0.5),
            ],
        ),
        strikes: vec![Strike {
            center: 700.0,
            q: 1.2,
            amp: 0.15,
            t60: 0.03,
        }],
        seed: 0xB0_71,
        ..v
    }
}

/// A hand bell: the church-bell family of partials (hum an octave below the
/// prime, a minor-third tierce, quint, nominal an octave above) whose lowest
/// modes ring longest, struck by a metal clapper.
fn bell(v: StruckSound) -> StruckSound {
    let f0 = 440.0;
    let mut partials = doublets(
        f0,
        &[
            (0.5, 0.35, 8.0, 0.4, 0.7),
            (1.183, 0.55, 5.0, 0.7, 0.5),
            (2.0, 0.7, 4.0, 1.1, 0.4),
        ],
    );
    partials.extend(
        [
            (1.0, 0.45, 6.0),
            (1.506, 0.18, 3.5),
            (2.51, 0.3, 2.5),
            (2.66, 0.22, 2.2),
            (3.01, 0.25, 1.8),
            (4.03, 0.12, 1.2),
            (5.0, 0.06, 0.8),
            (6.1, 0.03, 0.5),
        ]
        .map(|(ratio, amp, t60)| Partial::new(f0 * ratio, amp, t60)),
    );
    StruckSound {
        attack: 0.002,
        fade: 0.8,
        partials,
        strikes: vec![Strike {
            center: 3_000.0,
            q: 0.8,
            amp: 0.12,
            t60: 0.015,
        }],
        seed: 0xBE_11,
        ..v
    }
}

/// A wind chime: an aluminium tube's free-free bending modes
/// (1, 2.76, 5.40, 8.93), tapped by a wooden striker.
fn chime(v: StruckSound) -> StruckSound {
    StruckSound {
        attack: 0.002,
        fade: 0.6,
        partials: doublets(
            1_046.5,
            &[
                (1.0, 1.0, 5.0, 0.3, 0.3),
                (2.756, 0.45, 2.2, 0.5, 0.3),
                (5.404, 0.2, 1.0, 0.8, 0.3),
                (8.933, 0.08, 0.45, 1.0, 0.3),
            ],
        ),
        strikes: vec![Strike {
            center: 4_000.0,
            q: 1.0,
            amp: 0.08,
            t60: 0.006,
        }],
        seed: 0xC4_13,
        ..v
    }
}

/// A large meditation gong: a few strong low modes for the "bong", then a
/// dense cloud of inharmonic modes that bloom in over the first second as
/// the struck modes feed them, and shimmer away more slowly than they came.
fn gong(v: StruckSound) -> StruckSound {
    let f0 = 98.0;
    let mut partials = doublets(
        f0,
        &[
            (1.0, 1.0, 14.0, 0.4, 0.8),
            (1.52, 0.55, 12.0, 0.6, 0.7),
            (2.17, 0.45, 10.0, 0.9, 0.7),
            (2.88, 0.35, 9.0, 0.7, 0.6),
        ],
    );
    // The cloud: fixed-seed jitter keeps the ratios inharmonic and every
    // render identical.
    let mut rng = super::rng::Rng::new(0x60_46);
    for k in 0..64 {
        let ratio = 3.3 + 0.35 * f64::from(k).powf(1.3) * (1.0 + 0.08 * rng.bipolar());
        let amp = 1.2 * ratio.powf(-0.6) * rng.range(0.5, 1.0);
        let t60 = (14.0 * ratio.powf(-0.35)).max(1.5);
        let bloom = 0.3 + 0.3 * ratio.ln();
        partials.push(Partial {
            bloom,
            ..Partial::new(f0 * ratio, amp, t60)
        });
    }
    StruckSound {
        attack: 0.012,
        fade: 2.0,
        partials,
        strikes: vec![Strike {
            center: 150.0,
            q: 0.7,
            amp: 0.3,
            t60: 0.08,
        }],
        seed: 0x60_46,
        ..v
    }
}

/// A wooden temple block: one strong body resonance, a weaker upper one, and
/// the short knock of the beater; everything is gone in a few tenths.
fn woodblock(v: StruckSound) -> StruckSound {
    StruckSound {
        attack: 0.002,
        fade: 0.1,
        partials: vec![
            Partial::new(900.0, 1.0, 0.18),
            Partial::new(1_420.0, 0.35, 0.10),
            Partial::new(2_700.0, 0.08, 0.04),
        ],
        strikes: vec![Strike {
            center: 2_200.0,
            q: 1.0,
            amp: 0.35,
            t60: 0.012,
        }],
        seed: 0x800D,
        ..v
    }
}

/// The breath tones: G4 for breathing in, and the D a fourth below for
/// breathing out, so the breath falls with the pitch. A fourth is wide
/// enough to tell apart with closed eyes and calm enough not to jar.
const SOFT_TONE: f64 = 392.0;
const SOFT_TONE_LOW: f64 = SOFT_TONE * 3.0 / 4.0;

/// A soft, round tone for the breath: almost a sine, with faint
/// harmonics for warmth, swelling in over 200 ms so it never startles.
fn soft_tone(v: StruckSound, f0: f64) -> StruckSound {
    StruckSound {
        attack: 0.2,
        fade: 0.6,
        partials: vec![
            Partial::new(f0, 1.0, 4.0),
            Partial::new(f0 * 2.0, 0.12, 2.0),
            Partial::new(f0 * 3.0, 0.04, 1.2),
        ],
        strikes: Vec::new(),
        seed: 0,
        // A near-sine carries far more energy for its peak than a struck
        // sound whose peak is one instant: 5 dB under the others keeps it
        // no louder than the bowl, for a cue heard every few seconds.
        peak: 0.56,
        ..v
    }
}
