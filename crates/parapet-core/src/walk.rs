//! The single pass over the document's strings: secrets everywhere (keys and values), data
//! classes in the app's data, each found with its pointer and its span in the source. Rules
//! read the results; nothing walks the document again.

use crate::hash::Map;

use crate::adapters::{Adapted, Scan};
use crate::classify::{classify_value_in, DataClass, KeyContext};
use crate::document::{append_index, append_token, push_pointer, Node, Value};
use crate::manifest::Manifest;
use crate::model::Sensitivity;
use crate::schema::focus_span;
use crate::secrets::{redact, KeyHint, SecretScanner};
use crate::source::{LineIndex, Span};

/// A data class found at one place.
#[derive(Clone, Debug)]
pub(crate) struct ClassHit {
    pub class: &'static str,
    pub level: Sensitivity,
    pub path: String,
    /// The span to underline for the place.
    pub span: Span,
}

/// A secret found in a key or a value. The secret itself is kept only for the evaluation's
/// [`crate::redact::Redactor`]; reports carry its redacted form.
#[derive(Clone, Debug)]
pub(crate) struct SecretHit {
    /// The secret as found (never emitted).
    pub secret: Box<str>,
    /// The kind's human name ("Slack bot token").
    pub kind: &'static str,
    /// The value's pointer, or for a key the pointer of its mapping.
    pub pointer: String,
    /// The secret is a mapping key.
    pub in_key: bool,
    pub span: Span,
    pub reason: crate::secrets::Reason,
    pub confidence: crate::secrets::Confidence,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// Sorted by path, then class; one entry per (path, class).
    pub classes: Vec<ClassHit>,
    pub secrets: Vec<SecretHit>,
    /// Secrets not reported because their line allows them (inline marker): still redacted
    /// wherever a message quotes them.
    pub allowed: Vec<Box<str>>,
    /// Indices into `classes` of the places the data rules report, computed once for them
    /// (`rules::data`).
    pub places: std::cell::OnceCell<Vec<usize>>,
}

impl SecretHit {
    /// The secret's display form ([`crate::secrets::redact`]), computed only where a report
    /// quotes it (SHA-256 is costly in wasm).
    pub(crate) fn redacted(&self) -> String {
        redact(&self.secret)
    }
}

impl Walk {
    /// Every secret string the walk saw, reported or allowed: what the redactor knows.
    pub(crate) fn found(&self) -> impl Iterator<Item = &str> {
        self.secrets
            .iter()
            .map(|s| &*s.secret)
            .chain(self.allowed.iter().map(|s| &**s))
    }
}

/// One step of a path into the document, kept unallocated while walking.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer_of(path: &[Step<'_>]) -> String {
    // One allocation in the usual case (escapes of `~` and `/` may grow it).
    let len: usize = path
        .iter()
        .map(|step| match step {
            Step::Key(k) => k.len() + 1,
            Step::Index(_) => 4,
        })
        .sum();
    let mut out = String::with_capacity(len);
    for step in path {
        match step {
            Step::Key(k) => append_token(&mut out, k),
            Step::Index(i) => append_index(&mut out, *i),
        }
    }
    out
}

/// Parts of the document that name people or describe the policy itself: their values are
/// not data the app handles.
fn skip_classification(path: &[Step<'_>]) -> bool {
    matches!(
        path,
        [Step::Key("apiVersion" | "kind" | "metadata"), ..]
            | [
                Step::Key("spec"),
                Step::Key("owner" | "contacts" | "exceptions" | "review" | "sla"),
                ..
            ]
    )
}

/// Keys whose names are data field names: settings, and connector headers.
fn classify_keys_under(path: &[Step<'_>]) -> bool {
    matches!(
        path,
        [Step::Key("spec"), Step::Key("settings"), ..]
            | [
                Step::Key("spec"),
                Step::Key("connectors"),
                Step::Index(_),
                Step::Key("headers")
            ]
    )
}

/// A node waiting in the walk: the node, its parent's depth, the step to it, its key context,
/// and whether its parent's values skip classification.
type Pending<'a> = (
    &'a Node,
    usize,
    Option<Step<'a>>,
    Option<&'a str>,
    bool,
    Scan,
);

/// Walks every string (keys and values) once: secrets everywhere, data classes in app data.
/// `manifest` is the model (empty for a document that is not a manifest).
/// `adapted` is a vendor export's adapter output: it says which places are references (never
/// scanned) and which are data (classified).
pub(crate) fn walk(
    text: &str,
    index: &LineIndex,
    root: &Node,
    manifest: &Manifest,
    adapted: Option<&Adapted>,
    secrets: &SecretScanner,
) -> Walk {
    let mut out = Walk::default();
    // In a vendor export the scan mode changes only at the adapter's listed pointers.
    let modes: Map<&str, Scan> = adapted
        .map(|a| {
            let mut m: Map<&str, Scan> =
                a.samples.iter().map(|p| (p.as_str(), Scan::Full)).collect();
            m.extend(a.references.iter().map(|p| (p.as_str(), Scan::Skip)));
            m
        })
        .unwrap_or_default();
    let mode_depth = modes
        .keys()
        .map(|p| p.bytes().filter(|b| *b == b'/').count())
        .max()
        .unwrap_or(0);
    let root_mode = adapted.map_or(Scan::Full, |a| a.scan_of(""));
    let classes = &mut out.classes;
    // Per distinct key or name: what it says to the secret scanner and to the classifier
    // (each computed on first use).
    let mut keys: Map<&str, KeyInfo> = Map::with_capacity_and_hasher(64, Default::default());
    // Declared per-field classifications and field names first.
    for f in &manifest.data_fields {
        let name = f.name.value.as_str();
        if let Some(c) = keys.entry(name).or_default().field_class(name) {
            push_class(
                classes,
                c.id,
                c.level,
                &f.origin.pointer.to_text(),
                f.origin.span,
            );
        }
        if let Some(c) = &f.classification {
            if c.value >= Sensitivity::Confidential {
                push_class(
                    classes,
                    "declared",
                    c.value,
                    &f.origin.pointer.to_text(),
                    f.origin.span,
                );
            }
        }
    }
    // Iterative walk (depth is bounded by the parser; a stack keeps the walk flat). The path is
    // kept as steps and turned into a pointer only when something is found.
    let mut path: Vec<Step<'_>> = Vec::new();
    // The pointer of `path` down to the adapter's deepest listed pointer, kept up to date as the
    // walk moves (not rebuilt for every node there): `pointer` holds the first `pointer_ends.len()`
    // steps, each step ending at its offset in `pointer_ends`.
    let mut pointer = String::new();
    let mut pointer_ends: Vec<usize> = Vec::new();
    let mut stack: Vec<Pending<'_>> = vec![(root, 0, None, None, false, root_mode)];
    let mut secret_count = 0usize;
    while let Some((node, depth, step, key, parent_skip, parent_mode)) = stack.pop() {
        path.truncate(depth);
        if let Some(step) = step {
            path.push(step);
        }
        let depth = path.len();
        let mode = if parent_mode != Scan::Skip && depth > 0 && depth <= mode_depth {
            // The parent, at `depth - 1`, came this way before its children.
            pointer_ends.truncate(depth - 1);
            pointer.truncate(pointer_ends.last().copied().unwrap_or(0));
            match path.last() {
                Some(Step::Key(k)) => append_token(&mut pointer, k),
                Some(Step::Index(i)) => append_index(&mut pointer, *i),
                None => {}
            }
            pointer_ends.push(pointer.len());
            debug_assert_eq!(pointer, pointer_of(&path));
            modes.get(pointer.as_str()).copied().unwrap_or(parent_mode)
        } else {
            parent_mode
        };
        if mode == Scan::Skip {
            continue;
        }
        // `skip_classification` looks at the first two steps only: below them, a node skips
        // what its parent skips. In a vendor export, the adapter's modes decide.
        let skip = if adapted.is_some() {
            mode != Scan::Full
        } else if depth <= 2 {
            skip_classification(&path)
        } else {
            parent_skip
        };
        match &node.value {
            Value::String(s) => {
                let scan_secrets = secret_count < 1000 && s.len() >= 8;
                let classify = !skip;
                // One look-up of the key's cached information per value.
                let mut info = key
                    .filter(|_| scan_secrets || classify)
                    .map(|k| (k, keys.entry(k).or_default()));
                // The same value under the same key gives the same results: computed once.
                // (A few distinct values per key are remembered; enum-like values repeat.)
                let slot = info.as_mut().and_then(|(_, i)| i.memo_slot(s));
                if scan_secrets {
                    let known = slot.and_then(|at| {
                        info.as_ref()
                            .and_then(|(_, i)| i.memo.get(at))
                            .and_then(|(_, m)| m.secrets.clone())
                    });
                    let found = match known {
                        Some(found) => found,
                        None => {
                            let key = info.as_mut().map(|(k, i)| (*k, i.hint(k)));
                            let found = secrets.scan_with(s, key);
                            if let Some((_, i)) = info.as_mut() {
                                if let Some((_, m)) = slot.and_then(|at| i.memo.get_mut(at)) {
                                    m.secrets = Some(found.clone());
                                }
                            }
                            found
                        }
                    };
                    if found.is_empty() && adapted.is_some() {
                        // JSON carried in a string (inject payloads, request bodies): its keys
                        // give its values their context.
                        secret_count += embedded_json(
                            s,
                            node.span,
                            &path,
                            !skip,
                            secrets,
                            &mut out.secrets,
                            classes,
                        );
                    }
                    for m in found {
                        secret_count += 1;
                        let secret = s.get(m.start..m.end).unwrap_or("");
                        let span = if node.verbatim {
                            let (start, end) = string_content(text, node.span);
                            Span::new(start, end).sub(m.start, m.end)
                        } else {
                            node.span
                        };
                        // An inline allow-list comment on the value's line (YAML).
                        if crate::secrets::line_allows(text, index, span.start as usize) {
                            out.allowed.push(secret.into());
                            continue;
                        }
                        out.secrets.push(SecretHit {
                            secret: secret.into(),
                            kind: m.kind.name,
                            pointer: pointer_of(&path),
                            in_key: false,
                            span,
                            reason: m.reason,
                            confidence: m.confidence,
                        });
                    }
                }
                if classify {
                    let known = slot.and_then(|at| {
                        info.as_ref()
                            .and_then(|(_, i)| i.memo.get(at))
                            .and_then(|(_, m)| m.class)
                    });
                    let class = match known {
                        Some(class) => class,
                        None => {
                            let ctx = info.as_mut().map(|(k, i)| i.context(k));
                            let class = classify_value_in(s, ctx);
                            if let Some((_, i)) = info.as_mut() {
                                if let Some((_, m)) = slot.and_then(|at| i.memo.get_mut(at)) {
                                    m.class = Some(class);
                                }
                            }
                            class
                        }
                    };
                    if let Some(c) = class {
                        // A scalar's place is its own text.
                        push_class_owned(classes, c.id, c.level, pointer_of(&path), node.span);
                    }
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, depth, Some(Step::Index(i)), key, skip, mode));
                }
            }
            Value::Map(entries) => {
                let classify_keys = classify_keys_under(&path);
                // Samples of a data field are classified in the context of the field's name.
                let in_field = matches!(
                    path.as_slice(),
                    [
                        Step::Key("spec"),
                        Step::Key("data"),
                        Step::Index(_),
                        Step::Key("fields"),
                        Step::Index(_)
                    ]
                );
                // The mapping's `name`, looked up only for a `samples` or `value` key.
                let name_value = || node.get("name").and_then(Node::as_str);
                for (k, v) in entries.iter().rev() {
                    // The key's text, looked up once.
                    let name: &str = k.name.as_str();
                    if classify_keys {
                        if let Some(c) = keys.entry(name).or_default().field_class(name) {
                            // A credential-named key (Authorization, X-Api-Key) says nothing by
                            // itself: its value is checked by the secret scanner and classifier.
                            if c.id != "credentials" {
                                let ptr = push_pointer(&pointer_of(&path), &k.name);
                                let span = focus_span(v, Some(k.span));
                                push_class_owned(classes, c.id, c.level, ptr, span);
                            }
                        }
                    }
                    // Secrets in keys (rare, but "every string" means keys too).
                    if secret_count < 1000 && name.len() >= 16 {
                        for m in secrets.scan(name, None) {
                            secret_count += 1;
                            let secret = name.get(m.start..m.end).unwrap_or("");
                            out.secrets.push(SecretHit {
                                secret: secret.into(),
                                kind: m.kind.name,
                                // The key is the secret: point at its mapping, not at a
                                // pointer that would spell the secret out.
                                pointer: pointer_of(&path),
                                in_key: true,
                                span: k.span,
                                reason: m.reason,
                                confidence: m.confidence,
                            });
                        }
                    }
                    let context = match name {
                        "samples" if in_field => name_value().unwrap_or(name),
                        // `{ name: X, value: V }` pairs (n8n fields, headers): V sits under X.
                        "value" => name_value().unwrap_or("value"),
                        _ => name,
                    };
                    stack.push((v, depth, Some(Step::Key(name)), Some(context), skip, mode));
                }
            }
            _ => {}
        }
    }
    crate::sort::sort_by(classes, |a, b| (&a.path, a.class).cmp(&(&b.path, b.class)));
    classes.dedup_by(|a, b| a.class == b.class && a.level == b.level && a.path == b.path);
    out
}

/// Scans a string holding JSON (`{…}` or `[…]`, optionally after n8n's `=`) as JSON: every
/// string in it in the context of its key. Findings are placed on the whole string (escapes
/// make inner offsets unreliable). Returns the number of secrets found.
fn embedded_json(
    s: &str,
    span: Span,
    path: &[Step<'_>],
    classify: bool,
    secrets: &SecretScanner,
    hits: &mut Vec<SecretHit>,
    classes: &mut Vec<ClassHit>,
) -> usize {
    let t = s.trim();
    let t = t.strip_prefix('=').unwrap_or(t).trim();
    let shaped =
        (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'));
    if !shaped || t.len() < 8 {
        return 0;
    }
    let limits = crate::document::Limits {
        max_input_bytes: 1024 * 1024,
        max_depth: 32,
        max_nodes: 20_000,
        ..Default::default()
    };
    let Ok(parsed) = crate::parse::parse(t, crate::parse::Syntax::Json, &limits) else {
        return 0;
    };
    let mut pairs: Vec<(Option<&str>, &str)> = Vec::new();
    let mut stack: Vec<(&Node, Option<&str>)> = vec![(&parsed.root, None)];
    while let Some((n, key)) = stack.pop() {
        match &n.value {
            Value::String(v) => pairs.push((key, v)),
            Value::Seq(items) => stack.extend(items.iter().map(|i| (i, key))),
            Value::Map(entries) => {
                let pair_name = n
                    .get("name")
                    .or_else(|| n.get("key"))
                    .and_then(Node::as_str)
                    .filter(|_| n.get("value").is_some());
                for (k, v) in entries {
                    let context = if k.name == "value" {
                        pair_name.unwrap_or("value")
                    } else {
                        k.name.as_str()
                    };
                    stack.push((v, Some(context)));
                }
            }
            _ => {}
        }
    }
    let ptr = pointer_of(path);
    let mut count = 0;
    for (key, v) in pairs {
        if v.len() < 8 || count >= 50 {
            continue;
        }
        let hint = key.map(|k| (k, SecretScanner::key_hint(k)));
        for m in secrets.scan_with(v, hint.as_ref().map(|(k, h)| (*k, h))) {
            count += 1;
            let secret = v.get(m.start..m.end).unwrap_or("");
            hits.push(SecretHit {
                secret: secret.into(),
                kind: m.kind.name,
                pointer: ptr.clone(),
                in_key: false,
                span,
                reason: m.reason,
                confidence: m.confidence,
            });
        }
        if classify {
            let kc = key.map(KeyContext::new);
            if let Some(c) = classify_value_in(v, kc.as_ref()) {
                push_class(classes, c.id, c.level, &ptr, span);
            }
        }
    }
    count
}

/// What the scans found in one value under one key, computed on first use.
#[derive(Default)]
struct ValueInfo {
    secrets: Option<Vec<crate::secrets::SecretMatch>>,
    class: Option<Option<&'static DataClass>>,
}

/// What one key says about the values under it, computed on first use.
#[derive(Default)]
struct KeyInfo<'a> {
    /// Results for the first few distinct values seen under the key.
    memo: Vec<(&'a str, ValueInfo)>,
    /// A value was already seen under the key.
    repeated: bool,
    hint: Option<KeyHint>,
    context: Option<KeyContext>,
}

/// Most distinct values remembered per key.
const MEMO_VALUES: usize = 16;

impl<'a> KeyInfo<'a> {
    /// Where the results for `value` are remembered (a fresh slot if there is room), if any.
    fn memo_slot(&mut self, value: &'a str) -> Option<usize> {
        // Keys with a single value (most field names) need no memo: start at the second.
        if !self.repeated {
            self.repeated = true;
            return None;
        }
        let found = self.memo.iter().position(|(v, _)| *v == value);
        let at = match found {
            Some(at) => at,
            None if self.memo.len() < MEMO_VALUES => {
                self.memo.push((value, ValueInfo::default()));
                self.memo.len() - 1
            }
            None => return None,
        };
        Some(at)
    }

    fn hint(&mut self, key: &str) -> &KeyHint {
        self.hint.get_or_insert_with(|| match known(key) {
            Some(k) => k.hint,
            None => SecretScanner::key_hint(key),
        })
    }

    fn context(&mut self, key: &str) -> &KeyContext {
        self.context.get_or_insert_with(|| match known(key) {
            Some(k) => k.context,
            None => KeyContext::new(key),
        })
    }

    /// [`crate::classify::classify_field_name`] of the key, from its context.
    fn field_class(&mut self, key: &str) -> Option<&'static DataClass> {
        self.context(key).field_class()
    }
}

/// What a key every document of a kind repeats says to the scanner and the classifier.
struct Known {
    hint: KeyHint,
    context: KeyContext,
}

/// Keys of the vendor exports the adapters read that most of their documents repeat (n8n,
/// Node-RED, Power Automate and Logic Apps, Make, Backstage); the manifest's own keys come from
/// its schema.
const VENDOR_KEYS: &[&str] = &[
    // n8n
    "parameters",
    "typeVersion",
    "position",
    "credentials",
    "webhookId",
    "httpMethod",
    "headerParameters",
    "bodyParameters",
    "queryParameters",
    "sendHeaders",
    "sendBody",
    "jsonBody",
    "authentication",
    "options",
    "method",
    "value",
    "nodes",
    "connections",
    // Node-RED
    "id",
    "z",
    "x",
    "y",
    "wires",
    "topic",
    "payload",
    "broker",
    "port",
    "host",
    "func",
    "outputs",
    "info",
    "disabled",
    "label",
    "ret",
    "paytoqs",
    "tls",
    // Power Automate, Logic Apps
    "inputs",
    "runAfter",
    "connection",
    "uri",
    "queries",
    "body",
    "headers",
    "triggers",
    "definition",
    "connectionId",
    "operationId",
    "apiId",
    "recurrence",
    "frequency",
    "interval",
    // Make
    "module",
    "version",
    "mapper",
    "designer",
    "qs",
    "bodyType",
    "data",
    "flow",
    // Backstage
    "namespace",
    "annotations",
    "labels",
    "lifecycle",
    "system",
    "links",
    "tags",
];

/// [`Known`] for the keys of the manifest schema and [`VENDOR_KEYS`], computed once per process:
/// the same few dozen keys recur in every document, and working out what a key says costs
/// about as much as scanning a value.
fn known(key: &str) -> Option<&'static Known> {
    static KNOWN: std::sync::OnceLock<Map<&'static str, Known>> = std::sync::OnceLock::new();
    KNOWN
        .get_or_init(|| {
            known_names()
                .into_iter()
                .map(|k| {
                    let known = Known {
                        hint: SecretScanner::key_hint(k),
                        context: KeyContext::new(k),
                    };
                    (k, known)
                })
                .collect()
        })
        .get(key)
}

/// The keys [`known`] answers for: the manifest schema's field names and [`VENDOR_KEYS`].
fn known_names() -> Vec<&'static str> {
    let mut keys = Vec::new();
    schema_keys(&crate::manifest::MANIFEST, &mut keys, 0);
    keys.extend_from_slice(VENDOR_KEYS);
    keys
}

/// Every field name of `shape`, recursively (the schema is a tree of statics a few levels deep).
fn schema_keys(shape: &'static crate::schema::Shape, out: &mut Vec<&'static str>, depth: usize) {
    use crate::schema::Shape;
    if depth > 16 {
        return;
    }
    match shape {
        Shape::Object(fields) => {
            for f in *fields {
                out.push(f.name);
                schema_keys(f.shape, out, depth + 1);
            }
        }
        Shape::List(inner) | Shape::MapOf(inner) => schema_keys(inner, out, depth + 1),
        _ => {}
    }
}

/// Byte range of a string's content inside its (possibly quoted) source token.
fn string_content(text: &str, span: Span) -> (u32, u32) {
    let bytes = text.as_bytes();
    let quoted = matches!(bytes.get(span.start as usize), Some(b'"' | b'\''));
    if quoted && span.len() >= 2 {
        (span.start + 1, span.end - 1)
    } else {
        (span.start, span.end)
    }
}

fn push_class(
    classes: &mut Vec<ClassHit>,
    class: &'static str,
    level: Sensitivity,
    path: &str,
    span: Span,
) {
    if classes.len() < 10_000 {
        push_class_owned(classes, class, level, path.to_string(), span);
    }
}

/// [`push_class`] with a pointer built for the hit (no copy).
fn push_class_owned(
    classes: &mut Vec<ClassHit>,
    class: &'static str,
    level: Sensitivity,
    path: String,
    span: Span,
) {
    if classes.len() < 10_000 {
        classes.push(ClassHit {
            class,
            level,
            path,
            span,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_say_what_they_say_when_computed() {
        let keys = known_names();
        assert!(keys.contains(&"dataClassification") && keys.contains(&"samples"));
        assert!(keys.contains(&"wires") && keys.contains(&"runAfter"));
        for key in keys {
            let known = known(key).unwrap_or_else(|| panic!("{key} is not known"));
            assert_eq!(known.hint, SecretScanner::key_hint(key), "{key}");
            assert_eq!(known.context, KeyContext::new(key), "{key}");
        }
        assert!(known("employee_email").is_none());
    }
}
