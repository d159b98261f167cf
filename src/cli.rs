//! The command line as clap sees it: raw flags, no I/O, no defaults resolved.
//!
//! Like ripgrep's `lowargs`, this is only the shape of the arguments.
//! Commands turn these into their own settings.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCompleter;

pub mod completion;

#[path = "cli_examples.rs"]
mod examples;

const ABOUT: &str = "A guided-mindfulness audio player for practising self-compassion offline.";

const AFTER_HELP: &str = "\
Start with `kindly list`, then `kindly play self-compassion-break`.

kindly offers practices for kindness towards yourself. It is not therapy and
not a substitute for professional help. If a practice brings up more than
feels manageable, stop whenever you need to, and please reach out to someone
you trust or to a professional; the README's \"If this brings up too much\"
says more, and `kindly play backdraft-care` is there when kindness stirs pain.";

#[derive(Debug, Parser)]
#[command(name = "kindly", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to use colour: auto (a terminal, unless NO_COLOR is set or
    /// CLICOLOR_FORCE forces it), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// `--color`, as bat and ripgrep spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal, unless NO_COLOR or TERM=dumb says otherwise.
    Auto,
    /// Always colour, even into a pipe.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play a session, with a progress display and keyboard controls.
    #[command(after_help = examples::PLAY)]
    Play(PlayArgs),
    /// A meditation timer: a starting bell, interval bells, an ending bell.
    #[command(after_help = examples::TIMER)]
    Timer(TimerArgs),
    /// A breathing pacer on its own.
    #[command(after_help = examples::BREATHE)]
    Breathe(BreatheArgs),
    /// Play the last session, timer or pacer again, with the options it had.
    ///
    /// The practice log keeps what each run needs to be repeated; flags
    /// given here win over the repeated ones.
    #[command(after_help = examples::AGAIN)]
    Again(AgainArgs),
    /// Check session scripts and report every problem, with its place.
    ///
    /// Files a script includes are checked too, and a problem in one is
    /// shown at its own line with the line that included it.
    #[command(after_help = examples::CHECK)]
    Check(CheckArgs),
    /// Show a session's timeline without playing it: a dry run.
    ///
    /// Blocks are shown expanded: one row for each step as it plays.
    #[command(after_help = examples::SHOW)]
    Show(ShowArgs),
    /// List the bundled sessions and your own.
    #[command(after_help = examples::LIST)]
    List(ListArgs),
    /// Write a commented starter script for a new session.
    #[command(after_help = examples::NEW)]
    New(NewArgs),
    /// Render a session to a WAV file, offline.
    #[command(after_help = examples::RENDER)]
    Render(RenderArgs),
    /// Print the JSON Schema of session scripts, for editors.
    #[command(after_help = examples::SCHEMA)]
    Schema,
    /// Work with the built-in sounds.
    #[command(after_help = examples::SOUNDS)]
    #[command(subcommand)]
    Sounds(SoundsCommand),
    /// Your practice: totals, this week, streaks, and a 12-week calendar.
    #[command(after_help = examples::STATS)]
    Stats(StatsArgs),
    /// The practice log that `play`, `timer` and `breathe` add to.
    #[command(after_help = examples::LOG)]
    #[command(subcommand)]
    Log(LogCommand),
    /// Your private reflection journal: list entries, or show a day's.
    #[command(after_help = examples::JOURNAL)]
    Journal(JournalArgs),
    /// Print your settings and where each comes from (default, config file or flag).
    #[command(after_help = examples::CONFIG)]
    Config(ConfigArgs),
    /// The speech engines kindly found, and which one speaks; try or choose one.
    Voices(VoicesArgs),
    /// Reminders to practise, kept by systemd, cron or launchd (kindly runs no daemon).
    #[command(after_help = examples::REMIND)]
    #[command(subcommand)]
    Remind(RemindCommand),
    /// Print shell completions.
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, kindly(1), in roff: `kindly man | man -l -`.
    #[command(after_help = examples::MAN)]
    Man,
}

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// A bundled session's name, or a script file.
    #[arg(add = ArgValueCompleter::new(completion::sessions))]
    pub session: String,
    #[command(flatten)]
    pub playback: PlaybackArgs,
    /// Start at this step (counted from 1).
    #[arg(long, value_name = "STEP")]
    pub from: Option<usize>,
    /// Start at the step where the last run of this session ended early,
    /// as the practice log has it (from the beginning if it was finished).
    #[arg(long, conflicts_with = "from")]
    pub resume: bool,
    #[command(flatten)]
    pub session_args: SessionArgs,
}

/// How to find and lay out a session: shared by every command that plays,
/// shows or renders one, and by `config`, which shows what they resolve to.
#[derive(Debug, Args, Clone)]
pub struct SessionArgs {
    /// How long a step that waits for you lasts when nobody can press a key.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub gate: Option<Duration>,
    /// Do not speak: the guidance is on screen, with the prompt cue.
    #[arg(long)]
    pub no_voice: bool,
    /// The voice: auto (the best installed), off, or an engine
    /// (piper, say, festival, flite, espeak-ng, espeak).
    #[arg(
        long,
        value_name = "ENGINE",
        value_parser = parse_wanted,
        conflicts_with = "no_voice",
        add = ArgValueCompleter::new(completion::voices)
    )]
    pub voice: Option<crate::voice::Wanted>,
    /// What marks a prompt that is not spoken: auto (a soft two-note
    /// tone), none, a built-in cue, or a sound file.
    #[arg(
        long,
        value_name = "SOUND",
        value_parser = parse_prompt_cue,
        add = ArgValueCompleter::new(completion::cues)
    )]
    pub prompt_cue: Option<crate::config::PromptCue>,
    /// Extra folder to look for sessions in.
    #[arg(long, value_name = "DIR")]
    pub dir: Vec<PathBuf>,
    /// Lay out random interval bells (`interval = "3m..7m"`) from this
    /// seed; without it kindly picks one and says which.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kindly voices                       which engines are installed, and which speaks
  kindly voices try                   hear a sample in the voice that speaks now
  kindly voices try flite -o s.wav    render a sample with flite into s.wav
  kindly voices use festival          speak with festival from now on (config.toml)")]
pub struct VoicesArgs {
    #[command(subcommand)]
    pub action: Option<VoicesAction>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
    pub format: OutputStyle,
    #[command(flatten)]
    pub session_args: SessionArgs,
}

#[derive(Debug, Subcommand)]
pub enum VoicesAction {
    /// Speak a sample through the same pipeline sessions use.
    #[command(after_help = examples::VOICES_TRY)]
    Try {
        /// An engine to try (default: the one that speaks now).
        #[arg(value_parser = parse_wanted, add = ArgValueCompleter::new(completion::voices))]
        engine: Option<crate::voice::Wanted>,
        /// The words to say.
        text: Option<String>,
        /// Render the sample to this WAV file instead of playing it.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Speak with ENGINE from now on: writes `engine` into the `[voice]`
    /// table of config.toml, keeping its comments.
    #[command(after_help = examples::VOICES_USE)]
    Use {
        /// auto, off, or an engine's name.
        #[arg(value_parser = parse_wanted, add = ArgValueCompleter::new(completion::voices))]
        engine: crate::voice::Wanted,
    },
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
    pub format: OutputStyle,
    #[command(flatten)]
    pub session_args: SessionArgs,
}

/// Playback options shared by `play`, `timer` and `breathe`.
#[derive(Debug, Args, Clone)]
pub struct PlaybackArgs {
    /// Text and timing only: no sound at all.
    #[arg(long)]
    pub silent: bool,
    /// Plain output: one timestamped line per step, no bars or keys.
    #[arg(long)]
    pub plain: bool,
    /// Preview faster than real time, with the sound muted (for example 10).
    #[arg(long, value_name = "N")]
    pub speed: Option<f64>,
    /// Master volume, from 0 to 1.
    #[arg(long, value_name = "0..1")]
    pub volume: Option<f64>,
    /// A sound bed under the practice (a built-in bed or a file), or
    /// `none`; for `play`, instead of the session's own.
    #[arg(long, value_name = "NAME|none", add = ArgValueCompleter::new(completion::beds))]
    pub ambience: Option<String>,
}

#[derive(Debug, Args)]
pub struct AgainArgs {
    #[command(flatten)]
    pub playback: PlaybackArgs,
}

#[derive(Debug, Args)]
pub struct TimerArgs {
    /// How long to sit, from the first bell to the last (for example 20m);
    /// a preset may give it. Without one, sit until you press q.
    #[arg(value_parser = parse_duration)]
    pub length: Option<Duration>,
    /// Sit until you press q, even when a preset gives a length.
    #[arg(long, conflicts_with = "length")]
    pub open: bool,
    /// A set-up from `[presets.NAME]` in config.toml; flags given beside it
    /// win over it.
    #[arg(long, value_name = "NAME", add = ArgValueCompleter::new(completion::presets))]
    pub preset: Option<String>,
    /// The bell's sound (default: `bell` in config.toml, else bowl).
    #[arg(long, value_name = "SOUND", add = ArgValueCompleter::new(completion::sounds))]
    pub bell: Option<String>,
    /// A single strike this often (5m), or at a random time in a range
    /// each time (3m..7m).
    #[arg(long, value_name = "DURATION|MIN..MAX", value_parser = parse_interval)]
    pub interval: Option<crate::session::Interval>,
    /// Lay out random interval bells from this seed, to repeat a sit; the
    /// practice log keeps the seed kindly picked when this is not given.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Strikes of the ending bell, from 1 to 12 (default 3).
    #[arg(long, value_name = "N")]
    pub end_strikes: Option<u32>,
    /// Quiet time before the starting bell (for example 10s).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub warmup: Option<Duration>,
    #[command(flatten)]
    pub playback: PlaybackArgs,
}

#[derive(Debug, Args)]
pub struct BreatheArgs {
    /// box, 4-7-8, coherent, one of your `[patterns]`, or seconds joined by
    /// `-` (in-hold-out-hold); default coherent.
    #[arg(add = ArgValueCompleter::new(completion::patterns))]
    pub pattern: Option<String>,
    /// A set-up from `[presets.NAME]` in config.toml; flags given beside it
    /// win over it.
    #[arg(long, value_name = "NAME", add = ArgValueCompleter::new(completion::presets))]
    pub preset: Option<String>,
    /// How many breaths.
    #[arg(long, value_name = "N", conflicts_with = "for_")]
    pub cycles: Option<u32>,
    /// How long, rounded to whole breaths (default 5m).
    #[arg(long = "for", id = "for_", value_name = "DURATION", value_parser = parse_duration)]
    pub for_: Option<Duration>,
    #[command(flatten)]
    pub playback: PlaybackArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Script files or bundled session names.
    #[arg(required = true, value_name = "FILE", add = ArgValueCompleter::new(completion::sessions))]
    pub files: Vec<String>,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
    pub format: OutputStyle,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A bundled session's name, or a script file.
    #[arg(add = ArgValueCompleter::new(completion::sessions))]
    pub session: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
    pub format: OutputStyle,
    #[command(flatten)]
    pub session_args: SessionArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Also list the sessions in this folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Vec<PathBuf>,
    /// The sessions you practised lately instead, newest first, from the
    /// practice log (ten, or N).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "10")]
    pub recent: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
    pub format: OutputStyle,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new session's name, such as `morning-kindness`.
    pub name: String,
    /// What to start from.
    #[arg(long, value_enum, default_value_t = Template::Basic)]
    pub template: Template,
    /// Write here instead of your sessions folder (`-` for standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// A bundled session's name, or a script file.
    #[arg(required_unless_present = "all", conflicts_with = "all", add = ArgValueCompleter::new(completion::sessions))]
    pub session: Option<String>,
    /// Every bundled and personal session into the folder -o names (Ogg
    /// unless --format says), skipping those already up to date.
    #[arg(long)]
    pub all: bool,
    /// The file to write, its format named by its extension (.wav, .flac,
    /// .ogg, .mp3), or `-` for standard output; with --all, a folder.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// The format, when the extension does not say (needed for `-o -`,
    /// which is WAV without it).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<crate::encode::FileFormat>,
    /// Encoding quality: Ogg -1 to 10 (default 2), MP3 0 (best) to 9
    /// (default 5), as oggenc -q and lame -V. WAV and FLAC are lossless.
    #[arg(long, value_name = "Q", allow_negative_numbers = true)]
    pub quality: Option<f32>,
    /// One channel: half the size, and speech and bells lose nothing by it.
    #[arg(long)]
    pub mono: bool,
    /// Also write NAME.vtt (WebVTT) and NAME.lrc beside the audio: the
    /// prompts' words, timed.
    #[arg(long)]
    pub transcript: bool,
    /// Print nothing on success, and no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Sample rate in Hz.
    #[arg(long, default_value_t = 48_000, value_parser = clap::value_parser!(u32).range(8_000..=192_000))]
    pub rate: u32,
    /// Sample format.
    #[arg(long, value_enum, default_value_t = Bits::B16)]
    pub bits: Bits,
    /// Use this ambience instead of the session's, or `none`.
    #[arg(long, value_name = "NAME|none", add = ArgValueCompleter::new(completion::beds))]
    pub ambience: Option<String>,
    /// Write even over a read-only file, a symlink or one of the session's own files.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub session_args: SessionArgs,
}

#[derive(Debug, Subcommand)]
pub enum SoundsCommand {
    /// List the built-in sounds.
    #[command(after_help = examples::SOUNDS_LIST)]
    List,
    /// Write every built-in sound to DIR as a small WAV file.
    #[command(after_help = examples::SOUNDS_EXPORT)]
    Export {
        /// The folder to write into (made if missing).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Replace files (and symlinks) of the same names already in DIR.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// One session's history instead: its runs, lengths, completions and a
    /// calendar row (`timer` and `breathe` are names too).
    #[arg(value_name = "NAME", add = ArgValueCompleter::new(completion::sessions))]
    pub name: Option<String>,
    /// Output format: json prints the figures for tools.
    #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
    pub format: OutputStyle,
    /// The same as `--format json` (kept for scripts that use it).
    #[arg(long, hide = true)]
    pub json: bool,
    /// Leave out streaks, for anyone who finds them more stress than help.
    #[arg(long)]
    pub no_streaks: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Print every record, for spreadsheets (CSV) or tools (JSON).
    #[command(after_help = examples::LOG_EXPORT)]
    Export {
        /// csv: RFC 4180 with a header row; json: an array of the records.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// The same as `--format csv` (kept for scripts that use it).
        #[arg(long, hide = true, conflicts_with_all = ["json", "format"])]
        csv: bool,
        /// The same as `--format json` (kept for scripts that use it).
        #[arg(long, hide = true, conflicts_with = "format")]
        json: bool,
    },
    /// For tests: append COUNT synthetic records as fast as possible.
    /// Only in a build with the `test-hooks` feature (`cargo test` turns
    /// it on), so a person's kindly never offers it or writes test records.
    #[cfg(feature = "test-hooks")]
    #[command(hide = true)]
    AppendTest {
        #[arg(long, default_value_t = 1)]
        count: usize,
        #[arg(long, default_value = "append-test")]
        session: String,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemindCommand {
    /// Remind you at HH:MM each day (or on weekdays): a systemd user timer
    /// on Linux, a crontab line where systemd does not run for you, a
    /// launchd agent on macOS.
    #[command(after_help = examples::REMIND_ADD)]
    Add(RemindAddArgs),
    /// List your reminders and every file and crontab line kindly wrote for them.
    #[command(after_help = examples::REMIND_LIST)]
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputStyle::Human)]
        format: OutputStyle,
    },
    /// Remove a reminder (or all of them) and everything kindly wrote for it.
    #[command(after_help = examples::REMIND_REMOVE)]
    Remove {
        /// The reminder's number, as `kindly remind list` shows it, or `all`.
        #[arg(value_name = "ID|all")]
        id: String,
    },
    /// What a reminder runs when its time comes: a desktop notification,
    /// or a note the next `kindly` shows.
    #[command(hide = true)]
    Fire {
        /// The reminder's number.
        id: u32,
    },
}

#[derive(Debug, Args)]
pub struct RemindAddArgs {
    /// When, on a 24-hour clock (for example 08:00 or 19:30), in local time.
    #[arg(value_name = "HH:MM", value_parser = parse_time_of_day)]
    pub time: crate::remind::TimeOfDay,
    /// A session to suggest: a bundled session's name or a script file.
    #[arg(add = ArgValueCompleter::new(completion::sessions))]
    pub session: Option<String>,
    /// Only Monday to Friday.
    #[arg(long)]
    pub weekdays: bool,
    /// Stay quiet on a day you have already practised.
    #[arg(long)]
    pub unless_practised: bool,
    /// What keeps the schedule: auto picks systemd where it runs for
    /// you, else cron; launchd on macOS.
    #[arg(long, value_enum, default_value_t = RemindVia::Auto)]
    pub via: RemindVia,
    /// Print what would be written, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `--via` for `kindly remind add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RemindVia {
    /// systemd where a user manager runs, else cron; launchd on macOS.
    Auto,
    /// A systemd user timer and service.
    Systemd,
    /// A line in your crontab.
    Cron,
    /// A launchd agent (macOS).
    Launchd,
}

#[derive(Debug, Args)]
pub struct JournalArgs {
    #[command(subcommand)]
    pub command: Option<JournalCommand>,
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Print a day's entries: `today`, `yesterday` or `YYYY-MM-DD`.
    #[command(after_help = examples::JOURNAL_SHOW)]
    Show {
        /// `today`, `yesterday` or a date such as 2025-01-07.
        #[arg(value_name = "DATE")]
        day: String,
    },
    /// For tests: append COUNT synthetic entries as fast as possible
    /// (`test-hooks` builds only, as `log append-test`).
    #[cfg(feature = "test-hooks")]
    #[command(hide = true)]
    AppendTest {
        #[arg(long, default_value_t = 1)]
        count: usize,
    },
    /// For tests: ask one question in the terminal, as a reflect step does
    /// (`test-hooks` builds only).
    #[cfg(feature = "test-hooks")]
    #[command(hide = true)]
    CaptureTest {
        #[arg(long, default_value = "What do you need to hear today?")]
        question: String,
    },
}

/// How a command reports: text for people, or JSON for tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputStyle {
    /// Text for people.
    Human,
    /// JSON for tools.
    Json,
}

/// How `kindly log export` writes the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A JSON array of the records.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// A bell, a few prompts, a quiet pause, a closing bell.
    Basic,
    /// A breathing pacer between two bells.
    Breathing,
    /// Questions to reflect on, with answers kept in your journal.
    Reflection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Bits {
    #[value(name = "16")]
    B16,
    #[value(name = "24")]
    B24,
    #[value(name = "32f")]
    F32,
}

fn parse_wanted(text: &str) -> Result<crate::voice::Wanted, String> {
    crate::voice::Wanted::parse(text.trim()).ok_or_else(|| {
        format!(
            "`{text}` is not a voice; use one of {}",
            crate::voice::Wanted::names().join(", ")
        )
    })
}

fn parse_prompt_cue(text: &str) -> Result<crate::config::PromptCue, String> {
    crate::config::PromptCue::parse(text, |p| PathBuf::from(p)).ok_or_else(|| {
        format!("`{text}` is not a prompt cue; use auto, none, a built-in cue such as chime, or a sound file")
    })
}

fn parse_time_of_day(text: &str) -> Result<crate::remind::TimeOfDay, String> {
    crate::remind::TimeOfDay::parse(text).ok_or_else(|| {
        format!(
            "`{text}` is not a time of day; use HH:MM on a 24-hour clock, such as 08:00 or 19:30"
        )
    })
}

fn parse_interval(text: &str) -> Result<crate::session::Interval, String> {
    crate::session::Interval::parse(text).map_err(|_| {
        format!("`{text}` is not an interval; give a duration such as 5m, or a range such as 3m..7m for a bell at a random time within it")
    })
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::duration::parse(text)
        .map_err(|e| format!("`{text}` {}; {}", e.describe(), crate::duration::HELP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// What a person sees with `--help`: every visible command has
    /// examples to copy, and nothing visible goes undescribed.
    #[test]
    fn help_teaches() {
        fn walk(cmd: &clap::Command, path: &str, problems: &mut Vec<String>) {
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if arg
                    .get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
                {
                    problems.push(format!("{path}: {} has no description", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let path = format!("{path} {}", sub.get_name());
                let examples = sub
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default()
                    .lines()
                    .filter(|l| l.trim_start().starts_with("kindly ") || l.contains(" kindly"))
                    .count();
                if examples < 2 && sub.get_name() != "help" {
                    problems.push(format!("{path}: {examples} examples"));
                }
                if sub.get_about().is_none() {
                    problems.push(format!("{path}: no description"));
                }
                walk(sub, &path, problems);
            }
        }
        let mut problems = Vec::new();
        walk(&Cli::command(), "kindly", &mut problems);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
