//! The tests are sealed from the person running them: a `config.toml`,
//! sessions, `KINDLY_*` switches or XDG folders of theirs change nothing
//! a test sees.
//!
//! The proof runs part of this very test binary again as a child, with a
//! hostile environment for its parent: a home whose config asks for rain,
//! a gong and a speech engine that is not there, `KINDLY_CONFIG`,
//! `KINDLY_HOME`, `KINDLY_TRACE`, `KINDLY_OUTPUT` and `CLICOLOR_FORCE`. What
//! kindly prints and renders there must equal what it does here.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::test::{command_in, sealed_env, shell_quote, Test, BIN, PASSED_THROUGH};

/// A bell, a prompt and a pause: each hostile setting would be heard.
const SESSION: &str = "title = \"Sealed\"\n\n[[steps]]\nkind = \"bell\"\n\n\
    [[steps]]\nkind = \"pause\"\nduration = \"2s\"\ntext = \"Rest here.\"\n";

const HOSTILE_CONFIG: &str = "ambience = \"rain\"\nbell = \"gong\"\nvolume = 0.5\n\n\
    [voice]\nengine = \"espeak-ng\"\n";

const HOSTILE_SESSION: &str = "title = \"Not yours to see\"\n\n[[steps]]\nkind = \"bell\"\n";

/// A person's machine set up to change every output it can: their home,
/// XDG folders and kindly switches.
fn hostile_env(evil: &Path) -> BTreeMap<String, String> {
    for config in [
        evil.join(".config/kindly/config.toml"),
        evil.join("kindly-home/config.toml"),
        evil.join("elsewhere.toml"),
    ] {
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(config, HOSTILE_CONFIG).unwrap();
    }
    let sessions = evil.join(".local/share/kindly/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(sessions.join("yours.toml"), HOSTILE_SESSION).unwrap();
    let at = |p: &str| evil.join(p).display().to_string();
    BTreeMap::from([
        ("HOME".into(), at("")),
        ("XDG_CONFIG_HOME".into(), at(".config")),
        ("XDG_DATA_HOME".into(), at(".local/share")),
        ("XDG_CACHE_HOME".into(), at(".cache")),
        ("XDG_STATE_HOME".into(), at(".local/state")),
        ("KINDLY_HOME".into(), at("kindly-home")),
        ("KINDLY_CONFIG".into(), at("elsewhere.toml")),
        ("KINDLY_TRACE".into(), "1".into()),
        (
            "KINDLY_OUTPUT".into(),
            format!("record:{}", at("recorded.wav")),
        ),
        ("CLICOLOR_FORCE".into(), "1".into()),
        ("NO_COLOR".into(), String::new()),
        ("TERM".into(), "xterm-256color".into()),
    ])
}

/// What a test sees: a render (samples and messages), and, without
/// `KINDLY_HOME`, the folders and settings kindly finds by XDG and the
/// sessions it lists. The test's own folder reads as `<test>`.
fn observations() -> Vec<(&'static str, Vec<u8>)> {
    let render = Test::new()
        .write("s.toml", SESSION)
        .args(["render", "s.toml", "-o", "-", "--no-voice"])
        .run();
    let by_xdg = |args: &[&str]| {
        let t = Test::new()
            .env_remove("KINDLY_HOME")
            .args(args.iter().copied());
        let dir = t.path().display().to_string();
        let done = t.run();
        done.stdout.replace(&dir, "<test>").into_bytes()
    };
    vec![
        ("render stdout", render.bytes),
        ("render stderr", render.stderr.into_bytes()),
        ("config", by_xdg(&["config"])),
        ("list", by_xdg(&["list"])),
    ]
}

/// Run by `a_hostile_environment_changes_nothing`, inside that
/// environment: writes what it observed into `KINDLY_SEALED_OUT`.
#[test]
#[ignore = "run by sealed::a_hostile_environment_changes_nothing, in a hostile environment"]
fn observe_in_a_hostile_environment() {
    // Run by hand (`--include-ignored`), it is the whole proof again.
    let Some(out) = std::env::var_os("KINDLY_SEALED_OUT") else {
        return a_hostile_environment_changes_nothing();
    };
    for (name, bytes) in observations() {
        std::fs::write(Path::new(&out).join(name), bytes).unwrap();
    }
}

#[test]
fn a_hostile_environment_changes_nothing() {
    let evil = tempfile::tempdir().unwrap();
    let hostile = hostile_env(evil.path());
    let out = tempfile::tempdir().unwrap();

    // The hostile setup is hostile: kindly run straight in it (not
    // through the builder) obeys it.
    std::fs::write(evil.path().join("s.toml"), SESSION).unwrap();
    let straight = Command::new(BIN)
        .envs(&hostile)
        .args(["render", "s.toml", "-o", "-", "--no-voice"])
        .current_dir(evil.path())
        .output()
        .unwrap();
    // That render keeps its built-in sounds in the hostile cache, as a
    // render does; clear it, so what follows shows the sealed runs leave
    // it alone.
    let _ = std::fs::remove_dir_all(evil.path().join("kindly-home/cache"));
    let here = observations();
    assert_ne!(
        straight.stdout, here[0].1,
        "the hostile config should change a render made outside the builder"
    );

    let child = Command::new(std::env::current_exe().unwrap())
        .envs(&hostile)
        .env("KINDLY_SEALED_OUT", out.path())
        .args([
            "sealed::observe_in_a_hostile_environment",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && report.contains("1 passed"),
        "{report}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
    for (name, expected) in here {
        let seen = std::fs::read(out.path().join(name)).unwrap();
        assert!(
            seen == expected,
            "{name} changed in a hostile environment:\n{}\n--- here ---\n{}",
            String::from_utf8_lossy(&seen),
            String::from_utf8_lossy(&expected)
        );
    }
    assert!(!evil.path().join("recorded.wav").exists());
    assert!(!evil.path().join("kindly-home/cache").exists());
}

/// Every variable a command gets is sealed or passed through on purpose,
/// and every folder it names is the test's own.
fn assert_sealed(env_output: &str, dir: &Path, also: &[&str]) {
    let sealed = sealed_env(dir);
    let mut seen = BTreeMap::new();
    for line in env_output.lines() {
        let (key, value) = line.split_once('=').expect("env prints KEY=VALUE");
        seen.insert(key.to_owned(), value.to_owned());
    }
    for (key, value) in &seen {
        assert!(
            sealed.contains_key(key)
                || PASSED_THROUGH.contains(&key.as_str())
                || also.contains(&key.as_str()),
            "{key}={value} leaked in from the person running the tests"
        );
    }
    for key in [
        "KINDLY_HOME",
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "XDG_RUNTIME_DIR",
    ] {
        let value = seen.get(key).unwrap_or_else(|| panic!("{key} is not set"));
        assert!(
            Path::new(value).starts_with(dir),
            "{key}={value} is outside the test's folder {}",
            dir.display()
        );
    }
    assert!(!seen.contains_key("KINDLY_CONFIG"));
}

#[test]
fn every_way_of_running_a_command_is_sealed() {
    let done = Test::new().program("env").run();
    assert_sealed(&done.stdout, done.dir.path(), &[]);

    let t = Test::new().program("env");
    let out = t.command().output().unwrap();
    assert_sealed(&String::from_utf8_lossy(&out.stdout), t.path(), &[]);

    let t = Test::new().program("env");
    let out = t.spawn().wait_with_output().unwrap();
    assert_sealed(&String::from_utf8_lossy(&out.stdout), t.path(), &[]);

    let dir = tempfile::tempdir().unwrap();
    let out = command_in(dir.path(), "env").output().unwrap();
    assert_sealed(&String::from_utf8_lossy(&out.stdout), dir.path(), &[]);

    // A tmux pane's shell inherits the test process's environment: the
    // shell line must clear it, all but the terminal's own TERM. A hostile
    // parent shows that it does.
    let evil = tempfile::tempdir().unwrap();
    let t = Test::new().program("env");
    let out = Command::new("sh")
        .envs(hostile_env(evil.path()))
        .args(["-c", &t.shell_line()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_sealed(&String::from_utf8_lossy(&out.stdout), t.path(), &["TERM"]);
}

#[test]
fn shell_quoting_survives_quotes_and_spaces() {
    let out = Command::new("sh")
        .args([
            "-c",
            &format!("printf %s {}", shell_quote("it's a $HOME `x`")),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "it's a $HOME `x`");
}
