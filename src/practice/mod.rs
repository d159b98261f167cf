//! The practice log: one record for every `play`, `timer` and `breathe`.
//!
//! `Record` is the domain type; `line` turns it into one JSON line and back;
//! `store` is the only code that touches the log file; `csv` exports it.
//! Statistics over records live in `crate::stats` and read no files.

mod csv;
mod line;
pub mod store;

pub use csv::to_csv;
pub use line::{decode, encode, LineError};

use std::time::Duration;

use crate::local_time::LocalTime;
use crate::session::Theme;

/// One session someone sat through, fully or partly.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: Kind,
    /// The session's id: the name used on the command line.
    pub session: String,
    pub title: String,
    pub started: LocalTime,
    /// How long the session was meant to take.
    pub planned: Duration,
    /// How long the person actually practised (pauses not counted).
    pub practised: Duration,
    pub outcome: Outcome,
    /// The themes of the steps practised, in first-use order.
    pub themes: Vec<Theme>,
}

/// Which command ran the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Play,
    Timer,
    Breathe,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Play => "play",
            Kind::Timer => "timer",
            Kind::Breathe => "breathe",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        [Kind::Play, Kind::Timer, Kind::Breathe]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    EndedEarly {
        /// The step that was playing, counted from 1 as `--from` counts.
        step: usize,
        /// How: `q`, `SIGINT`, `SIGTERM`, `SIGHUP`, or whatever the player says.
        by: String,
    },
}

impl Outcome {
    pub fn completed(&self) -> bool {
        matches!(self, Outcome::Completed)
    }
}
