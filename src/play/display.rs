//! The seams the play loop drives the terminal through: `Display` to show
//! a session, `InputSource` to hear keys and signals. `play` owns them and
//! `ui` implements them, so the loop can be driven without a terminal and
//! the two modules depend on each other one way only.

use std::time::Duration;

use crossterm::event::KeyEvent;

use super::keys;
use super::View;
use crate::timeline::Timeline;

/// Where a session is shown: the live bars or the plain lines.
pub(crate) trait Display {
    /// Show the session at `view`. Called every `cadence`, and at once
    /// after a key; draws only what changed.
    fn show(&mut self, timeline: &Timeline, view: &View, status: &PlayState);
    /// Lines of their own above the display (help, notices, a finished
    /// answer), each indented like the step text.
    fn note(&mut self, text: &str);
    /// The answer being typed at a journal step, drawn under the question;
    /// `None` takes it away. Only live play has keys, so by default nothing.
    fn answer(&mut self, _typing: Option<&str>) {}
    /// `?`: show the keys' help line, or take it away again. Where nothing
    /// can be taken back (plain lines), it is printed once.
    fn toggle_help(&mut self) {
        self.note(keys::HELP);
    }
    /// The session is over: clear the live parts, print `summary`.
    fn finish(&mut self, summary: &str);
    /// How often `show` is worth calling when nothing else happens. A
    /// bar that moves needs it often; a log of step lines, rarely (every
    /// wake-up is CPU taken from a session that should cost nothing).
    fn cadence(&self) -> Duration;
}

/// What the play loop knows beyond the clock.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PlayState {
    pub paused: bool,
    /// A transient notice on the step line, such as the volume.
    pub notice: Option<String>,
    /// Gates wait for a key (interactive play).
    pub armed: bool,
    /// Journal steps take a typed answer (armed, and a journal to save in).
    pub journal: bool,
}

/// Something the person did: a key, or a signal that ends the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    Key(KeyEvent),
    /// A signal that ends the session: its number.
    Signal(i32),
}

/// Where keys and signals come from.
pub(crate) trait InputSource {
    /// The next input, or `None` after `timeout`.
    fn next(&self, timeout: Duration) -> Option<Input>;
}
