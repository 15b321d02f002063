//! Analyzers: schema, data classes, secrets, configuration, connectors, cost, lifecycle and
//! exceptions. Each produces raw findings (rule, message, place); the engine then applies the
//! pack's levels for the tier, exceptions and approval routes.

use crate::classify::{classify_field_name, classify_value_in, DataClass, KeyContext};
use crate::document::{append_index, append_token, push_index, push_pointer, Node, Value};
use crate::manifest::{Manifest, Origin, API_VERSION, KIND, MANIFEST};
use crate::model::{Date, Level, Sensitivity, Tier};
use crate::parse::Parsed;
use crate::policy::{EndpointRule, PolicyPack, UnknownService};
use crate::report::DetectedClass;
use crate::rules::Rule;
use crate::schema::{display_name, validate, IssueKind};
use crate::secrets::{redact, KeyHint, SecretScanner};
use crate::source::{LineIndex, Span};
use crate::text::{glob_match, truncate};

pub(crate) struct Context<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub pack: &'a PolicyPack,
    pub secrets: &'a SecretScanner,
    pub now: Option<Date>,
}

/// A finding before the pack's level is applied.
#[derive(Debug)]
pub(crate) struct RawFinding {
    pub rule: Rule,
    pub message: String,
    pub path: String,
    pub span: Span,
    /// The highest level this finding may have (e.g. `warn` for unknown fields).
    pub cap: Option<Level>,
}

impl RawFinding {
    pub fn new(rule: Rule, message: String, path: String, span: Span) -> Self {
        Self {
            rule,
            message,
            path,
            span,
            cap: None,
        }
    }

    fn at(rule: Rule, message: String, origin: &Origin) -> Self {
        Self::new(rule, message, origin.pointer.clone(), origin.span)
    }

    fn capped(mut self, cap: Level) -> Self {
        self.cap = Some(cap);
        self
    }
}

/// Output of the analysis.
pub(crate) struct Analysis {
    pub manifest: Manifest,
    pub findings: Vec<RawFinding>,
    pub classes: Vec<DetectedClass>,
    /// `parapet` for a manifest v1, `unknown` for any other document.
    pub format: &'static str,
}

pub(crate) fn run(ctx: &Context<'_>, parsed: &Parsed) -> Analysis {
    let root = &parsed.root;
    let mut out: Vec<RawFinding> = Vec::new();
    for d in &parsed.duplicates {
        let (line, _) = ctx.index.line_col(ctx.text, d.first.start);
        out.push(RawFinding::new(
            Rule::ManifestSyntax,
            format!(
                "duplicate key \"{}\" (first defined on line {line}); the value is ambiguous",
                truncate(&d.name, 60)
            ),
            String::new(),
            d.span,
        ));
    }
    for w in &parsed.warnings {
        out.push(
            RawFinding::new(
                Rule::ManifestSchema,
                w.message.clone(),
                String::new(),
                w.span,
            )
            .capped(Level::Warn),
        );
    }

    let is_manifest = schema_findings(root, &mut out);
    let manifest = if is_manifest {
        Manifest::from_document(root)
    } else {
        Manifest::default()
    };

    let mut classes = Vec::new();
    scan_strings(ctx, root, &manifest, &mut out, &mut classes);

    if is_manifest {
        let tier = manifest.tier.as_ref().map_or(Tier::Production, |t| t.value);
        data_rules(ctx, root, &manifest, tier, &classes, &mut out);
        ownership_rules(&manifest, &mut out);
        connector_rules(ctx, &manifest, &mut out);
        config_rules(ctx, &manifest, &mut out);
        cost_rules(ctx, &manifest, tier, &mut out);
        export_rules(&manifest, &mut out);
        lifecycle_rules(ctx, &manifest, tier, &mut out);
        exception_rules(ctx, &manifest, &mut out);
    }
    // Safety net: no message or pointer carries a secret, whatever text it quotes (a token
    // pasted as a field name, a key or a connector name).
    for f in &mut out {
        if let Some(m) = redact_secrets_in(ctx.secrets, &f.message) {
            f.message = m;
        }
        if let Some(p) = redact_secrets_in(ctx.secrets, &f.path) {
            f.path = p;
        }
    }
    Analysis {
        manifest,
        findings: out,
        classes,
        format: if is_manifest { "parapet" } else { "unknown" },
    }
}

/// Checks the document against manifest v1. Returns whether it is a Parapet manifest at all
/// (right apiVersion and kind); other documents get one finding, not one per field.
fn schema_findings(root: &Node, out: &mut Vec<RawFinding>) -> bool {
    let Some(entries) = root.as_map() else {
        out.push(RawFinding::new(
            Rule::ManifestSchema,
            format!(
                "a manifest must be a mapping with apiVersion, kind, metadata and spec, not {}",
                root.type_name()
            ),
            String::new(),
            crate::schema::focus_span(root, None),
        ));
        return false;
    };
    let api = root.get_entry("apiVersion");
    let kind = root.get_entry("kind");
    let api_ok = api.and_then(|(_, v)| v.as_str()) == Some(API_VERSION);
    let kind_ok = kind.and_then(|(_, v)| v.as_str()) == Some(KIND);
    if !api_ok && !kind_ok {
        let span = api
            .map(|(_, v)| v.span)
            .or_else(|| entries.first().map(|(k, _)| k.span))
            .unwrap_or_default();
        let found = match api.and_then(|(_, v)| v.as_str()) {
            Some(v) => format!("apiVersion is \"{}\"", truncate(v, 40)),
            None => "it has no apiVersion".to_string(),
        };
        out.push(RawFinding::new(
            Rule::ManifestSchema,
            format!("not a Parapet manifest: {found}; expected apiVersion: {API_VERSION} and kind: {KIND}"),
            if api.is_some() { "/apiVersion".into() } else { String::new() },
            span,
        ));
        return false;
    }
    let mut issues = Vec::new();
    validate(root, &MANIFEST, "", None, &mut issues);
    for i in issues {
        let f = RawFinding::new(Rule::ManifestSchema, i.message, i.pointer, i.span);
        out.push(if i.kind == IssueKind::Unknown {
            f.capped(Level::Warn)
        } else {
            f
        });
    }
    // Connector names must be unique within the app.
    if let Some(items) = root
        .get("spec")
        .and_then(|s| s.get("connectors"))
        .and_then(Node::as_seq)
    {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (i, c) in items.iter().enumerate() {
            if let Some((k, n)) = c.get_entry("name") {
                if let Some(name) = n.as_str() {
                    if !seen.insert(name) {
                        out.push(RawFinding::new(
                            Rule::ManifestSchema,
                            format!(
                                "connector name \"{}\" is used twice; names must be unique",
                                truncate(name, 40)
                            ),
                            push_pointer(&push_index("/spec/connectors", i), "name"),
                            Span::new(k.span.start, n.span.end),
                        ));
                    }
                }
            }
        }
    }
    true
}

/// One step of a path into the document, kept unallocated while walking.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer_of(path: &[Step<'_>]) -> String {
    let mut out = String::new();
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
type Pending<'a> = (&'a Node, usize, Option<Step<'a>>, Option<&'a str>, bool);

/// Walks every string (keys and values) once: secrets everywhere, data classes in app data.
fn scan_strings(
    ctx: &Context<'_>,
    root: &Node,
    manifest: &Manifest,
    out: &mut Vec<RawFinding>,
    classes: &mut Vec<DetectedClass>,
) {
    // Per distinct key or name: what it says to the secret scanner and to the classifier
    // (each computed on first use).
    let mut keys: std::collections::HashMap<&str, KeyInfo> =
        std::collections::HashMap::with_capacity(64);
    // Declared per-field classifications and field names first.
    for f in &manifest.data_fields {
        if let Some(c) = classify_field_name(&f.name.value) {
            push_class(classes, c.id, c.level, &f.origin.pointer);
        }
        if let Some(c) = &f.classification {
            if c.value >= Sensitivity::Confidential {
                push_class(classes, "declared", c.value, &f.origin.pointer);
            }
        }
    }
    // Iterative walk (depth is bounded by the parser; a stack keeps the walk flat). The path is
    // kept as steps and turned into a pointer only when something is found.
    let mut path: Vec<Step<'_>> = Vec::new();
    let mut stack: Vec<Pending<'_>> = vec![(root, 0, None, None, false)];
    let mut secret_count = 0usize;
    while let Some((node, depth, step, key, parent_skip)) = stack.pop() {
        path.truncate(depth);
        if let Some(step) = step {
            path.push(step);
        }
        let depth = path.len();
        // `skip_classification` looks at the first two steps only: below them, a node skips
        // what its parent skips.
        let skip = if depth <= 2 {
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
                            let found = ctx.secrets.scan_with(s, key);
                            if let Some((_, i)) = info.as_mut() {
                                if let Some((_, m)) = slot.and_then(|at| i.memo.get_mut(at)) {
                                    m.secrets = Some(found.clone());
                                }
                            }
                            found
                        }
                    };
                    for m in found {
                        secret_count += 1;
                        let secret = s.get(m.start..m.end).unwrap_or("");
                        let span = if node.verbatim {
                            let (start, end) = string_content(ctx.text, node.span);
                            Span::new(start, end).sub(m.start, m.end)
                        } else {
                            node.span
                        };
                        let ptr = pointer_of(&path);
                        out.push(RawFinding::new(
                            Rule::SecretsPlaintextSecret,
                            format!("{} {} ({})", m.kind.name, place_of(&ptr), redact(secret)),
                            ptr,
                            span,
                        ));
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
                        push_class(classes, c.id, c.level, &pointer_of(&path));
                    }
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, depth, Some(Step::Index(i)), key, skip));
                }
            }
            Value::Map(entries) => {
                let classify_keys = classify_keys_under(&path);
                // Samples of a data field are classified in the context of the field's name.
                let field_name = match path.as_slice() {
                    [Step::Key("spec"), Step::Key("data"), Step::Index(_), Step::Key("fields"), Step::Index(_)] => {
                        node.get("name").and_then(Node::as_str)
                    }
                    _ => None,
                };
                let pair_name = node
                    .get("name")
                    .and_then(Node::as_str)
                    .filter(|_| node.get("value").is_some());
                for (k, v) in entries.iter().rev() {
                    if classify_keys {
                        let name = k.name.as_str();
                        if let Some(c) = keys.entry(name).or_default().field_class(name) {
                            // A credential-named key (Authorization, X-Api-Key) says nothing by
                            // itself: its value is checked by the secret scanner and classifier.
                            if c.id != "credentials" {
                                let ptr = push_pointer(&pointer_of(&path), &k.name);
                                push_class(classes, c.id, c.level, &ptr);
                            }
                        }
                    }
                    // Secrets in keys (rare, but "every string" means keys too).
                    if secret_count < 1000 && k.name.len() >= 16 {
                        for m in ctx.secrets.scan(&k.name, None) {
                            secret_count += 1;
                            let secret = k.name.get(m.start..m.end).unwrap_or("");
                            let parent = pointer_of(&path);
                            out.push(RawFinding::new(
                                Rule::SecretsPlaintextSecret,
                                format!(
                                    "{} in a key {} ({})",
                                    m.kind.name,
                                    place_of(&parent),
                                    redact(secret)
                                ),
                                // The key is the secret: point at its mapping, not at a
                                // pointer that would spell the secret out.
                                parent.clone(),
                                k.span,
                            ));
                        }
                    }
                    let context = match (field_name, k.name.as_str()) {
                        (Some(name), "samples") => name,
                        // `{ name: X, value: V }` pairs (n8n fields, headers): V sits under X.
                        (_, "value") => pair_name.unwrap_or("value"),
                        _ => k.name.as_str(),
                    };
                    stack.push((
                        v,
                        depth,
                        Some(Step::Key(k.name.as_str())),
                        Some(context),
                        skip,
                    ));
                }
            }
            _ => {}
        }
    }
    classes.sort_by(|a, b| (&a.path, a.class).cmp(&(&b.path, b.class)));
    classes.dedup();
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
    /// [`classify_field_name`] of the key.
    field_class: Option<Option<&'static DataClass>>,
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
        self.hint
            .get_or_insert_with(|| SecretScanner::key_hint(key))
    }

    fn context(&mut self, key: &str) -> &KeyContext {
        self.context.get_or_insert_with(|| KeyContext::new(key))
    }

    fn field_class(&mut self, key: &str) -> Option<&'static DataClass> {
        *self
            .field_class
            .get_or_insert_with(|| classify_field_name(key))
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
    classes: &mut Vec<DetectedClass>,
    class: &'static str,
    level: Sensitivity,
    path: &str,
) {
    if classes.len() < 10_000 {
        classes.push(DetectedClass {
            class,
            level,
            path: path.to_string(),
        });
    }
}

/// Where a string sits, in words a builder understands.
fn place_of(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').collect();
    let s = |i: usize| parts.get(i).copied().unwrap_or("");
    match (s(1), s(2)) {
        ("spec", "connectors") if s(4) == "headers" => "in a connector header".into(),
        ("spec", "connectors") if s(4) == "url" => "in a connector URL".into(),
        ("spec", "connectors") => "in a connector".into(),
        ("spec", "settings") => format!(
            "in setting {}",
            display_name(pointer).trim_start_matches("spec.settings.")
        ),
        ("spec", "data") => "in a data sample".into(),
        ("spec", "triggers") => "in a trigger".into(),
        ("metadata", _) => "in the app's metadata".into(),
        ("spec", "") | ("", _) => "in the document".into(),
        _ => format!("at {}", display_name(pointer)),
    }
}

fn data_rules(
    ctx: &Context<'_>,
    root: &Node,
    m: &Manifest,
    tier: Tier,
    classes: &[DetectedClass],
    out: &mut Vec<RawFinding>,
) {
    let ceiling = ctx.pack.tier(tier).max_data_class;
    let declared = m.data_classification.as_ref().map(|d| d.value);
    match &m.data_classification {
        None => {
            if let Some(spec) = &m.spec {
                out.push(RawFinding::at(
                    Rule::DataClassificationRequired,
                    "the app does not declare what kind of data it handles (spec.dataClassification)".into(),
                    spec,
                ));
            }
        }
        Some(d) if d.value > ceiling => out.push(RawFinding::at(
            Rule::DataSensitiveDataInTier,
            format!(
                "the app is declared {} but the {} tier allows data up to {}",
                d.value.as_str(),
                tier.as_str(),
                ceiling.as_str()
            ),
            &d.origin,
        )),
        Some(_) => {}
    }
    // One finding per place, for its most sensitive class.
    // Reported places: the highest level reported at each pointer (without trailing `/`),
    // looked up for each pointer prefix of a place (see `pointer_is_prefix`).
    let mut reported: std::collections::HashMap<&str, Sensitivity> =
        std::collections::HashMap::new();
    let mut i = 0;
    while i < classes.len() {
        let path = &classes[i].path;
        let mut top = &classes[i];
        let mut j = i;
        while j < classes.len() && &classes[j].path == path {
            if classes[j].level > top.level {
                top = &classes[j];
            }
            j += 1;
        }
        i = j;
        // A sample under a field already reported at this level adds nothing.
        let covered = |q: &str| reported.get(q).is_some_and(|l| *l >= top.level);
        if covered(path)
            || covered("")
            || path
                .bytes()
                .enumerate()
                .any(|(at, b)| b == b'/' && covered(path.get(..at).unwrap_or("")))
        {
            continue;
        }
        let level = reported
            .entry(path.trim_end_matches('/'))
            .or_insert(top.level);
        *level = (*level).max(top.level);
        let span = span_of_pointer(root, path);
        let what = class_label(top.class);
        if top.level > ceiling {
            out.push(RawFinding::new(
                Rule::DataSensitiveDataInTier,
                format!(
                    "{} ({}) in a {} app: this tier allows data up to {}",
                    what,
                    top.level.as_str(),
                    tier.as_str(),
                    ceiling.as_str()
                ),
                path.clone(),
                span,
            ));
        }
        if let Some(d) = declared {
            if top.level > d {
                out.push(RawFinding::new(
                    Rule::DataUndeclaredSensitiveData,
                    format!(
                        "{} ({}) but the app is declared {}",
                        what,
                        top.level.as_str(),
                        d.as_str()
                    ),
                    path.clone(),
                    span,
                ));
            }
        }
    }
}

fn class_label(id: &str) -> String {
    if id == "declared" {
        return "data declared sensitive".into();
    }
    let label = crate::classify::classes()
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.label);
    let mut s = label.to_string();
    if let Some(first) = s.get(..1) {
        let up = first.to_ascii_uppercase();
        s.replace_range(..1, &up);
    }
    s
}

/// The focus span of the node at `pointer` (empty at the start if it cannot be resolved).
fn span_of_pointer(root: &Node, pointer: &str) -> Span {
    let mut node = root;
    let mut key_span = None;
    for token in pointer.split('/').skip(1) {
        let token: std::borrow::Cow<'_, str> = if token.contains('~') {
            token.replace("~1", "/").replace("~0", "~").into()
        } else {
            token.into()
        };
        let next = match &node.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == *token)
                .map(|(k, v)| (v, Some(k.span))),
            Value::Seq(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|v| (v, None)),
            _ => None,
        };
        match next {
            Some((n, k)) => {
                node = n;
                key_span = k;
            }
            None => return Span::default(),
        }
    }
    crate::schema::focus_span(node, key_span)
}

fn ownership_rules(m: &Manifest, out: &mut Vec<RawFinding>) {
    let Some(spec) = &m.spec else { return };
    if m.owner.as_ref().is_none_or(|o| o.value.trim().is_empty()) {
        out.push(RawFinding::at(
            Rule::OwnershipMissingOwner,
            "the app has no owner (spec.owner): nobody is accountable for it".into(),
            spec,
        ));
    }
    if m.sla.is_none() {
        out.push(RawFinding::at(
            Rule::OwnershipMissingSla,
            "the app states no support level (spec.sla)".into(),
            spec,
        ));
    }
}

/// Host of an absolute URL, lowercased, without port or credentials.
pub(crate) fn url_host(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host == "::1" || host.starts_with("127.")
}

fn connector_rules(ctx: &Context<'_>, m: &Manifest, out: &mut Vec<RawFinding>) {
    let pack = ctx.pack;
    for c in &m.connectors {
        let host = c.url.as_ref().and_then(|u| url_host(&u.value));
        let endpoint = host.as_ref().and_then(|(_, h)| {
            pack.endpoints
                .iter()
                .find(|rule| glob_match(rule.pattern(), h))
        });
        let service = c.service.as_deref().map(str::to_ascii_lowercase);
        let label = match &c.service {
            Some(s) => format!("connector \"{}\" ({})", shown(ctx, &c.name), shown(ctx, s)),
            None => format!("connector \"{}\"", shown(ctx, &c.name)),
        };
        let listed = |list: &[String]| {
            service
                .as_ref()
                .is_some_and(|s| list.iter().any(|b| b.eq_ignore_ascii_case(s)))
        };
        let in_business = listed(&pack.business);
        let in_blocked = listed(&pack.blocked);
        let unknown = !in_business && !in_blocked;
        if in_blocked || (unknown && pack.unknown == UnknownService::Blocked) {
            out.push(RawFinding::at(
                Rule::IntegrationBlockedConnector,
                format!("{label} uses a service the organisation blocks"),
                &c.origin,
            ));
        } else if let Some(EndpointRule::Deny(p)) = endpoint {
            let origin = c.url.as_ref().map_or(&c.origin, |u| &u.origin);
            out.push(RawFinding::at(
                Rule::IntegrationBlockedConnector,
                format!(
                    "{label} calls a host the organisation blocks (matches \"{}\")",
                    truncate(p, 60)
                ),
                origin,
            ));
        } else {
            let outbound = c.direction != "inbound";
            let allowed_host = matches!(endpoint, Some(EndpointRule::Allow(_)));
            let business = in_business
                || (unknown && pack.unknown == UnknownService::Business)
                || allowed_host;
            if outbound && !business {
                out.push(RawFinding::at(
                    Rule::IntegrationExternalConnector,
                    format!(
                        "{label} sends data to a service outside the approved business connectors"
                    ),
                    &c.origin,
                ));
            }
        }
        if let (Some(url), Some((scheme, h))) = (&c.url, &host) {
            if (scheme == "http" || scheme == "ws" || scheme == "ftp") && !is_loopback(h) {
                out.push(RawFinding::at(
                    Rule::IntegrationInsecureTransport,
                    format!(
                        "{label} uses unencrypted {scheme}:// to {}",
                        truncate(h, 60)
                    ),
                    &url.origin,
                ));
            }
        }
    }
}

/// `text` with every secret in it replaced by its redacted form; `None` when it has none.
pub(crate) fn redact_secrets_in(secrets: &SecretScanner, text: &str) -> Option<String> {
    let found = secrets.scan(text, None);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in found {
        if m.start < at {
            continue;
        }
        out.push_str(text.get(at..m.start).unwrap_or(""));
        out.push_str(&redact(text.get(m.start..m.end).unwrap_or("")));
        at = m.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Some(out)
}

/// A name from the manifest as messages show it: cut to 40 characters, and redacted when the
/// name itself is a secret (someone pasted a token into the name field).
fn shown(ctx: &Context<'_>, name: &str) -> String {
    match ctx.secrets.scan(name, None).first() {
        Some(m) => redact(name.get(m.start..m.end).unwrap_or(name)),
        None => truncate(name, 40),
    }
}

fn config_rules(ctx: &Context<'_>, m: &Manifest, out: &mut Vec<RawFinding>) {
    for o in &m.cors_origins {
        if o.value.trim() == "*" {
            out.push(RawFinding::at(
                Rule::ConfigCorsWildcard,
                "CORS allows every origin (*): any website can call this app from a visitor's browser".into(),
                &o.origin,
            ));
        }
    }
    for g in &m.grants {
        if g.effect != "allow" {
            continue;
        }
        if let Some(w) = &g.wildcard {
            out.push(RawFinding::at(
                Rule::ConfigIamWildcard,
                format!(
                    "a permission grants a wildcard (\"{}\")",
                    truncate(&w.value, 60)
                ),
                &w.origin,
            ));
        }
    }
    for t in &m.triggers {
        let open_kind = t.kind == "webhook" || t.kind == "form";
        let no_auth = t.auth.as_deref().is_none_or(|a| a == "none");
        if open_kind && t.public && no_auth {
            out.push(RawFinding::at(
                Rule::ConfigUnauthenticatedTrigger,
                format!(
                    "public {} trigger \"{}\" accepts requests from anyone (no authentication)",
                    t.kind,
                    shown(ctx, &t.name)
                ),
                &t.origin,
            ));
        }
    }
}

fn money(v: f64, currency: Option<&str>) -> String {
    // Fixed-point cents through integer formatting: no float formatter in the wasm build.
    let cents = (v * 100.0).round() as i64;
    let (sign, abs) = if cents < 0 {
        ("-", cents.unsigned_abs())
    } else {
        ("", cents.unsigned_abs())
    };
    let amount = if abs % 100 == 0 {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    };
    match currency {
        Some(c) => format!("{amount} {c}"),
        None => amount,
    }
}

fn cost_rules(ctx: &Context<'_>, m: &Manifest, tier: Tier, out: &mut Vec<RawFinding>) {
    let budget = m.cost.as_ref().and_then(|c| c.budget.as_ref());
    let Some(budget) = budget else {
        let origin = m.cost.as_ref().map(|c| &c.origin).or(m.spec.as_ref());
        if let Some(o) = origin {
            out.push(RawFinding::at(
                Rule::CostBudgetRequired,
                "the app has no monthly budget (spec.cost.budgetMonthly)".into(),
                o,
            ));
        }
        return;
    };
    let cur = m.cost.as_ref().and_then(|c| c.currency.as_deref());
    if let Some(cost) = &m.cost {
        if let Some(a) = cost.actual.as_ref().filter(|a| a.value > budget.value) {
            out.push(RawFinding::at(
                Rule::CostOverBudget,
                format!(
                    "actual monthly spend {} is over the budget of {}",
                    money(a.value, cur),
                    money(budget.value, cur)
                ),
                &a.origin,
            ));
        }
        if let Some(e) = cost.estimate.as_ref().filter(|e| e.value > budget.value) {
            out.push(
                RawFinding::at(
                    Rule::CostOverBudget,
                    format!(
                        "estimated monthly spend {} is over the budget of {}",
                        money(e.value, cur),
                        money(budget.value, cur)
                    ),
                    &e.origin,
                )
                .capped(Level::Warn),
            );
        }
    }
    if let Some(cap) = ctx.pack.tier(tier).budget_cap_monthly {
        if budget.value > cap {
            out.push(RawFinding::at(
                Rule::CostTierCap,
                format!(
                    "the budget of {} is above the {} tier's cap of {}",
                    money(budget.value, cur),
                    tier.as_str(),
                    money(cap, cur)
                ),
                &budget.origin,
            ));
        }
    }
}

fn export_rules(m: &Manifest, out: &mut Vec<RawFinding>) {
    let Some(spec) = &m.spec else { return };
    let export_origin = m.export.as_ref().map_or(spec, |e| &e.origin);
    match m.export.as_ref().and_then(|e| e.exportable.as_ref()) {
        Some(x) if x.value => {}
        Some(x) => out.push(RawFinding::at(
            Rule::ExportNotExportable,
            "the app is marked not exportable".into(),
            &x.origin,
        )),
        None => out.push(RawFinding::at(
            Rule::ExportNotExportable,
            "the app is not marked exportable (spec.export.exportable)".into(),
            export_origin,
        )),
    }
    if m.export
        .as_ref()
        .and_then(|e| e.repository.as_ref())
        .is_none()
    {
        out.push(RawFinding::at(
            Rule::ExportNoRepository,
            "the app's export is not kept in a repository (spec.export.repository)".into(),
            export_origin,
        ));
    }
}

fn lifecycle_rules(ctx: &Context<'_>, m: &Manifest, tier: Tier, out: &mut Vec<RawFinding>) {
    let Some(spec) = &m.spec else { return };
    let cadence = ctx.pack.tier(tier).review_every_days;
    let last = m.review.as_ref().and_then(|r| r.last_reviewed.as_ref());
    if let Some(days) = cadence {
        match (last, ctx.now) {
            (None, _) => out.push(RawFinding::at(
                Rule::LifecycleReviewOverdue,
                format!(
                    "the app has never been reviewed; {} apps are reviewed every {days} days",
                    tier.as_str()
                ),
                m.review.as_ref().map_or(spec, |r| &r.origin),
            )),
            (Some(l), Some(now)) => {
                let age = now.days() - l.value.days();
                if age > i64::from(days) {
                    out.push(RawFinding::at(
                        Rule::LifecycleReviewOverdue,
                        format!("last reviewed {} ({age} days ago); {} apps are reviewed every {days} days", l.value, tier.as_str()),
                        &l.origin,
                    ));
                }
            }
            (Some(_), None) => {}
        }
    }
    if let (Some(r), Some(now)) = (
        m.review.as_ref().and_then(|r| r.retire_by.as_ref()),
        ctx.now,
    ) {
        if r.value < now {
            out.push(RawFinding::at(
                Rule::LifecyclePastRetirement,
                format!("the app was due to retire on {}", r.value),
                &r.origin,
            ));
        }
    }
}

fn exception_rules(ctx: &Context<'_>, m: &Manifest, out: &mut Vec<RawFinding>) {
    for e in &m.exceptions {
        if crate::rules::Rule::from_id(&e.rule.value).is_none() {
            out.push(RawFinding::at(
                Rule::ExceptionsUnknownRule,
                format!(
                    "the exception names \"{}\", which is not a rule; it waives nothing",
                    truncate(&e.rule.value, 60)
                ),
                &e.rule.origin,
            ));
            continue;
        }
        if let (Some(exp), Some(now)) = (&e.expires, ctx.now) {
            if exp.value < now {
                let ticket = e
                    .ticket
                    .as_deref()
                    .map(|t| format!(" ({})", truncate(t, 30)))
                    .unwrap_or_default();
                out.push(RawFinding::at(
                    Rule::ExceptionsExpired,
                    format!(
                        "the exception for {}{ticket} expired on {}; it waives nothing",
                        e.rule.value, exp.value
                    ),
                    &exp.origin,
                ));
            }
        }
    }
}
