//! Raw mode with a guarantee: the terminal is restored on every way out.
//!
//! `RawMode` turns raw mode on and hides the cursor; dropping it turns
//! both back. A panic hook does the same before the panic message prints,
//! so even a bug leaves a usable shell with a readable message, and
//! `suspend` does it around a Ctrl-Z, taking raw mode back on `fg`.

use std::io::Write;
use std::sync::Once;

use crossterm::{cursor, execute, terminal};

/// Raw mode for as long as this lives.
pub(crate) struct RawMode(());

impl RawMode {
    pub(crate) fn enter() -> std::io::Result<RawMode> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        let _ = execute!(std::io::stdout(), cursor::Hide);
        Ok(RawMode(()))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        restore();
    }
}

/// Ctrl-Z (SIGTSTP) while raw: give the shell a normal terminal, stop,
/// and on `fg` (SIGCONT) take raw mode back, so the keys work again. A
/// stopped program's terminal is the shell's to change; kindly cannot
/// assume it finds raw mode where it left it.
pub(crate) fn suspend() {
    restore();
    // Stops the process here (SIGSTOP, as SIGTSTP would by default) and
    // returns once it is continued.
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
    let _ = terminal::enable_raw_mode();
    let _ = execute!(std::io::stdout(), cursor::Hide);
}

fn restore() {
    let mut out = std::io::stdout();
    let _ = execute!(out, cursor::Show);
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Harmless when raw mode is off: disabling it then is a no-op.
            // A panic that `contain` catches (a decoder's) is no way out:
            // the session goes on, so the terminal stays as it is.
            if !crate::contain::active() {
                restore();
            }
            previous(info);
        }));
    });
}
