//! `config.toml`: the user's own settings, checked like a session script.
//!
//! Pure: text in, `ConfigFile` and every problem out, located. The walk
//! reuses the script checker's helpers (`script::walk`), so a typo in the
//! config file reads exactly like a typo in a script: file:line:col, a
//! caret, and a did-you-mean.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic};
use crate::script::one_of;
use crate::script::walk::{self, type_error, Value};
use crate::session::{Gain, SoundRef};
use crate::synth::{BedSound, Cue};
use crate::voice::Wanted;

/// The keys at the top of `config.toml`.
pub(crate) const TOP: &[&str] = &[
    "volume",
    "ambience",
    "bell",
    "gate",
    "sessions",
    "allow",
    "show_streaks",
    "prompt_cue",
    "voice",
    "patterns",
    "presets",
];
/// The keys of its `[voice]` table.
pub(crate) const VOICE: &[&str] = &[
    "engine",
    "command",
    "model",
    "rate",
    "pause",
    "speak_prompts",
    "timeout",
];

/// `voice.rate` is a factor on the calm pace; outside this range speech is
/// either a drawl or a rush.
pub(crate) const RATE_RANGE: std::ops::RangeInclusive<f64> = 0.5..=2.0;

/// The longest pause between sentences, in the file.
pub(crate) const MAX_PAUSE: Duration = Duration::from_secs(5);

pub(crate) use crate::voice::PLACEHOLDER;

/// The longest a voice may take over one clip, in the file. Long enough
/// for a slow machine and a long prompt; short enough that a hung program
/// is noticed.
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// What the file says; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ConfigFile {
    pub volume: Option<Gain>,
    /// A built-in bed, `none`, or a sound file (made absolute).
    pub ambience: Option<String>,
    pub bell: Option<Cue>,
    pub gate: Option<Duration>,
    /// Made absolute against the file's folder; `~/` is the home folder.
    pub sessions: Vec<PathBuf>,
    /// Folders any script may read sounds from, besides its own folder.
    pub allow: Vec<PathBuf>,
    pub show_streaks: Option<bool>,
    pub prompt_cue: Option<PromptCue>,
    pub voice: Option<VoiceFile>,
    /// `[patterns]`: the person's own breathing patterns.
    pub patterns: crate::session::Patterns,
    /// `[presets.NAME]`, by name.
    pub presets: Vec<super::presets::Preset>,
}

/// What marks a prompt that is not spoken.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PromptCue {
    /// The built-in `notice` cue, made for it.
    Auto,
    None,
    Sound(SoundRef),
}

impl PromptCue {
    /// `auto`, `none`, a built-in cue's name, or a sound file. `None` for
    /// anything else.
    pub(crate) fn parse(text: &str, resolve: impl Fn(&str) -> PathBuf) -> Option<PromptCue> {
        let text = text.trim();
        match text {
            "auto" => Some(PromptCue::Auto),
            "none" | "off" => Some(PromptCue::None),
            _ => match Cue::from_name(text) {
                Some(c) => Some(PromptCue::Sound(SoundRef::Cue(c))),
                None if SoundRef::looks_like_file(text) => {
                    Some(PromptCue::Sound(SoundRef::File(resolve(text))))
                }
                None => None,
            },
        }
    }

    /// The sound it plays, if any.
    pub(crate) fn sound(&self) -> Option<SoundRef> {
        match self {
            PromptCue::Auto => Some(SoundRef::Cue(Cue::Notice)),
            PromptCue::None => None,
            PromptCue::Sound(s) => Some(s.clone()),
        }
    }
}

/// The `[voice]` table. Every key may be left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct VoiceFile {
    /// `auto`, `off`, or an engine's name.
    pub engine: Option<Wanted>,
    /// A person's own program; wins when `engine` is not written.
    pub command: Option<Vec<String>>,
    /// piper's voice model (made absolute).
    pub model: Option<PathBuf>,
    pub rate: Option<f64>,
    pub pause: Option<Duration>,
    pub speak_prompts: Option<bool>,
    pub timeout: Option<Duration>,
}

/// Where relative paths in the file lead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Base<'a> {
    /// The folder holding the file.
    pub dir: &'a Path,
    /// The home folder, for `~/`.
    pub home: Option<&'a Path>,
}

impl Base<'_> {
    fn resolve(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => self.dir.join(path),
        }
    }
}

const SYNTAX_HELP: &str =
    "fix the TOML syntax here; `kindly config` explains each setting, and the README has an example";

/// Check `source` and read the settings it gives. Settings with problems
/// are left out; the caller refuses the file when any problem is an error.
pub(crate) fn parse(source: &str, base: Base<'_>) -> (ConfigFile, Vec<Diagnostic>) {
    let mut cx = Cx {
        source,
        base,
        diags: Vec::new(),
    };
    let file = match walk::parse_document(source, SYNTAX_HELP) {
        Ok(doc) => cx.document(doc.get_ref()),
        Err(diags) => {
            cx.diags = diags;
            ConfigFile::default()
        }
    };
    cx.diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
    (file, cx.diags)
}

struct Cx<'s, 'b> {
    source: &'s str,
    base: Base<'b>,
    diags: Vec<Diagnostic>,
}

/// An unknown name in the file: located, labelled, with a did-you-mean
/// from `candidates` when one is close, else `otherwise`.
fn unknown_name<'a>(
    code: Code,
    message: String,
    span: std::ops::Range<usize>,
    label: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: String,
) -> Diagnostic {
    let d = Diagnostic::error(code, message).at(span).label(label);
    crate::script::suggest(d, name, candidates, || otherwise)
}

impl Cx<'_, '_> {
    fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.diags.push(d)).ok()
    }

    fn document(&mut self, doc: &DeTable<'_>) -> ConfigFile {
        for (key, _) in doc.iter() {
            let name: &str = key.get_ref();
            if !TOP.contains(&name) {
                let d = walk::unknown_key(name, key.span(), "the config file", TOP);
                self.diags.push(d);
            }
        }
        let mut file = ConfigFile::default();
        if let Some(v) = doc.get("volume") {
            file.volume = self.ok(walk::gain(v, "volume"));
        }
        if let Some(v) = doc.get("ambience") {
            file.ambience = self.ambience(v);
        }
        if let Some(v) = doc.get("bell") {
            file.bell = self.bell(v);
        }
        if let Some(v) = doc.get("gate") {
            file.gate = self.ok(walk::duration_value(self.source, v, "gate"));
        }
        if let Some(v) = doc.get("sessions") {
            file.sessions = self.folders(v, "sessions", "~/meditations");
        }
        if let Some(v) = doc.get("allow") {
            file.allow = self.folders(v, "allow", "~/Music");
        }
        if let Some(v) = doc.get("show_streaks") {
            file.show_streaks = self.ok(walk::boolean(v, "show_streaks"));
        }
        if let Some(v) = doc.get("prompt_cue") {
            file.prompt_cue = self.prompt_cue(v);
        }
        if let Some(v) = doc.get("voice") {
            file.voice = self.voice(v);
        }
        if let Some(v) = doc.get("patterns") {
            file.patterns = super::presets::patterns(v, &mut self.diags);
        }
        if let Some(v) = doc.get("presets") {
            let cx = super::presets::Context {
                source: self.source,
                patterns: &file.patterns,
            };
            // A preset's ambience is checked as the top-level one is.
            let mut diags = std::mem::take(&mut self.diags);
            file.presets = super::presets::presets(&cx, v, &mut diags, |v, diags| {
                let mut inner = Cx {
                    source: self.source,
                    base: self.base,
                    diags: Vec::new(),
                };
                let a = inner.ambience(v);
                diags.append(&mut inner.diags);
                a
            });
            self.diags = diags;
        }
        file
    }

    fn prompt_cue(&mut self, v: &Value<'_>) -> Option<PromptCue> {
        let name = self.ok(walk::string(v, "prompt_cue"))?;
        let base = self.base;
        if let Some(c) = PromptCue::parse(name, |p| base.resolve(p)) {
            return Some(c);
        }
        let cues: Vec<&str> = Cue::ALL.iter().map(|c| c.name()).collect();
        let name = name.trim();
        self.diags.push(unknown_name(
            Code::UnknownSound,
            format!("unknown prompt cue `{name}`"),
            v.span(),
            "not a built-in cue",
            name,
            cues.iter().copied().chain(["auto", "none"]),
            format!(
                "use \"auto\" (a soft tone made for it), \"none\", one of {}, or a sound file",
                one_of(&cues)
            ),
        ));
        None
    }

    fn engine(&mut self, v: &Value<'_>) -> Option<Wanted> {
        let name = self.ok(walk::string(v, "engine"))?.trim();
        if let Some(w) = Wanted::parse(name) {
            return Some(w);
        }
        let names = Wanted::names();
        self.diags.push(unknown_name(
            Code::UnknownEngine,
            format!("unknown voice engine `{name}`"),
            v.span(),
            "not an engine kindly knows",
            name,
            names.iter().copied(),
            format!(
                "use one of {}; for another program, set `command` instead",
                one_of(&names)
            ),
        ));
        None
    }

    fn ambience(&mut self, v: &Value<'_>) -> Option<String> {
        let name = self.ok(walk::string(v, "ambience"))?.trim();
        if name == "none" || BedSound::from_name(name).is_some() {
            return Some(name.to_owned());
        }
        if SoundRef::looks_like_file(name) {
            return Some(self.base.resolve(name).display().to_string());
        }
        let beds: Vec<&str> = BedSound::ALL.iter().map(|b| b.name()).collect();
        self.diags.push(unknown_name(
            Code::UnknownSound,
            format!("unknown ambience `{name}`"),
            v.span(),
            "not a built-in bed",
            name,
            beds.iter().copied().chain(["none"]),
            format!(
                "use one of {}, `none`, or a sound file such as \"~/sounds/stream.ogg\"",
                one_of(&beds)
            ),
        ));
        None
    }

    fn bell(&mut self, v: &Value<'_>) -> Option<Cue> {
        let name = self.ok(walk::string(v, "bell"))?.trim();
        if let Some(c) = Cue::from_name(name) {
            return Some(c);
        }
        let cues: Vec<&str> = Cue::ALL.iter().map(|c| c.name()).collect();
        self.diags.push(unknown_name(
            Code::UnknownSound,
            format!("unknown bell `{name}`"),
            v.span(),
            "not a built-in cue",
            name,
            cues.iter().copied(),
            format!("use one of {}", one_of(&cues)),
        ));
        None
    }

    fn folders(&mut self, v: &Value<'_>, key: &str, example: &str) -> Vec<PathBuf> {
        let DeValue::Array(items) = v.get_ref() else {
            let d = type_error(key, "a list of folders", v.get_ref(), v.span())
                .help(format!("write a list, like `{key} = [\"{example}\"]`"));
            self.diags.push(d);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let Some(s) = self.ok(walk::string(item, key)) else {
                continue;
            };
            if s.trim().is_empty() {
                self.diags.push(
                    Diagnostic::error(Code::EmptyText, "an empty folder name")
                        .at(item.span())
                        .help("name a folder, or remove the empty string"),
                );
                continue;
            }
            out.push(self.base.resolve(s.trim()));
        }
        out
    }

    fn voice(&mut self, v: &Value<'_>) -> Option<VoiceFile> {
        let DeValue::Table(t) = v.get_ref() else {
            let d = type_error("voice", "a table", v.get_ref(), v.span()).help(
                "write it as a table:\n\n[voice]\ncommand = [\"espeak-ng\", \"--stdout\", \"{text}\"]",
            );
            self.diags.push(d);
            return None;
        };
        for (key, _) in t.iter() {
            let name: &str = key.get_ref();
            if !VOICE.contains(&name) {
                let d = walk::unknown_key(name, key.span(), "`[voice]`", VOICE);
                self.diags.push(d);
            }
        }
        let mut file = VoiceFile::default();
        if let Some(v) = t.get("speak_prompts") {
            file.speak_prompts = Some(self.ok(walk::boolean(v, "speak_prompts"))?);
        }
        if let Some(v) = t.get("timeout") {
            file.timeout = Some(self.timeout(v)?);
        }
        if let Some(v) = t.get("engine") {
            file.engine = Some(self.engine(v)?);
        }
        if let Some(v) = t.get("command") {
            file.command = Some(self.command(v)?);
        }
        if let Some(v) = t.get("model") {
            let m = self.ok(walk::string(v, "model"))?;
            file.model = Some(self.base.resolve(m.trim()));
        }
        if let Some(v) = t.get("rate") {
            let r = self.ok(walk::number(v, "rate", "a number"))?;
            if !RATE_RANGE.contains(&r) {
                self.diags.push(
                    Diagnostic::error(Code::OutOfRange, format!("`rate` {r} is out of range"))
                        .at(v.span())
                        .help("give a factor from 0.5 to 2 on kindly's calm pace: 0.9 is a little slower, 1.2 a little quicker"),
                );
                return None;
            }
            file.rate = Some(r);
        }
        if let Some(v) = t.get("pause") {
            let d = self.ok(walk::duration_value(self.source, v, "pause"))?;
            if d > MAX_PAUSE {
                self.diags.push(
                    Diagnostic::error(Code::OutOfRange, "`pause` is longer than 5 seconds")
                        .at(v.span())
                        .help("this is the silence between sentences; try \"0.8s\""),
                );
                return None;
            }
            file.pause = Some(d);
        }
        if let (Some(Wanted::Engine(_) | Wanted::Auto), Some(_), Some(span)) = (
            &file.engine,
            &file.command,
            t.get("command").map(|c| c.span()),
        ) {
            self.diags.push(
                Diagnostic::error(Code::Conflict, "`[voice]` has both `engine` and `command`")
                    .at(span)
                    .label("which program should speak?")
                    .help("keep `engine` to use a voice kindly knows, or `command` for a program of your own"),
            );
            return None;
        }
        Some(file)
    }

    fn timeout(&mut self, v: &Value<'_>) -> Option<Duration> {
        let d = self.ok(walk::duration_value(self.source, v, "timeout"))?;
        if d > MAX_TIMEOUT {
            self.diags.push(
                Diagnostic::error(Code::OutOfRange, "`timeout` is longer than 10 minutes")
                    .at(v.span())
                    .help("a clip that takes longer is almost surely stuck; try \"60s\""),
            );
            return None;
        }
        Some(d)
    }

    /// The argv template. The program comes from the user alone: `{text}`
    /// may fill arguments but never the program's name.
    fn command(&mut self, v: &Value<'_>) -> Option<Vec<String>> {
        let example = format!("command = [\"espeak-ng\", \"--stdout\", \"{PLACEHOLDER}\"]");
        let DeValue::Array(items) = v.get_ref() else {
            let mut d = type_error("command", "a list of strings", v.get_ref(), v.span());
            d = if matches!(v.get_ref(), DeValue::String(_)) {
                d.help(format!(
                    "kindly runs the program directly, never through a shell, so give the program and each argument as its own string: `{example}`"
                ))
            } else {
                d.help(format!("write it like `{example}`"))
            };
            self.diags.push(d);
            return None;
        };
        let mut argv = Vec::with_capacity(items.len());
        for item in items.iter() {
            argv.push(self.ok(walk::string(item, "command"))?.to_owned());
        }
        let Some(program) = argv.first() else {
            self.diags.push(
                Diagnostic::error(Code::EmptyText, "`command` is empty")
                    .at(v.span())
                    .help(format!("name the program and its arguments: `{example}`")),
            );
            return None;
        };
        if program.trim().is_empty() || program.contains(PLACEHOLDER) {
            let span = items.first().map_or(v.span(), |i| i.span());
            self.diags.push(
                Diagnostic::error(
                    Code::BadCommand,
                    "the first item of `command` must name a program",
                )
                .at(span)
                .label(if program.contains(PLACEHOLDER) {
                    "the words can never choose the program"
                } else {
                    "empty"
                })
                .help(format!("start with the program, like `{example}`")),
            );
            return None;
        }
        if !argv.iter().any(|a| a.contains(PLACEHOLDER)) {
            self.diags.push(
                Diagnostic::error(Code::BadCommand, format!("`command` never uses {PLACEHOLDER}"))
                    .at(v.span())
                    .label("the words would not reach the program")
                    .help(format!(
                        "put \"{PLACEHOLDER}\" where the words go; it is passed as one argument: `{example}`"
                    )),
            );
            return None;
        }
        Some(argv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn parse_at(source: &str) -> (ConfigFile, Vec<Diagnostic>) {
        parse(
            source,
            Base {
                dir: Path::new("/cfg"),
                home: Some(Path::new("/home/u")),
            },
        )
    }

    fn codes(source: &str) -> Vec<(&'static str, usize, usize)> {
        parse_at(source)
            .1
            .iter()
            .map(|d| {
                let p = Position::of(source, d.span.clone().unwrap_or(0..0).start);
                (d.code.name(), p.line, p.column)
            })
            .collect()
    }

    #[test]
    fn a_full_file() {
        let (f, d) = parse_at(
            "volume = 0.5\nambience = \"rain\"\nbell = \"gong\"\ngate = \"30s\"\n\
             sessions = [\"~/med\", \"more\"]\nshow_streaks = false\n\
             [voice]\ncommand = [\"espeak-ng\", \"--stdout\", \"{text}\"]\nspeak_prompts = false\ntimeout = 30\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.volume, Gain::new(0.5));
        assert_eq!(f.ambience.as_deref(), Some("rain"));
        assert_eq!(f.bell, Some(Cue::Gong));
        assert_eq!(f.gate, Some(Duration::from_secs(30)));
        assert_eq!(
            f.sessions,
            vec![PathBuf::from("/home/u/med"), PathBuf::from("/cfg/more")]
        );
        assert_eq!(f.show_streaks, Some(false));
        let v = f.voice.unwrap();
        assert_eq!(v.command.unwrap(), ["espeak-ng", "--stdout", "{text}"]);
        assert_eq!(v.speak_prompts, Some(false));
        assert_eq!(v.timeout, Some(Duration::from_secs(30)));
    }

    #[test]
    fn empty_is_all_defaults() {
        assert_eq!(parse_at(""), (ConfigFile::default(), vec![]));
    }

    #[test]
    fn problems_are_located_with_suggestions() {
        let src = "volum = 0.5\nambience = \"rian\"\nbell = \"bowel\"\n[voice]\ncomand = []\n";
        assert_eq!(
            codes(src),
            vec![
                ("unknown-key", 1, 1),
                ("unknown-sound", 2, 12),
                ("unknown-sound", 3, 8),
                ("unknown-key", 5, 1),
            ]
        );
        let (_, d) = parse_at(src);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `volume`?"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean `rain`?"));
        assert_eq!(d[2].help.as_deref(), Some("did you mean `bowl`?"));
    }

    #[test]
    fn engines_rates_pauses_and_the_prompt_cue() {
        let (f, d) = parse_at(
            "prompt_cue = \"chime\"\n[voice]\nengine = \"festival\"\nrate = 0.9\npause = \"1.2s\"\nmodel = \"~/v/en.onnx\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            f.prompt_cue,
            Some(PromptCue::Sound(SoundRef::Cue(Cue::Chime)))
        );
        let v = f.voice.unwrap();
        assert_eq!(
            v.engine,
            Some(Wanted::Engine(crate::voice::Engine::Festival))
        );
        assert_eq!(v.rate, Some(0.9));
        assert_eq!(v.pause, Some(Duration::from_millis(1200)));
        assert_eq!(v.model, Some(PathBuf::from("/home/u/v/en.onnx")));
        assert_eq!(
            parse_at("[voice]\nengine = \"off\"\n")
                .0
                .voice
                .unwrap()
                .engine,
            Some(Wanted::Off)
        );
        let cases = [
            (
                "[voice]\nengine = \"festivl\"\n",
                "unknown-engine",
                Some("did you mean `festival`?"),
            ),
            ("[voice]\nrate = 3\n", "out-of-range", None),
            ("[voice]\npause = \"9s\"\n", "out-of-range", None),
            (
                "prompt_cue = \"bowel\"\n",
                "unknown-sound",
                Some("did you mean `bowl`?"),
            ),
            (
                "[voice]\nengine = \"flite\"\ncommand = [\"say\", \"{text}\"]\n",
                "conflict",
                None,
            ),
        ];
        for (src, code, help) in cases {
            let (_, d) = parse_at(src);
            assert_eq!(d.len(), 1, "{src}: {d:?}");
            assert_eq!(d[0].code.name(), code, "{src}");
            if help.is_some() {
                assert_eq!(d[0].help.as_deref(), help, "{src}");
            }
        }
    }

    #[test]
    fn commands_are_argv_lists_with_the_placeholder() {
        let cases = [
            ("[voice]\ncommand = \"espeak-ng {text}\"\n", "wrong-type"),
            ("[voice]\ncommand = []\n", "empty-text"),
            ("[voice]\ncommand = [\"{text}\"]\n", "bad-command"),
            (
                "[voice]\ncommand = [\"espeak-ng\", \"hi\"]\n",
                "bad-command",
            ),
            ("[voice]\ncommand = [\"say\", 3]\n", "wrong-type"),
            (
                "[voice]\ncommand = [\"say\", \"{text}\"]\ntimeout = \"1h\"\n",
                "out-of-range",
            ),
            ("voice = \"espeak\"\n", "wrong-type"),
        ];
        for (src, code) in cases {
            let (f, d) = parse_at(src);
            assert_eq!(d.len(), 1, "{src}: {d:?}");
            assert_eq!(d[0].code.name(), code, "{src}");
            assert!(f.voice.is_none());
        }
        let (_, d) = parse_at("[voice]\ncommand = \"espeak-ng {text}\"\n");
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .contains("never through a shell"));
    }

    const FULL: &str = "volume = 0.5\nambience = \"rain\"\nbell = \"gong\"\ngate = \"30s\"\n\
        sessions = [\"~/med\"]\nshow_streaks = false\n\
        [voice]\ncommand = [\"espeak-ng\", \"{text}\"]\nspeak_prompts = false\ntimeout = 30\n";

    proptest::proptest! {
        /// Any edit of a full config file, or any jumble of its pieces,
        /// gives settings and diagnostics, never a panic, and every
        /// diagnostic renders.
        #[test]
        fn never_panics(
            at in 0usize..400,
            cut in 0usize..40,
            insert in proptest::sample::select(vec![
                "[", "]", "{", "}", "=", "\"", "'", ",", "\n", "[voice]", "command", "{text}",
                "1e400", "-1", "nan", "\u{e9}", "[[voice]]", "volume = ", "true",
            ]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["volume", "=", "[voice]", "\n", "\"", "[", "]", "command", "0.5", "gate", "\"1h\""]),
                0..40,
            ),
        ) {
            let mut text = FULL.to_owned();
            let mut i = at.min(text.len());
            while !text.is_char_boundary(i) { i -= 1; }
            let mut j = (i + cut).min(text.len());
            while !text.is_char_boundary(j) { j -= 1; }
            text.replace_range(i..j, insert);
            for source in [text, parts.concat()] {
                let (_, diags) = parse_at(&source);
                let report = crate::diagnostic::Report { path: "c.toml", source: &source, diagnostics: &diags };
                let _ = report.render(false);
                let _ = report.json();
            }
        }
    }

    #[test]
    fn syntax_errors_are_located() {
        let c = codes("volume = \n");
        assert_eq!(c[0].0, "syntax");
        assert_eq!(c[0].1, 1);
    }
}
