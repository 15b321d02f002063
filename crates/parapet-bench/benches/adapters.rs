//! `cargo bench -p parapet-bench --bench adapters`: what reading a vendor export costs. A
//! 500-node Node-RED flow and a 200-node n8n workflow are evaluated as they are, and the same
//! content written as a Parapet manifest (the same connectors, triggers and strings) is
//! evaluated beside them, in the same run. Reported: the adapter step alone (detect + build the
//! model from the parsed document) as a share of the manifest's evaluation, and the whole
//! vendor evaluation against the manifest's.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use parapet_core::unstable::parse::{parse, Syntax};
use parapet_core::{Date, Engine, EvaluateOptions, PolicyPack};

const FUNC: &str = "var out = []; for (var i = 0; i < msg.payload.length; i++) { out.push({ id: msg.payload[i].id, total: msg.payload[i].qty * msg.payload[i].price }); } msg.payload = out; return msg;";

/// A Node-RED flow of `n` nodes (http in, function, http request, inject with a JSON payload,
/// mqtt broker, debug) and the manifest that says the same.
fn node_red(n: usize) -> (String, String) {
    let mut flow = String::from("[");
    let mut connectors = String::new();
    let mut triggers = String::new();
    let mut settings = String::new();
    for i in 0..n {
        if i > 0 {
            flow.push(',');
        }
        let host = format!("api{}.example.org", i % 40);
        match i % 6 {
            0 => {
                let _ = write!(
                    flow,
                    r#"{{"id":"n{i}","type":"http in","name":"in {i}","url":"/hook/{i}","method":"post","x":100,"y":{i},"z":"tab","wires":[["n{}"]]}}"#,
                    i + 1
                );
                let _ = write!(
                    triggers,
                    r#"{{"name":"in {i}","type":"webhook","path":"/hook/{i}","public":true,"auth":"none"}},"#
                );
            }
            1 => {
                let _ = write!(
                    flow,
                    r#"{{"id":"n{i}","type":"function","name":"fn {i}","func":"{FUNC}","outputs":1,"x":200,"y":{i},"z":"tab","wires":[["n{}"]]}}"#,
                    i + 1
                );
                let _ = write!(settings, r#""fn{i}":"{FUNC}","#);
            }
            2 => {
                let _ = write!(
                    flow,
                    r#"{{"id":"n{i}","type":"http request","name":"call {i}","method":"POST","url":"https://{host}/v1/items","headers":{{"X-Trace":"t{i}"}},"x":300,"y":{i},"z":"tab","wires":[["n{}"]]}}"#,
                    i + 1
                );
                let _ = write!(
                    connectors,
                    r#"{{"name":"call {i}","type":"http","service":"{host}","url":"https://{host}/v1/items","headers":{{"X-Trace":"t{i}"}}}},"#
                );
            }
            3 => {
                let _ = write!(
                    flow,
                    r#"{{"id":"n{i}","type":"inject","name":"tick {i}","payload":"{{\"order\":{i},\"note\":\"restock shelf {i}\"}}","payloadType":"json","repeat":"60","x":100,"y":{i},"z":"tab","wires":[["n{}"]]}}"#,
                    i + 1
                );
                let _ = write!(
                    settings,
                    r#""tick{i}":"{{\"order\":{i},\"note\":\"restock shelf {i}\"}}","#
                );
            }
            4 => {
                let _ = write!(
                    flow,
                    r#"{{"id":"n{i}","type":"mqtt-broker","name":"broker {i}","broker":"{host}","port":"8883","usetls":true}}"#
                );
                let _ = write!(
                    connectors,
                    r#"{{"name":"broker {i}","type":"other","service":"{host}","url":"mqtts://{host}:8883"}},"#
                );
            }
            _ => {
                let _ = write!(
                    flow,
                    r#"{{"id":"n{i}","type":"debug","name":"log {i}","active":true,"complete":"payload","x":400,"y":{i},"z":"tab","wires":[]}}"#
                );
            }
        }
    }
    flow.push(']');
    (flow, manifest(&connectors, &triggers, &settings))
}

/// An n8n workflow of `n` nodes (webhooks, HTTP Request with headers, Set, Code, Slack) and the
/// manifest that says the same.
fn n8n(n: usize) -> (String, String) {
    let mut nodes = String::new();
    let mut connectors = String::new();
    let mut triggers = String::new();
    let mut settings = String::new();
    for i in 0..n {
        if i > 0 {
            nodes.push(',');
        }
        let host = format!("api{}.example.org", i % 40);
        match i % 5 {
            0 => {
                let _ = write!(
                    nodes,
                    r#"{{"id":"id-{i}","name":"Webhook {i}","type":"n8n-nodes-base.webhook","typeVersion":2,"position":[0,{i}],"parameters":{{"path":"p{i}","httpMethod":"POST"}}}}"#
                );
                let _ = write!(
                    triggers,
                    r#"{{"name":"Webhook {i}","type":"webhook","path":"p{i}","public":true,"auth":"none"}},"#
                );
            }
            1 => {
                let _ = write!(
                    nodes,
                    r#"{{"id":"id-{i}","name":"Call {i}","type":"n8n-nodes-base.httpRequest","typeVersion":4,"position":[200,{i}],"parameters":{{"url":"https://{host}/v1/items","sendHeaders":true,"headerParameters":{{"parameters":[{{"name":"X-Request-Id","value":"={{{{ $json.id }}}}"}}]}}}},"credentials":{{"httpHeaderAuth":{{"id":"cred{i}","name":"key {i}"}}}}}}"#
                );
                let _ = write!(
                    connectors,
                    r#"{{"name":"Call {i}","type":"http","service":"{host}","url":"https://{host}/v1/items","headers":{{"X-Request-Id":"={{{{ $json.id }}}}"}}}},"#
                );
            }
            2 => {
                let _ = write!(
                    nodes,
                    r#"{{"id":"id-{i}","name":"Set {i}","type":"n8n-nodes-base.set","typeVersion":3,"position":[400,{i}],"parameters":{{"values":{{"string":[{{"name":"status","value":"processed {i}"}}]}}}}}}"#
                );
                let _ = write!(settings, r#""set{i}":"processed {i}","#);
            }
            3 => {
                let _ = write!(
                    nodes,
                    r#"{{"id":"id-{i}","name":"Code {i}","type":"n8n-nodes-base.code","typeVersion":2,"position":[600,{i}],"parameters":{{"jsCode":"{FUNC}"}}}}"#
                );
                let _ = write!(settings, r#""code{i}":"{FUNC}","#);
            }
            _ => {
                let _ = write!(
                    nodes,
                    r#"{{"id":"id-{i}","name":"Slack {i}","type":"n8n-nodes-base.slack","typeVersion":2,"position":[800,{i}],"parameters":{{"channel":"ops-alerts","text":"=done {{{{ $json.id }}}}"}},"credentials":{{"slackApi":{{"id":"s{i}","name":"Slack"}}}}}}"#
                );
                let _ = write!(
                    connectors,
                    r#"{{"name":"Slack {i}","type":"chat","service":"slack"}},"#
                );
            }
        }
    }
    let flow = format!(
        r#"{{"name":"bench","nodes":[{nodes}],"connections":{{}},"settings":{{}},"tags":[]}}"#
    );
    (flow, manifest(&connectors, &triggers, &settings))
}

fn manifest(connectors: &str, triggers: &str, settings: &str) -> String {
    format!(
        r#"{{"apiVersion":"parapet.dev/v1","kind":"MicroApp","metadata":{{"name":"bench"}},"spec":{{"tier":"sandbox","owner":"group:ops","connectors":[{}],"triggers":[{}],"settings":{{{}}}}}}}"#,
        connectors.trim_end_matches(','),
        triggers.trim_end_matches(','),
        settings.trim_end_matches(',')
    )
}

fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

fn main() {
    let engine = Engine::default();
    let pack = PolicyPack::default();
    let opts = EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    };
    println!("summary: vendor adapters (medians of interleaved runs, same process)");
    for (label, (vendor, as_manifest)) in [
        ("Node-RED, 500 nodes", node_red(500)),
        ("n8n, 200 nodes", n8n(200)),
    ] {
        let v = engine.evaluate(&vendor, &opts);
        let m = engine.evaluate(&as_manifest, &opts);
        assert_ne!(v.input.format, "unknown", "{label}: detected");
        assert_eq!(m.input.format, "parapet", "{label}: the manifest is one");
        let parsed = parse(&vendor, Syntax::Json, &Default::default()).expect("parses");
        let mut adapt = Vec::new();
        let mut whole = Vec::new();
        let mut manifest = Vec::new();
        for _ in 0..9 {
            adapt.push(median(9, || {
                black_box(parapet_core::unstable::adapters::adapt_for_bench(
                    black_box(&parsed.root),
                    &pack,
                ));
            }));
            whole.push(median(9, || {
                black_box(engine.evaluate(black_box(&vendor), &opts));
            }));
            manifest.push(median(9, || {
                black_box(engine.evaluate(black_box(&as_manifest), &opts));
            }));
        }
        for v in [&mut adapt, &mut whole, &mut manifest] {
            v.sort();
        }
        let (a, w, m2) = (adapt[4], whole[4], manifest[4]);
        println!(
            "{label} ({} KiB; {} findings as an export, {} as a manifest): adapter {:.3} ms = {:.1}% of the manifest's evaluation ({:.3} ms); whole export evaluation {:.3} ms = {:.2}x the manifest's",
            vendor.len() / 1024,
            v.findings.len(),
            m.findings.len(),
            a.as_secs_f64() * 1e3,
            100.0 * a.as_secs_f64() / m2.as_secs_f64(),
            m2.as_secs_f64() * 1e3,
            w.as_secs_f64() * 1e3,
            w.as_secs_f64() / m2.as_secs_f64(),
        );
    }
}
