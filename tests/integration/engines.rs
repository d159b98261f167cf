//! Spoken guidance by default: the real festival, flite and espeak-ng, chosen and paced by kindly.
//!
//! No config file names a voice here: each test puts the engines it means
//! on a `PATH` of its own (`test::path_with`), as a machine with only those
//! installed would have, and renders a session. The audio is read back with
//! hound for where the speech is, and ffmpeg's `ebur128` filter, an
//! independent meter, measures its loudness. piper cannot be installed from
//! the package registries, so its recipe is checked with a stand-in program
//! that checks its arguments and writes a WAV, as piper would.

use std::path::Path;
use std::process::Command;

use crate::test::{path_with, Test};

/// Prompts between silent pauses, no ambience and no bells: any sound is
/// the voice (or, without one, the prompt cue).
const SESSION: &str = r#"title = "Spoken"

[[steps]]
kind = "pause"
duration = "2s"

[[steps]]
kind = "prompt"
text = "Let yourself arrive here, just as you are, with nothing you need to fix or change right now."
hold = "2s"

[[steps]]
kind = "pause"
duration = "2s"

[[steps]]
kind = "prompt"
text = "Breathe in gently. Now let the breath go."
hold = "2s"

[[steps]]
kind = "reflect"
question = "What would a good friend say to you now?"
speak = true
"#;

/// Words in the first prompt, for its pace.
const FIRST_WORDS: f64 = 18.0;

/// Whether the engine is on this machine (a failure under
/// `KINDLY_E2E=required`, not a skip).
fn have(program: &str) -> bool {
    crate::test::tools(&[program])
}

struct Rendered {
    rate: u32,
    /// Mono (the left channel).
    samples: Vec<f32>,
    steps: Vec<serde_json::Value>,
    stderr: String,
    dir: tempfile::TempDir,
}

/// Render SESSION with `engines` on PATH and nothing in the config.
fn render(engines: &[&str]) -> Rendered {
    let t = Test::new().write("s.toml", SESSION);
    let path = path_with(engines, &t.path().join("bin"));
    let home = t.path().join("home");
    let show = Test::new()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .env("PATH", &path)
        .args(["show", "--format", "json"])
        .arg(t.path().join("s.toml").display().to_string())
        .run()
        .json();
    let finished = t
        .env("PATH", &path)
        .args(["render", "s.toml", "-o", "out.wav"])
        .run();
    let mut r = hound::WavReader::open(finished.dir.path().join("out.wav")).unwrap();
    let rate = r.spec().sample_rate;
    let samples: Vec<f32> = r
        .samples::<i16>()
        .step_by(2)
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    Rendered {
        rate,
        samples,
        steps: show["steps"].as_array().unwrap().clone(),
        stderr: finished.stderr,
        dir: finished.dir,
    }
}

impl Rendered {
    fn step(&self, i: usize) -> (f64, f64) {
        let s = &self.steps[i];
        let start = s["start"].as_f64().unwrap();
        (start, start + s["duration"].as_f64().unwrap())
    }

    fn rms(&self, from: f64, to: f64) -> f64 {
        let at = |t: f64| ((t * f64::from(self.rate)) as usize).min(self.samples.len());
        let w = &self.samples[at(from)..at(to)];
        // An empty window would read as silence and pass a "quiet"
        // check with nothing rendered at all.
        assert!(
            !w.is_empty(),
            "[{from}, {to}) s is outside the render ({} frames)",
            self.samples.len()
        );
        (w.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / w.len() as f64).sqrt()
    }

    /// 10 ms windows in `[from, to)` with sound in them (over -45 dBFS).
    fn loud_windows(&self, from: f64, to: f64) -> Vec<f64> {
        let mut t = from;
        let mut out = Vec::new();
        while t < to {
            if self.rms(t, t + 0.01) > 0.0056 {
                out.push(t);
            }
            t += 0.01;
        }
        out
    }

    /// The first and last moment of sound in a step.
    fn speech_span(&self, step: usize) -> (f64, f64) {
        let (start, end) = self.step(step);
        let loud = self.loud_windows(start, end);
        assert!(!loud.is_empty(), "no sound in step {step}");
        (loud[0], loud[loud.len() - 1] + 0.01)
    }
}

/// Integrated loudness of `path`'s `[from, to)` seconds, by ffmpeg's own
/// EBU R128 meter.
fn ffmpeg_lufs(path: &Path, from: f64, to: f64) -> f64 {
    let out = Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-nostats",
            "-ss",
            &from.to_string(),
            "-to",
            &to.to_string(),
            "-i",
        ])
        .arg(path)
        .args(["-af", "ebur128", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("I:"))
        .unwrap_or_else(|| panic!("no loudness in ffmpeg's output:\n{text}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Every check a real engine must pass; returns the first prompt's
/// loudness for comparing engines.
fn speaks_calmly(engine: &str, program: &str) -> f64 {
    let r = render(&[program]);
    assert!(!r.stderr.contains("No speech engine"), "{}", r.stderr);
    // The opening pause is silent; each spoken step has speech.
    assert!(
        r.rms(0.1, 1.9) < 1e-4,
        "{engine}: the opening pause is silent"
    );
    for step in [1, 3, 4] {
        let (start, _) = r.step(step);
        assert!(
            r.rms(start + 0.1, start + 1.2) > 0.01,
            "{engine}: speech at step {step}"
        );
    }
    // A calm pace: the first prompt (one sentence) at 100 to 135 words a
    // minute, measured on its speech.
    let (from, to) = r.speech_span(1);
    let wpm = FIRST_WORDS * 60.0 / (to - from);
    assert!(
        (100.0..=135.0).contains(&wpm),
        "{engine}: {wpm:.0} words a minute"
    );
    // kindly's own pause between the two sentences of step 3: at least
    // half a second with no sound, inside the speech.
    let (from, to) = r.speech_span(3);
    let loud = r.loud_windows(from, to);
    let longest_gap = loud.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
    assert!(
        longest_gap >= 0.5,
        "{engine}: the gap between sentences is {longest_gap:.2} s"
    );
    // Cached: run again with an engine that can only fail; the clips are
    // reused, so nothing is synthesized and the render succeeds.
    let bin = r.dir.path().join("failing");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join(program);
    std::fs::write(&fake, "#!/bin/sh\necho 'should not run' >&2\nexit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = r.dir.path().join("home");
    let again = Test::new()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .env(
            "PATH",
            format!("{}:{}", bin.display(), crate::test::quiet_path()),
        )
        .args(["render", "-o"])
        .arg(r.dir.path().join("again.wav").display().to_string())
        .arg(r.dir.path().join("s.toml").display().to_string())
        .run();
    assert!(!again.stderr.contains("should not run"));
    let (from, to) = r.speech_span(1);
    ffmpeg_lufs(&r.dir.path().join("out.wav"), from, to)
}

#[test]
fn festival_flite_and_espeak_speak_at_one_pace_and_one_loudness() {
    let engines = [
        ("festival", "text2wave"),
        ("flite", "flite"),
        ("espeak-ng", "espeak-ng"),
    ];
    let mut levels = Vec::new();
    for (engine, program) in engines {
        if have(program) && have("ffmpeg") {
            levels.push((engine, speaks_calmly(engine, program)));
        }
    }
    if levels.len() < 2 {
        return;
    }
    eprintln!("loudness (LUFS): {levels:?}");
    let loudest = levels.iter().map(|l| l.1).fold(f64::MIN, f64::max);
    let quietest = levels.iter().map(|l| l.1).fold(f64::MAX, f64::min);
    // ±1.5 dB around their middle.
    assert!(
        loudest - quietest <= 3.0,
        "loudness differs by more than ±1.5 dB: {levels:?}"
    );
}

fn speaking(path: &str, home: &Path) -> String {
    let v = Test::new()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .env("PATH", path)
        .args(["voices", "--format", "json"])
        .run()
        .json();
    v["speaking"].as_str().unwrap().to_owned()
}

#[test]
fn auto_takes_the_best_engine_on_path() {
    if !(have("text2wave") && have("flite") && have("espeak-ng")) {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let only = |name: &str, engines: &[&str]| path_with(engines, &t.path().join(name));
    assert_eq!(speaking(&only("a", &["espeak-ng"]), &home), "espeak-ng");
    assert_eq!(
        speaking(&only("b", &["espeak-ng", "flite"]), &home),
        "flite"
    );
    assert_eq!(
        speaking(&only("c", &["espeak-ng", "flite", "text2wave"]), &home),
        "festival"
    );
    assert_eq!(speaking(&only("d", &[]), &home), "none");
    // A flag and the config file win over auto, and `voices` says why.
    let path = only("c", &[]);
    let v = Test::new()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .env("PATH", &path)
        .args(["voices", "--voice", "flite", "--format", "json"])
        .run()
        .json();
    assert_eq!(v["speaking"], "flite");
    assert_eq!(v["why"], "set by --voice");
}

#[test]
fn with_no_engine_every_prompt_gets_the_cue_and_a_calm_note() {
    let r = render(&[]);
    assert!(
        r.stderr
            .contains("No speech engine is installed, so the guidance is on screen"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("kindly voices"));
    assert!(r.rms(0.1, 1.9) < 1e-4, "the opening pause is silent");
    for step in [1, 3, 4] {
        let (start, end) = r.step(step);
        // The cue: two soft notes at the step's start, gone well before
        // the step ends.
        assert!(
            r.rms(start + 0.02, start + 0.5) > 0.01,
            "cue at step {step}"
        );
        assert!(
            r.rms(start + 1.6, end.min(start + 3.0)) < 1e-4,
            "quiet after the cue at {step}"
        );
    }
    // The pause between is silent: the cue marks only prompts.
    let (start, end) = r.step(2);
    assert!(r.rms(start + 0.1, end - 0.1) < 1e-3);
}

#[test]
fn prompt_cue_none_and_no_voice_are_silent_text() {
    let t = Test::new().write("s.toml", SESSION);
    let finished = t
        .args([
            "render",
            "s.toml",
            "-o",
            "out.wav",
            "--no-voice",
            "--prompt-cue",
            "none",
        ])
        .run();
    let mut r = hound::WavReader::open(finished.dir.path().join("out.wav")).unwrap();
    // Silent, and there: an empty file would be "all zeros" too.
    let seconds = r.duration() / r.spec().sample_rate;
    assert!(seconds >= 8, "{seconds} s rendered");
    assert!(r.samples::<i16>().all(|s| s.unwrap() == 0));
}

/// piper's recipe, run against a stand-in: it fails unless given a model
/// that exists, an output file, a length scale that slows speech, and the
/// words on standard input; then it writes a WAV as piper does.
#[test]
fn piper_is_run_as_its_recipe_says() {
    if !have("sox") {
        return;
    }
    let t = Test::new().write("s.toml", SESSION);
    let bin = t.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = t.path().join("piper.log");
    let stand_in = format!(
        r#"#!/bin/sh
model=""; out=""; scale=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2;;
    --output_file) out="$2"; shift 2;;
    --length_scale) scale="$2"; shift 2;;
    --sentence_silence) shift 2;;
    *) echo "unexpected argument $1" >&2; exit 2;;
  esac
done
[ -f "$model" ] || {{ echo "no model $model" >&2; exit 3; }}
[ -f "$model.json" ] || {{ echo "no $model.json" >&2; exit 3; }}
case "$scale" in 1.*) ;; *) echo "length_scale $scale is not slower" >&2; exit 4;; esac
words=$(cat)
[ -n "$words" ] || {{ echo "no words on stdin" >&2; exit 5; }}
echo "$words" >> {log}
exec sox -n -r 22050 -c 1 -b 16 "$out" synth 1.5 sine 220 vol 0.3
"#,
        log = log.display()
    );
    let fake = bin.join("piper");
    std::fs::write(&fake, stand_in).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A voice model where kindly looks for one: its data folder's voices/.
    let t = t
        .write("home/voices/en_US-lessac-medium.onnx", "model")
        .write("home/voices/en_US-lessac-medium.onnx.json", "{}");
    let path = format!("{}:{}", bin.display(), crate::test::quiet_path());
    let finished = t
        .env("PATH", &path)
        .args(["render", "s.toml", "-o", "out.wav"])
        .run();
    let said = std::fs::read_to_string(&log).unwrap();
    // One run a sentence, each with its words.
    assert_eq!(said.lines().count(), 4, "{said}");
    assert!(said.contains("Breathe in gently."));
    assert!(said.contains("Now let the breath go."));
    let mut r = hound::WavReader::open(finished.dir.path().join("out.wav")).unwrap();
    assert!(r.samples::<i16>().any(|s| s.unwrap().abs() > 1000));
}

#[test]
fn voices_use_writes_the_choice_and_keeps_comments() {
    let t = Test::new().write(
        "home/config.toml",
        "# my settings\nvolume = 0.7 # a bit quieter\n\n[voice]\n# slower please\nrate = 0.9\n",
    );
    let home = t.path().join("home");
    let finished = t.args(["voices", "use", "flite"]).run();
    assert!(
        finished.stderr.contains("voice: flite"),
        "{}",
        finished.stderr
    );
    let text = std::fs::read_to_string(home.join("config.toml")).unwrap();
    assert_eq!(
        text,
        "# my settings\nvolume = 0.7 # a bit quieter\n\n[voice]\n# slower please\nrate = 0.9\nengine = \"flite\"\n"
    );
    // kindly reads it back as it was meant.
    let c = Test::new()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .args(["config", "--format", "json"])
        .run()
        .json();
    assert_eq!(c["settings"]["voice"]["value"]["engine"], "flite");
    assert_eq!(c["settings"]["voice_rate"]["value"], 0.9);
    // An engine kindly does not know is refused before anything is written.
    Test::new()
        .env("KINDLY_HOME", home.to_str().unwrap())
        .args(["voices", "use", "robot"])
        .status(2)
        .stderr_contains("is not a voice")
        .run();
    assert_eq!(
        std::fs::read_to_string(home.join("config.toml")).unwrap(),
        text
    );
}

#[test]
fn an_engine_asked_for_but_missing_says_what_to_do() {
    let t = Test::new()
        .write("home/config.toml", "[voice]\nengine = \"flite\"\n")
        .write("s.toml", SESSION);
    t.args(["render", "s.toml", "-o", "out.wav"])
        .status(2)
        .stderr_contains("the voice engine `flite` (set in config.toml) cannot speak: `flite` is not on your PATH")
        .stderr_contains("kindly voices")
        .run();
}

#[test]
fn voices_with_none_installed_says_how_to_get_one() {
    Test::new()
        .arg("voices")
        .stdout_contains("No engine is installed")
        .stdout_contains("sudo apt install festival festvox-us-slt-hts")
        .run();
}
