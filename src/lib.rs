//! kindly: a guided-mindfulness audio player for the terminal.
//!
//! This crate is the edges: the command line, the terminal, the sound
//! device, files, caches and speech engines. What a session is and how it
//! sounds is decided in the pure core, `kindly_core`, whose modules are
//! re-exported here under the same names. `main.rs` only calls [`run`]. See
//! ARCHITECTURE.md for the map.

// The benches reach the mixer and its inputs through these paths; the rest
// of the core is the binary's own business.
pub(crate) use kindly_core::{diagnostic, duration, quick, script, stats};
pub use kindly_core::{mixer, session, synth, timeline};

pub(crate) mod audio;
pub(crate) mod cli;
mod commands;
pub(crate) mod config;
pub(crate) mod contain;
pub(crate) mod dirs;
pub mod encode;
pub(crate) mod error;
pub(crate) mod journal;
pub(crate) mod library;
pub(crate) mod local_time;
pub(crate) mod output;
pub(crate) mod overwrite;
pub(crate) mod play;
pub(crate) mod practice;
pub(crate) mod remind;
pub mod render;
pub(crate) mod safe_file;
pub(crate) mod sandbox;
pub(crate) mod sound_cache;
#[cfg(test)]
mod test_support;
pub(crate) mod trace;
pub(crate) mod transcript;
pub(crate) mod ui;
pub(crate) mod visible;
pub(crate) mod voice;

use std::process::ExitCode;

use clap::Parser;

/// Run the command line and map the outcome to ripgrep's exit codes:
/// 0 all is well, 1 problems found, 2 an error; a session ended by a
/// signal exits as shells expect, 128 + the signal's number.
pub fn run() -> ExitCode {
    cli::completion::answer_the_shell();
    trace::start();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(error::Status::Success) => ExitCode::SUCCESS,
        Ok(error::Status::Problems) => ExitCode::from(1),
        Ok(error::Status::Signal(n)) => ExitCode::from(128u8.saturating_add(n)),
        Err(e) => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                visible::visible(&format!("{e}\n")).as_bytes(),
            );
            ExitCode::from(2)
        }
    }
}
