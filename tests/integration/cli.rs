//! The command line as a whole: help, exit codes, `new`, completions.

use crate::test::Test;

#[test]
fn help_says_it_is_not_therapy_once() {
    let out = Test::new().arg("--help").run();
    assert_eq!(
        out.stdout
            .matches("not a substitute for professional help")
            .count(),
        1
    );
}

#[test]
fn usage_errors_exit_two() {
    Test::new().arg("frobnicate").status(2).run();
    Test::new()
        .args(["render", "silent-sit", "-o", "x.wav", "--rate", "5"])
        .status(2)
        .run();
}

#[test]
fn unknown_session_names_get_suggestions() {
    Test::new()
        .args(["show", "self-compasion-break"])
        .status(2)
        .stderr(
            "error: no session named `self-compasion-break`\n\
             help: did you mean `self-compassion-break`? `kindly list` shows them all\n",
        )
        .run();
}

#[test]
fn new_writes_a_script_that_checks_clean_and_lists() {
    let t = Test::new().args(["new", "morning-kindness"]).run();
    let home = t.dir.path().join("home");
    let script = home.join("sessions/morning-kindness.toml");
    let text = std::fs::read_to_string(&script).unwrap();
    let schema = home.join("session.schema.json");
    assert!(text.starts_with(&format!("#:schema file://{}\n", schema.display())));
    assert!(schema.is_file());
    let run = |args: &[&str]| {
        Test::new()
            .env("KINDLY_HOME", &home)
            .args(args.iter().copied())
    };
    run(&["check", "morning-kindness"]).run();
    run(&["list"]).stdout_contains("morning-kindness").run();
    // A second `new` does not overwrite.
    run(&["new", "morning-kindness"])
        .status(2)
        .stderr_contains("already exists")
        .run();
}

#[test]
fn new_templates_all_check_clean() {
    for template in ["basic", "breathing", "reflection"] {
        let t = Test::new()
            .args(["new", "x", "--template", template, "-o", "x.toml"])
            .run();
        Test::new()
            .current_dir(t.dir.path())
            .args(["check", "x.toml"])
            .run();
    }
}

#[test]
fn completions_and_man_page() {
    Test::new()
        .args(["completions", "bash"])
        .stdout_contains("_clap_complete_kindly()")
        .run();
    Test::new().arg("man").stdout_contains(".TH KINDLY 1").run();
}

#[test]
fn list_shows_every_bundled_session() {
    let out = Test::new().args(["list", "--format", "json"]).run();
    let list = out.json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 14);
    for name in [
        "self-compassion-break",
        "self-compassion-pause",
        "grounding",
        "backdraft-care",
        "soothing-touch",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    for e in list.as_array().unwrap() {
        let minutes = e["duration"].as_f64().unwrap() / 60.0;
        assert!(
            // Issue 11: from a one-minute pause to at most 25 minutes.
            (1.0..=25.0).contains(&minutes),
            "{} is {minutes} minutes",
            e["name"]
        );
    }
}

#[test]
fn format_json_is_offered_wherever_json_is_and_the_old_flags_still_work() {
    let log = "{\"started\":\"2025-01-07T07:00:00+01:00\",\"kind\":\"timer\",\"session\":\"timer\",\"title\":\"Timer\",\"planned_seconds\":600,\"practised_seconds\":600,\"completed\":true}\n";
    for (new, old) in [
        (&["stats", "--format", "json"][..], &["stats", "--json"][..]),
        (
            &["log", "export", "--format", "json"][..],
            &["log", "export", "--json"][..],
        ),
        (
            &["log", "export", "--format", "csv"][..],
            &["log", "export", "--csv"][..],
        ),
    ] {
        let a = Test::new()
            .write("home/practice-log.jsonl", log)
            .args(new.iter().copied())
            .run();
        let b = Test::new()
            .write("home/practice-log.jsonl", log)
            .args(old.iter().copied())
            .run();
        assert_eq!(a.stdout, b.stdout, "{new:?} and {old:?} differ");
        assert!(!a.stdout.is_empty());
    }
    Test::new()
        .args(["log", "export", "--format", "csv", "--json"])
        .status(2)
        .run();
    // The old flags work but are not advertised.
    let help = Test::new().args(["stats", "--help"]).run().stdout;
    assert!(
        help.contains("--format") && !help.contains("--json"),
        "{help}"
    );
    assert!(help.contains("Examples:\n  kindly stats"), "{help}");
}

#[test]
fn plain_breathing_says_each_phase_with_its_count() {
    Test::new()
        .args([
            "breathe", "4-7-8", "--cycles", "2", "--plain", "--silent", "--speed", "50",
        ])
        .stdout(
            "[00:00] 1/1 breathe: Breathe with the bar (4-7-8).\n\
             [00:00] in 4\n\
             [00:04] hold 7\n\
             [00:11] out 8\n\
             [00:19] in 4\n\
             [00:23] hold 7\n\
             [00:30] out 8\n\
             Session complete · 00:38. Thank you for taking this time.\n",
        )
        .run();
}
