//! Integration tests: the real `kindly` binary on real files.
//!
//! One test binary, like just's, so the crate links once.

mod again;
mod bells_presets;
mod check;
mod cli;
mod completion;
mod core_is_pure;
mod corpus;
mod engine;
mod engines;
mod hostile;
mod includes;
mod journal_tmux;
mod man;
mod narrow;
mod open_sit_tmux;
mod overwrite;
mod playback;
mod practice;
mod reflect_clock;
mod remind;
mod render_formats;
mod resume;
mod sandbox;
mod schema;
mod sealed;
mod show;
mod special_files;
mod suspend_tmux;
mod terminal_text;
mod test;
mod tmux;
mod voice;
