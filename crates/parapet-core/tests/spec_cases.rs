//! Spec cases: `tests/cases/<rule id>/{pass,fail}*.yaml`, each with a snapshot of its report.
//! A `fail*` case must produce a finding of its rule above `info`; a `pass*` case must not.
//! A `policy.yaml` beside the cases is the pack they are checked with. `now` is 2026-11-28.

use std::path::Path;

use parapet_core::{Date, Engine, EvaluateOptions, Level};

fn case_rule(path: &Path) -> String {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let dir = path
        .parent()
        .and_then(|d| d.strip_prefix(&cases).ok())
        .expect("case under tests/cases");
    dir.to_string_lossy().replace('\\', "/")
}

fn engine_for(path: &Path) -> Engine {
    let policy = path.with_file_name("policy.yaml");
    match std::fs::read_to_string(&policy) {
        Ok(text) => Engine::from_policy_text(&text)
            .unwrap_or_else(|e| panic!("{}: {e:?}", policy.display())),
        Err(_) => Engine::default(),
    }
}

#[test]
fn spec_cases() {
    let now = Date::parse("2026-11-28");
    let mut seen_rules = std::collections::BTreeSet::new();
    insta::glob!("cases/**/*.yaml", |path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "policy.yaml" {
            return;
        }
        let rule = case_rule(path);
        seen_rules.insert(rule.clone());
        let text = std::fs::read_to_string(path).expect("readable case");
        let report = engine_for(path).evaluate(
            &text,
            &EvaluateOptions {
                now,
                ..Default::default()
            },
        );
        let fired: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == rule && f.level > Level::Info)
            .collect();
        if name.starts_with("fail") {
            assert!(
                !fired.is_empty(),
                "{}: expected a {rule} finding, got {:#?}",
                path.display(),
                report.findings
            );
        } else {
            assert!(
                fired.is_empty(),
                "{}: expected no {rule} finding, got {fired:#?}",
                path.display()
            );
        }
        insta::assert_json_snapshot!(report);
    });
    for rule in parapet_core::CATALOGUE {
        assert!(
            seen_rules.contains(rule.id),
            "no spec cases for {}",
            rule.id
        );
    }
}
