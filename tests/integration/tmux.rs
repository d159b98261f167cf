//! A real terminal for tests: one private tmux server per test, keys sent
//! as a person types them, the screen read back.
//!
//! Shared by every test that drives kindly interactively. Without tmux a
//! test says it was skipped; with `KINDLY_E2E=required` (CI) it fails.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::test::Test;

/// Whether tmux is here. If not: skip (say so), or fail when required.
pub fn available() -> bool {
    crate::test::tools(&["tmux"])
}

/// A tmux server on its own socket, running one command in one pane;
/// killed when dropped.
pub struct Tmux {
    socket: String,
    /// The test whose command the pane runs, kept so its folder outlives
    /// the pane.
    _test: Option<Test>,
}

impl Tmux {
    /// Run `command` (a shell command line) in a detached pane of
    /// `width` × `height`. `name` keeps sockets of parallel tests apart.
    pub fn start(name: &str, command: &str, width: u16, height: u16) -> Tmux {
        let socket = format!("kindly-test-{}-{name}", std::process::id());
        let ok = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(command)
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux starts");
        Tmux {
            socket,
            _test: None,
        }
    }

    /// Run `test`'s command, sealed (`Test::shell_line`), in a pane, then
    /// the shell command line `then` (say `echo finished; sleep 30`, so
    /// the last screen stays to be read).
    pub fn kindly(name: &str, test: Test, then: &str, width: u16, height: u16) -> Tmux {
        let command = format!("{}; {then}", test.shell_line());
        let mut t = Tmux::start(name, &command, width, height);
        t._test = Some(test);
        t
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen and everything scrolled off it.
    pub fn screen_history(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-S", "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen shows `text`; the screen, or a panic.
    pub fn wait_for(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "screen never showed {text:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Type `text` literally (no key names).
    pub fn text(&self, text: &str) {
        self.send(&["-l", text]);
    }

    /// Press keys by tmux name: `Enter`, `Escape`, `C-d`, `Space`, `q`.
    pub fn keys(&self, keys: &[&str]) {
        self.send(keys);
    }

    fn send(&self, args: &[&str]) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys"])
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux send-keys {args:?}");
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
