//! The open-ended timer in a real terminal (tmux): the display counts the
//! time sat, and `q` rings the closing bell before the sit ends.
//! Skipped when tmux is missing, unless `KINDLY_E2E=required`.

use std::time::Duration;

use crate::test::Test;
use crate::tmux::{self, Tmux};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn an_open_sit_counts_up_and_q_rings_the_closing_bell() {
    if !tmux::available() {
        return;
    }
    let test = Test::new()
        .env("KINDLY_OUTPUT", "null")
        .env("TERM", "xterm-256color")
        .args(["timer", "--end-strikes", "1"]);
    let log = test.path().join("home/practice-log.jsonl");
    let t = Tmux::kindly("open-sit", test, "echo finished; sleep 30", 100, 30);
    let screen = t.wait_for("00:02 sat", WAIT);
    // Neither time left nor a step count out of the 12-hour bound.
    assert!(!screen.contains("left"), "{screen}");
    assert!(!screen.contains("/3"), "{screen}");
    assert!(screen.contains("q rings the closing bell"), "{screen}");
    t.keys(&["q"]);
    let screen = t.wait_for("The end of the sit", WAIT);
    assert!(
        !screen.contains("finished"),
        "the bell rings first: {screen}"
    );
    let screen = t.wait_for("finished", WAIT);
    assert!(screen.contains("Sat for 00:"), "{screen}");
    let text = std::fs::read_to_string(&log).unwrap();
    let r: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(r["kind"], "timer");
    assert_eq!(r["again"], serde_json::json!(["--end-strikes", "1"]));
    // Ended in its first 30 s: a start, as for any session.
    assert_eq!(r["completed"], false, "{r}");
    assert_eq!(r["ended_by"], "q", "{r}");
}
