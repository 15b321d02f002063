use super::*;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn public(sk: &SigningKey, kid: &str) -> PublicKey {
    PublicKey::new(sk.verifying_key().to_bytes(), Some(kid))
}

fn sign(sk: &SigningKey, kid: &str, payload_type: &str, payload: &[u8]) -> Value {
    let sig = sk.sign(&pae(payload_type, payload)).to_bytes().to_vec();
    Envelope {
        payload_type: payload_type.into(),
        payload: payload.to_vec(),
        signatures: vec![Signature {
            keyid: Some(kid.into()),
            sig,
        }],
    }
    .to_json()
}

fn waiver_payload(app: &str, rules: &[&str], expires: &str) -> Vec<u8> {
    WaiverClaims::payload(
        app,
        rules,
        Some("/spec/connectors/0"),
        "apr_123",
        "reviewer@corp.example",
        expires,
        "2026-11-30T10:00:00Z",
    )
}

fn now() -> Option<Date> {
    Date::parse("2026-12-01")
}

const RULE: &str = "integration/external-connector";

fn signed_waiver(sk: &SigningKey, kid: &str) -> Value {
    sign(
        sk,
        kid,
        WAIVER_PAYLOAD_TYPE,
        &waiver_payload("hr-bot", &[RULE], "2027-01-31"),
    )
}

#[test]
fn pae_matches_the_dsse_spec_example() {
    assert_eq!(
        pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    );
    assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
}

#[test]
fn base64_round_trips_and_is_strict() {
    for len in 0..40usize {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        assert_eq!(base64_decode(&base64_encode(&bytes)), Some(bytes.clone()));
        assert_eq!(
            base64_decode(&base64url_encode(&bytes)),
            Some(bytes.clone())
        );
    }
    assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64_encode(b"fo"), "Zm8=");
    assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
    for bad in [
        "Zm9v YmFy",
        "Zm8",
        "Zm8==",
        "Z===",
        "Zm9=",
        "Zg-/",
        "Zm8=Zm8=",
        "é",
        "Zh==",
    ] {
        // "Zm8" alone is a valid unpadded encoding of "fo": it must decode, not be rejected.
        if bad == "Zm8" {
            assert_eq!(base64_decode(bad), Some(b"fo".to_vec()));
            continue;
        }
        assert_eq!(base64_decode(bad), None, "{bad:?} must be rejected");
    }
}

#[test]
fn jwks_accepts_ed25519_public_keys_only() {
    let sk = key(1);
    let jwk = public(&sk, "k1").to_jwk();
    let keys = parse_jwks(&json!({ "keys": [jwk.clone()] })).expect("valid JWKS");
    assert_eq!(keys, vec![public(&sk, "k1")]);
    assert_eq!(parse_jwks(&json!([jwk.clone()])).expect("bare list"), keys);

    let mut no_kid = jwk.clone();
    no_kid.as_object_mut().expect("object").remove("kid");
    let k = parse_jwks(&json!([no_kid])).expect("valid");
    assert_eq!(k[0].kid, jwk_thumbprint(&sk.verifying_key().to_bytes()));

    let mut private = jwk.clone();
    private["d"] = json!(base64url_encode(&[1; 32]));
    let errs = parse_jwks(&json!({ "keys": [private] })).expect_err("private key");
    assert_eq!(errs[0].pointer, "/keys/0/d");

    let errs = parse_jwks(&json!({ "keys": [{ "kty": "RSA", "n": "x", "e": "AQAB" }, { "kty": "OKP", "crv": "Ed25519", "x": "!!" }, { "kty": "OKP", "crv": "Ed25519", "x": "AAAA" }] }))
        .expect_err("bad keys");
    let pointers: Vec<_> = errs.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/keys/0/kty", "/keys/1/x", "/keys/2/x"]);
    assert!(parse_jwks(&json!("nope")).is_err());
    let many: Vec<Value> = (0..=MAX_KEYS).map(|_| jwk.clone()).collect();
    assert!(parse_jwks(&json!(many)).is_err());
}

#[test]
fn thumbprint_matches_rfc_8037_example() {
    // RFC 8037 appendix A.3: thumbprint of the example Ed25519 key.
    let x = base64_decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").expect("b64");
    let key: [u8; 32] = x.try_into().expect("32 bytes");
    assert_eq!(
        jwk_thumbprint(&key),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
}

#[test]
fn valid_waiver_verifies() {
    let sk = key(1);
    let keys = [public(&sk, "k1")];
    let claims = verify_waiver(
        &signed_waiver(&sk, "k1"),
        &keys,
        Some("hr-bot"),
        RULE,
        now(),
    )
    .expect("valid waiver");
    assert_eq!(claims.app, "hr-bot");
    assert_eq!(claims.rules, [RULE]);
    assert_eq!(claims.target.as_deref(), Some("/spec/connectors/0"));
    assert_eq!(claims.reviewer, "reviewer@corp.example");
    assert_eq!(claims.expires.to_string(), "2027-01-31");
    assert_eq!(claims.kid, "k1");
    // No `now`: expiry is not checked (like unsigned exceptions).
    assert!(verify_waiver(&signed_waiver(&sk, "k1"), &keys, Some("hr-bot"), RULE, None).is_ok());
    // A signature without keyid is tried against every trusted key.
    let mut env = signed_waiver(&sk, "k1");
    env["signatures"][0]["keyid"] = json!("");
    assert!(verify_waiver(&env, &keys, Some("hr-bot"), RULE, now()).is_ok());
}

#[test]
fn signature_matrix() {
    let (old, new, stranger) = (key(1), key(2), key(3));
    let trusted = [public(&new, "2026-12"), public(&old, "2026-06")];
    let check =
        |env: &Value, app: &str, rule: &str| verify_waiver(env, &trusted, Some(app), rule, now());

    // Rotated key: the old key is still in the trusted set, its waivers still hold.
    assert!(check(&signed_waiver(&old, "2026-06"), "hr-bot", RULE).is_ok());
    assert!(check(&signed_waiver(&new, "2026-12"), "hr-bot", RULE).is_ok());

    // Wrong key, claiming a trusted kid: the signature does not verify.
    assert_eq!(
        check(&signed_waiver(&stranger, "2026-12"), "hr-bot", RULE),
        Err(WaiverError::BadSignature("2026-12".into()))
    );
    // Wrong key under its own kid: not trusted.
    assert_eq!(
        check(&signed_waiver(&stranger, "mallory"), "hr-bot", RULE),
        Err(WaiverError::UntrustedKey("mallory".into()))
    );
    // No trusted keys at all.
    assert_eq!(
        verify_waiver(
            &signed_waiver(&new, "2026-12"),
            &[],
            Some("hr-bot"),
            RULE,
            now()
        ),
        Err(WaiverError::NoTrustedKeys)
    );

    // Tampered payload: the reviewer's expiry pushed out by a year.
    let mut env = signed_waiver(&new, "2026-12");
    let forged = waiver_payload("hr-bot", &[RULE], "2028-01-31");
    env["payload"] = json!(base64_encode(&forged));
    assert_eq!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::BadSignature("2026-12".into()))
    );
    // Tampered payload: a rule added.
    let mut env = signed_waiver(&new, "2026-12");
    env["payload"] = json!(base64_encode(&waiver_payload(
        "hr-bot",
        &[RULE, "secrets/plaintext-secret"],
        "2027-01-31"
    )));
    assert!(matches!(
        check(&env, "hr-bot", "secrets/plaintext-secret"),
        Err(WaiverError::BadSignature(_))
    ));

    // Tampered payloadType: the PAE covers it, so the signature breaks.
    let mut env = signed_waiver(&new, "2026-12");
    env["payloadType"] = json!("application/vnd.parapet.waiver+jsonx");
    assert!(matches!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::BadSignature(_))
    ));
    // Validly signed, but not a waiver.
    let env = sign(
        &new,
        "2026-12",
        STATEMENT_PAYLOAD_TYPE,
        &waiver_payload("hr-bot", &[RULE], "2027-01-31"),
    );
    assert_eq!(check(&env, "hr-bot", RULE), Err(WaiverError::PayloadType));

    // Expired.
    let env = sign(
        &new,
        "2026-12",
        WAIVER_PAYLOAD_TYPE,
        &waiver_payload("hr-bot", &[RULE], "2026-11-30"),
    );
    assert_eq!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::Expired("2026-11-30".into()))
    );
    // Expiring today still holds.
    let env = sign(
        &new,
        "2026-12",
        WAIVER_PAYLOAD_TYPE,
        &waiver_payload("hr-bot", &[RULE], "2026-12-01"),
    );
    assert!(check(&env, "hr-bot", RULE).is_ok());

    // Other app, other rule.
    let env = signed_waiver(&new, "2026-12");
    assert_eq!(check(&env, "payroll-bot", RULE), Err(WaiverError::OtherApp));
    assert_eq!(
        verify_waiver(&env, &trusted, None, RULE, now()),
        Err(WaiverError::OtherApp)
    );
    assert_eq!(
        check(&env, "hr-bot", "config/cors-wildcard"),
        Err(WaiverError::OtherRule)
    );

    // Malformed base64 in payload and sig.
    let mut env = signed_waiver(&new, "2026-12");
    env["payload"] = json!("not base64!");
    assert_eq!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::Malformed("payload is not base64"))
    );
    let mut env = signed_waiver(&new, "2026-12");
    env["signatures"][0]["sig"] = json!("***");
    assert_eq!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::Malformed("sig is not base64"))
    );
    // A signature of the wrong length.
    let mut env = signed_waiver(&new, "2026-12");
    env["signatures"][0]["sig"] = json!(base64_encode(&[0; 63]));
    assert!(matches!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::BadSignature(_))
    ));

    // Malformed JSON: the envelope text, and a signed payload that is not JSON.
    assert_eq!(
        Envelope::parse("{\"payloadType\":", 1024),
        Err(WaiverError::Malformed("not JSON"))
    );
    let env = sign(&new, "2026-12", WAIVER_PAYLOAD_TYPE, b"{not json");
    assert_eq!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::Claims("not JSON"))
    );
    let env = sign(
        &new,
        "2026-12",
        WAIVER_PAYLOAD_TYPE,
        br#"{"app":"hr-bot","rules":[]}"#,
    );
    assert_eq!(
        check(&env, "hr-bot", RULE),
        Err(WaiverError::Claims("rules"))
    );
    for bad in [
        json!(null),
        json!([]),
        json!({}),
        json!({"payloadType": 1}),
        json!({"payloadType": "x", "payload": "", "signatures": []}),
        json!({"payloadType": "x", "payload": "", "signatures": [7]}),
    ] {
        assert!(
            matches!(check(&bad, "hr-bot", RULE), Err(WaiverError::Malformed(_))),
            "{bad}"
        );
    }
}

#[test]
fn one_megabyte_envelopes_are_refused_before_any_work() {
    let sk = key(1);
    let keys = [public(&sk, "k1")];
    let mut env = signed_waiver(&sk, "k1");
    env["payload"] = json!("A".repeat(1024 * 1024));
    assert_eq!(
        verify_waiver(&env, &keys, Some("hr-bot"), RULE, now()),
        Err(WaiverError::TooLarge)
    );
    let mut env = signed_waiver(&sk, "k1");
    let sig = env["signatures"][0].clone();
    env["signatures"] = json!(vec![sig; 12_000]);
    assert_eq!(
        verify_waiver(&env, &keys, Some("hr-bot"), RULE, now()),
        Err(WaiverError::TooLarge)
    );
    let mut env = signed_waiver(&sk, "k1");
    env["signatures"][0]["sig"] = json!("A".repeat(1024 * 1024));
    assert_eq!(
        verify_waiver(&env, &keys, Some("hr-bot"), RULE, now()),
        Err(WaiverError::Malformed("sig too long"))
    );
    let text = format!("{{\"payload\":\"{}\"}}", "A".repeat(5 * 1024 * 1024));
    assert_eq!(
        Envelope::parse(&text, MAX_PAYLOAD_CHARS),
        Err(WaiverError::TooLarge)
    );
}

#[test]
fn descriptions_carry_no_payload_text() {
    let errors = [
        WaiverError::Malformed("not JSON"),
        WaiverError::TooLarge,
        WaiverError::NoTrustedKeys,
        WaiverError::UntrustedKey("k".repeat(200)),
        WaiverError::BadSignature("k1".into()),
        WaiverError::PayloadType,
        WaiverError::Claims("rules"),
        WaiverError::Expired("2026-01-01".into()),
        WaiverError::OtherApp,
        WaiverError::OtherRule,
    ];
    for e in errors {
        let d = e.describe();
        assert!(!d.is_empty() && d.chars().count() < 120, "{d}");
    }
}

#[test]
fn attestation_round_trip_and_tampering() {
    let engine = crate::Engine::default();
    let text = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: hr-bot }\nspec:\n  tier: sandbox\n  settings: { token: TOKEN }\n"
        .replace("TOKEN", &["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-"));
    let report = engine.evaluate(&text, &crate::EvaluateOptions::default());
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "secrets/plaintext-secret"));
    let statement = attestation_statement(&report, "2026-12-01T00:00:00Z");
    let body = serde_json::to_string(&statement).expect("json");
    assert!(!body.contains("Qm9vTGVha0Nh"), "no secret in the statement");
    assert!(!body.contains("message"), "no finding messages");
    assert_eq!(statement["subject"][0]["name"], "hr-bot");
    assert_eq!(
        format!(
            "sha256:{}",
            statement["subject"][0]["digest"]["sha256"]
                .as_str()
                .unwrap_or("")
        ),
        report.input.digest
    );
    assert_eq!(
        statement["predicate"]["findings"].as_array().map(Vec::len),
        Some(report.findings.len())
    );

    let sk = key(9);
    let keys = [public(&sk, "edge")];
    let env = sign(&sk, "edge", STATEMENT_PAYLOAD_TYPE, body.as_bytes());
    let env_text = env.to_string();
    let ok = verify_attestation(&env_text, &keys, Some(&report.input.digest)).expect("verifies");
    assert_eq!(ok.statement, statement);
    assert_eq!(ok.kid, "edge");
    assert!(matches!(
        verify_attestation(&env_text, &keys, Some("sha256:00")),
        Err(WaiverError::Claims(_))
    ));
    let mut tampered = env.clone();
    tampered["payload"] = json!(base64_encode(
        body.replace("\"deny\"", "\"allow\"").as_bytes()
    ));
    assert!(matches!(
        verify_attestation(&tampered.to_string(), &keys, None),
        Err(WaiverError::BadSignature(_))
    ));
    assert!(matches!(
        verify_attestation(&env_text, &[public(&key(8), "edge")], None),
        Err(WaiverError::BadSignature(_))
    ));
}

#[test]
fn pem_keys_round_trip() {
    // RFC 8032 test 1 key, as `openssl genpkey -algorithm ed25519` writes it.
    let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
    let seed = private_key_from_pem(pem).expect("pkcs8");
    let sk = SigningKey::from_bytes(&seed);
    let pk = sk.verifying_key().to_bytes();
    assert_eq!(
        base64url_encode(&pk),
        "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    );
    assert_eq!(public_key_from_pem(&public_key_to_pem(&pk)), Some(pk));
    assert_eq!(private_key_from_pem(&public_key_to_pem(&pk)), None);
    assert_eq!(
        public_key_from_pem("-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----"),
        None
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn base64_decode_never_panics(s in ".{0,64}") {
            let _ = base64_decode(&s);
        }

        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            prop_assert_eq!(base64_decode(&base64_encode(&bytes)), Some(bytes.clone()));
            prop_assert_eq!(base64_decode(&base64url_encode(&bytes)), Some(bytes));
        }

        #[test]
        fn envelope_parsing_never_panics(s in "[{}\\[\\]\":,a-zA-Z0-9+/= ]{0,200}") {
            let _ = Envelope::parse(&s, 1024);
        }
    }
}

#[test]
fn pack_reads_trusted_keys_and_require_signature() {
    let x = base64url_encode(&key(1).verifying_key().to_bytes());
    let text = format!(
        "approvals:\n  trustedKeys:\n    keys:\n      - {{ kty: OKP, crv: Ed25519, kid: edge-2026, x: {x} }}\nexceptions:\n  requireSignature: [production]\n"
    );
    let pack = crate::PolicyPack::from_text(&text).expect("valid pack");
    assert_eq!(pack.trusted_keys, [public(&key(1), "edge-2026")]);
    assert!(pack.requires_signature(crate::Tier::Production));
    assert!(!pack.requires_signature(crate::Tier::Controlled));
    // The keys are part of the pack digest; the default pack's digest is unchanged by the
    // new (empty) fields.
    assert_ne!(pack.digest(), crate::PolicyPack::default().digest());
    assert!(!serde_json::to_string(&crate::PolicyPack::default())
        .expect("json")
        .contains("trustedKeys"));
    // The pack's routes still come from the default.
    assert_eq!(pack.route(RULE), Some("integration-review"));
}

#[test]
fn pack_key_errors_name_the_field_and_line() {
    let text = "approvals:\n  trustedKeys:\n    keys:\n      - { kty: OKP, crv: Ed25519, x: AAAA }\n      - { kty: RSA, n: abc, e: AQAB }\nexceptions:\n  requireSignature: [prod]\n";
    let errs = crate::PolicyPack::from_text(text).expect_err("invalid keys");
    let got: Vec<_> = errs.iter().map(|e| (e.line, e.pointer.as_str())).collect();
    assert_eq!(
        got,
        [
            (4, "/approvals/trustedKeys/keys/0/x"),
            (5, "/approvals/trustedKeys/keys/1/kty"),
            (7, "/exceptions/requireSignature/0"),
        ],
        "{errs:?}"
    );
    assert!(errs[0].message.contains("32-byte"), "{}", errs[0].message);
    let errs =
        crate::PolicyPack::from_text("approvals: { trustedKeys: 42 }\n").expect_err("not a JWKS");
    assert_eq!(errs[0].line, 1);
    assert!(errs[0].message.contains("JWKS"), "{}", errs[0].message);
}

mod engine {
    use super::*;
    use crate::{Engine, EvaluateOptions, Level};

    const APP: &str = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: hr-bot }\nspec:\n  tier: TIER\n  owner: user:sam\n  connectors:\n    - { name: workday, type: saas, service: workday, url: https://wd2-impl.workday.com/api }\n";

    fn pack(extra: &str) -> String {
        let x = base64url_encode(&key(1).verifying_key().to_bytes());
        format!("approvals:\n  trustedKeys:\n    keys:\n      - {{ kty: OKP, crv: Ed25519, kid: k1, x: {x} }}\n{extra}")
    }

    fn manifest(tier: &str, exception: &str) -> String {
        format!(
            "{}  exceptions:\n    - {exception}\n",
            APP.replace("TIER", tier)
        )
    }

    fn signed_exception(env: &Value) -> String {
        format!("{{ rule: {RULE}, approval: {env} }}")
    }

    fn evaluate(pack_text: &str, text: &str) -> crate::Report {
        let engine = Engine::from_policy_text(pack_text).expect("valid pack");
        engine.evaluate(
            text,
            &EvaluateOptions {
                now: now(),
                ..EvaluateOptions::default()
            },
        )
    }

    fn levels(report: &crate::Report, rule: &str) -> Vec<Level> {
        report
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.level)
            .collect()
    }

    #[test]
    fn a_valid_signed_waiver_waives_like_an_exception() {
        let unsigned = evaluate(&pack(""), &APP.replace("TIER", "controlled"));
        assert_eq!(levels(&unsigned, RULE), [Level::Approval]);

        let text = manifest(
            "controlled",
            &signed_exception(&signed_waiver(&key(1), "k1")),
        );
        let report = evaluate(&pack(""), &text);
        assert_eq!(
            levels(&report, RULE),
            [Level::Info],
            "{:#?}",
            report.findings
        );
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == RULE)
            .expect("finding");
        let w = f.waived_by.as_ref().expect("waived");
        assert_eq!(w.expires.as_deref(), Some("2027-01-31"));
        assert_eq!(w.ticket.as_deref(), Some("apr_123"));
        assert!(levels(&report, "exceptions/invalid-signature").is_empty());
        assert!(
            levels(&report, "manifest/schema").is_empty(),
            "{:#?}",
            report.findings
        );
        assert!(
            levels(&report, "secrets/plaintext-secret").is_empty(),
            "the envelope is not a secret: {:#?}",
            report.findings
        );
        // The same manifest under a pack that does not trust the key: invalid, deny, not waived.
        let report = evaluate("", &text);
        assert_eq!(levels(&report, RULE), [Level::Approval]);
        assert_eq!(
            levels(&report, "exceptions/invalid-signature"),
            [Level::Deny]
        );
    }

    #[test]
    fn each_bad_waiver_is_an_invalid_signature_deny_in_every_tier() {
        let other_app = sign(
            &key(1),
            "k1",
            WAIVER_PAYLOAD_TYPE,
            &waiver_payload("payroll", &[RULE], "2027-01-31"),
        );
        let other_rule = sign(
            &key(1),
            "k1",
            WAIVER_PAYLOAD_TYPE,
            &waiver_payload("hr-bot", &["config/cors-wildcard"], "2027-01-31"),
        );
        let expired = sign(
            &key(1),
            "k1",
            WAIVER_PAYLOAD_TYPE,
            &waiver_payload("hr-bot", &[RULE], "2026-01-31"),
        );
        let wrong_key = signed_waiver(&key(2), "k1");
        let mut tampered = signed_waiver(&key(1), "k1");
        tampered["payload"] = json!(base64_encode(&waiver_payload(
            "hr-bot",
            &[RULE],
            "2099-01-31"
        )));
        let mut retyped = signed_waiver(&key(1), "k1");
        retyped["payloadType"] = json!("application/json");
        let mut bad_b64 = signed_waiver(&key(1), "k1");
        bad_b64["payload"] = json!("%%%");
        let huge = json!({ "payloadType": WAIVER_PAYLOAD_TYPE, "payload": "A".repeat(1 << 20), "signatures": [{ "keyid": "k1", "sig": "AAAA" }] });
        let cases = [
            ("other app", other_app, "another app"),
            ("other rule", other_rule, "does not cover"),
            ("expired", expired, "expired on 2026-01-31"),
            ("wrong key", wrong_key, "does not verify"),
            ("tampered payload", tampered, "does not verify"),
            ("tampered payloadType", retyped, "does not verify"),
            ("malformed base64", bad_b64, "not base64"),
            ("1 MB envelope", huge, "larger than"),
            ("not an envelope", json!("just text"), "not an object"),
        ];
        for tier in ["sandbox", "controlled", "production"] {
            for (name, env, why) in &cases {
                let report = evaluate(&pack(""), &manifest(tier, &signed_exception(env)));
                let bad: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule == "exceptions/invalid-signature")
                    .collect();
                assert_eq!(bad.len(), 1, "{name} in {tier}: {:#?}", report.findings);
                assert_eq!(bad[0].level, Level::Deny, "{name}");
                assert_eq!(bad[0].path, "/spec/exceptions/0/approval", "{name}");
                assert!(bad[0].message.contains(why), "{name}: {}", bad[0].message);
                assert!(
                    report
                        .findings
                        .iter()
                        .filter(|f| f.rule == RULE)
                        .all(|f| f.waived_by.is_none()),
                    "{name} waives nothing"
                );
                assert!(
                    bad[0].message.len() < 300 && !bad[0].message.contains("AAAA"),
                    "{name}: no payload in the message"
                );
            }
        }
    }

    #[test]
    fn require_signature_makes_unsigned_exceptions_waive_nothing() {
        let unsigned = format!("{{ rule: {RULE}, expires: 2027-01-31, ticket: SEC-1 }}");
        let strict = pack("exceptions:\n  requireSignature: [production]\n");
        let controlled = evaluate(&strict, &manifest("controlled", &unsigned));
        assert_eq!(levels(&controlled, RULE), [Level::Info]);
        let production = evaluate(&strict, &manifest("production", &unsigned));
        assert_eq!(levels(&production, RULE), [Level::Approval]);
        let signed = evaluate(
            &strict,
            &manifest(
                "production",
                &signed_exception(&signed_waiver(&key(1), "k1")),
            ),
        );
        assert_eq!(levels(&signed, RULE), [Level::Info]);
    }

    #[test]
    fn an_exception_needs_an_expiry_or_a_signed_approval() {
        let report = evaluate(
            &pack(""),
            &manifest("controlled", &format!("{{ rule: {RULE}, ticket: SEC-1 }}")),
        );
        let schema: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "manifest/schema")
            .collect();
        assert_eq!(schema.len(), 1, "{:#?}", report.findings);
        assert!(
            schema[0].message.contains("expires is required"),
            "{}",
            schema[0].message
        );
        assert_eq!(levels(&report, RULE), [Level::Approval]);
    }
}
