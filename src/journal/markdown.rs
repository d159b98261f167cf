//! The journal's Markdown: written by kindly, readable by people, and
//! read back leniently because people may edit it.
//!
//! A day's file looks like this:
//!
//! ```markdown
//! # Journal, 2026-11-28
//!
//! ## 07:41 · Self-Compassion Break
//! <!-- session: self-compassion-break -->
//!
//! > What would you say to a friend?
//!
//! That it is hard, and that they are doing their best.
//! ```
//!
//! Each entry starts with a blank line, so an entry cut short by a crash
//! never swallows the heading of the next one. The session's id follows
//! the heading as an HTML comment: hidden when the Markdown is shown, but
//! there to tell apart two sessions with one title. Answer lines that begin
//! with `#`, `>` or `<` are escaped with a backslash (plain Markdown), so an
//! answer cannot pose as a heading, a question or that comment.

use jiff::civil::Date;

use super::Entry;

pub(crate) fn day_heading(day: Date) -> String {
    format!("# Journal, {day}\n")
}

/// One entry, ready to append to its day's file.
pub(crate) fn entry_block(entry: &Entry) -> String {
    let mut out = format!(
        "\n## {} · {}\n<!-- session: {} -->\n\n",
        entry.at.clock(),
        one_line(&entry.title),
        one_line(&entry.session).replace("--", "- -")
    );
    for line in entry.question.lines() {
        out.push_str(&format!("> {line}\n"));
    }
    out.push('\n');
    for line in entry.answer.lines() {
        if line.starts_with(['#', '>', '<']) {
            out.push('\\');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What `kindly journal` lists for one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    /// `HH:MM`, or empty if the heading was edited into another shape.
    pub time: String,
    pub title: String,
    /// The start of the answer.
    pub first_words: String,
}

/// The entries in a day's file: every `## ` heading, with the first line of
/// text after the question. Anything else is ignored, never an error.
pub(crate) fn summaries(text: &str) -> Vec<Summary> {
    let mut out: Vec<Summary> = Vec::new();
    let mut waiting_for_answer = false;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let (time, title) = match heading.split_once(" · ") {
                Some((t, title)) if looks_like_clock(t) => (t.to_owned(), title.to_owned()),
                _ => (String::new(), heading.to_owned()),
            };
            out.push(Summary {
                time,
                title: title.trim().to_owned(),
                first_words: String::new(),
            });
            waiting_for_answer = true;
            continue;
        }
        let trimmed = line.trim();
        if !waiting_for_answer
            || trimmed.is_empty()
            || trimmed.starts_with('>')
            || trimmed.starts_with("<!--")
        {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.first_words = first_words(trimmed.trim_start_matches('\\'));
        }
        waiting_for_answer = false;
    }
    out
}

fn looks_like_clock(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
}

/// About forty characters, cut at a word, with an ellipsis if cut.
fn first_words(line: &str) -> String {
    const MAX: usize = 40;
    if line.chars().count() <= MAX {
        return line.to_owned();
    }
    let mut out = String::new();
    for word in line.split_whitespace() {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra > MAX {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = line.chars().take(MAX).collect();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::LocalTime;
    use jiff::civil::date;

    fn entry(answer: &str) -> Entry {
        Entry {
            at: LocalTime::parse("2026-11-28T07:41:09+01:00").unwrap(),
            session: "self-compassion-break".into(),
            title: "Self-Compassion Break".into(),
            question: "What would you say\nto a friend?".into(),
            answer: answer.into(),
        }
    }

    #[test]
    fn an_entry_is_a_heading_the_question_and_the_answer() {
        assert_eq!(day_heading(date(2026, 11, 28)), "# Journal, 2026-11-28\n");
        assert_eq!(
            entry_block(&entry(
                "That it is hard.\n# not a heading\n> nor a quote\n<!-- nor a comment -->"
            )),
            "\n## 07:41 · Self-Compassion Break\n<!-- session: self-compassion-break -->\n\n\
             > What would you say\n> to a friend?\n\n\
             That it is hard.\n\\# not a heading\n\\> nor a quote\n\\<!-- nor a comment -->\n"
        );
    }

    #[test]
    fn summaries_read_back_what_was_written() {
        let mut text = day_heading(date(2026, 11, 28));
        text.push_str(&entry_block(&entry(
            "That it is hard, and that they are doing their very best.",
        )));
        text.push_str(&entry_block(&entry("# Short")));
        assert_eq!(
            summaries(&text),
            vec![
                Summary {
                    time: "07:41".into(),
                    title: "Self-Compassion Break".into(),
                    first_words: "That it is hard, and that they are doing…".into(),
                },
                Summary {
                    time: "07:41".into(),
                    title: "Self-Compassion Break".into(),
                    first_words: "# Short".into(),
                },
            ]
        );
    }

    #[test]
    fn hand_edited_and_truncated_files_never_fail() {
        for text in [
            "",
            "## ",
            "##",
            "## no time here\n\nanswer",
            "## 7:41 · odd\n",
            "random words\n## 12:00 · A\n> q\n",
            "## 12:00 · A\n\n> q\n\nanswer cut sh",
            "## ééééé · x\n",
        ] {
            let _ = summaries(text);
        }
        let s = summaries("## no time here\n\nanswer");
        assert_eq!(s[0].time, "");
        assert_eq!(s[0].title, "no time here");
        assert_eq!(s[0].first_words, "answer");
        assert_eq!(first_words(&"x".repeat(100)).chars().count(), 41);
    }
}
