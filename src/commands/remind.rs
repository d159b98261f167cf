//! `kindly remind`: set, list and remove reminders, and fire one.
//!
//! The edge of `crate::remind`: this writes the unit files and plists,
//! runs `systemctl --user`, `crontab` and `launchctl`, keeps the record of
//! what was written in the data folder, and sends the notification.
//!
//! Two promises hold throughout. kindly never overwrites a file it did not
//! write (units are created new, and a number whose files exist is
//! skipped), and never loses a line of the person's crontab (it changes the
//! table only after reading it whole, and adds or removes only its own
//! exact line).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::cli::{OutputStyle, RemindAddArgs, RemindCommand, RemindVia};
use crate::config::Flags;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::library::{Finder, Source};
use crate::remind::schedule::{self, Fire, Unwritable};
use crate::remind::{self, Book, Entry, Pending, Reminder, ReminderId, Via, Written};

use super::{need_dirs, print_stderr, print_stdout};

/// No record of a few reminders comes near this; a larger file is not one.
const MAX_BOOK_BYTES: u64 = 1 << 20;

/// How long a notification may take before kindly keeps it for later.
const NOTIFY_WAIT: Duration = Duration::from_secs(10);

pub(crate) fn run(cmd: &RemindCommand, dirs: Option<&Dirs>) -> Result<Status> {
    match cmd {
        RemindCommand::Add(args) => add(args, dirs),
        RemindCommand::List { format } => list(*format, need_dirs(dirs)?),
        RemindCommand::Remove { id } => remove(id, need_dirs(dirs)?),
        RemindCommand::Fire { id } => fire(ReminderId(*id), need_dirs(dirs)?),
    }
}

fn add(args: &RemindAddArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let via = choose(args.via)?;
    let session = args
        .session
        .as_deref()
        .map(|s| resolve_session(s, dirs))
        .transpose()?;
    let dirs = need_dirs(dirs)?;
    let mut book = read_book(dirs)?;
    let mut reminder = Reminder {
        id: book.next_id(),
        at: args.time,
        days: if args.weekdays {
            remind::Days::Weekdays
        } else {
            remind::Days::Every
        },
        session,
        unless_practised: args.unless_practised,
    };
    let fire = fire_command()?;
    let entry = match via {
        Via::Systemd | Via::Launchd => {
            let files = loop {
                let files = unit_files(via, &reminder, &fire)?;
                // A number whose files exist belongs to someone else (or
                // to a record that was lost): never overwrite, move on.
                if files.iter().all(|(p, _)| fs::symlink_metadata(p).is_err()) {
                    break files;
                }
                reminder.id = ReminderId(reminder.id.0.saturating_add(1));
            };
            if args.dry_run {
                let mut out = String::new();
                for (path, text) in &files {
                    out.push_str(&format!("# would write {}\n{text}\n", path.display()));
                }
                print_stdout(&out)?;
                return Ok(Status::Success);
            }
            if via == Via::Launchd && !cfg!(target_os = "macos") {
                return Err(Error::new("launchd agents run only on macOS")
                    .help("`--via launchd --dry-run` shows the agent kindly would write there"));
            }
            write_new(&files)?;
            Entry {
                reminder: reminder.clone(),
                via,
                files: files
                    .iter()
                    .map(|(p, text)| Written::new(p.clone(), text))
                    .collect(),
                crontab_line: None,
            }
        }
        Via::Cron => {
            if args.dry_run {
                let line = schedule::crontab_line(&reminder, &fire).map_err(unwritable)?;
                print_stdout(&format!("# would add to your crontab\n{line}\n"))?;
                return Ok(Status::Success);
            }
            let current = crontab_read()?;
            // A marker already in the table is not ours to share.
            while current
                .lines()
                .any(|l| l.ends_with(&remind::crontab_marker(reminder.id)))
            {
                reminder.id = ReminderId(reminder.id.0.saturating_add(1));
            }
            let line = schedule::crontab_line(&reminder, &fire).map_err(unwritable)?;
            let entry = Entry {
                reminder: reminder.clone(),
                via,
                files: Vec::new(),
                crontab_line: Some(line.clone()),
            };
            // Recorded first: a line in the crontab that the record did not
            // know about could never be removed by `remind remove`.
            book.reminders.push(entry.clone());
            write_book(dirs, &book)?;
            if let Err(e) = crontab_install(&remind::crontab_with(&current, &line)) {
                book.reminders.retain(|e| e.reminder.id != reminder.id);
                write_book(dirs, &book)?;
                return Err(e);
            }
            print_stdout(&format!(
                "Reminder {}: {}.\nAdded to your crontab:\n  {line}\n{}",
                reminder.id,
                reminder.describe(),
                undo(reminder.id)
            ))?;
            print_stderr(
                "note: cron runs without your desktop session, so the reminder is shown \
                 the next time you run kindly\n",
            );
            return Ok(Status::Success);
        }
    };
    book.reminders.push(entry.clone());
    if let Err(e) = write_book(dirs, &book) {
        for w in &entry.files {
            let _ = fs::remove_file(&w.path);
        }
        return Err(e);
    }
    let mut out = format!("Reminder {}: {}.\n", reminder.id, reminder.describe());
    for w in &entry.files {
        out.push_str(&format!("Wrote {}\n", w.path.display()));
    }
    print_stdout(&out)?;
    let started = match via {
        Via::Systemd => start_systemd(reminder.id),
        _ => start_launchd(&entry),
    };
    match started {
        Ok(how) => print_stdout(&format!("{how}\n{}", undo(reminder.id)))?,
        Err(why) => {
            return Err(
                Error::new(format!("reminder {} is written, but {why}", reminder.id)).help(
                    format!(
                        "{}; `kindly remind remove {}` takes the files away again",
                        match via {
                            Via::Systemd => format!(
                        "start it yourself with `systemctl --user daemon-reload && systemctl \
                         --user enable --now {}`",
                        schedule::unit_names(reminder.id).0
                    ),
                            _ => "load it yourself with `launchctl load -w` and the file's path"
                                .to_owned(),
                        },
                        reminder.id
                    ),
                ),
            )
        }
    }
    Ok(Status::Success)
}

fn undo(id: ReminderId) -> String {
    format!("`kindly remind remove {id}` undoes all of it.\n")
}

/// The files a reminder needs under systemd or launchd, with their text.
fn unit_files(via: Via, r: &Reminder, fire: &Fire) -> Result<Vec<(PathBuf, String)>> {
    if via == Via::Launchd {
        let dir = Dirs::launch_agents().ok_or_else(no_home)?;
        let plist = schedule::launchd_plist(r, fire).map_err(unwritable)?;
        let name = format!("{}.plist", schedule::launchd_label(r.id));
        return Ok(vec![(dir.join(name), plist)]);
    }
    let dir = Dirs::systemd_user_units().ok_or_else(no_home)?;
    let (timer, service) = schedule::unit_names(r.id);
    Ok(vec![
        (
            dir.join(timer),
            schedule::systemd_timer(r).map_err(unwritable)?,
        ),
        (
            dir.join(service),
            schedule::systemd_service(r, fire).map_err(unwritable)?,
        ),
    ])
}

fn no_home() -> Error {
    Error::new("cannot find your home folder to write the reminder into")
        .help("set HOME (or XDG_CONFIG_HOME for systemd units)")
}

fn unwritable(u: Unwritable) -> Error {
    Error::new(format!(
        "cannot write a reminder for {:?}: it holds a control character no schedule can carry",
        u.0
    ))
    .help("move kindly (or KINDLY_HOME) to a path without newlines or tabs")
}

/// Create each file new, never replacing one; on any failure, take away
/// what this call wrote.
fn write_new(files: &[(PathBuf, String)]) -> Result<()> {
    let mut done: Vec<&Path> = Vec::new();
    for (path, text) in files {
        let mut created = false;
        let result = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| {
                let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
                created = true;
                f.write_all(text.as_bytes())?;
                f.sync_all()
            });
        if let Err(e) = result {
            // Only what this call created: a file already there is not ours.
            if created {
                let _ = fs::remove_file(path);
            }
            for p in done {
                let _ = fs::remove_file(p);
            }
            let err = Error::io("write", path, &e);
            return Err(if e.kind() == io::ErrorKind::AlreadyExists {
                err.help("kindly never replaces a file it did not write; move it aside")
            } else {
                err.help("check that the folder is writable")
            });
        }
        done.push(path);
    }
    Ok(())
}

/// `--via auto`: launchd on macOS, systemd where a user manager runs for
/// this person, else cron.
fn choose(via: RemindVia) -> Result<Via> {
    Ok(match via {
        RemindVia::Systemd => Via::Systemd,
        RemindVia::Cron => Via::Cron,
        RemindVia::Launchd => Via::Launchd,
        RemindVia::Auto if cfg!(target_os = "macos") => Via::Launchd,
        RemindVia::Auto if systemd_runs() => Via::Systemd,
        RemindVia::Auto if on_path("crontab") => Via::Cron,
        RemindVia::Auto => return Err(Error::new(
            "cannot find anything to keep a reminder: no systemd user manager runs for you \
                 (there is no $XDG_RUNTIME_DIR/systemd) and there is no `crontab` on PATH",
        )
        .help(
            "install cron (on Debian, `apt install cron`), or log in to a session systemd manages",
        )),
    })
}

/// A user manager makes `$XDG_RUNTIME_DIR/systemd` (its private socket
/// lives there), and `systemctl` is what talks to it.
fn systemd_runs() -> bool {
    std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .is_some_and(|d| Path::new(&d).join("systemd").is_dir())
        && on_path("systemctl")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|d| {
            fs::metadata(d.join(program)).is_ok_and(|m| {
                #[cfg(unix)]
                let runnable = {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 != 0
                };
                #[cfg(not(unix))]
                let runnable = true;
                m.is_file() && runnable
            })
        })
    })
}

/// What the schedule runs: this very program, with `KINDLY_HOME` if set,
/// so the reminder reads the same record and practice log.
fn fire_command() -> Result<Fire> {
    let program = std::env::current_exe()
        .map_err(|e| Error::new(format!("cannot tell where kindly itself is installed: {e}")))?;
    let mut env = Vec::new();
    if let Some(home) = std::env::var_os("KINDLY_HOME").filter(|h| !h.is_empty()) {
        let home = std::path::absolute(PathBuf::from(home))
            .map_err(|e| Error::new(format!("cannot resolve KINDLY_HOME: {e}")))?;
        env.push((
            "KINDLY_HOME".to_owned(),
            home.to_str()
                .ok_or_else(|| {
                    Error::new("KINDLY_HOME is not valid UTF-8, so no schedule can carry it")
                })?
                .to_owned(),
        ));
    }
    Ok(Fire { program, env })
}

/// A bundled name or a name in the sessions folders stays a name; a file
/// becomes an absolute path, since the reminder runs elsewhere.
fn resolve_session(arg: &str, dirs: Option<&Dirs>) -> Result<String> {
    let config = super::settings(dirs, &Flags::default())?;
    let script = Finder::new(&config.session_dirs(), dirs).find(arg)?;
    let is_name = !(arg.contains('/') || arg.ends_with(".toml") || Path::new(arg).is_file());
    match script.source {
        Source::Bundled => Ok(script.id),
        Source::File(_) if is_name => Ok(arg.to_owned()),
        Source::File(path) => std::path::absolute(&path)
            .map(|p| p.display().to_string())
            .map_err(|e| Error::io("resolve", &path, &e)),
    }
}

/// Run a helper program, feeding it `input`; its stderr on failure.
fn run_tool(program: &str, args: &[&str], input: Option<&str>) -> Result<String, String> {
    let shown = format!("`{program} {}`", args.join(" "));
    let mut child = Command::new(program)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{shown} could not run: {e}"))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| format!("{shown} did not take its input: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{shown} did not finish: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let why = stderr.trim();
        Err(if why.is_empty() {
            format!("{shown} failed ({})", out.status)
        } else {
            format!("{shown} failed: {why}")
        })
    }
}

fn start_systemd(id: ReminderId) -> Result<String, String> {
    let (timer, _) = schedule::unit_names(id);
    run_tool("systemctl", &["--user", "daemon-reload"], None)
        .map_err(|e| format!("systemd did not read it: {e}"))?;
    run_tool("systemctl", &["--user", "enable", "--now", &timer], None)
        .map_err(|e| format!("systemd did not start it: {e}"))?;
    Ok(format!(
        "Started with `systemctl --user enable --now {timer}`."
    ))
}

fn start_launchd(entry: &Entry) -> Result<String, String> {
    let path = entry.files[0].path.display().to_string();
    run_tool("launchctl", &["load", "-w", &path], None)
        .map_err(|e| format!("launchd did not load it: {e}"))?;
    Ok("Loaded with `launchctl load -w`.".to_owned())
}

/// The person's crontab, whole. "No crontab" is an empty one; any other
/// failure stops here, because writing a table kindly could not read would
/// lose the person's own lines.
fn crontab_read() -> Result<String> {
    let out = Command::new("crontab")
        .arg("-l")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            Error::new(format!("cannot run `crontab -l`: {e}"))
                .help("install cron (on Debian, `apt install cron`), or use --via systemd")
        })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return String::from_utf8(out.stdout).map_err(|_| {
            Error::new("your crontab is not UTF-8 text, so kindly leaves it alone")
                .help("use --via systemd, or add the line by hand (`--dry-run` shows it)")
        });
    }
    if stderr.to_lowercase().contains("no crontab for") {
        return Ok(String::new());
    }
    Err(
        Error::new(format!("`crontab -l` failed: {}", stderr.trim())).help(
            "kindly changes your crontab only after reading it whole, so nothing was changed",
        ),
    )
}

fn crontab_install(table: &str) -> Result<()> {
    run_tool("crontab", &["-"], Some(table))
        .map(|_| ())
        .map_err(|e| {
            Error::new(format!("cannot install the crontab: {e}"))
                .help("your crontab is as it was; `crontab -l` shows it")
        })
}

fn list(format: OutputStyle, dirs: &Dirs) -> Result<Status> {
    let book = read_book(dirs)?;
    if format == OutputStyle::Json {
        print_stdout(&book.to_text())?;
        return Ok(Status::Success);
    }
    if book.reminders.is_empty() {
        print_stdout("No reminders yet. `kindly remind add 08:00` sets one.\n")?;
        return Ok(Status::Success);
    }
    let mut out = String::new();
    for e in &book.reminders {
        out.push_str(&format!(
            "{}  {} ({})\n",
            e.reminder.id,
            e.reminder.describe(),
            e.via.describe()
        ));
        for w in &e.files {
            out.push_str(&format!("   {}\n", w.path.display()));
        }
        if let Some(line) = &e.crontab_line {
            out.push_str(&format!("   crontab: {line}\n"));
        }
    }
    print_stdout(&out)?;
    Ok(Status::Success)
}

fn remove(which: &str, dirs: &Dirs) -> Result<Status> {
    let mut book = read_book(dirs)?;
    let ids: Vec<ReminderId> = if which.trim().eq_ignore_ascii_case("all") {
        book.reminders.iter().map(|e| e.reminder.id).collect()
    } else {
        let id = which.trim().parse::<u32>().map(ReminderId).map_err(|_| {
            Error::new(format!("`{which}` is not a reminder's number"))
                .help("give the number `kindly remind list` shows, or `all`")
        })?;
        if book.get(id).is_none() {
            return Err(Error::new(format!("there is no reminder {id}"))
                .help("`kindly remind list` shows the reminders there are"));
        }
        vec![id]
    };
    if ids.is_empty() {
        print_stdout("There are no reminders to remove.\n")?;
        return Ok(Status::Success);
    }
    let mut failed = None;
    let mut out = String::new();
    for id in ids {
        let Some(entry) = book.get(id).cloned() else {
            continue;
        };
        match remove_one(&entry) {
            Ok(notes) => {
                book.reminders.retain(|e| e.reminder.id != id);
                write_book(dirs, &book)?;
                out.push_str(&format!(
                    "Removed reminder {id} ({}).\n",
                    entry.reminder.describe()
                ));
                for n in notes {
                    out.push_str(&format!("   {n}\n"));
                }
            }
            Err(e) => {
                print_stderr(&format!("{e}\n"));
                failed = Some(id);
            }
        }
    }
    print_stdout(&out)?;
    match failed {
        None => Ok(Status::Success),
        Some(id) => Err(Error::new(format!("reminder {id} is still there"))
            .help("fix what is said above and run `kindly remind remove` again")),
    }
}

/// Take away everything kindly wrote for `entry`. Notes say what was done
/// and what was left (a file the person changed since is not deleted).
fn remove_one(entry: &Entry) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let id = entry.reminder.id;
    match entry.via {
        Via::Systemd if on_path("systemctl") => {
            let (timer, _) = schedule::unit_names(id);
            if let Err(e) = run_tool("systemctl", &["--user", "disable", "--now", &timer], None) {
                notes.push(format!("(systemd could not stop it: {e})"));
            }
        }
        Via::Launchd if cfg!(target_os = "macos") => {
            for w in &entry.files {
                let path = w.path.display().to_string();
                if let Err(e) = run_tool("launchctl", &["unload", "-w", &path], None) {
                    notes.push(format!("(launchd could not unload it: {e})"));
                }
            }
        }
        Via::Cron => {
            if let Some(line) = &entry.crontab_line {
                let current = crontab_read()?;
                let (rest, found) = remind::crontab_without(&current, line);
                if found {
                    crontab_install(&rest)?;
                    notes.push(format!("removed from your crontab: {line}"));
                } else {
                    notes.push("its crontab line was already gone".to_owned());
                }
            }
        }
        _ => {}
    }
    for w in &entry.files {
        match crate::safe_file::read_bounded(&w.path, MAX_BOOK_BYTES) {
            Err(crate::safe_file::OpenError::NotFound) => {
                notes.push(format!("{} was already gone", w.path.display()));
            }
            Ok(bytes) if w.holds(&bytes) => match fs::remove_file(&w.path) {
                Ok(()) => notes.push(format!("removed {}", w.path.display())),
                Err(e) => {
                    return Err(Error::io("remove", &w.path, &e)
                        .help("check the folder's permissions, then try again"))
                }
            },
            _ => notes.push(format!(
                "left {}: it has changed since kindly wrote it, so remove it yourself",
                w.path.display()
            )),
        }
    }
    if entry.via == Via::Systemd && on_path("systemctl") {
        if let Err(e) = run_tool("systemctl", &["--user", "daemon-reload"], None) {
            notes.push(format!("(systemd did not reload: {e})"));
        }
    }
    Ok(notes)
}

fn fire(id: ReminderId, dirs: &Dirs) -> Result<Status> {
    let book = read_book(dirs)?;
    let entry = book.get(id).ok_or_else(|| {
        Error::new(format!("there is no reminder {id} in {}", dirs.reminders().display()))
            .help("a timer or crontab line was left behind: remove it by hand, or set KINDLY_HOME as it was")
    })?;
    let now = crate::local_time::now();
    if entry.reminder.unless_practised {
        let log = crate::practice::store::read(dirs)?;
        if remind::practised_on(&log.records, now.date()) {
            print_stdout(&format!(
                "reminder {id}: you have practised today, so it stays quiet\n"
            ))?;
            return Ok(Status::Success);
        }
    }
    let message = remind::message(&entry.reminder);
    match notify(&message) {
        Ok(()) => print_stdout(&format!("reminder {id}: shown as a desktop notification\n"))?,
        Err(why) => {
            let pending = Pending {
                id,
                fired: now.to_string(),
                summary: message.summary,
                body: message.body,
            };
            let path = dirs.pending_reminders();
            append_pending(&path, &pending).map_err(|e| {
                Error::io("keep the reminder in", &path, &e)
                    .help("check that kindly's data folder is writable")
            })?;
            print_stdout(&format!(
                "reminder {id}: {why}, so kindly shows it the next time it runs\n"
            ))?;
        }
    }
    Ok(Status::Success)
}

/// Send the notification. On Linux and the BSDs that needs a session bus;
/// a bus with no notification server, or one that does not answer in
/// [`NOTIFY_WAIT`], is the same as none.
fn notify(message: &remind::Message) -> Result<(), String> {
    if !cfg!(target_os = "macos")
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|a| a.is_empty())
    {
        return Err("there is no desktop session bus".to_owned());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let (summary, body) = (message.summary.clone(), message.body.clone());
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("kindly")
            .summary(&summary)
            .body(&body)
            .show()
            .map(drop)
            .map_err(|e| format!("the desktop did not show it ({e})"));
        let _ = tx.send(shown);
    });
    rx.recv_timeout(NOTIFY_WAIT)
        .unwrap_or_else(|_| Err("the desktop did not answer".to_owned()))
}

fn append_pending(path: &Path, pending: &Pending) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = crate::safe_file::open_for_writing(&mut options, path)?;
    file.lock()?;
    let line = serde_json::to_string(pending).map_err(io::Error::other)? + "\n";
    file.write_all(line.as_bytes())?;
    file.sync_data()
}

/// Show, once, the reminders that fired with no desktop to show them. The
/// file is renamed before it is read, so two runs at once do not both
/// show it. Quiet on any trouble: this must never stop the command the
/// person actually ran.
pub(crate) fn show_pending(dirs: Option<&Dirs>) {
    let Some(dirs) = dirs else { return };
    let path = dirs.pending_reminders();
    let taken = path.with_extension(format!("jsonl.shown-{}", std::process::id()));
    if fs::rename(&path, &taken).is_err() {
        return;
    }
    // Wait for a `fire` that is writing its line at this moment.
    if let Ok(f) = fs::File::open(&taken) {
        let _ = f.lock();
    }
    let bytes = crate::safe_file::read_bounded(&taken, MAX_BOOK_BYTES).unwrap_or_default();
    let _ = fs::remove_file(&taken);
    let pending: Vec<Pending> = String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    print_stderr(&remind::pending_notice(
        &pending,
        crate::local_time::now().date(),
    ));
}

fn read_book(dirs: &Dirs) -> Result<Book> {
    let path = dirs.reminders();
    let bytes = match crate::safe_file::read_bounded(&path, MAX_BOOK_BYTES) {
        Ok(b) => b,
        Err(crate::safe_file::OpenError::NotFound) => return Ok(Book::default()),
        Err(e) => {
            return Err(Error::new(format!("cannot read {}: {e}", path.display()))
                .help("it is kindly's record of your reminders; move it aside if it is not"))
        }
    };
    Book::parse(&String::from_utf8_lossy(&bytes)).map_err(|e| {
        Error::new(format!(
            "cannot read the reminders in {}: {e}",
            path.display()
        ))
        .help(
            "it is kindly's record of what it wrote; move it aside, and remove the reminders' \
             timers or crontab lines by hand",
        )
    })
}

/// Replace the record in one step (a new file renamed over the old), so a
/// crash leaves the old record or the new, never half of one.
fn write_book(dirs: &Dirs, book: &Book) -> Result<()> {
    let path = dirs.reminders();
    let result = (|| {
        fs::create_dir_all(dirs.data())?;
        let mut tmp = tempfile::NamedTempFile::new_in(dirs.data())?;
        tmp.write_all(book.to_text().as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok::<(), io::Error>(())
    })();
    result.map_err(|e| {
        Error::io("write", &path, &e).help("check that kindly's data folder is writable")
    })
}
