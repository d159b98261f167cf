//! `[patterns]` and `[presets.NAME]` in config.toml: a person's own
//! breathing patterns, and timer or breathe set-ups kept under a name.
//!
//! Pure, like the rest of the file's checker: spanned TOML in, values and
//! located diagnostics out.

use std::time::Duration;

use toml::de::DeValue;

use crate::diagnostic::{Code, Diagnostic};
use crate::script::walk::{self, type_error, Value};
use crate::session::{Bell, BreathPattern, Breathe, Gain, Interval, PatternError, Patterns};
use crate::synth::Cue;

/// The keys of a `[presets.NAME]` table.
pub(crate) const PRESET: &[&str] = &[
    "length",
    "bell",
    "interval",
    "end_strikes",
    "warmup",
    "ambience",
    "volume",
    "pattern",
    "cycles",
];

/// Keys only a timer has, and keys only a breathing pacer has: a preset
/// is one or the other.
const TIMER_ONLY: &[&str] = &["bell", "interval", "end_strikes", "warmup"];
const BREATHE_ONLY: &[&str] = &["pattern", "cycles"];

/// Which command a preset sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PresetKind {
    Timer,
    Breathe,
}

impl PresetKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            PresetKind::Timer => "timer",
            PresetKind::Breathe => "breathe",
        }
    }
}

/// One `[presets.NAME]`: every field may be left out, and a flag given
/// beside `--preset` wins over the field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Preset {
    pub name: String,
    pub kind: PresetKind,
    /// A timer's length; a pacer's `--for`.
    pub length: Option<Duration>,
    pub bell: Option<Cue>,
    pub interval: Option<Interval>,
    pub end_strikes: Option<u32>,
    pub warmup: Option<Duration>,
    /// A built-in bed, `none`, or a sound file (made absolute).
    pub ambience: Option<String>,
    pub volume: Option<Gain>,
    /// As written (a name or seconds), with what it means.
    pub pattern: Option<(String, BreathPattern)>,
    pub cycles: Option<u32>,
}

impl Preset {
    /// A one-line description, for `kindly list`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some((name, p)) = &self.pattern {
            if name == &p.to_string() {
                parts.push(name.clone());
            } else {
                parts.push(format!("{name} ({p})"));
            }
        }
        if let Some(l) = self.length {
            parts.push(crate::duration::human(l));
        }
        if let Some(n) = self.cycles {
            parts.push(format!("{n} breaths"));
        }
        if let Some(b) = self.bell {
            parts.push(b.name().to_owned());
        }
        if let Some(i) = self.interval {
            parts.push(format!("every {i}"));
        }
        if let Some(n) = self.end_strikes {
            parts.push(format!(
                "{n} closing {}",
                if n == 1 { "strike" } else { "strikes" }
            ));
        }
        if let Some(w) = self.warmup {
            parts.push(format!("{} warm-up", crate::duration::human(w)));
        }
        if let Some(a) = &self.ambience {
            parts.push(format!("ambience {a}"));
        }
        if let Some(v) = self.volume {
            parts.push(format!("volume {v}"));
        }
        parts.join(", ")
    }
}

fn bad_name(what: &str, name: &str, span: walk::Span) -> Diagnostic {
    Diagnostic::error(Code::BadName, format!("`{name}` cannot name a {what}"))
        .at(span)
        .label("start with a letter; use letters, digits, - and _")
        .help("name it like `evening-calm`, which `--preset` or a `pattern` can use")
}

/// `[patterns]`: `NAME = "4-2-6-0"`.
pub(crate) fn patterns(v: &Value<'_>, diags: &mut Vec<Diagnostic>) -> Patterns {
    let DeValue::Table(t) = v.get_ref() else {
        diags.push(
            type_error("patterns", "a table", v.get_ref(), v.span())
                .help("write it as a table:\n\n[patterns]\ncalm = \"4-2-6-0\""),
        );
        return Patterns::default();
    };
    let mut out = Vec::new();
    for (key, value) in t.iter() {
        let name: &str = key.get_ref();
        if !crate::session::is_own_name(name) {
            diags.push(bad_name("pattern", name, key.span()));
            continue;
        }
        if BreathPattern::NAMES.iter().any(|(n, _)| *n == name) {
            diags.push(
                Diagnostic::error(Code::ShadowedName, format!("`{name}` is kindly's own pattern"))
                    .at(key.span())
                    .label("already a built-in pattern")
                    .help("give yours another name, so sessions that use the built-in one mean the same everywhere"),
            );
            continue;
        }
        let Some(text) = ok(diags, walk::string(value, name)) else {
            continue;
        };
        match BreathPattern::parse(text.trim()) {
            Ok(p) => out.push((name.to_owned(), p)),
            Err(e) => diags.push(pattern_error(text, &e, value.span(), &[])),
        }
    }
    Patterns::new(out)
}

fn ok<T>(diags: &mut Vec<Diagnostic>, r: Result<T, Diagnostic>) -> Option<T> {
    r.map_err(|d| diags.push(d)).ok()
}

fn pattern_error(text: &str, e: &PatternError, span: walk::Span, names: &[&str]) -> Diagnostic {
    let message = match e {
        PatternError::OutOfRange(part) => {
            format!("`{part}` seconds is out of range in pattern `{text}`")
        }
        _ => format!("`{text}` is not a breathing pattern"),
    };
    let help = match (e, crate::script::closest(text, names.iter().copied())) {
        (PatternError::OutOfRange(_), _) => {
            "each phase must be from 0.5 to 30 seconds (a hold may be 0)".to_owned()
        }
        (_, Some(s)) => format!("did you mean `{s}`?"),
        _ => "write seconds joined by `-`: \"4-6\" (in, out), \"4-7-8\" (in, hold, out) or \"4-2-6-0\" (in, hold, out, hold)".to_owned(),
    };
    Diagnostic::error(Code::BadPattern, message)
        .at(span)
        .help(help)
}

/// What a preset's fields need from the rest of the file's checker.
pub(crate) struct Context<'a> {
    pub source: &'a str,
    pub patterns: &'a Patterns,
}

/// `[presets.NAME]` tables. `ambience` is checked by the caller, as the
/// top-level one is (`check_ambience`).
pub(crate) fn presets(
    cx: &Context<'_>,
    v: &Value<'_>,
    diags: &mut Vec<Diagnostic>,
    mut check_ambience: impl FnMut(&Value<'_>, &mut Vec<Diagnostic>) -> Option<String>,
) -> Vec<Preset> {
    let example = "[presets.morning]\nlength = \"20m\"\ninterval = \"5m\"";
    let DeValue::Table(t) = v.get_ref() else {
        diags.push(
            type_error("presets", "a table", v.get_ref(), v.span())
                .help(format!("write each preset as a table:\n\n{example}")),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in t.iter() {
        let name: &str = key.get_ref();
        if !crate::session::is_own_name(name) {
            diags.push(bad_name("preset", name, key.span()));
            continue;
        }
        let DeValue::Table(fields) = value.get_ref() else {
            diags.push(
                type_error(
                    &format!("presets.{name}"),
                    "a table",
                    value.get_ref(),
                    value.span(),
                )
                .help(format!(
                    "write it as a table:\n\n{}",
                    example.replace("morning", name)
                )),
            );
            continue;
        };
        let what = format!("`[presets.{name}]`");
        let before = diags.len();
        for (k, _) in fields.iter() {
            let k: &str = k.get_ref();
            if !PRESET.contains(&k) {
                // `for` is the flag's name; the preset says `length`.
                let d = walk::unknown_key(k, key_span(fields, k), &what, PRESET);
                diags.push(if k == "for" || k == "duration" {
                    d.help("a breathing preset's time is `length`, like `length = \"5m\"`")
                } else {
                    d
                });
            }
        }
        let timer = TIMER_ONLY.iter().find(|k| fields.get(**k).is_some());
        let breathe = BREATHE_ONLY.iter().find(|k| fields.get(**k).is_some());
        let kind = match (timer, breathe) {
            (Some(t), Some(b)) => {
                diags.push(
                    Diagnostic::error(
                        Code::ConflictingFields,
                        format!("{what} mixes a timer and a breathing pacer"),
                    )
                    .at(key_span(fields, b))
                    .label(format!(
                        "`{b}` is for `kindly breathe`, `{t}` for `kindly timer`"
                    ))
                    .help("make two presets, one for each command"),
                );
                continue;
            }
            (None, Some(_)) => PresetKind::Breathe,
            _ => PresetKind::Timer,
        };
        let mut p = Preset {
            name: name.to_owned(),
            kind,
            length: None,
            bell: None,
            interval: None,
            end_strikes: None,
            warmup: None,
            ambience: None,
            volume: None,
            pattern: None,
            cycles: None,
        };
        if let Some(v) = fields.get("length") {
            p.length = ok(diags, walk::duration_value(cx.source, v, "length"));
        }
        if let Some(v) = fields.get("warmup") {
            p.warmup = ok(diags, walk::duration_value(cx.source, v, "warmup"));
        }
        if let Some(v) = fields.get("interval") {
            p.interval = ok(diags, walk::interval_value(cx.source, v, "interval"));
        }
        if let Some(v) = fields.get("volume") {
            p.volume = ok(diags, walk::gain(v, "volume"));
        }
        if let Some(v) = fields.get("ambience") {
            p.ambience = check_ambience(v, diags);
        }
        if let Some(v) = fields.get("bell") {
            p.bell = bell(v, diags);
        }
        if let Some(v) = fields.get("end_strikes") {
            p.end_strikes = count(v, "end_strikes", Bell::MAX_STRIKES, diags);
        }
        if let Some(v) = fields.get("cycles") {
            p.cycles = count(v, "cycles", Breathe::MAX_CYCLES, diags);
        }
        if let (Some(_), Some(_)) = (fields.get("cycles"), fields.get("length")) {
            diags.push(
                Diagnostic::error(
                    Code::ConflictingFields,
                    "`cycles` and `length` are both given",
                )
                .at(key_span(fields, "length"))
                .label("remove this or `cycles`")
                .help("a breathing preset is measured in `cycles` or by `length`, not both"),
            );
        }
        if let Some(v) = fields.get("pattern") {
            if let Some(text) = ok(diags, walk::string(v, "pattern")) {
                match BreathPattern::parse_with(text, cx.patterns) {
                    Ok(b) => p.pattern = Some((text.trim().to_owned(), b)),
                    Err(e) => diags.push(pattern_error(text, &e, v.span(), &cx.patterns.names())),
                }
            }
        }
        // A preset with a problem is left out whole: half a set-up would
        // surprise more than an error does.
        if diags.len() == before {
            out.push(p);
        }
    }
    out
}

fn key_span(fields: &toml::de::DeTable<'_>, name: &str) -> walk::Span {
    fields
        .iter()
        .find(|(k, _)| k.get_ref() == name)
        .map_or(0..0, |(k, _)| k.span())
}

fn bell(v: &Value<'_>, diags: &mut Vec<Diagnostic>) -> Option<Cue> {
    let name = ok(diags, walk::string(v, "bell"))?.trim();
    if let Some(c) = Cue::from_name(name) {
        return Some(c);
    }
    let cues: Vec<&str> = Cue::ALL.iter().map(|c| c.name()).collect();
    let d = Diagnostic::error(Code::UnknownSound, format!("unknown bell `{name}`"))
        .at(v.span())
        .label("not a built-in cue");
    diags.push(match crate::script::closest(name, cues.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!("use one of {}", crate::script::one_of(&cues))),
    });
    None
}

fn count(v: &Value<'_>, key: &str, max: u32, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    let n = ok(diags, walk::number(v, key, "a whole number"))?;
    if n.fract() != 0.0 || n < 1.0 || n > f64::from(max) {
        diags.push(
            Diagnostic::error(Code::OutOfRange, format!("`{key}` must be from 1 to {max}"))
                .at(v.span())
                .help(format!("use a whole number from 1 to {max}")),
        );
        return None;
    }
    Some(n as u32)
}

#[cfg(test)]
mod tests {
    use crate::config::{parse, Base};
    use crate::diagnostic::Position;
    use std::path::Path;

    use super::*;

    fn parse_at(source: &str) -> (crate::config::ConfigFile, Vec<Diagnostic>) {
        parse(
            source,
            Base {
                dir: Path::new("/cfg"),
                home: None,
            },
        )
    }

    /// (code, line, column, help) of every problem.
    fn problems(source: &str) -> Vec<(&'static str, usize, usize, Option<String>)> {
        parse_at(source)
            .1
            .into_iter()
            .map(|d| {
                let p = Position::of(source, d.span.clone().unwrap_or(0..0).start);
                (d.code.name(), p.line, p.column, d.help)
            })
            .collect()
    }

    #[test]
    fn presets_and_patterns_are_read() {
        let (f, d) = parse_at(
            "[patterns]\ncalm = \"4-2-6-0\"\n\
             [presets.morning]\nlength = \"20m\"\nbell = \"gong\"\ninterval = \"3m..7m\"\nend_strikes = 1\nwarmup = \"10s\"\nambience = \"rain\"\n\
             [presets.evening]\npattern = \"calm\"\nlength = \"5m\"\nvolume = 0.5\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            f.patterns.get("calm"),
            Some(&BreathPattern::parse("4-2-6").unwrap())
        );
        let by = |n: &str| f.presets.iter().find(|p| p.name == n).unwrap();
        let morning = by("morning");
        assert_eq!(morning.kind, PresetKind::Timer);
        assert_eq!(morning.length, Some(Duration::from_secs(1200)));
        assert_eq!(morning.bell, Some(Cue::Gong));
        assert_eq!(morning.interval, Interval::parse("3m..7m").ok());
        assert_eq!(morning.end_strikes, Some(1));
        assert_eq!(morning.ambience.as_deref(), Some("rain"));
        assert_eq!(
            morning.describe(),
            "20m, gong, every 3m..7m, 1 closing strike, 10s warm-up, ambience rain"
        );
        let evening = by("evening");
        assert_eq!(evening.kind, PresetKind::Breathe);
        assert_eq!(evening.pattern.as_ref().unwrap().0, "calm");
        assert_eq!(evening.describe(), "calm (4-2-6), 5m, volume 0.5");
    }

    #[test]
    fn problems_point_at_their_place() {
        let src = "[patterns]\nbox = \"4-4\"\n9x = \"4-4\"\nslow = \"4-99\"\n\
                   [presets.a]\nlenght = \"5m\"\n\
                   [presets.b]\npattern = \"slwo\"\n\
                   [presets.c]\ninterval = \"7m..3m\"\n\
                   [presets.d]\npattern = \"box\"\nbell = \"bowl\"\n\
                   [presets.e]\nend_strikes = 0\n\
                   [presets.f]\nbell = \"bowel\"\n";
        let p = problems(src);
        let brief: Vec<(&str, usize, usize)> =
            p.iter().map(|(c, l, col, _)| (*c, *l, *col)).collect();
        assert_eq!(
            brief,
            vec![
                ("shadowed-name", 2, 1),
                ("bad-name", 3, 1),
                ("bad-pattern", 4, 8),
                ("unknown-key", 6, 1),
                ("bad-pattern", 8, 11),
                ("bad-interval", 10, 12),
                ("conflicting-fields", 12, 1),
                ("out-of-range", 15, 15),
                ("unknown-sound", 17, 8),
            ]
        );
        assert_eq!(p[3].3.as_deref(), Some("did you mean `length`?"));
        // `slow` was refused, so `slwo` is not close to anything but the
        // built-in names.
        assert!(p[4].3.is_some());
        assert_eq!(p[8].3.as_deref(), Some("did you mean `bowl`?"));
        // Every preset with a problem is left out.
        assert!(parse_at(src).0.presets.is_empty());
    }

    #[test]
    fn a_pattern_name_a_preset_misspells_is_suggested() {
        let p = problems("[patterns]\nevening = \"4-6\"\n[presets.x]\npattern = \"evenign\"\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].3.as_deref(), Some("did you mean `evening`?"));
    }
}
