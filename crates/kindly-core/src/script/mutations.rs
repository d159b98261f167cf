//! Property test: the checker never panics, on any mutation of any real script.
//!
//! Starts from the bundled sessions and the broken-script corpus, applies
//! random edits (bytes, TOML punctuation, whole lines, truncation, deep
//! nesting), and checks that parsing, rendering the diagnostics and
//! compiling the timeline all return normally. The number of cases comes
//! from `KINDLY_MUTATION_CASES` (default 512, so `cargo test` stays quick);
//! the one-off million-case run is recorded in BENCHMARKS.md.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::{parse, Origin};
use crate::diagnostic::Report;
use crate::timeline::{BuiltinLengths, Options, Timeline};

/// Fragments that matter to TOML and to our checker, so mutations reach
/// past the tokenizer into validation.
const PIECES: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    "\"",
    "'",
    "\"\"\"",
    ",",
    ".",
    "#",
    "\n",
    " ",
    "\\",
    "\\u00e9",
    "kind",
    "steps",
    "duration",
    "\"1m\"",
    "\"key\"",
    "-1",
    "0",
    "1e400",
    "nan",
    "inf",
    "true",
    "9999999999999999999999",
    "\"bowl\"",
    "\"4-7-8\"",
    "[[steps]]\n",
    "cycles = 3\n",
    "\u{feff}",
    "\u{0}",
    "é",
    "💛",
    "\r\n",
];

#[derive(Debug, Clone)]
enum Edit {
    InsertByte(usize, u8),
    InsertPiece(usize, usize),
    Delete(usize, usize),
    Replace(usize, u8),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
    Nest(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::InsertByte(a, b)),
        (any::<usize>(), 0..PIECES.len()).prop_map(|(a, p)| Edit::InsertPiece(a, p)),
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Replace(a, b)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 1usize..300).prop_map(|(a, n)| Edit::Nest(a, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match *e {
        Edit::InsertByte(i, b) => {
            let i = at(i, bytes.len());
            bytes.insert(i, b);
        }
        Edit::InsertPiece(i, p) => {
            let i = at(i, bytes.len());
            bytes.splice(i..i, PIECES[p].bytes());
        }
        Edit::Delete(i, n) => {
            let i = at(i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Edit::Replace(i, b) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] = b;
            }
        }
        Edit::DuplicateLine(i) | Edit::SwapLines(i, _) => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            let n = lines.len();
            match *e {
                Edit::DuplicateLine(_) => {
                    let line = lines[i % n].clone();
                    lines.insert(i % n, line);
                }
                Edit::SwapLines(_, j) => lines.swap(i % n, j % n),
                _ => unreachable!(),
            }
            *bytes = lines.join(&b'\n');
        }
        Edit::Truncate(i) => {
            let i = at(i, bytes.len());
            bytes.truncate(i);
        }
        Edit::Nest(i, depth) => {
            let i = at(i, bytes.len());
            let nested = format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
            bytes.splice(i..i, nested.into_bytes());
        }
    }
}

fn seeds() -> Vec<String> {
    // The bundled sessions and the broken-script corpus, read from the
    // repository beside this crate (a test may read files; the core may not).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in [root.join("sessions"), root.join("tests/corpus")] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                if let Ok(bytes) = std::fs::read(e.path()) {
                    out.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
    }
    assert!(
        out.len() > 10,
        "the seeds are the bundled sessions and the corpus"
    );
    out
}

/// Everything a script goes through before it can play.
fn exercise(text: &str) {
    let parsed = parse(
        text,
        &Origin {
            id: "m",
            dir: Path::new("sessions"),
        },
    );
    let report = Report {
        path: "m.toml",
        source: text,
        diagnostics: &parsed.diagnostics,
    };
    let _ = report.render(false);
    let _ = report.json();
    if let Some(session) = &parsed.session {
        let _ = Timeline::compile(session, &Options::default(), &BuiltinLengths);
    }
}

#[test]
fn mutated_scripts_never_panic() {
    let cases = std::env::var("KINDLY_MUTATION_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512);
    let seeds = seeds();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), proptest::collection::vec(edit(), 1..12));
    runner
        .run(&strategy, |(seed, edits)| {
            let mut bytes = seeds[seed].clone().into_bytes();
            for e in &edits {
                apply(&mut bytes, e);
            }
            // Scripts arrive as bytes; `library` replaces invalid UTF-8
            // and reports it, so the checker only ever sees valid text.
            let text = String::from_utf8_lossy(&bytes);
            exercise(&text);
            Ok(())
        })
        .unwrap();
}

#[test]
fn pathological_inputs() {
    exercise("");
    exercise("\u{feff}");
    exercise(&"[".repeat(1_000_000));
    exercise(&"{a=".repeat(100_000));
    exercise(&format!(
        "title = \"{}\"\n[[steps]]\nkind = \"bell\"\n",
        "x".repeat(1_000_000)
    ));
    exercise(&"[[steps]]\n".repeat(100_000));
    exercise("title = 1979-05-27T07:32:00Z\n[[steps]]\nkind = 1.0\ntheme = []\n");
}
