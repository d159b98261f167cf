//! Reading spanned TOML by hand: the helpers shared by session scripts and the config file.
//!
//! Both files are checked by walking `toml::de::DeTable` rather than by
//! deriving `Deserialize`, so every problem keeps its exact place and a
//! walk goes on after the first one. These helpers turn one value into a
//! typed one or a located `Diagnostic`; the callers decide what to collect.

use std::ops::Range;
use std::time::Duration;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::suggest::{one_of, suggest};
use crate::diagnostic::{Code, Diagnostic};
use crate::duration::{self, DurationError};
use crate::session::Gain;

/// Deeper than any real script, shallow enough that no parser recursion can
/// exhaust the stack. Checked before parsing.
pub(crate) const MAX_NESTING: usize = 64;

pub type Span = Range<usize>;

pub type Value<'i> = Spanned<DeValue<'i>>;

/// Parse `source` into a spanned table, or every syntax problem, located.
/// `help` is said under each syntax error (where to find examples).
pub fn parse_document<'s>(
    source: &'s str,
    help: &str,
) -> Result<Spanned<DeTable<'s>>, Vec<Diagnostic>> {
    if let Some(span) = too_deep(source) {
        return Err(vec![Diagnostic::error(
            Code::TooDeep,
            "this file nests arrays or tables too deeply",
        )
        .at(span)
        .label(format!("more than {MAX_NESTING} levels deep"))
        .help("remove the extra brackets")]);
    }
    let (doc, errors) = DeTable::parse_recoverable(source);
    if errors.is_empty() {
        return Ok(doc);
    }
    Err(errors
        .into_iter()
        .map(|e| {
            let mut d = Diagnostic::error(Code::Syntax, syntax_message(e.message())).help(help);
            d.span = Some(e.span().unwrap_or(0..0));
            d
        })
        .collect())
}

/// An "unknown field" error with a did-you-mean, or the fields there are.
pub fn unknown_key(name: &str, span: Span, what: &str, allowed: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(
        Code::UnknownKey,
        format!("unknown field `{name}` in {what}"),
    )
    .at(span)
    .label("not a field here");
    suggest(d, name, allowed.iter().copied(), || {
        format!("the fields here are {}", one_of(allowed))
    })
}

pub fn string<'v>(v: &'v Value<'_>, key: &str) -> Result<&'v str, Diagnostic> {
    match v.get_ref() {
        DeValue::String(s) => Ok(s.as_ref()),
        other => Err(type_error(key, "a string", other, v.span())),
    }
}

pub fn boolean(v: &Value<'_>, key: &str) -> Result<bool, Diagnostic> {
    match v.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        other => Err(type_error(key, "`true` or `false`", other, v.span())),
    }
}

/// A number, integer or float; integers too large for i64 become infinity
/// so that range checks reject them.
pub fn number(v: &Value<'_>, key: &str, expected: &str) -> Result<f64, Diagnostic> {
    match v.get_ref() {
        DeValue::Integer(i) => Ok(i64::from_str_radix(i.as_str(), i.radix())
            .map(|n| n as f64)
            .unwrap_or(f64::INFINITY)),
        DeValue::Float(f) => {
            parse_float(f.as_str()).ok_or_else(|| type_error(key, expected, v.get_ref(), v.span()))
        }
        other => Err(type_error(key, expected, other, v.span())),
    }
}

/// A loudness from 0 to 1.
pub fn gain(v: &Value<'_>, key: &str) -> Result<Gain, Diagnostic> {
    let x = number(v, key, "a number from 0 to 1")?;
    Gain::new(x).ok_or_else(|| {
        Diagnostic::error(Code::OutOfRange, format!("`{key}` must be from 0 to 1"))
            .at(v.span())
            .label("out of range")
            .help("0 is silent, 1 is full volume; try 0.5")
    })
}

/// A duration: a string such as "90s", or a number of seconds.
pub fn duration_value(source: &str, v: &Value<'_>, key: &str) -> Result<Duration, Diagnostic> {
    let result = match v.get_ref() {
        DeValue::String(s) => duration::parse(s).map_err(|e| (e, s.to_string())),
        DeValue::Integer(_) | DeValue::Float(_) => {
            let secs = number(v, key, "a duration")?;
            duration::from_secs(secs).map_err(|e| (e, v.get_ref().type_str().into()))
        }
        other => {
            return Err(
                type_error(key, "a duration such as \"90s\"", other, v.span()).help(duration::HELP),
            );
        }
    };
    result.map_err(|(e, text)| {
        let shown = match v.get_ref() {
            DeValue::String(_) => text,
            _ => source.get(v.span()).unwrap_or("this").to_owned(),
        };
        duration_error(key, &shown, &e, v.span()).help(duration::HELP)
    })
}

/// An interval between bells: a duration (`"5m"`, `300`), or a range
/// (`"3m..7m"`) for bells at random within it.
pub fn interval_value(
    source: &str,
    v: &Value<'_>,
    key: &str,
) -> Result<crate::session::Interval, Diagnostic> {
    use crate::session::{Interval, IntervalError};
    let range = match v.get_ref() {
        DeValue::String(s) if s.contains("..") => Some(s.to_string()),
        _ => None,
    };
    let interval = match range {
        None => Interval::Every(duration_value(source, v, key)?),
        Some(text) => Interval::parse(&text).map_err(|e| match e {
            IntervalError::Duration(side) => {
                let e = duration::parse(&side).err().unwrap_or(DurationError::Syntax);
                duration_error(key, &side, &e, v.span()).help(format!(
                    "write a range of two durations, like `{key} = \"3m..7m\"`, for a bell at a random time between them"
                ))
            }
            IntervalError::Backwards => Diagnostic::error(
                Code::BadInterval,
                format!("`{key}`: the range `{text}` runs backwards"),
            )
            .at(v.span())
            .help("put the shorter time first, like \"3m..7m\""),
            IntervalError::Zero => zero_interval(key, v.span()),
        })?,
    };
    if interval.shortest() < Interval::SHORTEST {
        return Err(zero_interval(key, v.span()));
    }
    Ok(interval)
}

fn zero_interval(key: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::OutOfRange,
        format!("`{key}` is shorter than a tenth of a second"),
    )
    .at(span)
    .help("interval bells need at least 0.1 s between them; try \"5m\", or a range like \"3m..7m\"")
}

pub fn type_error(key: &str, expected: &str, found: &DeValue<'_>, span: Span) -> Diagnostic {
    let help = if expected.contains("string") {
        format!("put the value in double quotes, like `{key} = \"…\"`")
    } else if expected.contains("true") {
        format!("write `{key} = true` or `{key} = false`, without quotes")
    } else if expected.contains("whole number") {
        format!("write a whole number without quotes, like `{key} = 3`")
    } else if expected.contains("from 0 to 1") {
        format!("write a number without quotes, like `{key} = 0.5`")
    } else if expected.contains("duration") {
        crate::duration::HELP.to_owned()
    } else {
        format!("`{key}` must be {expected}; see docs/session-format.md")
    };
    Diagnostic::error(Code::WrongType, format!("`{key}` must be {expected}"))
        .at(span)
        .label(format!("this is {}", article(found.type_str())))
        .help(help)
}

pub(crate) fn article(type_str: &str) -> String {
    match type_str {
        "integer" | "array" => format!("an {type_str}"),
        _ => format!("a {type_str}"),
    }
}

pub(crate) fn duration_error(key: &str, text: &str, e: &DurationError, span: Span) -> Diagnostic {
    let code = match e {
        DurationError::Syntax => Code::BadDuration,
        _ => Code::OutOfRange,
    };
    Diagnostic::error(code, format!("`{key}`: `{text}` {}", e.describe())).at(span)
}

pub(crate) fn parse_float(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    Some(match cleaned.as_str() {
        "inf" | "+inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        "nan" | "+nan" | "-nan" => f64::NAN,
        s => s.parse().ok()?,
    })
}

/// The first line of the source, where problems with the whole file point.
pub(crate) fn first_line(source: &str) -> Span {
    // Skip the `#:schema` line and blank lines so the caret sits on content.
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            return offset..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    0..0
}

/// The first line of `span`: a table's header rather than its whole body.
pub(crate) fn header_span(source: &str, span: Span) -> Span {
    let start = span.start.min(source.len());
    let rest = source.get(start..span.end.min(source.len())).unwrap_or("");
    let len = rest.find('\n').unwrap_or(rest.len());
    start..start + rest[..len].trim_end().len()
}

/// Where nesting first passes `MAX_NESTING`, counting brackets and braces
/// outside strings and comments. Cheap and conservative: it only needs to
/// stop inputs no real script resembles.
pub(crate) fn too_deep(source: &str) -> Option<Span> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let triple = bytes[i..].starts_with(&[q, q, q]);
                i += if triple { 3 } else { 1 };
                while i < bytes.len() {
                    if q == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if triple {
                        if bytes[i..].starts_with(&[q, q, q]) {
                            i += 2;
                            break;
                        }
                    } else if bytes[i] == q || bytes[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i..i + 1);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// toml's messages are lowercase fragments; make them a sentence.
pub(crate) fn syntax_message(message: &str) -> String {
    let m = message.trim().trim_end_matches('.');
    if m.is_empty() {
        "invalid TOML".to_owned()
    } else {
        format!("invalid TOML: {m}")
    }
}
