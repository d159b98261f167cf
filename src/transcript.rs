//! The words beside the audio: a rendered session's prompts as WebVTT and
//! LRC, and its chapters. Pure: built from the timeline, written by the
//! caller.
//!
//! Each cue runs from its step's start to its end, the time the words are
//! on screen in `play`, whether a voice speaks them or not.

use std::fmt::Write;
use std::time::Duration;

use crate::encode::Chapter;
use crate::timeline::{Show, Timeline};

/// Words on screen from `start` to `end`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cue {
    pub start: Duration,
    pub end: Duration,
    pub text: String,
}

/// Every step's words, in order.
pub(crate) fn cues(timeline: &Timeline) -> Vec<Cue> {
    let rate = timeline.format.rate;
    let mut out = Vec::new();
    for step in &timeline.steps {
        let end = step.end().to_duration(rate);
        for e in &step.display {
            if let Show::Text(text) = &e.show {
                let text = one_paragraph(text);
                if text.is_empty() {
                    continue;
                }
                out.push(Cue {
                    start: e.at.to_duration(rate),
                    end,
                    text,
                });
            }
        }
    }
    out
}

/// A chapter at each step with words, named by its first sentence.
pub(crate) fn chapters(timeline: &Timeline) -> Vec<Chapter> {
    cues(timeline)
        .into_iter()
        .map(|c| Chapter {
            start: c.start,
            name: short_name(&c.text),
        })
        .collect()
}

/// Whitespace runs (newlines, tabs) become one space: a cue's text is one
/// paragraph, and a blank line would end a VTT cue early.
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence, cut at a word near 60 characters.
fn short_name(text: &str) -> String {
    let sentence = text
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '?' | '!') && text[i + c.len_utf8()..].starts_with(' '))
        .map_or(text, |(i, c)| &text[..i + c.len_utf8()]);
    if sentence.chars().count() <= 60 {
        return sentence.to_owned();
    }
    let mut name = String::new();
    for word in sentence.split(' ') {
        if name.chars().count() + word.chars().count() > 58 {
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    name.push('…');
    name
}

/// WebVTT: `HH:MM:SS.mmm --> HH:MM:SS.mmm`, cue text escaped (`&`, `<`,
/// `>`).
pub(crate) fn vtt(title: &str, cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    let _ = writeln!(
        out,
        "NOTE\n{}\n",
        escape(&one_paragraph(title)).replace("-->", "->")
    );
    for (i, c) in cues.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}\n{} --> {}\n{}\n",
            i + 1,
            crate::duration::hms_millis(c.start),
            crate::duration::hms_millis(c.end),
            escape(&c.text)
        );
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// LRC, for phones' lyrics views: `[mm:ss.xx]` before each line, and an
/// empty timed line where a prompt's time ends before the next begins.
pub(crate) fn lrc(title: &str, length: Duration, cues: &[Cue]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "[ti:{}]", one_paragraph(title));
    out.push_str("[ar:kindly]\n[al:kindly sessions]\n");
    let _ = writeln!(out, "[length:{}]", &lrc_time(length)[..5]);
    for (i, c) in cues.iter().enumerate() {
        let _ = writeln!(out, "[{}]{}", lrc_time(c.start), c.text);
        let next = cues.get(i + 1).map(|n| n.start);
        if next.is_none_or(|n| n > c.end) {
            let _ = writeln!(out, "[{}]", lrc_time(c.end));
        }
    }
    out
}

/// `mm:ss.xx`, minutes past 59 kept whole (LRC has no hours).
fn lrc_time(t: Duration) -> String {
    let cs = t.as_millis() / 10;
    format!("{:02}:{:02}.{:02}", cs / 6000, cs / 100 % 60, cs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(a: u64, b: u64, text: &str) -> Cue {
        Cue {
            start: Duration::from_millis(a),
            end: Duration::from_millis(b),
            text: text.into(),
        }
    }

    #[test]
    fn vtt_escapes_and_times() {
        let v = vtt("A <b> title", &[cue(1_500, 62_250, "Breathe --> & rest")]);
        assert_eq!(
            v,
            "WEBVTT\n\nNOTE\nA &lt;b&gt; title\n\n1\n00:00:01.500 --> 00:01:02.250\nBreathe --&gt; &amp; rest\n\n"
        );
    }

    #[test]
    fn lrc_clears_between_cues_only_when_there_is_a_gap() {
        let l = lrc(
            "T",
            Duration::from_secs(70),
            &[
                cue(0, 5_000, "a"),
                cue(5_000, 9_000, "b"),
                cue(10_000, 12_000, "c"),
            ],
        );
        assert_eq!(
            l,
            "[ti:T]\n[ar:kindly]\n[al:kindly sessions]\n[length:01:10]\n\
             [00:00.00]a\n[00:05.00]b\n[00:09.00]\n[00:10.00]c\n[00:12.00]\n"
        );
    }

    #[test]
    fn chapter_names_are_a_first_sentence_or_a_cut() {
        assert_eq!(short_name("Welcome. Sit down."), "Welcome.");
        assert_eq!(short_name("Rest here"), "Rest here");
        let long = "word ".repeat(30);
        let n = short_name(long.trim());
        assert!(n.ends_with('…') && n.chars().count() <= 60, "{n}");
    }
}
