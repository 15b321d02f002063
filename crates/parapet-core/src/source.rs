//! Source text positions: byte spans in the core, line/column (Unicode scalar values) and UTF-16
//! offsets computed on demand at the boundary, as ruff's `LineIndex` does.

use serde::Serialize;

/// A half-open byte range into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    pub fn from_usize(start: usize, end: usize) -> Self {
        Self::new(saturate(start), saturate(end.max(start)))
    }

    /// A span inside a string value: `inner` is a byte range relative to `self.start`.
    /// Only meaningful when the value is written verbatim in the source; callers check that.
    pub fn sub(self, start: usize, end: usize) -> Self {
        let s = self.start.saturating_add(saturate(start)).min(self.end);
        let e = self
            .start
            .saturating_add(saturate(end))
            .min(self.end)
            .max(s);
        Self::new(s, e)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Offset of the first newline at or after `at`, eight bytes at a time: bit 7 of each byte of
/// the mask is set exactly where that byte is a newline (no carry crosses bytes).
#[inline]
fn next_newline(bytes: &[u8], mut at: usize) -> Option<usize> {
    const NL: u64 = u64::from_ne_bytes([b'\n'; 8]);
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(c) = bytes.get(at..at.wrapping_add(8)) {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let x = w ^ NL;
        let m = !(((x & LOW7) + LOW7) | x) & HI;
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes
        .get(at..)?
        .iter()
        .position(|&c| c == b'\n')
        .map(|k| at + k)
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// 1-based line and column span, columns counted in Unicode scalar values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Maps byte offsets to lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    ascii: bool,
    /// For text that is not ASCII: the characters and UTF-16 code units that start before each
    /// block of [`BLOCK`] bytes (and before the end), built on the first lookup that needs it.
    /// A column or a UTF-16 offset then counts at most one block, however long its line or the
    /// text: one line of minified JSON with many findings stays linear.
    units: std::cell::OnceCell<Vec<(u32, u32)>>,
}

/// Bytes per block of [`LineIndex::units`].
const BLOCK: usize = 256;

/// Characters and UTF-16 code units that start in `bytes` (a slice of UTF-8 cut anywhere): a
/// character starts at each byte that is not a continuation byte, and one of four bytes is two
/// UTF-16 code units.
fn units_in(bytes: &[u8]) -> (u32, u32) {
    let (mut chars, mut wide) = (0u32, 0u32);
    for &b in bytes {
        chars += u32::from((b as i8) >= -0x40);
        wide += u32::from(b >= 0xf0);
    }
    (chars, chars + wide)
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // About one line in 24 bytes (pretty-printed JSON, YAML): one allocation for most.
        let mut line_starts = Vec::with_capacity(bytes.len() / 24 + 2);
        line_starts.push(0u32);
        let mut at = 0;
        while let Some(nl) = next_newline(bytes, at) {
            at = nl + 1;
            line_starts.push(saturate(at));
        }
        Self {
            line_starts,
            ascii: text.is_ascii(),
            units: std::cell::OnceCell::new(),
        }
    }

    /// The index of `text` from its line starts as a parser recorded them (0, then one past
    /// each newline, in order).
    pub(crate) fn from_starts(text: &str, line_starts: Vec<u32>) -> Self {
        debug_assert_eq!(line_starts, Self::new(text).line_starts);
        Self {
            line_starts,
            ascii: text.is_ascii(),
            units: std::cell::OnceCell::new(),
        }
    }

    /// Characters and UTF-16 code units of `text` that start before byte `offset` (at most
    /// `text.len()`; text that is not ASCII).
    fn units_before(&self, text: &str, offset: usize) -> (u32, u32) {
        let bytes = text.as_bytes();
        let table = self.units.get_or_init(|| {
            let mut table = Vec::with_capacity(bytes.len() / BLOCK + 2);
            let (mut chars, mut utf16) = (0u32, 0u32);
            for block in bytes.chunks(BLOCK) {
                table.push((chars, utf16));
                let (c, u) = units_in(block);
                chars = chars.saturating_add(c);
                utf16 = utf16.saturating_add(u);
            }
            table.push((chars, utf16));
            table
        });
        let offset = offset.min(bytes.len());
        let block = offset / BLOCK;
        let (chars, utf16) = table.get(block).copied().unwrap_or_default();
        let (c, u) = units_in(bytes.get(block * BLOCK..offset).unwrap_or_default());
        (chars.saturating_add(c), utf16.saturating_add(u))
    }

    /// The 0-based line that holds byte `offset` (the first line starts at 0, so there is one).
    fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of the line that holds `offset`, without its newline (`\r` included).
    pub(crate) fn line_range(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(saturate(offset.min(text.len())));
        let start = self.line_starts[line] as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |&next| next as usize - 1);
        (start, end)
    }

    /// 1-based (line, column) of a byte offset. Offsets inside a multi-byte character count as
    /// that character.
    pub fn line_col(&self, text: &str, offset: u32) -> (u32, u32) {
        let offset = offset.min(saturate(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = if self.ascii {
            offset - start
        } else if ((offset - start) as usize) <= BLOCK {
            // A short way into its line: counted directly.
            let bytes = text.as_bytes();
            units_in(
                bytes
                    .get(start as usize..offset as usize)
                    .unwrap_or_default(),
            )
            .0
        } else {
            let before = |at: u32| self.units_before(text, at as usize).0;
            before(offset) - before(start)
        };
        (saturate(line + 1), col + 1)
    }

    pub fn location(&self, text: &str, span: Span) -> Location {
        let (line, column) = self.line_col(text, span.start);
        let (end_line, end_column) = self.line_col(text, span.end);
        Location {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// UTF-16 code-unit offset of a byte offset, for JS editors (Monaco, CodeMirror).
    pub fn utf16_offset(&self, text: &str, offset: u32) -> u32 {
        let offset = (offset as usize).min(text.len());
        if self.ascii {
            return saturate(offset);
        }
        self.units_before(text, offset).1
    }
}

/// Converts char indexes (as the YAML scanner reports them) to byte offsets.
pub(crate) struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    // (char index, byte offset) of the last lookup: scanner positions arrive mostly in order.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> CharToByte<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    pub fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let (mut ci, mut bi) = self.cursor.get();
        if char_index < ci {
            ci = 0;
            bi = 0;
        }
        let rest = &self.text[bi..];
        let mut it = rest.char_indices();
        while ci < char_index {
            match it.next() {
                Some((_, c)) => {
                    bi += c.len_utf8();
                    ci += 1;
                }
                None => break,
            }
        }
        self.cursor.set((ci, bi));
        bi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values() {
        let text = "a: é\nbb: 😀x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0) as u32;
        assert_eq!(idx.line_col(text, x), (2, 6));
        assert_eq!(idx.utf16_offset(text, x), 11);
    }

    /// Columns, UTF-16 offsets and line ranges as their definitions say, by counting from the
    /// start (what the index computed before its block table).
    fn naive(text: &str, offset: usize) -> ((u32, u32), u32, (usize, usize)) {
        let start = text.as_bytes()[..offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = text.as_bytes()[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| offset + i);
        let line = text[..start].matches('\n').count() + 1;
        let col = text[start..]
            .char_indices()
            .take_while(|(i, _)| *i < offset - start)
            .count();
        let utf16 = text
            .char_indices()
            .take_while(|(i, _)| *i < offset)
            .map(|(_, c)| c.len_utf16())
            .sum::<usize>();
        ((line as u32, col as u32 + 1), utf16 as u32, (start, end))
    }

    #[test]
    fn long_lines_of_any_characters_map_as_counted_from_the_start() {
        // Lines shorter and longer than a block, with characters of one to four bytes that
        // straddle block boundaries, and every offset (inside characters too).
        let pieces = ["a", "é", "中", "😀", "\n", "bc", "\r\n"];
        for seed in 0..6u64 {
            let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            let mut text = String::new();
            while text.len() < 1800 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Newlines rarely: most lines run past several blocks.
                let i = (x % 64) as usize;
                text.push_str(if i < 60 {
                    pieces[i % 4]
                } else {
                    pieces[4 + i % 3]
                });
            }
            let index = LineIndex::new(&text);
            for offset in 0..=text.len() {
                let (line_col, utf16, range) = naive(&text, offset);
                let o = offset as u32;
                assert_eq!(
                    index.line_col(&text, o),
                    line_col,
                    "seed {seed} offset {offset}"
                );
                assert_eq!(
                    index.utf16_offset(&text, o),
                    utf16,
                    "seed {seed} offset {offset}"
                );
                assert_eq!(
                    index.line_range(&text, offset),
                    range,
                    "seed {seed} offset {offset}"
                );
            }
        }
    }

    #[test]
    fn every_newline_starts_a_line_wherever_it_falls_in_a_word() {
        for len in 0..40 {
            for at in 0..len {
                for other in [b'a', b'\x0b', b'\x8a', 0xff, b'\n'] {
                    let mut t = vec![other; len];
                    t[at] = b'\n';
                    let text = String::from_utf8_lossy(&t).into_owned();
                    let want: Vec<u32> = std::iter::once(0)
                        .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
                        .collect();
                    let index = LineIndex::new(&text);
                    assert_eq!(index.line_starts, want, "{text:?}");
                    assert_eq!(index.ascii, text.is_ascii(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn json_parser_records_the_same_line_starts_as_a_scan() {
        let texts = [
            "{}",
            "\u{feff}\n{\"a\": 1}\n",
            "{\r\n  \"a\": [\r\n    1,\n\n\n    \"x\"\r\n  ]\r\n}\r\n",
            "\n\n  \t\n[ \n\t\"é\",\n        \"😀\"   \n ]  \n \n",
            "{\"k\":\n{\"deep\": {\"er\":\n\n null}}}",
            include_str!("../benches/data/typical.json"),
        ];
        for text in texts {
            let parsed = crate::parse::parse(text, crate::parse::Syntax::Json, &Default::default())
                .unwrap_or_else(|e| panic!("{text:?}: {}", e.message));
            let starts = parsed.line_starts.clone().unwrap_or_default();
            assert_eq!(starts, LineIndex::new(text).line_starts, "{text:?}");
            let index = LineIndex::from_starts(text, starts);
            assert_eq!(index.ascii, text.is_ascii());
        }
        // YAML's parser reports none: the engine scans.
        let parsed = crate::parse::parse("a: 1\n", crate::parse::Syntax::Yaml, &Default::default());
        assert!(parsed.is_ok_and(|p| p.line_starts.is_none()));
    }

    #[test]
    fn char_to_byte_handles_backwards_lookups() {
        let text = "éé😀ab";
        let m = CharToByte::new(text);
        assert_eq!(m.byte(3), 8);
        assert_eq!(m.byte(1), 2);
        assert_eq!(m.byte(4), 9);
    }
}
