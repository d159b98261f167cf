//! `kindly config`: every setting, its value, and where it came from.

use serde_json::json;

use crate::cli::{ConfigArgs, OutputStyle};
use crate::config::{self, Config, Origin, PromptCue, Setting};
use crate::dirs::{ConfigFrom, Dirs};
use crate::duration::human;
use crate::error::{Result, Status};
use crate::voice::Wanted;

use super::{flags, print_stdout, read_config};

pub(super) fn run(args: &ConfigArgs, dirs: Option<&Dirs>) -> Result<Status> {
    let loaded = read_config(dirs)?;
    let flags = flags(&args.session_args, None);
    let config = config::resolve(&loaded.file, &flags);
    let file = FileFacts {
        path: loaded.path.as_ref().map(|p| p.display().to_string()),
        from: loaded.from,
        exists: loaded.exists,
    };
    let text = match args.format {
        OutputStyle::Human => human_text(&config, &file),
        OutputStyle::Json => format!("{:#}\n", to_json(&config, &file)),
    };
    print_stdout(&text)?;
    Ok(Status::Success)
}

/// Where the config file is, and why there.
pub(crate) struct FileFacts {
    pub path: Option<String>,
    pub from: Option<ConfigFrom>,
    pub exists: bool,
}

fn from_name(from: Option<ConfigFrom>) -> &'static str {
    match from {
        Some(ConfigFrom::Platform) | None => "the usual place",
        Some(ConfigFrom::Home) => "KINDLY_HOME",
        Some(ConfigFrom::Env) => "KINDLY_CONFIG",
    }
}

/// (name, value as text, origin) for every setting, in the file's order.
fn rows(c: &Config) -> Vec<(String, String, Origin)> {
    fn row<T>(name: &str, s: &Setting<T>, show: impl Fn(&T) -> String) -> (String, String, Origin) {
        (name.to_owned(), show(&s.value), s.origin)
    }
    let mut rows = vec![
        row("volume", &c.volume, |v| v.to_string()),
        row("ambience", &c.ambience, |a| {
            a.clone().unwrap_or_else(|| "each session's own".to_owned())
        }),
        row("bell", &c.bell, |b| b.name().to_owned()),
        row("gate", &c.gate, |g| human(*g)),
    ];
    if c.sessions.is_empty() {
        rows.push(("sessions".into(), "(none)".into(), Origin::Default));
    }
    for s in &c.sessions {
        rows.push(row("sessions", s, |p| p.display().to_string()));
    }
    if c.allow.is_empty() {
        rows.push(("allow".into(), "(none)".into(), Origin::Default));
    }
    for a in &c.allow {
        rows.push(row("allow", a, |p| p.display().to_string()));
    }
    rows.push(row("show_streaks", &c.show_streaks, |b| b.to_string()));
    rows.push(row("prompt_cue", &c.prompt_cue, prompt_cue_text));
    rows.push(row("voice.engine", &c.voice, wanted_text));
    if c.voice.value != Wanted::Off {
        rows.push(row("voice.rate", &c.voice_rate, |r| r.to_string()));
        rows.push(row("voice.pause", &c.voice_pause, |p| human(*p)));
        rows.push(row("voice.timeout", &c.voice_timeout, |t| human(*t)));
    }
    rows.push(row("voice.speak_prompts", &c.speak_prompts, |b| {
        b.to_string()
    }));
    for (name, p) in c.patterns.iter() {
        rows.push((format!("patterns.{name}"), p.to_string(), Origin::File));
    }
    for p in &c.presets {
        rows.push((
            format!("presets.{}", p.name),
            format!("{}: {}", p.kind.name(), p.describe()),
            Origin::File,
        ));
    }
    rows
}

fn wanted_text(w: &Wanted) -> String {
    match w {
        Wanted::Auto => "auto (the best engine installed; `kindly voices` says which)".to_owned(),
        Wanted::Off => "off (nothing is spoken)".to_owned(),
        Wanted::Engine(e) => e.name().to_owned(),
        Wanted::Command(argv) => format!("command: {}", shell_words(argv)),
    }
}

fn prompt_cue_text(c: &PromptCue) -> String {
    match c {
        PromptCue::Auto => "auto (the notice cue, when a prompt is not spoken)".to_owned(),
        PromptCue::None => "none".to_owned(),
        PromptCue::Sound(s) => s.to_string(),
    }
}

/// The argv as a person would type it, quoting what needs it. Only for
/// display: kindly itself never hands the command to a shell.
fn shell_words(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./+=:,{}@%".contains(c));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn human_text(c: &Config, file: &FileFacts) -> String {
    let mut out = String::new();
    match &file.path {
        Some(p) => {
            let state = if file.exists {
                ""
            } else {
                " (not there: defaults apply)"
            };
            out.push_str(&format!("config file: {p}{state}\n"));
            out.push_str(&format!("  found through {}\n\n", from_name(file.from)));
        }
        None => out.push_str("config file: none (no home folder; set KINDLY_HOME)\n\n"),
    }
    let rows = rows(c);
    let name_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let value_w = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for (name, value, origin) in rows {
        out.push_str(&format!(
            "{name:<name_w$}  {value:<value_w$}  ({})\n",
            origin.describe()
        ));
    }
    out
}

fn origin_json(o: Origin) -> serde_json::Value {
    match o {
        Origin::Default => json!("default"),
        Origin::File => json!("file"),
        Origin::Flag(f) => json!(format!("flag {f}")),
    }
}

fn to_json(c: &Config, file: &FileFacts) -> serde_json::Value {
    let s = |value: serde_json::Value, origin: Origin| json!({ "value": value, "from": origin_json(origin) });
    json!({
        "file": {
            "path": file.path,
            "exists": file.exists,
            "found_through": match file.from {
                Some(ConfigFrom::Platform) | None => "platform",
                Some(ConfigFrom::Home) => "KINDLY_HOME",
                Some(ConfigFrom::Env) => "KINDLY_CONFIG",
            },
        },
        "settings": {
            "volume": s(json!((f64::from(c.volume.value.get()) * 1000.0).round() / 1000.0), c.volume.origin),
            "ambience": s(json!(c.ambience.value), c.ambience.origin),
            "bell": s(json!(c.bell.value.name()), c.bell.origin),
            "gate": s(json!(c.gate.value.as_secs_f64()), c.gate.origin),
            "sessions": c.sessions.iter().map(|d| s(json!(d.value.display().to_string()), d.origin)).collect::<Vec<_>>(),
            "allow": c.allow.iter().map(|d| s(json!(d.value.display().to_string()), d.origin)).collect::<Vec<_>>(),
            "show_streaks": s(json!(c.show_streaks.value), c.show_streaks.origin),
            "voice": s(
                match &c.voice.value {
                    Wanted::Auto => json!({ "engine": "auto" }),
                    Wanted::Off => json!({ "engine": "off" }),
                    Wanted::Engine(e) => json!({ "engine": e.name() }),
                    Wanted::Command(argv) => json!({ "command": argv }),
                },
                c.voice.origin,
            ),
            "voice_rate": s(json!(c.voice_rate.value), c.voice_rate.origin),
            "voice_pause": s(json!(c.voice_pause.value.as_secs_f64()), c.voice_pause.origin),
            "voice_timeout": s(json!(c.voice_timeout.value.as_secs_f64()), c.voice_timeout.origin),
            "prompt_cue": s(json!(prompt_cue_text(&c.prompt_cue.value)), c.prompt_cue.origin),
            "speak_prompts": s(json!(c.speak_prompts.value), c.speak_prompts.origin),
            "patterns": c.patterns.iter().map(|(n, p)| (n.to_owned(), json!(p.to_string()))).collect::<serde_json::Map<_, _>>(),
            "presets": c.presets.iter().map(|p| (p.name.clone(), json!({
                "command": p.kind.name(),
                "about": p.describe(),
                "length": p.length.map(|d| d.as_secs_f64()),
                "bell": p.bell.map(|b| b.name()),
                "interval": p.interval.map(|i| i.to_string()),
                "end_strikes": p.end_strikes,
                "warmup": p.warmup.map(|d| d.as_secs_f64()),
                "ambience": p.ambience,
                "volume": p.volume.map(|v| f64::from(v.get())),
                "pattern": p.pattern.as_ref().map(|(n, _)| n),
                "cycles": p.cycles,
            }))).collect::<serde_json::Map<_, _>>(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_for_display() {
        let argv: Vec<String> = [
            "espeak-ng",
            "-v",
            "en-us+f3",
            "--stdout",
            "{text}",
            "a b",
            "it's",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            shell_words(&argv),
            "espeak-ng -v en-us+f3 --stdout {text} 'a b' 'it'\\''s'"
        );
    }
}
