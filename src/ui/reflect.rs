//! A reflect step's wait: the question stays up until Enter.
//!
//! Kept apart because the journal will extend it to capture a typed
//! answer: `ReflectWait` receives every key while a reflect step is
//! current and says when the person is ready to go on.

use crossterm::event::{KeyCode, KeyEvent};

/// What the reflect wait made of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reflected {
    /// Ready: go on to the next step.
    Done,
    /// Not for us: let the ordinary key map handle it (pause, quit...).
    Pass,
}

/// The wait at one reflect step.
#[derive(Debug, Default)]
pub struct ReflectWait {
    /// Whether the journal wants an answer (captured in a later change).
    pub journal: bool,
}

impl ReflectWait {
    pub fn new(journal: bool) -> ReflectWait {
        ReflectWait { journal }
    }

    /// The line shown under the question.
    pub fn prompt(&self) -> &'static str {
        "press Enter when you're ready"
    }

    pub fn key(&mut self, key: KeyEvent) -> Reflected {
        match key.code {
            KeyCode::Enter => Reflected::Done,
            _ => Reflected::Pass,
        }
    }
}
