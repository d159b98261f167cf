//! Typing a journal answer as a person would, in a real terminal (tmux).
//!
//! Drives `kindly play` through reflect steps with `journal = true` (with
//! the null output, so no sound device is needed), and the hidden `kindly
//! journal capture-test`, the blocking capture outside play. Skipped when
//! tmux is missing, unless `KINDLY_E2E=required` (CI) makes that a failure.

use std::path::Path;
use std::time::Duration;

use crate::test::{mode, Test};
use crate::tmux::{self, Tmux};

const WAIT: Duration = Duration::from_secs(10);

/// `kindly journal capture-test` in tmux, ready for typing.
fn capture_test(home: &Path, name: &str) -> Option<Tmux> {
    if !tmux::available() {
        return None;
    }
    let test = Test::new().env("KINDLY_HOME", home).args([
        "journal",
        "capture-test",
        "--question",
        "What do you need?",
    ]);
    let t = Tmux::kindly(name, test, "sleep 30", 100, 20);
    t.wait_for("Ctrl-D to finish", WAIT);
    Some(t)
}

#[test]
fn a_typed_answer_is_saved_privately_before_moving_on() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let Some(t) = capture_test(&home, "saved") else {
        return;
    };
    t.text("I am doing my bezt");
    t.keys(&["BSpace", "BSpace"]);
    t.text("st.");
    t.keys(&["Enter"]);
    t.text("That is enough");
    t.keys(&["Enter", "Enter", "C-d"]);
    t.wait_for("saved in", WAIT);
    let files: Vec<_> = std::fs::read_dir(home.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        text.ends_with("\n> What do you need?\n\nI am doing my best.\nThat is enough\n"),
        "{text}"
    );
    assert_eq!(mode(&home.join("journal")), 0o700);
    assert_eq!(mode(&files[0]), 0o600);
}

#[test]
fn esc_skips_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let Some(t) = capture_test(&home, "esc") else {
        return;
    };
    t.text("never mind");
    t.keys(&["Escape"]);
    t.wait_for("skipped", WAIT);
    assert!(!home.join("journal").exists());
}

#[test]
fn ctrl_d_finishes_mid_line() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let Some(t) = capture_test(&home, "ctrl-d") else {
        return;
    };
    t.text("rest");
    t.keys(&["C-d"]);
    t.wait_for("saved in", WAIT);
    let list = read_back(&home, &["journal"]);
    assert!(list.contains("  Capture test  rest\n"), "{list}");
}

const REFLECTIONS: &str = r#"title = "Evening, with questions"

[[steps]]
kind = "pause"
duration = "1s"
text = "Settle in."

[[steps]]
kind = "reflect"
question = "What do you need?"
journal = true

[[steps]]
kind = "reflect"
question = "What can wait?"
journal = true

[[steps]]
kind = "reflect"
question = "What would a friend say?"
journal = true

[[steps]]
kind = "pause"
duration = "1s"
text = "Rest now."
"#;

/// `kindly` with this home, for reading back what a session wrote.
fn read_back(home: &Path, args: &[&str]) -> String {
    Test::new()
        .env("KINDLY_HOME", home)
        .args(args.iter().copied())
        .run()
        .stdout
}

/// `kindly play FLAGS` of `REFLECTIONS` in a tmux pane of its own, with
/// its own home folder (`prepare` may put things in it first), on the null
/// output; the pane shows `done N` with the exit status when it ends.
struct Played {
    _dir: tempfile::TempDir,
    home: std::path::PathBuf,
    t: Tmux,
}

fn play_reflections(name: &str, flags: &str, prepare: impl FnOnce(&Path)) -> Option<Played> {
    if !tmux::available() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    prepare(&home);
    let script = dir.path().join("evening.toml");
    std::fs::write(&script, REFLECTIONS).unwrap();
    let test = Test::new()
        .env("KINDLY_HOME", &home)
        .env("KINDLY_OUTPUT", "null")
        .env("TERM", "xterm-256color")
        .arg("play")
        .args(flags.split_whitespace())
        .arg(&script);
    let t = Tmux::kindly(name, test, "echo done $?; sleep 30", 100, 40);
    Some(Played { _dir: dir, home, t })
}

#[test]
fn answers_typed_during_play_are_saved_before_the_session_goes_on() {
    let Some(Played { _dir, home, t }) = play_reflections("play-journal", "", |_| {}) else {
        return;
    };
    let journal = home.join("journal");

    // A letter in paragraphs: the blank line is kept, and only Ctrl-D finishes.
    t.wait_for("What do you need?", WAIT);
    t.wait_for("type your answer", WAIT);
    t.text("I need rest");
    t.keys(&["Enter", "Enter"]);
    t.text("and some quiet");
    let screen = t.wait_for("and some quiet", WAIT);
    assert!(screen.contains("2/5 · reflect"), "{screen}");
    t.keys(&["Enter", "Enter"]);
    let screen = t.wait_for("and some quiet", WAIT);
    assert!(screen.contains("2/5 · reflect"), "{screen}");
    t.keys(&["C-d"]);
    t.wait_for("saved in your journal", WAIT);
    // Saved before the session went on to the next question.
    let files: Vec<_> = std::fs::read_dir(&journal)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let first = std::fs::read_to_string(&files[0]).unwrap();
    assert!(first.contains("I need rest\n\nand some quiet"), "{first}");

    // Skipped with Esc: nothing written.
    t.wait_for("What can wait?", WAIT);
    t.text("never mind");
    t.wait_for("never mind", WAIT);
    t.keys(&["Escape"]);
    t.wait_for("skipped: nothing written", WAIT);

    // Play keys are text while typing: q, space, n, p, +, -, ?.
    t.wait_for("What would a friend say?", WAIT);
    t.text("quiet now, no pressure + patience - panic? ok");
    t.keys(&["C-d"]);
    t.wait_for("Session complete", WAIT);
    t.wait_for("done 0", WAIT);

    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert_eq!(text.matches("Evening, with questions").count(), 2, "{text}");
    assert!(
        text.contains("> What do you need?\n\nI need rest\n\nand some quiet\n"),
        "{text}"
    );
    assert!(!text.contains("What can wait?"), "{text}");
    assert!(!text.contains("never mind"), "{text}");
    assert!(
        text.contains(
            "> What would a friend say?\n\nquiet now, no pressure + patience - panic? ok\n"
        ),
        "{text}"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&journal), 0o700);
        assert_eq!(mode(&files[0]), 0o600);
    }
    let list = read_back(&home, &["journal"]);
    assert_eq!(list.lines().count(), 2, "{list}");
    // Nothing typed was taken as a command: the session played to the end.
    let csv = read_back(&home, &["log", "export", "--csv"]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",true,,,"), "{csv}");
}

#[test]
fn plain_play_in_a_terminal_writes_no_journal() {
    let Some(Played { _dir, home, t }) =
        play_reflections("plain-journal", "--plain --speed 100", |_| {})
    else {
        return;
    };
    t.wait_for("What do you need?", WAIT);
    t.text("typed anyway");
    t.keys(&["Enter", "Enter"]);
    let screen = t.wait_for("done 0", WAIT);
    assert!(screen.contains("Session complete"), "{screen}");
    assert!(!home.join("journal").exists(), "{screen}");
    // Nor is a `--speed` preview practice: the log stays empty too.
    let csv = read_back(&home, &["log", "export", "--csv"]);
    assert_eq!(csv.lines().count(), 1, "{csv}");
}

#[test]
fn a_failed_save_is_said_and_the_answer_stays_on_screen() {
    // A file where the journal folder should be: every save fails.
    let no_folder = |home: &Path| {
        std::fs::create_dir_all(home).unwrap();
        std::fs::write(home.join("journal"), "").unwrap();
    };
    let Some(Played { _dir, home: _, t }) = play_reflections("save-fails", "", no_folder) else {
        return;
    };
    t.wait_for("What do you need?", WAIT);
    t.text("keep these words");
    t.keys(&["C-d"]);
    let screen = t.wait_for("NOT SAVED", WAIT);
    assert!(screen.contains("    keep these words\n"), "{screen}");
    assert!(screen.contains("copy it to keep it"), "{screen}");
    // The session goes on.
    t.wait_for("What can wait?", WAIT);
    t.keys(&["C-c"]);
    t.wait_for("done 130", WAIT);
}
