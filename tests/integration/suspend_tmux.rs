//! Ctrl-Z and `fg` in a real shell (tmux): the shell gets a normal
//! terminal while kindly is stopped, and kindly's keys work after `fg`.
//! Skipped when tmux is missing, unless `KINDLY_E2E=required`.

use std::time::Duration;

use crate::test::{quiet_path, BIN};
use crate::tmux::{self, Tmux};

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn keys_work_after_ctrl_z_and_fg() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("long.toml");
    std::fs::write(
        &script,
        "title = \"A long rest\"\n\n[[steps]]\nkind = \"pause\"\nduration = \"10m\"\n",
    )
    .unwrap();
    let t = Tmux::start("suspend", "bash --norc --noprofile -i", 100, 30);
    t.text(&format!(
        "env PATH='{}' KINDLY_HOME='{}' KINDLY_OUTPUT=null NO_COLOR=1 TERM=xterm-256color \
         '{BIN}' play --no-voice '{}'",
        quiet_path(),
        dir.path().join("home").display(),
        script.display()
    ));
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
