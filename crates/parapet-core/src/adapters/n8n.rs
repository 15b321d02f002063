//! n8n workflows: `{ name, nodes: [...], connections, pinData?, tags? }`.
//!
//! Nodes are at `/nodes/<i>`: `parameters` are the node's settings (scanned and classified),
//! `credentials` are references to the credential store (never secrets), `pinData` holds real
//! samples captured from runs (classified). A Webhook/Form trigger without `authentication`
//! accepts anyone.

use super::services::{service_for_host, service_for_type};
use super::{
    connector, is_expression, located_url, reads_input, trigger, AdaptCx, Adapted, Adapter, At,
    CodeExecution, TlsOff,
};
use crate::document::{push_pointer, Node, Value};
use crate::manifest::{Located, Origin, Pointer};
use crate::model::Tier;

pub(crate) struct N8n;

/// Node types (after the package prefix) that only move data inside the workflow: no service.
const LOGIC: &[&str] = &[
    "set",
    "if",
    "switch",
    "merge",
    "function",
    "functionItem",
    "code",
    "noOp",
    "stickyNote",
    "start",
    "wait",
    "splitInBatches",
    "itemLists",
    "splitOut",
    "aggregate",
    "filter",
    "sort",
    "limit",
    "removeDuplicates",
    "summarize",
    "dateTime",
    "crypto",
    "html",
    "htmlExtract",
    "xml",
    "markdown",
    "moveBinaryData",
    "convertToFile",
    "extractFromFile",
    "readBinaryFile",
    "readBinaryFiles",
    "writeBinaryFile",
    "readWriteFile",
    "spreadsheetFile",
    "compression",
    "executeWorkflow",
    "respondToWebhook",
    "stopAndError",
    "renameKeys",
    "editImage",
    "compareDatasets",
    "debugHelper",
    "form",
    "executionData",
    "agent",
    "chainLlm",
    "chainSummarization",
    "chainRetrievalQa",
    "outputParserStructured",
    "outputParserAutofixing",
    "memoryBufferWindow",
    "toolCode",
    "toolWorkflow",
    "toolCalculator",
    "toolThink",
    "textSplitterRecursiveCharacterTextSplitter",
    "textSplitterCharacterTextSplitter",
    "documentDefaultDataLoader",
    "informationExtractor",
    "textClassifier",
    "sentimentAnalysis",
    "vectorStoreInMemory",
];

/// Trigger node types that start the workflow without a service.
fn local_trigger(bare: &str) -> Option<&'static str> {
    match bare {
        "manualTrigger"
        | "start"
        | "executeWorkflowTrigger"
        | "errorTrigger"
        | "n8nTrigger"
        | "workflowTrigger" => Some("manual"),
        "scheduleTrigger" | "cron" | "interval" => Some("schedule"),
        "localFileTrigger" => Some("event"),
        _ => None,
    }
}

fn bare(kind: &str) -> &str {
    kind.rsplit('.').next().unwrap_or(kind)
}

impl Adapter for N8n {
    const FORMAT: &'static str = "n8n";

    fn detect(root: &Node) -> bool {
        root.get("nodes").is_some() && root.get("connections").is_some()
    }

    fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Adapted {
        let mut a = Adapted::new(Self::FORMAT);
        a.classify_samples_only = true;
        let top = At::root(root);
        a.model.root = Some(top.origin());
        a.model.name = top.located_str("name");
        tags(&top, &mut a);
        let Some(nodes) = top.get("nodes") else {
            return a;
        };
        if nodes.node.as_seq().is_none() {
            let msg = format!(
                "n8n workflow: nodes must be a list of nodes, not {}",
                nodes.node.type_name()
            );
            a.problems.push((msg, nodes.origin()));
            return a;
        }
        for n in nodes.items() {
            if n.node.as_map().is_none() {
                let msg = format!(
                    "n8n workflow: {} must be a node object, not {}",
                    crate::schema::display_name(&n.ptr),
                    n.node.type_name()
                );
                a.problems.push((msg, n.origin()));
                continue;
            }
            let name = n.str("name").unwrap_or("");
            let Some(kind) = n.str("type") else {
                let msg = match n.node.get("type") {
                    Some(t) => format!(
                        "n8n node \"{}\": type must be a string, not {}",
                        crate::text::truncate(name, 40),
                        t.type_name()
                    ),
                    None => format!(
                        "n8n node \"{}\" has no type",
                        crate::text::truncate(name, 40)
                    ),
                };
                a.problems.push((msg, n.origin()));
                continue;
            };
            // Borrowed from the document when a string (the usual case).
            let id: std::borrow::Cow<'_, str> = match n.str("id") {
                Some(id) => id.into(),
                None => n.text("id").unwrap_or_default().into(),
            };
            a.add_node(&n.ptr, &id, name, kind);
            a.references.push(push_pointer(&n.ptr, "credentials"));
            if bare(kind) != "stickyNote" {
                a.samples.push(push_pointer(&n.ptr, "parameters"));
            }
            node(&n, name, kind, cx, &mut a);
        }
        if let Some(pin) = top.get("pinData") {
            a.samples.push(pin.ptr.clone());
            // The first node of each (shown) name: pinned data is keyed by node name. An index,
            // not a search per entry (quadratic with many nodes and pins).
            let mut by_name: crate::hash::Map<&str, usize> = crate::hash::Map::default();
            for (i, n) in a.nodes.iter().enumerate() {
                by_name.entry(n.node.name.as_str()).or_insert(i);
            }
            let pinned: Vec<super::NodeSite> = pin
                .entries()
                .into_iter()
                .filter_map(|(key, at)| {
                    let node = a.nodes.get(*by_name.get(key)?)?.node.clone();
                    Some(super::NodeSite {
                        pointer: at.ptr,
                        node,
                    })
                })
                .collect();
            a.nodes.extend(pinned);
        }
        a
    }
}

/// `parapet:tier=…` and `parapet:owner=…` workflow tags (strings or `{ name }` objects).
fn tags(top: &At<'_>, a: &mut Adapted) {
    let Some(tags) = top.get("tags") else { return };
    for t in tags.items() {
        let (text, at) = match &t.node.value {
            Value::String(s) => (s.as_str(), t.clone()),
            Value::Map(_) => match t.get("name") {
                Some(n) => match n.node.as_str() {
                    Some(s) => (s, n),
                    None => continue,
                },
                None => continue,
            },
            _ => continue,
        };
        if let Some(v) = text.strip_prefix("parapet:tier=") {
            if let Some(tier) = Tier::parse(v.trim()) {
                a.own_tier = Some(Located {
                    value: tier,
                    origin: at.origin(),
                });
            }
        } else if let Some(v) = text.strip_prefix("parapet:owner=") {
            a.model.owner = Some(Located {
                value: v.trim().to_string(),
                origin: at.origin(),
            });
        }
    }
}

/// The parameter at `path` under `parameters`, as a cursor.
fn param<'a>(n: &At<'a>, path: &[&str]) -> Option<At<'a>> {
    n.get("parameters")?.path(path)
}

fn node(n: &At<'_>, name: &str, kind: &str, cx: &AdaptCx<'_>, a: &mut Adapted) {
    let b = bare(kind);
    let origin = super::node_origin(n);
    match b {
        "webhook" | "formTrigger" => {
            let auth = param(n, &["authentication"]);
            let (auth, at) = match auth.as_ref().and_then(|x| x.node.as_str().map(|s| (s, x))) {
                None | Some(("none", _)) => ("none", None),
                Some((_, x)) => ("token", Some(x.origin())),
            };
            let _ = at;
            let kind = if b == "webhook" { "webhook" } else { "form" };
            a.model
                .triggers
                .push(trigger(name, kind, true, Some(auth), origin));
            return;
        }
        "chatTrigger" => {
            let public = param(n, &["public"]).and_then(|p| p.node.as_bool()) == Some(true);
            let auth = match param(n, &["authentication"])
                .and_then(|x| x.node.as_str().map(str::to_string))
            {
                None => "none".to_string(),
                Some(s) if s == "none" => s,
                Some(_) => "token".to_string(),
            };
            let k = if public { "webhook" } else { "manual" };
            a.model
                .triggers
                .push(trigger(name, k, public, Some(&auth), origin));
            return;
        }
        "respondToWebhook" => {
            cors(n, a);
            return;
        }
        "executeCommand" | "ssh" => {
            let cmd = param(n, &["command"]).and_then(|c| c.node.as_str().map(str::to_string));
            let from_input = cmd.as_deref().is_some_and(reads_input);
            a.model.code_exec.push(CodeExecution {
                name: name.to_string(),
                what: if b == "ssh" {
                    "SSH node"
                } else {
                    "Execute Command node"
                },
                command: cmd,
                from_input,
                origin: param(n, &["command"]).map_or(origin, |c| c.origin()),
            });
            return;
        }
        "httpRequest" | "toolHttpRequest" | "graphql" => {
            let url_key = if b == "graphql" { "endpoint" } else { "url" };
            let url = located_url(param(n, &[url_key]));
            let service = url
                .as_ref()
                .and_then(|u| crate::text::url_host(&u.value))
                .map(|(_, h)| service_for_host(cx.pack, &h));
            tls(n, name, a);
            a.model
                .connectors
                .push(connector(name, service, url, "outbound", origin));
            return;
        }
        _ => {}
    }
    if let Some(k) = local_trigger(b) {
        a.model.triggers.push(trigger(name, k, false, None, origin));
        return;
    }
    if LOGIC.iter().any(|l| l.eq_ignore_ascii_case(b)) {
        return;
    }
    let service = service_for_type(cx.pack, kind);
    let inbound = b.ends_with("Trigger");
    if inbound {
        a.model
            .triggers
            .push(trigger(name, "event", false, None, origin.clone()));
    }
    tls(n, name, a);
    a.model.connectors.push(connector(
        name,
        Some(service),
        None,
        if inbound { "inbound" } else { "outbound" },
        origin,
    ));
}

/// `allowUnauthorizedCerts: true` (top-level in v1 nodes, under `options` later).
fn tls(n: &At<'_>, name: &str, a: &mut Adapted) {
    for path in [
        &["allowUnauthorizedCerts"][..],
        &["options", "allowUnauthorizedCerts"][..],
    ] {
        if let Some(at) = param(n, path).filter(|p| p.node.as_bool() == Some(true)) {
            a.model.tls_off.push(TlsOff {
                name: name.to_string(),
                setting: "allowUnauthorizedCerts: true",
                origin: at.origin(),
            });
        }
    }
}

/// Respond to Webhook headers: an `Access-Control-Allow-Origin` header is the app's CORS.
fn cors(n: &At<'_>, a: &mut Adapted) {
    let Some(entries) = param(n, &["options", "responseHeaders", "entries"]) else {
        return;
    };
    for e in entries.items() {
        let is_acao = e
            .str("name")
            .is_some_and(|h| h.trim().eq_ignore_ascii_case("access-control-allow-origin"));
        if !is_acao {
            continue;
        }
        if let Some(v) = e.get("value") {
            if let Some(s) = v
                .node
                .as_str()
                .filter(|s| !is_expression(s) || s.trim() == "*")
            {
                a.model.cors_origins.push(Located {
                    value: s.to_string(),
                    origin: Origin {
                        pointer: Pointer::Owned(v.ptr.clone()),
                        span: v.node.span,
                    },
                });
            }
        }
    }
}
