//! Keys to actions: the whole keyboard map in one place.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::timeline::Gate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    TogglePause,
    Next,
    Back,
    VolumeUp,
    VolumeDown,
    /// `q` or Esc: the person ends the session.
    Quit,
    /// Ctrl-C in raw mode, where it arrives as a key, not as SIGINT.
    Interrupt,
    Help,
    /// Go on from a gate.
    GoOn,
    Nothing,
}

pub(crate) const HELP: &str = "space pause · n/→ next · p/← back · +/- volume · q end · ? help";

/// What `key` does while the current step has `gate` (armed gates only).
/// At a `hold = "key"` step any key but the ones that end, help or change
/// the volume goes on; a reflect step is handled by `play::reflect` first.
pub(crate) fn action(key: KeyEvent, gate: Option<Gate>) -> Action {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let base = match key.code {
        KeyCode::Char('c') if ctrl => Action::Interrupt,
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        KeyCode::Char(' ') => Action::TogglePause,
        KeyCode::Char('n') | KeyCode::Right => Action::Next,
        KeyCode::Char('p') | KeyCode::Left => Action::Back,
        KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Up => Action::VolumeUp,
        KeyCode::Char('-') | KeyCode::Down => Action::VolumeDown,
        KeyCode::Char('?') => Action::Help,
        _ => Action::Nothing,
    };
    match (gate, base) {
        (Some(Gate::Key), Action::TogglePause | Action::Next | Action::Back | Action::Nothing) => {
            Action::GoOn
        }
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map() {
        assert_eq!(action(key(KeyCode::Char(' ')), None), Action::TogglePause);
        assert_eq!(action(key(KeyCode::Right), None), Action::Next);
        assert_eq!(action(key(KeyCode::Char('p')), None), Action::Back);
        assert_eq!(action(key(KeyCode::Esc), None), Action::Quit);
        assert_eq!(action(key(KeyCode::Char('x')), None), Action::Nothing);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(ctrl_c, None), Action::Interrupt);
    }

    #[test]
    fn any_key_goes_on_at_a_key_gate_but_quit_still_quits() {
        let g = Some(Gate::Key);
        assert_eq!(action(key(KeyCode::Char('x')), g), Action::GoOn);
        assert_eq!(action(key(KeyCode::Char(' ')), g), Action::GoOn);
        assert_eq!(action(key(KeyCode::Enter), g), Action::GoOn);
        assert_eq!(action(key(KeyCode::Char('q')), g), Action::Quit);
        assert_eq!(action(key(KeyCode::Char('+')), g), Action::VolumeUp);
    }
}
