//! Make (Integromat) blueprints: `{ name, flow: [modules], metadata }`, modules
//! `{ id, module: "app:action", parameters, mapper, routes: [{ flow }], onerror }`. A single
//! module object (a router copied out of a scenario) is read too.
//!
//! `__IMTCONN__` / `__IMTHOOK__` parameters are references to Make's keychain; `{{1.email}}`
//! placeholders are mappings, never secrets. `gateway:CustomWebHook` has no authentication.

use super::services::{service_for_host, service_for_type};
use super::{connector, located_url, trigger, AdaptCx, Adapted, Adapter, At, TlsOff};
use crate::document::{push_pointer, Node};

pub(crate) struct Make;

/// Apps that only transform data inside the scenario: no service.
const LOGIC_APPS: &[&str] = &[
    "builtin",
    "json",
    "util",
    "regexp",
    "tools",
    "text-parser",
    "csv",
    "xml",
    "math",
    "datetime",
    "scenario-service",
    "placeholder",
];

fn is_module(n: &Node) -> bool {
    n.get("module")
        .and_then(Node::as_str)
        .is_some_and(|m| m.contains(':'))
}

impl Adapter for Make {
    const FORMAT: &'static str = "make";

    fn detect(root: &Node) -> bool {
        match root.get("flow") {
            Some(f) => match f.as_seq() {
                Some(items) => items.iter().any(is_module) || items.is_empty(),
                // `flow` that is not a list, next to Make's metadata: a malformed blueprint.
                None => root.get("metadata").is_some(),
            },
            None => is_module(root) && root.get("id").is_some(),
        }
    }

    fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Adapted {
        let top = At::root(root);
        let mut a = Adapted::new(Self::FORMAT);
        a.classify_samples_only = true;
        a.model.root = Some(top.origin());
        a.model.name = top.located_str("name");
        match top.get("flow") {
            Some(flow) => flow_in(&flow, cx, &mut a, 0),
            None => module(&top, cx, &mut a, 0),
        }
        a
    }
}

fn flow_in(flow: &At<'_>, cx: &AdaptCx<'_>, a: &mut Adapted, depth: usize) {
    if flow.node.as_seq().is_none() {
        let msg = format!(
            "Make blueprint: {} must be a list of modules, not {}",
            crate::schema::display_name(&flow.ptr),
            flow.node.type_name()
        );
        a.problems.push((msg, flow.origin()));
        return;
    }
    if depth > 32 {
        return;
    }
    for m in flow.items() {
        module(&m, cx, a, depth);
    }
}

fn module(m: &At<'_>, cx: &AdaptCx<'_>, a: &mut Adapted, depth: usize) {
    if m.node.as_map().is_none() {
        let msg = format!(
            "Make blueprint: {} must be a module object, not {}",
            crate::schema::display_name(&m.ptr),
            m.node.type_name()
        );
        a.problems.push((msg, m.origin()));
        return;
    }
    let id = m.text("id").unwrap_or_default();
    let Some(kind) = m.str("module") else {
        let msg = format!(
            "Make module {} has no module type (\"app:action\")",
            crate::text::truncate(&id, 20)
        );
        a.problems.push((msg, m.origin()));
        return;
    };
    let label = m
        .path(&["metadata", "designer", "name"])
        .and_then(|n| n.node.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{kind} #{id}"));
    a.add_node(&m.ptr, &id, &label, kind);
    for part in ["parameters", "mapper"] {
        if let Some(p) = m.get(part) {
            a.samples.push(p.ptr.clone());
            for (k, v) in p.entries() {
                if k.starts_with("__IMT") {
                    a.references.push(v.ptr.clone());
                }
            }
        }
    }
    let (app, _action) = kind.split_once(':').unwrap_or((kind, ""));
    let origin = super::node_origin(m);
    let app_l = app.to_ascii_lowercase();
    if kind == "gateway:CustomWebHook" || kind == "gateway:CustomMailHook" {
        a.model
            .triggers
            .push(trigger(&label, "webhook", true, Some("none"), origin));
    } else if app_l == "http" {
        let url = located_url(m.path(&["mapper", "url"]));
        let service = url
            .as_ref()
            .and_then(|u| crate::text::url_host(&u.value))
            .map(|(_, h)| service_for_host(cx.pack, &h));
        for part in ["mapper", "parameters"] {
            if let Some(r) = m
                .path(&[part, "rejectUnauthorized"])
                .filter(|r| r.node.as_bool() == Some(false) || r.node.as_str() == Some("false"))
            {
                a.model.tls_off.push(TlsOff {
                    name: label.clone(),
                    setting: "rejectUnauthorized: false",
                    origin: r.origin(),
                });
            }
        }
        a.model
            .connectors
            .push(connector(&label, service, url, "outbound", origin));
    } else if app_l == "gateway" || LOGIC_APPS.contains(&app_l.as_str()) {
        // Webhook responses and transformations.
    } else {
        let service = service_for_type(cx.pack, app);
        a.model
            .connectors
            .push(connector(&label, Some(service), None, "outbound", origin));
    }
    if let Some(routes) = m.get("routes") {
        for r in routes.items() {
            if let Some(flow) = r.get("flow") {
                flow_in(&flow, cx, a, depth + 1);
            }
        }
    }
    if let Some(onerror) = m.get("onerror") {
        flow_in(&onerror, cx, a, depth + 1);
    }
    let _ = push_pointer;
}
