//! Integration tests: the real `kindly` binary on real files.
//!
//! One test binary, like just's, so the crate links once.

mod check;
mod cli;
mod completion;
mod corpus;
mod engine;
mod engines;
mod journal_tmux;
mod man;
mod narrow;
mod playback;
mod practice;
mod reflect_clock;
mod schema;
mod show;
mod test;
mod tmux;
mod voice;
