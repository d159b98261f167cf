//! `kindly play NAME --resume`: the run starts where the practice log says
//! the last run of NAME stopped.

use crate::test::Test;

/// Four one-second steps, each named on its plain line.
const FOUR: &str = "title = \"Four\"\nformat = 1\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"1s\"\ntext = \"One\"\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"1s\"\ntext = \"Two\"\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"1s\"\ntext = \"Three\"\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"1s\"\ntext = \"Four\"\n";

/// A practice-log line for `session`, ended early at `step` (from 1) or
/// finished.
fn record(session: &str, day: u32, ended_at: Option<usize>) -> String {
    let end = match ended_at {
        Some(step) => format!(r#","ended_at_step":{step},"ended_by":"q""#),
        None => String::new(),
    };
    format!(
        r#"{{"v":1,"kind":"play","session":"{session}","title":"Four","started":"2025-03-{day:02}T07:00:00+00:00","planned_seconds":4.0,"practised_seconds":2.0,"completed":{}{end},"themes":[]}}"#,
        ended_at.is_none()
    ) + "\n"
}

/// `kindly play s.toml --resume`, fast and silent, with `log` as the log.
fn resume(log: String) -> Test {
    Test::new()
        .write("s.toml", FOUR)
        .write("home/practice-log.jsonl", log)
        .env("KINDLY_OUTPUT", "null")
        .args(["play", "--plain", "--speed", "20", "--resume", "s.toml"])
}

/// The steps the plain lines show, as `n/4`.
fn steps_shown(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.ends_with("/4")))
        .map(str::to_owned)
        .collect()
}

#[test]
fn resume_starts_at_the_step_the_last_run_of_that_session_ended_at() {
    // The latest run of `s` ended at step 3; other sessions ended elsewhere,
    // before and after it.
    let log = [
        record("s", 1, Some(2)),
        record("other", 2, Some(4)),
        record("s", 3, Some(3)),
        record("other", 4, Some(2)),
    ]
    .concat();
    let t = resume(log)
        .stderr_contains("going on at step 3 of 4, where the last run ended")
        .run();
    assert_eq!(steps_shown(&t.stdout), ["3/4", "4/4"], "{}", t.stdout);
    assert!(t.stdout.contains("Three"), "{}", t.stdout);
}

#[test]
fn resume_after_a_finished_run_or_none_starts_at_the_beginning_and_says_why() {
    let log = [record("s", 1, Some(3)), record("s", 2, None)].concat();
    let t = resume(log)
        .stderr_contains("the last run was played to the end; starting at the beginning")
        .run();
    assert_eq!(steps_shown(&t.stdout), ["1/4", "2/4", "3/4", "4/4"]);

    let t = resume(record("other", 1, Some(2)))
        .stderr_contains("the practice log has no run of s yet; starting at the beginning")
        .run();
    assert_eq!(steps_shown(&t.stdout), ["1/4", "2/4", "3/4", "4/4"]);

    // A script shortened since: its old step is not there any more.
    let t = resume(record("s", 1, Some(9)))
        .stderr_contains("the last run ended at step 9, but s has 4 steps now")
        .run();
    assert_eq!(steps_shown(&t.stdout).len(), 4);
}

#[test]
fn resume_and_from_cannot_both_be_given() {
    Test::new()
        .write("s.toml", FOUR)
        .args(["play", "--resume", "--from", "2", "s.toml"])
        .stderr_contains("cannot be used with")
        .status(2)
        .run();
}
