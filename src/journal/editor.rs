//! The answer editor as a pure state machine: a key in, what to echo or how
//! it ended out. No terminal here, so every sequence is a unit test.
//!
//! The rules a person meets:
//! - typing adds to the current line; Enter starts a new line, always, so
//!   a blank line between paragraphs is kept and never ends a letter early;
//! - Ctrl-D finishes the answer, the one way to finish, named on screen;
//! - Backspace erases a character, or goes back to the end of the line above;
//! - Esc skips the question; Ctrl-C (a key, not a signal, in raw mode) asks
//!   the session to stop, as it would anywhere else.
//!
//! An answer with nothing but spaces in it counts as skipped: nothing is
//! written to the journal.

/// The keys the editor understands. The driver maps terminal events here
/// and drops everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Char(char),
    Enter,
    Backspace,
    Esc,
    CtrlD,
    CtrlC,
}

/// What the terminal should show after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Echo {
    Nothing,
    Char(char),
    /// Erase the character before the cursor.
    Erase,
    /// Start a new line.
    NewLine,
    /// Go up a line, to just after its `column`th character.
    Up {
        column: usize,
    },
}

/// How typing an answer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The answer: blank lines between paragraphs kept, none before the
    /// first or after the last, and no trailing spaces.
    Done(String),
    Skipped,
    Interrupted,
}

/// What one key did: changed the text (and what to echo), or ended it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reaction {
    Echo(Echo),
    Finished(Answer),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Editor {
    /// Never empty: the last line is the one being typed.
    lines: Vec<String>,
}

impl Default for Editor {
    fn default() -> Editor {
        Editor::new()
    }
}

impl Editor {
    pub(crate) fn new() -> Editor {
        Editor {
            lines: vec![String::new()],
        }
    }

    pub(crate) fn key(&mut self, key: Key) -> Reaction {
        match key {
            Key::Char(c) if c.is_control() => Reaction::Echo(Echo::Nothing),
            Key::Char(c) => {
                self.current().push(c);
                Reaction::Echo(Echo::Char(c))
            }
            Key::Enter => {
                self.lines.push(String::new());
                Reaction::Echo(Echo::NewLine)
            }
            Key::Backspace => {
                if self.current().pop().is_some() {
                    Reaction::Echo(Echo::Erase)
                } else if self.lines.len() > 1 {
                    self.lines.pop();
                    let column = self.current().chars().count();
                    Reaction::Echo(Echo::Up { column })
                } else {
                    Reaction::Echo(Echo::Nothing)
                }
            }
            Key::CtrlD => Reaction::Finished(self.finish()),
            Key::Esc => Reaction::Finished(Answer::Skipped),
            Key::CtrlC => Reaction::Finished(Answer::Interrupted),
        }
    }

    /// The text so far, as typed.
    pub(crate) fn text(&self) -> String {
        self.lines.join("\n")
    }

    fn current(&mut self) -> &mut String {
        if self.lines.is_empty() {
            self.lines.push(String::new());
        }
        let last = self.lines.len() - 1;
        &mut self.lines[last]
    }

    fn finish(&self) -> Answer {
        let lines: Vec<&str> = self.lines.iter().map(|l| l.trim_end()).collect();
        let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
            return Answer::Skipped;
        };
        let last = lines
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .unwrap_or(first);
        Answer::Done(lines[first..=last].join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Feed keys; return the echoes and the outcome if it ended.
    fn run(keys: &[Key]) -> (Vec<Echo>, Option<Answer>) {
        let mut e = Editor::new();
        let mut echoes = Vec::new();
        for &k in keys {
            match e.key(k) {
                Reaction::Echo(echo) => echoes.push(echo),
                Reaction::Finished(o) => return (echoes, Some(o)),
            }
        }
        (echoes, None)
    }

    fn typed(text: &str) -> Vec<Key> {
        text.chars()
            .map(|c| if c == '\n' { Key::Enter } else { Key::Char(c) })
            .collect()
    }

    fn outcome(keys: &[Key]) -> Option<Answer> {
        run(keys).1
    }

    #[test]
    fn enter_never_finishes_and_blank_lines_between_paragraphs_are_kept() {
        let mut keys = typed("Dear me,\n\nI am trying.\n\n\nThat is enough.\n\n");
        assert_eq!(outcome(&keys), None);
        keys.push(Key::CtrlD);
        assert_eq!(
            outcome(&keys),
            Some(Answer::Done(
                "Dear me,\n\nI am trying.\n\n\nThat is enough.".into()
            ))
        );
    }

    #[test]
    fn ctrl_d_finishes_mid_line() {
        let mut keys = typed("one\ntwo");
        keys.push(Key::CtrlD);
        assert_eq!(outcome(&keys), Some(Answer::Done("one\ntwo".into())));
    }

    #[test]
    fn nothing_typed_is_skipped_however_it_ends() {
        assert_eq!(outcome(&[Key::Enter, Key::CtrlD]), Some(Answer::Skipped));
        assert_eq!(outcome(&[Key::CtrlD]), Some(Answer::Skipped));
        let mut keys = typed("   \n  \n");
        keys.push(Key::CtrlD);
        assert_eq!(outcome(&keys), Some(Answer::Skipped));
        assert_eq!(outcome(&[Key::Esc]), Some(Answer::Skipped));
    }

    #[test]
    fn esc_skips_even_after_typing_and_ctrl_c_interrupts() {
        let mut keys = typed("half an answer");
        keys.push(Key::Esc);
        assert_eq!(outcome(&keys), Some(Answer::Skipped));
        let mut keys = typed("half");
        keys.push(Key::CtrlC);
        assert_eq!(outcome(&keys), Some(Answer::Interrupted));
    }

    #[test]
    fn blank_lines_around_the_answer_and_trailing_spaces_are_not_kept() {
        let mut keys = typed("\n  \nkind words  \n\nmore \n  \n");
        keys.push(Key::CtrlD);
        assert_eq!(
            outcome(&keys),
            Some(Answer::Done("kind words\n\nmore".into()))
        );
    }

    #[test]
    fn backspace_erases_then_climbs_to_the_line_above() {
        let mut keys = typed("ab\nc");
        keys.extend([Key::Backspace, Key::Backspace, Key::Backspace]);
        let (echoes, end) = run(&keys);
        assert_eq!(end, None);
        assert_eq!(
            echoes[echoes.len() - 3..],
            [Echo::Erase, Echo::Up { column: 2 }, Echo::Erase]
        );
        let mut e = Editor::new();
        for k in &keys {
            e.key(*k);
        }
        assert_eq!(e.text(), "a");
        // Backspace with nothing left does nothing, and never panics.
        assert_eq!(e.key(Key::Backspace), Reaction::Echo(Echo::Erase));
        for _ in 0..3 {
            assert_eq!(e.key(Key::Backspace), Reaction::Echo(Echo::Nothing));
        }
        assert_eq!(e.text(), "");
    }

    #[test]
    fn echoes_mirror_the_keys() {
        let (echoes, _) = run(&[
            Key::Char('é'),
            Key::Enter,
            Key::Char('\u{7}'),
            Key::Char('x'),
        ]);
        assert_eq!(
            echoes,
            vec![
                Echo::Char('é'),
                Echo::NewLine,
                Echo::Nothing,
                Echo::Char('x')
            ]
        );
    }

    fn any_key() -> impl Strategy<Value = Key> {
        prop_oneof![
            8 => any::<char>().prop_map(Key::Char),
            2 => Just(Key::Enter),
            2 => Just(Key::Backspace),
            1 => Just(Key::Esc),
            1 => Just(Key::CtrlD),
            1 => Just(Key::CtrlC),
        ]
    }

    proptest! {
        /// Any key sequence: no panic, and a finished answer never has
        /// control characters, a blank first or last line, or trailing space.
        #[test]
        fn any_keys_are_safe(keys in proptest::collection::vec(any_key(), 0..60)) {
            if let (_, Some(Answer::Done(text))) = run(&keys) {
                prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
                let lines: Vec<&str> = text.split('\n').collect();
                prop_assert!(!lines[0].trim().is_empty());
                prop_assert!(!lines[lines.len() - 1].trim().is_empty());
                prop_assert!(lines.iter().all(|l| l.trim_end() == *l));
            }
        }

        /// What the echoes draw is what the editor holds.
        #[test]
        fn echoes_replay_to_the_text(keys in proptest::collection::vec(any_key(), 0..60)) {
            let mut e = Editor::new();
            let mut screen = vec![String::new()];
            for k in keys {
                match e.key(k) {
                    Reaction::Echo(Echo::Char(c)) => screen.last_mut().unwrap().push(c),
                    Reaction::Echo(Echo::Erase) => { screen.last_mut().unwrap().pop(); }
                    Reaction::Echo(Echo::NewLine) => screen.push(String::new()),
                    Reaction::Echo(Echo::Up { column }) => {
                        screen.pop();
                        prop_assert_eq!(screen.last().unwrap().chars().count(), column);
                    }
                    Reaction::Echo(Echo::Nothing) => {}
                    Reaction::Finished(_) => break,
                }
                prop_assert_eq!(screen.join("\n"), e.text());
            }
        }
    }
}
