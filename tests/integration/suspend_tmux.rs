//! Ctrl-Z and `fg` in a real shell (tmux): the shell gets a normal
//! terminal while kindly is stopped, and kindly's keys work after `fg`.
//! Skipped when tmux is missing, unless `KINDLY_E2E=required`.

use std::time::Duration;

use crate::test::Test;
use crate::tmux::{self, Tmux};

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn keys_work_after_ctrl_z_and_fg() {
    if !tmux::available() {
        return;
    }
    let test = Test::new()
        .write(
            "long.toml",
            "title = \"A long rest\"\n\n[[steps]]\nkind = \"pause\"\nduration = \"10m\"\n",
        )
        .env("KINDLY_OUTPUT", "null")
        .env("TERM", "xterm-256color")
        .args(["play", "--no-voice", "long.toml"]);
    let t = Tmux::start("suspend", "bash --norc --noprofile -i", 100, 30);
    t.text(&test.shell_line());
    t.keys(&["Enter"]);
    t.wait_for("A long rest", WAIT);

    // Stopped: the shell has its prompt and a cooked terminal back.
    t.keys(&["C-z"]);
    t.wait_for("Stopped", WAIT);
    t.text("echo cooked");
    t.keys(&["Enter"]);
    t.wait_for("cooked\n", WAIT);

    // Continued: `q`, with no Enter after it, still ends the session (a
    // ten-minute pause), so raw mode and the keys were taken back.
    t.text("fg");
    t.keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(500));
    t.keys(&["q"]);
    t.wait_for("Ended at step 1 of 1", WAIT);
}
