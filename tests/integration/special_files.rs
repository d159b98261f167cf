//! Whatever sits where kindly expects a file (a FIFO, a link to
//! `/dev/zero`, a folder) is refused or skipped quickly, never read
//! forever or blocked on. Each test builds its own.

use std::path::Path;
use std::time::Duration;

use crate::test::{mkfifo, Test};

/// Run kindly in `home` with `args`; it must end by itself within 20 s
/// (a hang or a 4 GB read would not), and is killed otherwise.
fn bounded(home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Test::new()
        .current_dir(home)
        .env("KINDLY_HOME", home)
        .args(args.iter().copied())
        .deadline(Duration::from_secs(20))
        .output();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

#[test]
fn a_practice_log_that_is_dev_zero_or_a_fifo_is_refused() {
    let t = Test::new();
    let home = t.path();
    std::os::unix::fs::symlink("/dev/zero", home.join("practice-log.jsonl")).unwrap();
    let (code, err) = bounded(home, &["stats"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");

    std::fs::remove_file(home.join("practice-log.jsonl")).unwrap();
    mkfifo(&home.join("practice-log.jsonl"));
    let (code, err) = bounded(home, &["stats"]);
    assert_eq!(code, Some(2), "{err}");
    // Adding to it must not block on the FIFO either.
    let (code, err) = bounded(home, &["log", "append-test"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_config_file_that_is_a_fifo_is_refused() {
    let t = Test::new();
    mkfifo(&t.path().join("config.toml"));
    let (code, err) = bounded(t.path(), &["config"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a small regular file"), "{err}");
}

#[test]
fn a_journal_day_that_is_a_fifo_is_refused() {
    let t = Test::new();
    let journal = t.path().join("journal");
    std::fs::create_dir_all(&journal).unwrap();
    mkfifo(&journal.join("2026-11-28.md"));
    let (code, err) = bounded(t.path(), &["journal", "show", "2026-11-28"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}
