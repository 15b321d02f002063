//! A small strict JSON parser (RFC 8259) that records byte spans, rejects nesting beyond the
//! limit before it recurses further, and reports duplicate keys.

use crate::document::{DuplicateKey, Key, Limits, Node, Str, SyntaxError, Value};
use crate::source::Span;

/// The document's root, its duplicate keys, and the offsets where its lines start (every newline
/// of valid JSON is whitespace between tokens, which the parser crosses anyway: the engine's
/// [`crate::source::LineIndex`] comes from here instead of a second scan of the text).
pub(super) type Parsed = (Node, Vec<DuplicateKey>, Vec<u32>);

pub(super) fn parse(text: &str, limits: &Limits) -> Result<Parsed, SyntaxError> {
    let mut line_starts = Vec::with_capacity(text.len() / 24 + 2);
    line_starts.push(0);
    let mut p = Parser {
        text,
        shared: std::rc::Rc::new(text.to_string()),
        bytes: text.as_bytes(),
        pos: super::bom_len(text),
        limits,
        nodes: 0,
        duplicates: Vec::new(),
        entries: Vec::with_capacity(64),
        items: Vec::with_capacity(64),
        line_starts,
    };
    p.skip_ws();
    let root = p.value(0).map_err(|e| *e)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(*p.error_here("unexpected content after the JSON value"));
    }
    Ok((root, p.duplicates, p.line_starts))
}

/// Errors travel boxed: a result is then no larger than its node.
type Error = Box<SyntaxError>;

struct Parser<'a> {
    text: &'a str,
    /// `text`, shared by every string without escapes (see [`Str`]).
    shared: std::rc::Rc<String>,
    bytes: &'a [u8],
    pos: usize,
    limits: &'a Limits,
    nodes: usize,
    duplicates: Vec<DuplicateKey>,
    /// Entries of the objects being parsed, innermost last (each object takes its own off
    /// the top when it ends, into a vector of the exact size).
    entries: Vec<(Key, Node)>,
    /// Items of the arrays being parsed, likewise.
    items: Vec<Node>,
    /// Offset of each line's first byte: 0, then one past every newline crossed.
    line_starts: Vec<u32>,
}

impl Parser<'_> {
    #[cold]
    fn error_here(&self, message: &str) -> Error {
        let end = self.next_char_end();
        Box::new(SyntaxError {
            message: message.to_string(),
            span: Span::from_usize(self.pos, end),
        })
    }

    fn next_char_end(&self) -> usize {
        self.text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(self.pos, |c| self.pos + c.len_utf8())
    }

    /// Skips whitespace. Most calls find none; the rest are mostly a newline and an indent,
    /// which [`spaces_end`] crosses eight bytes at a time.
    #[inline(always)]
    fn skip_ws(&mut self) {
        match self.bytes.get(self.pos) {
            // One space, as after a key's colon.
            Some(b' ') => {
                self.pos += 1;
                if let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
                    self.skip_ws_run();
                }
            }
            // A newline and an indent, as before each line's first token.
            Some(b'\n') => {
                self.newline();
                self.pos = spaces_end(self.bytes, self.pos + 1);
                if let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
                    self.skip_ws_run();
                }
            }
            Some(b'\t' | b'\r') => self.skip_ws_run(),
            _ => {}
        }
    }

    fn skip_ws_run(&mut self) {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'\n') => {
                    self.newline();
                    self.pos = spaces_end(self.bytes, self.pos + 1);
                }
                _ => return,
            }
        }
    }

    /// Records the line that starts after the newline at `self.pos`.
    #[inline(always)]
    fn newline(&mut self) {
        self.line_starts
            .push(u32::try_from(self.pos + 1).unwrap_or(u32::MAX));
    }

    fn count_node(&mut self) -> Result<(), Error> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(self.error_here(&format!(
                "the document has more than {} values",
                self.limits.max_nodes
            )));
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, Error> {
        self.count_node()?;
        let start = self.pos;
        match self.bytes.get(self.pos) {
            None => Err(self.error_here("unexpected end of input, expected a value")),
            Some(b'{') => {
                self.check_depth(depth)?;
                self.object(depth)
            }
            Some(b'[') => {
                self.check_depth(depth)?;
                self.array(depth)
            }
            Some(b'"') => {
                let (s, verbatim) = self.string()?;
                let mut node = Node::new(Value::String(s), Span::from_usize(start, self.pos));
                node.verbatim = verbatim;
                Ok(node)
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error_here("expected a JSON value")),
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), Error> {
        if depth >= self.limits.max_depth {
            return Err(self.error_here(&format!(
                "nesting is deeper than {} levels",
                self.limits.max_depth
            )));
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, Error> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(value, Span::from_usize(start, self.pos)))
        } else {
            Err(self.error_here("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Node, Error> {
        let start = self.pos;
        let mut is_float = false;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while matches!(p.bytes.get(p.pos), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos - s
        };
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 || (n > 1 && self.bytes[int_start] == b'0') {
            self.pos = start;
            return Err(self.error_here("invalid number"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            is_float = true;
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error_here("invalid number: expected digits after '.'"));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            is_float = true;
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error_here("invalid number: expected digits in the exponent"));
            }
        }
        let raw = &self.text[start..self.pos];
        let span = Span::from_usize(start, self.pos);
        let value = match (is_float, raw.parse::<i64>()) {
            (false, Ok(i)) => Value::Int(i),
            _ => Value::Float(raw.parse::<f64>().unwrap_or(f64::NAN)),
        };
        Ok(Node::new(value, span))
    }

    /// Parses a string at `self.pos` (which is at the opening quote). Returns the string and
    /// whether it had no escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<(Str, bool), Error> {
        // Fast path: no escape before the closing quote (the usual case) is a slice of the
        // shared text.
        let start = self.pos + 1;
        let stop = special_at(self.bytes, start);
        if self.bytes.get(stop) == Some(&b'"') {
            // Both ends are next to an ASCII quote: character boundaries.
            self.pos = stop + 1;
            return Ok((Str::shared_at(&self.shared, start, stop), true));
        }
        self.escaped_string()
    }

    /// [`Parser::string`] for a string with escapes (or an error).
    #[inline(never)]
    fn escaped_string(&mut self) -> Result<(Str, bool), Error> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut verbatim = true;
        let mut chunk_start = self.pos;
        loop {
            match self.bytes.get(self.pos) {
                None => {
                    self.pos = open;
                    return Err(self.error_here("unterminated string"));
                }
                Some(b'"') => {
                    out.push_str(&self.text[chunk_start..self.pos]);
                    self.pos += 1;
                    return Ok((Str::from(out), verbatim));
                }
                Some(b'\\') => {
                    verbatim = false;
                    out.push_str(&self.text[chunk_start..self.pos]);
                    self.pos += 1;
                    let esc = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let c = self.unicode_escape()?;
                            out.push(c);
                        }
                        _ => {
                            self.pos -= 2;
                            return Err(self.error_here("invalid escape sequence in string"));
                        }
                    }
                    chunk_start = self.pos;
                }
                Some(b) if *b < 0x20 => {
                    return Err(self.error_here("control character in string (escape it)"));
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let hex = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error_here("invalid \\u escape: expected four hex digits"))?;
        let v = u32::from_str_radix(hex, 16).unwrap_or(0);
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, Error> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.bytes[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let lo = self.hex4()?;
                if (0xDC00..0xE000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
                }
            }
            return Ok('\u{fffd}');
        }
        Ok(char::from_u32(hi).unwrap_or('\u{fffd}'))
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), Error> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(&format!("expected {what}")))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, Error> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node::new(
                Value::Map(Vec::new()),
                Span::from_usize(start, self.pos),
            ));
        }
        let base = self.entries.len();
        let mut keys = super::KeyIndex::default();
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error_here("expected a string key"));
            }
            let key_start = self.pos;
            let (name, _) = self.string()?;
            let key_span = Span::from_usize(key_start, self.pos);
            let earlier = keys
                .add(&self.entries[base..], &name, key_span, self.limits)
                .map_err(Box::new)?;
            if let Some(first) = earlier {
                self.duplicates.push(DuplicateKey {
                    name: name.to_string(),
                    span: key_span,
                    first,
                });
            }
            self.expect(b':', "':' after the key")?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            self.entries.push((
                Key {
                    name,
                    span: key_span,
                },
                value,
            ));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    let entries = self.entries.split_off(base);
                    return Ok(Node::new(
                        Value::Map(entries),
                        Span::from_usize(start, self.pos),
                    ));
                }
                _ => return Err(self.error_here("expected ',' or '}' in object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, Error> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node::new(
                Value::Seq(Vec::new()),
                Span::from_usize(start, self.pos),
            ));
        }
        let base = self.items.len();
        loop {
            self.skip_ws();
            let item = self.value(depth + 1)?;
            self.items.push(item);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    let items = self.items.split_off(base);
                    return Ok(Node::new(
                        Value::Seq(items),
                        Span::from_usize(start, self.pos),
                    ));
                }
                _ => return Err(self.error_here("expected ',' or ']' in array")),
            }
        }
    }
}

const LO: u64 = u64::from_ne_bytes([0x01; 8]);
const HI: u64 = u64::from_ne_bytes([0x80; 8]);

/// The eight bytes at `i` as a little-endian word (the byte at `i` lowest), if there are eight.
#[inline(always)]
fn word(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i.wrapping_add(8))?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Bit 7 set in the bytes of `x` that are zero. Only the lowest set bit is exact (a borrow may
/// flag a higher byte), which is the only one read.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// Offset of the first byte at or after `i` that is not a space (or `bytes.len()`).
#[inline]
fn spaces_end(bytes: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while let Some(w) = word(bytes, i) {
        let x = w ^ SPACES;
        if x != 0 {
            return i + (x.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// Offset of the first byte at or after `i` that ends a run of plain string bytes: a quote, a
/// backslash or a control character (or `bytes.len()`). Eight bytes at a time.
#[inline]
fn special_at(bytes: &[u8], mut i: usize) -> usize {
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    const CONTROL: u64 = u64::from_ne_bytes([0x20; 8]);
    while let Some(w) = word(bytes, i) {
        // A byte below 0x20 wraps below zero (bit 7 set) while its own bit 7 is clear.
        let m = zero_bytes(w ^ QUOTES)
            | zero_bytes(w ^ BACKSLASHES)
            | (w.wrapping_sub(CONTROL) & !w & HI);
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts where every interesting byte sits at every offset of an eight-byte word.
    fn samples() -> Vec<Vec<u8>> {
        let fill = [b'a', b' ', 0x7f, 0x80, 0xe9, 0xff, 0x21, 0x5b, 0x5d];
        let stops = [b'"', b'\\', 0x00, 0x1f, b'\n', b'\t', b' ', b'a'];
        let mut out = Vec::new();
        for &f in &fill {
            for &s in &stops {
                for len in 0..20 {
                    for at in 0..=len {
                        let mut t = vec![f; len];
                        if at < len {
                            t[at] = s;
                        }
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn word_scans_agree_with_byte_scans() {
        for t in samples() {
            for from in 0..=t.len() {
                let special = (from..t.len())
                    .find(|&i| t[i] == b'"' || t[i] == b'\\' || t[i] < 0x20)
                    .unwrap_or(t.len());
                assert_eq!(special_at(&t, from), special, "{t:?} from {from}");
                let spaces = (from..t.len()).find(|&i| t[i] != b' ').unwrap_or(t.len());
                assert_eq!(spaces_end(&t, from), spaces, "{t:?} from {from}");
            }
        }
    }

    #[test]
    fn strings_and_whitespace_at_every_offset_read_as_serde_json_reads_them() {
        let limits = Limits::default();
        let pieces = [
            "ab",
            "\\n",
            "\\\"",
            "é",
            "\\u00e9",
            "\\ud83d\\ude00",
            "😀",
            "/",
            " ",
        ];
        for pad in 0..10 {
            for a in pieces {
                for b in pieces {
                    let key = format!("{}{a}{b}", "k".repeat(pad));
                    let text = format!(
                        "{{\n{}\"{key}\":{}\"{b}{}{a}\" ,\"n\": [ 1,-2.5e3 ,true,null]}}",
                        " ".repeat(pad),
                        " ".repeat(pad % 3),
                        "v".repeat(pad)
                    );
                    let want: serde_json::Value =
                        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                    let (node, dups, _) =
                        parse(&text, &limits).unwrap_or_else(|e| panic!("{text}: {e:?}"));
                    assert!(dups.is_empty());
                    assert_eq!(node.to_json(), want, "{text}");
                }
            }
        }
    }

    #[test]
    fn unterminated_and_control_characters_are_errors_at_their_place() {
        let limits = Limits::default();
        for pad in 0..12 {
            let v = "x".repeat(pad);
            let e = parse(&format!("[\"{v}"), &limits).err();
            assert_eq!(
                e.map(|e| (e.message, e.span.start)),
                Some(("unterminated string".into(), 1))
            );
            let e = parse(&format!("[\"{v}\u{1}\"]"), &limits).err();
            assert_eq!(
                e.map(|e| e.span.start as usize),
                Some(2 + pad),
                "control character after {pad} bytes"
            );
        }
    }
}
