//! `kindly log export`, and (in `test-hooks` builds only) the hidden
//! `log append-test` that the concurrency and crash tests drive.

use crate::cli::LogCommand;
use crate::dirs::Dirs;
use crate::error::{Result, Status};
use crate::practice::{self, store};

use super::{need_dirs, print_stderr, print_stdout};

pub(crate) fn run(cmd: &LogCommand, dirs: Option<&Dirs>) -> Result<Status> {
    let dirs = need_dirs(dirs)?;
    match cmd {
        LogCommand::Export { json, format, .. } => {
            let log = store::read(dirs)?;
            print_stderr(&log.warnings(&dirs.practice_log()));
            let text = if *json || *format == crate::cli::ExportFormat::Json {
                let lines: Vec<serde_json::Value> = log
                    .records
                    .iter()
                    .filter_map(|r| serde_json::from_str(&practice::encode(r)).ok())
                    .collect();
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&lines).unwrap_or_default()
                )
            } else {
                practice::to_csv(&log.records)
            };
            print_stdout(&text)?;
        }
        #[cfg(feature = "test-hooks")]
        LogCommand::AppendTest {
            count,
            session,
            seconds,
        } => append_test(dirs, *count, session, *seconds)?,
    }
    Ok(Status::Success)
}

/// `log append-test`: the concurrency and crash tests' writer.
#[cfg(feature = "test-hooks")]
fn append_test(dirs: &Dirs, count: usize, session: &str, seconds: u64) -> Result<()> {
    use crate::practice::{Kind, Outcome, Record};
    let seconds = std::time::Duration::from_secs(seconds);
    for _ in 0..count {
        let record = Record {
            kind: Kind::Timer,
            session: session.to_owned(),
            title: format!("Test {session}"),
            started: crate::local_time::now(),
            planned: seconds,
            practised: seconds,
            outcome: Outcome::Completed,
            themes: vec![crate::session::Theme::Mindfulness],
            theme_seconds: Vec::new(),
            again: Vec::new(),
            seed: None,
        };
        store::append(dirs, &record)?;
    }
    Ok(())
}
