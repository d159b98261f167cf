//! `kindly again`: the last run played once more with its options, through
//! the binary, from the log the first run wrote.

use std::path::Path;
use std::process::Output;

use crate::test::{kindly_in, practice_log, Test};

/// Two one-second steps, each named on its plain line.
const TWO: &str = "title = \"Two\"\nformat = 1\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"1s\"\ntext = \"First quiet\"\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"1s\"\ntext = \"Second quiet\"\n";

/// `kindly again ARGS` in the test folder `dir` (or `cwd` inside it), on
/// the null output.
fn again(dir: &Path, cwd: &str, args: &[&str]) -> Output {
    let cwd = dir.join(cwd);
    std::fs::create_dir_all(&cwd).unwrap();
    kindly_in(dir)
        .current_dir(cwd)
        .env("KINDLY_OUTPUT", "null")
        .arg("again")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_played_script_plays_again_from_another_folder_with_its_options() {
    let t = Test::new()
        .write("s.toml", TWO)
        .env("KINDLY_OUTPUT", "null")
        .args(["play", "s.toml", "--plain", "--volume", "0.5", "--no-voice"])
        .stdout_contains("Second quiet")
        .run();
    let dir = t.dir.path();
    let script = dir.join("s.toml").canonicalize().unwrap();
    let out = again(dir, "elsewhere", &["--plain"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        text(&out.stdout).contains("First quiet"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        stderr.contains(&format!(
            "again: play {}, volume 0.5, no voice",
            script.display()
        )),
        "{stderr}"
    );
    let log = practice_log(dir);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["kind"], "play");
    assert_eq!(log[1]["session"], "s");
    assert_eq!(log[0]["again"], log[1]["again"]);
    assert_eq!(
        log[1]["again"],
        serde_json::json!([
            script.display().to_string(),
            "--volume",
            "0.5",
            "--no-voice"
        ])
    );
}

#[test]
fn a_session_plays_again_with_its_voice_and_prompt_cue() {
    let t = Test::new()
        .write("s.toml", TWO)
        .env("KINDLY_OUTPUT", "null")
        .args([
            "play",
            "s.toml",
            "--plain",
            "--voice",
            "off",
            "--prompt-cue",
            "chime",
        ])
        .run();
    let dir = t.dir.path();
    let out = again(dir, "", &["--plain"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(", voice off, prompt cue chime"), "{stderr}");
    let log = practice_log(dir);
    assert_eq!(log.len(), 2);
    let kept: Vec<&str> = log[1]["again"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(kept, ["--voice", "off", "--prompt-cue", "chime"]);
    assert_eq!(log[0]["again"], log[1]["again"]);
}

#[test]
fn a_timer_sits_again_with_its_bells_and_flags_given_to_again_win() {
    let t = Test::new()
        .env("KINDLY_OUTPUT", "null")
        .args([
            "timer",
            "3s",
            "--interval",
            "1s",
            "--end-strikes",
            "1",
            "--plain",
        ])
        .stdout_contains("Sitting for 3s")
        .run();
    let dir = t.dir.path();
    let out = again(dir, ".", &["--plain", "--volume", "0.3"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("again: timer 3s, interval 1s, end strikes 1\n"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("Sitting for 3s"),
        "{}",
        text(&out.stdout)
    );
    let log = practice_log(dir);
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[0]["again"],
        serde_json::json!(["3s", "--interval", "1s", "--end-strikes", "1"])
    );
    assert_eq!(
        log[1]["again"],
        serde_json::json!([
            "3s",
            "--interval",
            "1s",
            "--end-strikes",
            "1",
            "--volume",
            "0.3"
        ])
    );
    assert_eq!(log[1]["kind"], "timer");
    assert_eq!(log[1]["planned_seconds"], log[0]["planned_seconds"]);
}

#[test]
fn again_with_nothing_logged_says_so_kindly() {
    Test::new()
        .env("KINDLY_OUTPUT", "null")
        .args(["again"])
        .status(2)
        .stderr_contains("there is nothing to play again yet")
        .stderr_contains("kindly timer 10m")
        .run();
}

#[test]
fn again_after_the_script_was_deleted_says_where_it_was() {
    let t = Test::new()
        .write("s.toml", TWO)
        .env("KINDLY_OUTPUT", "null")
        .args(["play", "s.toml", "--plain"])
        .run();
    let dir = t.dir.path();
    let script = dir.join("s.toml").canonicalize().unwrap();
    std::fs::remove_file(&script).unwrap();
    let out = again(dir, ".", &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "was played from {}, which has since moved or been deleted",
            script.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("kindly play PATH"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(practice_log(dir).len(), 1, "nothing played, nothing logged");
}

#[test]
fn old_log_lines_without_the_arguments_are_read_by_a_rule() {
    let old = r#"{"v":1,"kind":"timer","session":"timer","title":"Timer","started":"2025-03-01T07:00:00+00:00","planned_seconds":2.0,"practised_seconds":2.0,"completed":true,"themes":[]}"#;
    let t = Test::new()
        .write("home/practice-log.jsonl", format!("{old}\n"))
        .env("KINDLY_OUTPUT", "null")
        .args(["again", "--plain"])
        .stderr_contains("again: timer 2s (an older log line: only what it kept)")
        .stdout_contains("Sitting for 2s")
        .run();
    let log = practice_log(t.dir.path());
    assert_eq!(log.len(), 2);
    assert!(
        log[0].get("again").is_none(),
        "the old line is not rewritten"
    );
    assert_eq!(log[1]["again"], serde_json::json!(["2s"]));
}

#[test]
fn an_old_play_line_plays_its_session_again_by_name() {
    let old = r#"{"v":1,"kind":"play","session":"s","title":"Two","started":"2025-03-01T07:00:00+00:00","planned_seconds":2.0,"practised_seconds":1.0,"completed":false,"ended_at_step":1,"ended_by":"q","themes":[]}"#;
    let t = Test::new()
        .write("home/sessions/s.toml", TWO)
        .write("home/practice-log.jsonl", format!("{old}\n"));
    let dir = t.path();
    let out = again(dir, ".", &["--plain"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("again: play s (an older log line: only what it kept)"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("[00:00] 1/2 pause: First quiet"),
        "{}",
        text(&out.stdout)
    );
    let log = practice_log(dir);
    assert_eq!(log.len(), 2);
    let script = dir.join("home/sessions/s.toml").canonicalize().unwrap();
    assert_eq!(log[1]["again"][0], script.display().to_string());
}
