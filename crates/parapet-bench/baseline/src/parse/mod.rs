//! Parsers from source text to [`Node`] trees, with byte spans, for YAML and JSON.

mod json;
mod yaml;

use crate::document::{DuplicateKey, Limits, Node, SyntaxError};
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
        Syntax::Json => json::parse(text, limits).map(|(root, duplicates)| Parsed {
            root,
            syntax,
            warnings: Vec::new(),
            duplicates,
        }),
        _ => yaml::parse(text, limits).map(|(root, warnings, duplicates)| Parsed {
            root,
            syntax: Syntax::Yaml,
            warnings,
            duplicates,
        }),
    }
}
