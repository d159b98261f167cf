//! `kindly check`: exit codes, odd files, and the bundled library.

use crate::test::{root, Test};

#[test]
fn bundled_sessions_are_clean() {
    let sessions = root().join("sessions");
    let mut files: Vec<String> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    files.sort();
    Test::new()
        .arg("check")
        .args(files)
        .stderr("checked 14 scripts: no problems\n")
        .run();
}

#[test]
fn bundled_names_can_be_checked() {
    Test::new()
        .args(["check", "silent-sit"])
        .stderr("checked 1 script: no problems\n")
        .run();
}

#[test]
fn a_missing_script_is_an_error_not_a_problem() {
    Test::new()
        .args(["check", "nowhere.toml"])
        .status(2)
        .stderr(
            "error: cannot read nowhere.toml: it does not exist\n\n\
             error: 1 of 1 script could not be read\n",
        )
        .run();
}

#[test]
fn a_folder_is_refused() {
    Test::new()
        .args(["check", "sub/"])
        .write("sub/x.txt", "")
        .status(2)
        .stderr_contains("error: sub/ is a folder, not a session script")
        .run();
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_hanging() {
    let t = Test::new();
    let fifo = t.path().join("pipe.toml");
    crate::test::mkfifo(&fifo);
    t.args(["check", "pipe.toml"])
        .status(2)
        .stderr_contains("pipe.toml is not a regular file")
        .run();
}

#[test]
fn devices_are_refused() {
    Test::new()
        .args(["check", "/dev/zero"])
        .status(2)
        .stderr_contains("/dev/zero is not a regular file")
        .run();
}

#[test]
fn clean_and_broken_together_exit_one_and_report_both() {
    Test::new()
        .write("good.toml", "title = \"a\"\n[[steps]]\nkind = \"bell\"\n")
        .write("bad.toml", "title = \"a\"\n[[steps]]\nkind = \"bel\"\n")
        .args(["check", "good.toml", "bad.toml"])
        .status(1)
        .stderr(
            r#"error: unknown step kind `bel`
 --> bad.toml:3:8
  |
3 | kind = "bel"
  |        ^^^^^ not a step kind
  |
help: did you mean `bell`?

checked 2 scripts: 1 error in 1 of 2 scripts
"#,
        )
        .run();
}

#[test]
fn warnings_alone_pass() {
    Test::new()
        .write(
            "w.toml",
            "title = \"a\"\n[[steps]]\nkind = \"pause\"\nduration = \"1m\"\ninterval = \"1m\"\n",
        )
        .args(["check", "w.toml"])
        .status(0)
        .stderr_contains("warning: no interval bell will ring")
        .stderr_contains("checked 1 script: 1 warning")
        .run();
}

#[test]
fn huge_scripts_are_checked_quickly_and_located() {
    // 10 MB of valid steps with one mistake at the end.
    let mut text = String::from("title = \"big\"\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("[[steps]]\nkind = \"pause\"\nduration = \"1s\"\n");
    }
    text.push_str("[[steps]]\nkind = \"pause\"\nduration = \"never\"\n");
    let lines = text.lines().count();
    Test::new()
        .write("big.toml", text)
        .args(["check", "big.toml"])
        .status(1)
        .stderr_contains(format!("--> big.toml:{lines}:12"))
        .run();
}

#[test]
fn schema_file_matches_the_schema_command() {
    let committed = std::fs::read_to_string(root().join("schema/session.schema.json")).unwrap();
    Test::new().arg("schema").stdout(committed).run();
}

#[test]
fn bundled_sessions_point_at_the_schema() {
    // `sessions/blocks/` holds files of blocks, which are not sessions.
    let sessions: Vec<_> = std::fs::read_dir(root().join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.is_dir())
        .collect();
    assert!(sessions.len() >= 4, "the bundled sessions: {sessions:?}");
    for path in sessions {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("#:schema ../schema/session.schema.json\n"),
            "{} lacks the #:schema line",
            path.display()
        );
    }
}
