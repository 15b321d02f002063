//! `parapet rules` and `parapet policy`.

use parapet_core::{PolicyPack, CATALOGUE, DEFAULT_PACK_YAML};

use crate::common::{parapet, write};

#[test]
fn rules_lists_every_rule_with_its_tier_defaults() {
    let run = parapet(&["rules"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        CATALOGUE.len(),
        26,
        "the 24 earlier rules and the two vendor-adapter rules"
    );
    for meta in CATALOGUE {
        let line = run
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(meta.id))
            .unwrap_or_else(|| panic!("{} is not listed", meta.id));
        let cols: Vec<&str> = line.split_whitespace().collect();
        let shown = |l: parapet_core::Level| {
            if l == parapet_core::Level::Off {
                "—".to_string()
            } else {
                l.to_string()
            }
        };
        assert_eq!(cols[1..4], meta.defaults.map(shown), "{line}");
        assert!(line.ends_with(meta.summary), "{line}");
    }
}

#[test]
fn rules_id_documents_each_rule() {
    for meta in CATALOGUE {
        let run = parapet(&["rules", meta.id]);
        assert_eq!(run.code, 0, "{}", meta.id);
        let page = &run.stdout;
        assert!(page.starts_with(meta.id), "{page}");
        assert!(page.contains(meta.summary));
        assert!(page.contains(meta.help));
        let first_rationale_line = meta.rationale.lines().next().unwrap_or_default().trim();
        assert!(page.contains(first_rationale_line), "{page}");
        assert!(
            page.contains(&format!("    {}: {{ sandbox: ", meta.id)),
            "override example"
        );
        for tier in ["sandbox", "controlled", "production"] {
            assert!(page.contains(&format!("  {tier} ")), "{tier} level");
        }
    }
}

#[test]
fn unknown_rules_get_a_suggestion() {
    let run = parapet(&["rules", "secrets/plaintext-secrt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("did you mean `secrets/plaintext-secret`?"),
        "{}",
        run.stderr
    );
    let run = parapet(&["rules", "iam-wildcard"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `config/iam-wildcard`?"),
        "{}",
        run.stderr
    );
    let run = parapet(&["rules", "zzzzzz"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("did you mean"));
}

#[test]
fn rules_as_json_for_docs_generation() {
    let run = parapet(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let list = run.json();
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), CATALOGUE.len());
    for (entry, meta) in list.iter().zip(CATALOGUE) {
        assert_eq!(entry["id"], meta.id);
        assert_eq!(entry["summary"], meta.summary);
        assert_eq!(entry["defaults"]["production"], meta.defaults[2].as_str());
        assert!(!entry["rationale"]
            .as_str()
            .unwrap_or_default()
            .starts_with(' '));
    }
    let one = parapet(&["rules", "cost/tier-cap", "--format", "json"]).json();
    assert_eq!(one["id"], "cost/tier-cap");
    assert_eq!(one["name"], "CostTierCap");
}

#[test]
fn rules_under_a_policy_show_the_levels_in_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = write(
        dir.path(),
        "pack.yaml",
        "apiVersion: parapet.dev/v1\nkind: PolicyPack\nrules:\n  config/cors-wildcard: off\n",
    );
    let run = parapet(&[
        "rules",
        "config/cors-wildcard",
        "--policy",
        &pack.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("  production  —"), "{}", run.stdout);
}

#[test]
fn policy_default_prints_the_built_in_pack_verbatim() {
    let run = parapet(&["policy", "default"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, DEFAULT_PACK_YAML);
    let pack = PolicyPack::from_text(&run.stdout).expect("the default pack is valid");
    assert_eq!(pack, PolicyPack::default());
}

#[test]
fn policy_check_accepts_a_valid_pack() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = write(
        dir.path(),
        "retailco.yaml",
        "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: retailco, version: \"2026.11\" }\n\
         connectors:\n  blocked: [pastebin]\nrules:\n  config/cors-wildcard: { sandbox: warn }\n  lifecycle/review-overdue: off\n",
    );
    let shown = pack.to_string_lossy().into_owned();
    let run = parapet(&["policy", "check", &shown]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("{shown}: ok: policy pack `retailco` version 2026.11; 2 rule overrides, 4 business services, 1 blocked service, 0 endpoint rules\n")
    );
    let default = parapet(&["policy", "default"]);
    let dir_pack = write(dir.path(), "default.yaml", default.stdout);
    assert_eq!(
        parapet(&["policy", "check", &dir_pack.to_string_lossy()]).code,
        0
    );
}

#[test]
fn policy_check_reports_each_error_as_file_line_col() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = write(
        dir.path(),
        "bad.yaml",
        "apiVersion: parapet.dev/v1\nkind: PolicyPack\nrules:\n  config/cors-wildcrd: { sandbox: warn }\n  lifecycle/review-overdue: sometimes\n",
    );
    let shown = pack.to_string_lossy().into_owned();
    let run = parapet(&["policy", "check", &shown]);
    assert_eq!(run.code, 2);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with(&format!("{shown}:")))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with(&format!("{shown}:4:3: ")),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("config/cors-wildcrd"));
    assert!(
        errors[1].starts_with(&format!("{shown}:5:")),
        "{}",
        errors[1]
    );

    let run = parapet(&["policy", "check", "no-such-pack.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-pack.yaml"));
    let not_yaml = write(dir.path(), "broken.yaml", "rules: [\n");
    assert_eq!(
        parapet(&["policy", "check", &not_yaml.to_string_lossy()]).code,
        2
    );
}
