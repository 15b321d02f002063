//! The API hosts (CLI, wasm, edge, widget) build on: the pack's name and digest without a probe
//! evaluation, a free-text secret check, the one redactor, and field names in words.

use parapet_core::{Date, Engine, EvaluateOptions};

fn token() -> String {
    // Assembled so that the source holds no credential-shaped literal.
    ["xoxb", "2048", "1234567890123", "Zq8Lm4Np7Rt2Vx5B"].join("-")
}

const CUSTOM: &str = "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: acme }\n";

fn opts() -> EvaluateOptions {
    EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    }
}

#[test]
fn policy_gives_what_every_report_carries() {
    for engine in [
        Engine::default(),
        Engine::from_policy_text(CUSTOM).expect("valid pack"),
    ] {
        let probe = engine.evaluate("{}", &opts());
        assert_eq!(engine.policy(), probe.policy);
        assert!(engine.policy().digest.starts_with("sha256:"));
    }
    let custom = Engine::from_policy_text(CUSTOM).expect("valid pack");
    assert_eq!(custom.policy().name, "acme");
    assert_ne!(custom.policy().digest, Engine::default().policy().digest);
}

#[test]
fn check_text_finds_a_secret_in_prose_without_echoing_it() {
    let engine = Engine::default();
    let t = token();
    let prose = format!("Zoë needs this (the token is {t}, ok?)");
    let hits = engine.check_text(&prose);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert_eq!(&prose[h.start as usize..h.end as usize], t);
    assert_eq!(h.kind, "slack-bot-token");
    assert!(h.redacted.starts_with("xoxb") && !h.redacted.contains(&t[5..]));
    // "ë" is two UTF-8 bytes but one UTF-16 unit.
    assert_eq!(h.utf16.start, h.start - 1);
    assert_eq!(h.utf16.end - h.utf16.start, h.end - h.start);
    let json = serde_json::to_string(&hits).expect("json");
    assert!(!json.contains(&t), "{json}");
    assert!(engine
        .check_text("Please approve: we need it for the Q3 launch.")
        .is_empty());
    assert!(engine.check_text("").is_empty());
}

#[test]
fn check_text_judges_a_random_word_in_prose_by_its_entropy() {
    // A key of no known format (40 random base64 characters, like an AWS secret access key),
    // pasted into a sentence: found as it would be under an ordinary field of a manifest.
    let key = ["Zx9f3kQ2mW8vR1tY", "6uP0aS4dG7hJ5lB2", "nC8xE3rT"].join("");
    let prose = format!("per the vendor, key {key} is for staging only");
    let hits = Engine::default().check_text(&prose);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(&prose[hits[0].start as usize..hits[0].end as usize], key);
    // Long words that are not secrets: a commit, a link, a UUID, a long plain word.
    for prose in [
        "fixed in 3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39, see https://jira.example.com/browse/SEC-12345",
        "request 9b2f4c1e-7a3d-4e8b-9c6f-1d2e3f4a5b6c from the internationalization team",
    ] {
        assert!(Engine::default().check_text(prose).is_empty(), "{prose}");
    }
}

#[test]
fn check_text_honours_the_packs_allow_list_and_min_confidence() {
    let t = token();
    let allow = format!("{CUSTOM}secrets:\n  allow: [\"^xoxb-2048-\"]\n");
    let engine = Engine::from_policy_text(&allow).expect("valid pack");
    assert!(engine.check_text(&format!("token {t}")).is_empty());
    // A password in a URL is `likely`: below a `certain` threshold for production.
    let url = "see https://stockbot:Wq9xT2vLp7Rz@sheets.googleapis.com/v4 for it";
    assert_eq!(Engine::default().check_text(url).len(), 1);
    let strict = format!("{CUSTOM}secrets:\n  minConfidence: {{ production: certain }}\n");
    let engine = Engine::from_policy_text(&strict).expect("valid pack");
    assert!(engine.check_text(url).is_empty());
    assert_eq!(engine.check_text(&format!("token {t}")).len(), 1);
}

#[test]
fn the_redactor_redacts_free_text() {
    let engine = Engine::default();
    let t = token();
    let r = engine.redactor();
    let shown = r.redact_foreign(&format!("ticket {t} approved"));
    assert!(!shown.contains(&t), "{shown}");
    assert!(shown.starts_with("ticket xoxb") && shown.ends_with(" approved"));
}

fn manifest(connector: &str) -> String {
    format!(
        "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: {{ name: board }}\nspec:\n  tier: production\n  owner: group:ops\n  dataClassification: internal\n  connectors:\n    - name: workday\n      type: saas\n      url: https://api.workday.example/v1\n    - name: \"{connector}\"\n      type: http\n      url: http://hooks.example/in\n      headers: {{ Authorization: \"Bearer {}\" }}\n",
        token()
    )
}

#[test]
fn field_names_are_off_by_default_and_change_nothing_else() {
    let engine = Engine::default();
    let text = manifest("slack");
    let plain = engine.evaluate(&text, &opts());
    assert!(plain.findings.iter().all(|f| f.field.is_none()));
    let named = engine.evaluate(
        &text,
        &EvaluateOptions {
            field_names: true,
            ..opts()
        },
    );
    assert_eq!(plain.findings.len(), named.findings.len());
    for (a, b) in plain.findings.iter().zip(&named.findings) {
        let mut b = b.clone();
        assert!(b.field.is_some(), "{b:?}");
        b.field = None;
        assert_eq!(*a, b);
    }
    let json = serde_json::to_string(&plain).expect("json");
    assert!(!json.contains("\"field\""));
}

#[test]
fn field_names_use_item_names_and_hide_secrets() {
    let engine = Engine::default();
    let with = |connector: &str| {
        engine.evaluate(
            &manifest(connector),
            &EvaluateOptions {
                field_names: true,
                ..opts()
            },
        )
    };
    let report = with("slack");
    let header = report
        .findings
        .iter()
        .find(|f| f.path == "/spec/connectors/1/headers/Authorization")
        .expect("the secret header is a finding");
    assert_eq!(
        header.field.as_deref(),
        Some(&["connectors", "slack", "headers", "Authorization"].map(String::from)[..])
    );
    // A connector named by a token: the name is a found secret, shown by position.
    let t = token();
    let report = with(&t);
    let json = serde_json::to_string(&report).expect("json");
    assert!(!json.contains(&t), "{json}");
    let header = report
        .findings
        .iter()
        .find(|f| f.path == "/spec/connectors/1/headers/Authorization")
        .expect("the secret header is a finding");
    assert_eq!(
        header.field.as_deref().map(|f| f[1].as_str()),
        Some("#2"),
        "{header:?}"
    );
}

#[test]
fn one_input_format_type_reads_names_and_extensions() {
    use parapet_core::InputFormat;
    assert_eq!(InputFormat::from_extension(Some("JSON")), InputFormat::Json);
    assert_eq!(InputFormat::from_extension(Some("yml")), InputFormat::Yaml);
    assert_eq!(InputFormat::from_extension(Some("Yaml")), InputFormat::Yaml);
    assert_eq!(InputFormat::from_extension(Some("txt")), InputFormat::Auto);
    assert_eq!(InputFormat::from_extension(None), InputFormat::Auto);
    assert_eq!(InputFormat::parse("yml"), Some(InputFormat::Yaml));
    assert_eq!(InputFormat::parse("xml"), None);
}

/// What the edge did before `check_field`: a manifest whose settings hold the field whole and
/// each long word of it, evaluated; does any secret finding land under the settings?
fn probe_finds_a_secret(engine: &Engine, field: &str, text: &str) -> bool {
    let mut settings = serde_json::Map::new();
    settings.insert(field.into(), text.into());
    let words = text
        .split(|c: char| c.is_whitespace() || ",;()\"'<>[]{}`|".contains(c))
        .filter(|w| w.len() >= 16)
        .take(500);
    for (i, w) in words.enumerate() {
        settings.insert(format!("{field}.{i}"), w.into());
    }
    let probe = serde_json::json!({
        "apiVersion": "parapet.dev/v1",
        "kind": "MicroApp",
        "metadata": { "name": "free-text" },
        "spec": { "settings": settings },
    });
    let report = engine.evaluate(
        &probe.to_string(),
        &EvaluateOptions {
            format: parapet_core::InputFormat::Json,
            ..opts()
        },
    );
    report
        .findings
        .iter()
        .any(|f| f.rule == "secrets/plaintext-secret" && f.path.starts_with("/spec/settings/"))
}

#[test]
fn check_field_agrees_with_the_probe_manifest_it_replaces() {
    let engine = Engine::default();
    let t = token();
    let texts = [
        format!("the token is {t} ok"),
        t.clone(),
        "see https://stockbot:Wq9xT2vLp7Rz@sheets.googleapis.com/v4 for it".to_string(),
        "key: 8f3Kq2Lx9Vb7Nm4Rt6Yw1Zc5Hd0Jp3Sg2Qa9Ue7Xi4Ko".to_string(),
        "Please approve: we need it for the Q3 launch.".to_string(),
        "Rotate the password field before go-live; no secret here.".to_string(),
        "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8".to_string(),
        String::new(),
    ];
    for field in ["justification", "requester", "comment", "owner"] {
        for text in &texts {
            assert_eq!(
                !engine.check_field(field, text).is_empty(),
                probe_finds_a_secret(&engine, field, text),
                "{field}: {text}"
            );
        }
    }
    assert!(!engine.check_field("justification", &texts[0]).is_empty());
}

#[test]
fn a_digest_the_host_gives_is_the_reports_and_changes_nothing_else() {
    use parapet_core::{digest, InputDigest};
    let engine = Engine::default();
    let text = manifest("slack");
    let own = engine.evaluate(&text, &opts());
    assert_eq!(own.input.digest, digest(text.as_bytes()));
    // As a host with a native SHA-256 gives it: the same value, taken as is.
    let given = InputDigest::parse(&own.input.digest).expect("the engine's own form parses");
    let with = engine.evaluate(
        &text,
        &EvaluateOptions {
            input_digest: Some(given.clone()),
            ..opts()
        },
    );
    assert_eq!(
        serde_json::to_value(&with).expect("report"),
        serde_json::to_value(&own).expect("report")
    );
    // Not recomputed: what the host says is what the report carries.
    let other = InputDigest::parse(&digest(b"other bytes")).expect("digest");
    let told = engine.evaluate(
        &text,
        &EvaluateOptions {
            input_digest: Some(other.clone()),
            ..opts()
        },
    );
    assert_eq!(told.input.digest, other.as_str());
    // Bytes that do not read as text, too (the report of an unreadable input).
    let unreadable = engine.evaluate_bytes(
        b"\xff\xfe{",
        &EvaluateOptions {
            input_digest: Some(given),
            ..opts()
        },
    );
    assert_eq!(unreadable.input.digest, own.input.digest);
}

#[test]
fn an_input_digest_is_sha256_and_64_lowercase_hex_digits() {
    use parapet_core::InputDigest;
    let hex = "0123456789abcdef".repeat(4);
    assert!(InputDigest::parse(&format!("sha256:{hex}")).is_some());
    for bad in [
        hex.clone(),
        format!("sha256:{}", hex.to_uppercase()),
        format!("sha256:{}", &hex[1..]),
        format!("sha256:{hex}0"),
        format!("sha512:{hex}"),
        format!("SHA256:{hex}"),
        format!("sha256:{}g", &hex[1..]),
        format!(" sha256:{hex}"),
        String::new(),
    ] {
        assert!(InputDigest::parse(&bad).is_none(), "{bad:?}");
    }
}
