//! `kindly sounds`: list the built-in sounds, or export them as WAV files.

use crate::cli::SoundsCommand;
use crate::error::{Error, Result, Status};
use crate::synth::{Bed, Cue};

use super::print_stdout;

pub(super) fn run(cmd: &SoundsCommand) -> Result<Status> {
    match cmd {
        SoundsCommand::List => {
            let mut out = String::from("cues (bells, prompts, breath):\n");
            for c in Cue::ALL {
                out.push_str(&format!(
                    "  {:<12} {}\n",
                    c.name(),
                    crate::duration::human(c.length())
                ));
            }
            out.push_str("beds (ambience):\n");
            for b in Bed::ALL {
                out.push_str(&format!("  {}\n", b.name()));
            }
            print_stdout(&out)?;
            Ok(Status::Success)
        }
        SoundsCommand::Export { .. } => Err(Error::new("`kindly sounds export` is not built yet")),
    }
}
