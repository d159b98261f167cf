//! Typing a journal answer as a person would, in a real terminal (tmux).
//!
//! Drives the hidden `kindly journal capture-test`, which runs the same
//! capture a `reflect` step with `journal = true` does. Skipped when tmux
//! is missing, unless `KINDLY_E2E=required` (CI) makes that a failure.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::test::BIN;

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(home: &Path, name: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var("KINDLY_E2E").as_deref() != Ok("required"),
                "tmux is required for this test"
            );
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let socket = format!("kindly-journal-{}-{name}", std::process::id());
        let command = format!(
            "env KINDLY_HOME='{}' NO_COLOR=1 '{BIN}' journal capture-test --question 'What do you need?'; sleep 30",
            home.display()
        );
        let ok = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "20",
            ])
            .arg(command)
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux starts");
        let t = Tmux { socket };
        t.wait_for("Enter on an empty line");
        Some(t)
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn text(&self, text: &str) {
        self.keys(&["-l", text]);
    }

    fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        // Let each key arrive as its own event, as typing does.
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

#[test]
fn a_typed_answer_is_saved_privately_before_moving_on() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let Some(t) = Tmux::start(&home, "saved") else {
        return;
    };
    t.text("I am doing my bezt");
    t.keys(&["BSpace", "BSpace"]);
    t.text("st.");
    t.keys(&["Enter"]);
    t.text("That is enough");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("saved in");
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
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&home.join("journal")), 0o700);
        assert_eq!(mode(&files[0]), 0o600);
    }
}

#[test]
fn esc_skips_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let Some(t) = Tmux::start(&home, "esc") else {
        return;
    };
    t.text("never mind");
    t.keys(&["Escape"]);
    t.wait_for("skipped");
    assert!(!home.join("journal").exists());
}

#[test]
fn ctrl_d_finishes_mid_line() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let Some(t) = Tmux::start(&home, "ctrl-d") else {
        return;
    };
    t.text("rest");
    t.keys(&["C-d"]);
    t.wait_for("saved in");
    let out = Command::new(BIN)
        .args(["journal"])
        .env("KINDLY_HOME", &home)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("  Capture test  rest\n"), "{list}");
}
