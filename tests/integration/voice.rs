//! Spoken guidance with the real espeak-ng, and the user's config file.
//!
//! The voice is configured the way a person would, in `config.toml` under
//! the test's own `KINDLY_HOME`. Rendered WAVs are read back with hound to
//! find speech where the timeline says it is. No sound device is used.

use std::path::Path;

use crate::test::Test;

const ESPEAK: &str =
    r#"command = ["espeak-ng", "-v", "en-us+f3", "-s", "135", "--stdout", "{text}"]"#;

/// Three prompts between silent pauses, no ambience: any energy at a
/// prompt is the voice.
const SESSION: &str = r#"title = "Spoken"

[[steps]]
kind = "pause"
duration = "2s"

[[steps]]
kind = "prompt"
text = "Breathing in, I know I am breathing in."
hold = "2s"

[[steps]]
kind = "pause"
duration = "3s"
text = "Resting here."
speak = true

[[steps]]
kind = "prompt"
text = "May I be kind to myself."
hold = "2s"

[[steps]]
kind = "prompt"
text = "Not spoken."
hold = "2s"
speak = false
"#;

/// A test with espeak-ng on its PATH (and no other engine).
fn voiced() -> Test {
    let t = Test::new();
    let path = crate::test::path_with(&["espeak-ng"], &t.path().join("bin"));
    t.env("PATH", &path)
}

fn config(command: &str) -> String {
    format!("[voice]\n{command}\n")
}

fn with_voice(command: &str) -> Test {
    voiced()
        .write("home/config.toml", config(command))
        .write("s.toml", SESSION)
}

/// RMS of the 16-bit samples in `[from, to)` seconds, over both channels.
fn rms(samples: &[i16], rate: u32, from: f64, to: f64) -> f64 {
    let frame = |t: f64| ((t * f64::from(rate)) as usize * 2).min(samples.len());
    let window = &samples[frame(from)..frame(to)];
    // An empty window would read as silence and pass a "quiet" check
    // with nothing heard at all.
    assert!(
        !window.is_empty(),
        "[{from}, {to}) s is outside the render ({} frames)",
        samples.len() / 2
    );
    let sum: f64 = window.iter().map(|&s| f64::from(s).powi(2)).sum();
    (sum / window.len() as f64).sqrt()
}

/// A rendered WAV's rate and interleaved samples.
fn read_wav(path: &Path) -> (u32, Vec<i16>) {
    let (spec, samples) = crate::test::read_wav(path);
    (spec.sample_rate, samples)
}

#[test]
fn rendered_speech_is_where_the_prompts_are() {
    let t = with_voice(ESPEAK);
    let home = t.path().join("home");
    let show = voiced()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .arg("show")
        .arg(t.path().join("s.toml").display().to_string())
        .args(["--format", "json"])
        .run()
        .json();
    let finished = t
        .args(["render", "s.toml", "-o", "out.wav", "--rate", "16000"])
        .run();
    let (rate, samples) = read_wav(&finished.dir.path().join("out.wav"));
    let steps = show["steps"].as_array().unwrap();
    let spoken: Vec<&serde_json::Value> = steps
        .iter()
        .filter(|s| {
            s["audio"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["role"] == "voice")
        })
        .collect();
    // The two prompts that speak and the pause with `speak = true`.
    let indices: Vec<u64> = spoken
        .iter()
        .map(|s| s["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indices, vec![1, 2, 3]);
    let quiet = rms(&samples, rate, 0.2, 1.8);
    assert!(quiet < 1.0, "the opening pause is silent: {quiet}");
    for step in &spoken {
        let start = step["start"].as_f64().unwrap();
        let speech = rms(&samples, rate, start + 0.1, start + 1.0);
        assert!(speech > 300.0, "speech at {start}s: RMS {speech}");
    }
    // Each prompt's hold counts from the end of its speech: its last
    // second is silent again, and it lasts longer than the hold alone.
    for step in spoken.iter().filter(|s| s["kind"] == "prompt") {
        let end = step["start"].as_f64().unwrap() + step["duration"].as_f64().unwrap();
        assert!(step["duration"].as_f64().unwrap() > 2.5);
        let tail = rms(&samples, rate, end - 1.0, end - 0.05);
        assert!(tail < 1.0, "hold after speech is quiet: {tail}");
    }
    // The unspoken prompt is silent throughout.
    let last = steps.last().unwrap();
    let start = last["start"].as_f64().unwrap();
    assert!(rms(&samples, rate, start, start + 1.9) < 1.0);
    // Without the voice, the same render is silent at the prompts.
    let silent = voiced()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .write("s.toml", SESSION)
        .args([
            "render",
            "s.toml",
            "-o",
            "quiet.wav",
            "--rate",
            "16000",
            "--no-voice",
            "--prompt-cue",
            "none",
        ])
        .run();
    let (_, quiet) = read_wav(&silent.dir.path().join("quiet.wav"));
    assert!(rms(&quiet, rate, 0.0, 10.0) < 1.0);
}

#[test]
fn show_prints_the_real_durations() {
    let spoken = with_voice(ESPEAK)
        .args(["show", "s.toml", "--format", "json"])
        .run()
        .json();
    let plain = with_voice(ESPEAK)
        .args(["show", "s.toml", "--format", "json", "--no-voice"])
        .run()
        .json();
    let d = |doc: &serde_json::Value, i: usize| doc["steps"][i]["duration"].as_f64().unwrap();
    // hold = 2s: without a voice exactly 2 s; with one, speech + 2 s.
    assert_eq!(d(&plain, 1), 2.0);
    assert!(d(&spoken, 1) > 3.0, "{}", d(&spoken, 1));
    // A pause lasts its duration, or its speech if that is longer.
    assert!(d(&spoken, 2) >= 3.0);
    assert_eq!(d(&spoken, 4), 2.0);
    with_voice(ESPEAK)
        .args(["show", "s.toml"])
        .stdout_contains("[spoken]")
        .run();
}

#[test]
fn the_cache_is_reused() {
    let t = voiced();
    let counter = t.path().join("count");
    let wrapper = t.path().join("tts.sh");
    let script = format!(
        "#!/bin/sh\necho run >> '{}'\nexec espeak-ng --stdout \"$@\"\n",
        counter.display()
    );
    let command = format!(r#"command = ["{}", "{{text}}"]"#, wrapper.display());
    let t = t
        .write("tts.sh", script)
        .write("home/config.toml", config(&command));
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let home = t.path().join("home");
    let dir = t.path().to_owned();
    let first = t
        .write("s.toml", SESSION)
        .args(["show", "s.toml", "--format", "json"])
        .run();
    let runs = || {
        std::fs::read_to_string(&counter)
            .unwrap_or_default()
            .lines()
            .count()
    };
    assert_eq!(runs(), 3);
    let again = voiced()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .args([
            "show",
            dir.join("s.toml").to_str().unwrap(),
            "--format",
            "json",
        ])
        .run();
    assert_eq!(runs(), 3, "a second run starts the voice again");
    assert_eq!(first.json()["duration"], again.json()["duration"]);
    drop(first);
}

#[test]
fn a_failing_voice_stops_before_anything_is_written() {
    let cases = [
        (
            r#"command = ["false", "{text}"]"#,
            "error: the voice command `false` failed (exit status 1)\n",
        ),
        (
            r#"command = ["sh", "-c", "echo 'no such voice: xx' >&2; exit 7", "{text}"]"#,
            "error: the voice command `sh` failed (exit status 7): no such voice: xx\n",
        ),
        (
            r#"command = ["kindly-no-such-tts", "{text}"]"#,
            "error: cannot start the voice command: the program `kindly-no-such-tts` was not found\n",
        ),
        (
            r#"command = ["echo", "{text}"]"#,
            "error: the voice command `echo` did not write a WAV file to its standard output\n",
        ),
    ];
    for (command, message) in cases {
        let f = with_voice(command)
            .args(["render", "s.toml", "-o", "out.wav"])
            .status(2)
            .stderr_contains(message)
            .stderr_contains("--no-voice")
            .stderr_contains("config.toml")
            .run();
        assert!(!f.dir.path().join("out.wav").exists(), "{command}");
        let leftovers: Vec<_> = std::fs::read_dir(f.dir.path().join("home/cache/voices"))
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(leftovers.is_empty(), "{command}: {leftovers:?}");
    }
    // --no-voice goes on without speech.
    with_voice(r#"command = ["false", "{text}"]"#)
        .args(["render", "s.toml", "-o", "out.wav", "--no-voice"])
        .run();
}

#[test]
fn a_script_cannot_set_the_command() {
    voiced()
        .write(
            "evil.toml",
            "title = \"t\"\n[voice]\ncommand = [\"sh\", \"-c\", \"touch pwned\"]\n[[steps]]\nkind = \"prompt\"\ntext = \"hi\"\n",
        )
        .args(["check", "evil.toml"])
        .status(1)
        .stderr_contains("error: a session script cannot configure the voice\n --> evil.toml:2:2")
        .stderr_contains("configured only in your own config file")
        .run();
    // Even with a voice configured, such a script is refused before any
    // program starts.
    let f = with_voice(ESPEAK)
        .write(
            "evil.toml",
            "title = \"t\"\n[[steps]]\nkind = \"prompt\"\ntext = \"hi\"\ncommand = [\"touch\", \"pwned\"]\n",
        )
        .args(["show", "evil.toml"])
        .status(2)
        .stderr_contains("--> evil.toml:5:1")
        .run();
    assert!(!f.dir.path().join("pwned").exists());
}

#[test]
fn a_broken_config_is_located_and_stops_the_command() {
    voiced()
        .write(
            "home/config.toml",
            "volum = 0.5\n[voice]\ncommand = \"espeak-ng {text}\"\n",
        )
        .args(["show", "silent-sit"])
        .status(2)
        .stderr_contains("error: unknown field `volum` in the config file\n --> ")
        .stderr_contains("config.toml:1:1")
        .stderr_contains("help: did you mean `volume`?")
        .stderr_contains("config.toml:3:11")
        .stderr_contains("never through a shell")
        .stderr_contains("has problems, shown above")
        .run();
}

#[test]
fn kindly_config_says_where_each_value_comes_from() {
    let t = voiced();
    let elsewhere = t.path().join("elsewhere.toml");
    let doc = t
        .write(
            "elsewhere.toml",
            format!("gate = \"45s\"\nbell = \"gong\"\n[voice]\n{ESPEAK}\n"),
        )
        .env("KINDLY_CONFIG", elsewhere.to_str().unwrap())
        .args(["config", "--format", "json", "--no-voice"])
        .run()
        .json();
    assert_eq!(doc["file"]["found_through"], "KINDLY_CONFIG");
    assert_eq!(doc["file"]["exists"], true);
    let s = &doc["settings"];
    assert_eq!(
        (s["gate"]["value"].as_f64(), s["gate"]["from"].as_str()),
        (Some(45.0), Some("file"))
    );
    assert_eq!(s["bell"]["value"], "gong");
    assert_eq!(s["volume"]["from"], "default");
    assert_eq!(s["voice"]["from"], "flag --no-voice");
    assert_eq!(s["voice"]["value"], serde_json::json!({ "engine": "off" }));
    voiced()
        .write("home/config.toml", format!("[voice]\n{ESPEAK}\n"))
        .args(["config", "--gate", "5s"])
        .stdout_contains("gate                 5s")
        .stdout_contains("(flag --gate)")
        .stdout_contains(
            "voice.engine         command: espeak-ng -v en-us+f3 -s 135 --stdout {text}  (config file)",
        )
        .run();
    voiced()
        .env("KINDLY_CONFIG", "/nonexistent/kindly.toml")
        .args(["config"])
        .status(2)
        .stderr_contains("KINDLY_CONFIG names /nonexistent/kindly.toml, which does not exist")
        .run();
}

#[test]
fn the_configured_bell_replaces_only_unnamed_bells() {
    let doc = voiced()
        .write("home/config.toml", "bell = \"gong\"\n")
        .write(
            "b.toml",
            "title = \"t\"\n[[steps]]\nkind = \"bell\"\n[[steps]]\nkind = \"bell\"\nsound = \"chime\"\n",
        )
        .args(["show", "b.toml", "--format", "json"])
        .run()
        .json();
    assert_eq!(doc["steps"][0]["audio"][0]["sound"], "gong");
    assert_eq!(doc["steps"][1]["audio"][0]["sound"], "chime");
}

#[test]
fn a_bundled_session_is_spoken_where_its_prompts_are() {
    let config = config(ESPEAK);
    let show = voiced()
        .write("home/config.toml", &config)
        .args(["show", "three-minute-pause", "--format", "json"])
        .run()
        .json();
    let f = voiced()
        .write("home/config.toml", &config)
        .args(["render", "three-minute-pause", "-o", "out.wav"])
        .args(["--rate", "8000", "--ambience", "none"])
        .run();
    let (rate, samples) = read_wav(&f.dir.path().join("out.wav"));
    let mut spoken = 0;
    for step in show["steps"].as_array().unwrap() {
        for voice in step["audio"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["role"] == "voice")
        {
            let at = voice["start"].as_f64().unwrap();
            let energy = rms(&samples, rate, at + 0.1, at + 0.8);
            assert!(
                energy > 300.0,
                "no speech at {at}s (step {})",
                step["index"]
            );
            spoken += 1;
        }
    }
    assert!(spoken >= 3, "only {spoken} spoken steps");
}
