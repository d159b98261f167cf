//! `KINDLY_TRACE=1`: timing lines on stderr, for the benchmarks.
//!
//! The start-up benchmark needs to know when the first buffer reaches the
//! device, seen from inside the process: `first-frame 41.2` (milliseconds
//! since `run` began). Off unless the variable is set, and then cheap: one
//! relaxed atomic load per call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();
static ON: AtomicBool = AtomicBool::new(false);

/// Note the process's start and read `KINDLY_TRACE`; call first thing.
pub(crate) fn start() {
    START.get_or_init(Instant::now);
    let on = std::env::var_os("KINDLY_TRACE").is_some_and(|v| !v.is_empty() && v != "0");
    ON.store(on, Ordering::Relaxed);
}

/// Whether trace lines are printed.
pub(crate) fn enabled() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Print `what <ms since start>` on stderr when tracing.
pub(crate) fn mark(what: &str) {
    if enabled() {
        let ms = START
            .get()
            .map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
        eprintln!("{what} {ms:.1}");
    }
}
