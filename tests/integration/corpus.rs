//! Golden diagnostics for the corpus of broken scripts in `tests/corpus/`.
//!
//! Each `NAME.toml` has its full expected `kindly check` output in
//! `NAME.stderr`. To update them deliberately after changing a message:
//! `KINDLY_BLESS=1 cargo test corpus`, then read the diff.

use crate::test::{root, Test};

#[test]
fn every_broken_script_has_its_golden_diagnostic() {
    let dir = root().join("tests/corpus");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    scripts.sort();
    assert!(
        scripts.len() >= 25,
        "the corpus has {} scripts",
        scripts.len()
    );
    let bless = std::env::var_os("KINDLY_BLESS").is_some();
    let mut failures = Vec::new();
    for script in &scripts {
        let name = script.file_name().unwrap().to_str().unwrap();
        let out = Test::new().current_dir(&dir).args(["check", name]).output();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name} must fail the check:\n{stderr}"
        );
        assert!(
            stderr.contains(&format!("--> {name}:")),
            "{name} is not located:\n{stderr}"
        );
        assert!(
            stderr.contains("help: "),
            "{name} says nothing to do:\n{stderr}"
        );
        let golden = script.with_extension("stderr");
        if bless {
            std::fs::write(&golden, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != stderr {
            failures.push(format!(
                "--- {name}: expected ---\n{expected}\n--- {name}: actual ---\n{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_diagnostics_carry_positions() {
    let dir = root().join("tests/corpus");
    let out = Test::new()
        .current_dir(&dir)
        .args([
            "check",
            "--format",
            "json",
            "many-problems.toml",
            "unknown-kind.toml",
        ])
        .output();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    let located: Vec<(String, u64, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |f: &str, l: u64, c: u64, code: &str| (f.to_owned(), l, c, code.to_owned());
    assert_eq!(
        located,
        vec![
            expect("many-problems.toml", 2, 1, "unknown-key"),
            expect("many-problems.toml", 5, 9, "unknown-sound"),
            expect("many-problems.toml", 6, 10, "out-of-range"),
            expect("many-problems.toml", 10, 11, "out-of-range"),
            expect("many-problems.toml", 14, 12, "bad-duration"),
            expect("many-problems.toml", 16, 1, "missing-field"),
            expect("many-problems.toml", 18, 9, "unknown-theme"),
            expect("unknown-kind.toml", 4, 8, "unknown-kind"),
        ]
    );
    assert_eq!(doc["summary"]["errors"], 8);
    assert_eq!(doc["summary"]["files"], 2);
}
