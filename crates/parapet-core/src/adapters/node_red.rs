//! Node-RED flows: an array of node objects `{ id, type, ... }` (an export or `flows.json`), or
//! `{ rev, flows: [...] }` from the admin API. Config nodes (`tls-config`, `mqtt-broker`,
//! `MySQLdatabase`) are referenced by id from the nodes that use them.

use super::services::{service_for_host, service_for_type};
use super::{
    connector, located_url, trigger, AdaptCx, Adapted, Adapter, At, CodeExecution, TlsOff,
};
use std::borrow::Cow;

use crate::document::{push_pointer, Node};
use crate::hash::{Map, Set};
use crate::manifest::{Located, Origin, Pointer};

pub(crate) struct NodeRed;

/// Core and dashboard node types that only move data inside the flow: no service.
fn is_logic(kind: &str) -> bool {
    const LOGIC: &[&str] = &[
        "tab",
        "subflow",
        "group",
        "junction",
        "comment",
        "inject",
        "debug",
        "complete",
        "catch",
        "status",
        "link in",
        "link out",
        "link call",
        "function",
        "change",
        "switch",
        "range",
        "template",
        "delay",
        "trigger",
        "rbe",
        "filter",
        "split",
        "join",
        "sort",
        "batch",
        "csv",
        "html",
        "json",
        "xml",
        "yaml",
        "http response",
        "websocket out",
        "websocket in",
        "file",
        "file in",
        "watch",
        "exec",
        "tls-config",
        "http proxy",
        "global-config",
        "ffmpeg",
    ];
    LOGIC.contains(&kind)
        || kind.starts_with("ui_")
        || kind.starts_with("ui-")
        || kind.starts_with("subflow:")
}

fn flows(root: &Node) -> Option<&[Node]> {
    match root.as_seq() {
        Some(items) => Some(items),
        None => root.get("flows").and_then(Node::as_seq),
    }
}

impl Adapter for NodeRed {
    const FORMAT: &'static str = "node-red";

    fn detect(root: &Node) -> bool {
        let items = match root.as_seq() {
            Some(items) => items,
            // The admin API's `{ rev, flows }` (flows may be malformed: still Node-RED).
            None => return root.get("rev").is_some() && root.get("flows").is_some(),
        };
        !items.is_empty()
            && items
                .iter()
                .filter(|n| n.as_map().is_some())
                .any(|n| n.get("id").is_some() && n.get("type").and_then(Node::as_str).is_some())
            && items
                .iter()
                .filter_map(|n| n.as_map().map(|_| n))
                .all(|n| n.get("id").is_some() || n.get("type").is_some())
    }

    fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Adapted {
        let mut a = Adapted::new(Self::FORMAT);
        // Ids, types, positions and wires are not data: only what the flow carries is
        // classified (payloads, code, templates, headers, bodies).
        a.classify_samples_only = true;
        let top = At::root(root);
        a.model.root = Some(top.origin());
        let list = if root.as_seq().is_some() {
            top.clone()
        } else {
            match top.get("flows") {
                Some(f) => f,
                None => return a,
            }
        };
        if flows(root).is_none() {
            let msg = format!(
                "Node-RED flows: flows must be a list of nodes, not {}",
                list.node.type_name()
            );
            a.problems.push((msg, list.origin()));
            return a;
        }
        let nodes = list.items();
        // Config nodes by id, for the nodes that reference them: the first node of each id,
        // indexed on first use (a search per reference would be quadratic in a flow whose
        // nodes all reference configs).
        let index: std::cell::OnceCell<Map<&str, usize>> = std::cell::OnceCell::new();
        let by_id = |id: &str| {
            let index = index.get_or_init(|| {
                let mut m = Map::default();
                for (i, n) in nodes.iter().enumerate() {
                    if let Some(id) = n.str("id") {
                        m.entry(id).or_insert(i);
                    }
                }
                m
            });
            index.get(id).and_then(|&i| nodes.get(i))
        };
        // The TLS settings already reported (a config node shared by many nodes: once).
        let mut tls_seen = Set::default();
        for n in &nodes {
            if n.node.as_map().is_none() {
                let msg = format!(
                    "Node-RED flows: {} must be a node object, not {}",
                    crate::schema::display_name(&n.ptr),
                    n.node.type_name()
                );
                a.problems.push((msg, n.origin()));
                continue;
            }
            // Borrowed from the document when a string (the usual case; ids are sometimes numbers).
            let id: Cow<'_, str> = match n.str("id") {
                Some(id) => Cow::Borrowed(id),
                None => Cow::Owned(n.text("id").unwrap_or_default()),
            };
            let Some(kind) = n.str("type") else {
                let msg = match n.node.get("type") {
                    Some(t) => format!(
                        "Node-RED node {}: type must be a string, not {}",
                        crate::text::truncate(&id, 40),
                        t.type_name()
                    ),
                    None => format!(
                        "Node-RED node {} has no type",
                        crate::text::truncate(&id, 40)
                    ),
                };
                a.problems.push((msg, n.origin()));
                continue;
            };
            let label = n
                .str("name")
                .filter(|s| !s.is_empty())
                .or_else(|| n.str("label"))
                .unwrap_or("");
            a.add_node(&n.ptr, &id, label, kind);
            for field in [
                "payload", "func", "template", "rules", "headers", "body", "info",
            ] {
                if n.node.get(field).is_some() {
                    a.samples.push(push_pointer(&n.ptr, field));
                }
            }
            let shown: Cow<'_, str> = if label.is_empty() {
                Cow::Owned(format!("{kind} {id}"))
            } else {
                Cow::Borrowed(label)
            };
            node(n, &shown, kind, cx, &by_id, &mut tls_seen, &mut a);
        }
        a
    }
}

fn node<'a>(
    n: &At<'a>,
    name: &str,
    kind: &str,
    cx: &AdaptCx<'_>,
    by_id: &dyn Fn(&str) -> Option<&'a At<'a>>,
    tls_seen: &mut Set<String>,
    a: &mut Adapted,
) {
    let origin = super::node_origin(n);
    match kind {
        "http in" => {
            a.model
                .triggers
                .push(trigger(name, "webhook", true, Some("none"), origin));
        }
        "websocket-listener" => {
            a.model
                .triggers
                .push(trigger(name, "webhook", true, Some("none"), origin));
        }
        "http request" | "websocket-client" => {
            let url = located_url(n.get(if kind == "http request" {
                "url"
            } else {
                "path"
            }));
            let service = url
                .as_ref()
                .and_then(|u| crate::text::url_host(&u.value))
                .map(|(_, h)| service_for_host(cx.pack, &h));
            if let Some(tls_id) = n.str("tls").filter(|s| !s.is_empty()) {
                if let Some(cfg) = by_id(tls_id) {
                    tls_config(cfg, name, tls_seen, a);
                }
            }
            a.model
                .connectors
                .push(connector(name, service, url, "outbound", origin));
        }
        "tls-config" => {
            // Reported through the nodes that use it; an unused one is reported too.
            tls_config(n, name, tls_seen, a);
        }
        "mqtt-broker" => {
            let broker = n.text("broker").unwrap_or_default();
            let port = n.text("port").unwrap_or_default();
            let tls = n.node.get("usetls").and_then(Node::as_bool) == Some(true);
            let url = if broker.contains("://") {
                broker.clone()
            } else {
                let scheme = if tls { "mqtts" } else { "mqtt" };
                if port.is_empty() {
                    format!("{scheme}://{broker}")
                } else {
                    format!("{scheme}://{broker}:{port}")
                }
            };
            let at = n.get("broker").unwrap_or_else(|| n.clone());
            let host = crate::text::url_host(&url).map(|(_, h)| h);
            a.model.connectors.push(connector(
                name,
                Some(host.map_or_else(|| "mqtt".to_string(), |h| service_for_host(cx.pack, &h))),
                (!broker.is_empty()).then(|| Located {
                    value: url,
                    origin: Origin {
                        pointer: Pointer::Owned(at.ptr.clone()),
                        span: at.node.span,
                    },
                }),
                "both",
                origin,
            ));
            if tls {
                if let Some(cfg) = n.str("tls").and_then(by_id) {
                    tls_config(cfg, name, tls_seen, a);
                }
            }
        }
        "exec" | "daemon" => {
            let cmd = n.text("command");
            let append = n.get("addpay").is_some_and(|p| match &p.node.value {
                crate::document::Value::Bool(b) => *b,
                crate::document::Value::String(s) => !s.is_empty() && s != "false",
                _ => false,
            });
            a.model.code_exec.push(CodeExecution {
                name: name.to_string(),
                what: if kind == "exec" {
                    "exec node"
                } else {
                    "daemon node"
                },
                command: cmd,
                from_input: append,
                origin: n.get("command").map_or(origin, |c| c.origin()),
            });
        }
        // The payload is data the flow handles (classified); JSON payloads are scanned as JSON.
        "inject" => {}
        "MySQLdatabase" | "postgresdb" | "mongodb" => {
            let host = n
                .text("host")
                .or_else(|| n.text("hostname"))
                .unwrap_or_default();
            let service = service_for_type(cx.pack, kind);
            let url = (!host.is_empty() && !host.contains("://")).then(|| {
                let at = n
                    .get("host")
                    .or_else(|| n.get("hostname"))
                    .unwrap_or_else(|| n.clone());
                Located {
                    value: format!("{service}://{host}"),
                    origin: Origin {
                        pointer: Pointer::Owned(at.ptr.clone()),
                        span: at.node.span,
                    },
                }
            });
            a.model
                .connectors
                .push(connector(name, Some(service), url, "both", origin));
        }
        // Nodes that use a config node: the config node is the connector.
        "mysql" | "mqtt in" | "mqtt out" => {}
        k if is_logic(k) => {}
        k => {
            // A contrib node talks to a service when it names one (a table entry) or an
            // endpoint; others (sensors, GPIO, UI) stay inside the device.
            let known = super::services::NODE_TYPES.iter().any(|(t, _)| *t == k)
                || super::services::TYPE_PREFIXES
                    .iter()
                    .any(|(p, _)| k.starts_with(p));
            let endpoint = ["url", "host", "hostname", "server", "broker", "endpoint"]
                .iter()
                .any(|f| n.str(f).is_some_and(|s| !s.trim().is_empty()));
            if !known && !endpoint {
                return;
            }
            let url = located_url(n.get("url"));
            let service = match url.as_ref().and_then(|u| crate::text::url_host(&u.value)) {
                Some((_, h)) if k.contains("http") => service_for_host(cx.pack, &h),
                _ => service_for_type(cx.pack, k),
            };
            a.model
                .connectors
                .push(connector(name, Some(service), url, "outbound", origin));
        }
    }
}

fn tls_config(cfg: &At<'_>, user: &str, seen: &mut Set<String>, a: &mut Adapted) {
    if let Some(v) = cfg.get("verifyservercert") {
        let off = match &v.node.value {
            crate::document::Value::Bool(b) => !*b,
            crate::document::Value::String(s) => s == "false",
            _ => false,
        };
        if off && seen.insert(v.ptr.clone()) {
            a.model.tls_off.push(TlsOff {
                name: user.to_string(),
                setting: "verifyservercert: false",
                origin: v.origin(),
            });
        }
    }
}
