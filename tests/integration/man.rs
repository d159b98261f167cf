//! `kindly man` as `man` shows it: groff renders it without a warning, and
//! the page covers every visible command with the sections a reader looks for.

use std::process::Command;

use crate::test::Test;

#[test]
fn the_manual_renders_without_warnings_and_covers_every_command() {
    let page = Test::new().arg("man").run().stdout;
    if crate::test::which("groff").is_none() {
        assert!(
            std::env::var("KINDLY_E2E").as_deref() != Ok("required"),
            "KINDLY_E2E=required but groff is not installed"
        );
        eprintln!("skipped: groff is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kindly.1");
    std::fs::write(&file, &page).unwrap();
    let out = Command::new("groff")
        .args(["-ww", "-man", "-Tutf8"])
        .arg(&file)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && warnings.is_empty(),
        "groff: {warnings}"
    );
    // Rendered text, without the overstrikes that mean bold and underline.
    let text: String = {
        let raw = String::from_utf8_lossy(&out.stdout);
        let mut clean = String::new();
        for c in raw.chars() {
            if c == '\u{8}' {
                clean.pop();
            } else {
                clean.push(c);
            }
        }
        clean
    };
    for section in [
        "NAME",
        "SYNOPSIS",
        "COMMANDS",
        "KEYS",
        "SESSION FORMAT",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
        "EXAMPLES",
    ] {
        assert!(
            text.lines().any(|l| l == section),
            "no {section} section:\n{text}"
        );
    }
    for command in [
        "play",
        "timer",
        "breathe",
        "check",
        "show",
        "list",
        "new",
        "render",
        "schema",
        "sounds list",
        "stats",
        "log export",
        "journal",
        "journal show",
        "config",
        "voices",
        "completions",
        "man",
    ] {
        assert!(
            text.contains(&format!("   kindly {command}\n")),
            "kindly {command} is not in the manual"
        );
    }
    for absent in ["append-test", "capture-test", "kindly-play(1)"] {
        assert!(!text.contains(absent), "the manual offers {absent}");
    }
    for env in [
        "KINDLY_HOME",
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "XDG_CONFIG_HOME",
    ] {
        assert!(text.contains(env), "ENVIRONMENT lacks {env}");
    }
}
