//! The live display: step text above, three quiet lines below.
//!
//! Each step's words are printed once, wrapped to the terminal, above the
//! bars (through the bars, so raw mode's bare newlines cannot stair-step).
//! Below them: the session bar, the step line (number, kind, countdown,
//! what to press) and, during a breathe step, the pacer. Only values that
//! changed are handed to indicatif, which redraws at most 15 times a
//! second.
//!
//! At a journal step the answer being typed is one more bar, inserted
//! between the question and the session bar, its message the wrapped text
//! with a thin cursor. Only a changed text is handed over, so typing
//! redraws those lines alone, with indicatif's usual rate limit. A
//! finished answer is printed above the bars, where it stays.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar};

use super::bars::Bars;
use crate::play::reflect::ReflectWait;
use crate::play::view::{clock, secs_left};
use crate::play::View;
use crate::play::{Display, PlayState};
use crate::timeline::{Gate, Timeline};

pub(crate) struct Live {
    multi: MultiProgress,
    bars: Bars,
    session: ProgressBar,
    line: ProgressBar,
    pacer: Option<ProgressBar>,
    answer: Option<ProgressBar>,
    /// The keys' help line, under the step line while `?` has it shown.
    help: Option<ProgressBar>,
    last_answer: String,
    shown_step: Option<usize>,
    last_line: String,
    last_session: String,
    last_pacer: (String, String),
}

impl Live {
    pub(crate) fn new(timeline: &Timeline, color: bool) -> Live {
        let bars = Bars { color };
        let multi = bars.multi(true);
        let tenths = timeline.duration().as_millis() as u64 / 100;
        let _ = multi.println(format!("\r\n  {}\r\n", timeline.title));
        let session = multi.add(bars.session(tenths));
        let line = multi.add(bars.line());
        Live {
            multi,
            bars,
            session,
            line,
            pacer: None,
            answer: None,
            help: None,
            last_answer: String::new(),
            shown_step: None,
            last_line: String::new(),
            last_session: String::new(),
            last_pacer: (String::new(), String::new()),
        }
    }

    fn width() -> usize {
        crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
    }
}

impl Display for Live {
    fn show(&mut self, timeline: &Timeline, view: &View, status: &PlayState) {
        let n = timeline.steps.len();
        let step = &timeline.steps[view.step];
        if self.shown_step != Some(view.step) {
            self.shown_step = Some(view.step);
            if let Some(text) = &step.text {
                let width = Self::width().saturating_sub(4).clamp(20, 76);
                // A blank line between steps: room to breathe.
                let mut out = String::from("\n");
                let options = textwrap::Options::new(width).break_words(false);
                for line in textwrap::wrap(text, options) {
                    out.push_str("  ");
                    out.push_str(&line);
                    out.push('\n');
                }
                let _ = self.multi.println(out.trim_end());
            }
        }

        // The clock keeps running while the timeline waits for a person
        // (a reflect step being written): the total grows with it, and the
        // time left stays what it was.
        let (elapsed, total) = view.clock();
        let tenths = |d: Duration| d.as_millis() as u64 / 100;
        let session = match view.sat {
            // An open sit has no end to count toward: the time sat, and a
            // bar that fills once a minute, so the eye sees time pass.
            Some(sat) => {
                self.session.set_length(600);
                self.session.set_position(tenths(sat) % 600);
                format!("{} sat", clock(sat))
            }
            None => {
                self.session.set_length(tenths(total).max(1));
                self.session.set_position(tenths(elapsed));
                format!(
                    "{} / {} · {} left",
                    clock(elapsed),
                    clock(total),
                    clock(total.saturating_sub(elapsed))
                )
            }
        };
        if session != self.last_session {
            self.session.set_message(session.clone());
            self.last_session = session;
        }

        let what = if status.paused {
            "paused · space to resume".to_owned()
        } else if let Some(notice) = &status.notice {
            notice.clone()
        } else {
            match (step.gate, status.armed) {
                (Some(Gate::Key), true) => "press any key to go on".to_owned(),
                (Some(Gate::Reflect { journal }), true) => {
                    ReflectWait::prompt_for(journal && status.journal).to_owned()
                }
                // An open sit's time left counts down to its 12-hour bound:
                // what q does is more use, up to the closing bell itself.
                _ if view.sat.is_some() && status.armed && view.step + 1 < n => {
                    "q rings the closing bell".to_owned()
                }
                _ if view.breath.is_some() || step.kind == "bell" || view.sat.is_some() => {
                    String::new()
                }
                _ => format!("{} left", clock(view.step_left)),
            }
        };
        let mut line = match view.sat {
            Some(_) => step.kind.to_string(),
            None => format!("{}/{} · {}", view.step + 1, n, step.kind),
        };
        if !what.is_empty() {
            line.push_str(" · ");
            line.push_str(&what);
        }
        // On a narrow terminal the line goes on under itself, broken at
        // spaces, rather than being cut mid-word by the terminal.
        let line = fit(&line, Self::width());
        if line != self.last_line {
            self.line.set_message(line.clone());
            self.last_line = line;
        }

        match (&view.breath, &self.pacer) {
            (Some(b), _) => {
                let pacer = self
                    .pacer
                    .get_or_insert_with(|| self.multi.add(self.bars.pacer()));
                pacer.set_position((b.fill * 1000.0) as u64);
                let label = (b.phase.label().to_owned(), secs_left(b.left).to_string());
                if label != self.last_pacer {
                    pacer.set_prefix(label.0.clone());
                    pacer.set_message(label.1.clone());
                    self.last_pacer = label;
                }
            }
            (None, Some(p)) => {
                p.finish_and_clear();
                self.multi.remove(p);
                self.pacer = None;
                self.last_pacer = (String::new(), String::new());
            }
            (None, None) => {}
        }
    }

    fn note(&mut self, text: &str) {
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("  {l}")
                }
            })
            .collect();
        let _ = self.multi.println(lines.join("\n"));
    }

    fn toggle_help(&mut self) {
        if let Some(bar) = self.help.take() {
            bar.finish_and_clear();
            self.multi.remove(&bar);
            return;
        }
        let width = Self::width().saturating_sub(4).max(20);
        let text = textwrap::wrap(
            crate::play::keys::HELP,
            textwrap::Options::new(width).break_words(false),
        )
        .join("\n  ");
        let bar = self.multi.insert_after(&self.line, self.bars.line());
        bar.set_message(text);
        self.help = Some(bar);
    }

    fn answer(&mut self, typing: Option<&str>) {
        match typing {
            Some(text) => {
                let shown = answer_lines(text, Self::width());
                let bar = self.answer.get_or_insert_with(|| {
                    self.multi.insert_before(&self.session, self.bars.answer())
                });
                if shown != self.last_answer {
                    bar.set_message(shown.clone());
                    self.last_answer = shown;
                }
            }
            None => {
                if let Some(bar) = self.answer.take() {
                    bar.finish_and_clear();
                    self.multi.remove(&bar);
                    self.last_answer.clear();
                }
            }
        }
    }

    fn finish(&mut self, summary: &str) {
        self.answer(None);
        if let Some(h) = self.help.take() {
            h.finish_and_clear();
        }
        if let Some(p) = self.pacer.take() {
            p.finish_and_clear();
        }
        self.line.finish_and_clear();
        self.session.finish_and_clear();
        let _ = self.multi.println(format!("\n  {summary}\n"));
        let _ = self.multi.clear();
    }

    fn cadence(&self) -> Duration {
        // Smooth enough for the pacer's bar, about sixteen frames a second.
        Duration::from_millis(60)
    }
}

/// `line` broken at spaces to fit `width` columns after the bar's
/// two-space indent (and one column spare), its later lines indented too.
fn fit(line: &str, width: usize) -> String {
    let options = textwrap::Options::new(width.saturating_sub(3).max(20))
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(line, options).join("\n  ")
}

/// The answer as it is drawn while typed: a blank line, each line
/// indented under the question and wrapped to the terminal, a thin cursor
/// after the last character, and a blank line before the bars.
fn answer_lines(text: &str, width: usize) -> String {
    const INDENT: &str = "    ";
    let width = width.saturating_sub(INDENT.len() + 2).clamp(20, 76);
    let with_cursor = format!("{text}\u{258f}");
    let mut out = String::from("\n");
    for line in with_cursor.split('\n') {
        // textwrap drops a line of nothing but spaces; keep it as typed.
        let wrapped = textwrap::wrap(line, width);
        if wrapped.is_empty() {
            out.push_str(INDENT);
            out.push('\n');
        }
        for part in wrapped {
            out.push_str(INDENT);
            out.push_str(&part);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{answer_lines, fit};

    #[test]
    fn a_long_status_line_is_broken_at_spaces_to_fit() {
        let line = "12/17 · reflect · type your answer · Enter twice to finish · Esc to skip";
        let fitted = fit(line, 40);
        assert_eq!(
            fitted,
            "12/17 · reflect · type your answer ·\n  Enter twice to finish · Esc to skip"
        );
        assert!(fitted.lines().all(|l| l.chars().count() + 2 < 40));
        assert_eq!(fit("2/3 · bell", 40), "2/3 · bell");
    }

    #[test]
    fn an_answer_is_drawn_indented_wrapped_with_a_cursor() {
        assert_eq!(answer_lines("", 80), "\n    \u{258f}\n");
        assert_eq!(answer_lines("one\ntwo", 80), "\n    one\n    two\u{258f}\n");
        assert_eq!(answer_lines("one\n", 80), "\n    one\n    \u{258f}\n");
        let long = "word ".repeat(10);
        let drawn = answer_lines(long.trim_end(), 26);
        assert_eq!(
            drawn,
            "\n    word word word word\n    word word word word\n    word word\u{258f}\n"
        );
    }
}
