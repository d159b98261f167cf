//! Property test: no sound file makes kindly panic, however it is damaged.
//!
//! The checker's mutation test (`script/mutations.rs`) has its twin here.
//! Starting from the WAV, FLAC, Ogg Vorbis and MP3 fixtures (and unsized
//! and extensible WAVs built here), it damages headers and chunk sizes,
//! overwrites and inserts random bytes, truncates, and runs each result
//! through everything a sound file meets: `probe` (what `check` and `show`
//! do), then opening and reading a stream from the start and from the
//! middle (what `render` and `play` do). Each must return, with audio or
//! an `AudioError`; a panic fails the test. The number of cases comes from
//! `KINDLY_AUDIO_FUZZ_CASES` (default 300, so `cargo test` stays quick);
//! the one-off million-case run is recorded in BENCHMARKS.md.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::{probe, FileSource};
use crate::mixer::SoundSource;
use crate::session::SoundRef;
use crate::timeline::{Format, Frames};

/// Values that matter in audio headers: zeros, maxima, placeholders, and
/// the sizes of the usual formats.
const WORDS: &[u32] = &[
    0,
    1,
    2,
    8,
    16,
    24,
    32,
    64,
    0xFFFE,
    0xFFFF,
    0x7fff_f000,
    0x7fff_ffff,
    0xFFFF_FFFF,
    0x8000_0000,
    44_100,
    48_000,
];

#[derive(Debug, Clone)]
enum Edit {
    /// Overwrite 1, 2 or 4 bytes at a place in the first 256 (the headers)
    /// with an interesting value.
    Header(usize, usize, u8),
    Replace(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
    /// Cut to a few hundred bytes, as an interrupted download is.
    Short(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0usize..256, 0..WORDS.len(), prop_oneof![Just(1u8), Just(2), Just(4)])
            .prop_map(|(a, w, n)| Edit::Header(a, w, n)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Replace(a, b)),
        1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(a, b)| Edit::Insert(a, b)),
        1 => (any::<usize>(), 1usize..512).prop_map(|(a, n)| Edit::Delete(a, n)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        1 => (1usize..1024).prop_map(Edit::Short),
    ]
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match e {
        Edit::Header(i, w, n) => {
            let value = WORDS[*w].to_le_bytes();
            for (k, v) in value.iter().take(usize::from(*n)).enumerate() {
                if let Some(b) = bytes.get_mut(i + k) {
                    *b = *v;
                }
            }
        }
        Edit::Replace(i, b) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] = *b;
            }
        }
        Edit::Insert(i, b) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Edit::Delete(i, n) => {
            let i = at(*i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Edit::Truncate(i) => {
            let i = at(*i, bytes.len());
            bytes.truncate(i);
        }
        Edit::Short(n) => bytes.truncate(*n),
    }
}

/// The fixtures, plus WAVs as other programs write them.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    let mut out: Vec<(&'static str, Vec<u8>)> = ["wav", "flac", "ogg", "mp3"]
        .into_iter()
        .map(|ext| (ext, std::fs::read(dir.join(format!("tone.{ext}"))).unwrap()))
        .collect();
    let wav = out[0].1.clone();
    // Unsized, as ffmpeg writes into a pipe.
    let mut unsized_ = wav.clone();
    unsized_[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    if let Some(d) = unsized_.windows(4).position(|w| w == b"data") {
        unsized_[d + 4..d + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    }
    out.push(("wav", unsized_));
    out
}

fn stereo48() -> Format {
    Format {
        rate: 48_000,
        channels: 2,
    }
}

/// Everything a sound file goes through: check, show, render and play.
fn exercise(path: &Path) {
    let Ok(info) = probe(path) else {
        return;
    };
    let sound = SoundRef::File(path.to_owned());
    let Ok(source) = FileSource::probe_all(stereo48(), [&sound]) else {
        return;
    };
    let mut buf = vec![0.0f32; 4096];
    let half = Frames::from_duration(info.duration / 2, 48_000);
    for from in [Frames::ZERO, half] {
        if let Ok(mut stream) = source.open(&sound, from) {
            // Bounded: a damaged file may claim anything about its length.
            for _ in 0..64 {
                if stream.read(&mut buf) < buf.len() {
                    break;
                }
            }
        }
    }
}

#[test]
fn damaged_sound_files_never_panic() {
    let cases = std::env::var("KINDLY_AUDIO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), proptest::collection::vec(edit(), 1..6));
    runner
        .run(&strategy, |(seed, edits)| {
            let (ext, bytes) = &seeds[seed];
            let mut bytes = bytes.clone();
            for e in &edits {
                apply(&mut bytes, e);
            }
            let path = dir.path().join(format!("case.{ext}"));
            // A fresh file each time: rewriting one in place makes ext4
            // flush it to disk (auto_da_alloc), which is most of the time.
            let _ = std::fs::remove_file(&path);
            std::fs::write(&path, &bytes).unwrap();
            // A panic the decoders' containment misses unwinds through
            // here and proptest reports the edits that caused it.
            exercise(&path);
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_known_crashers_are_refused() {
    // Each of these once exited 101 inside symphonia.
    let dir = tempfile::tempdir().unwrap();
    let wav =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio/tone.wav"))
            .unwrap();
    let mut rate0 = wav.clone();
    rate0[24..28].copy_from_slice(&0u32.to_le_bytes());
    let rate0_path = dir.path().join("rate0.wav");
    std::fs::write(&rate0_path, rate0).unwrap();
    let err = probe(&rate0_path).unwrap_err();
    assert!(err.to_string().contains("its sample rate is 0"), "{err}");

    let mut ext = super::wav::tests::wav(0xFFFE, 1, 16_000, 0, 4000);
    ext.extend(vec![0u8; 4000]);
    let ext_path = dir.path().join("ext0.wav");
    std::fs::write(&ext_path, ext).unwrap();
    let err = probe(&ext_path).unwrap_err();
    assert!(err.to_string().contains("0 valid bits"), "{err}");

    let mp3 =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio/tone.mp3"))
            .unwrap();
    for n in (16..1200).step_by(7) {
        let p = dir.path().join("cut.mp3");
        std::fs::write(&p, &mp3[..n]).unwrap();
        exercise(&p);
    }
}
