//! Hostile shapes an attacker can send to every surface (CLI, wasm, edge): the engine stays
//! linear in the input, each cap answers with a clear `manifest/syntax` finding, and nothing
//! the manifest says comes back with a secret in it.
//!
//! Time is never compared with a fixed budget: a many-keys mapping is timed against a list of
//! the same size in the same run, and the ratio must stay small (it was ~400× when duplicate
//! keys were found by scanning every earlier key).

use std::time::{Duration, Instant};

use parapet_core::{Engine, EvaluateOptions, Report, Verdict};

fn eval(text: &str) -> Report {
    Engine::default().evaluate_bytes(text.as_bytes(), &EvaluateOptions::default())
}

/// Fastest of a few runs (the machine is shared: the minimum is the least disturbed figure).
fn time(text: &str) -> Duration {
    let engine = Engine::default();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let r = engine.evaluate_bytes(text.as_bytes(), &EvaluateOptions::default());
            let took = start.elapsed();
            assert!(
                r.findings.iter().all(|f| f.rule != "manifest/syntax"),
                "{:?}",
                r.findings.iter().find(|f| f.rule == "manifest/syntax")
            );
            took
        })
        .min()
        .unwrap_or_default()
}

const N: usize = 15_000;
/// The default limits (`Limits::default()`): keys per mapping, values per document.
const MAX_KEYS: usize = 20_000;
const MAX_NODES: usize = 200_000;

fn key(i: usize) -> String {
    format!("field{i:06}")
}

fn json_object(n: usize) -> String {
    let body: Vec<String> = (0..n).map(|i| format!("\"{}\": {i}", key(i))).collect();
    format!("{{\"apiVersion\": \"parapet.dev/v1\", \"kind\": \"MicroApp\", \"metadata\": {{\"name\": \"wide\"}}, \"spec\": {{\"tier\": \"sandbox\", \"settings\": {{{}}}}}}}", body.join(", "))
}

fn json_array(n: usize) -> String {
    let body: Vec<String> = (0..n).map(|i| format!("\"{}\", {i}", key(i))).collect();
    format!("{{\"apiVersion\": \"parapet.dev/v1\", \"kind\": \"MicroApp\", \"metadata\": {{\"name\": \"wide\"}}, \"spec\": {{\"tier\": \"sandbox\", \"settings\": {{\"list\": [{}]}}}}}}", body.join(", "))
}

fn yaml_object(n: usize) -> String {
    let mut s = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: wide\nspec:\n  tier: sandbox\n  settings:\n".to_string();
    for i in 0..n {
        s.push_str(&format!("    {}: {i}\n", key(i)));
    }
    s
}

fn yaml_array(n: usize) -> String {
    let mut s = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: wide\nspec:\n  tier: sandbox\n  settings:\n    list:\n".to_string();
    for i in 0..n {
        s.push_str(&format!("      - {}-{i}\n", key(i)));
    }
    s
}

/// A Node-RED flow: `n` TLS config nodes with certificate checks off and `n` HTTP request
/// nodes; with `refs`, each request names a config node by id (every other one a missing id).
fn node_red_flow(n: usize, refs: bool) -> String {
    let mut nodes = Vec::with_capacity(2 * n);
    for i in 0..n {
        nodes.push(format!(
            r#"{{"id":"cfg{i:06}","type":"tls-config","name":"tls {i}","verifyservercert":false}}"#
        ));
    }
    for i in 0..n {
        let tls = match (refs, i % 2) {
            (false, _) => String::new(),
            (true, 0) => format!("cfg{i:06}"),
            (true, _) => format!("gone{i:06}"),
        };
        nodes.push(format!(
            r#"{{"id":"req{i:06}","type":"http request","name":"call {i}","url":"https://api.example.org/v1","tls":"{tls}"}}"#
        ));
    }
    format!("[{}]", nodes.join(","))
}

fn assert_linear(what: &str, object: &str, array: &str) {
    // Warm up (first-use allocations, page faults), then interleave and keep each side's best
    // of five: a shared, loaded machine slows single runs, never the best one by 5x, while a
    // quadratic mapping is ~25x at this size.
    let _ = time(array);
    let (mut a, mut o) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        a = a.min(time(array));
        o = o.min(time(object));
    }
    let ratio = o.as_secs_f64() / a.as_secs_f64().max(1e-6);
    eprintln!(
        "{what}: hostile shape {o:?} vs plain {a:?} (bytes {} vs {}): ratio {ratio:.2}",
        object.len(),
        array.len()
    );
    assert!(
        ratio < 5.0,
        "{what}: the hostile shape took {ratio:.1}× the plain one of about the same size ({o:?} vs {a:?})"
    );
}

#[test]
fn many_keys_cost_about_what_a_list_of_the_same_size_costs_json() {
    assert_linear("JSON", &json_object(N), &json_array(N));
}

#[test]
fn many_keys_cost_about_what_a_list_of_the_same_size_costs_yaml() {
    assert_linear("YAML", &yaml_object(N), &yaml_array(N));
}

#[test]
fn node_red_nodes_that_reference_config_nodes_cost_about_what_plain_nodes_cost() {
    // Each reference used to search every node for its id, and each reported TLS setting every
    // earlier one: quadratic (7x at 3,000 of each in a debug build, growing with the size).
    assert_linear(
        "Node-RED",
        &node_red_flow(4_000, true),
        &node_red_flow(4_000, false),
    );
}

/// A manifest of `n` connectors, each with a Slack token in a header and a name that is not
/// ASCII; `newlines` puts each connector on its own line, else the whole document is one line
/// (minified JSON, as a builder or an extension sends it).
fn connectors_with_tokens(n: usize, newlines: bool) -> String {
    let sep = if newlines { ",\n" } else { "," };
    let connectors: Vec<String> = (0..n)
        .map(|i| {
            let token = ["xoxb", "7301", &format!("{:010}", 4_405_211_876 + i), "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");
            format!(r#"{{"name":"café {i}","service":"slack","url":"https://slack.com/api/{i}","headers":{{"Authorization":"Bearer {token}"}}}}"#)
        })
        .collect();
    format!(
        r#"{{"apiVersion":"parapet.dev/v1","kind":"MicroApp","metadata":{{"name":"façade"}},"spec":{{"tier":"sandbox","connectors":[{}]}}}}"#,
        connectors.join(sep)
    )
}

#[test]
fn a_one_line_document_costs_about_what_the_same_document_on_many_lines_costs() {
    // Each secret's line was scanned whole for an allow-list comment, and each finding's
    // column (text not ASCII) counted from its line's start: quadratic on one long line (11x
    // at 3,000 connectors in a debug build, growing with the size).
    let one_line = connectors_with_tokens(3_000, false);
    let report = eval(&one_line);
    let secrets = report
        .findings
        .iter()
        .filter(|f| f.rule == "secrets/plaintext-secret")
        .count();
    assert_eq!(
        secrets, 1_000,
        "tokens are found up to the walk's limit of 1,000 secrets"
    );
    assert_linear("one line", &one_line, &connectors_with_tokens(3_000, true));
}

/// A manifest whose data samples are long runs of digit groups (`4111 4111 …`, `12 12 …`,
/// `1 1 …`, dates), `bytes` in all: the number scanner tries up to eight candidates at every
/// group of such a run.
fn digit_group_runs(bytes: usize) -> String {
    let samples: Vec<String> = ["4111 ", "12 ", "1 ", "1990-01-02 "]
        .iter()
        .map(|unit| format!("\"{}\"", unit.repeat(bytes / 4 / unit.len()).trim_end()))
        .collect();
    format!(
        r#"{{"apiVersion":"parapet.dev/v1","kind":"MicroApp","metadata":{{"name":"runs"}},"spec":{{"tier":"sandbox","data":[{{"name":"r","fields":[{{"name":"notes","samples":[{}]}}]}}]}}}}"#,
        samples.join(",")
    )
}

#[test]
fn runs_of_digit_groups_cost_about_what_a_manifest_of_the_same_size_costs() {
    // Every candidate at every group went through every validator, each reading the text
    // again (and allocating): 35x the manifest of tokens below in a debug build, and growing
    // with longer groups up to the candidates' limit. Now a bound on what several groups can be
    // skips most candidates, and each candidate is read once.
    let plain = connectors_with_tokens(3_000, true);
    assert_linear("digit groups", &digit_group_runs(plain.len()), &plain);
}

fn syntax_message(r: &Report) -> &str {
    &r.findings
        .iter()
        .find(|f| f.rule == "manifest/syntax")
        .unwrap_or_else(|| panic!("expected manifest/syntax: {:#?}", r.findings))
        .message
}

#[test]
fn a_mapping_over_the_key_limit_is_a_clear_syntax_finding() {
    let limit = MAX_KEYS;
    for text in [json_object(limit + 1), yaml_object(limit + 1)] {
        let r = eval(&text);
        assert_eq!(r.verdict, Verdict::Deny);
        let m = syntax_message(&r);
        assert!(m.contains(&format!("more than {limit} keys")), "{m}");
    }
    // At the limit it is read.
    let r = eval(&json_object(limit));
    assert!(r.findings.iter().all(|f| f.rule != "manifest/syntax"));
}

#[test]
fn duplicates_in_large_mappings_are_still_found_with_their_first_line() {
    // Past the scan threshold the hash map answers: the duplicate and its first line.
    let mut yaml = yaml_object(100);
    yaml.push_str("    field000042: again\n");
    let r = eval(&yaml);
    let m = syntax_message(&r);
    assert!(m.contains("duplicate key \"field000042\""), "{m}");
    assert!(m.contains("first defined on line 50"), "{m}");

    let mut json = json_object(100);
    json.truncate(json.len() - 3);
    json.push_str(", \"field000099\": 1}}}");
    let m = syntax_message(&eval(&json)).to_string();
    assert!(m.contains("duplicate key \"field000099\""), "{m}");
    // And in small ones, by the scan.
    let m = syntax_message(&eval(r#"{"a": 1, "b": 2, "a": 3}"#)).to_string();
    assert!(m.contains("duplicate key \"a\""), "{m}");
}

#[test]
fn too_many_values_is_a_clear_syntax_finding() {
    let limit = MAX_NODES;
    let text = format!("[{}0]", "0,".repeat(limit + 10));
    let m = eval(&text);
    assert!(
        syntax_message(&m).contains(&format!("more than {limit} values")),
        "{}",
        syntax_message(&m)
    );
    let yaml = "- 0\n".repeat(limit + 10);
    let m = eval(&yaml);
    assert!(syntax_message(&m).contains(&format!("more than {limit} values")));
}

#[test]
fn many_yaml_documents_stop_at_the_second() {
    let mut text = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: docs }\nspec: { tier: sandbox }\n".to_string();
    text.push_str(&"---\na: 1\n".repeat(200_000));
    let r = eval(&text);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "manifest/schema" && f.message.contains("more than one YAML document")));
}

#[test]
fn a_secret_used_as_the_app_name_is_redacted_everywhere_in_the_report() {
    let token = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");
    for text in [
        format!("apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: \"{token}\"\nspec:\n  tier: sandbox\n  owner: team:x\n  exceptions:\n    - rule: secrets/plaintext-secret\n      ticket: \"{token}\"\n      expires: 2999-01-01\n"),
        format!("{{\"apiVersion\": \"parapet.dev/v1\", \"kind\": \"MicroApp\", \"metadata\": {{\"name\": \"{token}\"}}, \"spec\": {{\"tier\": \"sandbox\", \"settings\": {{\"{token}\": \"jane.doe@example.com\"}}}}}}"),
    ] {
        let r = eval(&text);
        let json = serde_json::to_string(&r).expect("json");
        assert!(!json.contains(&token), "a full secret leaked: {json}");
        let name = r.app.name.as_deref().expect("the app keeps a (redacted) name");
        assert!(name.starts_with("xoxb"), "{name}");
    }
    // An ordinary name is kept as written.
    let r = eval("apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: expense-tracker }\nspec: { tier: sandbox }\n");
    assert_eq!(r.app.name.as_deref(), Some("expense-tracker"));
}
