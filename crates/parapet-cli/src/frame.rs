//! Code frames: a finding's source line with a line-number gutter and carets under its span.
//!
//! Columns in a report count Unicode scalar values; the frame turns them into terminal cells
//! (tabs expand, wide characters take two cells, control and bidi characters are shown as
//! harmless symbols). Characters inside a detected secret are shown as `*`, whichever finding
//! the line is shown for: the report's messages are redacted by the engine, but a code frame
//! shows the source, and the source holds the secret in full.

use std::borrow::Cow;

use parapet_core::report::Finding;
use parapet_core::Location;
use unicode_width::UnicodeWidthChar;

use crate::style::{Style, BLUE};

/// The rule whose spans are masked in every code frame.
pub const SECRET_RULE: parapet_core::Rule = parapet_core::Rule::SecretsPlaintextSecret;

/// Widest source excerpt shown, in terminal cells; longer lines are cut around the span.
const MAX_WIDTH: usize = 120;
/// Cells of context kept before the span when a long line is cut.
const CONTEXT: usize = 32;
const TAB_WIDTH: usize = 4;
/// Longest source line framed, in bytes.
const MAX_FRAME_LINE_BYTES: usize = 4096;

/// One file's source lines and the spans that must never be shown.
pub struct Source<'a> {
    lines: Vec<&'a str>,
    secrets: Vec<Location>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, findings: &[Finding]) -> Self {
        Self {
            lines: text
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect(),
            secrets: findings
                .iter()
                .filter(|f| f.rule == SECRET_RULE.id())
                .map(|f| f.location)
                .collect(),
        }
    }

    /// Line `n` (1-based).
    pub fn line(&self, n: u32) -> Option<&'a str> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        self.lines.get(i).copied()
    }

    /// The columns of line `n` (1-based, in scalar values, half-open) that lie inside a secret.
    /// An empty secret span (the engine could not place the value exactly) masks the rest of
    /// its line.
    fn masks(&self, n: u32) -> Vec<(u32, u32)> {
        self.secrets
            .iter()
            .filter(|s| n >= s.line && n <= s.end_line)
            .map(|s| {
                let empty = s.line == s.end_line && s.end_column <= s.column;
                let from = if n == s.line { s.column } else { 1 };
                let to = if n == s.end_line && !empty {
                    s.end_column
                } else {
                    u32::MAX
                };
                (from, to)
            })
            .collect()
    }
}

/// The character shown for `c` and its width in terminal cells. `'\t'` stands for a tab.
fn glyph(c: char) -> (char, usize) {
    match c {
        '\t' => ('\t', TAB_WIDTH),
        '\u{0}'..='\u{1f}' => (char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'), 1),
        '\u{7f}' => ('\u{2421}', 1),
        // C1 controls and the bidi controls that can make a line read differently than it is.
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => ('\u{fffd}', 1),
        _ => (c, c.width().unwrap_or(0)),
    }
}

fn push_glyph(out: &mut String, g: char) {
    if g == '\t' {
        out.push_str(&" ".repeat(TAB_WIDTH));
    } else {
        out.push(g);
    }
}

/// `text` with control and bidi characters made visible, for one-line output (messages,
/// paths). Tabs become spaces.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| glyph(c).0 == c && c != '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match glyph(c).0 {
            '\t' => out.push(' '),
            g => out.push(g),
        }
    }
    Cow::Owned(out)
}

/// Writes the frame for `loc` (source line, gutter and carets); `None`, writing nothing, when
/// the line is not in the source. The gutter is as wide as the line number.
pub fn render(
    out: &mut String,
    source: &Source<'_>,
    loc: Location,
    caret_code: &str,
    style: Style,
) -> Option<()> {
    let line = source.line(loc.line)?;
    // A line past MAX_FRAME_LINE_BYTES (minified JSON: the whole document) gets no frame: the
    // place is printed above it, and framing it for each finding would read the whole line
    // each time.
    if line.len() > MAX_FRAME_LINE_BYTES {
        return None;
    }
    // The line's secret spans, once (not a search of every secret per character).
    let masks = source.masks(loc.line);
    let glyphs: Vec<(char, usize)> = line
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let col = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if masks.iter().any(|&(from, to)| col >= from && col < to) {
                ('*', 1)
            } else {
                glyph(c)
            }
        })
        .collect();
    let n = glyphs.len();
    // The span in char indexes [start, end); a multi-line span is underlined to the line's end.
    let start = (loc.column as usize).saturating_sub(1).min(n);
    let end = if loc.end_line == loc.line {
        (loc.end_column as usize).saturating_sub(1).min(n)
    } else {
        n
    }
    .max(start);

    let width = |r: std::ops::Range<usize>| -> usize { glyphs[r].iter().map(|g| g.1).sum() };
    let (lo, hi) = if width(0..n) <= MAX_WIDTH {
        (0, n)
    } else {
        let mut lo = start;
        let mut w = 0;
        while lo > 0 && w + glyphs[lo - 1].1 <= CONTEXT {
            lo -= 1;
            w += glyphs[lo].1;
        }
        let budget = MAX_WIDTH - 2;
        let mut hi = lo;
        let mut w = 0;
        while hi < n && w + glyphs[hi].1 <= budget {
            w += glyphs[hi].1;
            hi += 1;
        }
        (lo, hi)
    };

    let mut shown = String::new();
    let mut lead = 0;
    if lo > 0 {
        shown.push('…');
        lead = 1;
    }
    for &(g, _) in &glyphs[lo..hi] {
        push_glyph(&mut shown, g);
    }
    if hi < n {
        shown.push('…');
    }
    let (offset, carets) = if start >= hi {
        (lead + width(lo..hi), 1)
    } else {
        (lead + width(lo..start), width(start..end.min(hi)).max(1))
    };

    let number = loc.line.to_string();
    let pad = " ".repeat(number.len());
    let bar = style.paint(BLUE, "|");
    out.push_str(&format!("{pad} {bar}\n"));
    out.push_str(&format!(
        "{} {bar} {}\n",
        style.paint(BLUE, &number),
        shown.trim_end()
    ));
    out.push_str(&format!(
        "{pad} {bar} {}{}\n",
        " ".repeat(offset),
        style.paint(caret_code, &"^".repeat(carets))
    ));
    out.push_str(&format!("{pad} {bar}\n"));
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parapet_core::Level;

    fn loc(line: u32, column: u32, end_line: u32, end_column: u32) -> Location {
        Location {
            line,
            column,
            end_line,
            end_column,
        }
    }

    fn finding(rule: &'static str, location: Location) -> Finding {
        Finding {
            rule,
            level: Level::Deny,
            message: String::new(),
            path: String::new(),
            location,
            help: "",
            approval: None,
            waived_by: None,
            reason: None,
            confidence: None,
            utf16: None,
            node: None,
            file: None,
            field: None,
        }
    }

    fn frame(text: &str, at: Location, findings: &[Finding]) -> String {
        let src = Source::new(text, findings);
        let mut out = String::new();
        render(&mut out, &src, at, "", Style::plain());
        out
    }

    #[test]
    fn carets_sit_under_the_span_in_display_cells() {
        let out = frame("a: 日本 x\n", loc(1, 7, 1, 8), &[]);
        assert_eq!(out, "  |\n1 | a: 日本 x\n  |         ^\n  |\n");
        let out = frame("\tk: v\n", loc(1, 5, 1, 6), &[]);
        assert_eq!(out, "  |\n1 |     k: v\n  |        ^\n  |\n");
    }

    #[test]
    fn multi_line_spans_are_underlined_to_the_end_of_the_first_line() {
        let out = frame("key: |\n  a\n", loc(1, 6, 2, 4), &[]);
        assert_eq!(out, "  |\n1 | key: |\n  |      ^\n  |\n");
    }

    #[test]
    fn empty_spans_and_spans_past_the_end_get_one_caret() {
        let out = frame("ab\n", loc(1, 9, 1, 9), &[]);
        assert_eq!(out, "  |\n1 | ab\n  |   ^\n  |\n");
        assert_eq!(frame("ab\n", loc(7, 1, 7, 1), &[]), "");
    }

    #[test]
    fn secrets_are_masked_in_any_frame_that_shows_their_line() {
        let text = "h: Bearer xoxb-123-secret\n";
        let secret = finding(SECRET_RULE.id(), loc(1, 11, 1, 26));
        let other = finding("data/undeclared-sensitive-data", loc(1, 1, 1, 2));
        let out = frame(text, other.location, &[secret.clone(), other]);
        assert!(out.contains("h: Bearer ***************"), "{out}");
        assert!(!out.contains("xoxb"));
        // An empty span masks the rest of the line.
        let empty = finding(SECRET_RULE.id(), loc(1, 4, 1, 4));
        let out = frame(text, empty.location, std::slice::from_ref(&empty));
        assert!(out.contains("h: **********************"), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("{}TARGET{}", "a".repeat(300), "b".repeat(300));
        let out = frame(&text, loc(1, 301, 1, 307), &[]);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[1].starts_with("1 | …aaa"));
        assert!(lines[1].ends_with("b…"));
        let col = lines[1].find("TARGET").unwrap_or(0);
        assert_eq!(lines[2].find('^'), Some(col - 2), "{out}"); // `…` is 3 bytes, 1 cell
    }

    #[test]
    fn a_line_too_long_to_frame_gets_none_and_secrets_are_masked_by_line() {
        // One line of minified JSON: no frame (each would read the whole line).
        let long = format!("{}x", "a".repeat(MAX_FRAME_LINE_BYTES));
        let src = Source::new(&long, &[]);
        let mut out = String::new();
        assert!(render(&mut out, &src, loc(1, 2, 1, 3), "", Style::plain()).is_none());
        assert_eq!(out, "");
        // A line at the limit is framed, its secret masked among thousands elsewhere.
        let mut text = format!("k: {}\n", "s".repeat(MAX_FRAME_LINE_BYTES - 3));
        let mut findings = vec![finding(SECRET_RULE.id(), loc(1, 4, 1, 9))];
        for i in 2..3_000u32 {
            text.push_str("t: xoxb-value\n");
            findings.push(finding(SECRET_RULE.id(), loc(i, 4, i, 14)));
        }
        let out = frame(&text, loc(1, 1, 1, 2), &findings);
        assert!(out.contains("1 | k: *****sss"), "{out}");
        let out = frame(&text, loc(2_999, 1, 2_999, 2), &findings);
        assert!(out.contains("2999 | t: **********"), "{out}");
    }

    #[test]
    fn control_and_bidi_characters_are_made_visible() {
        assert_eq!(printable("a\x1b[31mb\u{202e}c"), "a\u{241b}[31mb\u{fffd}c");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }
}
