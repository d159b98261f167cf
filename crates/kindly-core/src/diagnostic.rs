//! Located diagnostics: what is wrong, where, and what to do, for scripts and config files.
//!
//! A `Diagnostic` holds a byte span into its source. `Report` pairs a list
//! of them with the file they came from and renders them in the style of
//! rustc and just (a `-->` line, the source line, a caret), or as JSON for
//! editors and CI.

use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic is. Its kebab-case name (`name`) is
/// stable: people search for it, and `check --format json` prints it for
/// tools, so a variant may be added but a name never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// The file is not valid TOML.
    Syntax,
    /// Arrays or tables nested past what any real file needs.
    TooDeep,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// A `format` version this build does not read.
    UnsupportedFormat,
    /// A key that the table does not have.
    UnknownKey,
    /// A step `kind` that does not exist.
    UnknownKind,
    /// A sound name that is neither built in nor a file.
    UnknownSound,
    /// A `theme` that does not exist.
    UnknownTheme,
    /// A breath `cue` that does not exist.
    UnknownCue,
    /// A voice engine kindly does not know.
    UnknownEngine,
    /// A value of the wrong TOML type.
    WrongType,
    /// A bed where a cue belongs, or a cue where a bed belongs.
    WrongSound,
    /// A number or duration outside what the key allows.
    OutOfRange,
    /// Text that is not a duration.
    BadDuration,
    /// Text that is not a breathing pattern.
    BadPattern,
    /// A voice command that could not work.
    BadCommand,
    /// A sound file that cannot be played.
    BadAudio,
    /// Text, a path or a command with nothing in it.
    EmptyText,
    /// Text holding a terminal control code.
    ControlCharacter,
    /// Text longer than any step needs.
    TextTooLong,
    /// A key the table needs is absent.
    MissingField,
    /// A session without steps.
    NoSteps,
    /// Two keys of a step that cannot both be given.
    ConflictingFields,
    /// Two settings of the config file that cannot both be given.
    Conflict,
    /// A key that has no effect where it is.
    UnusedField,
    /// An interval bell that can never ring.
    IntervalTooLong,
    /// A script trying to configure the voice or name a command.
    VoiceInScript,
    /// A path that leaves the script's folder and the allowed ones.
    OutsideFolder,
    /// A block name that cannot be used.
    BadBlockName,
    /// A `use` of a block that does not exist.
    UnknownBlock,
    /// A block no step uses.
    UnusedBlock,
    /// A block that uses itself, directly or through others.
    BlockCycle,
    /// Blocks nested past the limit.
    BlocksTooDeep,
    /// A block name defined twice.
    DuplicateBlock,
    /// Files that include each other in a circle.
    IncludeCycle,
    /// An included file that does not exist.
    IncludeNotFound,
    /// An include that leaves the folders a script may read.
    IncludeOutside,
    /// Includes nested past the limit.
    IncludeTooDeep,
    /// An included file that cannot be read.
    IncludeUnavailable,
    /// More included files than the limit.
    TooManyIncludes,
    /// More steps after expansion than the limit.
    TooManySteps,
    /// An include that names a folder, a pipe or a device.
    IncludeNotAFile,
    /// An included file larger than the limit.
    IncludeTooLarge,
    /// An included file that could not be read.
    IncludeUnreadable,
    /// Text that is not an interval or a range of them.
    BadInterval,
    /// A name a preset or pattern cannot have.
    BadName,
    /// A person's name that hides one of kindly's own.
    ShadowedName,
}

impl Code {
    pub fn name(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::TooDeep => "too-deep",
            Code::NotUtf8 => "not-utf8",
            Code::UnsupportedFormat => "unsupported-format",
            Code::UnknownKey => "unknown-key",
            Code::UnknownKind => "unknown-kind",
            Code::UnknownSound => "unknown-sound",
            Code::UnknownTheme => "unknown-theme",
            Code::UnknownCue => "unknown-cue",
            Code::UnknownEngine => "unknown-engine",
            Code::WrongType => "wrong-type",
            Code::WrongSound => "wrong-sound",
            Code::OutOfRange => "out-of-range",
            Code::BadDuration => "bad-duration",
            Code::BadPattern => "bad-pattern",
            Code::BadCommand => "bad-command",
            Code::BadAudio => "bad-audio",
            Code::EmptyText => "empty-text",
            Code::ControlCharacter => "control-character",
            Code::TextTooLong => "text-too-long",
            Code::MissingField => "missing-field",
            Code::NoSteps => "no-steps",
            Code::ConflictingFields => "conflicting-fields",
            Code::Conflict => "conflict",
            Code::UnusedField => "unused-field",
            Code::IntervalTooLong => "interval-too-long",
            Code::VoiceInScript => "voice-in-script",
            Code::OutsideFolder => "outside-folder",
            Code::BadBlockName => "bad-block-name",
            Code::UnknownBlock => "unknown-block",
            Code::UnusedBlock => "unused-block",
            Code::BlockCycle => "block-cycle",
            Code::BlocksTooDeep => "blocks-too-deep",
            Code::DuplicateBlock => "duplicate-block",
            Code::IncludeCycle => "include-cycle",
            Code::IncludeNotFound => "include-not-found",
            Code::IncludeOutside => "include-outside",
            Code::IncludeTooDeep => "include-too-deep",
            Code::IncludeUnavailable => "include-unavailable",
            Code::TooManyIncludes => "too-many-includes",
            Code::TooManySteps => "too-many-steps",
            Code::IncludeNotAFile => "include-not-a-file",
            Code::IncludeTooLarge => "include-too-large",
            Code::IncludeUnreadable => "include-unreadable",
            Code::BadInterval => "bad-interval",
            Code::BadName => "bad-name",
            Code::ShadowedName => "shadowed-name",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem this is, for tools and tests.
    pub code: Code,
    pub message: String,
    /// Byte range in the source. `None` for problems with no place, such as
    /// a file that cannot be read.
    pub span: Option<Range<usize>>,
    /// A short note under the caret (boxed: a `Diagnostic` is returned by
    /// value everywhere, so it is kept small).
    pub label: Option<Box<str>>,
    /// What to do about it.
    pub help: Option<String>,
    /// Where else the diagnostic points, when it does: boxed, as most
    /// diagnostics are about the report's own file.
    pub elsewhere: Option<Box<Elsewhere>>,
}

/// The other file a diagnostic is in, and the notes under it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Elsewhere {
    /// The file the span points into, when it is not the report's own: a
    /// file the script included.
    pub file: Option<Arc<SourceFile>>,
    /// More places to look, each with its own location: which line of the
    /// including file brought an included file in.
    pub notes: Vec<Note>,
}

/// A file a diagnostic can point into other than the one being reported:
/// its name as messages say it, and its text, to show the line.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// A located remark under a diagnostic, such as "included here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    /// `None`: the report's own file.
    pub file: Option<Arc<SourceFile>>,
    pub span: Range<usize>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            elsewhere: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, span: Range<usize>) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into().into_boxed_str());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Say that the span points into `file`, unless it already points
    /// into another (a problem found deeper in an include chain).
    pub(crate) fn in_file(mut self, file: &Arc<SourceFile>) -> Diagnostic {
        if self.file().is_none() {
            self.elsewhere.get_or_insert_default().file = Some(Arc::clone(file));
        }
        self
    }

    pub fn note(mut self, note: Note) -> Diagnostic {
        self.elsewhere.get_or_insert_default().notes.push(note);
        self
    }

    /// The file the span points into; `None`: the report's own.
    pub fn file(&self) -> Option<&Arc<SourceFile>> {
        self.elsewhere.as_ref().and_then(|e| e.file.as_ref())
    }

    pub fn notes(&self) -> &[Note] {
        self.elsewhere.as_ref().map_or(&[], |e| &e.notes)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and column (in characters), as editors count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `source`. Offsets past the end or
    /// inside a character are clamped, so a bad span can never panic.
    pub fn of(source: &str, offset: usize) -> Position {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: source[line_start..offset].chars().count() + 1,
        }
    }
}

/// Line starts of a source, built once, so that locating many diagnostics
/// in a large file costs a binary search each rather than a rescan.
pub struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
    /// The last position asked for (offset, column): diagnostics come in
    /// source order, so the next column on a long line is counted on from
    /// there, not from the line's start. Without it, thousands of problems
    /// on one 1 MB line cost a rescan of the line each.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            source,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// Same answer as `Position::of`, in O(log lines + line length).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let (last, last_column) = self.last.get();
        let column = if (start..=offset).contains(&last) {
            last_column + self.source[last..offset].chars().count()
        } else {
            self.source[start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        Position { line, column }
    }

    /// The 1-based line that byte `offset` is on.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where 1-based `line` starts.
    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.starts[line.clamp(1, self.starts.len()) - 1]
    }
}

/// The diagnostics of one file, ready to show.
pub struct Report<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    severity: Severity,
    code: Code,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: Option<&'a str>,
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<JsonNote<'a>>,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

impl Report<'_> {
    /// The name and text of the file `file` names, or the report's own.
    fn file_of<'f>(&'f self, file: Option<&'f Arc<SourceFile>>) -> (&'f str, &'f str) {
        match file {
            Some(f) => (f.name.as_str(), f.text.as_str()),
            None => (self.path, self.source),
        }
    }

    /// Human-readable text; `color` adds ANSI styling.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        let index = LineIndex::new(self.source);
        // Included files are few and small; each is indexed when first met.
        let mut others: Vec<(Arc<SourceFile>, LineIndex<'_>)> = Vec::new();
        let mut out = String::new();
        for d in self.diagnostics {
            let mut indexes = Vec::new();
            for file in std::iter::once(d.file()).chain(d.notes().iter().map(|n| n.file.as_ref())) {
                let i = file.map(
                    |f| match others.iter().position(|(o, _)| Arc::ptr_eq(o, f)) {
                        Some(i) => i,
                        None => {
                            // Borrowed from the diagnostic's own `Arc`, which
                            // lives as long as the report.
                            others.push((Arc::clone(f), LineIndex::new(&f.text)));
                            others.len() - 1
                        }
                    },
                );
                indexes.push(i);
            }
            let pick = |i: Option<usize>| i.map_or(&index, |i| &others[i].1);
            let (groups, cut) = self.groups(d, pick(indexes[0]), |n| pick(indexes[n + 1]));
            let mut text = renderer.render(&groups);
            if let (Some(cut), Some(span)) = (cut, &d.span) {
                // The excerpt of a long line starts mid-line, so the
                // renderer counted the column from the cut: put the true one.
                let path = self.file_of(d.file()).0;
                let at = pick(indexes[0]).position(span.start);
                let wrong = format!("{}:{}:{}", path, at.line, cut + 1);
                let right = format!("{}:{}:{}", path, at.line, at.column);
                text = text.replacen(&wrong, &right, 1);
            }
            out.push_str(&text);
            out.push_str("\n\n");
        }
        out
    }

    /// The renderer's groups for `d`, and, when its line was cut, the
    /// 0-based column of the span in the cut excerpt. `note_index(n)` is
    /// the line index of note `n`'s file.
    fn groups<'d>(
        &'d self,
        d: &'d Diagnostic,
        index: &LineIndex<'_>,
        note_index: impl Fn(usize) -> &'d LineIndex<'d>,
    ) -> (Vec<Group<'d>>, Option<usize>) {
        let mut cut = None;
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str());
        let (path, source) = self.file_of(d.file());
        let mut groups = Vec::new();
        match &d.span {
            Some(span) => {
                // Hand the renderer only the lines it shows: a 10 MB script
                // with many problems must not be rescanned for each one.
                let (excerpt, first_line, local) = excerpt(source, index, span.clone());
                let long = excerpt.len() > LONG_EXCERPT;
                let (excerpt, local) = if long {
                    let (text, local) = elide(excerpt, local);
                    cut = Some(text[..local.start].chars().count());
                    (text, local)
                } else {
                    (excerpt.into(), local)
                };
                let mut annotation = AnnotationKind::Primary.span(local);
                if let Some(label) = &d.label {
                    annotation = annotation.label(&**label);
                }
                groups.push(
                    title.element(
                        Snippet::source(excerpt)
                            .line_start(first_line)
                            .path(path)
                            .annotation(annotation),
                    ),
                );
            }
            None => {
                groups.push(Group::with_title(title));
                let origin = format!("in {path}");
                groups.push(Group::with_title(Level::NOTE.secondary_title(origin)));
            }
        }
        for (n, note) in d.notes().iter().enumerate() {
            let (path, source) = self.file_of(note.file.as_ref());
            let (excerpt, first_line, local) = excerpt(source, note_index(n), note.span.clone());
            let (excerpt, local) = if excerpt.len() > LONG_EXCERPT {
                elide(excerpt, local)
            } else {
                (excerpt.into(), local)
            };
            groups.push(
                Group::with_title(Level::NOTE.secondary_title(note.message.as_str())).element(
                    Snippet::source(excerpt)
                        .line_start(first_line)
                        .path(path)
                        .annotation(AnnotationKind::Context.span(local)),
                ),
            );
        }
        if let Some(help) = &d.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        (groups, cut)
    }

    /// One JSON value per diagnostic.
    pub fn json(&self) -> Vec<serde_json::Value> {
        let index = LineIndex::new(self.source);
        self.diagnostics
            .iter()
            .map(|d| {
                let (path, _) = self.file_of(d.file());
                let (start, end) = match &d.span {
                    Some(s) => {
                        let at = |offset| self.position(&index, d.file(), offset);
                        (Some(at(s.start)), Some(at(s.end)))
                    }
                    None => (None, None),
                };
                let notes = d
                    .notes()
                    .iter()
                    .map(|n| {
                        let at = self.position(&index, n.file.as_ref(), n.span.start);
                        JsonNote {
                            message: &n.message,
                            file: self.file_of(n.file.as_ref()).0,
                            line: at.line,
                            column: at.column,
                        }
                    })
                    .collect();
                let json = JsonDiagnostic {
                    file: path,
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                    line: start.map(|p| p.line),
                    column: start.map(|p| p.column),
                    end_line: end.map(|p| p.line),
                    end_column: end.map(|p| p.column),
                    label: d.label.as_deref(),
                    help: d.help.as_deref(),
                    notes,
                };
                serde_json::to_value(json).expect("diagnostics serialize")
            })
            .collect()
    }

    /// Where `offset` is in `file` (the report's own file: through `index`).
    fn position(
        &self,
        index: &LineIndex<'_>,
        file: Option<&Arc<SourceFile>>,
        offset: usize,
    ) -> Position {
        match file {
            None => index.position(offset),
            Some(f) => Position::of(&f.text, offset),
        }
    }
}

/// The whole lines that `span` touches (at most a few, and at most a few
/// hundred characters of each), the 1-based number of the first, and the span
/// relative to the excerpt.
fn excerpt<'s>(
    source: &'s str,
    index: &LineIndex<'_>,
    span: Range<usize>,
) -> (&'s str, usize, Range<usize>) {
    const MAX_LINES: usize = 4;
    let clamp = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = clamp(span.start);
    let end = clamp(span.end.max(span.start));
    // Lines by the index alone: scanning a long line here once per
    // diagnostic would make many problems on one line quadratic.
    let first_line = index.line_of(start);
    // Keep very long spans readable: show their first lines only.
    let last_line = index.line_of(end).min(first_line + MAX_LINES - 1);
    let line_start = index.line_start(first_line);
    let line_end = match index.starts.get(last_line) {
        Some(&next) => clamp(next.saturating_sub(1).max(line_start)),
        None => source.len(),
    };
    let excerpt = &source[line_start..line_end];
    let local_start = start - line_start;
    let local_end = (end.min(line_end) - line_start).max(local_start);
    (excerpt, first_line, local_start..local_end)
}

/// An excerpt longer than this (bytes) is cut around its caret, as rustc
/// does: a person reads a few dozen characters either side of a problem,
/// and rendering a 1 MB line whole for each of its thousand problems is
/// quadratic work.
const LONG_EXCERPT: usize = 400;

/// How much of a long line is kept on each side of the annotated span.
const CONTEXT_CHARS: usize = 40;

/// The part of the excerpt's first line around `local`, with `...` where
/// text was cut, and the span moved to match.
fn elide(excerpt: &str, local: Range<usize>) -> (std::borrow::Cow<'_, str>, Range<usize>) {
    // Look at a bounded stretch only: finding the end of a 1 MB line for
    // each of its problems would be the quadratic work this avoids.
    let mut limit = excerpt
        .len()
        .min(local.start.saturating_add(CONTEXT_CHARS * 4 * 4));
    while !excerpt.is_char_boundary(limit) {
        limit -= 1;
    }
    // The span starts on the excerpt's first line, so its end is after.
    let from_start = local.start.min(limit);
    let line = match excerpt[from_start..limit].find('\n') {
        Some(i) => &excerpt[..from_start + i],
        None => &excerpt[..limit],
    };
    let more = line.len() < excerpt.len() && !excerpt[line.len()..].starts_with('\n');
    let start = local.start.min(line.len());
    // A span running on past the line, or far along it, shows its start.
    let end = local.end.clamp(start, line.len());
    let end = line[start..end]
        .char_indices()
        .nth(CONTEXT_CHARS * 2)
        .map_or(end, |(i, _)| start + i);
    let from = line[..start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let to = line[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(line.len(), |(i, _)| end + i);
    let mut text = String::with_capacity(to - from + 6);
    if from > 0 {
        text.push_str("...");
    }
    let shift = text.len();
    text.push_str(&line[from..to]);
    if to < line.len() || more {
        text.push_str("...");
    }
    let local = (start - from + shift)..(end - from + shift);
    (text.into(), local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_caret_with_the_true_column() {
        let line = format!(
            "x = [{}\"bad\"{}]\n",
            "1, ".repeat(5000),
            ", 2".repeat(5000)
        );
        let at = line.find("\"bad\"").unwrap();
        let diagnostics = [Diagnostic::error(Code::WrongType, "not a number").at(at..at + 5)];
        let text = Report {
            path: "s.toml",
            source: &line,
            diagnostics: &diagnostics,
        }
        .render(false);
        let column = line[..at].chars().count() + 1;
        assert!(text.contains(&format!("--> s.toml:1:{column}")), "{text}");
        assert!(text.contains("... 1, 1, "), "{text}");
        assert!(text.contains("\"bad\", 2, 2"), "{text}");
        assert!(text.len() < 600, "{} bytes:\n{text}", text.len());
        // The caret sits under the value.
        let lines: Vec<&str> = text.lines().collect();
        let src = lines.iter().find(|l| l.contains("\"bad\"")).unwrap();
        let caret = lines.iter().find(|l| l.contains("^^^^^")).unwrap();
        assert_eq!(src.find("\"bad\""), caret.find('^'));
    }

    #[test]
    fn columns_counted_on_from_the_last_are_the_same() {
        let s = "é = [1, 2, 3]\nab = 1\n";
        let index = LineIndex::new(s);
        for offset in [0, 5, 9, 2, 14, 16, 3, s.len()] {
            assert_eq!(index.position(offset), Position::of(s, offset), "{offset}");
        }
    }

    #[test]
    fn positions() {
        let s = "a = 1\nbé = 2\n";
        assert_eq!(Position::of(s, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::of(s, 6), Position { line: 2, column: 1 });
        // After the two-byte `é`: column counts characters.
        assert_eq!(Position::of(s, 9), Position { line: 2, column: 3 });
        // Inside `é` and past the end are clamped, never a panic.
        assert_eq!(Position::of(s, 8), Position { line: 2, column: 2 });
        assert_eq!(Position::of(s, 999).line, 3);
        let index = LineIndex::new(s);
        for offset in 0..s.len() + 2 {
            assert_eq!(
                index.position(offset),
                Position::of(s, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn renders_location_caret_and_help() {
        let source = "title = \"x\"\n[[steps]]\nkind = \"paws\"\n";
        let d = Diagnostic::error(Code::UnknownKind, "unknown step kind `paws`")
            .at(29..35)
            .label("not a step kind")
            .help("did you mean `pause`?");
        let r = Report {
            path: "a.toml",
            source,
            diagnostics: std::slice::from_ref(&d),
        };
        let text = r.render(false);
        assert!(text.contains("error: unknown step kind `paws`"), "{text}");
        assert!(text.contains("--> a.toml:3:8"), "{text}");
        assert!(text.contains("kind = \"paws\""), "{text}");
        assert!(text.contains("^^^^^^ not a step kind"), "{text}");
        assert!(text.contains("help: did you mean `pause`?"), "{text}");
        let json = &r.json()[0];
        assert_eq!(
            (json["line"].as_u64(), json["column"].as_u64()),
            (Some(3), Some(8))
        );
        assert_eq!(json["code"], "unknown-kind");
    }

    #[test]
    fn excerpt_is_local() {
        let source = "one\ntwo\nthree\n";
        let index = LineIndex::new(source);
        let (text, line, span) = excerpt(source, &index, 8..13);
        assert_eq!((text, line, span), ("three", 3, 0..5));
        let (text, line, span) = excerpt(source, &index, 100..200);
        assert_eq!(line, 4);
        assert_eq!(text, "");
        assert_eq!(span, 0..0);
    }
}
