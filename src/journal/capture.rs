//! Typing an answer in the terminal: the thin, untested-by-unit-tests edge
//! around `Editor`, and `capture`, which saves the answer at once. Only
//! `journal capture-test` drives it (a `test-hooks` build): in a session
//! the player feeds keys to its own `Editor`.
//!
//! Raw mode is needed to see Esc and Ctrl-D as keys. The guard
//! restores the mode it found (the player may already be in raw mode), also
//! when a panic unwinds through it. Lines longer than the terminal wrap,
//! and Backspace does not climb back over a wrap: acceptable for short
//! reflections, and far simpler than a full line editor.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use crossterm::event::{self, Event};
use crossterm::{cursor, queue, style, terminal};

use super::editor::{Answer, Echo, Editor, Key, Reaction};
use super::keys::key;
use super::{store, Entry};
use crate::dirs::Dirs;
use crate::error::{Error, Result};

/// Answers are indented under the question.
const INDENT: &str = "  ";

/// Whether somebody can type: both ends are a terminal. When not (`render`,
/// `--plain` into a pipe, tests), reflect steps are timed pauses and the
/// journal is not touched.
pub(crate) fn can_capture() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// How a journal question went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Captured {
    /// Saved in this day's file before returning.
    Saved(PathBuf),
    /// Esc, or nothing typed: nothing written.
    Skipped,
    /// Ctrl-C: nothing written; the session should end early, as with SIGINT.
    Interrupted,
}

/// Ask for an answer to `question` and save it in the journal. The caller
/// has already shown the question, and suspends its own display meanwhile
/// (for an indicatif bar: `bar.suspend(|| journal::capture(...))`).
pub(crate) fn capture(dirs: &Dirs, session: &str, title: &str, question: &str) -> Result<Captured> {
    let outcome = read_answer()
        .map_err(|e| Error::new(format!("cannot read your answer from the terminal: {e}")))?;
    match outcome {
        Answer::Done(answer) => {
            let entry = Entry {
                at: crate::local_time::now(),
                session: session.to_owned(),
                title: title.to_owned(),
                question: question.to_owned(),
                answer,
            };
            store::append(dirs, &entry).map(Captured::Saved)
        }
        Answer::Skipped => Ok(Captured::Skipped),
        Answer::Interrupted => Ok(Captured::Interrupted),
    }
}

/// Drive an `Editor` from the terminal until the answer is finished.
pub(crate) fn read_answer() -> io::Result<Answer> {
    let _raw = RawMode::enter()?;
    let mut out = io::stdout().lock();
    queue!(
        out,
        style::Print(format!(
            "{INDENT}(Enter for a new line, Ctrl-D to finish, Esc to skip)\r\n{INDENT}"
        ))
    )?;
    out.flush()?;
    let mut editor = Editor::new();
    loop {
        let keys: Vec<Key> = match event::read()? {
            Event::Key(k) => key(k).into_iter().collect(),
            Event::Paste(text) => text
                .chars()
                .filter(|&c| c != '\r')
                .map(|c| if c == '\n' { Key::Enter } else { Key::Char(c) })
                .collect(),
            _ => Vec::new(),
        };
        for k in keys {
            match editor.key(k) {
                Reaction::Echo(echo) => draw(&mut out, echo)?,
                Reaction::Finished(outcome) => {
                    queue!(out, style::Print("\r\n"))?;
                    out.flush()?;
                    return Ok(outcome);
                }
            }
        }
        out.flush()?;
    }
}

fn draw(out: &mut impl Write, echo: Echo) -> io::Result<()> {
    match echo {
        Echo::Nothing => Ok(()),
        Echo::Char(c) => queue!(out, style::Print(c)),
        Echo::Erase => queue!(
            out,
            cursor::MoveLeft(1),
            style::Print(' '),
            cursor::MoveLeft(1)
        ),
        Echo::NewLine => queue!(out, style::Print(format!("\r\n{INDENT}"))),
        Echo::Up { column } => queue!(
            out,
            cursor::MoveUp(1),
            cursor::MoveToColumn(u16::try_from(INDENT.len() + column).unwrap_or(u16::MAX))
        ),
    }
}

/// Raw mode for as long as it lives, then back to what it was.
struct RawMode {
    was_raw: bool,
}

impl RawMode {
    fn enter() -> io::Result<RawMode> {
        let was_raw = terminal::is_raw_mode_enabled().unwrap_or(false);
        if !was_raw {
            terminal::enable_raw_mode()?;
        }
        Ok(RawMode { was_raw })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if !self.was_raw {
            let _ = terminal::disable_raw_mode();
        }
    }
}
