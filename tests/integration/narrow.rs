//! kindly in small and plain terminals, as tmux shows it: at 40 and 100
//! columns nothing the live view, `list` or `show` prints is wider than the
//! screen (so the terminal never breaks a word), `?` shows and hides one
//! help line, and `TERM=dumb` gets plain lines instead of cursor codes.

use std::time::Duration;

use crate::test::Test;
use crate::tmux::{self, Tmux};

const WAIT: Duration = Duration::from_secs(15);

/// kindly `args` in a pane of its own, on the null output, with `TERM`
/// set to `term`; the pane says `finished` when it ends.
fn kindly(name: &str, term: &str, args: &str, width: u16, height: u16) -> Tmux {
    let test = Test::new()
        .env("KINDLY_OUTPUT", "null")
        .env("TERM", term)
        .args(args.split_whitespace());
    Tmux::kindly(name, test, "echo finished; sleep 30", width, height)
}

/// No word on the screen was broken by the terminal: a line the terminal
/// wrapped fills the whole width and goes straight on at the start of the
/// next, so a full line ending in a letter followed by a line starting
/// with one is a word cut in two. (tmux's own `-J` join cannot tell, since
/// indicatif pads the lines it redraws to the width.)
pub(crate) fn assert_fits(t: &Tmux, width: usize, what: &str) {
    let screen = t.screen_history();
    let lines: Vec<&str> = screen.lines().collect();
    for pair in lines.windows(2) {
        let (line, next) = (pair[0].trim_end(), pair[1]);
        let full = line.chars().count() >= width;
        let cut = line.chars().last().is_some_and(char::is_alphanumeric)
            && next.chars().next().is_some_and(char::is_alphanumeric);
        assert!(
            !(full && cut),
            "{what} at {width} columns: a word broken across\n{line}\n{next}\n\n{screen}"
        );
        assert!(
            line.chars().count() <= width,
            "{what} at {width} columns: too wide:\n{line}"
        );
    }
}

#[test]
fn list_and_show_fit_40_and_100_columns() {
    if !tmux::available() {
        return;
    }
    for width in [40u16, 100] {
        for (name, args, last) in [
            ("list", "list", "three-minute-pause"),
            ("show", "show three-minute-pause --no-voice", "total"),
        ] {
            let t = kindly(
                &format!("{name}-{width}"),
                "xterm-256color",
                args,
                width,
                200,
            );
            let screen = t.wait_for("finished", WAIT);
            assert!(screen.contains(last), "{screen}");
            assert_fits(&t, width.into(), name);
        }
    }
}

#[test]
fn the_live_view_fits_40_and_100_columns_and_help_toggles() {
    if !tmux::available() {
        return;
    }
    for width in [40u16, 100] {
        let t = kindly(
            &format!("live-{width}"),
            "xterm-256color",
            "play breathing-pacer --silent --no-voice",
            width,
            15,
        );
        t.wait_for("1/18", WAIT);
        t.keys(&["?"]);
        let shown = t.wait_for("q end", WAIT);
        assert_eq!(shown.matches("q end").count(), 1, "{shown}");
        t.keys(&["?"]);
        t.keys(&["?"]);
        let again = t.wait_for("q end", WAIT);
        assert_eq!(
            again.matches("q end").count(),
            1,
            "one help line, not a copy:\n{again}"
        );
        t.keys(&["?"]);
        // To the first breathing step, where the pacer is on screen too.
        for _ in 0..4 {
            t.keys(&["n"]);
        }
        let screen = t.wait_for("breathe", WAIT);
        assert!(!screen.contains("q end"), "help not hidden:\n{screen}");
        assert_fits(&t, width.into(), "the live view");
        t.keys(&["q"]);
        t.wait_for("finished", WAIT);
    }
}

#[test]
fn term_dumb_gets_plain_lines_not_cursor_codes() {
    if !tmux::available() {
        return;
    }
    let t = kindly(
        "dumb",
        "dumb",
        "breathe 4-6 --cycles 1 --silent --speed 10",
        60,
        15,
    );
    let screen = t.wait_for("finished", WAIT);
    for line in [
        "[00:00] 1/1 breathe",
        "[00:00] in 4",
        "[00:04] out 6",
        "Session complete",
    ] {
        assert!(screen.contains(line), "no {line:?}:\n{screen}");
    }
}
