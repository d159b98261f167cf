//! schema/session.schema.json as an editor reads it: an independent JSON
//! Schema validator (python's `jsonschema`, draft-07) accepts every bundled
//! session, every `kindly new` template and the corpus's good scripts, and
//! rejects known-bad ones.
//!
//! Without python3, `jsonschema` or `tomllib` the tests say they were
//! skipped and why; with `KINDLY_E2E=required` (set by `.ci/run`, which
//! installs python3-jsonschema) that is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::test::{root, Test};

/// Reads the schema, then each TOML file, and prints one line per file:
/// `ok PATH` or `bad PATH: WHY`.
const VALIDATE: &str = r#"
import json, sys, tomllib
from jsonschema import Draft7Validator
schema = json.load(open(sys.argv[1]))
Draft7Validator.check_schema(schema)
validator = Draft7Validator(schema)
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        print("bad", path + ":", "; ".join(e.message[:200] for e in errors))
    else:
        print("ok", path)
"#;

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import jsonschema, tomllib"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some("python3");
    }
    let why = "python3 with jsonschema and tomllib is not installed";
    assert!(
        std::env::var("KINDLY_E2E").as_deref() != Ok("required"),
        "KINDLY_E2E=required but {why}"
    );
    eprintln!("skipped: {why}");
    None
}

/// Each file's verdict from the validator, in the order given.
fn validate(files: &[PathBuf]) -> Option<Vec<(PathBuf, Result<(), String>)>> {
    let python = python()?;
    let out = Command::new(python)
        .arg("-c")
        .arg(VALIDATE)
        .arg(root().join("schema/session.schema.json"))
        .args(files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the validator failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<_> = stdout
        .lines()
        .zip(files)
        .map(|(line, file)| {
            let verdict = match line.strip_prefix("ok ") {
                Some(_) => Ok(()),
                None => Err(line.to_owned()),
            };
            (file.clone(), verdict)
        })
        .collect();
    assert_eq!(verdicts.len(), files.len(), "{stdout}");
    Some(verdicts)
}

fn tomls(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_validator_accepts_every_bundled_session_template_and_good_script() {
    let mut files = tomls(&root().join("sessions"));
    assert!(files.len() >= 4, "{files:?}");
    let good = tomls(&root().join("tests/corpus/good"));
    assert!(good.len() >= 3, "{good:?}");
    files.extend(good);
    let scratch = tempfile::tempdir().unwrap();
    for template in ["basic", "breathing", "reflection"] {
        let made = Test::new()
            .args(["new", "morning-kindness", "--template", template, "-o", "-"])
            .run();
        let path = scratch.path().join(format!("{template}.toml"));
        std::fs::write(&path, made.stdout).unwrap();
        files.push(path);
    }
    // A person's own pattern, which only their config.toml names.
    let personal = scratch.path().join("personal-pattern.toml");
    std::fs::write(
        &personal,
        "title = \"Calm\"\n\n[[steps]]\nkind = \"breathe\"\npattern = \"calm_evening\"\ncycles = 3\n",
    )
    .unwrap();
    files.push(personal);
    let Some(verdicts) = validate(&files) else {
        return;
    };
    let refused: Vec<_> = verdicts
        .iter()
        .filter_map(|(_, v)| v.as_ref().err())
        .collect();
    assert!(
        refused.is_empty(),
        "the schema refuses good scripts:\n{refused:#?}"
    );
}

#[test]
fn the_validator_rejects_known_bad_scripts() {
    // Each breaks a rule the schema states (not one only kindly can check,
    // such as a missing audio file).
    let bad = [
        "unknown-kind",
        "missing-kind",
        "cycles-and-duration",
        "breathe-without-length",
        "unknown-step-key",
        "unknown-top-key",
        "key-of-another-kind",
        "volume-out-of-range",
        "volume-as-string",
        "missing-prompt-text",
        "missing-pause-duration",
        "missing-title",
        "too-many-strikes",
        "unknown-theme",
        "unknown-breath-cue",
        "duration-words",
        "duration-undocumented",
        "empty-steps",
        "future-format",
        "use-with-kind",
        "unknown-block",
        "bad-pattern",
    ];
    let files: Vec<_> = bad
        .iter()
        .map(|name| root().join(format!("tests/corpus/{name}.toml")))
        .collect();
    let Some(verdicts) = validate(&files) else {
        return;
    };
    let accepted: Vec<_> = verdicts
        .iter()
        .filter(|(_, v)| v.is_ok())
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(
        accepted.is_empty(),
        "the schema accepts bad scripts: {accepted:#?}"
    );
}
