//! `kindly list`: the bundled sessions and the user's own, with length, tags and summary.

use std::io::IsTerminal;

use serde_json::json;

use crate::cli::{ListArgs, OutputStyle};
use crate::dirs::Dirs;
use crate::duration::human;
use crate::error::{Result, Status};
use crate::library::{Finder, Script, BUNDLED};
use crate::timeline::{Options, Timeline};

use super::{print_stdout, FileLengths};

struct Entry {
    name: String,
    group: String,
    title: String,
    duration: Option<std::time::Duration>,
    tags: Vec<String>,
    summary: Option<String>,
    problem: Option<String>,
}

pub(super) fn run(args: &ListArgs, dirs: Option<&Dirs>) -> Result<Status> {
    if let Some(n) = args.recent {
        return super::stats::recent(n, args.format == OutputStyle::Json, dirs);
    }
    let flags = crate::config::Flags {
        dirs: args.dir.clone(),
        ..crate::config::Flags::default()
    };
    let config = super::settings(dirs, &flags)?;
    let roots = super::include_roots(&config, dirs);
    let mut entries: Vec<Entry> = BUNDLED
        .iter()
        .filter_map(|b| entry(&Script::bundled(b), "bundled".to_owned(), &config, &roots))
        .collect();
    let finder = Finder::new(&config.session_dirs(), dirs);
    for (name, path) in finder.user_scripts() {
        let group = path
            .parent()
            .map_or_else(String::new, |p| p.display().to_string());
        match Script::read(&path) {
            // A file of blocks beside the sessions is not one of them.
            Ok(script) => entries.extend(entry(&script, group, &config, &roots)),
            Err(e) => entries.push(Entry {
                name,
                group,
                title: String::new(),
                duration: None,
                tags: Vec::new(),
                summary: None,
                problem: Some(e.message().to_owned()),
            }),
        }
    }
    let text = match args.format {
        OutputStyle::Json => {
            let list: Vec<_> = entries
                .iter()
                .map(|e| {
                    json!({
                        "name": e.name,
                        "source": e.group,
                        "title": e.title,
                        "duration": e.duration.map(|d| d.as_secs_f64()),
                        "tags": e.tags,
                        "summary": e.summary,
                        "problem": e.problem,
                    })
                })
                .collect();
            let mut list = list;
            list.extend(mine_json(&config));
            format!("{:#}\n", serde_json::Value::Array(list))
        }
        OutputStyle::Human => render(&entries, dirs) + &mine_text(&config),
    };
    print_stdout(&text)?;
    Ok(Status::Success)
}

/// `None` for a file of blocks, which is not a session.
fn entry(
    script: &Script,
    group: String,
    config: &crate::config::Config,
    roots: &[std::path::PathBuf],
) -> Option<Entry> {
    let parsed = script.parse_in(roots, &config.patterns);
    if parsed.blocks_file && !parsed.has_errors() {
        return None;
    }
    let mut e = Entry {
        name: script.id.clone(),
        group,
        title: String::new(),
        duration: None,
        tags: Vec::new(),
        summary: None,
        problem: None,
    };
    let failed = parsed.has_errors();
    let Some(session) = parsed.session.filter(|_| !failed) else {
        e.problem = Some(format!(
            "has problems: run `kindly check {}`",
            script.display
        ));
        return Some(e);
    };
    let mut lengths = FileLengths::for_script(script, config);
    let files_ok = parsed.files.iter().all(|f| lengths.probe(f).is_ok());
    if files_ok {
        e.duration = Timeline::compile(&session, &Options::default(), &lengths)
            .ok()
            .map(|t| t.duration());
    } else {
        e.problem = Some(format!(
            "an audio file is missing: run `kindly check {}`",
            script.display
        ));
    }
    e.title = session.title;
    e.tags = session.tags;
    e.summary = session.summary;
    Some(e)
}

/// The narrowest column of words worth keeping beside the names.
const NARROWEST: usize = 28;
/// The indent of words under a name on a narrow terminal.
const UNDER: &str = "    ";

/// Wrapped at spaces only: a long word overflows rather than breaks.
fn wrap(text: &str, width: usize) -> Vec<std::borrow::Cow<'_, str>> {
    textwrap::wrap(
        text,
        textwrap::Options::new(width.max(1)).break_words(false),
    )
}

fn render(entries: &[Entry], dirs: Option<&Dirs>) -> String {
    let width = if std::io::stdout().is_terminal() {
        // The last column stays free, as in `show`.
        crossterm::terminal::size()
            .map_or(80, |(w, _)| usize::from(w).saturating_sub(1))
            .clamp(20, 120)
    } else {
        80
    };
    let name_width = entries
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0)
        .max(8);
    let indent = name_width + 2 + 8 + 2;
    let mut out = String::new();
    let mut group = None;
    for e in entries {
        if group != Some(&e.group) {
            if group.is_some() {
                out.push('\n');
            }
            let heading = if e.group == "bundled" {
                "Bundled sessions".to_owned()
            } else {
                format!("In {}", e.group)
            };
            out.push_str(&format!("{heading}\n"));
            group = Some(&e.group);
        }
        let length = e.duration.map_or("?".to_owned(), human);
        let mut about = e.summary.clone().unwrap_or_else(|| e.title.clone());
        if let Some(p) = &e.problem {
            about = p.clone();
        }
        if !e.tags.is_empty() {
            about.push_str(&format!(" [{}]", e.tags.join(", ")));
        }
        // Beside the name while the column is wide enough to read; on a
        // narrow terminal (40 columns) the words go under the name, so
        // nothing is wider than the screen and no word is broken.
        if width.saturating_sub(indent) >= NARROWEST {
            let lines = wrap(&about, width - indent);
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    out.push_str(&format!("{:<name_width$}  {:>8}  {line}\n", e.name, length));
                } else {
                    out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
                }
            }
        } else {
            out.push_str(&format!("{}  {length}\n", e.name));
            for line in wrap(&about, width.saturating_sub(UNDER.len())) {
                out.push_str(&format!("{UNDER}{line}\n"));
            }
        }
    }
    if let Some(d) = dirs {
        if !entries.iter().any(|e| e.group != "bundled") {
            out.push_str(&format!(
                "\nYour own sessions go in {} (`kindly new NAME` starts one).\n",
                d.sessions().display()
            ));
        }
    }
    out
}

/// The person's presets and patterns from config.toml, for the list.
fn mine_text(config: &crate::config::Config) -> String {
    let mut out = String::new();
    if !config.presets.is_empty() {
        out.push_str("\nYour presets (config.toml; `kindly timer --preset NAME`)\n");
        let width = config
            .presets
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0)
            .max(8);
        for p in &config.presets {
            out.push_str(&format!(
                "{:<width$}  {:<8}  {}\n",
                p.name,
                p.kind.name(),
                p.describe()
            ));
        }
    }
    if !config.patterns.is_empty() {
        out.push_str("\nYour breathing patterns (config.toml; `kindly breathe NAME`)\n");
        let width = config
            .patterns
            .iter()
            .map(|(n, _)| n.len())
            .max()
            .unwrap_or(0)
            .max(8);
        for (name, p) in config.patterns.iter() {
            out.push_str(&format!(
                "{name:<width$}  {p} ({} s a breath)\n",
                p.cycle().as_secs_f64()
            ));
        }
    }
    out
}

fn mine_json(config: &crate::config::Config) -> Vec<serde_json::Value> {
    let presets = config.presets.iter().map(|p| {
        json!({
            "name": p.name,
            "kind": "preset",
            "command": p.kind.name(),
            "about": p.describe(),
            "length": p.length.map(|d| d.as_secs_f64()),
        })
    });
    let patterns = config.patterns.iter().map(|(name, p)| {
        json!({
            "name": name,
            "kind": "pattern",
            "pattern": p.to_string(),
            "cycle": p.cycle().as_secs_f64(),
        })
    });
    presets.chain(patterns).collect()
}
