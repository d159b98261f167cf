//! A reflect step's wait: the question stays up until Enter, or, at a
//! `journal = true` step where somebody can type, until the answer is
//! finished.
//!
//! Pure: keys in, what they meant out. `ReflectWait` receives every key
//! while a reflect step is current. With an `Editor` (a journal step in
//! interactive play), every key is text for the answer, so `q`, space,
//! `n`, `p`, `+`, `-` and `?` are letters, not commands; only Ctrl-C still
//! ends the session. The play loop does the saving and the drawing.

use crossterm::event::{KeyCode, KeyEvent};

use crate::journal::{self, Answer, Editor, Reaction};

/// What the reflect wait made of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reflected {
    /// Ready: go on to the next step.
    Done,
    /// Not for us: let the ordinary key map handle it (pause, quit...).
    Pass,
    /// Taken as part of the answer: redraw what is typed.
    Typing,
    /// The answer is finished (Ctrl-D): save
    /// it, then go on.
    Answered(String),
    /// Esc, or nothing typed: go on, and write nothing.
    Skipped,
    /// Ctrl-C while typing: end the session, as anywhere else.
    Interrupted,
}

/// The wait at one reflect step.
#[derive(Debug, Default)]
pub(crate) struct ReflectWait {
    /// The answer being typed: only at a journal step where it can be kept.
    editor: Option<Editor>,
    /// The answer ended one way or another; later keys are play keys again.
    ended: bool,
}

impl ReflectWait {
    /// `capture`: somebody can type and the answer can be saved. Without
    /// it a journal step waits for Enter like any other reflect step.
    pub(crate) fn new(journal: bool, capture: bool) -> ReflectWait {
        ReflectWait {
            editor: (journal && capture).then(Editor::new),
            ended: false,
        }
    }

    /// The line shown under the question, before and while typing.
    pub(crate) fn prompt_for(capturing: bool) -> &'static str {
        if capturing {
            "type your answer · Enter for a new line · Ctrl-D to finish · Esc to skip"
        } else {
            "press Enter when you're ready"
        }
    }

    /// The prompt for this wait (the tests' view of `prompt_for`).
    #[cfg(test)]
    fn prompt(&self) -> &'static str {
        ReflectWait::prompt_for(self.editor.is_some())
    }

    /// What is typed so far, while the answer is open.
    pub(crate) fn typing(&self) -> Option<String> {
        match &self.editor {
            Some(e) if !self.ended => Some(e.text()),
            _ => None,
        }
    }

    pub(crate) fn key(&mut self, key: KeyEvent) -> Reflected {
        let Some(editor) = self.editor.as_mut().filter(|_| !self.ended) else {
            return match key.code {
                KeyCode::Enter if !self.ended => Reflected::Done,
                _ => Reflected::Pass,
            };
        };
        // Keys the editor does not know (arrows, F-keys) are swallowed:
        // an arrow must not skip the step and lose the answer.
        let Some(k) = journal::editor_key(key) else {
            return Reflected::Typing;
        };
        match editor.key(k) {
            Reaction::Echo(_) => Reflected::Typing,
            Reaction::Finished(outcome) => {
                self.ended = outcome != Answer::Interrupted;
                match outcome {
                    Answer::Done(answer) => Reflected::Answered(answer),
                    Answer::Skipped => Reflected::Skipped,
                    Answer::Interrupted => Reflected::Interrupted,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn feed(wait: &mut ReflectWait, keys: &[KeyEvent]) -> Vec<Reflected> {
        keys.iter().map(|&k| wait.key(k)).collect()
    }

    fn chars(text: &str) -> Vec<KeyEvent> {
        text.chars().map(|c| key(KeyCode::Char(c))).collect()
    }

    #[test]
    fn without_capture_enter_goes_on_and_the_rest_are_play_keys() {
        for wait in [ReflectWait::new(false, true), ReflectWait::new(true, false)] {
            let mut wait = wait;
            assert_eq!(wait.prompt(), "press Enter when you're ready");
            assert_eq!(wait.key(key(KeyCode::Char('q'))), Reflected::Pass);
            assert_eq!(wait.key(key(KeyCode::Char(' '))), Reflected::Pass);
            assert_eq!(wait.typing(), None);
            assert_eq!(wait.key(key(KeyCode::Enter)), Reflected::Done);
        }
    }

    #[test]
    fn play_keys_are_text_while_typing() {
        let mut wait = ReflectWait::new(true, true);
        let got = feed(&mut wait, &chars("q n p + - ?"));
        assert!(got.iter().all(|r| *r == Reflected::Typing), "{got:?}");
        assert_eq!(wait.key(key(KeyCode::Right)), Reflected::Typing);
        assert_eq!(wait.typing().as_deref(), Some("q n p + - ?"));
        assert_eq!(wait.key(key(KeyCode::Enter)), Reflected::Typing);
        assert_eq!(wait.key(key(KeyCode::Enter)), Reflected::Typing);
        assert_eq!(
            wait.key(ctrl('d')),
            Reflected::Answered("q n p + - ?".into())
        );
        // Done: keys are play keys again until the step is left.
        assert_eq!(wait.typing(), None);
        assert_eq!(wait.key(key(KeyCode::Char('q'))), Reflected::Pass);
        assert_eq!(wait.key(key(KeyCode::Enter)), Reflected::Pass);
    }

    #[test]
    fn multi_paragraph_answers_end_with_ctrl_d_and_keep_blank_lines() {
        let mut wait = ReflectWait::new(true, true);
        let mut keys = chars("one");
        keys.push(key(KeyCode::Enter));
        keys.push(key(KeyCode::Enter));
        keys.extend(chars("two"));
        keys.push(key(KeyCode::Enter));
        keys.push(key(KeyCode::Enter));
        feed(&mut wait, &keys);
        assert_eq!(wait.typing().as_deref(), Some("one\n\ntwo\n\n"));
        assert_eq!(
            wait.key(ctrl('d')),
            Reflected::Answered("one\n\ntwo".into())
        );
    }

    #[test]
    fn esc_and_an_empty_answer_skip_and_ctrl_c_interrupts() {
        let mut wait = ReflectWait::new(true, true);
        feed(&mut wait, &chars("never mind"));
        assert_eq!(wait.key(key(KeyCode::Esc)), Reflected::Skipped);
        assert_eq!(wait.key(key(KeyCode::Esc)), Reflected::Pass);

        let mut wait = ReflectWait::new(true, true);
        assert_eq!(wait.key(key(KeyCode::Enter)), Reflected::Typing);
        assert_eq!(wait.key(ctrl('d')), Reflected::Skipped);

        let mut wait = ReflectWait::new(true, true);
        feed(&mut wait, &chars("half"));
        assert_eq!(wait.key(ctrl('c')), Reflected::Interrupted);
        // What was typed is still there to show: nothing is lost silently.
        assert_eq!(wait.typing().as_deref(), Some("half"));
    }
}
