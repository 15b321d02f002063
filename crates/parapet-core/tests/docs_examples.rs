//! The examples in `docs/` are real: every YAML block of the policy-pack page compiles, the
//! page's copy of the built-in pack is the built-in pack, the manifest page's example is a valid
//! manifest v1, and the report page's example has exactly the fields the engine writes.

use parapet_core::{Date, Engine, EvaluateOptions, PolicyPack};
use serde_json::Value;

fn page(name: &str) -> String {
    let path = format!("{}/../../docs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fenced code blocks of a markdown page in the given language, with the heading above each.
fn blocks(text: &str, lang: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            Some(body) => {
                if line.trim_start().starts_with("```") {
                    out.push((heading.clone(), std::mem::take(body)));
                    current = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
            None => {
                if line.starts_with('#') {
                    heading = line.trim_start_matches('#').trim().to_string();
                } else if line.trim_start() == format!("```{lang}") {
                    current = Some(String::new());
                }
            }
        }
    }
    out
}

fn options() -> EvaluateOptions {
    EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    }
}

#[test]
fn policy_pack_page_examples_compile_and_the_default_is_the_built_in_pack() {
    let text = page("policy-pack.md");
    let yaml = blocks(&text, "yaml");
    assert!(
        yaml.len() >= 3,
        "expected the example, the rules example and the default pack"
    );
    for (heading, body) in &yaml {
        if let Err(errors) = Engine::from_policy_text(body) {
            panic!("docs/policy-pack.md, block under \"{heading}\": {errors:?}");
        }
    }
    let (_, default) = yaml
        .iter()
        .find(|(h, _)| h == "The built-in default pack")
        .expect("a block under \"The built-in default pack\"");
    assert_eq!(
        PolicyPack::from_text(default).expect("valid"),
        PolicyPack::default(),
        "docs/policy-pack.md's default pack differs from the built-in one"
    );
}

#[test]
fn manifest_page_example_is_a_valid_manifest() {
    let text = page("manifest.md");
    let (_, example) = blocks(&text, "yaml")
        .into_iter()
        .next()
        .expect("a yaml example in docs/manifest.md");
    let report = Engine::default().evaluate(&example, &options());
    assert_eq!(report.input.format, "parapet");
    let bad: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("manifest/"))
        .map(|f| format!("{} {}: {}", f.rule, f.path, f.message))
        .collect();
    assert!(bad.is_empty(), "docs/manifest.md example: {bad:#?}");
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    k
}

#[test]
fn report_page_example_has_the_fields_the_engine_writes() {
    let text = page("report.md");
    let (_, example) = blocks(&text, "json")
        .into_iter()
        .next()
        .expect("a json example in docs/report.md");
    let doc: Value = serde_json::from_str(&example).expect("the example is JSON");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/controlled-expense-report.yaml"
    );
    let manifest = std::fs::read_to_string(path).expect("example manifest");
    let report = serde_json::to_value(Engine::default().evaluate(&manifest, &options()))
        .expect("serializable");
    let hint = "docs/report.md's example and the engine's Report differ: update the page";
    assert_eq!(keys(&doc), keys(&report), "{hint}");
    for part in ["app", "classification", "counts", "policy", "input"] {
        assert_eq!(keys(&doc[part]), keys(&report[part]), "{hint} ({part})");
    }
    let finding = &report["findings"][0];
    assert!(finding.is_object(), "the example manifest has findings");
    assert_eq!(keys(&doc["findings"][0]), keys(finding), "{hint} (finding)");
    assert_eq!(
        keys(&doc["findings"][0]["location"]),
        keys(&finding["location"]),
        "{hint} (location)"
    );
    assert_eq!(
        keys(&doc["classification"]["classes"][0]),
        keys(&report["classification"]["classes"][0]),
        "{hint} (class)"
    );
}
