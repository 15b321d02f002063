//! Findings point back into the source: JSON Pointer and 1-based line/column, in YAML and JSON.

use parapet_core::{Date, Engine, EvaluateOptions, Report};

fn eval(text: &str, utf16: bool) -> Report {
    Engine::default().evaluate(
        text,
        &EvaluateOptions {
            now: Date::parse("2026-11-28"),
            utf16,
            ..Default::default()
        },
    )
}

fn find<'a>(r: &'a Report, rule: &str) -> &'a parapet_core::report::Finding {
    r.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule}: {:#?}", r.findings))
}

const YAML: &str = "apiVersion: parapet.dev/v1
kind: MicroApp
metadata:
  name: loc-test
spec:
  tier: controlled
  owner: group:ops
  dataClassification: internal
  connectors:
    - name: remote
      service: google-sheets
      url: http://sheets.example.com/api
  network:
    cors:
      allowOrigins: [\"https://a.example\", \"*\"]
";

#[test]
fn yaml_locations() {
    let r = eval(YAML, false);
    let f = find(&r, "integration/insecure-transport");
    assert_eq!(f.path, "/spec/connectors/0/url");
    assert_eq!(
        (
            f.location.line,
            f.location.column,
            f.location.end_line,
            f.location.end_column
        ),
        (12, 12, 12, 41)
    );
    let f = find(&r, "config/cors-wildcard");
    assert_eq!(f.path, "/spec/network/cors/allowOrigins/1");
    assert_eq!(
        (f.location.line, f.location.column, f.location.end_column),
        (15, 43, 46)
    );
    // A missing field points at its parent's key.
    let f = find(&r, "ownership/missing-sla");
    assert_eq!(f.path, "/spec");
    assert_eq!((f.location.line, f.location.column), (5, 1));
}

#[test]
fn json_locations() {
    let json = r#"{
  "apiVersion": "parapet.dev/v1",
  "kind": "MicroApp",
  "metadata": { "name": "loc-test" },
  "spec": {
    "tier": "controlled",
    "owner": "group:ops",
    "dataClassification": "internal",
    "connectors": [
      { "name": "remote", "service": "google-sheets", "url": "http://sheets.example.com/api" }
    ],
    "network": { "cors": { "allowOrigins": ["*"] } }
  }
}"#;
    let r = eval(json, false);
    assert_eq!(r.input.format, "parapet");
    let f = find(&r, "integration/insecure-transport");
    assert_eq!(
        (f.location.line, f.location.column, f.location.end_column),
        (10, 62, 93)
    );
    let f = find(&r, "config/cors-wildcard");
    assert_eq!(f.path, "/spec/network/cors/allowOrigins/0");
    assert_eq!((f.location.line, f.location.column), (12, 45));
}

#[test]
fn columns_count_unicode_scalars_and_utf16_is_offered() {
    let text = YAML.replace("name: remote", "name: rémoté😀");
    let r = eval(&text, true);
    let f = find(&r, "integration/insecure-transport");
    assert_eq!(f.location.column, 12);
    let u = f.utf16.expect("utf16 offsets requested");
    let prefix: String = text[..text.find("http://").unwrap_or(0)].to_string();
    assert_eq!(u.start as usize, prefix.encode_utf16().count());
    assert_eq!(
        (u.end - u.start) as usize,
        "http://sheets.example.com/api".len()
    );
    assert!(eval(&text, false)
        .findings
        .iter()
        .all(|f| f.utf16.is_none()));
}

#[test]
fn pointers_escape_per_rfc6901() {
    let text = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: p }\nspec:\n  tier: sandbox\n  conn~ectors/x: 1\n";
    let r = eval(text, false);
    let f = find(&r, "manifest/schema");
    assert_eq!(f.path, "/spec/conn~0ectors~1x");
}

#[test]
fn same_input_policy_and_now_give_byte_identical_reports() {
    for entry in
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples")).expect("examples")
    {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let a = serde_json::to_string(&eval(&text, false)).expect("json");
        let b = serde_json::to_string(&Engine::default().evaluate(
            &text,
            &EvaluateOptions {
                now: Date::parse("2026-11-28"),
                ..Default::default()
            },
        ))
        .expect("json");
        assert_eq!(a, b, "{}", path.display());
    }
}
