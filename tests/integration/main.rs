//! Integration tests: the real `kindly` binary on real files.
//!
//! One test binary, like just's, so the crate links once.

mod check;
mod cli;
mod corpus;
mod engine;
mod engines;
mod journal_tmux;
mod playback;
mod schema;
mod practice;
mod show;
mod test;
mod tmux;
mod voice;
