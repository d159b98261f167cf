//! kindly: a guided-mindfulness audio player for the terminal.
//!
//! This crate is the edges: the command line, the terminal, the sound
//! device, files, caches and speech engines. What a session is and how it
//! sounds is decided in the pure core, `kindly_core`, whose modules are
//! re-exported here under the same names. `main.rs` only calls [`run`]. See
//! ARCHITECTURE.md for the map.

pub use kindly_core::{
    diagnostic, duration, mixer, quick, script, session, stats, synth, timeline,
};

pub mod audio;
pub mod cli;
mod commands;
pub mod config;
pub mod contain;
pub mod dirs;
pub mod encode;
pub mod error;
pub mod journal;
pub mod library;
pub mod local_time;
pub mod output;
pub mod overwrite;
pub mod play;
pub mod practice;
pub mod remind;
pub mod render;
pub mod safe_file;
pub mod sandbox;
pub mod sound_cache;
#[cfg(test)]
mod test_support;
pub mod trace;
pub mod transcript;
pub mod ui;
pub mod visible;
pub mod voice;

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
