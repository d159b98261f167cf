//! `kindly man`: one manual page, kindly(1), built from the clap definition.
//!
//! Every visible subcommand gets its own subsection, so a command the
//! command line gains appears here by itself; hidden (test-only) commands
//! and flags never do. The prose sections (keys, files, environment, exit
//! status, examples) are written here, where a reader of the page expects
//! them. tests/integration/man.rs renders the page with `groff -ww` and
//! fails on any warning.

use clap::{Arg, ArgAction, Command};

use crate::play::keys;

/// The whole page as roff.
pub(crate) fn page(cmd: &Command) -> String {
    let mut r = String::new();
    let version = cmd.get_version().unwrap_or_default();
    r.push_str(&format!(
        ".TH KINDLY 1 \"\" \"kindly {}\" \"User Commands\"\n",
        esc(version)
    ));
    r.push_str(".SH NAME\nkindly \\- ");
    r.push_str(&esc(&cmd
        .get_about()
        .map(|a| a.to_string())
        .unwrap_or_default()));
    r.push_str("\n.SH SYNOPSIS\n\\fBkindly\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n");
    r.push_str(".SH DESCRIPTION\n");
    r.push_str(&paragraphs(DESCRIPTION));
    r.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(&mut r, "kindly", sub);
    }
    r.push_str(".SH KEYS\nWhile a session plays in a terminal:\n");
    for (key, what) in KEYS {
        r.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", esc(key), esc(what)));
    }
    r.push_str(&format!(".PP\nThe help line reads: {}\n", esc(keys::HELP)));
    r.push_str(".SH \"SESSION FORMAT\"\n");
    r.push_str(&paragraphs(FORMAT));
    r.push_str(".SH FILES\n");
    for (path, what) in FILES {
        r.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", esc(path), esc(what)));
    }
    r.push_str(".SH ENVIRONMENT\n");
    for (var, what) in ENVIRONMENT {
        r.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", esc(var), esc(what)));
    }
    r.push_str(".SH \"EXIT STATUS\"\n");
    for (code, what) in EXIT {
        r.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", esc(what)));
    }
    r.push_str(".SH EXAMPLES\n");
    for (example, what) in EXAMPLES {
        r.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", esc(example), esc(what)));
    }
    r.push_str(".SH \"SEE ALSO\"\n\\fBman\\fR(1), \\fBtaplo\\fR(1)\n");
    r
}

fn command(r: &mut String, parent: &str, cmd: &Command) {
    let name = format!("{parent} {}", cmd.get_name());
    let mut usage = format!("\\fB{}\\fR", esc(&name));
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let value = value_name(arg);
        if arg.is_required_set() {
            usage.push_str(&format!(" \\fI{}\\fR", esc(&value)));
        } else {
            usage.push_str(&format!(" [\\fI{}\\fR]", esc(&value)));
        }
    }
    if cmd.get_opts().any(|a| !a.is_hide_set()) {
        usage.push_str(" [\\fIOPTIONS\\fR]");
    }
    r.push_str(&format!(".SS \"{}\"\n{usage}\n.br\n", esc(&name)));
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        r.push_str(&esc(&about.to_string()));
        r.push('\n');
    }
    for arg in cmd.get_arguments().filter(|a| shown(a)) {
        r.push_str(&format!(".TP\n{}\n", arg_head(arg)));
        if let Some(help) = arg.get_long_help().or(arg.get_help()) {
            r.push_str(&esc(&help.to_string()));
            r.push('\n');
        }
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !values.is_empty() && arg.get_action().takes_values() {
            r.push_str(&format!("One of: {}.\n", esc(&values.join(", "))));
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(r, &name, sub);
    }
}

fn shown(arg: &Arg) -> bool {
    !arg.is_hide_set() && !matches!(arg.get_id().as_str(), "help" | "version")
}

fn value_name(arg: &Arg) -> String {
    arg.get_value_names()
        .and_then(|v| v.first())
        .map(|v| v.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

fn arg_head(arg: &Arg) -> String {
    if arg.is_positional() {
        return format!("\\fI{}\\fR", esc(&value_name(arg)));
    }
    let mut names = Vec::new();
    if let Some(s) = arg.get_short() {
        names.push(format!("\\fB\\-{}\\fR", esc(&s.to_string())));
    }
    if let Some(l) = arg.get_long() {
        names.push(format!("\\fB\\-\\-{}\\fR", esc(l)));
    }
    let mut head = names.join(", ");
    if arg.get_action().takes_values() && !matches!(arg.get_action(), ArgAction::SetTrue) {
        head.push_str(&format!(" \\fI{}\\fR", esc(&value_name(arg))));
    }
    head
}

/// Text made safe for roff: backslashes and dashes escaped, anything not
/// ASCII written as a named glyph (troff reads bytes, not UTF-8), and no
/// line that a control character (`.` or `'`) would start.
fn esc(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\e"),
            '-' => escaped.push_str("\\-"),
            c if c.is_ascii() => escaped.push(c),
            c => escaped.push_str(&format!("\\[u{:04X}]", c as u32)),
        }
    }
    escaped
        .lines()
        .map(|l| {
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| format!(".PP\n{}\n", esc(&p.replace('\n', " "))))
        .collect()
}

const DESCRIPTION: &str = "\
kindly plays guided mindfulness sessions in the terminal, for practising \
self-compassion offline: bells, timed silences, breathing pacers, prompts, \
spoken or recorded guidance, and a private reflection journal. Sessions are \
TOML scripts; kindly bundles a few and keeps yours in its sessions folder.

kindly is not therapy. If you are struggling, please reach out to someone \
you trust or to a professional.";

const FORMAT: &str = "\
A session is a TOML file with a title and a list of [[steps]], each with a \
kind: bell, prompt, pause, breathe, audio or reflect. kindly check reports \
every problem with its file, line and column; kindly new writes a commented \
starter; kindly schema prints the JSON Schema that editors such as taplo and \
Even Better TOML read from a #:schema line at the top of a script.

Durations are whole hours, minutes and seconds, largest first (\"90s\", \
\"1m30s\", \"1m 30s\", \"1h\"), or a number of seconds (45, 7.5, \"7.5\"). \
Every duration is more than 0 and at most 24 hours.

A breathe step gives exactly one of cycles or duration. Its pattern is box, \
4-7-8, coherent, a name from [patterns] in config.toml, or seconds such as \
\"4-6\", \"4-7-8\" or \"4-4-4-4\" (in, hold, out, hold).

A pause's interval is a duration (\"5m\") or a range (\"3m..7m\") for a bell \
at a random time within it each time; --seed lays the random bells out the \
same way again, and the practice log keeps the seed of every run. A bell \
that strikes while another still rings fades that ring quickly.

A block is a named run of steps under [[blocks.NAME.steps]]; a step with \
use = \"NAME\" plays it, and repeat = N plays it N times (1 to 100). \
include = [\"shared/arrival.toml\"] takes blocks from files relative to the \
script, read only from its own folder tree and your sessions folders. \
kindly show prints the expanded timeline.";

const KEYS: &[(&str, &str)] = &[
    ("space", "Pause, or go on."),
    ("n, Right", "The next step."),
    (
        "p, Left",
        "Back to the start of this step, or the step before.",
    ),
    ("+, =, Up", "Louder."),
    ("-, Down", "Quieter."),
    ("?", "Show or hide the help line."),
    (
        "q, Esc",
        "End the session; the time so far is kept in the log.",
    ),
    ("Ctrl-C", "End at once."),
    (
        "Enter",
        "At a reflect step, finish the answer (with a journal, the words are kept).",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "$XDG_DATA_HOME/kindly/sessions/",
        "Your own session scripts (default ~/.local/share/kindly/sessions/).",
    ),
    (
        "$XDG_DATA_HOME/kindly/session.schema.json",
        "A local copy of the schema, which kindly new points scripts at.",
    ),
    (
        "$XDG_DATA_HOME/kindly/",
        "The practice log and the private journal, beside your sessions.",
    ),
    (
        "$XDG_DATA_HOME/kindly/reminders.json",
        "What kindly remind add wrote: every unit file, plist and crontab line, so kindly remind remove takes exactly those away.",
    ),
    (
        "$XDG_CONFIG_HOME/systemd/user/kindly-remind-ID.timer",
        "A reminder's systemd timer and its .service; on macOS, ~/Library/LaunchAgents/kindly.remind.ID.plist.",
    ),
    (
        "$XDG_CONFIG_HOME/kindly/config.toml",
        "Settings: volume, voice, prompt cue and more (kindly config shows them).",
    ),
    (
        "$XDG_CACHE_HOME/kindly/",
        "Rendered sounds and synthesized speech, safe to delete.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "KINDLY_HOME",
        "Keep sessions, log, journal, config and cache all in this one folder.",
    ),
    (
        "KINDLY_CONFIG",
        "The configuration file to read, which must exist.",
    ),
    (
        "XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME",
        "Where the folders above live, by the XDG base-directory rules.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour (as --color never).",
    ),
    (
        "CLICOLOR_FORCE",
        "When set and not 0, colour even when output is not a terminal.",
    ),
    (
        "TERM",
        "With TERM=dumb kindly draws no live view and prints plain lines.",
    ),
    (
        "KINDLY_TRACE",
        "When set and not 0, print timing traces on stderr.",
    ),
];

const EXIT: &[(&str, &str)] = &[
    ("0", "Success."),
    ("1", "kindly check found problems."),
    (
        "2",
        "Any other error, such as a missing file or no sound device.",
    ),
];

const EXAMPLES: &[(&str, &str)] = &[
    ("kindly list", "The bundled sessions and your own."),
    (
        "kindly play self-compassion-break",
        "Play a bundled session by name.",
    ),
    (
        "kindly timer 10m --interval 5m",
        "Ten quiet minutes, a bell halfway.",
    ),
    (
        "kindly timer 20m --interval 3m..7m",
        "Twenty minutes, with a bell at a random time every three to seven minutes.",
    ),
    (
        "kindly timer --preset morning",
        "A timer set up in config.toml's [presets.morning].",
    ),
    ("kindly breathe 4-7-8 --cycles 4", "Four slow breaths."),
    (
        "kindly stats self-compassion-break",
        "One session's history: its runs, lengths and a calendar row.",
    ),
    (
        "kindly new morning-kindness",
        "Start your own session from a commented template.",
    ),
    (
        "kindly check ~/sessions/*.toml",
        "Report every problem in your scripts.",
    ),
    (
        "kindly render loving-kindness -o lk.wav",
        "Render a session to a WAV file.",
    ),
    ("kindly man | man -l -", "Read this page."),
];
