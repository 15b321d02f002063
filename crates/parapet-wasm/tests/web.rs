//! wasm-bindgen tests of the JS boundary, run in Node and in headless Chromium by
//! `scripts/test-wasm` (`cargo test --target wasm32-unknown-unknown -p parapet-wasm`, with
//! `WASM_BINDGEN_USE_BROWSER=1` for the browser run).
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use parapet_wasm::{rules, version, Engine};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: &str = "2026-11-28";
const EXAMPLES: &[(&str, &str)] = &[
    (
        "controlled-expense-report.yaml",
        include_str!("../../../examples/controlled-expense-report.yaml"),
    ),
    (
        "controlled-hr-bot.yaml",
        include_str!("../../../examples/controlled-hr-bot.yaml"),
    ),
    (
        "production-payments-sync.yaml",
        include_str!("../../../examples/production-payments-sync.yaml"),
    ),
    (
        "sandbox-marketing-leads.json",
        include_str!("../../../examples/sandbox-marketing-leads.json"),
    ),
    (
        "sandbox-prototype.yaml",
        include_str!("../../../examples/sandbox-prototype.yaml"),
    ),
];

fn options(json: &str) -> Option<JsValue> {
    Some(JSON::parse(json).expect("options JSON"))
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_str(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).map(String::from).unwrap_or_default()
}

fn native(text: &str, utf16: bool) -> String {
    let engine = parapet_core::Engine::default();
    let report = engine.evaluate(
        text,
        &parapet_core::EvaluateOptions {
            now: parapet_core::Date::parse(NOW),
            utf16,
            ..Default::default()
        },
    );
    serde_json::to_string(&report).unwrap_or_default()
}

/// The error's code, after checking that it is an `Error` named `ParapetError`.
fn error_code(e: JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
    assert_eq!(get_str(&e, "name"), "ParapetError");
    assert!(!get_str(&e, "message").is_empty());
    get_str(&e, "code")
}

fn still_works() {
    let engine = Engine::new(None).expect("default engine");
    let report = engine
        .evaluate(
            JsValue::from_str(EXAMPLES[1].1),
            options(r#"{"now":"2026-11-28"}"#),
        )
        .expect("report");
    assert_eq!(get_str(&report, "verdict"), "approval");
}

#[wasm_bindgen_test]
fn reports_equal_the_core_in_the_same_module() {
    let engine = Engine::new(None).expect("default engine");
    for (name, text) in EXAMPLES {
        for utf16 in [false, true] {
            let opts = options(&format!(r#"{{"now":"{NOW}","utf16":{utf16}}}"#));
            let report = engine
                .evaluate(JsValue::from_str(text), opts)
                .expect("report");
            assert_eq!(stringify(&report), native(text, utf16), "{name}");
        }
    }
}

#[wasm_bindgen_test]
fn bytes_and_objects_are_inputs_too() {
    let engine = Engine::new(None).expect("default engine");
    let (_, text) = EXAMPLES[3];
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    let from_bytes = engine
        .evaluate(bytes.into(), options(r#"{"now":"2026-11-28"}"#))
        .expect("report");
    assert_eq!(stringify(&from_bytes), native(text, false));
    let object = JSON::parse(text).expect("json example");
    let from_object = engine
        .evaluate(object, options(r#"{"now":"2026-11-28"}"#))
        .expect("report");
    assert_eq!(get(&from_object, "verdict"), get(&from_bytes, "verdict"));
}

#[wasm_bindgen_test]
fn a_digest_the_host_gives_is_the_reports() {
    let engine = Engine::new(None).expect("default engine");
    let (_, text) = EXAMPLES[3];
    let own = engine
        .evaluate(JsValue::from_str(text), options(r#"{"now":"2026-11-28"}"#))
        .expect("report");
    let own_digest = get_str(&get(&own, "input"), "digest");
    assert_eq!(own_digest, parapet_core::digest(text.as_bytes()));
    // The same digest given: the same report, byte for byte.
    let same = engine
        .evaluate(
            JsValue::from_str(text),
            options(&format!(
                r#"{{"now":"2026-11-28","digest":"{own_digest}"}}"#
            )),
        )
        .expect("report");
    assert_eq!(stringify(&same), stringify(&own));
    // Taken as given, not recomputed (the bytes path of the edge too).
    let other = parapet_core::digest(b"other bytes");
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    let told = engine
        .evaluate(
            bytes.into(),
            options(&format!(r#"{{"now":"2026-11-28","digest":"{other}"}}"#)),
        )
        .expect("report");
    assert_eq!(get_str(&get(&told, "input"), "digest"), other);
}

#[wasm_bindgen_test]
fn the_clock_gives_now_by_default() {
    let engine = Engine::new(None).expect("default engine");
    let today = String::from(js_sys::Date::new_0().to_iso_string());
    let today = &today[..10];
    for (_, text) in EXAMPLES {
        let a = engine
            .evaluate(JsValue::from_str(text), None)
            .expect("report");
        let b = engine
            .evaluate(
                JsValue::from_str(text),
                options(&format!(r#"{{"now":"{today}"}}"#)),
            )
            .expect("report");
        assert_eq!(stringify(&a), stringify(&b));
    }
}

#[wasm_bindgen_test]
fn wrong_arguments_are_parapet_errors_and_the_module_keeps_working() {
    let engine = Engine::new(None).expect("default engine");
    let bad: Vec<JsValue> = vec![
        JsValue::from_f64(42.0),
        JsValue::TRUE,
        JsValue::NULL,
        JsValue::UNDEFINED,
        js_sys::Symbol::for_("x").into(),
        js_sys::Function::new_no_args("return 1").into(),
        js_sys::Array::new().into(),
        js_sys::BigInt::from(7u32).into(),
    ];
    for value in bad {
        let e = engine
            .evaluate(value.clone(), None)
            .map(drop)
            .expect_err("an error");
        assert_eq!(error_code(e), "invalid_argument", "{value:?}");
        still_works();
    }
    for opts in [
        r#"{"nwo":"2026-11-28"}"#,
        r#"{"now":"2026-02-30"}"#,
        r#"{"format":"xml"}"#,
        r#"{"utf16":1}"#,
        r#"{"digest":"sha256:00"}"#,
        r#"{"digest":"0000000000000000000000000000000000000000000000000000000000000000"}"#,
        r#"{"digest":7}"#,
        "5",
        "[]",
    ] {
        let e = engine
            .evaluate(JsValue::from_str("a: 1"), options(opts))
            .map(drop)
            .expect_err("an error");
        assert_eq!(error_code(e), "invalid_argument", "{opts}");
        still_works();
    }
}

#[wasm_bindgen_test]
fn invalid_policies_are_parapet_errors_with_positions() {
    for policy in [
        "tiers: [",
        "tiers: 3\n",
        "rules:\n  config/cors-wildcard: loud\n",
    ] {
        let e = Engine::new(Some(JsValue::from_str(policy)))
            .map(drop)
            .expect_err("an error");
        assert_eq!(get_str(&e, "code"), "invalid_policy", "{policy}");
        assert!(get(&e, "line").as_f64().unwrap_or(0.0) >= 1.0);
        assert!(get(&e, "column").as_f64().unwrap_or(0.0) >= 1.0);
        assert!(js_sys::Array::is_array(&get(&e, "errors")));
        assert_eq!(error_code(e), "invalid_policy");
        still_works();
    }
    let e = Engine::new(Some(JsValue::from_f64(1.0)))
        .map(drop)
        .expect_err("an error");
    assert_eq!(error_code(e), "invalid_argument");
    still_works();
}

#[wasm_bindgen_test]
fn huge_input_is_input_too_large() {
    let engine = Engine::new(None).expect("default engine");
    let huge = "x".repeat(9 * 1024 * 1024);
    let e = engine
        .evaluate(JsValue::from_str(&huge), None)
        .map(drop)
        .expect_err("an error");
    assert_eq!(error_code(e), "input_too_large");
    let e = Engine::new(Some(JsValue::from_str(&huge)))
        .map(drop)
        .expect_err("an error");
    assert_eq!(error_code(e), "input_too_large");
    still_works();
}

#[wasm_bindgen_test]
fn catalogue_version_and_default_policy() {
    let catalogue = rules().expect("catalogue");
    let catalogue: js_sys::Array = catalogue.dyn_into().expect("an array");
    assert_eq!(catalogue.length() as usize, parapet_core::CATALOGUE.len());
    // Compared as JS values: serde_json writes the severity 5.0 where JS writes 5.
    let native = serde_json::to_string(parapet_core::CATALOGUE).unwrap_or_default();
    let native = JSON::parse(&native).expect("catalogue JSON");
    assert_eq!(stringify(&catalogue), stringify(&native));
    assert_eq!(version(), parapet_core::VERSION);
    assert_eq!(Engine::default_policy(), parapet_core::DEFAULT_PACK_YAML);
}
