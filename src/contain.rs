//! Panics in code kindly does not own (the decoders), caught at the edge.
//!
//! A decoder handed a hostile file can panic deep inside a dependency.
//! `catch` runs such code behind `catch_unwind` and turns a panic into a
//! message, so a bad sound file is a bad sound file: `check` reports it,
//! the mixer skips it, and nothing exits 101 or dies on the audio thread.
//!
//! While a contained call runs, the panic hook stays quiet on that thread
//! (the panic is reported by the caller, once, in kindly's words), and the
//! terminal's hook leaves raw mode alone: the session goes on.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINED: Cell<u32> = const { Cell::new(0) };
}

/// Whether this thread is inside `catch`: a panic here will be caught.
pub(crate) fn active() -> bool {
    CONTAINED.with(|c| c.get() > 0)
}

/// Run `f`; a panic inside it becomes `Err` with the panic's message.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    CONTAINED.with(|c| c.set(c.get() + 1));
    // The state a panic could leave half-updated belongs to the decoder
    // that panicked, and every caller drops that decoder afterwards.
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with no message".to_owned())
    })
}

fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !active() {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(catch(|| 7), Ok(7));
        assert_eq!(
            catch(|| -> u8 { panic!("sample rate must be > 0") }),
            Err("sample rate must be > 0".to_owned())
        );
        let n = 3;
        assert_eq!(
            catch(|| -> u8 { panic!("bits {n}") }),
            Err("bits 3".to_owned())
        );
        assert!(!active());
    }
}
