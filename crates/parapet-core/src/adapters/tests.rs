//! Adapter spec cases: one small export per behaviour, pass and fail, through the whole engine.

use crate::model::{Level, Tier};
use crate::report::Report;
use crate::{Engine, EvaluateOptions};

fn eval(text: &str) -> Report {
    Engine::default().evaluate(text, &EvaluateOptions::default())
}

fn eval_with(pack: &str, text: &str, tier: Option<Tier>) -> Report {
    let engine = Engine::from_policy_text(pack).expect("valid pack");
    engine.evaluate(
        text,
        &EvaluateOptions {
            tier,
            ..Default::default()
        },
    )
}

fn fired<'a>(r: &'a Report, rule: &str) -> Vec<&'a crate::report::Finding> {
    r.findings
        .iter()
        .filter(|f| f.rule == rule && f.level > Level::Info)
        .collect()
}

fn n8n(nodes: &str) -> String {
    format!(r#"{{"name":"wf","nodes":[{nodes}],"connections":{{}}}}"#)
}

// ---- detection ----------------------------------------------------------------------------

#[test]
fn formats_are_detected_by_structure_not_by_name() {
    let cases = [
        (n8n(r#"{"name":"a","type":"n8n-nodes-base.set","parameters":{}}"#), "n8n"),
        (r#"[{"id":"1","type":"inject"}]"#.to_string(), "node-red"),
        (r#"{"rev":"abc","flows":[{"id":"1","type":"inject"}]}"#.to_string(), "node-red"),
        (r#"{"properties":{"definition":{"triggers":{},"actions":{}}}}"#.to_string(), "power-automate"),
        (r#"{"definition":{"triggers":{},"actions":{}},"kind":"Stateful"}"#.to_string(), "logic-apps"),
        (r#"{"$schema":"https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#","triggers":{},"actions":{}}"#.to_string(), "logic-apps"),
        (r#"{"name":"s","flow":[{"id":1,"module":"slack:CreateMessage"}],"metadata":{}}"#.to_string(), "make"),
        ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: x }\nspec: { owner: team-a, lifecycle: production }\n".to_string(), "backstage"),
        (r#"{"nodes":"x"}"#.to_string(), "unknown"),
        (r#"[1, 2, 3]"#.to_string(), "unknown"),
        ("apiVersion: parapet.dev/v1\nkind: MicroApp\n".to_string(), "parapet"),
    ];
    for (text, format) in cases {
        assert_eq!(eval(&text).input.format, format, "{text}");
    }
}

// ---- n8n ----------------------------------------------------------------------------------

#[test]
fn n8n_webhook_without_authentication_is_open_and_with_it_is_not() {
    let open = eval(&n8n(
        r#"{"id":"w1","name":"Hook","type":"n8n-nodes-base.webhook","parameters":{"path":"x"}}"#,
    ));
    let f = fired(&open, "config/unauthenticated-trigger");
    assert_eq!(f.len(), 1);
    let node = f[0].node.as_ref().expect("node");
    assert_eq!(
        (node.id.as_str(), node.name.as_str(), node.kind.as_str()),
        ("w1", "Hook", "n8n-nodes-base.webhook")
    );
    assert_eq!(f[0].path, "/nodes/0");
    let closed = eval(&n8n(
        r#"{"name":"Hook","type":"n8n-nodes-base.webhook","parameters":{"path":"x","authentication":"headerAuth"}}"#,
    ));
    assert!(fired(&closed, "config/unauthenticated-trigger").is_empty());
    let none = eval(&n8n(
        r#"{"name":"F","type":"n8n-nodes-base.formTrigger","parameters":{"authentication":"none"}}"#,
    ));
    assert_eq!(fired(&none, "config/unauthenticated-trigger").len(), 1);
}

#[test]
fn n8n_http_request_host_is_its_service_and_plain_http_is_insecure() {
    let r = eval(&n8n(
        r#"{"name":"Call","type":"n8n-nodes-base.httpRequest","parameters":{"url":"http://api.example.org/v1"}}"#,
    ));
    let ext = fired(&r, "integration/external-connector");
    assert_eq!(ext.len(), 1);
    assert!(
        ext[0].message.contains("(api.example.org)"),
        "{}",
        ext[0].message
    );
    assert_eq!(
        fired(&r, "integration/insecure-transport")[0].path,
        "/nodes/0/parameters/url"
    );
    // A business host through the pack: no external finding; loopback: no insecure finding.
    let pack = "connectors:\n  business: [crm]\n  hosts: { \"api.example.org\": crm }\n";
    let r = eval_with(
        pack,
        &n8n(
            r#"{"name":"Call","type":"n8n-nodes-base.httpRequest","parameters":{"url":"=https://api.example.org/v1/{{ $json.id }}"}}"#,
        ),
        None,
    );
    assert!(fired(&r, "integration/external-connector").is_empty());
    let r = eval(&n8n(
        r#"{"name":"Local","type":"n8n-nodes-base.httpRequest","parameters":{"url":"http://localhost:5678/x"}}"#,
    ));
    assert!(fired(&r, "integration/insecure-transport").is_empty());
    assert!(fired(&r, "integration/external-connector").is_empty());
}

#[test]
fn n8n_credentials_expressions_and_env_are_never_secrets() {
    let r = eval(&n8n(
        r#"{"name":"Call","type":"n8n-nodes-base.httpRequest","parameters":{"url":"{{ $env.API_BASE_URL }}","headerParameters":{"parameters":[{"name":"Authorization","value":"=Bearer {{ $env.API_TOKEN }}"},{"name":"X-Api-Key","value":"={{ $credentials.apiKey }}"}]}},"credentials":{"httpHeaderAuth":{"id":"Xk9fQ2LmZ7vR3tPa","name":"Prod key 8f3Kq9ZxLmP2"}}}"#,
    ));
    assert!(
        fired(&r, "secrets/plaintext-secret").is_empty(),
        "{:#?}",
        r.findings
    );
}

#[test]
fn n8n_inline_header_with_a_key_like_name_is_a_secret() {
    let r = eval(&n8n(
        r#"{"name":"Call","type":"n8n-nodes-base.httpRequest","parameters":{"url":"https://api.example.org","headerParameters":{"parameters":[{"name":"X-Api-Key","value":"q8ZfT2mLx9VbR4kP7wNc3HsJ6dYe"}]}}}"#,
    ));
    let s = fired(&r, "secrets/plaintext-secret");
    assert_eq!(s.len(), 1, "{:#?}", r.findings);
    assert_eq!(s[0].node.as_ref().map(|n| n.name.as_str()), Some("Call"));
    assert!(!s[0].message.contains("q8ZfT2mLx9VbR4kP7wNc3HsJ6dYe"));
}

#[test]
fn n8n_pin_data_is_classified_and_carries_its_node() {
    let r = eval(
        r#"{"name":"wf","nodes":[{"id":"n1","name":"Form","type":"n8n-nodes-base.webhook","parameters":{"authentication":"basicAuth"}}],"connections":{},"pinData":{"Form":[{"json":{"email":"jane.doe@corp.example"}}]}}"#,
    );
    let d = fired(&r, "data/sensitive-data-in-tier");
    assert_eq!(d.len(), 1, "{:#?}", r.findings);
    assert_eq!(d[0].node.as_ref().map(|n| n.id.as_str()), Some("n1"));
    // Node names are not data: a node called "Jane Doe" is not a person's name.
    let r = eval(&n8n(
        r#"{"name":"jane.doe@corp.example","type":"n8n-nodes-base.noOp"}"#,
    ));
    assert!(fired(&r, "data/sensitive-data-in-tier").is_empty());
}

#[test]
fn n8n_pin_data_goes_to_the_first_node_of_its_name_and_unknown_names_to_none() {
    let r = eval(
        r#"{"name":"wf","nodes":[{"id":"a1","name":"A","type":"n8n-nodes-base.set"},{"id":"b1","name":"B","type":"n8n-nodes-base.set"},{"id":"a2","name":"A","type":"n8n-nodes-base.set"}],"connections":{},"pinData":{"Z":[{"json":{"email":"john.roe@corp.example"}}],"A":[{"json":{"email":"jane.doe@corp.example"}}]}}"#,
    );
    let d = fired(&r, "data/sensitive-data-in-tier");
    let node_of = |pin: &str| {
        d.iter()
            .find(|f| f.path.starts_with(&format!("/pinData/{pin}/")))
            .unwrap_or_else(|| panic!("no finding under /pinData/{pin}: {d:#?}"))
            .node
            .as_ref()
            .map(|n| n.id.clone())
    };
    assert_eq!(node_of("A").as_deref(), Some("a1"));
    assert_eq!(node_of("Z"), None);
}

#[test]
fn n8n_tags_give_tier_and_owner_but_the_caller_wins() {
    let text = r#"{"name":"wf","nodes":[],"connections":{},"tags":[{"name":"parapet:tier=production"},{"name":"parapet:owner=group:ops"}]}"#;
    assert_eq!(eval(text).app.tier, Some(Tier::Production));
    let r = eval_with("{}", text, Some(Tier::Controlled));
    assert_eq!(r.app.tier, Some(Tier::Controlled));
    // Without tags: the pack's defaults.tier, built-in sandbox.
    let bare = r#"{"name":"wf","nodes":[],"connections":{}}"#;
    assert_eq!(eval(bare).app.tier, Some(Tier::Sandbox));
    assert_eq!(
        eval_with("defaults: { tier: controlled }\n", bare, None)
            .app
            .tier,
        Some(Tier::Controlled)
    );
    assert_eq!(eval(bare).app.name.as_deref(), Some("wf"));
}

#[test]
fn n8n_node_types_extend_through_the_pack_and_unknown_types_are_not_business() {
    let text = n8n(r#"{"name":"CRM","type":"n8n-nodes-base.myCrm","parameters":{}}"#);
    let r = eval(&text);
    let ext = fired(&r, "integration/external-connector");
    assert_eq!(ext.len(), 1);
    assert!(ext[0].message.contains("my-crm"), "{}", ext[0].message);
    let r = eval_with(
        "connectors:\n  business: [crm]\n  nodeTypes: { \"n8n-nodes-base.myCrm\": crm }\n",
        &text,
        None,
    );
    assert!(fired(&r, "integration/external-connector").is_empty());
    // Even a pack that treats unknown services as business keeps blocked ones blocked.
    let r = eval_with("connectors:\n  blocked: [my-crm]\n", &text, None);
    assert_eq!(fired(&r, "integration/blocked-connector").len(), 1);
}

#[test]
fn n8n_respond_to_webhook_cors_header_is_the_apps_cors() {
    let r = eval(&n8n(
        r#"{"name":"Respond","type":"n8n-nodes-base.respondToWebhook","parameters":{"options":{"responseHeaders":{"entries":[{"name":"Access-Control-Allow-Origin","value":"*"}]}}}}"#,
    ));
    assert_eq!(fired(&r, "config/cors-wildcard").len(), 1);
    let r = eval(&n8n(
        r#"{"name":"Respond","type":"n8n-nodes-base.respondToWebhook","parameters":{"options":{"responseHeaders":{"entries":[{"name":"Access-Control-Allow-Origin","value":"https://app.corp.example"}]}}}}"#,
    ));
    assert!(fired(&r, "config/cors-wildcard").is_empty());
}

#[test]
fn malformed_n8n_files_give_a_clear_finding() {
    let cases = [
        (
            r#"{"nodes":{"a":1},"connections":{}}"#,
            "nodes must be a list",
        ),
        (
            r#"{"nodes":[{"name":"x"}],"connections":{}}"#,
            "has no type",
        ),
        (
            r#"{"nodes":[{"name":"x","type":7}],"connections":{}}"#,
            "type must be a string",
        ),
        (
            r#"{"nodes":["oops"],"connections":{}}"#,
            "must be a node object",
        ),
    ];
    for (text, says) in cases {
        let r = eval(text);
        assert_eq!(r.input.format, "n8n");
        let s = fired(&r, "manifest/schema");
        assert!(
            s.iter().any(|f| f.message.contains(says)),
            "{text}: {:#?}",
            r.findings
        );
    }
}

// ---- Node-RED -----------------------------------------------------------------------------

#[test]
fn node_red_http_in_is_open_and_tls_config_off_is_found() {
    let r = eval(
        r#"[{"id":"a","type":"http in","url":"/hook","method":"post"},{"id":"b","type":"http request","url":"https://api.example.org","tls":"t"},{"id":"t","type":"tls-config","verifyservercert":false}]"#,
    );
    assert_eq!(r.input.format, "node-red");
    assert_eq!(fired(&r, "config/unauthenticated-trigger").len(), 1);
    let tls = fired(&r, "integration/tls-verification-disabled");
    assert_eq!(tls.len(), 1, "{:#?}", r.findings);
    assert_eq!(tls[0].path, "/2/verifyservercert");
    let ok = eval(r#"[{"id":"t","type":"tls-config","verifyservercert":true}]"#);
    assert!(
        ok.findings.iter().all(|f| f.level <= Level::Info),
        "{:#?}",
        ok.findings
    );
}

#[test]
fn node_red_mqtt_without_tls_to_a_remote_broker_is_insecure() {
    let r =
        eval(r#"[{"id":"m","type":"mqtt-broker","broker":"broker.example.org","port":"1883"}]"#);
    let f = fired(&r, "integration/insecure-transport");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert!(f[0].message.contains("mqtt://"), "{}", f[0].message);
    let tls = eval(
        r#"[{"id":"m","type":"mqtt-broker","broker":"broker.example.org","port":"8883","usetls":true}]"#,
    );
    assert!(fired(&tls, "integration/insecure-transport").is_empty());
    let local = eval(r#"[{"id":"m","type":"mqtt-broker","broker":"localhost","port":"1883"}]"#);
    assert!(fired(&local, "integration/insecure-transport").is_empty());
    assert!(fired(&local, "integration/external-connector").is_empty());
}

#[test]
fn node_red_inject_json_payload_is_scanned_as_json() {
    let r = eval(
        r#"[{"id":"i","type":"inject","payload":"{\"user\":\"svc\",\"api_key\":\"Zq7Xv2Lm9PkR4tWb8NcY3HsD6fGe\"}","payloadType":"json"}]"#,
    );
    let s = fired(&r, "secrets/plaintext-secret");
    assert_eq!(s.len(), 1, "{:#?}", r.findings);
    assert_eq!(s[0].path, "/0/payload");
    assert!(!s[0].message.contains("Zq7Xv2Lm9PkR4tWb8NcY3HsD6fGe"));
}

#[test]
fn node_red_admin_api_shape_and_malformed_flows() {
    let r = eval(r#"{"rev":"1","flows":[{"id":"a","type":"http in","url":"/x"}]}"#);
    assert_eq!(r.input.format, "node-red");
    assert_eq!(
        fired(&r, "config/unauthenticated-trigger")[0].path,
        "/flows/0"
    );
    let r = eval(r#"{"rev":"1","flows":"nope"}"#);
    assert!(fired(&r, "manifest/schema")[0]
        .message
        .contains("flows must be a list"));
    let r = eval(r#"[{"id":"a","type":"http in"},{"id":"b"},{"id":"c","type":["x"]}]"#);
    let msgs: Vec<_> = fired(&r, "manifest/schema")
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(msgs.iter().any(|m| m.contains("has no type")), "{msgs:?}");
    assert!(
        msgs.iter().any(|m| m.contains("type must be a string")),
        "{msgs:?}"
    );
}

// ---- Power Automate / Logic Apps ----------------------------------------------------------

#[test]
fn request_triggers_open_by_url_key_and_closed_by_authentication_type() {
    let open = r#"{"properties":{"definition":{"triggers":{"manual":{"type":"Request","kind":"Http","inputs":{}}},"actions":{}}}}"#;
    assert_eq!(
        fired(&eval(open), "config/unauthenticated-trigger").len(),
        1
    );
    let anyone = r#"{"properties":{"definition":{"triggers":{"manual":{"type":"Request","kind":"Http","inputs":{"triggerAuthenticationType":"All"}}},"actions":{}}}}"#;
    assert_eq!(
        fired(&eval(anyone), "config/unauthenticated-trigger").len(),
        1
    );
    let tenant = r#"{"properties":{"definition":{"triggers":{"manual":{"type":"Request","kind":"Http","inputs":{"triggerAuthenticationType":"Tenant"}}},"actions":{}}}}"#;
    assert!(fired(&eval(tenant), "config/unauthenticated-trigger").is_empty());
    let button = r#"{"properties":{"definition":{"triggers":{"manual":{"type":"Request","kind":"Button","inputs":{}}},"actions":{}}}}"#;
    assert!(fired(&eval(button), "config/unauthenticated-trigger").is_empty());
}

#[test]
fn nested_scopes_are_all_read() {
    let text = r#"{"definition":{"triggers":{},"actions":{
        "If":{"type":"If","actions":{"A":{"type":"Http","inputs":{"uri":"http://a.example.org"}}},
              "else":{"actions":{"B":{"type":"Http","inputs":{"uri":"http://b.example.org"}}}}},
        "Switch":{"type":"Switch","cases":{"c1":{"actions":{"C":{"type":"Http","inputs":{"uri":"http://c.example.org"}}}}},
              "default":{"actions":{"D":{"type":"Http","inputs":{"uri":"http://d.example.org"}}}}},
        "Loop":{"type":"Foreach","actions":{"Scope":{"type":"Scope","actions":{"E":{"type":"Http","inputs":{"uri":"http://e.example.org"}}}}}}
    }}}"#;
    let r = eval(text);
    assert_eq!(r.input.format, "logic-apps");
    let mut nodes: Vec<_> = fired(&r, "integration/insecure-transport")
        .iter()
        .filter_map(|f| f.node.as_ref().map(|n| n.name.clone()))
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["A", "B", "C", "D", "E"]);
}

#[test]
fn api_connections_map_to_services() {
    let text = r#"{"properties":{"definition":{"triggers":{},"actions":{
        "Post":{"type":"OpenApiConnection","inputs":{"host":{"apiId":"/providers/Microsoft.PowerApps/apis/shared_teams","connectionName":"shared_teams"}}},
        "Mail":{"type":"ApiConnection","inputs":{"host":{"connection":{"name":"@parameters('$connections')['office365']['connectionId']"}}}},
        "Blob":{"type":"ServiceProvider","inputs":{"serviceProviderConfiguration":{"serviceProviderId":"/serviceProviders/AzureBlob"}}}
    }}}}"#;
    let r = eval(text);
    let ext: Vec<_> = fired(&r, "integration/external-connector")
        .iter()
        .map(|f| f.message.clone())
        .collect();
    // Teams is business; Outlook and Blob are not.
    assert_eq!(ext.len(), 2, "{ext:?}");
    assert!(
        ext.iter().any(|m| m.contains("(office365-outlook)")),
        "{ext:?}"
    );
    assert!(ext.iter().any(|m| m.contains("(azure-blob)")), "{ext:?}");
}

// ---- Make ---------------------------------------------------------------------------------

#[test]
fn make_webhooks_routers_and_http_modules() {
    let text = r#"{"name":"s","flow":[
        {"id":1,"module":"gateway:CustomWebHook","parameters":{"hook":12}},
        {"id":2,"module":"builtin:BasicRouter","routes":[{"flow":[
            {"id":3,"module":"http:ActionSendData","mapper":{"url":"http://api.example.org/x","headers":[{"name":"Authorization","value":"Bearer Zq7Xv2Lm9PkR4tWb8NcY3HsD6fGe"}],"rejectUnauthorized":false}},
            {"id":4,"module":"slack:CreateMessage","parameters":{"__IMTCONN__":4455661}}
        ]}]}
    ],"metadata":{}}"#;
    let r = eval(text);
    assert_eq!(r.input.format, "make");
    assert_eq!(fired(&r, "config/unauthenticated-trigger").len(), 1);
    let http = fired(&r, "integration/insecure-transport");
    assert_eq!(http[0].path, "/flow/1/routes/0/flow/0/mapper/url");
    assert_eq!(http[0].node.as_ref().map(|n| n.id.as_str()), Some("3"));
    assert_eq!(
        fired(&r, "secrets/plaintext-secret").len(),
        1,
        "{:#?}",
        r.findings
    );
    let tls = fired(&r, "integration/tls-verification-disabled");
    assert_eq!(
        tls[0].path,
        "/flow/1/routes/0/flow/0/mapper/rejectUnauthorized"
    );
    // Slack is business: only the HTTP module is external.
    assert_eq!(fired(&r, "integration/external-connector").len(), 1);
    let r = eval(r#"{"name":"s","flow":"nope","metadata":{}}"#);
    assert!(fired(&r, "manifest/schema")[0]
        .message
        .contains("must be a list of modules"));
}

// ---- Backstage ----------------------------------------------------------------------------

#[test]
fn backstage_entities_give_name_owner_and_tier() {
    let r = eval("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop\nspec:\n  owner: group:shop\n  lifecycle: production\n");
    assert_eq!(r.input.format, "backstage");
    assert_eq!(r.app.name.as_deref(), Some("shop"));
    assert_eq!(r.app.tier, Some(Tier::Production));
}

// ---- bounds -------------------------------------------------------------------------------

#[test]
fn a_5_mb_flow_is_read_in_one_bounded_pass() {
    let mut text = String::from("[");
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"id":"n{i}","type":"http request","name":"call {i}","url":"https://api{}.example.org/x","headers":{{"X-Trace":"t{i}"}},"wires":[["f{i}"]]}},{{"id":"f{i}","type":"function","func":"{}"}}"#,
            i % 50,
            "var x = msg.payload.items.map(function (item) { return item.value * 2; }); ".repeat(6)
        ));
        i += 1;
    }
    text.push(']');
    let r = eval(&text);
    assert_eq!(r.input.format, "node-red");
    assert!(
        r.findings.len() >= i.min(1000),
        "{} findings for {i} nodes",
        r.findings.len()
    );
    assert!(r.findings.iter().all(|f| f.node.is_some()));
}
