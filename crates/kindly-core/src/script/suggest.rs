//! "Did you mean …?": the closest known name to a misspelt one.

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
    fn lists() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
