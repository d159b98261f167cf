//! "Did you mean …?": the closest known name to a misspelt one, and the one way it is said.
//!
//! Scripts, the config file and session names all suggest through here, so
//! the wording and the cut-off are the same wherever a name is misspelt.

use crate::diagnostic::Diagnostic;

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo. Jaro-Winkler favours shared prefixes, which matches how people
/// misspell field names (`duraton`, `interval_sounds`); the cut-off keeps
/// unrelated words from being suggested.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A name that contains what was typed (`kindness` → `self-kindness`)
    // beats one that merely shares a prefix.
    if input.len() >= 4 {
        if let Some(c) = candidates.iter().find(|c| c.contains(input.as_str())) {
            return Some(c);
        }
    }
    candidates
        .into_iter()
        .map(|c| (c, strsim::jaro_winkler(&input, c)))
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// "did you mean `x`?" when a candidate is close to `input`.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|s| format!("did you mean `{s}`?"))
}

/// `d` with the help "did you mean `x`?" when a candidate is close to
/// `input`, else the help `otherwise` gives (the names there are, say).
pub fn suggest<'a>(
    d: Diagnostic,
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl FnOnce() -> String,
) -> Diagnostic {
    match did_you_mean(input, candidates) {
        Some(help) => d.help(help),
        None => d.help(otherwise()),
    }
}

/// An unknown name, such as a theme or a cue: located, with a
/// did-you-mean or the names there are.
pub fn unknown_name(
    code: crate::diagnostic::Code,
    what: &str,
    name: &str,
    names: &[&str],
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let d = Diagnostic::error(code, format!("unknown {what} `{name}`")).at(span);
    suggest(d, name, names.iter().copied(), || {
        format!("use one of {}", one_of(names))
    })
}

/// `one`, `two` or `three`, for "expected one of" help lines.
pub fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos() {
        let keys = ["duration", "text", "interval", "interval_sound"];
        assert_eq!(closest("duraton", keys), Some("duration"));
        assert_eq!(closest("intervall", keys), Some("interval"));
        assert_eq!(closest("interval_sounds", keys), Some("interval_sound"));
        assert_eq!(closest("Text", keys), Some("text"));
        assert_eq!(closest("zebra", keys), None);
        assert_eq!(closest("bowel", ["bowl", "bell", "gong"]), Some("bowl"));
        let themes = [
            "mindfulness",
            "common-humanity",
            "self-kindness",
            "attachment",
        ];
        assert_eq!(closest("kindness", themes), Some("self-kindness"));
        assert_eq!(closest("humanity", themes), Some("common-humanity"));
    }

    #[test]
    fn one_wording() {
        assert_eq!(
            did_you_mean("bowel", ["bowl", "rain"]).as_deref(),
            Some("did you mean `bowl`?")
        );
        assert_eq!(did_you_mean("zebra", ["bowl", "rain"]), None);
        let d = Diagnostic::error(crate::diagnostic::Code::UnknownSound, "x");
        let d = suggest(d, "zebra", ["bowl"], || "use `bowl`".into());
        assert_eq!(d.help.as_deref(), Some("use `bowl`"));
    }

    #[test]
    fn lists() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
