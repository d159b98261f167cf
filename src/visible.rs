//! Text on its way to the terminal, with no control codes but kindly's own.
//!
//! Text kindly prints can hold what a stranger wrote: a script's file
//! name, a path in an error, a title read from the practice log. A
//! terminal obeys control codes rather than printing them (ESC sequences
//! set the window title, clear the screen, move the cursor), so every byte
//! kindly writes to standard output or standard error passes `visible`:
//! C0 and C1 codes and DEL become visible symbols (ESC as `␛`, as the
//! checker shows them), and only newline (also as CRLF), tab and the colour sequences
//! kindly itself writes (`ESC [ digits ; … m`) pass through as they are.

use std::borrow::Cow;

/// `text` safe to write to a terminal.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            if let Some(n) = colour_len(rest) {
                out.push_str(&rest[..n]);
                rest = &rest[n..];
                continue;
            }
        }
        // CRLF is a line ending (RFC 4180 CSV); a lone CR would let text
        // overwrite its own line.
        if c == '\r' && rest[1..].starts_with('\n') {
            out.push(c);
        } else if is_control(c) {
            out.push(symbol(c));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t')) || c == '\u{7f}'
}

/// The length of an SGR (colour) sequence at the start of `s`, if it is one.
fn colour_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let n = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    // Bounded, so a run of digits is not a way to smuggle anything.
    (body.as_bytes().get(n) == Some(&b'm') && n <= 32).then_some(2 + n + 1)
}

/// The Unicode control picture for a C0 code or DEL; `�` for C1 codes.
fn symbol(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_newlines_tabs_and_colour_pass() {
        assert!(matches!(visible("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(
            visible("\u{1b}[1;31merror\u{1b}[0m"),
            "\u{1b}[1;31merror\u{1b}[0m"
        );
        // Title, clear screen, cursor moves, bell, carriage return, C1 CSI.
        assert_eq!(visible("a\u{1b}]0;owned\u{7}b"), "a␛]0;owned␇b");
        assert_eq!(visible("\u{1b}[2J\u{1b}[H"), "␛[2J␛[H");
        assert_eq!(visible("over\rwrite"), "over␍write");
        assert_eq!(visible("a,b\r\nc\r"), "a,b\r\nc␍");
        assert_eq!(visible("x\u{9b}2Jy\u{7f}"), "x\u{fffd}2Jy\u{2421}");
        assert_eq!(visible("\u{1b}"), "␛");
        assert_eq!(visible("\u{1b}[m"), "\u{1b}[m");
    }
}
