//! Property test: the checker never panics, on any mutation of any real script.
//!
//! Starts from the bundled sessions and the broken-script corpus, applies
//! random edits (bytes, TOML punctuation, whole lines, truncation, deep
//! nesting), and checks that parsing, rendering the diagnostics and
//! compiling the timeline all return normally. Include graphs get the
//! same: the bundled sessions that include, and a nested graph, mutated
//! file by file through an in-memory provider, and generated graphs
//! (cycles, escapes, unknown names, huge repeats) that must never panic
//! or hang. The number of cases comes
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

/// Everything an including script goes through, with `files` as its
/// folder (the session is `s.toml`).
fn exercise_with(text: &str, files: &[(String, String)]) -> bool {
    let mut includes = super::InMemory {
        root: "s.toml".into(),
        files: files.iter().map(|(p, t)| (p.into(), t.clone())).collect(),
        prefix: String::new(),
    };
    let parsed = super::parse_with(
        text,
        &Origin {
            id: "m",
            dir: Path::new("sessions"),
        },
        &mut includes,
        &crate::session::Patterns::default(),
    );
    let report = Report {
        path: "s.toml",
        source: text,
        diagnostics: &parsed.diagnostics,
    };
    let _ = report.render(false);
    let _ = report.json();
    if let Some(session) = &parsed.session {
        assert!(session.steps.len() as u64 <= super::MAX_EXPANDED_STEPS);
        let _ = Timeline::compile(session, &Options::default(), &BuiltinLengths);
    }
    parsed.session.is_some()
}

/// Include graphs from the real sessions that include, and a small one
/// of nested blocks: the session and each of its files are mutated.
fn include_seeds() -> Vec<(String, Vec<(String, String)>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let blocks = std::fs::read_to_string(root.join("sessions/blocks/arrival.toml")).unwrap();
    let mut out = Vec::new();
    for name in ["self-compassion-break", "mindful-breathing"] {
        let text = std::fs::read_to_string(root.join(format!("sessions/{name}.toml"))).unwrap();
        assert!(
            text.contains("include"),
            "{name} includes the arrival block"
        );
        out.push((text, vec![("blocks/arrival.toml".into(), blocks.clone())]));
    }
    let session = "title = \"t\"\ninclude = [\"a.toml\", \"b/c.toml\"]\n\n[[blocks.own.steps]]\nuse = \"c\"\nrepeat = 2\n\n[[steps]]\nuse = \"own\"\n\n[[steps]]\nuse = \"a\"\nrepeat = 3\n";
    let a = "include = [\"b/c.toml\"]\n\n[[blocks.a.steps]]\nkind = \"pause\"\nduration = \"1m\"\n\n[[blocks.a.steps]]\nuse = \"c\"\n";
    let c = "include = [\"../a.toml\"]\n\n[[blocks.c.steps]]\nkind = \"bell\"\nstrikes = 3\n";
    out.push((
        session.into(),
        vec![("a.toml".into(), a.into()), ("b/c.toml".into(), c.into())],
    ));
    out
}

#[test]
fn mutated_include_graphs_never_panic() {
    let cases = std::env::var("KINDLY_MUTATION_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    let seeds = include_seeds();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    // Which file each edit lands in: 0 is the session.
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec((0usize..3, edit()), 1..12),
    );
    runner
        .run(&strategy, |(seed, edits)| {
            let (session, files) = &seeds[seed];
            let mut texts: Vec<Vec<u8>> = std::iter::once(session.clone().into_bytes())
                .chain(files.iter().map(|(_, t)| t.clone().into_bytes()))
                .collect();
            for (which, e) in &edits {
                let n = texts.len();
                apply(&mut texts[which % n], e);
            }
            let mut texts = texts
                .into_iter()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            let session = texts.next().unwrap();
            let files: Vec<(String, String)> =
                files.iter().map(|(p, _)| p.clone()).zip(texts).collect();
            let _ = exercise_with(&session, &files);
            Ok(())
        })
        .unwrap();
}

/// One generated file of blocks: what it includes (file numbers, or a
/// path that leads nowhere good) and its blocks, each a list of steps
/// that are either a bell or a use of a named block, repeated.
#[derive(Debug, Clone)]
struct GenFile {
    includes: Vec<Result<usize, usize>>,
    blocks: Vec<(usize, Vec<GenStep>)>,
}

/// A bell (`None`), or a use of block `NAMES[n]`, repeated.
type GenStep = Option<(usize, u32)>;

const NAMES: &[&str] = &["a", "b", "c", "d", "e"];
const BAD_PATHS: &[&str] = &[
    "../up.toml",
    "/etc/passwd",
    "",
    "f0.toml/..",
    "nope.toml",
    ".",
];

fn gen_file() -> impl Strategy<Value = GenFile> {
    let include = prop_oneof![
        4 => (0usize..8).prop_map(Ok),
        1 => (0..BAD_PATHS.len()).prop_map(Err),
    ];
    let step = proptest::option::of((0..NAMES.len(), 0u32..120));
    let block = (0..NAMES.len(), proptest::collection::vec(step, 0..4));
    (
        proptest::collection::vec(include, 0..4),
        proptest::collection::vec(block, 0..4),
    )
        .prop_map(|(includes, blocks)| GenFile { includes, blocks })
}

fn render_file(f: &GenFile, top: bool) -> String {
    let mut out = String::new();
    if top {
        out.push_str("title = \"g\"\n");
    }
    let paths: Vec<String> = f
        .includes
        .iter()
        .map(|i| match i {
            Ok(n) => format!("\"f{n}.toml\""),
            Err(b) => format!("\"{}\"", BAD_PATHS[*b]),
        })
        .collect();
    out.push_str(&format!("include = [{}]\n", paths.join(", ")));
    // A TOML table cannot be defined twice: later blocks of the same name
    // are left out, as no author could write them.
    let mut seen = Vec::new();
    for (name, steps) in &f.blocks {
        if seen.contains(name) {
            continue;
        }
        seen.push(*name);
        if steps.is_empty() {
            out.push_str(&format!("[blocks.{}]\nsteps = []\n", NAMES[*name]));
        }
        for s in steps {
            out.push_str(&format!("[[blocks.{}.steps]]\n", NAMES[*name]));
            match s {
                None => out.push_str("kind = \"bell\"\n"),
                Some((u, r)) => out.push_str(&format!("use = \"{}\"\nrepeat = {r}\n", NAMES[*u])),
            }
        }
    }
    if top {
        out.push_str("[[steps]]\nkind = \"bell\"\n");
        for name in seen {
            out.push_str(&format!(
                "[[steps]]\nuse = \"{}\"\nrepeat = 3\n",
                NAMES[name]
            ));
        }
    }
    out
}

#[test]
fn generated_include_graphs_never_panic_or_hang() {
    let cases = std::env::var("KINDLY_MUTATION_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (gen_file(), proptest::collection::vec(gen_file(), 0..8));
    // Some graphs must expand, or the generator only tests refusals.
    let built = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(top, files)| {
            let session = render_file(&top, true);
            let files: Vec<(String, String)> = files
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("f{i}.toml"), render_file(f, false)))
                .collect();
            if exercise_with(&session, &files) {
                built.set(built.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    assert!(
        built.get() > cases as usize / 20,
        "{} of {cases} expanded",
        built.get()
    );
}

#[test]
fn wide_and_deep_include_graphs_are_bounded() {
    // Every file includes every other: a dense graph of cycles.
    let files: Vec<(String, String)> = (0..100)
        .map(|i| {
            let all: Vec<String> = (0..100).map(|j| format!("\"f{j}.toml\"")).collect();
            (
                format!("f{i}.toml"),
                format!(
                    "include = [{}]\n[[blocks.b{i}.steps]]\nkind = \"bell\"\n",
                    all.join(", ")
                ),
            )
        })
        .collect();
    let _ = exercise_with(
        "title = \"t\"\ninclude = [\"f0.toml\"]\n[[steps]]\nuse = \"b99\"\n",
        &files,
    );
    // Repeats that multiply past any session.
    let mut src = String::from("title = \"t\"\n[[blocks.x0.steps]]\nkind = \"bell\"\n");
    for i in 1..40 {
        src += &format!(
            "[[blocks.x{i}.steps]]\nuse = \"x{}\"\nrepeat = 100\n",
            i - 1
        );
        src += &format!(
            "[[blocks.x{i}.steps]]\nuse = \"x{}\"\nrepeat = 100\n",
            i - 1
        );
    }
    src += "[[steps]]\nuse = \"x39\"\n";
    assert!(!exercise_with(&src, &[]));
}
