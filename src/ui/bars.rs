//! Every progress bar, built in one place (hyperfine's habit).
//!
//! `play`'s bars draw to stdout at most 15 times a second, and are hidden
//! when stdout is not a terminal. Colour is one soft accent, and none at
//! all under `NO_COLOR`. Work done before or instead of playing (a
//! render, speaking prompts) gets one plain bar on stderr (`task_bar`).

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// One plain bar on stderr for `total` units of work, `template` being
/// indicatif's (`{wide_bar}`, `{pos}/{len}`, `{eta}`); hidden when stderr
/// is not a terminal, so logs and pipes get no control characters.
pub(crate) fn task_bar(total: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Redraws per second: smooth enough for the pacer, calm for the eye.
const HZ: u8 = 15;

pub(crate) struct Bars {
    pub color: bool,
}

impl Bars {
    pub(crate) fn multi(&self, visible: bool) -> MultiProgress {
        let target = if visible {
            ProgressDrawTarget::stdout_with_hz(HZ)
        } else {
            ProgressDrawTarget::hidden()
        };
        MultiProgress::with_draw_target(target)
    }

    /// Elapsed, total and remaining under the session's progress, in
    /// tenths of a second. The bars take the width the words leave
    /// (`wide_bar`), so the view fits a 40-column terminal unbroken.
    pub(crate) fn session(&self, tenths: u64) -> ProgressBar {
        let bar = if self.color {
            "  {wide_bar:.cyan/238} {msg}"
        } else {
            "  {wide_bar} {msg}"
        };
        styled(ProgressBar::new(tenths.max(1)), bar, "━╸─")
    }

    /// The step line: number, kind, countdown and what to press.
    pub(crate) fn line(&self) -> ProgressBar {
        let t = if self.color {
            "  {msg:.dim}"
        } else {
            "  {msg}"
        };
        styled(ProgressBar::new(1), t, "  ")
    }

    /// The answer typed at a journal step: its lines, nothing else.
    pub(crate) fn answer(&self) -> ProgressBar {
        styled(ProgressBar::new(1), "{msg}", "  ")
    }

    /// The breathing pacer, 0..=1000 full.
    pub(crate) fn pacer(&self) -> ProgressBar {
        let t = if self.color {
            "  {prefix:<11} {wide_bar:.green/238} {msg:>3}"
        } else {
            "  {prefix:<11} {wide_bar} {msg:>3}"
        };
        styled(ProgressBar::new(1000), t, "█▓░")
    }
}

fn styled(bar: ProgressBar, template: &str, chars: &str) -> ProgressBar {
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars(chars);
    bar.set_style(style);
    bar
}
