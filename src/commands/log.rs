//! `kindly log export`, and the hidden `log append-test` that the
//! concurrency and crash tests drive.

use std::time::Duration;

use crate::cli::LogCommand;
use crate::dirs::Dirs;
use crate::error::{Result, Status};
use crate::practice::{self, store, Kind, Outcome, Record};

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
        LogCommand::AppendTest {
            count,
            session,
            seconds,
        } => {
            for _ in 0..*count {
                let record = Record {
                    kind: Kind::Timer,
                    session: session.clone(),
                    title: format!("Test {session}"),
                    started: crate::local_time::now(),
                    planned: Duration::from_secs(*seconds),
                    practised: Duration::from_secs(*seconds),
                    outcome: Outcome::Completed,
                    themes: vec![crate::session::Theme::Mindfulness],
                    theme_seconds: Vec::new(),
                    seed: None,
                };
                store::append(dirs, &record)?;
            }
        }
    }
    Ok(Status::Success)
}
