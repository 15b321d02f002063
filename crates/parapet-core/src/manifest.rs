//! Manifest v1: its schema, and the canonical model the rules read. Every element keeps its
//! [`Origin`] (pointer and span in the source document) so that adapters from vendor exports
//! can report findings at the vendor file's own locations.

use crate::document::{Node, Str, Value};
use crate::model::{Date, Sensitivity, Tier};
use crate::schema::{field, focus_span, required, Shape};
use crate::source::Span;

pub const API_VERSION: &str = "parapet.dev/v1";
pub const KIND: &str = "MicroApp";

/// Where an element of the model came from in the source document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub pointer: Pointer,
    pub span: Span,
}

/// No index in a [`Pointer::Path`] slot.
const NO_INDEX: u32 = u32::MAX;

/// A JSON pointer into the source document. The manifest's own places are kept as their fixed
/// keys and list indices and spelled out only when a finding needs them.
#[derive(Clone, Debug)]
pub enum Pointer {
    /// Spelled out (adapters build these as they descend a vendor export).
    Owned(String),
    /// `/seg0[/idx0]/seg1[/idx1]/seg2`: empty segments and [`NO_INDEX`] indices left out.
    /// Segments are fixed manifest keys (one or more tokens, no `~`), without a leading `/`.
    Path {
        segs: [&'static str; 3],
        idx: [u32; 2],
    },
}

impl Pointer {
    /// Appends the pointer to `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            Pointer::Owned(s) => out.push_str(s),
            Pointer::Path { segs, idx } => {
                let seg = |out: &mut String, s: &str| {
                    if !s.is_empty() {
                        out.push('/');
                        out.push_str(s);
                    }
                };
                let index = |out: &mut String, i: u32| {
                    if i != NO_INDEX {
                        crate::document::append_index(out, i as usize);
                    }
                };
                seg(out, segs[0]);
                index(out, idx[0]);
                seg(out, segs[1]);
                index(out, idx[1]);
                seg(out, segs[2]);
            }
        }
    }

    /// The pointer, spelled out.
    pub fn to_text(&self) -> String {
        match self {
            Pointer::Owned(s) => s.clone(),
            Pointer::Path { .. } => {
                let mut out = String::with_capacity(40);
                self.write_to(&mut out);
                out
            }
        }
    }

    /// The pointer is exactly `s`.
    pub fn is(&self, s: &str) -> bool {
        match self {
            Pointer::Owned(p) => p == s,
            Pointer::Path { .. } => self.to_text() == s,
        }
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Pointer::Owned(a), b) | (b, Pointer::Owned(a)) => b.is(a),
            (a, b) => a.to_text() == b.to_text(),
        }
    }
}

impl Eq for Pointer {}

impl From<String> for Pointer {
    fn from(s: String) -> Self {
        Pointer::Owned(s)
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pointer::Owned(s) => f.write_str(s),
            Pointer::Path { .. } => f.write_str(&self.to_text()),
        }
    }
}

/// A [`Pointer::Path`] being built: the next slot to fill, in the order seg0, idx0, seg1,
/// idx1, seg2.
#[derive(Clone, Copy)]
struct Ptr {
    segs: [&'static str; 3],
    idx: [u32; 2],
    /// Next slot: 0 = seg0, 1 = idx0, 2 = seg1, 3 = idx1, 4 = seg2, 5 = full.
    next: u8,
}

impl Ptr {
    const ROOT: Ptr = Ptr {
        segs: [""; 3],
        idx: [NO_INDEX; 2],
        next: 0,
    };

    /// The pointer `/key` (several tokens may be given at once: `spec/cost`).
    fn at(key: &'static str) -> Ptr {
        Ptr::ROOT.key(key)
    }

    /// This pointer and one more key (a fixed manifest key).
    fn key(mut self, key: &'static str) -> Ptr {
        let slot = match self.next {
            0 => 0,
            1 | 2 => 1,
            3 | 4 => 2,
            _ => {
                debug_assert!(false, "manifest pointer too deep");
                return self;
            }
        };
        self.segs[slot] = key;
        self.next = 2 * slot as u8 + 1;
        self
    }

    /// This pointer and one more list index.
    fn index(mut self, i: usize) -> Ptr {
        let slot = match self.next {
            0 | 1 => 0,
            2 | 3 => 1,
            _ => {
                debug_assert!(false, "manifest pointer too deep");
                return self;
            }
        };
        self.idx[slot] = u32::try_from(i).unwrap_or(NO_INDEX - 1);
        self.next = 2 * slot as u8 + 2;
        self
    }

    fn done(self) -> Pointer {
        Pointer::Path {
            segs: self.segs,
            idx: self.idx,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

// ---- schema -------------------------------------------------------------------------------

fn is_app_name(s: &str) -> bool {
    let b = s.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && ok(&b[0])
        && ok(&b[b.len() - 1])
        && b.iter().all(|c| ok(c) || *c == b'-')
}

pub fn is_owner(s: &str) -> bool {
    let ident = |n: &str| {
        !n.is_empty()
            && n.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/'))
    };
    if let Some(n) = s.strip_prefix("user:").or_else(|| s.strip_prefix("group:")) {
        return ident(n);
    }
    is_email(s)
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.'))
        }
        None => false,
    }
}

static STR: Shape = Shape::Str;
static STRS: Shape = Shape::List(&STR);
static STR_MAP: Shape = Shape::MapOf(&STR);
static NUM: Shape = Shape::Number;
static BOOL: Shape = Shape::Bool;
static DATE: Shape = Shape::Date;
static ANY: Shape = Shape::Any;
static SENSITIVITY: Shape = Shape::OneOf(&["public", "internal", "confidential", "restricted"]);

static METADATA: Shape = Shape::Object(&[
    required(
        "name",
        &Shape::StrWith(is_app_name, "lowercase letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit"),
    ),
    field("title", &STR),
    field("description", &STR),
    field("tags", &STRS),
    field("annotations", &STR_MAP),
    field("labels", &STR_MAP),
]);

static DATA_FIELD: Shape = Shape::Object(&[
    required("name", &STR),
    field("type", &STR),
    field("classification", &SENSITIVITY),
    field("description", &STR),
    field("required", &BOOL),
    field("samples", &Shape::List(&ANY)),
]);
static DATA_SET: Shape = Shape::Object(&[
    required("name", &STR),
    field("description", &STR),
    field("source", &STR),
    field("fields", &Shape::List(&DATA_FIELD)),
]);
static CONNECTOR: Shape = Shape::Object(&[
    required("name", &STR),
    field(
        "type",
        &Shape::OneOf(&[
            "http", "saas", "database", "email", "chat", "storage", "webhook", "other",
        ]),
    ),
    field("service", &STR),
    field("url", &STR),
    field("direction", &Shape::OneOf(&["outbound", "inbound", "both"])),
    field(
        "auth",
        &Shape::OneOf(&["none", "basic", "apiKey", "oauth2", "secretRef"]),
    ),
    field("secretRef", &STR),
    field("headers", &Shape::MapOf(&ANY)),
    field(
        "actions",
        &Shape::List(&Shape::OneOf(&["read", "write", "delete", "send", "admin"])),
    ),
    field("description", &STR),
]);
static TRIGGER: Shape = Shape::Object(&[
    required("name", &STR),
    required(
        "type",
        &Shape::OneOf(&["webhook", "schedule", "event", "manual", "form"]),
    ),
    field("path", &STR),
    field("schedule", &STR),
    field("public", &BOOL),
    field(
        "auth",
        &Shape::OneOf(&["none", "token", "hmac", "oauth2", "sso"]),
    ),
    field("description", &STR),
]);
static CORS: Shape = Shape::Object(&[
    field("allowOrigins", &STRS),
    field("allowCredentials", &BOOL),
    field("allowMethods", &STRS),
    field("allowHeaders", &STRS),
]);
static NETWORK: Shape = Shape::Object(&[field("cors", &CORS), field("egress", &STRS)]);
static GRANT: Shape = Shape::Object(&[
    field("effect", &Shape::OneOf(&["allow", "deny"])),
    required("actions", &Shape::StrOrList),
    required("resources", &Shape::StrOrList),
]);
static COST: Shape = Shape::Object(&[
    field("currency", &STR),
    field("budgetMonthly", &NUM),
    field("estimateMonthly", &NUM),
    field("actualMonthly", &NUM),
]);
static SLA: Shape = Shape::Object(&[
    field("support", &STR),
    field("responseHours", &NUM),
    field("availability", &STR),
]);
static EXPORT: Shape = Shape::Object(&[
    field("exportable", &BOOL),
    field("format", &STR),
    field("repository", &STR),
]);
static REVIEW: Shape = Shape::Object(&[
    field("lastReviewed", &DATE),
    field("retireBy", &DATE),
    field("reviewer", &STR),
]);
static EXCEPTION: Shape = Shape::Object(&[
    required("rule", &STR),
    field("target", &STR),
    field("ticket", &STR),
    // Required unless the exception carries a signed approval (whose payload has the expiry);
    // checked in the exception rules.
    field("expires", &DATE),
    field("reason", &STR),
    field("approvedBy", &STR),
    // A DSSE envelope of a signed waiver (verified against the pack's approvals.trustedKeys).
    field("approval", &ANY),
]);
static SPEC: Shape = Shape::Object(&[
    required(
        "tier",
        &Shape::OneOf(&["sandbox", "controlled", "production"]),
    ),
    field(
        "owner",
        &Shape::StrWith(is_owner, "user:NAME, group:NAME or an e-mail address"),
    ),
    field("contacts", &STRS),
    field("platform", &STR),
    field("dataClassification", &SENSITIVITY),
    field("data", &Shape::List(&DATA_SET)),
    field("connectors", &Shape::List(&CONNECTOR)),
    field("triggers", &Shape::List(&TRIGGER)),
    field("network", &NETWORK),
    field("permissions", &Shape::List(&GRANT)),
    field("settings", &ANY),
    field("cost", &COST),
    field("sla", &SLA),
    field("export", &EXPORT),
    field("review", &REVIEW),
    field("exceptions", &Shape::List(&EXCEPTION)),
    // A sidecar manifest: the app's connectors, triggers and data come from a vendor export.
    field("source", &SOURCE),
]);
/// The formats a sidecar manifest's `spec.source.format` may name (the vendor adapters).
pub const SOURCE_FORMATS: &[&str] = &[
    "n8n",
    "node-red",
    "power-automate",
    "logic-apps",
    "make",
    "backstage",
];
/// A sidecar's `spec.source.path`: relative to the manifest's directory (never absolute, no
/// drive letter, no NUL), at most 1024 bytes.
pub fn is_relative_source_path(s: &str) -> bool {
    let b = s.as_bytes();
    !s.is_empty()
        && s.len() <= 1024
        && !s.contains('\0')
        && !s.starts_with('/')
        && !s.starts_with('\\')
        && !(b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic())
}
static SOURCE: Shape = Shape::Object(&[
    required("format", &Shape::OneOf(SOURCE_FORMATS)),
    required(
        "path",
        &Shape::StrWith(
            is_relative_source_path,
            "a path relative to the manifest's directory (not absolute)",
        ),
    ),
]);
static API_VERSION_SHAPE: Shape = Shape::OneOf(&[API_VERSION]);
static KIND_SHAPE: Shape = Shape::OneOf(&[KIND]);

/// Manifest v1, as a shape.
pub static MANIFEST: Shape = Shape::Object(&[
    required("apiVersion", &API_VERSION_SHAPE),
    required("kind", &KIND_SHAPE),
    required("metadata", &METADATA),
    required("spec", &SPEC),
]);

// ---- model --------------------------------------------------------------------------------

/// A node that runs shell commands or code on a host.
#[derive(Clone, Debug)]
pub struct CodeExecution {
    /// The node's name, for messages.
    pub name: String,
    /// What runs it ("Execute Command node", "exec node", ...).
    pub what: &'static str,
    /// The command, when written in the node.
    pub command: Option<String>,
    /// The command is built from incoming data (an expression, or the message payload).
    pub from_input: bool,
    pub origin: Origin,
}

/// A place where TLS certificate verification is switched off.
#[derive(Clone, Debug)]
pub struct TlsOff {
    pub name: String,
    /// The setting as written (`verifyservercert: false`, ...).
    pub setting: &'static str,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub root: Option<Origin>,
    pub name: Option<Located<String>>,
    pub spec: Option<Origin>,
    pub tier: Option<Located<Tier>>,
    pub owner: Option<Located<String>>,
    pub data_classification: Option<Located<Sensitivity>>,
    pub data_fields: Vec<DataField>,
    pub connectors: Vec<Connector>,
    pub triggers: Vec<Trigger>,
    pub cors_origins: Vec<Located<String>>,
    pub grants: Vec<Grant>,
    pub cost: Option<Cost>,
    pub sla: Option<Origin>,
    pub export: Option<Export>,
    pub review: Option<Review>,
    pub exceptions: Vec<Exception>,
    /// A sidecar manifest's `spec.source` (`format`, `path`), when both are strings.
    pub source: Option<SourceRef>,
    /// Vendor exports: nodes that run shell commands or code on a host.
    pub code_exec: Vec<CodeExecution>,
    /// Vendor exports: places where TLS certificate checks are off.
    pub tls_off: Vec<TlsOff>,
}

/// `spec.source` of a sidecar manifest.
#[derive(Clone, Debug)]
pub struct SourceRef {
    pub format: Located<String>,
    pub path: Located<String>,
}

#[derive(Clone, Debug)]
pub struct DataField {
    /// Shares the document's text.
    pub name: Located<Str>,
    pub classification: Option<Located<Sensitivity>>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Connector {
    /// Name, service and URL share the document's text.
    pub name: Str,
    pub service: Option<Str>,
    pub url: Option<Located<Str>>,
    /// `direction: inbound` (the default is outbound).
    pub inbound: bool,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Trigger {
    pub name: String,
    pub kind: String,
    pub public: bool,
    pub auth: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub effect: String,
    pub wildcard: Option<Located<String>>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Cost {
    pub origin: Origin,
    pub currency: Option<String>,
    pub budget: Option<Located<f64>>,
    pub estimate: Option<Located<f64>>,
    pub actual: Option<Located<f64>>,
}

#[derive(Clone, Debug)]
pub struct Export {
    pub origin: Origin,
    pub exportable: Option<Located<bool>>,
    pub repository: Option<Located<String>>,
}

#[derive(Clone, Debug)]
pub struct Review {
    pub origin: Origin,
    pub last_reviewed: Option<Located<Date>>,
    pub retire_by: Option<Located<Date>>,
}

#[derive(Clone, Debug)]
pub struct Exception {
    pub rule: Located<String>,
    pub target: Option<String>,
    pub ticket: Option<String>,
    pub expires: Option<Located<Date>>,
    /// The signed approval (a DSSE envelope), when the exception carries one.
    pub approval: Option<Located<serde_json::Value>>,
    pub origin: Origin,
}

/// A cursor over the source document that builds origins as it goes.
#[derive(Clone, Copy)]
struct At<'a> {
    node: &'a Node,
    key_span: Option<Span>,
}

impl<'a> At<'a> {
    fn origin(&self, pointer: Ptr) -> Origin {
        Origin {
            pointer: pointer.done(),
            span: focus_span(self.node, self.key_span),
        }
    }

    fn child(&self, key: &str) -> Option<At<'a>> {
        self.node.get_entry(key).map(|(k, v)| At {
            node: v,
            key_span: Some(k.span),
        })
    }
}

/// The string at `parent.key`, sharing the document's text.
fn text_of(node: &Node) -> Option<Str> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn located_text(parent: At<'_>, ptr: Ptr, key: &'static str) -> Option<Located<Str>> {
    let at = parent.child(key)?;
    let s = text_of(at.node)?;
    Some(Located {
        value: s,
        origin: at.origin(ptr.key(key)),
    })
}

/// The value at `parent.key`, when it is a string `parse` accepts.
fn located_parsed<T>(
    parent: At<'_>,
    ptr: Ptr,
    key: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<Located<T>> {
    let at = parent.child(key)?;
    let value = parse(at.node.as_str()?)?;
    Some(Located {
        value,
        origin: at.origin(ptr.key(key)),
    })
}

fn located_str(parent: At<'_>, ptr: Ptr, key: &'static str) -> Option<Located<String>> {
    let at = parent.child(key)?;
    let s = at.node.as_str()?;
    Some(Located {
        value: s.to_string(),
        origin: at.origin(ptr.key(key)),
    })
}

fn located_num(parent: At<'_>, ptr: Ptr, key: &'static str) -> Option<Located<f64>> {
    let at = parent.child(key)?;
    let f = at.node.as_f64().filter(|f| f.is_finite())?;
    Some(Located {
        value: f,
        origin: at.origin(ptr.key(key)),
    })
}

fn located_date(parent: At<'_>, ptr: Ptr, key: &'static str) -> Option<Located<Date>> {
    let at = parent.child(key)?;
    let d = Date::parse(at.node.as_str()?)?;
    Some(Located {
        value: d,
        origin: at.origin(ptr.key(key)),
    })
}

/// The items of the list at `parent.key` (whose pointer is `list_ptr`), each with its pointer
/// (none when it is not a list).
fn items<'a>(
    parent: At<'a>,
    list_ptr: Ptr,
    key: &'static str,
) -> impl ExactSizeIterator<Item = (At<'a>, Ptr)> + 'a {
    let list = parent
        .child(key)
        .and_then(|at| at.node.as_seq())
        .unwrap_or_default();
    list.iter().enumerate().map(move |(i, n)| {
        (
            At {
                node: n,
                key_span: None,
            },
            list_ptr.index(i),
        )
    })
}

impl Manifest {
    /// Reads the canonical model from a document. Tolerant: wrong-typed fields (already reported
    /// by the schema check) are left out.
    pub fn from_document(root: &Node) -> Manifest {
        let top = At {
            node: root,
            key_span: None,
        };
        let mut m = Manifest {
            root: Some(top.origin(Ptr::ROOT)),
            ..Manifest::default()
        };
        if !matches!(root.value, Value::Map(_)) {
            return m;
        }
        if let Some(meta) = top.child("metadata") {
            m.name = located_str(meta, Ptr::at("metadata"), "name");
        }
        let Some(spec) = top.child("spec").filter(|s| s.node.as_map().is_some()) else {
            return m;
        };
        let sp = Ptr::at("spec");
        m.spec = Some(spec.origin(sp));
        m.tier = located_parsed(spec, sp, "tier", Tier::parse);
        m.owner = located_str(spec, sp, "owner");
        if let Some(src) = spec.child("source") {
            let p = Ptr::at("spec/source");
            if let (Some(format), Some(path)) = (
                located_str(src, p, "format"),
                located_str(src, p, "path").filter(|l| is_relative_source_path(&l.value)),
            ) {
                m.source = Some(SourceRef { format, path });
            }
        }
        m.data_classification = located_parsed(spec, sp, "dataClassification", Sensitivity::parse);
        for (set, set_ptr) in items(spec, Ptr::at("spec/data"), "data") {
            let fields = items(set, set_ptr.key("fields"), "fields");
            m.data_fields.reserve(fields.len());
            for (f, fptr) in fields {
                let Some(name) = located_text(f, fptr, "name") else {
                    continue;
                };
                let classification = located_parsed(f, fptr, "classification", Sensitivity::parse);
                m.data_fields.push(DataField {
                    name,
                    classification,
                    origin: f.origin(fptr),
                });
            }
        }
        let connectors = items(spec, Ptr::at("spec/connectors"), "connectors");
        m.connectors.reserve_exact(connectors.len());
        for (c, cptr) in connectors {
            let get = |k: &str| c.node.get(k).and_then(text_of);
            m.connectors.push(Connector {
                name: get("name").unwrap_or_default(),
                service: get("service"),
                url: located_text(c, cptr, "url"),
                inbound: c.node.get("direction").and_then(Node::as_str) == Some("inbound"),
                origin: c.origin(cptr),
            });
        }
        let triggers = items(spec, Ptr::at("spec/triggers"), "triggers");
        m.triggers.reserve_exact(triggers.len());
        for (t, tptr) in triggers {
            let get = |k: &str| t.node.get(k).and_then(Node::as_str).map(str::to_string);
            m.triggers.push(Trigger {
                name: get("name").unwrap_or_default(),
                kind: get("type").unwrap_or_default(),
                public: t
                    .node
                    .get("public")
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                auth: get("auth"),
                origin: t.origin(tptr),
            });
        }
        if let Some(cors) = spec.child("network").and_then(|n| n.child("cors")) {
            for (o, optr) in items(
                cors,
                Ptr::at("spec/network/cors/allowOrigins"),
                "allowOrigins",
            ) {
                if let Some(s) = o.node.as_str() {
                    m.cors_origins.push(Located {
                        value: s.to_string(),
                        origin: o.origin(optr),
                    });
                }
            }
        }
        let grants = items(spec, Ptr::at("spec/permissions"), "permissions");
        m.grants.reserve_exact(grants.len());
        for (g, gptr) in grants {
            let effect = g
                .node
                .get("effect")
                .and_then(Node::as_str)
                .unwrap_or("allow")
                .to_string();
            let mut wildcard = None;
            for key in ["actions", "resources"] {
                let Some(at) = g.child(key) else { continue };
                let mut wild = |v: At<'_>, vptr: Ptr| {
                    if let Some(s) = v.node.as_str().filter(|s| s.contains('*')) {
                        wildcard.get_or_insert(Located {
                            value: s.to_string(),
                            origin: Origin {
                                pointer: vptr.done(),
                                span: v.node.span,
                            },
                        });
                    }
                };
                match &at.node.value {
                    Value::String(_) => wild(at, gptr.key(key)),
                    Value::Seq(_) => {
                        for (v, vptr) in items(g, gptr.key(key), key) {
                            wild(v, vptr);
                        }
                    }
                    _ => {}
                }
            }
            m.grants.push(Grant {
                effect,
                wildcard,
                origin: g.origin(gptr),
            });
        }
        if let Some(cost) = spec.child("cost") {
            let cp = Ptr::at("spec/cost");
            m.cost = Some(Cost {
                origin: cost.origin(cp),
                currency: cost
                    .node
                    .get("currency")
                    .and_then(Node::as_str)
                    .map(str::to_string),
                budget: located_num(cost, cp, "budgetMonthly"),
                estimate: located_num(cost, cp, "estimateMonthly"),
                actual: located_num(cost, cp, "actualMonthly"),
            });
        }
        m.sla = spec
            .child("sla")
            .filter(|s| !s.node.is_null())
            .map(|s| s.origin(Ptr::at("spec/sla")));
        if let Some(export) = spec.child("export") {
            let ep = Ptr::at("spec/export");
            m.export = Some(Export {
                origin: export.origin(ep),
                exportable: export.child("exportable").and_then(|at| {
                    at.node.as_bool().map(|b| Located {
                        value: b,
                        origin: at.origin(ep.key("exportable")),
                    })
                }),
                repository: located_str(export, ep, "repository")
                    .filter(|r| !r.value.trim().is_empty()),
            });
        }
        if let Some(review) = spec.child("review") {
            let rp = Ptr::at("spec/review");
            m.review = Some(Review {
                origin: review.origin(rp),
                last_reviewed: located_date(review, rp, "lastReviewed"),
                retire_by: located_date(review, rp, "retireBy"),
            });
        }
        for (e, eptr) in items(spec, Ptr::at("spec/exceptions"), "exceptions") {
            let Some(rule) = located_str(e, eptr, "rule") else {
                continue;
            };
            let get = |k: &str| e.node.get(k).and_then(Node::as_str).map(str::to_string);
            m.exceptions.push(Exception {
                rule,
                target: get("target"),
                ticket: get("ticket"),
                expires: located_date(e, eptr, "expires"),
                approval: e.child("approval").map(|a| Located {
                    value: a.node.to_json(),
                    origin: a.origin(eptr.key("approval")),
                }),
                origin: e.origin(eptr),
            });
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_pointers_spell_out_as_json_pointers() {
        let text = |p: Ptr| p.done().to_text();
        assert_eq!(text(Ptr::ROOT), "");
        assert_eq!(text(Ptr::at("spec")), "/spec");
        assert_eq!(
            text(Ptr::at("spec/cost").key("budgetMonthly")),
            "/spec/cost/budgetMonthly"
        );
        assert_eq!(
            text(
                Ptr::at("spec/data")
                    .index(2)
                    .key("fields")
                    .index(10)
                    .key("name")
            ),
            "/spec/data/2/fields/10/name"
        );
        assert_eq!(
            text(Ptr::at("spec/permissions").index(0).key("actions").index(3)),
            "/spec/permissions/0/actions/3"
        );
        let p = Ptr::at("spec/connectors").index(1).key("url").done();
        assert_eq!(p, Pointer::Owned("/spec/connectors/1/url".into()));
        assert_ne!(p, Pointer::Owned("/spec/connectors/1".into()));
        assert!(p.is("/spec/connectors/1/url"));
        assert_eq!(p.to_string(), "/spec/connectors/1/url");
    }
}
