//! Plain output: one timestamped line as each step starts.
//!
//! For screen readers, logs and pipes: `[00:12] 2/14 prompt: Welcome…`.
//! No bars, no cursor movement, nothing redrawn.

use std::io::Write;
use std::time::Duration;

use super::{Display, Status};
use crate::play::view::clock;
use crate::play::View;
use crate::timeline::Timeline;

#[derive(Default)]
pub struct Plain {
    shown_step: Option<usize>,
}

impl Plain {
    pub fn new() -> Plain {
        Plain::default()
    }

    fn line(text: &str) {
        // A closed pipe (`kindly play x --plain | head`) must not stop the
        // session, so write errors are ignored.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }
}

impl Display for Plain {
    fn show(&mut self, timeline: &Timeline, view: &View, _status: &Status) {
        if self.shown_step == Some(view.step) {
            return;
        }
        // A log names every step, even one that passed between two looks
        // (short bells under --speed): steps skipped over in order are
        // printed at their own start times.
        let first = match self.shown_step {
            Some(s) if s < view.step => s + 1,
            _ => view.step,
        };
        self.shown_step = Some(view.step);
        let rate = timeline.format.rate;
        for index in first..=view.step {
            let step = &timeline.steps[index];
            // Its scheduled start: plain play has no keys, so nothing
            // holds or pauses it, and the line does not depend on when
            // the loop happened to look.
            let at = step.start.to_duration(rate);
            let mut line = format!(
                "[{}] {}/{} {}",
                clock(at),
                index + 1,
                timeline.steps.len(),
                step.kind
            );
            if let Some(text) = &step.text {
                line.push_str(": ");
                // One line per step: a screen reader reads it whole.
                line.push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Plain::line(&line);
        }
    }

    fn note(&mut self, text: &str) {
        Plain::line(text);
    }

    fn finish(&mut self, summary: &str) {
        Plain::line(summary);
    }

    fn cadence(&self) -> Duration {
        Duration::from_millis(250)
    }
}
