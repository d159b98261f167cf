//! Reading one value of a script: a typed value, or a located problem recorded once.
//!
//! Each reader takes a table and a key, checks the value against the shape
//! the table's description gives the key (`fields.rs`), and either returns
//! it or pushes a diagnostic. Every string passes `string`, so no control
//! code or runaway text reaches the terminal or the voice.

use std::time::Duration;

use toml::de::DeValue;
use toml::Spanned;

use super::fields::Shape;
use super::suggest::{one_of, suggest, unknown_name};
use super::validate::{Cx, Table};
use super::walk::{self, type_error};
use super::FileRef;
use crate::diagnostic::{Code, Diagnostic};
use crate::session::{Gain, SoundRef, Theme};
use crate::synth::{BedSound, Cue};

/// A value read from a script, or the news that its problem has already
/// been reported (and the step it belongs to cannot be built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Checked<T> {
    Valid(T),
    Reported,
}

impl<T> Checked<T> {
    /// The value, or `None` to stop building with `?`.
    pub fn valid(self) -> Option<T> {
        match self {
            Checked::Valid(v) => Some(v),
            Checked::Reported => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Checked<U> {
        match self {
            Checked::Valid(v) => Checked::Valid(f(v)),
            Checked::Reported => Checked::Reported,
        }
    }
}

impl<T> From<Option<T>> for Checked<T> {
    fn from(v: Option<T>) -> Checked<T> {
        v.map_or(Checked::Reported, Checked::Valid)
    }
}

/// What a sound key needs: a short cue, or a bed to loop under the session.
#[derive(Clone, Copy)]
pub(super) enum SoundUse {
    Cue,
    Bed,
}

impl Cx<'_, '_> {
    /// Keep a walk helper's value, or record its problem.
    pub fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.push(d)).ok()
    }

    /// Every string in a script, checked once here: a script may come
    /// from a stranger, so no control character (ESC and the other C0 and
    /// C1 codes, DEL; newline and tab are text) is ever kept to reach the
    /// terminal, and no text is so long that it stalls playback or the
    /// voice. Either is an error, located at the value.
    pub fn string<'v>(&mut self, v: &'v Spanned<DeValue<'_>>, key: &str) -> Option<&'v str> {
        let r = walk::string(v, key);
        let s = self.ok(r)?;
        if let Some(c) = s.chars().find(|&c| is_forbidden_control(c)) {
            self.push(
                Diagnostic::error(
                    Code::ControlCharacter,
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
                    Code::TextTooLong,
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
    pub(crate) fn required_text(&mut self, t: &Table<'_, '_>, key: &str) -> Option<String> {
        t.shape(key, |s| s == Shape::Text);
        let Some(v) = t.get(key) else {
            self.missing(t, key, &format!("{key} = \"…\""));
            return None;
        };
        let s = self.string(v, key)?;
        if s.trim().is_empty() {
            self.push(
                Diagnostic::error(Code::EmptyText, format!("`{key}` is empty"))
                    .at(v.span())
                    .help(format!("write the {key}, or remove the step")),
            );
            return None;
        }
        Some(s.trim().to_owned())
    }

    pub(crate) fn optional_text(&mut self, t: &Table<'_, '_>, key: &str) -> Option<String> {
        t.shape(key, |s| s == Shape::Text);
        t.get(key)
            .and_then(|v| self.string(v, key))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    pub(crate) fn string_list(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Vec<String> {
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

    pub fn integer(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<i64> {
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.push(
                        Diagnostic::error(Code::OutOfRange, format!("`{key}` is far too large"))
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

    /// An optional count from 1 to the maximum its table gives.
    pub fn count(&mut self, t: &Table<'_, '_>, key: &str) -> Checked<Option<u32>> {
        let max = match t.shape(key, |s| matches!(s, Shape::Count { .. })) {
            Some(Shape::Count { max }) => max,
            _ => u32::MAX,
        };
        let Some(v) = t.get(key) else {
            return Checked::Valid(None);
        };
        let Some(n) = self.integer(v, key) else {
            return Checked::Reported;
        };
        if n < 1 || n > i64::from(max) {
            self.push(
                Diagnostic::error(Code::OutOfRange, format!("`{key}` must be from 1 to {max}"))
                    .at(v.span())
                    .label(format!("this is {n}"))
                    .help(format!("use a whole number from 1 to {max}")),
            );
            return Checked::Reported;
        }
        Checked::Valid(Some(n as u32))
    }

    pub fn volume(&mut self, t: &Table<'_, '_>, key: &str, default: Gain) -> Option<Gain> {
        t.shape(key, |s| s == Shape::Volume);
        let Some(v) = t.get(key) else {
            return Some(default);
        };
        let r = walk::gain(v, key);
        self.ok(r)
    }

    pub fn duration_value(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<Duration> {
        let r = walk::duration_value(self.source, v, key);
        self.ok(r)
    }

    pub(crate) fn required_duration(&mut self, t: &Table<'_, '_>, key: &str) -> Option<Duration> {
        t.shape(key, |s| s == Shape::Duration);
        match t.get(key) {
            Some(v) => self.duration_value(v, key),
            None => {
                self.missing(t, key, &format!("{key} = \"2m\""));
                None
            }
        }
    }

    /// An optional `true`/`false`.
    pub(crate) fn optional_flag(&mut self, t: &Table<'_, '_>, key: &str) -> Checked<Option<bool>> {
        t.shape(key, |s| s == Shape::Flag);
        match t.get(key) {
            None => Checked::Valid(None),
            Some(v) => {
                let r = walk::boolean(v, key);
                self.ok(r).map(Some).into()
            }
        }
    }

    /// A `true`/`false` that is false when absent; `None`: reported.
    pub fn flag(&mut self, t: &Table<'_, '_>, key: &str) -> Option<bool> {
        self.optional_flag(t, key)
            .map(|f| f.unwrap_or(false))
            .valid()
    }

    pub(crate) fn optional_duration(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
    ) -> Checked<Option<Duration>> {
        t.shape(key, |s| s == Shape::Duration);
        match t.get(key) {
            Some(v) => self.duration_value(v, key).map(Some).into(),
            None => Checked::Valid(None),
        }
    }

    /// An optional interval: a duration, or a range for random bells.
    pub(crate) fn optional_interval(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
    ) -> Checked<Option<crate::session::Interval>> {
        t.shape(key, |s| s == Shape::Interval);
        match t.get(key) {
            Some(v) => {
                let r = walk::interval_value(self.source, v, key);
                self.ok(r).map(Some).into()
            }
            None => Checked::Valid(None),
        }
    }

    pub fn theme(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Theme> {
        let name = self.string(v, "theme")?;
        match Theme::from_name(name) {
            Some(t) => Some(t),
            None => {
                let names: Vec<&str> = Theme::ALL.iter().map(|t| t.name()).collect();
                self.push(unknown_name(
                    Code::UnknownTheme,
                    "theme",
                    name,
                    &names,
                    v.span(),
                ));
                None
            }
        }
    }

    pub(crate) fn sound_or(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
        use_: SoundUse,
        default: SoundRef,
    ) -> Option<SoundRef> {
        match use_ {
            SoundUse::Cue => t.shape(key, |s| s == Shape::CueSound),
            SoundUse::Bed => t.shape(key, |s| s == Shape::BedSound),
        };
        match t.get(key) {
            Some(v) => self.sound(v, key, use_),
            None => Some(default),
        }
    }

    pub fn sound(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        key: &str,
        use_: SoundUse,
    ) -> Option<SoundRef> {
        let name = self.string(v, key)?;
        if SoundRef::looks_like_file(name) {
            return self.file_path(v, key).map(SoundRef::File);
        }
        let (wanted, other): (Vec<&str>, Vec<&str>) = match use_ {
            SoundUse::Cue => (
                Cue::ALL.iter().map(|c| c.name()).collect(),
                BedSound::ALL.iter().map(|b| b.name()).collect(),
            ),
            SoundUse::Bed => (
                BedSound::ALL.iter().map(|b| b.name()).collect(),
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
                Code::WrongSound,
                format!("`{name}` is {is}, but `{key}` needs {needs}"),
            )
            .at(v.span())
            .help(format!("use one of {}, or a sound file", one_of(&wanted)))
        } else {
            let d = Diagnostic::error(Code::UnknownSound, format!("unknown sound `{name}`"))
                .at(v.span())
                .label("not a built-in sound");
            suggest(d, name, wanted.iter().copied(), || {
                format!(
                    "use one of {}, or a file path such as \"sounds/{name}.ogg\"",
                    one_of(&wanted)
                )
            })
        };
        self.push(d);
        None
    }

    pub(crate) fn file_path(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Option<std::path::PathBuf> {
        let name = self.string(v, key)?;
        if name.trim().is_empty() {
            self.push(
                Diagnostic::error(Code::EmptyText, format!("`{key}` is empty"))
                    .at(v.span())
                    .help("give a path to an audio file, relative to this script"),
            );
            return None;
        }
        let path = self.origin.dir.join(name);
        self.files.push(FileRef {
            path: path.clone(),
            span: v.span(),
            file: None,
            notes: Vec::new(),
        });
        Some(path)
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
