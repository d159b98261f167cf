//! `kindly remind`: the systemd units, crontab line and launchd plist it
//! writes, read back by their own readers (`systemd-analyze verify`, sh,
//! Python's plistlib), and `remind fire` against a private D-Bus session
//! bus with a tiny notification server, and without one.
//!
//! Nothing here reaches the real machine's systemd, crontab or home:
//! `HOME`, `XDG_CONFIG_HOME` and `XDG_RUNTIME_DIR` point into the test's
//! folder, and `PATH` holds only fake `systemctl` and `crontab` scripts
//! that log their calls and keep the "crontab" in a file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::test::{kindly_in, which, Test, BIN};

/// Logs every call; `crontab -l` prints the stored table or says there is
/// none, as Debian's does; `crontab -` stores its input.
const FAKE_CRONTAB: &str = r#"#!/bin/sh
PATH=/usr/bin:/bin
here=$(dirname "$0")/..
echo "crontab $*" >> "$here/calls.log"
case "$1" in
  -l) if [ -f "$here/crontab.txt" ]; then cat "$here/crontab.txt"; else echo "no crontab for $(id -un)" >&2; exit 1; fi ;;
  -) cat > "$here/crontab.txt" ;;
  *) exit 2 ;;
esac
"#;

const FAKE_SYSTEMCTL: &str = r#"#!/bin/sh
PATH=/usr/bin:/bin
echo "systemctl $*" >> "$(dirname "$0")/../calls.log"
"#;

const FAILING_SYSTEMCTL: &str = r#"#!/bin/sh
PATH=/usr/bin:/bin
echo "systemctl $*" >> "$(dirname "$0")/../calls.log"
echo "Failed to connect to bus: No medium found" >&2
exit 1
"#;

/// A test sealed from the machine: its own home, config and runtime
/// folders, no session bus, and a PATH of fake tools only.
fn sealed() -> Test {
    let t = Test::new();
    let root = t.path().to_owned();
    for dir in ["bin", "user-home", "config", "run"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    t.env("HOME", p(&root.join("user-home")))
        .env("XDG_CONFIG_HOME", p(&root.join("config")))
        .env("XDG_RUNTIME_DIR", p(&root.join("run")))
        .env("DBUS_SESSION_BUS_ADDRESS", "")
        .env("PATH", p(&root.join("bin")))
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

fn tool(root: &Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = root.join("bin").join(name);
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Where the sealed systemd reads user units.
fn units(root: &Path) -> PathBuf {
    root.join("config/systemd/user")
}

fn calls(root: &Path) -> String {
    std::fs::read_to_string(root.join("calls.log")).unwrap_or_default()
}

/// Run `kindly` again in a finished test's folder, sealed the same way.
fn again(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = kindly_in(dir)
        .args(args)
        .env("HOME", dir.join("user-home"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_RUNTIME_DIR", dir.join("run"))
        .env("PATH", dir.join("bin"))
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{out:?}"
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn systemd_units_are_written_verified_started_and_removed() {
    let t = sealed();
    let root = t.path().to_owned();
    std::fs::create_dir_all(root.join("run/systemd")).unwrap();
    tool(&root, "systemctl", FAKE_SYSTEMCTL);
    let dir = units(&root);
    let done = t
        .args([
            "remind",
            "add",
            "7:30",
            "self-compassion-break",
            "--weekdays",
            "--unless-practised",
        ])
        .stdout(format!(
            "Reminder 1: 07:30 on weekdays, self-compassion-break, unless you have already practised that day.\n\
             Wrote {0}/kindly-remind-1.timer\n\
             Wrote {0}/kindly-remind-1.service\n\
             Started with `systemctl --user enable --now kindly-remind-1.timer`.\n\
             `kindly remind remove 1` undoes all of it.\n",
            dir.display()
        ))
        .stderr("")
        .run();
    let header = "# Written by `kindly remind add`; `kindly remind remove 1` removes it.\n";
    let description = "Description=kindly reminder 1: 07:30 on weekdays, self-compassion-break, \
                       unless you have already practised that day\n";
    assert_eq!(
        std::fs::read_to_string(dir.join("kindly-remind-1.timer")).unwrap(),
        format!(
            "{header}[Unit]\n{description}\n[Timer]\nOnCalendar=Mon..Fri *-*-* 07:30:00\n\
             Persistent=true\nUnit=kindly-remind-1.service\n\n[Install]\nWantedBy=timers.target\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("kindly-remind-1.service")).unwrap(),
        format!(
            "{header}[Unit]\n{description}\n[Service]\nType=oneshot\n\
             Environment=\"KINDLY_HOME={}\"\nExecStart=\"{BIN}\" \"remind\" \"fire\" \"1\"\n",
            root.join("home").display()
        )
    );
    assert_eq!(
        calls(&root),
        "systemctl --user daemon-reload\nsystemctl --user enable --now kindly-remind-1.timer\n"
    );
    verify_units(&root, &dir);

    let list = again(done.dir.path(), &["remind", "list"]);
    assert_eq!(
        text(&list.stdout),
        format!(
            "1  07:30 on weekdays, self-compassion-break, unless you have already practised that day (systemd user timer)\n   \
             {0}/kindly-remind-1.timer\n   {0}/kindly-remind-1.service\n",
            dir.display()
        )
    );
    let removed = again(done.dir.path(), &["remind", "remove", "1"]);
    assert_eq!(removed.status.code(), Some(0), "{removed:?}");
    assert_eq!(
        text(&removed.stdout),
        format!(
            "Removed reminder 1 (07:30 on weekdays, self-compassion-break, unless you have already practised that day).\n   \
             removed {0}/kindly-remind-1.timer\n   removed {0}/kindly-remind-1.service\n",
            dir.display()
        )
    );
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none());
    assert!(calls(&root).ends_with(
        "systemctl --user disable --now kindly-remind-1.timer\nsystemctl --user daemon-reload\n"
    ));
    let list = again(done.dir.path(), &["remind", "list"]);
    assert_eq!(
        text(&list.stdout),
        "No reminders yet. `kindly remind add 08:00` sets one.\n"
    );
}

/// systemd's own reader judges the units. It needs a runtime folder of
/// its own to start its unit loader; the test's sealed one serves.
fn verify_units(root: &Path, dir: &Path) {
    let Some(analyze) = which("systemd-analyze") else {
        eprintln!("skipping `systemd-analyze verify`: systemd-analyze is not installed");
        return;
    };
    std::fs::create_dir_all(root.join("run-verify")).unwrap();
    let out = Command::new(analyze)
        .args(["verify", "--user"])
        .arg(dir.join("kindly-remind-1.timer"))
        .arg(dir.join("kindly-remind-1.service"))
        .env_clear()
        .env("HOME", root.join("user-home"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_RUNTIME_DIR", root.join("run-verify"))
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    // Unknown settings are only warnings to systemd: any output fails.
    assert!(
        out.status.success() && out.stderr.is_empty() && out.stdout.is_empty(),
        "systemd-analyze verify:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn files_kindly_did_not_write_are_never_replaced_or_removed() {
    let t = sealed();
    let root = t.path().to_owned();
    std::fs::create_dir_all(root.join("run/systemd")).unwrap();
    tool(&root, "systemctl", FAKE_SYSTEMCTL);
    let dir = units(&root);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("kindly-remind-1.timer"), "mine\n").unwrap();
    let done = t
        .args(["remind", "add", "08:00"])
        .stdout_contains("Reminder 2: 08:00 every day, any session.\n")
        .run();
    assert_eq!(
        std::fs::read_to_string(dir.join("kindly-remind-1.timer")).unwrap(),
        "mine\n"
    );
    // A unit the person edited since is left, and said so.
    std::fs::write(dir.join("kindly-remind-2.service"), "edited\n").unwrap();
    let out = again(done.dir.path(), &["remind", "remove", "all"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = text(&out.stdout);
    assert!(said.contains(&format!(
        "removed {}/kindly-remind-2.timer\n",
        dir.display()
    )));
    assert!(said.contains(&format!(
        "left {}/kindly-remind-2.service: it has changed since kindly wrote it, so remove it yourself\n",
        dir.display()
    )));
    assert_eq!(
        std::fs::read_to_string(dir.join("kindly-remind-2.service")).unwrap(),
        "edited\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("kindly-remind-1.timer")).unwrap(),
        "mine\n"
    );
}

#[test]
fn a_systemd_that_will_not_start_the_timer_is_reported_and_remove_still_works() {
    let t = sealed();
    let root = t.path().to_owned();
    std::fs::create_dir_all(root.join("run/systemd")).unwrap();
    tool(&root, "systemctl", FAILING_SYSTEMCTL);
    let done = t
        .args(["remind", "add", "06:45"])
        .status(2)
        .stderr_contains(
            "error: reminder 1 is written, but systemd did not read it: \
             `systemctl --user daemon-reload` failed: Failed to connect to bus: No medium found\n\
             help: start it yourself with `systemctl --user daemon-reload && systemctl --user \
             enable --now kindly-remind-1.timer`; `kindly remind remove 1` takes the files away again\n",
        )
        .run();
    assert!(units(&root).join("kindly-remind-1.timer").is_file());
    let out = again(done.dir.path(), &["remind", "remove", "1"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text(&out.stdout).contains("(systemd could not stop it: "));
    assert!(!units(&root).join("kindly-remind-1.timer").exists());
    assert!(!units(&root).join("kindly-remind-1.service").exists());
}

#[test]
fn dry_runs_print_the_units_and_write_nothing() {
    let t = sealed();
    let root = t.path().to_owned();
    t.args(["remind", "add", "08:00", "--via", "systemd", "--dry-run"])
        .stdout_contains(format!(
            "# would write {}/kindly-remind-1.timer\n",
            units(&root).display()
        ))
        .stdout_contains("OnCalendar=*-*-* 08:00:00\n")
        .run();
    assert!(!root.join("config/systemd").exists());
    assert!(!root.join("home/reminders.json").exists());
}

/// `sh -c` runs the command part of a crontab line, as cron would.
fn run_as_cron(line: &str, dir: &Path) -> std::process::Output {
    let command: Vec<&str> = line.splitn(6, ' ').collect();
    Command::new("/bin/sh")
        .arg("-c")
        .arg(command[5])
        .env_clear()
        .env("HOME", dir.join("user-home"))
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap()
}

#[test]
fn the_crontab_line_is_added_and_removed_keeping_the_persons_own_lines() {
    let mine =
        "MAILTO=me@example.org\n# my backups\n0 3 * * * /usr/bin/backup --quiet 2>&1 | logger\n";
    let t = sealed().write("crontab.txt", mine);
    let root = t.path().to_owned();
    tool(&root, "crontab", FAKE_CRONTAB);
    let home = root.join("home");
    // The test folder's path is plain, so the line quotes nothing.
    assert!(p(&home)
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)));
    let line = format!(
        "0 21 * * * KINDLY_HOME={} {BIN} remind fire 1 # kindly reminder 1",
        home.display()
    );
    let done = t
        .args(["remind", "add", "21:00", "--unless-practised"])
        .stdout(format!(
            "Reminder 1: 21:00 every day, any session, unless you have already practised that day.\n\
             Added to your crontab:\n  {line}\n`kindly remind remove 1` undoes all of it.\n"
        ))
        .stderr_contains("cron runs without your desktop session")
        .run();
    let table = std::fs::read_to_string(root.join("crontab.txt")).unwrap();
    assert_eq!(table, format!("{mine}{line}\n"));
    assert_eq!(calls(&root), "crontab -l\ncrontab -\n");

    // What cron would run works: with no desktop, the reminder waits.
    let fired = run_as_cron(&line, done.dir.path());
    assert_eq!(
        text(&fired.stdout),
        "reminder 1: there is no desktop session bus, so kindly shows it the next time it runs\n",
        "{fired:?}"
    );
    assert!(home.join("reminders-pending.jsonl").is_file());

    let list = again(done.dir.path(), &["remind", "list"]);
    assert!(text(&list.stdout).contains(&format!("   crontab: {line}\n")));
    let out = again(done.dir.path(), &["remind", "remove", "1"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(root.join("crontab.txt")).unwrap(),
        mine
    );
}

#[test]
fn an_empty_crontab_gets_just_the_line() {
    let t = sealed();
    let root = t.path().to_owned();
    tool(&root, "crontab", FAKE_CRONTAB);
    let _done = t.args(["remind", "add", "08:15", "--weekdays"]).run();
    let table = std::fs::read_to_string(root.join("crontab.txt")).unwrap();
    assert!(table.starts_with("15 8 * * 1-5 KINDLY_HOME="), "{table}");
    assert!(table.ends_with(" remind fire 1 # kindly reminder 1\n"));
    assert_eq!(table.lines().count(), 1);
}

#[test]
fn a_crontab_that_cannot_be_read_is_never_replaced() {
    let t = sealed().write("crontab.txt", "0 3 * * * backup\n");
    let root = t.path().to_owned();
    tool(
        &root,
        "crontab",
        "#!/bin/sh\nPATH=/usr/bin:/bin\necho \"crontab $*\" >> \"$(dirname \"$0\")/../calls.log\"\n\
         echo 'crontab: cannot open your crontab: Permission denied' >&2\nexit 1\n",
    );
    let done = t
        .args(["remind", "add", "08:00", "--via", "cron"])
        .status(2)
        .stderr_contains(
            "error: `crontab -l` failed: crontab: cannot open your crontab: Permission denied\n\
             help: kindly changes your crontab only after reading it whole, so nothing was changed\n",
        )
        .run();
    assert_eq!(calls(&root), "crontab -l\n");
    assert_eq!(
        std::fs::read_to_string(root.join("crontab.txt")).unwrap(),
        "0 3 * * * backup\n"
    );
    let list = again(done.dir.path(), &["remind", "list"]);
    assert!(text(&list.stdout).starts_with("No reminders yet."));
}

#[test]
fn with_nothing_to_keep_a_reminder_kindly_says_what_to_install() {
    sealed()
        .args(["remind", "add", "08:00"])
        .status(2)
        .stderr_contains(
            "error: cannot find anything to keep a reminder: no systemd user manager runs for you",
        )
        .stderr_contains("help: install cron")
        .run();
}

#[test]
fn bad_times_and_sessions_are_refused() {
    sealed()
        .args(["remind", "add", "24:00"])
        .status(2)
        .stderr_contains("`24:00` is not a time of day; use HH:MM on a 24-hour clock")
        .run();
    let t = sealed();
    tool(t.path(), "crontab", FAKE_CRONTAB);
    t.args(["remind", "add", "08:00", "self-compassion-brake"])
        .status(2)
        .stderr_contains("no session named `self-compassion-brake`")
        .run();
    sealed()
        .args(["remind", "remove", "7"])
        .status(2)
        .stderr("error: there is no reminder 7\nhelp: `kindly remind list` shows the reminders there are\n")
        .run();
}

#[test]
fn the_launchd_plist_is_what_plistlib_reads() {
    let t = sealed();
    let root = t.path().to_owned();
    let agents = root.join("user-home/Library/LaunchAgents");
    let done = t
        .args([
            "remind",
            "add",
            "08:05",
            "loving-kindness",
            "--weekdays",
            "--via",
            "launchd",
            "--dry-run",
        ])
        .run();
    let header = format!("# would write {}/kindly.remind.1.plist\n", agents.display());
    assert!(done.stdout.starts_with(&header), "{}", done.stdout);
    assert!(!agents.exists());
    let plist = &done.stdout[header.len()..];
    let Some(python) = which("python3") else {
        eprintln!("skipping plistlib: python3 is not installed");
        return;
    };
    let mut child = Command::new(python)
        .args([
            "-c",
            "import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(plist.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}\n{plist}", text(&out.stderr));
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let days: Vec<serde_json::Value> = (1..=5)
        .map(|d| serde_json::json!({"Weekday": d, "Hour": 8, "Minute": 5}))
        .collect();
    assert_eq!(
        read,
        serde_json::json!({
            "Label": "kindly.remind.1",
            "ProgramArguments": [BIN, "remind", "fire", "1"],
            "EnvironmentVariables": {"KINDLY_HOME": p(&root.join("home"))},
            "StartCalendarInterval": days,
        })
    );
    // Off macOS, only the dry run: there is no launchd to load it.
    let out = again(
        done.dir.path(),
        &["remind", "add", "08:05", "--via", "launchd"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("error: launchd agents run only on macOS"));
}

/// A cron reminder set in a fresh sealed test, for the `fire` tests.
fn with_a_reminder(extra: &[&str]) -> tempfile::TempDir {
    let t = sealed();
    tool(t.path(), "crontab", FAKE_CRONTAB);
    let mut args = vec!["remind", "add", "08:00", "self-compassion-break"];
    args.extend_from_slice(extra);
    t.args(args).run().dir
}

fn fire(dir: &Path, bus: &str) -> std::process::Output {
    let out = kindly_in(dir)
        .args(["remind", "fire", "1"])
        .env("HOME", dir.join("user-home"))
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("PATH", dir.join("bin"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    out
}

#[test]
fn with_no_bus_the_next_run_shows_the_reminder_once() {
    let dir = with_a_reminder(&[]);
    let out = fire(dir.path(), "");
    assert_eq!(
        text(&out.stdout),
        "reminder 1: there is no desktop session bus, so kindly shows it the next time it runs\n"
    );
    let next = again(dir.path(), &["stats"]);
    let shown = text(&next.stderr);
    assert!(shown.starts_with("reminder at "), "{shown}");
    assert!(shown.ends_with(
        ": Time for a few kind minutes. When you are ready: kindly play self-compassion-break\n"
    ));
    assert_eq!(shown.lines().count(), 1);
    let after = again(dir.path(), &["stats"]);
    assert_eq!(text(&after.stderr), "");
    assert!(!dir.path().join("home/reminders-pending.jsonl").exists());
}

#[test]
fn unless_practised_stays_quiet_on_a_day_with_practice() {
    let dir = with_a_reminder(&["--unless-practised"]);
    // No practice yet today: the reminder comes.
    let out = fire(dir.path(), "");
    assert!(text(&out.stdout).contains("kindly shows it the next time it runs"));
    again(dir.path(), &["stats"]);
    let sat = again(dir.path(), &["log", "append-test", "--seconds", "300"]);
    assert_eq!(sat.status.code(), Some(0), "{sat:?}");
    let out = fire(dir.path(), "");
    assert_eq!(
        text(&out.stdout),
        "reminder 1: you have practised today, so it stays quiet\n"
    );
    assert!(!dir.path().join("home/reminders-pending.jsonl").exists());
    assert_eq!(text(&again(dir.path(), &["stats"]).stderr), "");
}

/// A private session bus: `dbus-daemon` with a config of our own, so no
/// service of the machine's is activated on it. Killed when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

fn private_bus(dir: &Path) -> Option<Bus> {
    let daemon = which("dbus-daemon")?;
    let config = dir.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n \
             \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
             <busconfig><type>session</type><listen>unix:path={}</listen>\
             <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
             <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
            dir.join("bus").display()
        ),
    )
    .unwrap();
    let mut child = Command::new(daemon)
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--print-address=1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // It says it cannot raise its fd limit when not root-privileged enough.
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    Some(Bus {
        daemon: child,
        address: line.trim().to_owned(),
    })
}

/// What a notification server saw of a Notify call.
#[derive(Debug, PartialEq)]
struct Seen {
    app: String,
    summary: String,
    body: String,
}

/// The smallest notification server: owns the name, answers `Notify`
/// with an id and reports what it was asked to show.
fn notification_server(address: &str) -> std::sync::mpsc::Receiver<Seen> {
    use futures_lite::StreamExt;
    let (ready_tx, ready) = std::sync::mpsc::channel();
    let (tx, rx) = std::sync::mpsc::channel();
    let address = address.to_owned();
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let conn = zbus::connection::Builder::address(address.as_str())
                .name("org.freedesktop.Notifications")
                .build()
                .await
                .unwrap();
            let mut stream = zbus::MessageStream::from(&conn);
            ready_tx.send(()).unwrap();
            while let Some(Ok(msg)) = stream.next().await {
                let header = msg.header();
                if header.message_type() != zbus::message::Type::MethodCall {
                    continue;
                }
                if header.member().is_some_and(|m| m.as_str() == "Notify") {
                    type Notify = (
                        String,
                        u32,
                        String,
                        String,
                        String,
                        Vec<String>,
                        std::collections::HashMap<String, zbus::OwnedVariant>,
                        i32,
                    );
                    let (app, _, _, summary, body, ..): Notify = msg.body().deserialize().unwrap();
                    conn.reply(&header, &(7u32,)).await.unwrap();
                    let _ = tx.send(Seen { app, summary, body });
                } else {
                    let _ = conn
                        .reply_error(
                            &header,
                            "org.freedesktop.DBus.Error.UnknownMethod",
                            &"not in this test",
                        )
                        .await;
                }
            }
        });
    });
    ready.recv_timeout(Duration::from_secs(20)).unwrap();
    rx
}

#[test]
fn fire_sends_a_notification_over_the_session_bus() {
    let dir = with_a_reminder(&[]);
    let Some(bus) = private_bus(dir.path()) else {
        eprintln!("skipping: dbus-daemon is not installed");
        return;
    };
    // A bus with nobody to show notifications is no desktop: kept for later.
    let out = fire(dir.path(), &bus.address);
    assert!(
        text(&out.stdout).starts_with("reminder 1: the desktop did not show it ("),
        "{out:?}"
    );
    assert!(text(&again(dir.path(), &["stats"]).stderr).starts_with("reminder at "));

    let seen = notification_server(&bus.address);
    let out = fire(dir.path(), &bus.address);
    assert_eq!(
        text(&out.stdout),
        "reminder 1: shown as a desktop notification\n"
    );
    assert_eq!(
        seen.recv_timeout(Duration::from_secs(20)).unwrap(),
        Seen {
            app: "kindly".into(),
            summary: "Time for a few kind minutes".into(),
            body: "When you are ready: kindly play self-compassion-break".into(),
        }
    );
    assert!(!dir.path().join("home/reminders-pending.jsonl").exists());
    assert_eq!(text(&again(dir.path(), &["stats"]).stderr), "");
}

#[test]
fn a_broken_record_is_a_clear_error_and_nothing_is_written() {
    let t = sealed().write("home/reminders.json", "{\"reminders\": [{\"id\": ");
    let root = t.path().to_owned();
    tool(&root, "crontab", FAKE_CRONTAB);
    let done = t
        .args(["remind", "add", "08:00"])
        .status(2)
        .stderr_contains(format!(
            "error: cannot read the reminders in {}: ",
            root.join("home/reminders.json").display()
        ))
        .stderr_contains("help: it is kindly's record of what it wrote; move it aside")
        .run();
    assert_eq!(calls(&root), "");
    let out = again(done.dir.path(), &["remind", "fire", "1"]);
    assert_eq!(out.status.code(), Some(2));
    // A folder where the record should be is refused, not read.
    std::fs::remove_file(root.join("home/reminders.json")).unwrap();
    std::fs::create_dir(root.join("home/reminders.json")).unwrap();
    let out = again(done.dir.path(), &["remind", "list"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).starts_with("error: cannot read "));
}

#[test]
fn firing_a_reminder_that_is_not_recorded_says_what_was_left_behind() {
    sealed()
        .args(["remind", "fire", "9"])
        .status(2)
        .stderr_contains("error: there is no reminder 9 in ")
        .stderr_contains("help: a timer or crontab line was left behind")
        .run();
}
