//! `kindly stats`: read the log, compute, print.

use std::io::IsTerminal;

use crate::cli::StatsArgs;
use crate::config::Flags;
use crate::dirs::Dirs;
use crate::error::{Result, Status};
use crate::practice::store;
use crate::stats::Stats;

use super::{color_for, need_dirs, print_stderr, print_stdout};

pub(crate) fn run(args: &StatsArgs, dirs: Option<&Dirs>) -> Result<Status> {
    // `show_streaks = false` in config.toml hides them as `--no-streaks` does.
    let config = super::settings(dirs, &Flags::default())?;
    let show_streaks = config.show_streaks.value && !args.no_streaks;
    let dirs = need_dirs(dirs)?;
    let log = store::read(dirs)?;
    print_stderr(&log.warnings(&dirs.practice_log()));
    let stats = Stats::compute(&log.records, crate::local_time::now().date());
    let text = if args.json || args.format == crate::cli::Format::Json {
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
