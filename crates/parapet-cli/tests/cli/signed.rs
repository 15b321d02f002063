//! `parapet attest` / `parapet verify`, and signed waivers through `parapet check`.

use std::path::Path;

use ed25519_dalek::SigningKey;
use parapet_core::unstable::waivers::{base64_decode, base64_encode, public_key_to_pem, PublicKey};
use serde_json::{json, Value};

use crate::common::{run_in, write, NOW};

/// PKCS#8 PEM of an Ed25519 key from a fixed seed (as `openssl genpkey` writes it).
pub fn private_pem(seed: u8) -> String {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&[seed; 32]);
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        base64_encode(&der)
    )
}

pub fn public_key(seed: u8) -> [u8; 32] {
    SigningKey::from_bytes(&[seed; 32])
        .verifying_key()
        .to_bytes()
}

/// A Slack bot token the engine flags, assembled so that no scanner flags this file.
const SECRET: [&str; 4] = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"];
const MANIFEST_HEAD: &str = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: hr-bot }\nspec:\n  tier: sandbox\n  owner: user:sam\n";

fn manifest() -> String {
    format!(
        "{MANIFEST_HEAD}  settings: {{ token: {} }}\n",
        SECRET.join("-")
    )
}

fn setup(dir: &Path) {
    write(dir, "app.yaml", manifest());
    write(dir, "key.pem", private_pem(7));
    write(dir, "pub.pem", public_key_to_pem(&public_key(7)));
    write(dir, "other.pem", public_key_to_pem(&public_key(8)));
    let jwks = json!({ "keys": [
        PublicKey::new(public_key(8), Some("old")).to_jwk(),
        PublicKey::new(public_key(7), Some("edge-1")).to_jwk(),
    ]});
    write(dir, "jwks.json", jwks.to_string());
}

fn attest(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "attest", "app.yaml", "--key", "key.pem", "--now", NOW, "-o", "att.json",
    ];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_slice(&std::fs::read(dir.join("att.json")).expect("written")).expect("JSON")
}

fn verify(dir: &Path, key: &str) -> crate::common::Run {
    run_in(
        dir,
        &[
            "verify",
            "app.yaml",
            "--attestation",
            "att.json",
            "--key",
            key,
        ],
        None,
    )
}

#[test]
fn attest_then_verify_with_pem_and_jwks() {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(dir.path());
    let env = attest(dir.path(), &["--kid", "edge-1"]);
    assert_eq!(env["payloadType"], "application/vnd.in-toto+json");
    assert_eq!(env["signatures"][0]["keyid"], "edge-1");
    let payload = base64_decode(env["payload"].as_str().expect("payload")).expect("base64");
    let text = String::from_utf8(payload).expect("utf-8");
    assert!(
        !text.contains(&SECRET[3][..12]),
        "no secret in the attestation"
    );
    assert!(!text.contains("message"), "no finding messages");
    let statement: Value = serde_json::from_str(&text).expect("statement");
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(
        statement["predicateType"],
        "https://parapet.dev/attestation/validation/v1"
    );
    assert_eq!(statement["subject"][0]["name"], "hr-bot");
    assert_eq!(statement["predicate"]["verdict"], "deny");
    assert!(statement["predicate"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["rule"] == "secrets/plaintext-secret"));

    // A kid-less PEM key is tried against the signature whatever its keyid.
    let run = verify(dir.path(), "pub.pem");
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.starts_with("ok: app.yaml"), "{}", run.stdout);
    // JWKS with a rotated-out key first: the matching kid is used.
    let run = verify(dir.path(), "jwks.json");
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("signed by key edge-1"),
        "{}",
        run.stdout
    );
}

#[test]
fn verify_fails_on_every_kind_of_tampering() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    setup(d);
    let env = attest(d, &[]);

    // Wrong key.
    let run = verify(d, "other.pem");
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("does not verify"), "{}", run.stderr);

    // The manifest changed after attestation.
    write(d, "app.yaml", manifest().replace("sandbox", "production"));
    let run = verify(d, "pub.pem");
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("digest differs"), "{}", run.stderr);
    write(d, "app.yaml", manifest());

    // Payload edited (verdict flipped) and re-encoded.
    let payload = base64_decode(env["payload"].as_str().expect("payload")).expect("base64");
    let edited = String::from_utf8(payload)
        .expect("utf-8")
        .replace("\"deny\"", "\"allow\"");
    let mut tampered = env.clone();
    tampered["payload"] = json!(base64_encode(edited.as_bytes()));
    write(d, "att.json", tampered.to_string());
    assert_eq!(verify(d, "pub.pem").code, 1);

    // payloadType edited.
    let mut tampered = env.clone();
    tampered["payloadType"] = json!("application/json");
    write(d, "att.json", tampered.to_string());
    assert_eq!(verify(d, "pub.pem").code, 1);

    // Malformed base64, malformed JSON, a 1 MB envelope, an empty file.
    let mut tampered = env.clone();
    tampered["signatures"][0]["sig"] = json!("@@@");
    write(d, "att.json", tampered.to_string());
    let run = verify(d, "pub.pem");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("sig is not base64"), "{}", run.stderr);
    for body in [
        "{\"payloadType\":".to_string(),
        format!(
            "{{\"payloadType\":\"x\",\"payload\":\"{}\",\"signatures\":[]}}",
            "A".repeat(1 << 20)
        ),
        String::new(),
    ] {
        write(d, "att.json", body);
        let run = verify(d, "pub.pem");
        assert_eq!(run.code, 1, "{}", run.all());
    }

    // The original still verifies (the checks above are not vacuous).
    write(d, "att.json", env.to_string());
    assert_eq!(verify(d, "pub.pem").code, 0);
}

#[test]
fn key_errors_are_usage_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    setup(d);
    attest(d, &[]);
    // A private key given to verify, a public key given to attest, a file that is no key.
    let run = verify(d, "key.pem");
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        !run.all().contains(&private_pem(7)[28..60]),
        "the private key is never echoed"
    );
    let run = run_in(d, &["attest", "app.yaml", "--key", "pub.pem"], None);
    assert_eq!(run.code, 2, "{}", run.all());
    write(d, "junk.json", "{\"keys\": [{\"kty\": \"RSA\"}]}");
    let run = verify(d, "junk.json");
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("/keys/0/kty"), "{}", run.stderr);
    let run = run_in(d, &["attest", "missing.yaml", "--key", "key.pem"], None);
    assert_eq!(run.code, 2, "{}", run.all());
}
