//! The practice log on disk: the core's records (`kindly_core::practice`) plus the store that keeps them.
//!
//! Everything about a record, its line format and its CSV export is pure
//! and lives in the core; `store` is the only code that touches the log
//! file.

pub mod store;

pub use kindly_core::practice::*;
