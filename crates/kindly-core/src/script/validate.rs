//! The checker: walks the spanned TOML tree, reports every problem, builds the session.
//!
//! We walk `toml::de::DeTable` by hand rather than deriving `Deserialize`:
//! serde stops at the first error and internally tagged enums lose spans,
//! while a walk keeps exact positions and keeps going after a problem.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::fields::{Field, Shape};
use super::include::Includes;
use super::read::SoundUse;
use super::suggest::{closest, did_you_mean, one_of, suggest};
use super::{keys, kinds};
use super::{FileRef, Origin, Parsed, FORMAT};
use crate::diagnostic::{Code, Diagnostic};
use crate::session::{Ambience, Patterns, Session, Step};

use super::walk::{self, first_line, header_span, type_error, Span};

pub(super) fn run(
    source: &str,
    origin: &Origin<'_>,
    includes: &mut dyn Includes,
    patterns: &Patterns,
) -> Parsed {
    let mut cx = Cx::new(source, origin, patterns);
    let session = cx.document(includes);
    // The session's own problems first, then each included file's.
    cx.diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.file().map(|f| f.name.clone()),
                d.span.as_ref().map(|s| s.start),
            )
        };
        key(a).cmp(&key(b))
    });
    let failed = cx.diags.iter().any(Diagnostic::is_error);
    Parsed {
        session: if failed { None } else { session },
        diagnostics: cx.diags,
        files: cx.files,
        blocks_file: cx.blocks_file,
    }
}

/// The checker's state while it walks one script. Kinds read their
/// tables through its accessors (`kinds/`).
pub(super) struct Cx<'s, 'o> {
    /// The person's named breathing patterns (config.toml's `[patterns]`).
    pub patterns: &'o Patterns,
    pub source: &'s str,
    pub lines: crate::diagnostic::LineIndex<'s>,
    pub origin: &'o Origin<'o>,
    pub diags: Vec<Diagnostic>,
    pub files: Vec<FileRef>,
    /// The script is a file of blocks for sessions to include.
    pub blocks_file: bool,
}

/// A table's entries with the span of the table itself.
pub(super) struct Table<'t, 'i> {
    entries: &'t DeTable<'i>,
    /// Where to point when a required key is missing.
    pub anchor: Span,
    /// "the session", "`[ambience]`", "this `pause` step": for messages.
    what: String,
    /// The keys the table's description lists, when it has one (`[ambience]`
    /// and each kind's table): its values are read as these shapes.
    fields: &'static [Field],
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        debug_assert!(
            self.fields.is_empty()
                || keys::COMMON.contains(&key)
                || self.fields.iter().any(|f| f.key == key),
            "{} reads `{key}`, which its table does not list",
            self.what
        );
        self.entries.get(key)
    }

    /// The shape the table gives `key`, held to what the reader expects:
    /// a table that lists a key as one shape and reads it as another is a
    /// mistake in kindly, caught by the tests that read every key.
    pub fn shape(&self, key: &str, expected: fn(Shape) -> bool) -> Option<Shape> {
        let shape = self.fields.iter().find(|f| f.key == key).map(|f| f.shape);
        debug_assert!(
            self.fields.is_empty() || shape.is_some_and(expected),
            "{} reads `{key}` as another shape than its table lists",
            self.what
        );
        shape
    }
}

impl<'s, 'o> Cx<'s, 'o> {
    /// A checker for one file: the session's, or one it includes (`blocks`).
    pub(super) fn new(
        source: &'s str,
        origin: &'o Origin<'o>,
        patterns: &'o Patterns,
    ) -> Cx<'s, 'o> {
        Cx {
            patterns,
            source,
            lines: crate::diagnostic::LineIndex::new(source),
            origin,
            diags: Vec::new(),
            files: Vec::new(),
            blocks_file: false,
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn document(&mut self, includes: &mut dyn Includes) -> Option<Session> {
        let doc = match walk::parse_document(
            self.source,
            "fix the TOML syntax here; see docs/session-format.md for examples",
        ) {
            Ok(doc) => doc,
            Err(diags) => {
                for mut d in diags {
                    if d.code == Code::TooDeep {
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
        if super::blocks::is_blocks_file(doc.get_ref()) {
            self.blocks_file = true;
            super::blocks::check_blocks_file(self, doc.get_ref(), includes);
            return None;
        }
        let root = Table {
            entries: doc.get_ref(),
            anchor: first_line(self.source),
            what: "the session".into(),
            fields: &[],
        };
        self.refuse_voice_settings(doc.get_ref(), true);
        self.unknown_keys(&root, keys::TOP, None);

        if let Some(v) = root.get("format") {
            if let Some(n) = self.integer(v, "format") {
                if n != FORMAT {
                    self.push(
                        Diagnostic::error(
                            Code::UnsupportedFormat,
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
        let steps = self.steps(&root, includes);

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

    fn steps(&mut self, root: &Table<'_, '_>, includes: &mut dyn Includes) -> Option<Vec<Step>> {
        let Some(value) = root.get("steps") else {
            self.push(
                Diagnostic::error(Code::NoSteps, "the session has no steps")
                    .at(root.anchor.clone())
                    .help("add at least one step, for example:\n\n[[steps]]\nkind = \"bell\""),
            );
            return None;
        };
        let array = match value.get_ref() {
            DeValue::Array(a) => a,
            DeValue::Table(_) => {
                self.push(
                    Diagnostic::error(Code::WrongType, "`steps` must be a list of tables")
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
                Diagnostic::error(Code::NoSteps, "the session has no steps")
                    .at(value.span())
                    .help("add at least one step under a `[[steps]]` header"),
            );
            return None;
        }
        // Blocks and includes expand here; each step is checked by `step`.
        super::blocks::steps(self, root.entries, array, includes)
    }

    pub(super) fn step(&mut self, index: usize, item: &Spanned<DeValue<'_>>) -> Option<Step> {
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
            fields: &[],
        };
        let theme = table.get("theme").and_then(|v| self.theme(v));
        let names: Vec<&str> = kinds::ALL.iter().map(|k| k.name).collect();

        let Some(kind_value) = table.get("kind") else {
            self.push(
                Diagnostic::error(Code::MissingField, format!("step {number} has no `kind`"))
                    .at(table.anchor.clone())
                    .help(format!("add `kind = \"…\"`, one of {}", one_of(&names))),
            );
            // Without a kind, only keys that no kind has are certainly wrong.
            let every: Vec<&str> = kinds::ALL.iter().flat_map(|k| k.keys()).collect();
            self.unknown_keys(&table, &every, Some(ALL_STEP_KEYS));
            return None;
        };
        let name = self.string(kind_value, "kind")?;
        let Some(kind) = kinds::find(name) else {
            let d = Diagnostic::error(Code::UnknownKind, format!("unknown step kind `{name}`"))
                .at(kind_value.span())
                .label("not a step kind");
            self.push(suggest(d, name, names.iter().copied(), || {
                format!("use one of {}", one_of(&names))
            }));
            return None;
        };
        table.what = format!("this `{name}` step");
        table.fields = kind.fields;
        let keys: Vec<&str> = kind.keys().collect();
        self.unknown_keys(&table, &keys, Some(name));
        let speak = if kind.field("speak").is_some() {
            self.optional_flag(&table, "speak").valid()?
        } else {
            None
        };

        let kind = (kind.check)(self, &table)?;
        if speak == Some(true) && kind.text().is_none() {
            let span = table.get("speak").map(|v| v.span()).unwrap_or_default();
            self.push(
                Diagnostic::warning(Code::UnusedField, "`speak` has nothing to say here")
                    .at(span)
                    .label("this step has no `text`")
                    .help("add `text = \"…\"` with the words to speak, or remove `speak`"),
            );
        }
        Some(Step {
            kind,
            theme,
            line: Some(line),
            block: None,
            speak,
            spoken: None,
            prompt_cue: None,
            speech_pending: false,
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
            fields: keys::AMBIENCE,
        };
        let allowed: Vec<&str> = keys::AMBIENCE.iter().map(|f| f.key).collect();
        self.unknown_keys(&t, &allowed, None);
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
            fade: fade.valid()?.unwrap_or(Ambience::DEFAULT_FADE),
        })
    }

    // ----- keys -----

    /// Refuse, wherever it appears, anything that looks like an attempt to
    /// configure the voice. Nothing in a script could reach the voice
    /// command anyway (the checker has no such field); this is so that an
    /// author who tries is told why, and a reader of a shared script sees
    /// at once that it was refused. Depth is bounded by `too_deep`.
    pub(super) fn refuse_voice_settings(&mut self, table: &DeTable<'_>, top: bool) {
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            if refused_key(name, value.get_ref(), top) {
                let what = if name == "command" {
                    "a session script cannot name a command to run"
                } else {
                    "a session script cannot configure the voice"
                };
                self.push(
                    Diagnostic::error(Code::VoiceInScript, what)
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
                Code::UnknownKey,
                format!("unknown field `{name}` in {}", t.what),
            )
            .at(key.span())
            .label("not a field here");
            if let Some(help) = did_you_mean(name, candidates.iter().copied()) {
                d = d.help(help);
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

    pub fn missing(&mut self, t: &Table<'_, '_>, key: &str, example: &str) {
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
            Diagnostic::error(Code::MissingField, format!("{} needs `{key}`", t.what))
                .at(t.anchor.clone())
                .help(format!("add a line like `{example}`")),
        );
    }
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
    kinds::ALL
        .iter()
        .find(|k| k.name != kind && k.field(key).is_some())
        .map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Hold, StepKind};
    use std::path::Path;
    use std::time::Duration;

    fn check(source: &str) -> Parsed {
        run(
            source,
            &Origin {
                id: "t",
                dir: Path::new("/sessions"),
            },
            &mut super::super::include::NoIncludes,
            &Patterns::default(),
        )
    }

    fn codes(source: &str) -> Vec<(&'static str, usize, usize)> {
        check(source)
            .diagnostics
            .iter()
            .map(|d| {
                let p = crate::diagnostic::Position::of(source, d.span.clone().unwrap().start);
                (d.code.name(), p.line, p.column)
            })
            .collect()
    }

    const MINIMAL: &str = "title = \"t\"\n[[steps]]\nkind = \"bell\"\n";

    #[test]
    fn an_unknown_pattern_name_is_shown_how_to_keep_one() {
        let script = |pattern: &str| {
            format!("title = \"t\"\n[[steps]]\nkind = \"breathe\"\npattern = \"{pattern}\"\ncycles = 2\n")
        };
        let help = |pattern: &str| {
            let p = check(&script(pattern));
            assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
            assert_eq!(p.diagnostics[0].code.name(), "bad-pattern");
            p.diagnostics[0].help.clone().unwrap()
        };
        assert!(
            help("evening").ends_with("[patterns]\nevening = \"4-2-6-0\""),
            "{}",
            help("evening")
        );
        // Not a name config.toml could hold, so no such advice.
        assert!(!help("my calm").contains("[patterns]"));
        assert!(!help("4-x-8").contains("[patterns]"));
        // Near a built-in name, the nearest is offered instead.
        assert_eq!(help("boxx"), "did you mean `box`?");
    }

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
        assert_eq!(p.diagnostics[0].code, Code::UnusedField);
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
