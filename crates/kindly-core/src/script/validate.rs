//! The checker: walks the spanned TOML tree, reports every problem, builds the session.
//!
//! We walk `toml::de::DeTable` by hand rather than deriving `Deserialize`:
//! serde stops at the first error and internally tagged enums lose spans,
//! while a walk keeps exact positions and keeps going after a problem.

use std::time::Duration;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::keys;
use super::suggest::{closest, one_of};
use super::{FileRef, Origin, Parsed, FORMAT};
use crate::diagnostic::Diagnostic;
use crate::duration;
use crate::session::{
    Ambience, AudioClip, Bell, BreathCue, BreathLength, BreathPattern, Breathe, Gain, Hold,
    PatternError, Patterns, Pause, Prompt, Reflect, Session, SoundRef, Step, StepKind, Theme,
};
use crate::synth::{Bed, Cue};

use super::walk::{self, duration_error, first_line, header_span, type_error, Span};

pub(super) fn run(source: &str, origin: &Origin<'_>, patterns: &Patterns) -> Parsed {
    let mut cx = Cx {
        patterns,
        source,
        lines: crate::diagnostic::LineIndex::new(source),
        origin,
        diags: Vec::new(),
        files: Vec::new(),
    };
    let session = cx.document();
    cx.diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
    let failed = cx.diags.iter().any(Diagnostic::is_error);
    Parsed {
        session: if failed { None } else { session },
        diagnostics: cx.diags,
        files: cx.files,
    }
}

struct Cx<'s, 'o> {
    /// The person's named breathing patterns (config.toml's `[patterns]`).
    patterns: &'o Patterns,
    source: &'s str,
    lines: crate::diagnostic::LineIndex<'s>,
    origin: &'o Origin<'o>,
    diags: Vec<Diagnostic>,
    files: Vec<FileRef>,
}

/// A table's entries with the span of the table itself.
struct Table<'t, 'i> {
    entries: &'t DeTable<'i>,
    /// Where to point when a required key is missing.
    anchor: Span,
    /// "the session", "`[ambience]`", "this `pause` step": for messages.
    what: String,
}

impl<'t, 'i> Table<'t, 'i> {
    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.entries.get(key)
    }
}

impl<'s> Cx<'s, '_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn document(&mut self) -> Option<Session> {
        let doc = match walk::parse_document(
            self.source,
            "fix the TOML syntax here; see docs/session-format.md for examples",
        ) {
            Ok(doc) => doc,
            Err(diags) => {
                for mut d in diags {
                    if d.code == "too-deep" {
                        d.message = "this script nests arrays or tables too deeply".into();
                        d.help = Some(
                            "session scripts need at most three levels; remove the extra brackets"
                                .into(),
                        );
                    }
                    self.push(d);
                }
                return None;
            }
        };
        let root = Table {
            entries: doc.get_ref(),
            anchor: first_line(self.source),
            what: "the session".into(),
        };
        self.refuse_voice_settings(doc.get_ref(), true);
        self.unknown_keys(&root, keys::TOP, None);

        if let Some(v) = root.get("format") {
            if let Some(n) = self.integer(v, "format") {
                if n != FORMAT {
                    self.push(
                        Diagnostic::error(
                            "unsupported-format",
                            format!("format version {n} is not supported"),
                        )
                        .at(v.span())
                        .label(format!("this kindly reads format {FORMAT}"))
                        .help(format!(
                            "set `format = {FORMAT}`, or install a newer kindly that reads format {n}"
                        )),
                    );
                }
            }
        }
        let title = self.required_text(&root, "title");
        let summary = self.optional_text(&root, "summary");
        let author = self.optional_text(&root, "author");
        let tags = root
            .get("tags")
            .map(|v| self.string_list(v, "tags"))
            .unwrap_or_default();
        let ambience = root.get("ambience").and_then(|v| self.ambience(v));
        let steps = self.steps(&root);

        Some(Session {
            id: self.origin.id.to_owned(),
            title: title?,
            summary,
            author,
            tags,
            ambience,
            steps: steps?,
        })
    }

    fn steps(&mut self, root: &Table<'_, '_>) -> Option<Vec<Step>> {
        let Some(value) = root.get("steps") else {
            self.push(
                Diagnostic::error("no-steps", "the session has no steps")
                    .at(root.anchor.clone())
                    .help("add at least one step, for example:\n\n[[steps]]\nkind = \"bell\""),
            );
            return None;
        };
        let array = match value.get_ref() {
            DeValue::Array(a) => a,
            DeValue::Table(_) => {
                self.push(
                    Diagnostic::error("wrong-type", "`steps` must be a list of tables")
                        .at(header_span(self.source, value.span()))
                        .label("this is a single table")
                        .help(
                            "write each step under its own `[[steps]]` header, with two brackets",
                        ),
                );
                return None;
            }
            other => {
                self.push(type_error(
                    "steps",
                    "a list of `[[steps]]` tables",
                    other,
                    value.span(),
                ));
                return None;
            }
        };
        if array.is_empty() {
            self.push(
                Diagnostic::error("no-steps", "the session has no steps")
                    .at(value.span())
                    .help("add at least one step under a `[[steps]]` header"),
            );
            return None;
        }
        let mut steps = Vec::with_capacity(array.len());
        let mut ok = true;
        for (i, item) in array.iter().enumerate() {
            match self.step(i, item) {
                Some(step) => steps.push(step),
                None => ok = false,
            }
        }
        ok.then_some(steps)
    }

    fn step(&mut self, index: usize, item: &Spanned<DeValue<'_>>) -> Option<Step> {
        let DeValue::Table(entries) = item.get_ref() else {
            self.push(type_error("steps", "a table", item.get_ref(), item.span()));
            return None;
        };
        let anchor = header_span(self.source, item.span());
        let line = self.lines.position(anchor.start).line;
        let number = index + 1;
        let mut table = Table {
            entries,
            anchor,
            what: format!("step {number}"),
        };
        let theme = table.get("theme").and_then(|v| self.theme(v));

        let Some(kind_value) = table.get("kind") else {
            self.push(
                Diagnostic::error("missing-field", format!("step {number} has no `kind`"))
                    .at(table.anchor.clone())
                    .help(format!(
                        "add `kind = \"…\"`, one of {}",
                        one_of(&crate::session::StepKind::NAMES)
                    )),
            );
            // Without a kind, only keys that no kind has are certainly wrong.
            let every: Vec<&str> = crate::session::StepKind::NAMES
                .iter()
                .filter_map(|k| keys::for_kind(k))
                .flatten()
                .copied()
                .collect();
            self.unknown_keys(&table, &every, Some(ALL_STEP_KEYS));
            return None;
        };
        let kind = self.string(kind_value, "kind")?;
        let Some(kind_keys) = keys::for_kind(kind) else {
            let mut d = Diagnostic::error("unknown-kind", format!("unknown step kind `{kind}`"))
                .at(kind_value.span())
                .label("not a step kind");
            d = match closest(kind, crate::session::StepKind::NAMES) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "use one of {}",
                    one_of(&crate::session::StepKind::NAMES)
                )),
            };
            self.push(d);
            return None;
        };
        table.what = format!("this `{kind}` step");
        self.unknown_keys(&table, kind_keys, Some(kind));
        let speak = if kind_keys.contains(&"speak") {
            self.optional_flag(&table, "speak")?
        } else {
            None
        };

        let kind = match kind {
            "bell" => StepKind::Bell(self.bell(&table)?),
            "prompt" => StepKind::Prompt(self.prompt(&table)?),
            "pause" => StepKind::Pause(self.pause(&table)?),
            "breathe" => StepKind::Breathe(self.breathe(&table)?),
            "audio" => StepKind::Audio(self.audio(&table)?),
            "reflect" => StepKind::Reflect(self.reflect(&table)?),
            _ => unreachable!("keys::for_kind knows exactly these kinds"),
        };
        if speak == Some(true) && kind.text().is_none() {
            let span = table.get("speak").map(|v| v.span()).unwrap_or_default();
            self.push(
                Diagnostic::warning("unused-field", "`speak` has nothing to say here")
                    .at(span)
                    .label("this step has no `text`")
                    .help("add `text = \"…\"` with the words to speak, or remove `speak`"),
            );
        }
        Some(Step {
            kind,
            theme,
            line: Some(line),
            speak,
            spoken: None,
            prompt_cue: None,
            speech_pending: false,
        })
    }

    fn bell(&mut self, t: &Table<'_, '_>) -> Option<Bell> {
        let sound = self.sound_or(
            t,
            "sound",
            SoundUse::Cue,
            SoundRef::Cue(Bell::DEFAULT_SOUND),
        );
        let strikes = self
            .count(t, "strikes", Bell::MAX_STRIKES)
            .map(|n| n.unwrap_or(1));
        let spacing = self.optional_duration(t, "spacing");
        let volume = self.volume(t, "volume", Bell::DEFAULT_VOLUME);
        let text = self.optional_text(t, "text");
        Some(Bell {
            sound: sound?,
            sound_given: t.get("sound").is_some(),
            strikes: strikes?,
            spacing: spacing?.unwrap_or(Bell::DEFAULT_SPACING),
            volume: volume?,
            text,
            hold: None,
        })
    }

    fn prompt(&mut self, t: &Table<'_, '_>) -> Option<Prompt> {
        let text = self.required_text(t, "text");
        let hold = match t.get("hold") {
            None => text
                .as_deref()
                .map(|s| Hold::Reading(Hold::reading_time(s))),
            Some(v) => match v.get_ref() {
                DeValue::String(s) if s.trim() == "key" => Some(Hold::Key),
                DeValue::String(s) => match duration::parse(s) {
                    Ok(d) => Some(Hold::For(d)),
                    Err(e) => {
                        self.push(duration_error("hold", s, &e, v.span()).help(
                            "write a duration like \"10s\" or \"1m\", or \"key\" to wait for a key press",
                        ));
                        None
                    }
                },
                _ => self.duration_value(v, "hold").map(Hold::For),
            },
        };
        // A table or list here was refused by `refuse_voice_settings`.
        let voice = t
            .get("voice")
            .filter(|v| !matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)))
            .and_then(|v| self.file_path(v, "voice"));
        if t.get("voice").is_some() && voice.is_none() {
            return None;
        }
        Some(Prompt {
            text: text?,
            hold: hold?,
            voice,
        })
    }

    fn pause(&mut self, t: &Table<'_, '_>) -> Option<Pause> {
        let duration = self.required_duration(t, "duration");
        let text = self.optional_text(t, "text");
        let interval = match t.get("interval") {
            None => Some(None),
            Some(v) => {
                let r = walk::interval_value(self.source, v, "interval");
                self.ok(r).map(Some)
            }
        };
        let interval_sound = self.sound_or(
            t,
            "interval_sound",
            SoundUse::Cue,
            SoundRef::Cue(Bell::DEFAULT_SOUND),
        );
        let (duration, interval) = (duration?, interval?);
        if let (Some(i), Some(v)) = (interval, t.get("interval")) {
            if i.shortest() >= duration {
                self.push(
                    Diagnostic::warning(
                        "interval-too-long",
                        "no interval bell will ring: the interval is as long as the pause",
                    )
                    .at(v.span())
                    .help("make `interval` shorter than `duration`, or remove it"),
                );
            }
        }
        if interval.is_none() && t.get("interval_sound").is_some() {
            let span = t
                .get("interval_sound")
                .map(|v| v.span())
                .unwrap_or_default();
            self.push(
                Diagnostic::warning(
                    "unused-field",
                    "`interval_sound` has no effect without `interval`",
                )
                .at(span)
                .help("add `interval = \"5m\"` to ring it every five minutes, or remove it"),
            );
        }
        Some(Pause {
            duration,
            text,
            interval,
            interval_sound: interval_sound?,
            interval_sound_given: t.get("interval_sound").is_some(),
        })
    }

    fn breathe(&mut self, t: &Table<'_, '_>) -> Option<Breathe> {
        let pattern = match t.get("pattern") {
            None => Some(BreathPattern::coherent()),
            Some(v) => self.pattern(v),
        };
        let cycles = self.count(t, "cycles", Breathe::MAX_CYCLES);
        let duration = self.optional_duration(t, "duration");
        let cue = match t.get("cue") {
            None => Some(BreathCue::Tone),
            Some(v) => {
                let name = self.string(v, "cue");
                name.and_then(|name| match BreathCue::from_name(name) {
                    Some(c) => Some(c),
                    None => {
                        self.push(unknown_name(
                            "cue",
                            "breath cue",
                            name,
                            &BreathCue::NAMES,
                            v.span(),
                        ));
                        None
                    }
                })
            }
        };
        let text = self.optional_text(t, "text");
        let length = match (cycles?, duration?) {
            (Some(_), Some(_)) => {
                let span = t.get("duration").map(|v| v.span()).unwrap_or_default();
                self.push(
                    Diagnostic::error(
                        "conflicting-fields",
                        "`cycles` and `duration` are both given",
                    )
                    .at(span)
                    .label("remove this or `cycles`")
                    .help("a breathe step is measured in `cycles` or by `duration`, not both"),
                );
                None
            }
            (Some(n), None) => Some(BreathLength::Cycles(n)),
            (None, Some(d)) => Some(BreathLength::Duration(d)),
            (None, None) => {
                self.push(
                    Diagnostic::error(
                        "missing-field",
                        "this `breathe` step needs `cycles` or `duration`",
                    )
                    .at(t.anchor.clone())
                    .help(
                        "add `cycles = 6`, or `duration = \"2m\"` for as many whole breaths as fit",
                    ),
                );
                None
            }
        };
        Some(Breathe {
            pattern: pattern?,
            length: length?,
            cue: cue?,
            text,
        })
    }

    fn audio(&mut self, t: &Table<'_, '_>) -> Option<AudioClip> {
        let file = match t.get("file") {
            Some(v) => self.file_path(v, "file"),
            None => {
                self.missing(t, "file", "file = \"sounds/guidance.ogg\"");
                None
            }
        };
        let text = self.optional_text(t, "text");
        let volume = self.volume(t, "volume", Gain::UNITY);
        Some(AudioClip {
            file: file?,
            text,
            volume: volume?,
        })
    }

    fn reflect(&mut self, t: &Table<'_, '_>) -> Option<Reflect> {
        let question = self.required_text(t, "question");
        let journal = self.flag(t, "journal");
        Some(Reflect {
            question: question?,
            journal: journal?,
        })
    }

    fn ambience(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Ambience> {
        let DeValue::Table(entries) = v.get_ref() else {
            self.push(
                type_error("ambience", "a table", v.get_ref(), v.span())
                    .help("write it as a table:\n\n[ambience]\nsound = \"rain\""),
            );
            return None;
        };
        let t = Table {
            entries,
            anchor: header_span(self.source, v.span()),
            what: "`[ambience]`".into(),
        };
        self.unknown_keys(&t, keys::AMBIENCE, None);
        let sound = match t.get("sound") {
            Some(v) => self.sound(v, "sound", SoundUse::Bed),
            None => {
                self.missing(&t, "sound", "sound = \"rain\"");
                None
            }
        };
        let volume = self.volume(&t, "volume", Ambience::DEFAULT_VOLUME);
        let fade = self.optional_duration(&t, "fade");
        Some(Ambience {
            sound: sound?,
            volume: volume?,
            fade: fade?.unwrap_or(Ambience::DEFAULT_FADE),
        })
    }

    // ----- keys -----

    /// Refuse, wherever it appears, anything that looks like an attempt to
    /// configure the voice. Nothing in a script could reach the voice
    /// command anyway (the checker has no such field); this is so that an
    /// author who tries is told why, and a reader of a shared script sees
    /// at once that it was refused. Depth is bounded by `too_deep`.
    fn refuse_voice_settings(&mut self, table: &DeTable<'_>, top: bool) {
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            if refused_key(name, value.get_ref(), top) {
                let what = if name == "command" {
                    "a session script cannot name a command to run"
                } else {
                    "a session script cannot configure the voice"
                };
                self.push(
                    Diagnostic::error("voice-in-script", what)
                        .at(key.span())
                        .label("refused")
                        .help(
                            "voices are configured only in your own config file (the `[voice]` \
                             table of config.toml; `kindly config` shows where it is), so a script \
                             from someone else can never run a program; remove this. To have a \
                             step spoken, write `speak = true` on it",
                        ),
                );
                continue;
            }
            self.refuse_in_value(value.get_ref());
        }
    }

    fn refuse_in_value(&mut self, value: &DeValue<'_>) {
        match value {
            DeValue::Table(t) => self.refuse_voice_settings(t, false),
            DeValue::Array(items) => {
                for item in items.iter() {
                    self.refuse_in_value(item.get_ref());
                }
            }
            _ => {}
        }
    }

    /// Report keys not in `allowed`. `kind` names the step kind, so a key
    /// that belongs to another kind can say so.
    fn unknown_keys(&mut self, t: &Table<'_, '_>, allowed: &[&str], kind: Option<&str>) {
        for (key, value) in t.entries.iter() {
            let name: &str = key.get_ref();
            let in_common = kind.is_some() && keys::COMMON.contains(&name);
            let top = kind.is_none() && allowed == keys::TOP;
            if allowed.contains(&name) || in_common || refused_key(name, value.get_ref(), top) {
                continue;
            }
            let mut candidates: Vec<&str> = allowed.to_vec();
            if kind.is_some() {
                candidates.extend_from_slice(keys::COMMON);
            }
            let mut d = Diagnostic::error(
                "unknown-key",
                format!("unknown field `{name}` in {}", t.what),
            )
            .at(key.span())
            .label("not a field here");
            if let Some(s) = closest(name, candidates.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            } else if let Some(owner) = kind.and_then(|k| owner_kind(name, k)) {
                d = d.help(format!(
                    "`{name}` belongs to `{owner}` steps; this step's fields are {}",
                    one_of(&candidates)
                ));
            } else {
                d = d.help(format!("the fields here are {}", one_of(&candidates)));
            }
            self.push(d);
        }
    }

    fn missing(&mut self, t: &Table<'_, '_>, key: &str, example: &str) {
        // A misspelt `duraton` already says "did you mean `duration`?";
        // saying `duration` is missing as well would be noise.
        let misspelt = t.entries.iter().any(|(k, _)| {
            let k: &str = k.get_ref();
            k != key && closest(k, [key]).is_some()
        });
        if misspelt {
            return;
        }
        self.push(
            Diagnostic::error("missing-field", format!("{} needs `{key}`", t.what))
                .at(t.anchor.clone())
                .help(format!("add a line like `{example}`")),
        );
    }

    // ----- values -----

    /// Keep a walk helper's value, or record its problem.
    fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.push(d)).ok()
    }

    /// Every string in a script, checked once here: a script may come
    /// from a stranger, so no control character (ESC and the other C0 and
    /// C1 codes, DEL; newline and tab are text) is ever kept to reach the
    /// terminal, and no text is so long that it stalls playback or the
    /// voice. Either is an error, located at the value.
    fn string<'v>(&mut self, v: &'v Spanned<DeValue<'_>>, key: &str) -> Option<&'v str> {
        let r = walk::string(v, key);
        let s = self.ok(r)?;
        if let Some(c) = s.chars().find(|&c| is_forbidden_control(c)) {
            self.push(
                Diagnostic::error(
                    "control-character",
                    format!("`{key}` holds the control character U+{:04X}", u32::from(c)),
                )
                .at(v.span())
                .label("a terminal would obey this, not print it")
                .help("remove it; only newlines and tabs may appear in text"),
            );
            return None;
        }
        let chars = s.chars().count();
        if chars > MAX_TEXT_CHARS {
            self.push(
                Diagnostic::error(
                    "text-too-long",
                    format!("`{key}` is {chars} characters long"),
                )
                .at(v.span().start..v.span().start.saturating_add(1).min(v.span().end))
                .label("this text")
                .help(format!(
                    "keep each text under {MAX_TEXT_CHARS} characters; split it over several steps"
                )),
            );
            return None;
        }
        Some(s)
    }

    /// A required, non-blank string.
    fn required_text(&mut self, t: &Table<'_, '_>, key: &str) -> Option<String> {
        let Some(v) = t.get(key) else {
            self.missing(t, key, &format!("{key} = \"…\""));
            return None;
        };
        let s = self.string(v, key)?;
        if s.trim().is_empty() {
            self.push(
                Diagnostic::error("empty-text", format!("`{key}` is empty"))
                    .at(v.span())
                    .help(format!("write the {key}, or remove the step")),
            );
            return None;
        }
        Some(s.trim().to_owned())
    }

    fn optional_text(&mut self, t: &Table<'_, '_>, key: &str) -> Option<String> {
        t.get(key)
            .and_then(|v| self.string(v, key))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    fn string_list(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Vec<String> {
        let DeValue::Array(items) = v.get_ref() else {
            self.push(type_error(key, "a list of strings", v.get_ref(), v.span()));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(s) = self.string(item, key) {
                out.push(s.trim().to_owned());
            }
        }
        out
    }

    fn integer(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<i64> {
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.push(
                        Diagnostic::error("out-of-range", format!("`{key}` is far too large"))
                            .at(v.span()),
                    );
                    None
                }
            },
            other => {
                self.push(type_error(key, "a whole number", other, v.span()));
                None
            }
        }
    }

    /// An optional count in `1..=max`. Outer `None`: an error was reported.
    fn count(&mut self, t: &Table<'_, '_>, key: &str, max: u32) -> Option<Option<u32>> {
        let Some(v) = t.get(key) else {
            return Some(None);
        };
        let n = self.integer(v, key)?;
        if n < 1 || n > i64::from(max) {
            self.push(
                Diagnostic::error("out-of-range", format!("`{key}` must be from 1 to {max}"))
                    .at(v.span())
                    .label(format!("this is {n}"))
                    .help(format!("use a whole number from 1 to {max}")),
            );
            return None;
        }
        Some(Some(n as u32))
    }

    fn volume(&mut self, t: &Table<'_, '_>, key: &str, default: Gain) -> Option<Gain> {
        let Some(v) = t.get(key) else {
            return Some(default);
        };
        let r = walk::gain(v, key);
        self.ok(r)
    }

    fn duration_value(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<Duration> {
        let r = walk::duration_value(self.source, v, key);
        self.ok(r)
    }

    fn required_duration(&mut self, t: &Table<'_, '_>, key: &str) -> Option<Duration> {
        match t.get(key) {
            Some(v) => self.duration_value(v, key),
            None => {
                self.missing(t, key, &format!("{key} = \"2m\""));
                None
            }
        }
    }

    /// An optional `true`/`false`. Outer `None`: an error was reported.
    fn optional_flag(&mut self, t: &Table<'_, '_>, key: &str) -> Option<Option<bool>> {
        match t.get(key) {
            None => Some(None),
            Some(v) => {
                let r = walk::boolean(v, key);
                self.ok(r).map(Some)
            }
        }
    }

    fn flag(&mut self, t: &Table<'_, '_>, key: &str) -> Option<bool> {
        self.optional_flag(t, key).map(|f| f.unwrap_or(false))
    }

    /// Outer `None`: an error was reported.
    fn optional_duration(&mut self, t: &Table<'_, '_>, key: &str) -> Option<Option<Duration>> {
        match t.get(key) {
            Some(v) => self.duration_value(v, key).map(Some),
            None => Some(None),
        }
    }

    fn theme(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Theme> {
        let name = self.string(v, "theme")?;
        match Theme::from_name(name) {
            Some(t) => Some(t),
            None => {
                let names: Vec<&str> = Theme::ALL.iter().map(|t| t.name()).collect();
                self.push(unknown_name("theme", "theme", name, &names, v.span()));
                None
            }
        }
    }

    fn pattern(&mut self, v: &Spanned<DeValue<'_>>) -> Option<BreathPattern> {
        let text = self.string(v, "pattern")?;
        match BreathPattern::parse_with(text, self.patterns) {
            Ok(p) => Some(p),
            Err(e) => {
                let names = self.patterns.names();
                let message = match &e {
                    PatternError::Count(_) | PatternError::NotANumber(_) => {
                        format!("`{text}` is not a breathing pattern")
                    }
                    PatternError::OutOfRange(part) => {
                        format!("`{part}` seconds is out of range in pattern `{text}`")
                    }
                };
                let help = match (&e, closest(text, names.iter().copied())) {
                    (PatternError::OutOfRange(_), _) => {
                        "each phase must be from 0.5 to 30 seconds (a hold may be 0)".to_owned()
                    }
                    (_, Some(s)) => format!("did you mean `{s}`?"),
                    _ => format!(
                        "use {}, or seconds such as \"4-6\" (in, out), \"4-7-8\" (in, hold, out) or \"4-4-4-4\" (in, hold, out, hold)",
                        one_of(&names)
                    ),
                };
                self.push(
                    Diagnostic::error("bad-pattern", message)
                        .at(v.span())
                        .help(help),
                );
                None
            }
        }
    }

    fn sound_or(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
        use_: SoundUse,
        default: SoundRef,
    ) -> Option<SoundRef> {
        match t.get(key) {
            Some(v) => self.sound(v, key, use_),
            None => Some(default),
        }
    }

    fn sound(&mut self, v: &Spanned<DeValue<'_>>, key: &str, use_: SoundUse) -> Option<SoundRef> {
        let name = self.string(v, key)?;
        if SoundRef::looks_like_file(name) {
            return self.file_path(v, key).map(SoundRef::File);
        }
        let (wanted, other): (Vec<&str>, Vec<&str>) = match use_ {
            SoundUse::Cue => (
                Cue::ALL.iter().map(|c| c.name()).collect(),
                Bed::ALL.iter().map(|b| b.name()).collect(),
            ),
            SoundUse::Bed => (
                Bed::ALL.iter().map(|b| b.name()).collect(),
                Cue::ALL.iter().map(|c| c.name()).collect(),
            ),
        };
        if wanted.contains(&name) {
            return SoundRef::builtin(name);
        }
        let d = if other.contains(&name) {
            let (is, needs) = match use_ {
                SoundUse::Cue => ("an ambience bed", "a cue"),
                SoundUse::Bed => ("a cue", "an ambience bed"),
            };
            Diagnostic::error(
                "wrong-sound",
                format!("`{name}` is {is}, but `{key}` needs {needs}"),
            )
            .at(v.span())
            .help(format!("use one of {}, or a sound file", one_of(&wanted)))
        } else {
            let mut d = Diagnostic::error("unknown-sound", format!("unknown sound `{name}`"))
                .at(v.span())
                .label("not a built-in sound");
            d = match closest(name, wanted.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "use one of {}, or a file path such as \"sounds/{name}.ogg\"",
                    one_of(&wanted)
                )),
            };
            d
        };
        self.push(d);
        None
    }

    fn file_path(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<std::path::PathBuf> {
        let name = self.string(v, key)?;
        if name.trim().is_empty() {
            self.push(
                Diagnostic::error("empty-text", format!("`{key}` is empty"))
                    .at(v.span())
                    .help("give a path to an audio file, relative to this script"),
            );
            return None;
        }
        let path = self.origin.dir.join(name);
        self.files.push(FileRef {
            path: path.clone(),
            span: v.span(),
        });
        Some(path)
    }
}

#[derive(Clone, Copy)]
enum SoundUse {
    Cue,
    Bed,
}

/// Keys that would configure the voice: `command` anywhere, a top-level
/// `voice`, and a `voice` that is a table or list rather than a file path.
fn refused_key(name: &str, value: &DeValue<'_>, top: bool) -> bool {
    name == "command"
        || (name == "voice" && (top || matches!(value, DeValue::Table(_) | DeValue::Array(_))))
}

/// Every key of every kind, for steps whose kind is missing.
const ALL_STEP_KEYS: &str = "*";

/// The kind whose fields include `key`, when it is not `kind`'s own.
fn owner_kind(key: &str, kind: &str) -> Option<&'static str> {
    if kind == ALL_STEP_KEYS {
        return None;
    }
    crate::session::StepKind::NAMES
        .into_iter()
        .find(|k| *k != kind && keys::for_kind(k).is_some_and(|ks| ks.contains(&key)))
}

fn unknown_name(key: &str, what: &str, name: &str, names: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::error(format_code(key), format!("unknown {what} `{name}`")).at(span);
    match closest(name, names.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!("use one of {}", one_of(names))),
    }
}

fn format_code(key: &str) -> &'static str {
    match key {
        "theme" => "unknown-theme",
        "cue" => "unknown-cue",
        _ => "unknown-name",
    }
}

/// The longest text one value may hold: about ten minutes of speech, far
/// past any prompt, and far below what a command line can carry.
pub(crate) const MAX_TEXT_CHARS: usize = 10_000;

/// C0 and C1 control codes and DEL, except newline and tab (and the
/// carriage return of a CRLF line ending inside a multi-line string).
pub(crate) fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || c == '\u{7f}'
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn check(source: &str) -> Parsed {
        run(
            source,
            &Origin {
                id: "t",
                dir: Path::new("/sessions"),
            },
            &Patterns::default(),
        )
    }

    #[test]
    fn random_intervals_and_a_persons_pattern_names() {
        let p = check("title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = \"20m\"\ninterval = \"3m..7m\"\n");
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let src = "title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = \"20m\"\ninterval = \"7m..3m\"\n\
                   [[steps]]\nkind = \"pause\"\nduration = \"20m\"\ninterval = \"3m..soon\"\n";
        assert_eq!(
            codes(src),
            vec![("bad-interval", 5, 12), ("bad-duration", 9, 12)]
        );
        // A short interval is no longer refused: later bells duck earlier rings.
        let p = check(
            "title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = \"20s\"\ninterval = \"5s\"\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);

        let calm = BreathPattern::parse("4-2-6").unwrap();
        let mine = Patterns::new(vec![("calm".into(), calm.clone())]);
        let origin = Origin {
            id: "t",
            dir: Path::new("/sessions"),
        };
        let script =
            "title = \"t\"\n[[steps]]\nkind = \"breathe\"\npattern = \"calm\"\ncycles = 2\n";
        let p = run(script, &origin, &mine);
        match &p.session.unwrap().steps[0].kind {
            StepKind::Breathe(b) => assert_eq!(b.pattern, calm),
            other => panic!("{other:?}"),
        }
        // Without the person's patterns, the name is unknown, and a near
        // miss of one is suggested when they are known.
        assert_eq!(codes(script), vec![("bad-pattern", 4, 11)]);
        let p = run(&script.replace("calm", "clam"), &origin, &mine);
        assert_eq!(
            p.diagnostics[0].help.as_deref(),
            Some("did you mean `calm`?")
        );
    }

    fn codes(source: &str) -> Vec<(&'static str, usize, usize)> {
        check(source)
            .diagnostics
            .iter()
            .map(|d| {
                let p = crate::diagnostic::Position::of(source, d.span.clone().unwrap().start);
                (d.code, p.line, p.column)
            })
            .collect()
    }

    const MINIMAL: &str = "title = \"t\"\n[[steps]]\nkind = \"bell\"\n";

    #[test]
    fn minimal_is_clean() {
        let p = check(MINIMAL);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let s = p.session.unwrap();
        assert_eq!(s.steps.len(), 1);
        assert_eq!(s.steps[0].line, Some(2));
    }

    #[test]
    fn every_problem_at_once() {
        let src = "title = \"t\"\ncolour = 1\n[[steps]]\nkind = \"pause\"\nduraton = \"5m\"\n[[steps]]\nkind = \"bel\"\n";
        assert_eq!(
            codes(src),
            vec![
                ("unknown-key", 2, 1),
                // No "missing `duration`": the typo's suggestion covers it.
                ("unknown-key", 5, 1),
                ("unknown-kind", 7, 8)
            ]
        );
    }

    #[test]
    fn suggestions() {
        let p = check("title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = \"1m\"\ninterval_sond = \"bowel\"\n");
        assert_eq!(
            p.diagnostics[0].help.as_deref(),
            Some("did you mean `interval_sound`?")
        );
        let p = check("title = \"t\"\n[[steps]]\nkind = \"bell\"\nsound = \"bowel\"\n");
        assert_eq!(
            p.diagnostics[0].help.as_deref(),
            Some("did you mean `bowl`?")
        );
        let p = check("title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = 3\ncycles = 4\n");
        assert!(p.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("belongs to `breathe`"));
    }

    #[test]
    fn bounds() {
        let src = "title = \"t\"\n[[steps]]\nkind = \"bell\"\nstrikes = 0\nvolume = 1.5\n[[steps]]\nkind = \"pause\"\nduration = \"25h\"\n[[steps]]\nkind = \"breathe\"\ncycles = 3\nduration = 60\n";
        assert_eq!(
            codes(src),
            vec![
                ("out-of-range", 4, 11),
                ("out-of-range", 5, 10),
                ("out-of-range", 8, 12),
                ("conflicting-fields", 12, 12)
            ]
        );
    }

    #[test]
    fn format_and_empty() {
        assert_eq!(
            codes("title = \"t\"\nformat = 2\nsteps = []\n"),
            vec![("unsupported-format", 2, 10), ("no-steps", 3, 9)]
        );
        assert_eq!(codes("title = \"t\"\n"), vec![("no-steps", 1, 1)]);
    }

    #[test]
    fn syntax_errors_are_located() {
        let c = codes("title = \"t\n[[steps]]\n");
        assert_eq!(c[0].0, "syntax");
        assert_eq!(c[0].1, 1);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let src = format!(
            "title = \"t\"\nx = {}{}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(codes(&src)[0].0, "too-deep");
        // Brackets inside strings do not count.
        let quoted = format!(
            "title = \"{}\"\n[[steps]]\nkind = \"bell\"\n",
            "[".repeat(200)
        );
        assert!(check(&quoted).diagnostics.is_empty());
    }

    #[test]
    fn files_are_resolved_and_recorded() {
        let p = check("title = \"t\"\n[ambience]\nsound = \"beds/sea.ogg\"\n[[steps]]\nkind = \"audio\"\nfile = \"talk.mp3\"\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let paths: Vec<_> = p.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            paths,
            vec![
                Path::new("/sessions/beds/sea.ogg"),
                Path::new("/sessions/talk.mp3")
            ]
        );
    }

    #[test]
    fn cue_and_bed_are_not_interchangeable() {
        let c = codes("title = \"t\"\n[ambience]\nsound = \"bowl\"\n[[steps]]\nkind = \"bell\"\nsound = \"rain\"\n");
        assert_eq!(c, vec![("wrong-sound", 3, 9), ("wrong-sound", 6, 9)]);
    }

    #[test]
    fn hold_forms() {
        let p = check("title = \"t\"\n[[steps]]\nkind = \"prompt\"\ntext = \"a b\"\nhold = \"key\"\n[[steps]]\nkind = \"prompt\"\ntext = \"a\"\nhold = 12\n[[steps]]\nkind = \"prompt\"\ntext = \"a\"\n");
        let s = p.session.unwrap();
        let holds: Vec<Hold> = s
            .steps
            .iter()
            .map(|st| match &st.kind {
                StepKind::Prompt(p) => p.hold,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            holds,
            vec![
                Hold::Key,
                Hold::For(Duration::from_secs(12)),
                Hold::Reading(Duration::from_secs(5))
            ]
        );
    }

    #[test]
    fn voice_settings_are_refused_wherever_they_are() {
        let src = "title = \"t\"\nvoice = \"x\"\n[ambience]\nsound = \"rain\"\ncommand = \"x\"\n\
                   [[steps]]\nkind = \"prompt\"\ntext = \"a\"\nvoice = [\"say\"]\n\
                   [[steps]]\nkind = \"pause\"\nduration = 3\nx = { y = [{ command = 1 }] }\n";
        assert_eq!(
            codes(src),
            vec![
                ("voice-in-script", 2, 1),
                ("voice-in-script", 5, 1),
                ("voice-in-script", 9, 1),
                ("unknown-key", 13, 1),
                ("voice-in-script", 13, 14),
            ]
        );
        // A recorded clip is still a file path, as before.
        let p =
            check("title = \"t\"\n[[steps]]\nkind = \"prompt\"\ntext = \"a\"\nvoice = \"a.wav\"\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn speak_is_a_flag_on_steps_with_words() {
        let p = check("title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = 3\nspeak = true\n[[steps]]\nkind = \"prompt\"\ntext = \"a\"\nspeak = false\n");
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].code, "unused-field");
        let s = p.session.unwrap();
        assert_eq!(
            (s.steps[0].speak, s.steps[1].speak),
            (Some(true), Some(false))
        );
        assert_eq!(
            codes("title = \"t\"\n[[steps]]\nkind = \"audio\"\nfile = \"a.wav\"\nspeak = true\n[[steps]]\nkind = \"bell\"\nspeak = \"yes\"\n"),
            vec![("unknown-key", 5, 1), ("wrong-type", 8, 9)]
        );
    }

    #[test]
    fn warnings_do_not_fail() {
        let p = check(
            "title = \"t\"\n[[steps]]\nkind = \"pause\"\nduration = \"1m\"\ninterval = \"2m\"\n",
        );
        assert_eq!(p.diagnostics.len(), 1);
        assert!(!p.has_errors());
        assert!(p.session.is_some());
    }
}
