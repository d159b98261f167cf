//! Hostile and unusual sound files through the real binary: files that
//! once crashed the decoders, and WAVs as other programs write them into
//! a pipe (unsized). Each test builds its own files.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::test::{tools, Test};

const AUDIO_STEP: &str =
    "title = \"t\"\nformat = 1\n\n[[steps]]\nkind = \"audio\"\nfile = \"f.wav\"\n";

/// Bytes of a 16-bit PCM WAV header (44 bytes) with the given fields.
fn wav_header(rate: u32, channels: u16, bits: u16, data: u32) -> Vec<u8> {
    let align = channels * bits.div_ceil(8);
    let mut h = b"RIFF".to_vec();
    h.extend(data.wrapping_add(36).to_le_bytes());
    h.extend(b"WAVEfmt ");
    h.extend(16u32.to_le_bytes());
    h.extend(1u16.to_le_bytes());
    h.extend(channels.to_le_bytes());
    h.extend(rate.to_le_bytes());
    h.extend((rate * u32::from(align)).to_le_bytes());
    h.extend(align.to_le_bytes());
    h.extend(bits.to_le_bytes());
    h.extend(b"data");
    h.extend(data.to_le_bytes());
    h
}

#[test]
fn a_wav_with_sample_rate_zero_is_a_problem_not_a_crash() {
    let mut f = wav_header(0, 1, 16, 4000);
    f.extend(vec![0u8; 4000]);
    for cmd in ["check", "show", "render"] {
        let mut t = Test::new()
            .write("s.toml", AUDIO_STEP)
            .write("f.wav", &f)
            .args([cmd, "s.toml"])
            .stderr_contains("f.wav: the audio is damaged: its sample rate is 0");
        if cmd == "render" {
            t = t.args(["-o", "out.wav"]);
        }
        let done = t.status(if cmd == "check" { 1 } else { 2 }).run();
        assert!(!done.dir.path().join("out.wav").exists());
    }
}

#[test]
fn a_truncated_mp3_never_crashes() {
    let mp3 = std::fs::read(crate::test::root().join("tests/fixtures/audio/tone.mp3")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        AUDIO_STEP.replace("f.wav", "f.mp3"),
    )
    .unwrap();
    for n in (100..1500).step_by(37) {
        std::fs::write(dir.path().join("f.mp3"), &mp3[..n]).unwrap();
        let out = Test::new()
            .current_dir(dir.path())
            .env("KINDLY_HOME", dir.path().join("home"))
            .args(["check", "s.toml"])
            .output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)) && !stderr.contains("panicked"),
            "{n} bytes: {:?}\n{stderr}",
            out.status
        );
    }
}

/// What `program args` writes on stdout, saved as `f.wav` in `dir`;
/// `None` when `program` is missing (a failure under `KINDLY_E2E=required`,
/// so CI never passes these tests with nothing checked).
fn piped(dir: &Path, program: &str, args: &[&str]) -> Option<()> {
    if !tools(&[program]) {
        return None;
    }
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    assert!(out.status.success(), "{program} failed");
    std::fs::write(dir.join("f.wav"), out.stdout).unwrap();
    Some(())
}

#[test]
fn unsized_wavs_from_a_pipe_are_complete_and_measured() {
    // Two seconds each, written into a pipe, so the writer could not go
    // back and fill in the sizes.
    let makers: [(&str, &[&str]); 2] = [
        (
            "sox",
            &["-n", "-t", "wav", "-", "synth", "2", "sine", "440"],
        ),
        (
            "ffmpeg",
            &[
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "sine=d=2",
                "-f",
                "wav",
                "-",
            ],
        ),
    ];
    for (program, args) in makers {
        let t = Test::new().write("s.toml", AUDIO_STEP);
        if piped(t.path(), program, args).is_none() {
            eprintln!("skipped {program}: not installed");
            continue;
        }
        let done = t.args(["show", "s.toml", "--format", "json"]).run();
        let secs = done.json()["duration"].as_f64().unwrap();
        assert!((secs - 2.0).abs() < 0.05, "{program}: {secs} s");
    }

    let t = Test::new().write("s.toml", AUDIO_STEP);
    if piped(
        t.path(),
        "espeak-ng",
        &["--stdout", "Take a moment for yourself."],
    )
    .is_some()
    {
        t.args(["check", "s.toml"])
            .stderr("checked 1 script: no problems\n")
            .run();
    } else {
        eprintln!("skipped espeak-ng: not installed");
    }
}

#[test]
fn an_unsized_bed_loops() {
    let t = Test::new().write(
        "s.toml",
        "title = \"t\"\nformat = 1\n\n[ambience]\nsound = \"f.wav\"\n\n\
         [[steps]]\nkind = \"pause\"\nduration = \"5s\"\n",
    );
    // ffmpeg into a pipe leaves both sizes at 0xFFFFFFFF.
    let args = [
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "sine=d=1:sample_rate=8000",
        "-f",
        "wav",
        "-",
    ];
    if piped(t.path(), "ffmpeg", &args).is_none() {
        eprintln!("skipped: ffmpeg not installed");
        return;
    }
    let done = t
        .args(["render", "s.toml", "-o", "out.wav", "--rate", "8000"])
        .run();
    let mut r = hound::WavReader::open(done.dir.path().join("out.wav")).unwrap();
    let samples: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    // The bed is one second long; seconds 2 to 4 are its later passes,
    // as loud as its first (the session fades out only in its last).
    let peak = |from: usize, to: usize| {
        samples[from * 16_000..to * 16_000]
            .iter()
            .map(|s| s.unsigned_abs())
            .max()
            .unwrap()
    };
    let (first, later) = (peak(1, 2), peak(2, 4));
    assert!(first > 100, "the bed is silent: {first}");
    assert!(
        later * 2 > first,
        "the bed went silent after one pass: {later} after {first}"
    );
}
