//! Vendor adapters: format detection by structure, and one module per input format that reads
//! a vendor export as it is and builds the canonical model ([`Manifest`]) with the origin
//! (JSON Pointer and span into the vendor file) of every connector, trigger, data field and
//! setting, so that every rule runs unchanged and every finding points into the vendor file.
//!
//! Detection never looks at file names. The order of [`ADAPTERS`] is the detection order.

mod backstage;
mod make;
mod n8n;
mod node_red;
pub mod services;
mod workflow_definition;

use crate::document::{push_index, push_pointer, Node, Str, Value};
use crate::manifest::{CodeExecution, TlsOff};
use crate::manifest::{Connector, Located, Manifest, Origin, Pointer, Trigger};
use crate::model::Tier;
use crate::policy::PolicyPack;
use crate::report::NodeRef;
use crate::schema::focus_span;
use crate::source::Span;

/// A vendor node and where it is in the document.
#[derive(Clone, Debug)]
pub(crate) struct NodeSite {
    /// Pointer of the node's object; findings at or under it are on this node.
    pub pointer: String,
    pub node: NodeRef,
}

/// What an adapter made of a document.
#[derive(Clone, Debug, Default)]
pub(crate) struct Adapted {
    pub format: &'static str,
    pub model: Manifest,
    pub nodes: Vec<NodeSite>,
    /// Problems with the export's structure (reported as `manifest/schema`).
    pub problems: Vec<(String, Origin)>,
    /// Tier and owner the export itself states (n8n `parapet:` tags, Backstage lifecycle).
    pub own_tier: Option<Located<Tier>>,
    /// Pointer prefixes whose strings are references, never secrets nor data (credential
    /// references, connection ids).
    pub references: Vec<String>,
    /// Pointer prefixes whose strings are data the app handles (samples, payloads): classified.
    /// Outside them, in a vendor file, only parameters are classified (see [`Scan`]).
    pub samples: Vec<String>,
    /// Classify nothing outside `samples` (entity catalogs describe people, not app data).
    pub classify_samples_only: bool,
}

/// How the string walker treats a place in an adapted document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scan {
    /// Secrets and data classes.
    Full,
    /// Secrets only (names, ids, layout: not data the app handles).
    SecretsOnly,
    /// Nothing (references: credential ids, connection ids).
    Skip,
}

impl Adapted {
    fn new(format: &'static str) -> Self {
        Self {
            format,
            ..Self::default()
        }
    }

    /// How the walker treats the string at `pointer`.
    pub fn scan_of(&self, pointer: &str) -> Scan {
        let under = |p: &String| crate::document::pointer_is_prefix(p, pointer);
        if self.references.iter().any(under) {
            return Scan::Skip;
        }
        if self.samples.iter().any(under) {
            return Scan::Full;
        }
        if self.classify_samples_only {
            Scan::SecretsOnly
        } else {
            Scan::Full
        }
    }

    fn add_node(&mut self, pointer: &str, id: &str, name: &str, kind: &str) {
        self.nodes.push(NodeSite {
            pointer: pointer.to_string(),
            node: NodeRef {
                id: crate::text::truncate(id, 80),
                name: crate::text::truncate(name, 80),
                kind: crate::text::truncate(kind, 80),
            },
        });
    }
}

/// Vendor nodes by pointer, to find the node a finding is on.
pub(crate) struct NodeIndex<'a>(crate::hash::Map<&'a str, &'a NodeRef>);

impl<'a> NodeIndex<'a> {
    pub fn new(nodes: &'a [NodeSite]) -> Self {
        Self(
            nodes
                .iter()
                .map(|n| (n.pointer.as_str(), &n.node))
                .collect(),
        )
    }

    /// The vendor node at or above `pointer` (the deepest one).
    pub fn at(&self, pointer: &str) -> Option<&'a NodeRef> {
        if self.0.is_empty() {
            return None;
        }
        let mut p = pointer;
        loop {
            if let Some(n) = self.0.get(p) {
                return Some(n);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// What an adapter needs from the caller: the pack (for service table extensions).
pub(crate) struct AdaptCx<'a> {
    pub pack: &'a PolicyPack,
}

/// One input format.
pub(crate) trait Adapter {
    /// `input.format` in the report.
    const FORMAT: &'static str;
    /// Recognises the format by the document's structure.
    fn detect(root: &Node) -> bool;
    /// Builds the canonical model. Never panics; a malformed export gives problems, not errors.
    fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Adapted;
}

/// Detects a vendor format and adapts the document; `None` for Parapet manifests and documents
/// of no known format.
pub(crate) fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Option<Adapted> {
    fn run<A: Adapter>(root: &Node, cx: &AdaptCx<'_>) -> Option<Adapted> {
        A::detect(root).then(|| A::adapt(root, cx))
    }
    if is_parapet(root) {
        return None;
    }
    run::<n8n::N8n>(root, cx)
        .or_else(|| run::<node_red::NodeRed>(root, cx))
        .or_else(|| run::<workflow_definition::PowerAutomate>(root, cx))
        .or_else(|| run::<workflow_definition::LogicApps>(root, cx))
        .or_else(|| run::<make::Make>(root, cx))
        .or_else(|| run::<backstage::Backstage>(root, cx))
}

/// A Parapet manifest: `apiVersion: parapet.dev/v1` or `kind: MicroApp` (a half-right manifest
/// is still a manifest, with schema findings).
fn is_parapet(root: &Node) -> bool {
    root.get("apiVersion").and_then(Node::as_str) == Some(crate::manifest::API_VERSION)
        || root.get("kind").and_then(Node::as_str) == Some(crate::manifest::KIND)
}

// ---- helpers shared by the adapters --------------------------------------------------------

/// A cursor over the document that knows its pointer and builds origins.
#[derive(Clone, Copy)]
pub(crate) struct Cur<'a> {
    pub node: &'a Node,
    pub key_span: Option<Span>,
    ptr: &'a str,
}

/// An owned cursor (the pointer is built as the adapter descends).
#[derive(Clone)]
pub(crate) struct At<'a> {
    pub node: &'a Node,
    pub key_span: Option<Span>,
    pub ptr: String,
}

impl<'a> At<'a> {
    pub fn root(node: &'a Node) -> Self {
        Self {
            node,
            key_span: None,
            ptr: String::new(),
        }
    }

    pub fn cur(&self) -> Cur<'_> {
        Cur {
            node: self.node,
            key_span: self.key_span,
            ptr: &self.ptr,
        }
    }

    pub fn origin(&self) -> Origin {
        self.cur().origin()
    }

    pub fn get(&self, key: &str) -> Option<At<'a>> {
        let (k, v) = self.node.get_entry(key)?;
        Some(At {
            node: v,
            key_span: Some(k.span),
            ptr: push_pointer(&self.ptr, key),
        })
    }

    /// Follows a path of keys.
    pub fn path(&self, keys: &[&str]) -> Option<At<'a>> {
        let mut at = self.clone();
        for k in keys {
            at = at.get(k)?;
        }
        Some(at)
    }

    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.node.get(key).and_then(Node::as_str)
    }

    /// A string or number as text (ports are often numbers, ids sometimes).
    pub fn text(&self, key: &str) -> Option<String> {
        let n = self.node.get(key)?;
        match &n.value {
            Value::String(s) => Some(s.to_string()),
            Value::Int(i) => Some(i.to_string()),
            _ => None,
        }
    }

    pub fn located_str(&self, key: &str) -> Option<Located<String>> {
        let at = self.get(key)?;
        let s = at.node.as_str()?;
        Some(Located {
            value: s.to_string(),
            origin: at.origin(),
        })
    }

    /// Items of a list, with their pointers.
    pub fn items(&self) -> Vec<At<'a>> {
        match &self.node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| At {
                    node: n,
                    key_span: None,
                    ptr: push_index(&self.ptr, i),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Entries of a mapping, with their pointers.
    pub fn entries(&self) -> Vec<(&'a str, At<'a>)> {
        match &self.node.value {
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| {
                    (
                        k.name.as_str(),
                        At {
                            node: v,
                            key_span: Some(k.span),
                            ptr: push_pointer(&self.ptr, &k.name),
                        },
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Cur<'_> {
    pub fn origin(&self) -> Origin {
        Origin {
            pointer: Pointer::Owned(self.ptr.to_string()),
            span: focus_span(self.node, self.key_span),
        }
    }
}

/// A vendor expression or reference, which is never a literal value (and never a secret):
/// n8n `={{…}}` / `{{ … }}`, Power Automate `@…`, Make `{{1.x}}`, `$env`.
pub fn is_expression(s: &str) -> bool {
    let t = s.trim();
    t.starts_with('=') || t.contains("{{") || t.starts_with('@') || t.contains("$env")
}

/// Does an expression read data that came into the workflow (a trigger's or a previous node's
/// output), rather than only constants and environment?
fn reads_input(s: &str) -> bool {
    [
        "$json",
        "$node",
        "$input",
        "$(",
        "$item",
        "$binary",
        "msg.",
        "triggerBody",
        "body(",
        "{{1.",
        "$fromAI",
    ]
    .iter()
    .any(|m| s.contains(m))
}

/// A connector with the given parts.
fn connector(
    name: &str,
    service: Option<String>,
    url: Option<Located<String>>,
    direction: &str,
    origin: Origin,
) -> Connector {
    Connector {
        name: name.into(),
        service: service.map(Str::from),
        url: url.map(|u| Located {
            value: Str::from(u.value),
            origin: u.origin,
        }),
        inbound: direction == "inbound",
        origin,
    }
}

fn trigger(name: &str, kind: &str, public: bool, auth: Option<&str>, origin: Origin) -> Trigger {
    Trigger {
        name: name.to_string(),
        kind: kind.to_string(),
        public,
        auth: auth.map(str::to_string),
        origin,
    }
}

/// The URL of a literal absolute URL, or of an n8n expression whose scheme and host are
/// literal (`=https://api.x.com/v1/{{ $json.id }}`); `None` when the host is computed.
fn static_url(s: &str) -> Option<&str> {
    let t = s.trim();
    let t = t.strip_prefix('=').unwrap_or(t).trim();
    let (_, host) = crate::text::url_host(t)?;
    let scheme_end = t.find("://")?;
    let head = &t[..scheme_end];
    let dynamic =
        |x: &str| x.contains("{{") || x.contains('$') || x.contains('@') || x.contains('#');
    (!dynamic(head)
        && !dynamic(&host)
        && head
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.'))
    .then_some(t)
}

/// The located URL at a cursor, when it is static.
fn located_url(at: Option<At<'_>>) -> Option<Located<String>> {
    let at = at?;
    let url = static_url(at.node.as_str()?)?;
    Some(Located {
        value: url.to_string(),
        origin: at.origin(),
    })
}

/// Where a node is shown: its `name` entry (n8n, Node-RED), else its `module` or `type` entry,
/// else the node's own focus span.
fn node_origin(at: &At<'_>) -> Origin {
    for key in ["name", "module", "type"] {
        if let Some((k, v)) = at.node.get_entry(key) {
            if v.as_str().is_some_and(|s| !s.is_empty()) {
                return Origin {
                    pointer: Pointer::Owned(at.ptr.clone()),
                    span: Span::new(k.span.start, v.span.end.max(k.span.end)),
                };
            }
        }
    }
    at.origin()
}

#[cfg(test)]
mod tests;

/// For benchmarks: detects and adapts an already parsed document, returning the format and the
/// number of model elements built. Not part of the API.
#[doc(hidden)]
pub fn adapt_for_bench(root: &Node, pack: &PolicyPack) -> Option<(&'static str, usize)> {
    adapt(root, &AdaptCx { pack }).map(|a| {
        (
            a.format,
            a.model.connectors.len() + a.model.triggers.len() + a.nodes.len(),
        )
    })
}

/// The model of a vendor export, with its tier: the caller's, then the export's own (n8n
/// `parapet:tier=` tags, Backstage lifecycle), then the pack's `defaults.tier`.
pub(crate) fn vendor_manifest(a: &Adapted, caller: Option<Tier>, pack: &PolicyPack) -> Manifest {
    let mut m = a.model.clone();
    let root = m.root.clone().unwrap_or(Origin {
        pointer: Pointer::Owned(String::new()),
        span: Span::default(),
    });
    m.tier = Some(match (caller, &a.own_tier) {
        (Some(t), _) => Located {
            value: t,
            origin: root,
        },
        (None, Some(own)) => own.clone(),
        (None, None) => Located {
            value: pack.default_tier,
            origin: root,
        },
    });
    m
}
