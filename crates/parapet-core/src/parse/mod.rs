//! Parsers from source text to [`Node`] trees, with byte spans, for YAML and JSON.

mod json;
mod yaml;

use crate::document::{DuplicateKey, Key, Limits, Node, SyntaxError};
use crate::source::Span;

/// Which syntax to parse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Syntax {
    #[default]
    Auto,
    Json,
    Yaml,
}

/// The outcome of parsing: the first document, plus problems that did not stop parsing
/// (duplicate keys, extra documents).
#[derive(Debug)]
pub struct Parsed {
    pub root: Node,
    pub syntax: Syntax,
    pub warnings: Vec<SyntaxError>,
    /// Keys defined twice in one mapping: the document is ambiguous.
    pub duplicates: Vec<DuplicateKey>,
    /// Where the text's lines start, when the parser saw every newline (JSON): the engine's
    /// line index without a second scan of the text.
    pub(crate) line_starts: Option<Vec<u32>>,
}

/// Offset of the text after an optional UTF-8 byte order mark.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

pub fn detect(text: &str) -> Syntax {
    match text[bom_len(text)..].trim_start().as_bytes().first() {
        Some(b'{') | Some(b'[') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

pub fn parse(text: &str, syntax: Syntax, limits: &Limits) -> Result<Parsed, SyntaxError> {
    if text.len() > limits.max_input_bytes {
        return Err(SyntaxError {
            message: format!(
                "the input is {} bytes, over the limit of {} bytes",
                text.len(),
                limits.max_input_bytes
            ),
            span: Span::new(0, 0),
        });
    }
    let syntax = match syntax {
        Syntax::Auto => detect(text),
        s => s,
    };
    match syntax {
        Syntax::Json => json::parse(text, limits).map(|(root, duplicates, lines)| Parsed {
            root,
            syntax,
            warnings: Vec::new(),
            duplicates,
            line_starts: Some(lines),
        }),
        _ => yaml::parse(text, limits).map(|(root, warnings, duplicates)| Parsed {
            root,
            syntax: Syntax::Yaml,
            warnings,
            duplicates,
            line_starts: None,
        }),
    }
}

/// Duplicate-key detection for one mapping in time linear in its size: a scan of the keys so
/// far while the mapping is small (most are), a hash map from key to its first span once it
/// grows. Also enforces [`Limits::max_keys`].
#[derive(Default)]
pub(super) struct KeyIndex {
    count: usize,
    map: Option<crate::hash::Map<crate::document::Str, Span>>,
}

/// Up to this many keys a mapping is searched by a scan.
const SCAN_KEYS: usize = 16;

impl KeyIndex {
    /// Records the next key of the mapping whose keys so far are `keys`; returns the span of
    /// an earlier key of the same name, or an error when the mapping exceeds the key limit.
    #[inline]
    pub(super) fn add(
        &mut self,
        entries: &[(Key, Node)],
        name: &crate::document::Str,
        span: Span,
        limits: &Limits,
    ) -> Result<Option<Span>, SyntaxError> {
        self.count += 1;
        if self.count > limits.max_keys {
            return Err(too_many_keys(span, limits));
        }
        if self.map.is_none() && self.count <= SCAN_KEYS {
            return Ok(entries
                .iter()
                .find(|(k, _)| k.name == *name)
                .map(|(k, _)| k.span));
        }
        Ok(self.add_mapped(entries, name, span))
    }

    /// [`KeyIndex::add`] past [`SCAN_KEYS`] keys: a hash map.
    #[inline(never)]
    fn add_mapped(
        &mut self,
        entries: &[(Key, Node)],
        name: &crate::document::Str,
        span: Span,
    ) -> Option<Span> {
        let map = self.map.get_or_insert_with(|| {
            let mut m =
                crate::hash::Map::with_capacity_and_hasher(SCAN_KEYS * 4, Default::default());
            for (k, _) in entries {
                m.entry(k.name.clone()).or_insert(k.span);
            }
            m
        });
        match map.get(name.as_str()) {
            Some(first) => Some(*first),
            None => {
                map.insert(name.clone(), span);
                None
            }
        }
    }
}

#[cold]
fn too_many_keys(span: Span, limits: &Limits) -> SyntaxError {
    SyntaxError {
        message: format!("a mapping has more than {} keys", limits.max_keys),
        span,
    }
}
