//! Located diagnostics: what is wrong, where, and what to do, for scripts and config files.
//!
//! A `Diagnostic` holds a byte span into its source. `Report` pairs a list
//! of them with the file they came from and renders them in the style of
//! rustc and just (a `-->` line, the source line, a caret), or as JSON for
//! editors and CI.

use std::ops::Range;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for the problem, for tools and tests.
    pub code: &'static str,
    pub message: String,
    /// Byte range in the source. `None` for problems with no place, such as
    /// a file that cannot be read.
    pub span: Option<Range<usize>>,
    /// A short note under the caret.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
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
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
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
    code: &'a str,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: Option<&'a str>,
    help: Option<&'a str>,
}

impl Report<'_> {
    /// Human-readable text; `color` adds ANSI styling.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        let mut out = String::new();
        for d in self.diagnostics {
            out.push_str(&renderer.render(&self.groups(d)));
            out.push_str("\n\n");
        }
        out
    }

    fn groups<'d>(&'d self, d: &'d Diagnostic) -> Vec<Group<'d>> {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str());
        let mut groups = Vec::new();
        match &d.span {
            Some(span) => {
                // Hand the renderer only the lines it shows: a 10 MB script
                // with many problems must not be rescanned for each one.
                let (excerpt, first_line, local) = excerpt(self.source, span.clone());
                let mut annotation = AnnotationKind::Primary.span(local);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                groups.push(
                    title.element(
                        Snippet::source(excerpt)
                            .line_start(first_line)
                            .path(self.path)
                            .annotation(annotation),
                    ),
                );
            }
            None => {
                groups.push(Group::with_title(title));
                let origin = format!("in {}", self.path);
                groups.push(Group::with_title(Level::NOTE.secondary_title(origin)));
            }
        }
        if let Some(help) = &d.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        groups
    }

    /// One JSON value per diagnostic.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.diagnostics
            .iter()
            .map(|d| {
                let (start, end) = match &d.span {
                    Some(s) => (
                        Some(Position::of(self.source, s.start)),
                        Some(Position::of(self.source, s.end)),
                    ),
                    None => (None, None),
                };
                let json = JsonDiagnostic {
                    file: self.path,
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                    line: start.map(|p| p.line),
                    column: start.map(|p| p.column),
                    end_line: end.map(|p| p.line),
                    end_column: end.map(|p| p.column),
                    label: d.label.as_deref(),
                    help: d.help.as_deref(),
                };
                serde_json::to_value(json).expect("diagnostics serialize")
            })
            .collect()
    }
}

/// The whole lines that `span` touches (at most a few, and at most a few
/// hundred characters of each), the 1-based number of the first, and the span
/// relative to the excerpt.
fn excerpt(source: &str, span: Range<usize>) -> (&str, usize, Range<usize>) {
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
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    // Keep very long spans readable: show their first lines only.
    let mut shown = source[line_start..line_end].lines().count();
    while shown > MAX_LINES {
        line_end = source[line_start..line_end]
            .rfind('\n')
            .map_or(line_end, |i| line_start + i);
        shown -= 1;
    }
    let excerpt = &source[line_start..line_end];
    let first_line = source[..line_start].matches('\n').count() + 1;
    let local_start = start - line_start;
    let local_end = (end.min(line_end) - line_start).max(local_start);
    (excerpt, first_line, local_start..local_end)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn renders_location_caret_and_help() {
        let source = "title = \"x\"\n[[steps]]\nkind = \"paws\"\n";
        let d = Diagnostic::error("unknown-kind", "unknown step kind `paws`")
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
        let (text, line, span) = excerpt(source, 8..13);
        assert_eq!((text, line, span), ("three", 3, 0..5));
        let (text, line, span) = excerpt(source, 100..200);
        assert_eq!(line, 4);
        assert_eq!(text, "");
        assert_eq!(span, 0..0);
    }
}
