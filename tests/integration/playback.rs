//! `kindly play` end to end through a real sound server.
//!
//! A private PulseAudio with a null sink (its own runtime folder, a unix
//! socket only) stands in for a sound card; ALSA's default device is
//! pointed at it, so kindly plays exactly as it would on a desktop.
//! `parec` records the sink's monitor, and onsets found in the recording
//! are compared with the schedule. The interactive path is driven in tmux
//! as a person would: keys sent, the screen read back.
//!
//! Without `pulseaudio` (or `parec`, `tmux`) these tests say they were
//! skipped and why; with `KINDLY_E2E=required` (set by `.ci/run`) they
//! fail instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::test::{command_in, shell_quote, tools, Test};
use crate::tmux::Tmux;
const RATE: f64 = 48_000.0;
/// How far an onset may land from where the schedule says.
const TOLERANCE: f64 = 0.010;

/// An ALSA configuration with only a default device, through PulseAudio,
/// so no test ever touches a real card.
fn alsa_config(dir: &Path) -> PathBuf {
    let path = dir.join("asound.conf");
    std::fs::write(
        &path,
        "pcm.!default { type pulse }\nctl.!default { type pulse }\n",
    )
    .unwrap();
    path
}

/// A private PulseAudio, stopped by its pid when dropped.
struct Pulse {
    dir: tempfile::TempDir,
    child: Child,
    /// A stream of zeros that keeps the sink awake (see `start`).
    awake: Option<Child>,
}

impl Pulse {
    fn start() -> Pulse {
        let dir = tempfile::tempdir().unwrap();
        for d in ["run", "home"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        let socket = dir.path().join("native");
        let child = command_in(dir.path(), "pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--log-target=stderr",
                "-L",
                "module-null-sink sink_name=kindly_null rate=48000",
                "-L",
            ])
            .arg(format!(
                "module-native-protocol-unix socket={} auth-anonymous=1",
                socket.display()
            ))
            .envs(Pulse::env_of(dir.path()))
            .env_remove("PULSE_SERVER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pulseaudio starts");
        let mut pulse = Pulse {
            dir,
            child,
            awake: None,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "pulseaudio did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        // An idle null sink renders up to 2 s ahead and rewinds to mix in
        // a new stream: a speaker would play it at once, but its monitor
        // has already handed the silence to the recorder, so a recording
        // would lose a new stream's first moments. A low-latency stream of
        // zeros keeps the sink waking every few milliseconds, as a sound
        // card's interrupts would.
        pulse.awake = command_in(pulse.dir.path(), "pacat")
            .args(["--playback", "--raw", "--format=s16le", "--rate=48000"])
            .args(["--channels=2", "--latency-msec=10", "/dev/zero"])
            .envs(pulse.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        std::thread::sleep(Duration::from_millis(300));
        pulse
    }

    fn env_of(dir: &Path) -> Vec<(String, String)> {
        let d = |p: &str| dir.join(p).display().to_string();
        vec![
            ("XDG_RUNTIME_DIR".into(), d("run")),
            ("PULSE_RUNTIME_PATH".into(), d("run")),
            ("HOME".into(), d("home")),
            ("PULSE_SERVER".into(), format!("unix:{}", d("native"))),
            (
                "ALSA_CONFIG_PATH".into(),
                alsa_config(dir).display().to_string(),
            ),
            ("NO_COLOR".into(), "1".into()),
            ("KINDLY_HOME".into(), d("home/kindly")),
        ]
    }

    /// `kindly`, sealed, as a client of this server, with nothing on stdin.
    fn kindly(&self) -> Command {
        let mut cmd = crate::test::kindly_in(self.dir.path());
        cmd.envs(self.env());
        cmd
    }

    /// The environment a client (kindly, parec) needs.
    fn env(&self) -> Vec<(String, String)> {
        Pulse::env_of(self.dir.path())
    }

    fn record(&self) -> Recording {
        let path = self.dir.path().join("rec.raw");
        let child = command_in(self.dir.path(), "parec")
            .args([
                "-d",
                "kindly_null.monitor",
                "--raw",
                "--format=s16le",
                "--rate=48000",
                "--channels=2",
                "--latency-msec=10",
            ])
            .envs(self.env())
            .stdout(std::fs::File::create(&path).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec starts");
        // parec connects in a few milliseconds; the recording is aligned
        // by its first cue, so its exact start does not matter.
        std::thread::sleep(Duration::from_millis(300));
        Recording { child, path }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Pulse {
    /// Stop the server now, as a crash or `pulseaudio -k` would.
    fn kill(&mut self) {
        if let Some(mut zeros) = self.awake.take() {
            let _ = zeros.kill();
            let _ = zeros.wait();
        }
        if self.child.try_wait().is_ok_and(|done| done.is_none()) {
            let _ = Command::new("kill")
                .arg(self.child.id().to_string())
                .status();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        self.kill();
    }
}

struct Recording {
    child: Child,
    path: PathBuf,
}

impl Recording {
    /// Stop and read back as mono f32.
    fn stop(mut self) -> Vec<f32> {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        let bytes = std::fs::read(&self.path).unwrap();
        bytes
            .chunks_exact(4)
            .map(|f| {
                let l = i16::from_le_bytes([f[0], f[1]]) as f32;
                let r = i16::from_le_bytes([f[2], f[3]]) as f32;
                (l + r) / 2.0 / 32768.0
            })
            .collect()
    }
}

/// Times (s) where the level first rises above `threshold` after at least
/// 150 ms below it: the woodblock's crisp attack makes this exact to a
/// millisecond or two.
fn onsets(samples: &[f32], threshold: f32) -> Vec<f64> {
    let quiet = (0.150 * RATE) as usize;
    let mut out = Vec::new();
    let mut below = quiet;
    for (i, s) in samples.iter().enumerate() {
        if s.abs() > threshold {
            if below >= quiet {
                out.push(i as f64 / RATE);
            }
            below = 0;
        } else {
            below += 1;
        }
    }
    out
}

/// The longest run of digital silence, as (start, length) in seconds.
fn longest_silence(samples: &[f32]) -> (f64, f64) {
    let (mut best, mut start, mut run) = ((0, 0), 0, 0);
    for (i, s) in samples.iter().enumerate() {
        if s.abs() < 1e-4 {
            if run == 0 {
                start = i;
            }
            run += 1;
            if run > best.1 {
                best = (start, run);
            }
        } else {
            run = 0;
        }
    }
    (best.0 as f64 / RATE, best.1 as f64 / RATE)
}

fn assert_schedule(found: &[f64], expected: &[f64]) {
    assert!(!found.is_empty(), "no onsets recorded");
    let t0 = found[0];
    let rel: Vec<f64> = found.iter().map(|t| t - t0).collect();
    assert_eq!(
        rel.len(),
        expected.len(),
        "onsets {rel:?}, expected {expected:?}"
    );
    for (got, want) in rel.iter().zip(expected) {
        assert!(
            (got - want).abs() <= TOLERANCE,
            "onset at {got:.4}s, scheduled {want:.4}s (all: {rel:?})"
        );
    }
}

// A second of quiet first: the stream's first moments (the server
// filling its buffer) are not where timing is judged.
const CUES: &str = r#"title = "Cues on time"
format = 1

[[steps]]
kind = "pause"
duration = "1s"

[[steps]]
kind = "bell"
sound = "woodblock"
strikes = 3
spacing = "1s"
text = "Three blocks"

[[steps]]
kind = "pause"
duration = "2s"
interval = "750ms"
interval_sound = "woodblock"
text = "Two more"

[[steps]]
kind = "bell"
sound = "woodblock"
strikes = 2
spacing = "1.25s"
text = "And the end"
"#;

#[test]
fn cues_land_on_schedule_through_a_sound_server() {
    if !tools(&["pulseaudio", "parec"]) {
        return;
    }
    let pulse = Pulse::start();
    let script = pulse.write("cues.toml", CUES);
    let recording = pulse.record();
    let started = Instant::now();
    let out = pulse
        .kindly()
        .args(["play", "--plain"])
        .arg(&script)
        .output()
        .unwrap();
    let took = started.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    let samples = recording.stop();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(stderr, "", "nothing on stderr");
    assert!(
        stdout.starts_with("[00:00] 1/4 pause\n[00:01] 2/4 bell: Three blocks\n"),
        "{stdout}"
    );
    assert!(stdout.contains("] 3/4 pause: Two more\n"), "{stdout}");
    // Bell: 0, 1, 2 s; ring 0.5 s, so the pause starts at 2.5 s, with
    // interval strikes at 3.25, 4.0 (and not at its end, 4.5); the last
    // bell at 4.5 and 5.75 s.
    assert_schedule(
        &onsets(&samples, 0.05),
        &[0.0, 1.0, 2.0, 3.25, 4.0, 4.5, 5.75],
    );
    // 7.25 s of session, plus start-up (a debug build) and the drain.
    assert!(took < Duration::from_secs(11), "took {took:?}");
}

const CONTROLS: &str = r#"title = "Controls"
format = 1

[ambience]
sound = "brown-noise"
volume = 0.05
fade = "100ms"

[[steps]]
kind = "bell"
sound = "woodblock"
text = "Step one: arrive"

[[steps]]
kind = "pause"
duration = "3s"
interval = "1s"
interval_sound = "woodblock"
text = "Step two: counting"

[[steps]]
kind = "pause"
duration = "30s"
text = "Step three: a long quiet"

[[steps]]
kind = "bell"
sound = "woodblock"
strikes = 2
spacing = "1s"
text = "Step four: where the skip lands"

[[steps]]
kind = "pause"
duration = "30s"
text = "Step five: nearly done"
"#;

#[test]
fn pause_skip_and_quit_driven_in_tmux() {
    if !tools(&["pulseaudio", "parec", "tmux"]) {
        return;
    }
    let pulse = Pulse::start();
    let script = pulse.write("controls.toml", CONTROLS);
    let status_file = pulse.dir.path().join("status");
    let test = Test::new()
        .envs(pulse.env())
        .env("TERM", "xterm-256color")
        .arg("play")
        .arg(&script);
    let then = format!(
        "echo $? > {}; sleep 30",
        shell_quote(&status_file.display().to_string())
    );
    let recording = pulse.record();
    let tmux = Tmux::kindly("play", test, &then, 100, 30);

    tmux.wait_for("Step one: arrive", Duration::from_secs(10));
    tmux.wait_for("Step two: counting", Duration::from_secs(5));
    // Pause between interval strikes, hold it 2 s, resume.
    std::thread::sleep(Duration::from_millis(300));
    tmux.keys(&["Space"]);
    let paused = tmux.wait_for("paused", Duration::from_secs(2));
    assert!(paused.contains("2/5 · pause"), "{paused}");
    std::thread::sleep(Duration::from_secs(2));
    tmux.keys(&["Space"]);
    tmux.wait_for("Step three: a long quiet", Duration::from_secs(6));
    std::thread::sleep(Duration::from_millis(500));
    tmux.keys(&["n"]);
    let skipped = Instant::now();
    let screen = tmux.wait_for("4/5 · bell", Duration::from_secs(3));
    assert!(
        screen.contains("Step four: where the skip lands"),
        "{screen}"
    );
    tmux.wait_for("Step five: nearly done", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(500));
    tmux.keys(&["q"]);
    let quit = Instant::now();
    let screen = tmux.wait_for("Ended at step 5 of 5", Duration::from_secs(3));
    let deadline = Instant::now() + Duration::from_secs(3);
    while !status_file.exists() {
        assert!(Instant::now() < deadline, "kindly did not exit:\n{screen}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let after_quit = quit.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    let samples = recording.stop();
    assert_eq!(std::fs::read_to_string(&status_file).unwrap().trim(), "0");
    assert!(!screen.contains("ALSA"), "{screen}");
    assert!(after_quit < Duration::from_secs(2));

    // The bed is quiet (0.05) and the woodblock loud, so 0.2 finds cues only.
    let found = onsets(&samples, 0.2);
    let t0 = found[0];
    let rel: Vec<f64> = found.iter().map(|t| t - t0).collect();
    // Step one's block at 0; step two's strikes at 1.5 and 2.5 s (3.5 is
    // its end). The pause came before the first of them (0.3 s after step
    // two showed), so both arrive late by exactly its length.
    assert!(rel.len() >= 5, "onsets {rel:?}");
    let pause = rel[1] - 1.5;
    assert!(
        (1.9..=3.0).contains(&pause),
        "the strikes should come a pause later: {rel:?}"
    );
    assert!(
        (rel[2] - (2.5 + pause)).abs() <= TOLERANCE,
        "the second strike {rel:?}"
    );
    // The pause itself is silence, bed included, and that long.
    let (start, length) = longest_silence(&samples);
    assert!(
        (pause - length).abs() < 0.1 && start > t0 + 0.5 && start < t0 + 1.5,
        "silence of {length:.3}s at {:.3}s, pause {pause:.3}s",
        start - t0
    );
    // The skip: step four's two strikes 1 s apart, long before step
    // three's 30 s would have ended.
    let (a, b) = (rel[3], rel[4]);
    assert!(
        (b - a - 1.0).abs() <= TOLERANCE,
        "step four's strikes {rel:?}"
    );
    assert!(a < 3.5 + pause + 10.0, "skip did not move on: {rel:?}");
    // Quit stopped the sound: the recording (bed and all) ends within half
    // a second of the key, measured from step four's first strike.
    let heard_after_skip = samples.len() as f64 / RATE - (t0 + a);
    let wall_after_skip = (quit - skipped).as_secs_f64();
    assert!(
        heard_after_skip < wall_after_skip + 0.5,
        "sound went on after quit: {heard_after_skip:.2}s heard, {wall_after_skip:.2}s to the key"
    );
}

#[test]
fn without_a_sound_server_a_clear_message_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.toml");
    std::fs::write(&script, CUES).unwrap();
    let started = Instant::now();
    let out = Test::new()
        .env(
            "PULSE_SERVER",
            format!("unix:{}/nowhere", dir.path().display()),
        )
        .env("ALSA_CONFIG_PATH", alsa_config(dir.path()))
        .env("HOME", dir.path())
        .env("XDG_RUNTIME_DIR", dir.path())
        .arg("play")
        .arg(&script)
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stderr.starts_with("error: cannot play sound: "), "{stderr}");
    assert!(stderr.contains("--silent"), "{stderr}");
    assert!(stderr.contains("kindly render"), "{stderr}");
    assert!(!stderr.contains("ALSA lib"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

/// The recording output (`KINDLY_OUTPUT=record:PATH`) needs no device:
/// a quick timer at 20× writes exactly the bells its schedule says.
#[test]
fn a_timer_rings_its_bells_on_schedule_without_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("timer.wav");
    let out = Test::new()
        .env("KINDLY_OUTPUT", format!("record:{}", wav.display()))
        .env("KINDLY_HOME", dir.path())
        .args(["timer", "20s", "--bell", "woodblock", "--interval", "5s"])
        .args(["--warmup", "2s", "--speed", "20"])
        .output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("[00:02] 2/10 bell: Begin. Sitting for 20s.\n"),
        "{stdout}"
    );
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let rate = f64::from(reader.spec().sample_rate);
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect::<Vec<_>>()
        .chunks_exact(2)
        .map(|f| (f[0] + f[1]) / 2.0)
        .collect();
    assert_eq!(rate, RATE);
    let found = onsets(&samples, 0.05);
    // Frame-exact: the recording starts at the session's first frame.
    let want = [2.0, 7.0, 12.0, 17.0, 22.0, 26.0, 30.0];
    assert_eq!(found.len(), want.len(), "{found:?}");
    for (got, want) in found.iter().zip(want) {
        assert!((got - want).abs() < 0.002, "{found:?}");
    }
}

/// SIGTERM ends a session cleanly: the summary, then 128 + 15.
#[test]
fn sigterm_ends_the_session_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.toml");
    std::fs::write(&script, CUES).unwrap();
    let play = Test::new()
        .env("KINDLY_HOME", dir.path())
        .args(["play", "--plain", "--silent"])
        .arg(&script);
    let child = play.spawn();
    std::thread::sleep(Duration::from_millis(1500));
    crate::test::send_signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(143), "{stdout}");
    assert!(
        stdout.ends_with("Ended at step 2 of 4 · practised 00:01.\n"),
        "{stdout}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// The sound server going away mid-session ends it: a clear message,
/// exit 2, the practice so far logged as ended early, and no process left
/// spinning on a dead socket.
#[test]
fn losing_the_sound_server_ends_the_session_with_exit_2() {
    if !tools(&["pulseaudio"]) {
        return;
    }
    let mut pulse = Pulse::start();
    let home = pulse.dir.path().join("home/kindly");
    let mut child = pulse
        .kindly()
        .args(["timer", "1m", "--plain", "--bell", "woodblock"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert!(child.try_wait().unwrap().is_none(), "still playing");
    pulse.kill();
    let killed = Instant::now();
    let deadline = killed + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kindly still running 15 s after its sound server went away");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("\nEnded at step 2 of 3 · practised 00:0"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("error: the sound stopped at step 2: "),
        "{stderr}"
    );
    assert!(stderr.contains("--silent"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("ALSA lib"), "{stderr}");
    let log = std::fs::read_to_string(home.join("practice-log.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains(r#""completed":false"#), "{log}");
    assert!(log.contains(r#""ended_by":"device lost""#), "{log}");
}

/// `--from STEP` starts there: the log's first line is that step, with no
/// earlier step printed as if it had passed.
#[test]
fn from_a_step_the_log_starts_at_that_step() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.toml");
    std::fs::write(&script, CUES).unwrap();
    let out = Test::new()
        .env("KINDLY_OUTPUT", "null")
        .env("KINDLY_HOME", dir.path())
        .args(["play", "--plain", "--speed", "20", "--from", "3"])
        .arg(&script)
        .output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let first = stdout.lines().next().unwrap_or("");
    assert!(first.contains("] 3/4 pause: Two more"), "{stdout}");
    assert!(
        !stdout.contains(" 1/4 ") && !stdout.contains(" 2/4 "),
        "{stdout}"
    );
}

/// Played on a device, the built-in sounds are kept in the cache folder
/// and used again; a damaged one is made again, never played.
#[test]
fn played_sounds_are_cached_and_a_damaged_one_is_made_again() {
    if !tools(&["pulseaudio"]) {
        return;
    }
    let pulse = Pulse::start();
    let script = pulse.write(
        "rain.toml",
        "title = \"t\"\nformat = 1\n\n[ambience]\nsound = \"rain\"\n\n\
         [[steps]]\nkind = \"bell\"\nsound = \"woodblock\"\n\n\
         [[steps]]\nkind = \"pause\"\nduration = \"3s\"\n",
    );
    // The rain renders in the background while the session plays (its
    // fade-in hides it); three seconds is ample time to render and keep it.
    let cache = pulse.dir.path().join("home/kindly/cache/sounds");
    let play = || {
        let out = pulse
            .kindly()
            .args(["play", "--plain"])
            .arg(&script)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    };
    let files = || {
        let mut names: Vec<String> = std::fs::read_dir(&cache)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    play();
    let kept = files();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept[0].starts_with("rain-48000hz-2ch-r"), "{kept:?}");
    assert!(kept[1].starts_with("woodblock-48000hz-1ch-r"), "{kept:?}");
    let rain = cache.join(&kept[0]);
    let whole = std::fs::read(&rain).unwrap();

    // Cut short: kindly makes it again and plays on.
    std::fs::write(&rain, &whole[..whole.len() / 2]).unwrap();
    play();
    assert_eq!(std::fs::read(&rain).unwrap(), whole, "made again, the same");
    assert_eq!(files(), kept, "no temporary files left");
}

/// A woodblock, then words with a cold voice cache, then a woodblock.
const SPOKEN: &str = r#"title = "Spoken live"
format = 1

[[steps]]
kind = "bell"
sound = "woodblock"

[[steps]]
kind = "prompt"
text = "Let yourself arrive here, just as you are. There is nothing you need to do."
hold = "1s"

[[steps]]
kind = "bell"
sound = "woodblock"
"#;

/// Live play makes its words while it plays: the first woodblock sounds
/// at once, the words follow it, and the last woodblock comes after the
/// words, never over them and never in their place.
#[test]
fn words_made_while_playing_are_heard_in_their_place() {
    if !tools(&["pulseaudio", "parec", "flite"]) {
        return;
    }
    let pulse = Pulse::start();
    let script = pulse.write("spoken.toml", SPOKEN);
    let path = crate::test::path_with(&["flite"], &pulse.dir.path().join("bin"));
    let recording = pulse.record();
    let out = pulse
        .kindly()
        .env("PATH", &path)
        .args(["play", "--plain"])
        .arg(&script)
        .output()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let samples = recording.stop();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("No speech engine"), "{stderr}");
    // Level in 50 ms windows: the woodblock is 0.5 s, the words several
    // seconds with a pause between their two sentences.
    let window = (0.05 * RATE) as usize;
    let loud: Vec<bool> = samples
        .chunks(window)
        .map(|w| (w.iter().map(|x| x * x).sum::<f32>() / w.len() as f32).sqrt() > 0.01)
        .collect();
    let first = loud.iter().position(|&l| l).expect("something was heard");
    let last = loud.iter().rposition(|&l| l).unwrap();
    let heard_secs = (last - first) as f64 * 0.05;
    // Woodblock (0.5 s), about 5 s of words, 1 s hold, woodblock.
    assert!(
        heard_secs > 5.0,
        "the words were heard: {heard_secs:.2} s of sound"
    );
    // The words start after the first woodblock has rung out and are
    // themselves sound for seconds: more than the two woodblocks' 20
    // windows are loud.
    let loud_windows = loud[first..=last].iter().filter(|&&l| l).count();
    assert!(loud_windows > 40, "{loud_windows} loud windows");
    // And the clip was kept for next time.
    let voices = pulse.dir.path().join("home/kindly/cache/voices");
    let clips = std::fs::read_dir(&voices)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "wav"));
    assert_eq!(clips.count(), 1);
}
