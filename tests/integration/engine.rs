//! The audio engine through the real binary: `kindly render` and
//! `kindly sounds export`, checked by reading the WAVs back with hound.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::test::{read_wav, Test};

/// kindly through the sealed builder, with a deadline: a FIFO or a
/// device must never hang the command.
fn kindly() -> Test {
    Test::new().deadline(Duration::from_secs(30))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

fn write_session(dir: &Path, steps: &str) -> PathBuf {
    let path = dir.join("s.toml");
    std::fs::write(&path, format!("title = \"t\"\nformat = 1\n\n{steps}")).unwrap();
    path
}

#[test]
fn clips_and_cues_start_on_the_frames_the_timeline_says() {
    let dir = tempfile::tempdir().unwrap();
    // A clip of constant level, so its first audible frame is exact: the
    // mixer's 10 ms fade starts at 0, so frame 1 of the clip is the first.
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(dir.path().join("level.wav"), spec).unwrap();
    for _ in 0..4000 {
        w.write_sample(16_000i16).unwrap();
    }
    w.finalize().unwrap();
    let session = write_session(
        dir.path(),
        "[[steps]]\nkind = \"pause\"\nduration = \"1s\"\n\n\
         [[steps]]\nkind = \"audio\"\nfile = \"level.wav\"\n\n\
         [[steps]]\nkind = \"pause\"\nduration = \"0.5s\"\n\n\
         [[steps]]\nkind = \"bell\"\nsound = \"woodblock\"\nstrikes = 2\nspacing = \"1.25s\"\n",
    );
    let out = dir.path().join("out.wav");
    let o = kindly()
        .arg("render")
        .arg(&session)
        .arg("-o")
        .arg(&out)
        .args(["--rate", "8000"])
        .output();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (spec, samples) = read_wav(&out);
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (8000, 2, 16)
    );
    let left: Vec<i16> = samples.iter().step_by(2).copied().collect();
    let first_sound = |from: usize| from + left[from..].iter().position(|&s| s != 0).unwrap();

    // The clip at 1 s = frame 8000, fading in from exactly 0 over 80
    // frames: 8000 is silent, 8001 is 1/80 of the level, 8080 is full.
    assert_eq!(first_sound(0), 8001);
    let level = 16_000.0 / 32768.0;
    assert_eq!(left[8001], (level / 80.0 * 32767.0f32).round() as i16);
    assert_eq!(left[8080], (level * 32767.0f32).round() as i16);

    assert!(left[12_000..16_000].iter().all(|&s| s == 0), "clip over");

    // The woodblock strikes at the bell step's start (1 s + 0.5 s clip +
    // 0.5 s pause = frame 16000) and 1.25 s later (26000). Its first
    // audible sample is `lead` frames into the cue; a woodblock that made
    // no sound would fail here, not pass unchecked.
    let cue = kindly::synth::Cue::Woodblock.render(8000);
    let lead = cue
        .iter()
        .position(|&s| s.abs() * 0.8 * 32767.0 >= 0.5)
        .expect("the woodblock makes a sound");
    assert_eq!(first_sound(12_000), 16_000 + lead, "first strike");
    assert_ne!(left[26_000 + lead], 0, "second strike");
    assert!(
        left[26_000 + lead..].iter().any(|&s| s.abs() > 1000),
        "the second strike is heard, not only a stray sample"
    );
}

#[test]
fn stdout_gets_a_complete_wav_with_exact_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(
        dir.path(),
        "[[steps]]\nkind = \"pause\"\nduration = \"2s\"\n",
    );
    let o = kindly()
        .arg("render")
        .arg(&session)
        .args(["-o", "-", "--rate", "8000", "--bits", "24"])
        .output();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout.len(), 44 + 16_000 * 2 * 3);
    let r = hound::WavReader::new(std::io::Cursor::new(o.stdout)).unwrap();
    assert_eq!(r.spec().bits_per_sample, 24);
    assert_eq!(r.duration(), 16_000);
}

/// `-o` naming a FIFO (or `/dev/null`) writes into it: the atomic rename
/// that protects a real file would put a file in the device's place.
#[test]
fn a_fifo_is_written_into_not_replaced() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let script = write_session(
        dir.path(),
        "[[steps]]\nkind = \"pause\"\nduration = \"1s\"\n",
    );
    let fifo = dir.path().join("out.fifo");
    crate::test::mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        })
    };
    let out = kindly()
        .args(["render", "--rate", "8000"])
        .arg(&script)
        .arg("-o")
        .arg(&fifo)
        .output();
    if out.status.code() != Some(0) {
        // Let the reader go (it waits for a writer) before failing.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
    }
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let bytes = reader.join().unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(bytes.len(), 44 + 8000 * 2 * 2);
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Ctrl-C during a render stops it cleanly, in every format: no output
/// file, no transcript, no temporary file left beside it, and 128 + 2 for
/// the shell.
#[test]
fn an_interrupted_render_leaves_nothing_behind() {
    for ext in ["wav", "ogg", "mp3", "flac"] {
        interrupted_render_leaves_nothing(ext);
    }
}

fn interrupted_render_leaves_nothing(ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let script = write_session(
        dir.path(),
        "[ambience]\nsound = \"brown-noise\"\n\n[[steps]]\nkind = \"pause\"\nduration = \"3h\"\n",
    );
    let out = dir.path().join(format!("long.{ext}"));
    let render = kindly()
        .arg("render")
        .arg(&script)
        .arg("-o")
        .arg(&out)
        .arg("--transcript");
    let child = render.spawn();
    // Wait until the render has begun writing its temporary file.
    let started = std::time::Instant::now();
    let part = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".part"))
    };
    while !part() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no render began"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    crate::test::send_signal(&child, "INT");
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "stopped: nothing was written to {}",
            out.display()
        )),
        "{stderr}"
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["s.toml".to_owned()]);
}

#[test]
fn float_output_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("tone.ogg"), dir.path().join("tone.ogg")).unwrap();
    let session = write_session(
        dir.path(),
        "[[steps]]\nkind = \"audio\"\nfile = \"tone.ogg\"\n",
    );
    let out = dir.path().join("f.wav");
    let o = kindly()
        .arg("render")
        .arg(&session)
        .arg("-o")
        .arg(&out)
        .args(["--bits", "32f"])
        .output();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut r = hound::WavReader::open(&out).unwrap();
    let peak = r
        .samples::<f32>()
        .map(Result::unwrap)
        .fold(0.0f32, |m, s| m.max(s.abs()));
    assert!((0.4..0.6).contains(&peak), "{peak}");
}

#[test]
fn bad_audio_fails_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let wav = std::fs::read(fixture("tone.wav")).unwrap();
    std::fs::write(d.join("cut.wav"), &wav[..wav.len() / 3]).unwrap();
    std::fs::write(d.join("notes.wav"), "not a sound at all\n".repeat(40)).unwrap();
    std::fs::write(d.join("notes.flac"), "still not a sound\n".repeat(40)).unwrap();
    std::fs::create_dir(d.join("folder.ogg")).unwrap();
    let fifo = d.join("pipe.wav");
    crate::test::mkfifo(&fifo);

    let cases = vec![
        ("cut.wav", "truncated"),
        ("notes.wav", "not an audio file kindly can read"),
        ("notes.flac", "not an audio file kindly can read"),
        ("folder.ogg", "folder"),
        ("/dev/zero", "not a regular file"),
        ("missing.mp3", "no such file"),
        ("pipe.wav", "not a regular file"),
    ];
    for (file, says) in cases {
        let session = write_session(
            d,
            &format!("[[steps]]\nkind = \"audio\"\nfile = \"{file}\"\n"),
        );
        let out = d.join("out.wav");
        // `--dir`: the person's own folder, so `/dev/zero` is theirs to
        // name (the sandbox refuses it from a stranger's script).
        let o = kindly()
            .arg("render")
            .arg(&session)
            .arg("--dir")
            .arg(d)
            .arg("-o")
            .arg(&out)
            .output();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(says), "{file}: {err}");
        assert!(
            err.contains(file.trim_start_matches('/')),
            "{file} named: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "{file}: nothing written");
        let leftovers: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("kindly-render"))
            .collect();
        assert!(leftovers.is_empty(), "{file}: temporary files left");
    }
}

#[test]
fn exported_sounds_match_the_committed_ones() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("audio");
    let dir = tempfile::tempdir().unwrap();
    let o = kindly().args(["sounds", "export"]).arg(dir.path()).output();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 12, "{names:?}");
    for name in &names {
        let (spec, _) = read_wav(&dir.path().join(name));
        assert_eq!(spec.bits_per_sample, 16);
    }
    // The committed set must be there to compare against: without it
    // this test would check nothing.
    assert!(committed.is_dir(), "audio/ is missing");
    for name in &names {
        let fresh = std::fs::read(dir.path().join(name)).unwrap();
        let kept = std::fs::read(committed.join(name))
            .unwrap_or_else(|e| panic!("audio/{name}: {e}; run `kindly sounds export audio/`"));
        assert!(fresh == kept, "audio/{name} differs from a fresh export");
    }
}

/// A long WAV file is rendered in two halves at once, each by its own
/// mixer (`Mixer::fork_at`); a pipe is rendered in one pass. Both must be
/// the same bytes: header, the sounds ringing across the middle, the bed
/// and its fades, at a volume below 1 (a ramp the second mixer must not
/// repeat).
#[test]
fn a_wav_file_rendered_in_two_halves_is_the_one_pass_byte_for_byte() {
    // Bowls at 0, 30 s and 60 s, each ringing 12 s: the middle of the
    // 72 s falls in the second bowl's ring.
    let session = "title = \"t\"\nformat = 1\n\n\
        [ambience]\nsound = \"brown-noise\"\nvolume = 0.3\nfade = \"5s\"\n\n\
        [[steps]]\nkind = \"bell\"\nsound = \"bowl\"\nstrikes = 3\nspacing = \"30s\"\n";
    let render = |args: &[&str]| {
        let t = kindly()
            .write("s.toml", session)
            .write("config.toml", "volume = 0.7\n");
        let config = t.path().join("config.toml");
        t.env("KINDLY_CONFIG", &config)
            .args(["render", "s.toml", "-q"])
            .args(args.iter().copied())
            .run()
    };
    let file = render(&["-o", "out.wav"]);
    let written = std::fs::read(file.dir.path().join("out.wav")).unwrap();
    let piped = render(&["--format", "wav", "-o", "-"]).bytes;
    // 48 kHz stereo 16-bit, the header and 72 s of frames.
    assert!(written.len() > 72 * 48_000 * 4, "{}", written.len());
    assert_eq!(written.len(), piped.len());
    let first_difference = written.iter().zip(&piped).position(|(a, b)| a != b);
    assert_eq!(first_difference, None, "the two renders differ");
    let (spec, samples) = read_wav(&file.dir.path().join("out.wav"));
    assert_eq!(spec.channels, 2);
    // The middle is not silence: the bowl rings over the seam.
    let mid = samples.len() / 2;
    let peak = samples[mid - 4800..mid + 4800]
        .iter()
        .map(|s| s.unsigned_abs())
        .max()
        .unwrap();
    assert!(peak > 1000, "peak {peak} at the middle");
}
