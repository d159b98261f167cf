//! The session's clock at a reflect step, as a person sees it in tmux:
//! while they write, the timeline stands at the gate, but the clock goes
//! on counting their time (and the total with it) instead of freezing
//! there and leaping when they finish. At 40 columns, so the step's long
//! status line is seen to fit.

use std::time::Duration;

use crate::test::Test;
use crate::tmux::{self, Tmux};

const SCRIPT: &str = r#"title = "A short reflection"
[[steps]]
kind = "prompt"
text = "Settle."
hold = "1s"
[[steps]]
kind = "reflect"
question = "What would a kind friend say?"
journal = true
[[steps]]
kind = "bell"
"#;

/// The first `MM:SS / MM:SS` clock on the screen, in seconds.
fn clock(screen: &str) -> Option<(u64, u64)> {
    let secs = |t: &str| {
        let (m, s) = t.split_once(':')?;
        Some(m.parse::<u64>().ok()? * 60 + s.parse::<u64>().ok()?)
    };
    screen.lines().find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let i = words.iter().position(|w| *w == "/")?;
        Some((
            secs(words.get(i.checked_sub(1)?)?)?,
            secs(words.get(i + 1)?)?,
        ))
    })
}

#[test]
fn the_clock_keeps_running_while_a_person_writes() {
    if !tmux::available() {
        return;
    }
    let test = Test::new()
        .write("reflect.toml", SCRIPT)
        .env("KINDLY_OUTPUT", "null")
        .env("TERM", "xterm-256color")
        .args([
            "play",
            "reflect.toml",
            "--silent",
            "--no-voice",
            "--gate",
            "2s",
        ]);
    // 40 columns: the long status line at a reflect step must fit too.
    let t = Tmux::kindly("reflect-clock", test, "echo finished; sleep 30", 40, 20);
    t.wait_for("2/3 · reflect", Duration::from_secs(15));
    t.text("I am doing my best");
    // Held at the gate from 00:03 (one second of prompt, two of reflect
    // step) on; the clock must go well past that while the answer is open.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let screen = t.screen();
        assert!(
            screen.contains("2/3 · reflect"),
            "the session moved on by itself:\n{screen}"
        );
        let now = clock(&screen);
        if let Some((elapsed, total)) = now {
            if elapsed >= 7 {
                // The time left stays what it was at the gate: the total
                // grows with the time spent writing.
                assert!(total >= elapsed + 3, "{screen}");
                crate::narrow::assert_fits(&t, 40, "a reflect step");
                break;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the clock stood still at {now:?}:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Ctrl-D finishes an answer (Enter only starts a new line).
    t.keys(&["C-d"]);
    let screen = t.wait_for("finished", Duration::from_secs(15));
    assert!(screen.contains("saved in your journal"), "{screen}");
}
