//! Workflow Definition Language documents: Power Automate flow exports
//! (`properties.definition`) and Logic Apps definitions (`definition`, or a top-level `$schema`
//! of the workflow definition language with `triggers` and `actions`).
//!
//! Triggers and actions are maps from name to `{ type, kind?, inputs }`; scopes nest more
//! actions under `actions`, `else.actions`, `cases/*/actions` and `default.actions`.

use super::services::{service_for_host, service_for_type};
use super::{connector, located_url, trigger, AdaptCx, Adapted, Adapter, At};
use crate::document::Node;

pub(crate) struct PowerAutomate;
pub(crate) struct LogicApps;

fn is_definition(n: &Node) -> bool {
    n.get("triggers").is_some() || n.get("actions").is_some()
}

impl Adapter for PowerAutomate {
    const FORMAT: &'static str = "power-automate";

    fn detect(root: &Node) -> bool {
        root.get("properties")
            .and_then(|p| p.get("definition"))
            .is_some_and(|d| d.as_map().is_some())
    }

    fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Adapted {
        let top = At::root(root);
        let mut a = Adapted::new(Self::FORMAT);
        a.model.root = Some(top.origin());
        a.model.name = top.path(&["properties", "displayName"]).and_then(|_| {
            top.get("properties")
                .and_then(|p| p.located_str("displayName"))
        });
        if let Some(def) = top.path(&["properties", "definition"]) {
            definition(&def, cx, &mut a);
        }
        a
    }
}

impl Adapter for LogicApps {
    const FORMAT: &'static str = "logic-apps";

    fn detect(root: &Node) -> bool {
        if root.get("definition").is_some_and(is_definition) {
            return true;
        }
        root.get("$schema")
            .and_then(Node::as_str)
            .is_some_and(|s| s.contains("workflowdefinition.json"))
            && is_definition(root)
    }

    fn adapt(root: &Node, cx: &AdaptCx<'_>) -> Adapted {
        let top = At::root(root);
        let mut a = Adapted::new(Self::FORMAT);
        a.model.root = Some(top.origin());
        let def = if root.get("definition").is_some_and(is_definition) {
            top.get("definition").unwrap_or_else(|| top.clone())
        } else {
            top.clone()
        };
        definition(&def, cx, &mut a);
        a
    }
}

fn definition(def: &At<'_>, cx: &AdaptCx<'_>, a: &mut Adapted) {
    if let Some(p) = def.get("parameters") {
        // `$connections` and `$authentication` hold connection references.
        for (k, v) in p.entries() {
            if k == "$connections" || k == "$authentication" {
                a.references.push(v.ptr.clone());
            }
        }
    }
    if let Some(triggers) = def.get("triggers") {
        if triggers.node.as_map().is_none() {
            let msg = format!(
                "workflow definition: triggers must be a mapping from name to trigger, not {}",
                triggers.node.type_name()
            );
            a.problems.push((msg, triggers.origin()));
        }
        for (name, t) in triggers.entries() {
            item(name, &t, true, cx, a);
        }
    }
    if let Some(actions) = def.get("actions") {
        actions_in(&actions, cx, a, 0);
    }
}

fn actions_in(actions: &At<'_>, cx: &AdaptCx<'_>, a: &mut Adapted, depth: usize) {
    if actions.node.as_map().is_none() {
        let msg = format!(
            "workflow definition: {} must be a mapping from name to action, not {}",
            crate::schema::display_name(&actions.ptr),
            actions.node.type_name()
        );
        a.problems.push((msg, actions.origin()));
        return;
    }
    if depth > 32 {
        return;
    }
    for (name, act) in actions.entries() {
        item(name, &act, false, cx, a);
        // Nested scopes: If, Scope, Foreach, Until (actions), If (else), Switch (cases, default).
        if let Some(inner) = act.get("actions") {
            actions_in(&inner, cx, a, depth + 1);
        }
        if let Some(inner) = act.path(&["else", "actions"]) {
            actions_in(&inner, cx, a, depth + 1);
        }
        if let Some(inner) = act.path(&["default", "actions"]) {
            actions_in(&inner, cx, a, depth + 1);
        }
        if let Some(cases) = act.get("cases") {
            for (_, case) in cases.entries() {
                if let Some(inner) = case.get("actions") {
                    actions_in(&inner, cx, a, depth + 1);
                }
            }
        }
    }
}

/// The connector name of an API connection: `@parameters('$connections')['office365']…`,
/// `referenceName`, `connectionName`, or an `apiId` ending in `/apis/shared_x`.
fn api_name(inputs: &At<'_>) -> Option<String> {
    let host = inputs.get("host")?;
    if let Some(api) = host.str("apiId") {
        return Some(api.rsplit('/').next().unwrap_or(api).to_string());
    }
    if let Some(api) = host
        .path(&["api", "runtimeUrl"])
        .and_then(|r| r.node.as_str().map(str::to_string))
    {
        return Some(api.rsplit('/').next().unwrap_or(&api).to_string());
    }
    if let Some(conn) = host.get("connection") {
        if let Some(r) = conn.str("referenceName") {
            return Some(clean_ref(r));
        }
        if let Some(n) = conn.str("name") {
            if let Some(i) = n.find("$connections") {
                let rest = &n[i..];
                if let Some(j) = rest.find("['") {
                    let name = &rest[j + 2..];
                    return Some(clean_ref(name.split('\'').next().unwrap_or(name)));
                }
            }
            return Some(clean_ref(n));
        }
    }
    host.str("connectionName").map(clean_ref)
}

/// `sapodata_#workflowname#` → `sapodata`; `shared_office365-1` → `office365`.
fn clean_ref(s: &str) -> String {
    let s = s.strip_prefix("shared_").unwrap_or(s);
    let s = s.split('#').next().unwrap_or(s).trim_end_matches('_');
    // A numbered duplicate connection (`office365-1`) is the same service.
    let s = match s.rsplit_once('-') {
        Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => s,
    };
    s.to_string()
}

fn item(name: &str, t: &At<'_>, is_trigger: bool, cx: &AdaptCx<'_>, a: &mut Adapted) {
    if t.node.as_map().is_none() {
        let msg = format!(
            "workflow definition: \"{}\" must be a mapping, not {}",
            crate::text::truncate(name, 40),
            t.node.type_name()
        );
        a.problems.push((msg, t.origin()));
        return;
    }
    let Some(kind) = t.str("type") else {
        let msg = format!(
            "workflow definition: {} \"{}\" has no type",
            if is_trigger { "trigger" } else { "action" },
            crate::text::truncate(name, 40)
        );
        a.problems.push((msg, t.origin()));
        return;
    };
    a.add_node(&t.ptr, name, name, kind);
    let origin = t.origin();
    let inputs = t.get("inputs");
    let lower = kind.to_ascii_lowercase();
    if is_trigger {
        match lower.as_str() {
            "request" => {
                let k = t.str("kind").unwrap_or("Http");
                match k.to_ascii_lowercase().as_str() {
                    "http" | "" => {
                        // Reachable by its URL (with the SAS key) unless OAuth is required.
                        let auth = inputs
                            .as_ref()
                            .and_then(|i| i.str("triggerAuthenticationType"))
                            .map(|s| s.to_ascii_lowercase());
                        let auth = match auth.as_deref() {
                            None | Some("all") | Some("anyone") => "none",
                            Some(_) => "oauth2",
                        };
                        a.model
                            .triggers
                            .push(trigger(name, "webhook", true, Some(auth), origin));
                    }
                    _ => a
                        .model
                        .triggers
                        .push(trigger(name, "manual", false, None, origin)),
                }
            }
            "recurrence" => a
                .model
                .triggers
                .push(trigger(name, "schedule", false, None, origin)),
            "apiconnection"
            | "apiconnectionwebhook"
            | "openapiconnection"
            | "openapiconnectionwebhook"
            | "serviceprovider" => {
                a.model
                    .triggers
                    .push(trigger(name, "event", false, None, origin.clone()));
                let service = inputs
                    .as_ref()
                    .and_then(|i| api_name(i).or_else(|| service_provider(i)))
                    .map(|s| service_for_type(cx.pack, &s));
                a.model
                    .connectors
                    .push(connector(name, service, None, "inbound", origin));
            }
            "httpwebhook" => {
                a.model
                    .triggers
                    .push(trigger(name, "event", false, None, origin.clone()));
                http(name, inputs.as_ref(), "both", cx, a, origin);
            }
            _ => a
                .model
                .triggers
                .push(trigger(name, "event", false, None, origin)),
        }
        return;
    }
    match lower.as_str() {
        "http" | "httpwebhook" => http(name, inputs.as_ref(), "outbound", cx, a, origin),
        "apiconnection"
        | "openapiconnection"
        | "apiconnectionwebhook"
        | "openapiconnectionwebhook"
        | "serviceprovider" => {
            let service = inputs
                .as_ref()
                .and_then(|i| api_name(i).or_else(|| service_provider(i)))
                .map(|s| service_for_type(cx.pack, &s));
            a.model
                .connectors
                .push(connector(name, service, None, "outbound", origin));
        }
        _ => {}
    }
}

/// `serviceProviderConfiguration.serviceProviderId: /serviceProviders/AzureBlob` → `azureblob`.
fn service_provider(inputs: &At<'_>) -> Option<String> {
    let id = inputs
        .path(&["serviceProviderConfiguration", "serviceProviderId"])?
        .node
        .as_str()?
        .to_string();
    Some(id.rsplit('/').next().unwrap_or(&id).to_ascii_lowercase())
}

fn http(
    name: &str,
    inputs: Option<&At<'_>>,
    direction: &str,
    cx: &AdaptCx<'_>,
    a: &mut Adapted,
    origin: crate::manifest::Origin,
) {
    let url = located_url(inputs.and_then(|i| i.get("uri")));
    let service = url
        .as_ref()
        .and_then(|u| crate::text::url_host(&u.value))
        .map(|(_, h)| service_for_host(cx.pack, &h));
    a.model
        .connectors
        .push(connector(name, service, url, direction, origin));
}
