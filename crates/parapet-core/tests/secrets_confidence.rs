//! Secret findings carry a reason and a confidence, and `secrets.minConfidence` thresholds them
//! per tier.

use parapet_core::unstable::secrets::Confidence;
use parapet_core::{Date, Engine, EvaluateOptions, Report};

const CASE: &str = include_str!("cases/secrets/plaintext-secret/fail-url-credentials.yaml");

fn eval(pack: &str, tier: &str) -> Report {
    let engine = Engine::from_policy_text(pack).expect("valid pack");
    let text = CASE.replace("tier: production", &format!("tier: {tier}"));
    engine.evaluate(
        &text,
        &EvaluateOptions {
            now: Date::parse("2026-11-28"),
            ..Default::default()
        },
    )
}

fn secrets(r: &Report) -> Vec<&parapet_core::report::Finding> {
    r.findings
        .iter()
        .filter(|f| f.rule == "secrets/plaintext-secret")
        .collect()
}

const PACK: &str = "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: t }\n\
secrets:\n  minConfidence: { sandbox: certain, controlled: likely, production: possible }\n";

#[test]
fn secret_findings_say_why_and_how_sure() {
    let r = eval(PACK, "production");
    let s = secrets(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].reason, Some("a password inside a URL"));
    assert_eq!(s[0].confidence, Some(Confidence::Likely));
    let json = serde_json::to_string(&r).expect("json");
    assert!(json.contains("\"reason\":\"a password inside a URL\""));
    assert!(json.contains("\"confidence\":\"likely\""));
    // Other findings carry neither field.
    assert!(r
        .findings
        .iter()
        .filter(|f| f.rule != "secrets/plaintext-secret")
        .all(|f| f.reason.is_none() && f.confidence.is_none()));
}

#[test]
fn min_confidence_per_tier() {
    // A URL password is `likely`: production (possible) and controlled (likely) hear about it,
    // a sandbox that wants only certain secrets does not.
    assert_eq!(secrets(&eval(PACK, "production")).len(), 1);
    assert_eq!(secrets(&eval(PACK, "controlled")).len(), 1);
    assert_eq!(secrets(&eval(PACK, "sandbox")).len(), 0);
    // Without the setting every secret is reported in every tier.
    let plain = "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: t }\n";
    assert_eq!(secrets(&eval(plain, "sandbox")).len(), 1);
}

#[test]
fn min_confidence_is_validated() {
    let bad = "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: t }\n\
secrets:\n  minConfidence: { sandbox: sure }\n";
    let errs = Engine::from_policy_text(bad).err().expect("invalid pack");
    assert!(
        errs.iter()
            .any(|e| e.pointer == "/secrets/minConfidence/sandbox"),
        "{errs:?}"
    );
    // The default pack's digest does not change when the setting is absent.
    let plain = "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: default }\n";
    let a = Engine::from_policy_text(plain).expect("valid");
    let with = Engine::from_policy_text(&format!(
        "{plain}secrets:\n  minConfidence: {{ sandbox: possible }}\n"
    ))
    .expect("valid");
    assert_eq!(a.pack().digest(), with.pack().digest());
}
