//! Sidecar manifests: a MicroApp manifest with `spec.source` naming a vendor export. The
//! manifest gives tier, owner, cost, review and exceptions; the export gives connectors,
//! triggers and data; each finding says which file it is in. Fixtures: `tests/sidecar/`, whose
//! `flow.json` is a copy of the corpus export `n8n/line-webhook-noauth-placeholder-bearer.json`.

use parapet_core::report::Finding;
use parapet_core::{Date, Engine, EvaluateOptions, Level, Report, Tier};

const SIDECAR: &str = include_str!("../../../tests/sidecar/line-bot/parapet.yaml");
const FLOW: &str = include_str!("../../../tests/sidecar/line-bot/flow.json");
const CORPUS_FLOW: &str =
    include_str!("../../../tests/corpus/n8n/line-webhook-noauth-placeholder-bearer.json");

fn options(tier: Option<Tier>) -> EvaluateOptions {
    EvaluateOptions {
        now: Date::parse("2026-11-28"),
        tier,
        ..Default::default()
    }
}

fn with_source(manifest: &str, source: Result<&str, String>, tier: Option<Tier>) -> Report {
    Engine::default().evaluate_with_source(manifest, source, &options(tier))
}

fn find<'a>(r: &'a Report, rule: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn the_fixture_is_the_corpus_export() {
    assert_eq!(FLOW, CORPUS_FLOW);
}

#[test]
fn tier_from_the_sidecar_beats_the_callers_tier() {
    let r = with_source(SIDECAR, Ok(FLOW), Some(Tier::Production));
    assert_eq!(r.app.tier, Some(Tier::Sandbox));
    assert_eq!(r.app.name.as_deref(), Some("line-image-bot"));
    let trigger = find(&r, "config/unauthenticated-trigger");
    assert_eq!(trigger.len(), 1, "{:#?}", r.findings);
    // Sandbox level, where the export alone at --tier production is denied.
    assert_eq!(trigger[0].level, Level::Warn);
    let alone = Engine::default().evaluate(FLOW, &options(Some(Tier::Production)));
    let t = find(&alone, "config/unauthenticated-trigger");
    assert_eq!(t[0].level, Level::Deny);
    // Another tier in the sidecar is followed the same way.
    let prod = SIDECAR.replace("tier: sandbox", "tier: production");
    let r = with_source(&prod, Ok(FLOW), Some(Tier::Sandbox));
    assert_eq!(r.app.tier, Some(Tier::Production));
    assert_eq!(
        find(&r, "config/unauthenticated-trigger")[0].level,
        Level::Deny
    );
}

#[test]
fn owner_comes_from_the_sidecar_and_its_absence_is_reported_there() {
    let prod = SIDECAR.replace("tier: sandbox", "tier: production");
    let r = with_source(&prod, Ok(FLOW), None);
    assert!(
        find(&r, "ownership/missing-owner").is_empty(),
        "{:#?}",
        r.findings
    );
    let ownerless = prod.replace("  owner: group:marketing-automation\n", "");
    let r = with_source(&ownerless, Ok(FLOW), None);
    let f = find(&r, "ownership/missing-owner");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].file, None, "in the manifest");
    assert_eq!(f[0].location.line, 6, "at spec: in the sidecar");
}

#[test]
fn findings_on_export_nodes_are_at_the_exports_lines() {
    let r = with_source(SIDECAR, Ok(FLOW), None);
    let alone = Engine::default().evaluate(FLOW, &options(Some(Tier::Sandbox)));
    for rule in [
        "config/unauthenticated-trigger",
        "integration/external-connector",
    ] {
        let got = find(&r, rule);
        let want = find(&alone, rule);
        assert!(!got.is_empty());
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.file.as_deref(), Some("flow.json"));
            assert_eq!(g.location, w.location);
            assert_eq!(g.path, w.path);
            assert_eq!(g.node, w.node);
        }
    }
    let t = find(&r, "config/unauthenticated-trigger")[0];
    assert_eq!((t.location.line, t.location.column), (25, 7));
    assert_eq!(
        t.node.as_ref().map(|n| n.name.as_str()),
        Some("Receive a Line Webhook")
    );
    let src = r.input.source.as_ref().expect("input.source");
    assert_eq!(
        (r.input.format, src.format, src.path.as_str()),
        ("parapet", "n8n", "flow.json")
    );
    assert_eq!(src.digest, parapet_core::digest(FLOW.as_bytes()));
    // Manifest-level findings carry no file and sit in the sidecar.
    for f in r.findings.iter().filter(|f| f.file.is_none()) {
        assert!(f.path.starts_with("/spec") || f.path.is_empty(), "{f:#?}");
        assert!(f.location.line <= SIDECAR.lines().count() as u32);
    }
}

#[test]
fn utf16_offsets_are_per_file() {
    let opts = EvaluateOptions {
        utf16: true,
        ..options(None)
    };
    let ownerless = SIDECAR
        .replace("tier: sandbox", "tier: production")
        .replace("  owner: group:marketing-automation\n", "");
    let r = Engine::default().evaluate_with_source(&ownerless, Ok(FLOW), &opts);
    let o = find(&r, "ownership/missing-owner")[0];
    let u = o.utf16.expect("utf16");
    assert_eq!(&ownerless[u.start as usize..u.end as usize], "spec");
    let t = find(&r, "config/unauthenticated-trigger")[0];
    let u = t.utf16.expect("utf16");
    assert_eq!(
        &FLOW[u.start as usize..u.end as usize],
        "\"name\": \"Receive a Line Webhook\""
    );
}

#[test]
fn a_sidecar_exception_waives_an_export_finding() {
    let waived = SIDECAR.to_string()
        + "  exceptions:\n    - rule: config/unauthenticated-trigger\n      ticket: SEC-42\n      expires: 2027-01-31\n      reason: LINE signs its webhooks\n";
    let r = with_source(&waived, Ok(FLOW), None);
    let t = find(&r, "config/unauthenticated-trigger")[0];
    assert_eq!(t.level, Level::Info);
    let w = t.waived_by.as_ref().expect("waived");
    assert_eq!(w.exception, "/spec/exceptions/0");
    assert_eq!(w.ticket.as_deref(), Some("SEC-42"));
}

#[test]
fn a_missing_source_is_a_finding_on_its_path() {
    let r = with_source(SIDECAR, Err("flow.json does not exist".into()), None);
    let f = find(&r, "manifest/schema");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].path, "/spec/source/path");
    assert_eq!(f[0].level, Level::Deny);
    assert_eq!(f[0].location.line, 11);
    assert!(
        f[0].message.contains("flow.json does not exist"),
        "{}",
        f[0].message
    );
    assert_eq!(r.verdict, parapet_core::Verdict::Deny);
    assert_eq!(r.counts.deny, 1);
}

#[test]
fn an_unknown_format_is_a_schema_finding() {
    let wrong = SIDECAR.replace("format: n8n", "format: zapier");
    let r = with_source(&wrong, Ok(FLOW), None);
    let f = find(&r, "manifest/schema");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].path, "/spec/source/format");
    assert!(
        f[0].message.contains("expected one of: n8n, node-red"),
        "{}",
        f[0].message
    );
    // Also without any export (the wasm Engine.evaluate of the manifest alone).
    let r = Engine::default().evaluate(&wrong, &options(None));
    assert_eq!(find(&r, "manifest/schema")[0].path, "/spec/source/format");
}

#[test]
fn a_format_that_does_not_match_the_export_is_a_schema_finding() {
    let wrong = SIDECAR.replace("format: n8n", "format: node-red");
    let r = with_source(&wrong, Ok(FLOW), None);
    let f = find(&r, "manifest/schema");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].path, "/spec/source/format");
    assert!(f[0].message.contains("n8n format"), "{}", f[0].message);
    // Not an export at all: the manifest's findings, the file's own problem with its file.
    let r = with_source(SIDECAR, Ok("just: text\n"), None);
    assert!(find(&r, "manifest/schema")
        .iter()
        .any(|f| f.path == "/spec/source/format" && f.file.is_none()));
    assert!(r
        .findings
        .iter()
        .all(|f| f.file.is_none() || f.file.as_deref() == Some("flow.json")));
}

#[test]
fn ordinary_manifests_are_unchanged() {
    let text = include_str!("../../../examples/controlled-expense-report.yaml");
    let e = Engine::default();
    let a = e.evaluate(text, &options(None));
    let b = e.evaluate_with_source(text, Err("unused".into()), &options(None));
    let (a, b) = (
        serde_json::to_string(&a).expect("as set up"),
        serde_json::to_string(&b).expect("as set up"),
    );
    assert_eq!(a, b);
    assert!(!a.contains("\"file\"") && !a.contains("\"source\""));
}

#[test]
fn an_absolute_source_path_is_a_schema_finding_and_is_not_read() {
    let e = Engine::default();
    for abs in [
        "/etc/passwd",
        "C:\\flows\\flow.json",
        "\\\\server\\share\\flow.json",
    ] {
        let text = SIDECAR.replace("path: flow.json", &format!("path: '{abs}'"));
        // No source path: nothing for a caller to read.
        assert_eq!(e.sidecar_source(&text, &options(None)), None, "{abs}");
        let r = e.evaluate_with_source(&text, Ok(FLOW), &options(None));
        let f = find(&r, "manifest/schema");
        assert_eq!(f.len(), 1, "{abs}: {:#?}", r.findings);
        assert_eq!(f[0].path, "/spec/source/path");
        assert!(r.findings.iter().all(|f| f.file.is_none()));
    }
}
