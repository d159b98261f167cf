//! The terminal: raw mode, key and signal input, the live display and the
//! plain lines. The one module that draws or reads keys.
//!
//! The play loop (`crate::play`) decides, and owns the seams it decides
//! through: `play::Display` and `play::InputSource`. This module
//! implements them (`Live`, `Plain`, `Inputs`), so dependencies run one
//! way: `ui` uses `play`, `play` never uses `ui`. Raw mode is entered only
//! when stdin and stdout are terminals, and a guard plus a panic hook
//! always restore the terminal.

mod bars;
pub(crate) use bars::task_bar;
mod input;
mod live;
mod plain;
mod terminal;

pub(crate) use input::{Inputs, Interrupts};
pub(crate) use live::Live;
pub(crate) use plain::Plain;
pub(crate) use terminal::RawMode;
