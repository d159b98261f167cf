//! Tab completion as bash does it: the script `kindly completions bash`
//! prints is sourced into a real bash, whose completion function is called
//! with COMP_WORDS and COMP_CWORD set, as bash sets them on Tab.
//!
//! Without bash the test says it was skipped; with `KINDLY_E2E=required`
//! (CI) that is a failure.

use std::path::Path;

use crate::test::{quiet_path, Test, BIN};

/// What bash offers for `words`, the last being the word under the cursor.
fn complete(script: &Path, home: &Path, cwd: &Path, words: &[&str]) -> Vec<String> {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let done = Test::new()
        .program("bash")
        .arg("--norc")
        .arg("-c")
        .arg(
            r#"source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
_clap_complete_kindly kindly "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(script.display().to_string())
        .args(words.iter().copied())
        .current_dir(cwd)
        .env("PATH", format!("{}:{}", bin_dir.display(), quiet_path()))
        .env("KINDLY_HOME", home)
        .run();
    done.stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_session_names_sounds_and_beds_but_not_test_commands() {
    if !crate::test::tools(&["bash"]) {
        return;
    }
    let t = Test::new()
        .write(
            "home/sessions/my-evening.toml",
            "title = \"Mine\"\n[[steps]]\nkind = \"bell\"\n",
        )
        .args(["completions", "bash"])
        .run();
    let script = t.dir.path().join("kindly.bash");
    std::fs::write(&script, &t.stdout).unwrap();
    let home = t.dir.path().join("home");
    let cwd = t.dir.path();
    let c = |words: &[&str]| complete(&script, &home, cwd, words);

    let sessions = c(&["kindly", "play", ""]);
    for name in ["self-compassion-break", "breathing-pacer", "my-evening"] {
        assert!(sessions.contains(&name.to_owned()), "{name}: {sessions:?}");
    }
    assert_eq!(c(&["kindly", "show", "my-"]), ["my-evening"]);
    assert_eq!(
        c(&["kindly", "render", "self-comp"]),
        ["self-compassion-break", "self-compassion-pause"]
    );
    assert_eq!(
        c(&["kindly", "render", "self-compassion-b"]),
        ["self-compassion-break"]
    );
    let bells = c(&["kindly", "timer", "10m", "--bell", ""]);
    for sound in ["bowl", "gong", "woodblock"] {
        assert!(bells.contains(&sound.to_owned()), "{sound}: {bells:?}");
    }
    assert_eq!(c(&["kindly", "breathe", "--ambience", "oc"]), ["ocean"]);
    assert_eq!(c(&["kindly", "breathe", "4-"]), ["4-7-8"]);
    assert_eq!(
        c(&["kindly", "play", "--voice", "f"]),
        ["festival", "flite"]
    );
    assert_eq!(
        c(&["kindly", "voices", "use", "esp"]),
        ["espeak-ng", "espeak"]
    );
    let cues = c(&["kindly", "play", "--prompt-cue", ""]);
    for cue in ["auto", "none", "notice"] {
        assert!(cues.contains(&cue.to_owned()), "{cue}: {cues:?}");
    }

    let commands = c(&["kindly", ""]);
    for command in ["play", "timer", "list", "man", "completions"] {
        assert!(
            commands.contains(&command.to_owned()),
            "{command}: {commands:?}"
        );
    }
    // Test-only commands are not offered, not even when typed in part.
    let log = c(&["kindly", "log", ""]);
    assert!(log.contains(&"export".to_owned()), "{log:?}");
    for words in [
        &["kindly", "log", ""][..],
        &["kindly", "log", "app"],
        &["kindly", "journal", ""],
        &["kindly", "journal", "cap"],
    ] {
        let offered = c(words);
        assert!(
            offered.iter().all(|w| !w.ends_with("-test")),
            "{words:?}: {offered:?}"
        );
    }
}
