//! YAML (1.2, core schema) to [`Node`] trees, on the event stream of `saphyr-parser`.
//! The tree is built with an explicit stack: depth, node count and alias expansion are bounded.

use crate::hash::Map;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::KeyIndex;
use crate::document::{DuplicateKey, Key, Limits, Node, Str, SyntaxError, Value};
use crate::source::{CharToByte, Span};

type YamlResult = Result<(Node, Vec<SyntaxError>, Vec<DuplicateKey>), SyntaxError>;

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
        nodes_before: usize,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        pending_key: Option<Key>,
        keys: KeyIndex,
        nodes_before: usize,
    },
}

pub(super) fn parse(text: &str, limits: &Limits) -> YamlResult {
    let offsets = CharToByte::new(text);
    // The source text, shared by every scalar written verbatim (no allocation per string).
    let shared = std::rc::Rc::new(text.to_string());
    let span_of =
        |s: YSpan| Span::from_usize(offsets.byte(s.start.index()), offsets.byte(s.end.index()));
    let mut stack: Vec<Frame> = Vec::new();
    // anchor id -> (node, node count)
    let mut anchors: Map<usize, (Node, usize)> = Map::default();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut warnings = Vec::new();
    let mut duplicates = Vec::new();
    let mut documents = 0usize;

    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, yspan) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(e)) => {
                let at = offsets.byte(e.marker().index());
                return Err(SyntaxError {
                    message: clean_scan_message(e.info()),
                    span: Span::from_usize(at, at),
                });
            }
        };
        let span = span_of(yspan);
        // The node completed by this event, with the number of nodes it expands to.
        let done: Option<(Node, usize, usize)> = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    warnings.push(SyntaxError {
                        message:
                            "the file holds more than one YAML document; only the first is checked"
                                .into(),
                        span,
                    });
                    break;
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                let tag_suffix = tag.as_ref().map(|t| t.suffix.as_str());
                let verbatim = verbatim_range(text, span, &value);
                let v = resolve_scalar(&value, style, tag_suffix, || match verbatim {
                    Some((start, end)) => Str::shared(&shared, start, end),
                    None => Str::from(value.as_ref()),
                });
                let mut node = Node::new(v, span);
                node.verbatim = verbatim.is_some();
                Some((node, anchor, 1))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(depth_error(limits, span));
                }
                nodes += 1;
                stack.push(Frame::Seq {
                    start: span.start as usize,
                    anchor,
                    items: Vec::new(),
                    nodes_before: nodes,
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(depth_error(limits, span));
                }
                nodes += 1;
                stack.push(Frame::Map {
                    start: span.start as usize,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                    keys: KeyIndex::default(),
                    nodes_before: nodes,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                    nodes_before,
                }) => {
                    let end = (span.end as usize).max(start);
                    let count = nodes - nodes_before + 1;
                    Some((
                        Node::new(Value::Seq(items), Span::from_usize(start, end)),
                        anchor,
                        count,
                    ))
                }
                _ => return Err(internal(span)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    nodes_before,
                    ..
                }) => {
                    let end = (span.end as usize).max(start);
                    let count = nodes - nodes_before + 1;
                    Some((
                        Node::new(Value::Map(entries), Span::from_usize(start, end)),
                        anchor,
                        count,
                    ))
                }
                _ => return Err(internal(span)),
            },
            Event::Alias(id) => match anchors.get(&id) {
                Some((node, count)) => {
                    nodes = nodes.saturating_add(*count);
                    if nodes > limits.max_nodes {
                        return Err(SyntaxError {
                            message: format!(
                                "aliases expand the document beyond {} values (an alias bomb?)",
                                limits.max_nodes
                            ),
                            span,
                        });
                    }
                    let mut copy = node.clone();
                    copy.span = span;
                    copy.verbatim = false;
                    Some((copy, 0, *count))
                }
                None => {
                    return Err(SyntaxError {
                        message: "alias to an unknown anchor".into(),
                        span,
                    })
                }
            },
        };
        if nodes > limits.max_nodes {
            return Err(SyntaxError {
                message: format!("the document has more than {} values", limits.max_nodes),
                span,
            });
        }
        if let Some((node, anchor, count)) = done {
            if anchor != 0 {
                anchors.insert(anchor, (node.clone(), count));
            }
            match stack.last_mut() {
                None => {
                    if root.is_none() {
                        root = Some(node);
                    }
                }
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map {
                    entries,
                    pending_key,
                    keys,
                    ..
                }) => match pending_key.take() {
                    None => {
                        let name = match &node.value {
                            Value::String(s) => s.clone(),
                            Value::Null => "null".into(),
                            Value::Bool(b) => b.to_string().into(),
                            Value::Int(i) => i.to_string().into(),
                            Value::Float(f) => f.to_string().into(),
                            Value::Seq(_) | Value::Map(_) => {
                                return Err(SyntaxError {
                                    message: "complex mapping keys (lists or mappings as keys) are not supported".into(),
                                    span: node.span,
                                })
                            }
                        };
                        let earlier = keys.add(entries, &name, node.span, limits)?;
                        if let Some(first) = earlier {
                            duplicates.push(DuplicateKey {
                                name: name.to_string(),
                                span: node.span,
                                first,
                            });
                        }
                        *pending_key = Some(Key {
                            name,
                            span: node.span,
                        });
                    }
                    Some(key) => entries.push((key, node)),
                },
            }
        }
    }
    let root = root.unwrap_or_else(|| Node::new(Value::Null, Span::new(0, 0)));
    Ok((root, warnings, duplicates))
}

fn depth_error(limits: &Limits, span: Span) -> SyntaxError {
    SyntaxError {
        message: format!("nesting is deeper than {} levels", limits.max_depth),
        span,
    }
}

fn internal(span: Span) -> SyntaxError {
    SyntaxError {
        message: "unbalanced YAML structure".into(),
        span,
    }
}

fn clean_scan_message(info: &str) -> String {
    let mut s = info.trim().to_string();
    if let Some(first) = s.get(..1) {
        let up = first.to_ascii_lowercase();
        s.replace_range(..1, &up);
    }
    s
}

/// Where the source text of `span` holds `value` as written (plain, or inside one pair of
/// quotes): the byte range of the value in the source.
fn verbatim_range(text: &str, span: Span, value: &str) -> Option<(usize, usize)> {
    let (start, end) = (span.start as usize, span.end as usize);
    let src = text.get(start..end)?;
    if src == value {
        return Some((start, end));
    }
    (src.len() >= 2
        && (src.starts_with('"') || src.starts_with('\''))
        && src.get(1..src.len() - 1) == Some(value))
    .then_some((start + 1, end - 1))
}

/// YAML 1.2 core schema resolution of a scalar.
fn resolve_scalar(
    value: &str,
    style: ScalarStyle,
    tag: Option<&str>,
    string: impl FnOnce() -> Str,
) -> Value {
    match tag {
        Some("str") => return Value::String(string()),
        Some("null") => return Value::Null,
        Some("bool") | Some("int") | Some("float") | None => {}
        Some(_) => {}
    }
    if style != ScalarStyle::Plain && tag.is_none() {
        return Value::String(string());
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(value) {
        return Value::Int(i);
    }
    if is_float(value) {
        if let Ok(f) = value.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::String(string())
}

fn parse_int(v: &str) -> Option<i64> {
    if let Some(hex) = v.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = v.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse().ok();
    }
    None
}

fn is_float(v: &str) -> bool {
    let s = v.strip_prefix(['-', '+']).unwrap_or(v);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (!a.is_empty() || !b.is_empty())
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}
