//! A small strict JSON parser (RFC 8259) that records byte spans, rejects nesting beyond the
//! limit before it recurses further, and reports duplicate keys.

use crate::document::{DuplicateKey, Key, Limits, Node, Str, SyntaxError, Value};
use crate::source::Span;

pub(super) fn parse(text: &str, limits: &Limits) -> Result<(Node, Vec<DuplicateKey>), SyntaxError> {
    let mut p = Parser {
        text,
        shared: std::rc::Rc::from(text),
        bytes: text.as_bytes(),
        pos: super::bom_len(text),
        limits,
        nodes: 0,
        duplicates: Vec::new(),
        entries: Vec::new(),
        items: Vec::new(),
    };
    p.skip_ws();
    let root = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error_here("unexpected content after the JSON value"));
    }
    Ok((root, p.duplicates))
}

struct Parser<'a> {
    text: &'a str,
    /// `text`, shared by every string without escapes (see [`Str`]).
    shared: std::rc::Rc<str>,
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
}

impl Parser<'_> {
    fn error_here(&self, message: &str) -> SyntaxError {
        let end = self.next_char_end();
        SyntaxError {
            message: message.to_string(),
            span: Span::from_usize(self.pos, end),
        }
    }

    fn next_char_end(&self) -> usize {
        self.text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(self.pos, |c| self.pos + c.len_utf8())
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn count_node(&mut self) -> Result<(), SyntaxError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(self.error_here(&format!(
                "the document has more than {} values",
                self.limits.max_nodes
            )));
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
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

    fn check_depth(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth >= self.limits.max_depth {
            return Err(self.error_here(&format!(
                "nesting is deeper than {} levels",
                self.limits.max_depth
            )));
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, SyntaxError> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(value, Span::from_usize(start, self.pos)))
        } else {
            Err(self.error_here("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Node, SyntaxError> {
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
    fn string(&mut self) -> Result<(Str, bool), SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        // Fast path: no escape before the closing quote (the usual case) is one copy.
        let plain = self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        if let Some(n) = plain {
            if self.bytes[self.pos + n] == b'"' {
                let s = Str::shared(&self.shared, self.pos, self.pos + n);
                self.pos += n + 1;
                return Ok((s, true));
            }
        }
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

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let hex = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error_here("invalid \\u escape: expected four hex digits"))?;
        let v = u32::from_str_radix(hex, 16).unwrap_or(0);
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
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

    fn expect(&mut self, b: u8, what: &str) -> Result<(), SyntaxError> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(&format!("expected {what}")))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, SyntaxError> {
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
            let earlier = keys.add(
                self.entries[base..].iter().map(|(k, _)| k),
                &name,
                key_span,
                self.limits,
            )?;
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
                    let entries: Vec<(Key, Node)> = self.entries.drain(base..).collect();
                    return Ok(Node::new(
                        Value::Map(entries),
                        Span::from_usize(start, self.pos),
                    ));
                }
                _ => return Err(self.error_here("expected ',' or '}' in object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, SyntaxError> {
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
                    let items: Vec<Node> = self.items.drain(base..).collect();
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
