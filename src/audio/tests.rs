//! Decoder tests on the fixtures in `tests/fixtures/audio/`, and refusal of
//! everything that is not playable audio.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;
use crate::mixer::SoundSource;
use crate::session::SoundRef;
use crate::timeline::{Format, Frames, SoundLengths};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

fn stereo48() -> Format {
    Format {
        rate: 48_000,
        channels: 2,
    }
}

fn read_all(source: &FileSource, path: &Path, from: u64) -> Vec<f32> {
    let mut s = source
        .open(&SoundRef::File(path.into()), Frames(from))
        .unwrap();
    let mut out = Vec::new();
    let mut buf = vec![0.0; 4096];
    loop {
        let n = s.read(&mut buf);
        out.extend_from_slice(&buf[..n]);
        if n < buf.len() {
            return out;
        }
    }
}

#[test]
fn every_decoder_reads_its_fixture() {
    for (name, rate, channels) in [
        ("tone.wav", 16_000, 1),
        ("tone.flac", 44_100, 2),
        ("tone.ogg", 22_050, 1),
        ("tone.mp3", 44_100, 2),
    ] {
        let path = fixture(name);
        let info = probe(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((info.rate, info.channels), (rate, channels), "{name}");
        let secs = info.duration.as_secs_f64();
        // MP3 rounds up to whole 1152-sample frames.
        assert!((0.49..0.56).contains(&secs), "{name}: {secs}");

        let sound = SoundRef::File(path.clone());
        let source = FileSource::probe_all(stereo48(), [&sound]).unwrap();
        assert_eq!(source.length(&sound), Some(info.duration));
        let samples = read_all(&source, &path, 0);
        let frames = samples.len() / 2;
        assert!(
            (23_500..27_000).contains(&frames),
            "{name}: {frames} frames"
        );
        let peak = samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        assert!((0.4..0.6).contains(&peak), "{name}: peak {peak}");
        // Mono files reach both ears.
        let mid = &samples[frames..frames + 2];
        assert!((mid[0] - mid[1]).abs() < 0.05, "{name}: {mid:?}");

        // Opening part-way is a seek, not a decode from the start. Lossy
        // formats land within a packet or so (Vorbis about 25 ms late).
        let tail = read_all(&source, &path, 12_000);
        let tail_frames = tail.len() / 2;
        assert!(
            (frames - 12_000).abs_diff(tail_frames) < 2400,
            "{name}: {tail_frames} of {frames}"
        );
    }
}

#[test]
fn a_mono_session_hears_the_average_of_stereo() {
    let path = fixture("tone.flac");
    let sound = SoundRef::File(path.clone());
    let mono = Format {
        rate: 44_100,
        channels: 1,
    };
    let source = FileSource::probe_all(mono, [&sound]).unwrap();
    let samples = read_all(&source, &path, 0);
    assert_eq!(samples.len(), 22_050);
}

fn refused(path: &Path) -> AudioErrorKind {
    let started = Instant::now();
    let err = probe(path).expect_err("should be refused");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{path:?} took too long"
    );
    assert_eq!(err.path, path);
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains("hint:"), "{text}");
    err.kind
}

#[test]
fn bad_files_are_refused_clearly_and_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);

    let wav = std::fs::read(fixture("tone.wav")).unwrap();
    std::fs::write(p("cut.wav"), &wav[..wav.len() / 2]).unwrap();
    assert!(matches!(
        refused(&p("cut.wav")),
        AudioErrorKind::Truncated { .. }
    ));
    std::fs::write(p("header-only.wav"), &wav[..30]).unwrap();
    assert!(matches!(
        refused(&p("header-only.wav")),
        AudioErrorKind::NotAudio | AudioErrorKind::Corrupt(_)
    ));

    std::fs::write(
        p("notes.wav"),
        "these are my notes, not a sound\n".repeat(50),
    )
    .unwrap();
    assert_eq!(refused(&p("notes.wav")), AudioErrorKind::NotAudio);
    std::fs::write(p("notes.mp3"), "ID3 is not enough\n".repeat(50)).unwrap();
    assert_eq!(refused(&p("notes.mp3")), AudioErrorKind::NotAudio);
    std::fs::write(p("empty.ogg"), "").unwrap();
    assert_eq!(refused(&p("empty.ogg")), AudioErrorKind::Empty);
    assert_eq!(refused(&p("missing.flac")), AudioErrorKind::NotFound);
    std::fs::create_dir(p("folder.wav")).unwrap();
    assert_eq!(refused(&p("folder.wav")), AudioErrorKind::Directory);
    assert_eq!(
        refused(Path::new("/dev/zero")),
        AudioErrorKind::NotRegularFile
    );
    let fifo = p("pipe.wav");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        assert_eq!(refused(&fifo), AudioErrorKind::NotRegularFile);
    }

    let msg = probe(&p("notes.wav")).unwrap_err().to_string();
    assert!(
        msg.contains("not an audio file kindly can read (WAV, FLAC, Ogg Vorbis, MP3)"),
        "{msg}"
    );
    assert!(msg.contains("sox "), "{msg}");
}

#[test]
fn content_decides_not_the_extension() {
    // A FLAC named .wav still plays: the extension is only a hint.
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("really-flac.wav");
    std::fs::copy(fixture("tone.flac"), &renamed).unwrap();
    assert_eq!(probe(&renamed).unwrap().rate, 44_100);
}

#[test]
fn every_problem_is_reported_at_once() {
    let a = SoundRef::File("/nonexistent/a.wav".into());
    let b = SoundRef::File("/nonexistent/b.wav".into());
    let errors = FileSource::probe_all(stereo48(), [&a, &b, &a]).unwrap_err();
    assert_eq!(errors.len(), 2);
}

#[test]
fn a_file_swapped_after_its_check_fails_to_open_and_never_hangs() {
    // A session probes its files before play; the person then replaces
    // one. Opening it at its turn must fail cleanly (the mixer skips it
    // and the play loop says so), whatever it became.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clip.wav");
    std::fs::copy(fixture("tone.wav"), &path).unwrap();
    let sound = SoundRef::File(path.clone());
    let source = FileSource::probe_all(stereo48(), [&sound]).unwrap();

    let mut rate0 = std::fs::read(fixture("tone.wav")).unwrap();
    rate0[24..28].copy_from_slice(&0u32.to_le_bytes());
    std::fs::write(&path, &rate0).unwrap();
    let err = source.open(&sound, Frames(0)).err().expect("refused");
    assert!(err.to_string().contains("sample rate is 0"), "{err}");

    std::fs::remove_file(&path).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let started = Instant::now();
    let err = source.open(&sound, Frames(0)).err().expect("refused");
    let err = err
        .downcast_ref::<AudioError>()
        .expect("the source's own error");
    assert_eq!(err.kind, AudioErrorKind::NotRegularFile);
    assert!(started.elapsed() < Duration::from_secs(2));

    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, b"").unwrap();
    assert!(source.open(&sound, Frames(12_000)).is_err());
}
