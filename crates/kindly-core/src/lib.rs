//! kindly's pure core: everything that decides what a session is and how it sounds, with no I/O.
//!
//! Scripts are parsed and checked (`script`) into a `session`, compiled into
//! a frame-exact `timeline`, and turned into samples by the `mixer` from
//! sounds the `synth` makes. The practice log's records (`practice`) and the
//! figures drawn from them (`stats`) live here too. Nothing in this crate
//! reads a clock, opens a file, or touches a terminal or a device: the
//! binary crate does that and hands the results in. The crate's
//! dependencies make that a rule the build keeps, not a promise (see
//! Cargo.toml and ARCHITECTURE.md).

pub mod diagnostic;
pub mod duration;
pub mod local_time;
pub mod mixer;
pub mod practice;
pub mod quick;
pub mod script;
pub mod session;
pub mod stats;
pub mod synth;
pub mod timeline;
