//! Input for the play loop: key presses and ending signals on one channel;
//! and `Interrupts`, ending signals as a flag, for the render.
//!
//! Keys are read on their own thread (only when stdin is a terminal), and
//! SIGINT, SIGTERM and SIGHUP arrive through signal-hook on another, so
//! the loop waits on a single channel with a timeout that sets the redraw
//! cadence. Nothing here paces the session: the audio clock does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::play::{Input, InputSource};

pub(crate) struct Inputs {
    rx: Receiver<Input>,
    signals: signal_hook::iterator::Handle,
    /// SIGTSTP's handler, while raw mode is kindly's to restore.
    stops: Option<signal_hook::iterator::Handle>,
}

impl Inputs {
    /// Start listening. With `keys`, the terminal must already be in raw
    /// mode (see `RawMode`).
    pub(crate) fn start(keys: bool) -> std::io::Result<Inputs> {
        let (tx, rx) = channel();
        let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        let handle = signals.handle();
        let signal_tx = tx.clone();
        let mut stops = None;
        std::thread::spawn(move || {
            for n in signals.forever() {
                if signal_tx.send(Input::Signal(n)).is_err() {
                    break;
                }
            }
        });
        if keys {
            // SIGTSTP (Ctrl-Z from the shell, or `kill -TSTP`): handled,
            // so the terminal is the shell's while stopped and raw again
            // after `fg`; the display redraws on its next tick.
            let mut tstp = Signals::new([SIGTSTP])?;
            stops = Some(tstp.handle());
            std::thread::spawn(move || {
                for _ in tstp.forever() {
                    super::terminal::suspend();
                }
            });
            std::thread::spawn(move || loop {
                // A terminal that went away (a closed window, a dropped
                // ssh session with SIGHUP ignored) reads as endless
                // nothing: poll with a timeout and stop once the terminal
                // is gone, rather than spin at full CPU.
                if !terminal_alive() {
                    break;
                }
                match event::poll(Duration::from_millis(250)) {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(_) => break,
                }
                match event::read() {
                    // Raw mode turns Ctrl-Z into a key; it means what it
                    // means in any program: suspend.
                    Ok(Event::Key(k))
                        if k.kind != KeyEventKind::Release
                            && k.code == KeyCode::Char('z')
                            && k.modifiers.contains(KeyModifiers::CONTROL) =>
                    {
                        let _ = signal_hook::low_level::raise(SIGTSTP);
                    }
                    Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => {
                        if tx.send(Input::Key(k)).is_err() {
                            break;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            });
        }
        Ok(Inputs {
            rx,
            signals: handle,
            stops,
        })
    }
}

impl InputSource for Inputs {
    fn next(&self, timeout: Duration) -> Option<Input> {
        // The signal thread holds a sender for the life of the process,
        // so this never returns at once for want of senders.
        self.rx.recv_timeout(timeout).ok()
    }
}

/// Whether stdin is still a working terminal. After a hang-up its
/// descriptor stays open but every terminal call fails (EIO).
#[cfg(unix)]
fn terminal_alive() -> bool {
    // SAFETY: tcgetattr writes only into the termios it is given.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0
    }
}

#[cfg(not(unix))]
fn terminal_alive() -> bool {
    true
}

/// Ending signals noted for work that checks between steps of its own
/// (a render): SIGINT, SIGTERM and SIGHUP stop it cleanly instead of
/// killing the process with a temporary file left behind.
pub(crate) struct Interrupts {
    signal: Arc<AtomicUsize>,
    ids: Vec<signal_hook::SigId>,
}

impl Interrupts {
    pub(crate) fn start() -> std::io::Result<Interrupts> {
        let signal = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for n in [SIGINT, SIGTERM, SIGHUP] {
            ids.push(signal_hook::flag::register_usize(
                n,
                Arc::clone(&signal),
                n as usize,
            )?);
        }
        Ok(Interrupts { signal, ids })
    }

    /// The signal that arrived, if one has.
    pub(crate) fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::Relaxed) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

impl Drop for Inputs {
    fn drop(&mut self) {
        // Gives SIGINT and friends back their default meaning.
        self.signals.close();
        // After the session, Ctrl-Z stops kindly as it stops anything.
        if let Some(stops) = &self.stops {
            stops.close();
        }
    }
}
