//! Plain output: one timestamped line as each step starts.
//!
//! For screen readers, logs and pipes: `[00:12] 2/14 prompt: Welcome…`.
//! A breathing pacer adds a line per phase with its count (`[00:14] in 4`,
//! `hold 7`, `out 8`), which is all a bar would have said. No bars, no
//! cursor movement, nothing redrawn.

use std::io::Write;
use std::time::Duration;

use crate::play::view::clock;
use crate::play::View;
use crate::play::{Display, PlayState};
use crate::session::Phase;
use crate::timeline::{Show, Timeline};

#[derive(Default)]
pub(crate) struct Plain {
    shown_step: Option<usize>,
    /// The last breath phase printed: (step, index into its display).
    shown_phase: Option<(usize, usize)>,
}

impl Plain {
    pub(crate) fn new() -> Plain {
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
    fn show(&mut self, timeline: &Timeline, view: &View, _status: &PlayState) {
        self.steps(timeline, view);
        self.phases(timeline, view);
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

impl Plain {
    fn steps(&mut self, timeline: &Timeline, view: &View) {
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
            // An open sit's steps count out of its 12-hour bound, not
            // toward an end: no count.
            let mut line = match view.sat {
                Some(_) => format!("[{}] {}", clock(at), step.kind),
                None => format!(
                    "[{}] {}/{} {}",
                    clock(at),
                    index + 1,
                    timeline.steps.len(),
                    step.kind
                ),
            };
            if let Some(text) = &step.text {
                line.push_str(": ");
                // One line per step: a screen reader reads it whole.
                line.push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Plain::line(&line);
        }
    }

    /// Each breath phase of the current step that has begun, once, at its
    /// scheduled time (as steps are), so phases passed between two looks
    /// under `--speed` are printed too.
    fn phases(&mut self, timeline: &Timeline, view: &View) {
        let rate = timeline.format.rate;
        let Some(step) = timeline.steps.get(view.step) else {
            return;
        };
        let next = match self.shown_phase {
            Some((s, i)) if s == view.step => i + 1,
            _ => 0,
        };
        for (i, d) in step.display.iter().enumerate().skip(next) {
            let Show::Phase { phase, length } = d.show else {
                continue;
            };
            let at = d.at.to_duration(rate);
            if at > view.elapsed {
                break;
            }
            self.shown_phase = Some((view.step, i));
            Plain::line(&format!(
                "[{}] {} {}",
                clock(at),
                phase_word(phase),
                count(length.to_duration(rate))
            ));
        }
    }
}

/// The word a pacer's count follows: "in 4", "hold 7", "out 8".
fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Inhale => "in",
        Phase::HoldIn | Phase::HoldOut => "hold",
        Phase::Exhale => "out",
    }
}

/// Seconds to count: whole numbers bare, halves as `5.5`.
fn count(d: Duration) -> String {
    let tenths = (d.as_secs_f64() * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{}", tenths as u64)
    } else {
        format!("{tenths:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_spoken() {
        assert_eq!(count(Duration::from_secs(4)), "4");
        assert_eq!(count(Duration::from_millis(5500)), "5.5");
        assert_eq!(count(Duration::from_millis(6999)), "7");
        assert_eq!(phase_word(Phase::HoldOut), "hold");
    }
}
