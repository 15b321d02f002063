//! Bad input never panics: each gives a clear `manifest/syntax` or `manifest/schema` finding,
//! in bounded time and memory.

use std::time::{Duration, Instant};

use parapet_core::{Engine, EvaluateOptions, Level, Report, Verdict};

fn eval(bytes: &[u8]) -> (Report, Duration) {
    let engine = Engine::default();
    let start = Instant::now();
    let report = engine.evaluate_bytes(bytes, &EvaluateOptions::default());
    (report, start.elapsed())
}

fn only_finding<'a>(r: &'a Report, rule: &str) -> &'a parapet_core::report::Finding {
    let f = r.findings.iter().find(|f| f.rule == rule);
    f.unwrap_or_else(|| panic!("expected a {rule} finding, got {:#?}", r.findings))
}

#[test]
fn malformed_yaml_points_at_the_error() {
    let (r, _) =
        eval(b"apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: x\nspec: {}\n");
    let f = only_finding(&r, "manifest/syntax");
    assert_eq!(r.verdict, Verdict::Deny);
    assert_eq!(f.level, Level::Deny);
    assert!(f.location.line >= 3, "{:?}", f.location);
    assert_eq!(r.findings.len(), 1);
}

#[test]
fn malformed_json_points_at_the_error() {
    let (r, _) = eval(b"{\n  \"apiVersion\": \"parapet.dev/v1\",\n  \"kind\": \"MicroApp\",,\n}");
    let f = only_finding(&r, "manifest/syntax");
    assert_eq!((f.location.line, f.location.column), (3, 22));
    assert!(f.message.contains("expected a string key"), "{}", f.message);
}

#[test]
fn bom_is_accepted_with_correct_locations() {
    let text = "\u{feff}apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: bom-app }\nspec: { tier: sandbox, owner: user:x, surprise: 1 }\n";
    let (r, _) = eval(text.as_bytes());
    assert!(
        r.findings.iter().all(|f| f.rule != "manifest/syntax"),
        "{:#?}",
        r.findings
    );
    let f = only_finding(&r, "manifest/schema");
    assert_eq!(f.level, Level::Warn, "unknown fields warn");
    assert_eq!(f.location.line, 4);
    let json = "\u{feff}{\"apiVersion\": \"parapet.dev/v1\", \"kind\": \"MicroApp\", \"metadata\": {\"name\": \"b\"}, \"spec\": {\"tier\": \"sandbox\", \"x\": 1}}";
    let (r, _) = eval(json.as_bytes());
    assert!(
        r.findings.iter().all(|f| f.rule != "manifest/syntax"),
        "{:#?}",
        r.findings
    );
}

#[test]
fn duplicate_keys_are_reported_in_yaml_and_json() {
    let (r, _) = eval(b"apiVersion: parapet.dev/v1\nkind: MicroApp\nkind: MicroApp\nmetadata: { name: d }\nspec: { tier: sandbox }\n");
    let f = only_finding(&r, "manifest/syntax");
    assert_eq!(f.location.line, 3);
    assert!(
        f.message.contains("first defined on line 2"),
        "{}",
        f.message
    );
    let (r, _) = eval(br#"{"apiVersion": "parapet.dev/v1", "kind": "MicroApp", "metadata": {"name": "d", "name": "e"}, "spec": {"tier": "sandbox"}}"#);
    assert!(only_finding(&r, "manifest/syntax")
        .message
        .contains("duplicate key \"name\""));
}

#[test]
fn deep_nesting_is_bounded() {
    for open in [&b"["[..], b"{\"a\":", b"- "] {
        let mut text = Vec::new();
        for _ in 0..100_000 {
            text.extend_from_slice(open);
        }
        let (r, took) = eval(&text);
        let f = only_finding(&r, "manifest/syntax");
        assert!(
            f.message.contains("nesting is deeper than"),
            "{}",
            f.message
        );
        assert!(took < Duration::from_secs(5), "took {took:?}");
    }
    // YAML flow nesting too.
    let text = "a: ".to_string() + &"[".repeat(100_000);
    let (r, _) = eval(text.as_bytes());
    assert_eq!(r.verdict, Verdict::Deny);
}

#[test]
fn oversized_input_is_refused_quickly() {
    let mut big = b"apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: big }\nspec:\n  settings:\n    blob: \"".to_vec();
    big.resize(50 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"\n");
    let (r, took) = eval(&big);
    let f = only_finding(&r, "manifest/syntax");
    assert!(f.message.contains("over the limit"), "{}", f.message);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn alias_bomb_is_defused() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    let (r, took) = eval(bomb.as_bytes());
    let f = only_finding(&r, "manifest/syntax");
    assert!(f.message.contains("alias"), "{}", f.message);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn invalid_utf8_is_a_syntax_finding_at_its_position() {
    let mut bytes = b"apiVersion: parapet.dev/v1\nkind: Micro".to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"App\n");
    let (r, _) = eval(&bytes);
    let f = only_finding(&r, "manifest/syntax");
    assert!(f.message.contains("not valid UTF-8"), "{}", f.message);
    assert_eq!((f.location.line, f.location.column), (2, 12));
}

#[test]
fn one_megabyte_single_line_string_is_fine() {
    let mut text = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: long }\nspec:\n  tier: sandbox\n  settings:\n    note: \"".to_string();
    text.push_str(&"lorem ipsum ".repeat(90_000));
    text.push_str("\"\n");
    let (r, took) = eval(text.as_bytes());
    assert!(
        r.findings.iter().all(|f| f.rule != "manifest/syntax"),
        "{:#?}",
        r.findings
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn wrong_shapes_are_schema_findings() {
    for text in [
        "42",
        "[1, 2]",
        "just a string",
        "",
        "~",
        "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: []\nspec: 3\n",
    ] {
        let (r, _) = eval(text.as_bytes());
        assert_eq!(r.verdict, Verdict::Deny, "{text:?}");
        assert!(
            r.findings.iter().any(|f| f.rule == "manifest/schema"),
            "{text:?}: {:#?}",
            r.findings
        );
    }
}

#[test]
fn extra_documents_are_reported_not_dropped() {
    let (r, _) = eval(b"apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: one }\nspec: { tier: sandbox }\n---\nkind: Other\n");
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "manifest/schema" && f.message.contains("more than one YAML document")));
}

#[test]
fn secrets_pasted_into_names_and_keys_never_reach_messages_or_pointers() {
    let token = ["xoxb", "2048", "1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx"].join("-");
    let text = format!(
        "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: {{ name: leak }}\nspec:\n  tier: controlled\n  {token}: 1\n  connectors:\n    - name: \"{token}\"\n      service: airtable\n  triggers:\n    - {{ name: \"{token}\", type: webhook, public: true, auth: none }}\n"
    );
    let (r, _) = eval(text.as_bytes());
    let json = serde_json::to_string(&r).expect("json");
    assert!(!json.contains(&token), "a full secret leaked: {json}");
    for rule in [
        "manifest/schema",
        "integration/external-connector",
        "config/unauthenticated-trigger",
        "secrets/plaintext-secret",
    ] {
        assert!(
            r.findings.iter().any(|f| f.rule == rule),
            "expected {rule}: {:#?}",
            r.findings
        );
    }
}
