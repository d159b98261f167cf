//! `kindly journal` and `kindly journal show DATE` (and, in `test-hooks`
//! builds only, the hidden writers the tests drive).

use crate::cli::{JournalArgs, JournalCommand};
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::journal::{self, store};

use super::{need_dirs, print_stdout};

pub(crate) fn run(args: &JournalArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let dirs = need_dirs(dirs)?;
    match &args.command {
        None => list(dirs),
        Some(JournalCommand::Show { day }) => show(dirs, day),
        #[cfg(feature = "test-hooks")]
        Some(JournalCommand::AppendTest { count }) => append_test(dirs, *count),
        #[cfg(feature = "test-hooks")]
        Some(JournalCommand::CaptureTest { question }) => capture_test(dirs, question),
    }
}

/// `journal append-test`: the concurrency and crash tests' writer.
#[cfg(feature = "test-hooks")]
fn append_test(dirs: &Dirs, count: usize) -> Result<Status> {
    for n in 0..count {
        let entry = journal::Entry {
            at: crate::local_time::now(),
            session: "append-test".into(),
            title: "Append test".into(),
            question: "Still here?".into(),
            answer: format!("Entry {n}.\nA second line."),
        };
        store::append(dirs, &entry)?;
    }
    Ok(Status::Success)
}

/// `journal capture-test`: the capture a reflect step makes, alone, for
/// the tmux tests to type into.
#[cfg(feature = "test-hooks")]
fn capture_test(dirs: &Dirs, question: &str) -> Result<Status> {
    use journal::Captured;
    if !journal::can_capture() {
        return Err(Error::new("nobody can type here: not a terminal"));
    }
    print_stdout(&format!("{question}\n"))?;
    match journal::capture(dirs, "capture-test", "Capture test", question)? {
        Captured::Saved(path) => print_stdout(&format!("saved in {}\n", path.display()))?,
        Captured::Skipped => print_stdout("skipped\n")?,
        Captured::Interrupted => print_stdout("interrupted\n")?,
    }
    Ok(Status::Success)
}

fn list(dirs: &Dirs) -> Result<Status> {
    let days = store::days(dirs)?;
    let mut out = String::new();
    for day in days {
        let Some(text) = store::read_day(dirs, day)? else {
            continue;
        };
        for s in journal::summaries(&text) {
            let time = if s.time.is_empty() { "     " } else { &s.time };
            out.push_str(&format!("{day}  {time}  {}  {}\n", s.title, s.first_words));
        }
    }
    if out.is_empty() {
        out = "Your journal is empty. Answers to reflect steps marked `journal = true` are kept \
               here, on this machine only.\n"
            .to_owned();
    }
    print_stdout(&out)?;
    Ok(Status::Success)
}

fn show(dirs: &Dirs, day: &str) -> Result<Status> {
    let date = journal::parse_day(day, crate::local_time::now().date()).ok_or_else(|| {
        Error::new(format!("`{day}` is not a day"))
            .help("use `today`, `yesterday` or a date such as 2026-11-28")
    })?;
    match store::read_day(dirs, date)? {
        Some(text) => print_stdout(&text)?,
        None => print_stdout(&format!("No journal entries on {date}.\n"))?,
    }
    Ok(Status::Success)
}
