//! The practice log, `stats`, and the journal, through the real binary:
//! records written and read back, file modes, broken lines, and real
//! processes appending at once, ended by SIGINT, SIGTERM or SIGHUP, or
//! killed with SIGKILL mid-write.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::test::{kindly_in, mode, send_signal, Test};

fn line(started: &str, session: &str, practised: f64, completed: bool, themes: &[&str]) -> String {
    let end = if completed {
        String::new()
    } else {
        r#","ended_at_step":2,"ended_by":"q""#.to_owned()
    };
    let themes: Vec<String> = themes.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        r#"{{"v":1,"kind":"play","session":"{session}","title":"Title, \"{session}\"","started":"{started}","planned_seconds":600.0,"practised_seconds":{practised:.1},"completed":{completed}{end},"themes":[{}]}}"#,
        themes.join(",")
    ) + "\n"
}

/// kindly sealed in `home`'s folder, with `home` for its own: these
/// tests start, signal and race the processes themselves.
fn kindly(home: &Path, args: &[&str]) -> Command {
    let mut cmd = kindly_in(home.parent().unwrap());
    cmd.args(args)
        .env("KINDLY_HOME", home)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn stats_json(home: &Path) -> serde_json::Value {
    let out = kindly(home, &["stats", "--json"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn stats_json_matches_the_records_written() {
    let log = [
        line(
            "2025-01-06T07:00:00+01:00",
            "a",
            600.0,
            true,
            &["mindfulness"],
        ),
        line(
            "2025-01-07T07:00:00+01:00",
            "a",
            300.5,
            false,
            &["mindfulness", "self-kindness"],
        ),
        line("2025-01-08T23:30:00-05:00", "b", 1200.0, true, &[]),
    ]
    .concat();
    let t = Test::new()
        .write("home/practice-log.jsonl", log)
        .arg("stats")
        .arg("--json")
        .run();
    let j = t.json();
    assert_eq!(j["sessions"], 3);
    assert_eq!(j["completed"], 2);
    assert_eq!(j["ended_early"], 1);
    assert_eq!(j["seconds"], 2100.5);
    // Old records: nothing this week, no current streak, three days in a row.
    assert_eq!(j["this_week"]["sessions"], 0);
    assert_eq!(j["streaks"]["current"], 0);
    assert_eq!(j["streaks"]["longest"], 3);
    assert_eq!(j["per_session"][0]["id"], "b");
    assert_eq!(j["per_session"][0]["seconds"], 1200.0);
    assert_eq!(j["per_session"][1]["id"], "a");
    assert_eq!(j["per_session"][1]["sessions"], 2);
    assert_eq!(j["per_session"][1]["title"], "Title, \"a\"");
    assert_eq!(j["per_theme"][0]["theme"], "mindfulness");
    assert_eq!(j["per_theme"][0]["sessions"], 2);
    assert_eq!(j["per_theme"][1]["theme"], "self-kindness");
    assert_eq!(t.stderr, "");
}

#[test]
fn sessions_today_make_this_week_and_the_current_streak() {
    let t = Test::new()
        .args(["log", "append-test", "--count", "2", "--seconds", "90"])
        .run();
    let home = t.dir.path().join("home");
    let j = stats_json(&home);
    assert_eq!(j["sessions"], 2);
    assert_eq!(j["this_week"]["sessions"], 2);
    assert_eq!(j["this_week"]["seconds"], 180.0);
    assert_eq!(j["streaks"]["current"], 1);
    let days = j["calendar"]["days"].as_array().unwrap();
    assert_eq!(days.last().unwrap()["minutes"], 3.0);
    assert_eq!(days.last().unwrap()["date"], j["today"]);
    #[cfg(unix)]
    assert_eq!(mode(&home.join("practice-log.jsonl")), 0o600);
}

#[test]
fn the_human_report_draws_the_calendar_and_can_hide_streaks() {
    let with = Test::new()
        .args(["log", "append-test", "--seconds", "1500"])
        .run();
    let home = with.dir.path().join("home");
    let out = kindly(&home, &["stats"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Current streak  1 day\n"), "{text}");
    assert!(text.contains("\nMon "), "{text}");
    assert!(text.contains('▓'), "{text}");
    assert!(!text.contains('\x1b'), "NO_COLOR is set: {text}");
    let out = kindly(&home, &["stats", "--no-streaks"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.to_lowercase().contains("streak"), "{text}");
    let out = kindly(&home, &["stats", "--json", "--no-streaks"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(j.get("streaks").is_none());
    std::fs::write(home.join("config.toml"), "show_streaks = false\n").unwrap();
    let out = kindly(&home, &["stats"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.to_lowercase().contains("streak"), "{text}");
}

#[test]
fn an_empty_log_is_not_an_error() {
    Test::new()
        .arg("stats")
        .stdout(
            "No practice recorded yet. Each `kindly play`, `timer` and `breathe` is kept here, \
             on this machine only.\n",
        )
        .stderr("")
        .run();
    let j = Test::new().args(["stats", "--json"]).run().json();
    assert_eq!(j["sessions"], 0);
    assert_eq!(j["streaks"]["longest"], 0);
    Test::new()
        .write("home/practice-log.jsonl", "")
        .args(["log", "export", "--csv"])
        .stdout("started,kind,session,title,planned_seconds,practised_seconds,completed,ended_at_step,ended_by,themes\r\n")
        .run();
}

#[test]
fn a_truncated_last_line_is_skipped_with_a_warning_and_never_rewritten() {
    let good = line("2025-01-06T07:00:00+01:00", "a", 60.0, true, &[]);
    let log = format!("{good}{good}{}", &good[..good.len() / 2]);
    let t = Test::new()
        .write("home/practice-log.jsonl", &log)
        .args(["stats", "--json"])
        .stderr_contains("warning: skipped line 3 of ")
        .stderr_contains("practice-log.jsonl: not a complete record")
        .run();
    assert_eq!(t.json()["sessions"], 2);
    let path = t.dir.path().join("home/practice-log.jsonl");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), log);
    // The next record starts on a line of its own.
    let home = t.dir.path().join("home");
    assert!(kindly(&home, &["log", "append-test"])
        .status()
        .unwrap()
        .success());
    assert_eq!(stats_json(&home)["sessions"], 3);
}

#[test]
fn csv_export_quotes_by_rfc_4180() {
    let log = line(
        "2025-01-07T07:00:00+01:00",
        "a",
        300.5,
        false,
        &["mindfulness", "self-kindness"],
    );
    Test::new()
        .write("home/practice-log.jsonl", log)
        .args(["log", "export", "--csv"])
        .stdout(
            "started,kind,session,title,planned_seconds,practised_seconds,completed,ended_at_step,ended_by,themes\r\n\
             2025-01-07T07:00:00+01:00,play,a,\"Title, \"\"a\"\"\",600.000,300.500,false,2,q,mindfulness;self-kindness\r\n",
        )
        .run();
    Test::new()
        .args(["log", "export", "--csv", "--json"])
        .status(2)
        .run();
}

#[test]
fn journal_entries_are_private_and_read_back() {
    let t = Test::new()
        .args(["journal", "append-test", "--count", "2"])
        .run();
    let home = t.dir.path().join("home");
    let journal = home.join("journal");
    let files: Vec<PathBuf> = std::fs::read_dir(&journal)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        assert_eq!(mode(&journal), 0o700);
        assert_eq!(mode(&files[0]), 0o600);
    }
    let list = kindly(&home, &["journal"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(
        list.lines().all(|l| l.contains("  Append test  Entry ")),
        "{list}"
    );
    let show = kindly(&home, &["journal", "show", "today"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(show.starts_with("# Journal, "), "{show}");
    assert!(
        show.contains("> Still here?\n\nEntry 1.\nA second line.\n"),
        "{show}"
    );
    Test::new()
        .args(["journal", "show", "2001-01-01"])
        .stdout("No journal entries on 2001-01-01.\n")
        .run();
    Test::new()
        .args(["journal", "show", "someday"])
        .status(2)
        .stderr(
            "error: `someday` is not a day\n\
             help: use `today`, `yesterday` or a date such as 2026-11-28\n",
        )
        .run();
    Test::new()
        .arg("journal")
        .stdout_contains("Your journal is empty.")
        .run();
}

#[test]
fn nobody_at_a_terminal_means_nothing_is_captured() {
    Test::new()
        .args(["journal", "capture-test"])
        .status(2)
        .stderr_contains("not a terminal")
        .run();
}

#[test]
fn two_processes_logging_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    const PROCESSES: usize = 4;
    const EACH: usize = 150;
    let children: Vec<Child> = (0..PROCESSES)
        .map(|p| {
            kindly(
                &home,
                &[
                    "log",
                    "append-test",
                    "--count",
                    &EACH.to_string(),
                    "--session",
                    &format!("p{p}"),
                ],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    all_succeed(children);
    let text = std::fs::read_to_string(home.join("practice-log.jsonl")).unwrap();
    assert_eq!(text.lines().count(), PROCESSES * EACH);
    let j = stats_json(&home);
    assert_eq!(j["sessions"], PROCESSES * EACH);
    for s in j["per_session"].as_array().unwrap() {
        assert_eq!(s["sessions"], EACH, "{s}");
    }
}

/// Start `args`, let it write for a moment, SIGKILL it. Several rounds, at
/// different moments, so some land mid-write.
fn kill_nine_while_writing(home: &Path, args: &[&str], rounds: u64) {
    for round in 0..rounds {
        let mut child = kindly(home, args).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(40 + round * 23));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
    }
}

#[test]
fn kill_9_during_writes_leaves_a_readable_log() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    kill_nine_while_writing(&home, &["log", "append-test", "--count", "1000000"], 5);
    let text = std::fs::read(home.join("practice-log.jsonl")).unwrap();
    let complete = text
        .split(|&b| b == b'\n')
        .filter(|l| l.ends_with(b"}"))
        .count();
    let before = stats_json(&home)["sessions"].as_u64().unwrap() as usize;
    assert!(before > 0);
    assert_eq!(before, complete);
    // Whatever state the kill left, the next record is whole and counted.
    assert!(kindly(&home, &["log", "append-test"])
        .status()
        .unwrap()
        .success());
    assert_eq!(
        stats_json(&home)["sessions"].as_u64().unwrap() as usize,
        before + 1
    );
}

#[test]
fn kill_9_during_writes_leaves_a_readable_journal() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    kill_nine_while_writing(&home, &["journal", "append-test", "--count", "1000000"], 3);
    let listed = |home: &Path| {
        let out = kindly(home, &["journal"])
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().lines().count()
    };
    let before = listed(&home);
    assert!(before > 0);
    assert!(kindly(&home, &["journal", "append-test"])
        .status()
        .unwrap()
        .success());
    assert_eq!(listed(&home), before + 1);
    let out = kindly(&home, &["journal", "show", "today"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.trim_end().ends_with("Entry 0.\nA second line."),
        "{}",
        &text[text.len().saturating_sub(200)..]
    );
    let days: Vec<_> = std::fs::read_dir(home.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!days.is_empty(), "no journal day was written");
    for day in days {
        assert_eq!(mode(&day), 0o600, "{}", day.display());
    }
}

/// The practice log as CSV rows (header dropped), split on commas: fine
/// for timers, whose titles have none.
fn csv_rows(home: &Path) -> Vec<Vec<String>> {
    let out = kindly(home, &["log", "export", "--csv"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

/// A real `kindly timer 10m --silent`, sent `signal` a second in: logged as
/// ended early, by that signal, with the time practised; exit 128 + n.
#[cfg(unix)]
fn a_signal_ends_the_session_early_and_it_is_logged(signal: &str, number: i32) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut child = kindly(&home, &["timer", "10m", "--silent"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // The first step's line comes after the signal handlers are in place.
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("[00:00] 1/3 bell"), "{first}");
    std::thread::sleep(Duration::from_secs(1));
    send_signal(&child, signal);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + number), "SIG{signal}: {rest}");
    assert!(
        rest.contains("Ended at step 1 of 3 · practised 00:0"),
        "{rest}"
    );

    // Ended in its first 30 s: logged, and shown as only started, but not
    // counted as a session.
    let j = stats_json(&home);
    assert_eq!(j["sessions"], 0, "{j}");
    assert_eq!(j["started_only"], 1, "{j}");
    let seconds = {
        let rows = csv_rows(&home);
        rows[0][5].parse::<f64>().unwrap()
    };
    assert!((0.9..5.0).contains(&seconds), "practised {seconds}s");

    let rows = csv_rows(&home);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row[1], "timer", "{row:?}");
    assert_eq!(row[6], "false", "{row:?}");
    assert_eq!(row[7], "1", "{row:?}");
    assert_eq!(row[8], format!("SIG{signal}"), "{row:?}");
    let practised: f64 = row[5].parse().unwrap();
    assert!((practised - seconds).abs() < 0.001, "{row:?}");
}

#[cfg(unix)]
#[test]
fn sigint_during_a_session_logs_it_as_ended_early() {
    a_signal_ends_the_session_early_and_it_is_logged("INT", 2);
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_session_logs_it_as_ended_early() {
    a_signal_ends_the_session_early_and_it_is_logged("TERM", 15);
}

#[cfg(unix)]
#[test]
fn sighup_during_a_session_logs_it_as_ended_early() {
    a_signal_ends_the_session_early_and_it_is_logged("HUP", 1);
}

#[test]
fn two_sessions_at_the_same_moment_are_both_logged() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let timers: Vec<Child> = (0..2)
        .map(|_| {
            kindly(&home, &["timer", "3s", "--bell", "woodblock", "--silent"])
                .spawn()
                .unwrap()
        })
        .collect();
    all_succeed(timers);
    let j = stats_json(&home);
    assert_eq!(j["sessions"], 2, "{j}");
    assert_eq!(j["completed"], 2, "{j}");
    let rows = csv_rows(&home);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        assert_eq!(
            (row[1].as_str(), row[6].as_str()),
            ("timer", "true"),
            "{row:?}"
        );
    }
}

/// Wait for every one of `children`; each must have succeeded.
fn all_succeed(children: Vec<Child>) {
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A `--speed` preview is an author's check, not practice: nothing is
/// logged. The same timer at its own pace (`--silent`) is.
#[test]
fn a_speed_preview_is_not_logged() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    all_succeed(vec![kindly(
        &home,
        &["timer", "20s", "--silent", "--speed", "20"],
    )
    .spawn()
    .unwrap()]);
    assert!(!home.join("practice-log.jsonl").exists());
    all_succeed(vec![kindly(
        &home,
        &["timer", "3s", "--bell", "woodblock", "--silent"],
    )
    .spawn()
    .unwrap()]);
    let j = stats_json(&home);
    assert_eq!(j["sessions"], 1, "{j}");
    assert_eq!(j["started_only"], 0, "{j}");
}

/// Ended in its first 30 s: logged as a start, shown, and counted nowhere
/// else; the theme times of real practice add up to its total.
#[test]
fn a_run_ended_at_once_is_only_started_and_themes_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let log = [
        line(
            "2025-01-06T07:00:00+01:00",
            "a",
            12.0,
            false,
            &["mindfulness"],
        ),
        line(
            "2025-01-07T07:00:00+01:00",
            "b",
            600.0,
            true,
            &["mindfulness", "self-kindness"],
        ),
    ];
    std::fs::write(home.join("practice-log.jsonl"), log.join("\n") + "\n").unwrap();
    let j = stats_json(&home);
    assert_eq!(j["sessions"], 1, "{j}");
    assert_eq!(j["started_only"], 1, "{j}");
    let themed: f64 = j["per_theme"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["seconds"].as_f64().unwrap())
        .sum();
    assert_eq!(themed, j["seconds"].as_f64().unwrap(), "{j}");
}
