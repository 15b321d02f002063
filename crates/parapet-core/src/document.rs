//! A parsed YAML or JSON document: a tree of nodes that remember where they came from.

use crate::source::Span;

/// Limits that keep parsing bounded in time and memory on any input.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_input_bytes: usize,
    /// Deepest accepted nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes a document may expand to, aliases included (defuses alias bombs).
    pub max_nodes: usize,
    /// Most keys one mapping may hold.
    pub max_keys: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_bytes: 8 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 200_000,
            max_keys: 20_000,
        }
    }
}

/// A string of a parsed document: `text[start..end]` of a shared text. A JSON string without
/// escapes is a slice of the source text, which all such strings of a document share (no
/// copy, no allocation per string); any other string is the whole of its own text. Sixteen
/// bytes (a thin pointer and a range), so it travels in registers. Reads as a `&str`
/// (`Deref`, [`Str::as_str`]).
#[derive(Clone)]
pub struct Str {
    text: std::rc::Rc<String>,
    start: u32,
    end: u32,
}

impl Str {
    /// `text[start..end]` of a shared source text (a copy if the range cannot be shared, empty
    /// if it is not a string boundary).
    pub(crate) fn shared(text: &std::rc::Rc<String>, start: usize, end: usize) -> Self {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(s), Ok(e)) if text.get(start..end).is_some() => Str {
                text: std::rc::Rc::clone(text),
                start: s,
                end: e,
            },
            _ => Str::from(text.get(start..end).unwrap_or("").to_string()),
        }
    }

    /// `text[start..end]` where the caller knows both ends are character boundaries (a
    /// boundary that is not one reads as an empty string, never as other text).
    #[inline]
    pub(crate) fn shared_at(text: &std::rc::Rc<String>, start: usize, end: usize) -> Self {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => Str {
                text: std::rc::Rc::clone(text),
                start,
                end,
            },
            _ => Self::shared(text, start, end),
        }
    }

    /// Equal to `other` (lengths first: no look at the text for most keys compared).
    #[inline]
    fn is(&self, other: &str) -> bool {
        let (a, b) = (self.bytes(), other.as_bytes());
        // Keys of one mapping often share a length ("name", "type"): the first byte tells most
        // apart without a call to `memcmp`.
        a.len() == b.len() && a.first() == b.first() && a == b
    }

    /// The string's bytes (no check of character boundaries: for comparisons).
    #[inline]
    fn bytes(&self) -> &[u8] {
        self.text
            .as_bytes()
            .get(self.start as usize..self.end as usize)
            .unwrap_or(&[])
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        self.text
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

impl Default for Str {
    fn default() -> Self {
        Str::from(String::new())
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        // A text past 4 GiB (beyond any input limit) reads as empty rather than cut short.
        let end = u32::try_from(s.len()).unwrap_or(0);
        Str {
            text: std::rc::Rc::new(s),
            start: 0,
            end,
        }
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str::from(s.to_string())
    }
}

impl From<Str> for String {
    fn from(s: Str) -> Self {
        if s.start == 0 && s.end as usize == s.text.len() {
            return std::rc::Rc::try_unwrap(s.text).unwrap_or_else(|rc| rc.as_str().to_string());
        }
        s.as_str().to_string()
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.bytes(), other.bytes());
        a.len() == b.len() && a.first() == b.first() && a == b
    }
}

impl Eq for Str {}

impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.is(other)
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.is(other)
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.is(other)
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        other.is(self)
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        other.is(self)
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        other.is(self)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(Str),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: Str,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// True when the node's text in the source is exactly its string value (a plain or
    /// simple quoted scalar), so that spans inside the string map onto the source.
    pub verbatim: bool,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Self {
            value,
            span,
            verbatim: false,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A short name of the node's type for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Converts to a `serde_json::Value`: how a signed approval (`spec.exceptions[].approval`)
    /// and a pack's `approvals.trustedKeys` reach the DSSE and JWKS readers of `waivers`, which
    /// also read JSON files and HTTP bodies.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                // By `insert` (a repeated key: the last wins, as with `collect`), not
                // `collect`: serde_json's map is a BTreeMap, whose bulk build sorts first, a
                // copy of the std sort the wasm build would carry for this alone.
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    map.insert(k.name.to_string(), v.to_json());
                }
                J::Object(map)
            }
        }
    }
}

/// Appends one RFC 6901 reference token to a JSON Pointer.
pub fn push_pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    append_token(&mut out, token);
    out
}

/// Appends `/` and one escaped reference token to a pointer in place.
pub fn append_token(out: &mut String, token: &str) {
    out.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Decodes one RFC 6901 reference token (`~1` → `/`, then `~0` → `~`): the one unescaper.
pub fn unescape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

/// The decoded reference tokens of a JSON Pointer (none for the whole document, `""`).
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape_token)
}

pub fn push_index(base: &str, index: usize) -> String {
    let mut out = String::with_capacity(base.len() + 8);
    out.push_str(base);
    append_index(&mut out, index);
    out
}

/// Appends `/` and an array index to a pointer in place.
pub fn append_index(out: &mut String, index: usize) {
    out.push('/');
    if let Ok(d) = u8::try_from(index) {
        if d < 10 {
            out.push(char::from(b'0' + d));
            return;
        }
    }
    let mut digits = [0u8; 20];
    let mut n = index;
    let mut i = digits.len();
    loop {
        i -= 1;
        // `n % 10` is a digit: the cast cannot truncate.
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// Is `prefix` an RFC 6901 pointer prefix of `path` (equal, or an ancestor)?
pub fn pointer_is_prefix(prefix: &str, path: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    path == prefix
        || prefix.is_empty()
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// A document parse error, positioned in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// A key defined twice in one mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub name: String,
    pub span: Span,
    pub first: Span,
}
