//! `kindly stats`: read the log, compute, print.

use std::io::IsTerminal;

use crate::cli::StatsArgs;
use crate::config::Flags;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};
use crate::practice::store;
use crate::stats::{History, Stats};

use super::{color_for, need_dirs, print_stderr, print_stdout};

pub(crate) fn run(args: &StatsArgs, dirs: Option<&Dirs>) -> Result<Status> {
    // `show_streaks = false` in config.toml hides them as `--no-streaks` does.
    let config = super::settings(dirs, &Flags::default())?;
    let show_streaks = config.show_streaks.value && !args.no_streaks;
    let dirs = need_dirs(dirs)?;
    let log = store::read(dirs)?;
    print_stderr(&log.warnings(&dirs.practice_log()));
    let today = crate::local_time::now().date();
    let json = args.json || args.format == crate::cli::OutputStyle::Json;
    if let Some(name) = &args.name {
        return history(name, &log.records, today, json);
    }
    let stats = Stats::compute(&log.records, today);
    let text = if json {
        let json = stats.to_json(show_streaks);
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        )
    } else {
        stats.render(show_streaks, color_for(std::io::stdout().is_terminal()))
    };
    print_stdout(&text)?;
    Ok(Status::Success)
}

/// `kindly stats NAME`: one session's history.
fn history(
    name: &str,
    records: &[crate::practice::Record],
    today: jiff::civil::Date,
    json: bool,
) -> Result<Status> {
    let Some(h) = History::of(records, name, today) else {
        let mut ids: Vec<&str> = records.iter().map(|r| r.session.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let help = match crate::script::closest(name, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if ids.is_empty() => {
                "nothing is in the log yet; each `kindly play`, `timer` and `breathe` adds to it"
                    .to_owned()
            }
            None => "`kindly list --recent` shows the sessions in the log".to_owned(),
        };
        return Err(Error::new(format!("no run of `{name}` is in the practice log")).help(help));
    };
    let text = if json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&h.to_json()).unwrap_or_default()
        )
    } else {
        h.render(color_for(std::io::stdout().is_terminal()))
    };
    print_stdout(&text)?;
    Ok(Status::Success)
}

/// `kindly list --recent`: each session's newest run, newest first.
pub(crate) fn recent(n: usize, json: bool, dirs: Option<&Dirs>) -> Result<Status> {
    let dirs = need_dirs(dirs)?;
    let log = store::read(dirs)?;
    print_stderr(&log.warnings(&dirs.practice_log()));
    let recent = crate::stats::recent(&log.records, n);
    let text = if json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::stats::recent_json(&recent)).unwrap_or_default()
        )
    } else {
        crate::stats::render_recent(&recent)
    };
    print_stdout(&text)?;
    Ok(Status::Success)
}
