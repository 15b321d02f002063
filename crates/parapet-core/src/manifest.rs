//! Manifest v1: its schema, and the canonical model the rules read. Every element keeps its
//! [`Origin`] (pointer and span in the source document) so that adapters from vendor exports
//! can report findings at the vendor file's own locations.

use crate::document::{push_index, push_pointer, Node, Value};
use crate::model::{Date, Sensitivity, Tier};
use crate::schema::{field, focus_span, required, Shape};
use crate::source::Span;

pub const API_VERSION: &str = "parapet.dev/v1";
pub const KIND: &str = "MicroApp";

/// Where an element of the model came from in the source document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub pointer: String,
    pub span: Span,
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
    pub name: Located<String>,
    pub classification: Option<Located<Sensitivity>>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Connector {
    pub name: String,
    pub service: Option<String>,
    pub url: Option<Located<String>>,
    pub direction: String,
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
    fn origin(&self, pointer: impl Into<String>) -> Origin {
        Origin {
            pointer: pointer.into(),
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

fn located_str(parent: At<'_>, ptr: &str, key: &str) -> Option<Located<String>> {
    let at = parent.child(key)?;
    let s = at.node.as_str()?;
    Some(Located {
        value: s.to_string(),
        origin: at.origin(push_pointer(ptr, key)),
    })
}

fn located_num(parent: At<'_>, ptr: &str, key: &str) -> Option<Located<f64>> {
    let at = parent.child(key)?;
    let f = at.node.as_f64().filter(|f| f.is_finite())?;
    Some(Located {
        value: f,
        origin: at.origin(push_pointer(ptr, key)),
    })
}

fn located_date(parent: At<'_>, ptr: &str, key: &str) -> Option<Located<Date>> {
    let at = parent.child(key)?;
    let d = Date::parse(at.node.as_str()?)?;
    Some(Located {
        value: d,
        origin: at.origin(push_pointer(ptr, key)),
    })
}

/// The items of the list at `parent.key`, each with its pointer (none when it is not a list).
fn items<'a>(
    parent: At<'a>,
    ptr: &str,
    key: &str,
) -> impl ExactSizeIterator<Item = (At<'a>, String)> + 'a {
    let list = parent
        .child(key)
        .and_then(|at| at.node.as_seq())
        .unwrap_or_default();
    let list_ptr = if list.is_empty() {
        String::new()
    } else {
        push_pointer(ptr, key)
    };
    list.iter().enumerate().map(move |(i, n)| {
        (
            At {
                node: n,
                key_span: None,
            },
            push_index(&list_ptr, i),
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
            root: Some(top.origin("")),
            ..Manifest::default()
        };
        if !matches!(root.value, Value::Map(_)) {
            return m;
        }
        if let Some(meta) = top.child("metadata") {
            m.name = located_str(meta, "/metadata", "name");
        }
        let Some(spec) = top.child("spec").filter(|s| s.node.as_map().is_some()) else {
            return m;
        };
        let sp = "/spec";
        m.spec = Some(spec.origin(sp));
        m.tier = located_str(spec, sp, "tier").and_then(|l| {
            Tier::parse(&l.value).map(|t| Located {
                value: t,
                origin: l.origin,
            })
        });
        m.owner = located_str(spec, sp, "owner");
        if let Some(src) = spec.child("source") {
            let p = "/spec/source";
            if let (Some(format), Some(path)) = (
                located_str(src, p, "format"),
                located_str(src, p, "path").filter(|l| is_relative_source_path(&l.value)),
            ) {
                m.source = Some(SourceRef { format, path });
            }
        }
        m.data_classification = located_str(spec, sp, "dataClassification").and_then(|l| {
            Sensitivity::parse(&l.value).map(|s| Located {
                value: s,
                origin: l.origin,
            })
        });
        for (set, set_ptr) in items(spec, sp, "data") {
            let fields = items(set, &set_ptr, "fields");
            m.data_fields.reserve(fields.len());
            for (f, fptr) in fields {
                let Some(name) = located_str(f, &fptr, "name") else {
                    continue;
                };
                let classification = located_str(f, &fptr, "classification").and_then(|l| {
                    Sensitivity::parse(&l.value).map(|s| Located {
                        value: s,
                        origin: l.origin,
                    })
                });
                m.data_fields.push(DataField {
                    name,
                    classification,
                    origin: f.origin(fptr),
                });
            }
        }
        let connectors = items(spec, sp, "connectors");
        m.connectors.reserve_exact(connectors.len());
        for (c, cptr) in connectors {
            let get = |k: &str| c.node.get(k).and_then(Node::as_str).map(str::to_string);
            m.connectors.push(Connector {
                name: get("name").unwrap_or_default(),
                service: get("service"),
                url: located_str(c, &cptr, "url"),
                direction: get("direction").unwrap_or_else(|| "outbound".into()),
                origin: c.origin(cptr),
            });
        }
        let triggers = items(spec, sp, "triggers");
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
            for (o, optr) in items(cors, "/spec/network/cors", "allowOrigins") {
                if let Some(s) = o.node.as_str() {
                    m.cors_origins.push(Located {
                        value: s.to_string(),
                        origin: o.origin(optr),
                    });
                }
            }
        }
        let grants = items(spec, sp, "permissions");
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
                let kptr = push_pointer(&gptr, key);
                let candidates: Vec<(At<'_>, String)> = match &at.node.value {
                    Value::String(_) => vec![(at, kptr.clone())],
                    Value::Seq(_) => items(g, &gptr, key).collect(),
                    _ => Vec::new(),
                };
                for (v, vptr) in candidates {
                    if let Some(s) = v.node.as_str().filter(|s| s.contains('*')) {
                        wildcard.get_or_insert(Located {
                            value: s.to_string(),
                            origin: Origin {
                                pointer: vptr,
                                span: v.node.span,
                            },
                        });
                    }
                }
            }
            m.grants.push(Grant {
                effect,
                wildcard,
                origin: g.origin(gptr),
            });
        }
        if let Some(cost) = spec.child("cost") {
            let cp = "/spec/cost";
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
            .map(|s| s.origin("/spec/sla"));
        if let Some(export) = spec.child("export") {
            let ep = "/spec/export";
            m.export = Some(Export {
                origin: export.origin(ep),
                exportable: export.child("exportable").and_then(|at| {
                    at.node.as_bool().map(|b| Located {
                        value: b,
                        origin: at.origin("/spec/export/exportable"),
                    })
                }),
                repository: located_str(export, ep, "repository")
                    .filter(|r| !r.value.trim().is_empty()),
            });
        }
        if let Some(review) = spec.child("review") {
            let rp = "/spec/review";
            m.review = Some(Review {
                origin: review.origin(rp),
                last_reviewed: located_date(review, rp, "lastReviewed"),
                retire_by: located_date(review, rp, "retireBy"),
            });
        }
        for (e, eptr) in items(spec, sp, "exceptions") {
            let Some(rule) = located_str(e, &eptr, "rule") else {
                continue;
            };
            let get = |k: &str| e.node.get(k).and_then(Node::as_str).map(str::to_string);
            m.exceptions.push(Exception {
                rule,
                target: get("target"),
                ticket: get("ticket"),
                expires: located_date(e, &eptr, "expires"),
                approval: e.child("approval").map(|a| Located {
                    value: a.node.to_json(),
                    origin: a.origin(push_pointer(&eptr, "approval")),
                }),
                origin: e.origin(eptr),
            });
        }
        m
    }
}
