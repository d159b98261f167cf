//! The pure core stays pure: the build of `kindly-core` reaches no I/O crate, and its code no I/O API.
//!
//! ARCHITECTURE.md promises that the core reads no clock, opens no file and
//! touches no terminal or device. Its Cargo.toml is the first guard; these
//! tests are the second, so a dependency that sneaks one in (directly or
//! through another crate) fails `cargo test`, not a code review.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates that exist to reach a device, a terminal, the file system or a
/// progress display: none may be in the core's tree.
const IO_CRATES: &[&str] = &[
    "rodio",
    "cpal",
    "alsa",
    "alsa-sys",
    "crossterm",
    "signal-hook",
    "indicatif",
    "console",
    "directories",
    "dirs-sys",
    "tempfile",
    "libc",
    "hound",
    "notify-rust",
];

/// std's doors to the outside world, which the core's own code (outside its
/// tests) must not open.
const IO_APIS: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::io::stdin",
    "std::io::stdout",
    "std::io::stderr",
    "Instant::now",
    "SystemTime",
    "Timestamp::now",
    "TimeZone::system",
    "TimeZone::try_system",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "File::",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn the_core_build_pulls_in_no_io_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(root())
        .args([
            "tree",
            "--offline",
            "-p",
            "kindly-core",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"kindly-core") && crates.contains(&"toml"),
        "the tree names the core and its parser:\n{tree}"
    );
    let found: Vec<&&str> = IO_CRATES.iter().filter(|c| crates.contains(c)).collect();
    assert!(found.is_empty(), "the core depends on {found:?}:\n{tree}");
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir)
        .expect("core source folder")
        .flatten()
    {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The part of a core file that ships: up to its `#[cfg(test)]` module
/// (tests sit at the bottom), or nothing for files that are test modules
/// in their own right.
fn shipped(path: &Path, text: &str) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if matches!(name, "tests.rs" | "mutations.rs") {
        return String::new();
    }
    let end = text.find("#[cfg(test)]\nmod ").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_core_code_opens_no_door_to_the_outside() {
    let mut files = Vec::new();
    sources(&root().join("crates/kindly-core/src"), &mut files);
    assert!(files.len() > 20, "the core's sources: {files:?}");
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable source");
        let code = shipped(f, &text);
        for api in IO_APIS {
            if code.contains(api) {
                found.push(format!("{}: {api}", f.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "I/O in the pure core:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_door_check_can_fail() {
    let code = shipped(
        Path::new("x.rs"),
        "use std::fs::File;\n#[cfg(test)]\nmod tests { use std::env; }\n",
    );
    assert!(code.contains("std::fs"));
    assert!(!code.contains("std::env"), "tests may use what they like");
}

/// The binary's top-level modules and the others each one names
/// (`crate::x`) outside its tests.
fn module_uses() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = root().join("src");
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(&src).expect("src").flatten() {
        let p = e.path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "main" | "lib") {
            continue;
        }
        let mut files = Vec::new();
        if p.is_dir() {
            sources(&p, &mut files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p.clone());
        } else {
            continue;
        }
        let uses: &mut std::collections::BTreeSet<String> = out.entry(name.clone()).or_default();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let code = shipped(&f, &text);
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let used: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !used.is_empty() && used != name {
                    uses.insert(used);
                }
            }
        }
    }
    out
}

#[test]
fn no_module_imports_a_module_that_imports_it() {
    let uses = module_uses();
    assert!(
        uses.get("commands").is_some_and(|u| u.contains("library")),
        "the scan sees imports: {uses:?}"
    );
    let mut both_ways = Vec::new();
    for (a, from_a) in &uses {
        for b in from_a {
            if a < b && uses.get(b).is_some_and(|from_b| from_b.contains(a)) {
                both_ways.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(
        both_ways.is_empty(),
        "modules that import each other: {both_ways:?}"
    );
}
