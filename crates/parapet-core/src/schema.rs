//! Declarative document shapes and one validator for both manifests and policy packs.
//! Problems come back as [`SchemaIssue`]s with a pointer and a span; callers turn them into
//! findings (manifests) or errors (policy packs).

use crate::document::{append_index, append_token, push_pointer, Node, Value};
use crate::model::Date;
use crate::source::Span;

/// The expected shape of a node.
pub enum Shape {
    Any,
    Str,
    /// A string from a fixed set.
    OneOf(&'static [&'static str]),
    /// A string matching a check; the string describes the expected form.
    StrWith(fn(&str) -> bool, &'static str),
    Bool,
    Number,
    /// A number or null.
    NumberOrNull,
    /// `YYYY-MM-DD`, as a string.
    Date,
    List(&'static Shape),
    /// A mapping with known fields. Unknown fields are reported.
    Object(&'static [Field]),
    /// A mapping from free keys to values of one shape.
    MapOf(&'static Shape),
    /// Either a single string or a list of strings.
    StrOrList,
}

pub struct Field {
    pub name: &'static str,
    pub shape: &'static Shape,
    pub required: bool,
}

pub const fn field(name: &'static str, shape: &'static Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
    }
}

pub const fn required(name: &'static str, shape: &'static Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    WrongType,
    Missing,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaIssue {
    pub kind: IssueKind,
    pub pointer: String,
    pub span: Span,
    pub message: String,
}

/// Validates `node` against `shape`, appending issues.
pub fn validate(
    node: &Node,
    shape: &Shape,
    pointer: &str,
    key_span: Option<Span>,
    out: &mut Vec<SchemaIssue>,
) {
    validate_in(node, shape, &Path::Root(pointer), key_span, out);
}

/// The pointer of the node being checked, as a chain of steps on the stack: written out only
/// for an issue (most documents have none, and most nodes are fine).
#[derive(Clone, Copy)]
enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match *self {
            Path::Root(p) => out.push_str(p),
            Path::Key(parent, key) => {
                parent.write(out);
                append_token(out, key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                append_index(out, i);
            }
        }
    }

    fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

fn validate_in(
    node: &Node,
    shape: &Shape,
    path: &Path<'_>,
    key_span: Option<Span>,
    out: &mut Vec<SchemaIssue>,
) {
    match shape {
        Shape::Any => {}
        Shape::Str => {
            if node.as_str().is_none() {
                wrong(node, path, key_span, out, |what| {
                    format!("{what} must be a string, not {}", node.type_name())
                });
            }
        }
        Shape::OneOf(options) => match node.as_str() {
            Some(s) if options.contains(&s) => {}
            Some(s) => wrong(node, path, key_span, out, |what| {
                format!(
                    "{what} is \"{}\"; expected one of: {}",
                    crate::text::truncate(s, 40),
                    options.join(", "),
                )
            }),
            None => wrong(node, path, key_span, out, |what| {
                format!(
                    "{what} must be one of: {} (not {})",
                    options.join(", "),
                    node.type_name(),
                )
            }),
        },
        Shape::StrWith(check, expected) => match node.as_str() {
            Some(s) if check(s) => {}
            Some(s) => wrong(node, path, key_span, out, |what| {
                format!(
                    "{what} is \"{}\"; expected {expected}",
                    crate::text::truncate(s, 60),
                )
            }),
            None => wrong(node, path, key_span, out, |what| {
                format!("{what} must be {expected}, not {}", node.type_name())
            }),
        },
        Shape::Bool => {
            if node.as_bool().is_none() {
                wrong(node, path, key_span, out, |what| {
                    format!("{what} must be true or false, not {}", node.type_name())
                });
            }
        }
        Shape::Number => {
            if !matches!(node.as_f64(), Some(f) if f.is_finite()) {
                wrong(node, path, key_span, out, |what| {
                    format!("{what} must be a number, not {}", node.type_name())
                });
            }
        }
        Shape::NumberOrNull => {
            if !node.is_null() && !matches!(node.as_f64(), Some(f) if f.is_finite()) {
                wrong(node, path, key_span, out, |what| {
                    format!("{what} must be a number or null, not {}", node.type_name())
                });
            }
        }
        Shape::Date => match node.as_str() {
            Some(s) if Date::parse(s).is_some() => {}
            _ => wrong(node, path, key_span, out, |what| {
                format!("{what} must be a date, YYYY-MM-DD")
            }),
        },
        Shape::StrOrList => match &node.value {
            Value::String(_) => {}
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !fits_leaf(item, &Shape::Str) {
                        validate_in(item, &Shape::Str, &Path::Index(path, i), None, out);
                    }
                }
            }
            _ => wrong(node, path, key_span, out, |what| {
                format!("{what} must be a string or a list of strings")
            }),
        },
        Shape::List(item_shape) => match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !fits_leaf(item, item_shape) {
                        validate_in(item, item_shape, &Path::Index(path, i), None, out);
                    }
                }
            }
            _ => wrong(node, path, key_span, out, |what| {
                format!("{what} must be a list, not {}", node.type_name())
            }),
        },
        Shape::MapOf(value_shape) => match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    if !fits_leaf(v, value_shape) {
                        validate_in(v, value_shape, &Path::Key(path, &k.name), Some(k.span), out);
                    }
                }
            }
            _ => wrong(node, path, key_span, out, |what| {
                format!("{what} must be a mapping, not {}", node.type_name())
            }),
        },
        Shape::Object(fields) => match &node.value {
            Value::Map(entries) => {
                // Issues of missing fields come before those of the entries.
                let first_issue = out.len();
                // Fields seen (by index; a shape has fewer than 64), and where to look first:
                // entries mostly follow the shape's order.
                let mut seen = 0u64;
                let mut next = 0usize;
                for (k, v) in entries {
                    match find_field(fields, &k.name, next) {
                        Some(i) => {
                            next = i + 1;
                            seen |= 1u64.checked_shl(i as u32).unwrap_or(0);
                            let f = &fields[i];
                            if !fits_leaf(v, f.shape) {
                                validate_in(
                                    v,
                                    f.shape,
                                    &Path::Key(path, &k.name),
                                    Some(k.span),
                                    out,
                                );
                            }
                        }
                        None => {
                            let mut pointer = path.pointer();
                            let message = unknown_message(&k.name, &pointer, fields);
                            append_token(&mut pointer, &k.name);
                            out.push(SchemaIssue {
                                kind: IssueKind::Unknown,
                                pointer,
                                span: k.span,
                                message,
                            });
                        }
                    }
                }
                let present = |i: usize, f: &Field| match 1u64.checked_shl(i as u32) {
                    Some(bit) => seen & bit != 0,
                    None => entries.iter().any(|(k, _)| k.name == f.name),
                };
                if fields
                    .iter()
                    .enumerate()
                    .any(|(i, f)| f.required && !present(i, f))
                {
                    missing_fields(node, path, key_span, fields, present, first_issue, out);
                }
            }
            _ => wrong(node, path, key_span, out, |what| {
                format!("{what} must be a mapping, not {}", node.type_name())
            }),
        },
    }
}

/// The index of the field named `name`, looked for from `start` on, then before it.
#[inline]
fn find_field(fields: &[Field], name: &str, start: usize) -> Option<usize> {
    let start = start.min(fields.len());
    (start..fields.len())
        .chain(0..start)
        .find(|&i| fields[i].name == name)
}

/// Reports the object's missing required fields, at `at` in `out` (before its entries' issues).
#[cold]
#[inline(never)]
fn missing_fields(
    node: &Node,
    path: &Path<'_>,
    key_span: Option<Span>,
    fields: &[Field],
    present: impl Fn(usize, &Field) -> bool,
    at: usize,
    out: &mut Vec<SchemaIssue>,
) {
    let mut missing = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if f.required && !present(i, f) {
            let pointer = path.pointer();
            missing.push(SchemaIssue {
                kind: IssueKind::Missing,
                span: focus_span(node, key_span),
                message: format!(
                    "{} is required",
                    display_name(&push_pointer(&pointer, f.name))
                ),
                pointer,
            });
        }
    }
    out.splice(at..at, missing);
}

/// Whether `node` plainly fits a leaf `shape` (a string where a string is expected, ...): then
/// [`validate_in`] would report nothing, and is not called.
#[inline(always)]
fn fits_leaf(node: &Node, shape: &Shape) -> bool {
    match shape {
        Shape::Any => true,
        Shape::Str => matches!(node.value, Value::String(_)),
        Shape::Bool => matches!(node.value, Value::Bool(_)),
        Shape::OneOf(options) => match &node.value {
            Value::String(s) => options.iter().any(|o| s == o),
            _ => false,
        },
        _ => false,
    }
}

/// Reports a node of the wrong type or value; `message` gets the node's display name.
#[cold]
#[inline(never)]
fn wrong(
    node: &Node,
    path: &Path<'_>,
    key_span: Option<Span>,
    out: &mut Vec<SchemaIssue>,
    message: impl FnOnce(&str) -> String,
) {
    let pointer = path.pointer();
    out.push(SchemaIssue {
        kind: IssueKind::WrongType,
        span: focus_span(node, key_span),
        message: message(&display_name(&pointer)),
        pointer,
    });
}

fn unknown_message(name: &str, parent: &str, fields: &[Field]) -> String {
    let shown = crate::text::truncate(name, 40);
    let place = if parent.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in {}", display_name(parent))
    };
    match fields
        .iter()
        .map(|f| (crate::text::edit_distance(name, f.name), f.name))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4))
        .min()
    {
        Some((_, suggestion)) => {
            format!("unknown field \"{shown}\" {place}; did you mean \"{suggestion}\"?")
        }
        None => format!("unknown field \"{shown}\" {place}; it is not checked"),
    }
}

/// `spec.connectors[0].url` from `/spec/connectors/0/url`.
pub fn display_name(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the document".into();
    }
    let mut out = String::new();
    for token in crate::document::pointer_tokens(pointer) {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&token);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

/// The span to underline for a node: a scalar's own text; for a mapping or list, the key that
/// names it, or else the node's first line.
pub fn focus_span(node: &Node, key_span: Option<Span>) -> Span {
    match (&node.value, key_span) {
        (Value::Map(_) | Value::Seq(_), Some(k)) => k,
        (Value::Map(entries), None) => match entries.first() {
            Some((k, v)) if !matches!(v.value, Value::Map(_) | Value::Seq(_)) => {
                Span::new(k.span.start, v.span.end.max(k.span.end))
            }
            Some((k, _)) => k.span,
            None => node.span,
        },
        (Value::Seq(items), None) => items.first().map_or(node.span, |i| focus_span(i, None)),
        _ => node.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Syntax};

    static OBJ: Shape = Shape::Object(&[
        required("name", &Shape::Str),
        field("count", &Shape::Number),
        required("kind", &Shape::OneOf(&["a", "b"])),
    ]);

    fn issues(text: &str) -> Vec<(IssueKind, String)> {
        let doc = parse(text, Syntax::Json, &crate::document::Limits::default()).expect("parses");
        let mut out = Vec::new();
        validate(&doc.root, &Shape::List(&OBJ), "", None, &mut out);
        out.into_iter().map(|i| (i.kind, i.pointer)).collect()
    }

    #[test]
    fn fields_in_any_order_and_missing_ones_first() {
        assert!(issues(r#"[{"kind": "a", "count": 1, "name": "x"}]"#).is_empty());
        assert_eq!(
            issues(r#"[{"count": "many", "nmae": "x"}, {"name": "y", "kind": "c"}]"#),
            vec![
                (IssueKind::Missing, "/0".to_string()),
                (IssueKind::Missing, "/0".to_string()),
                (IssueKind::WrongType, "/0/count".to_string()),
                (IssueKind::Unknown, "/0/nmae".to_string()),
                (IssueKind::WrongType, "/1/kind".to_string()),
            ]
        );
    }
}
