//! The TypeScript types are generated from mirror types (`src/types.rs`); these native tests keep
//! the mirrors equal to what parapet-core reads and writes, so the `.d.ts` cannot drift:
//!
//! - every report core makes (examples and spec cases, with and without UTF-16 offsets), and
//!   every catalogue entry, round-trips through the mirror byte for byte;
//! - `Manifest` has exactly the fields, required fields and enum values of core's manifest
//!   schema, compared structurally (a serde probe walks the mirror, a walk of
//!   `parapet_core::unstable::manifest::MANIFEST` gives the schema);
//! - the built-in pack, the example pack of docs/policy-pack.md and the examples deserialize into
//!   the input mirrors.
//!
//! Run with `cargo test -p parapet-wasm` (scripts/test-wasm does).

#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use parapet_core::unstable::document::Limits;
use parapet_core::unstable::manifest::Shape;
use parapet_core::unstable::parse::{parse, Syntax};
use parapet_core::{Date, Engine, EvaluateOptions, CATALOGUE, DEFAULT_PACK_YAML};
use parapet_wasm::types;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

/// The examples and the core's spec cases: the inputs the parity tests use too.
fn inputs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect(&root().join("examples"), &mut files);
    collect(&root().join("crates/parapet-core/tests/cases"), &mut files);
    files
}

#[test]
fn reports_round_trip_through_the_mirror() {
    let files = inputs();
    assert!(files.len() >= 5, "expected the examples, found {files:?}");
    let engine = Engine::default();
    let mut checked = 0;
    for file in &files {
        let bytes = std::fs::read(file).expect("readable input");
        for utf16 in [false, true] {
            let options = EvaluateOptions {
                now: Date::parse("2026-11-28"),
                utf16,
                ..Default::default()
            };
            let report = engine.evaluate_bytes(&bytes, &options);
            let native = serde_json::to_string(&report).expect("serializable");
            let mirror: types::Report = serde_json::from_str(&native).unwrap_or_else(|e| {
                panic!(
                    "{}: the mirror Report cannot read core's report: {e}\n{native}",
                    file.display()
                )
            });
            let again = serde_json::to_string(&mirror).expect("serializable");
            assert_eq!(
                again,
                native,
                "{}: the mirror Report differs from core's",
                file.display()
            );
            checked += 1;
        }
    }
    // The mirror must also see every optional part of a report at least once.
    let all = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap_or_default();
            let options = EvaluateOptions {
                now: Date::parse("2026-11-28"),
                utf16: true,
                ..Default::default()
            };
            serde_json::to_string(&engine.evaluate_bytes(&bytes, &options)).unwrap_or_default()
        })
        .collect::<String>();
    for part in ["\"approval\":{", "\"utf16\":{", "\"classes\":[{"] {
        assert!(all.contains(part), "no input exercises {part}");
    }
    assert!(checked >= 10);
}

#[test]
fn catalogue_round_trips_through_the_mirror() {
    assert!(!CATALOGUE.is_empty());
    let native = serde_json::to_string(CATALOGUE).expect("serializable");
    let mirror: Vec<types::RuleMeta> =
        serde_json::from_str(&native).expect("mirror reads the catalogue");
    assert_eq!(
        serde_json::to_string(&mirror).expect("serializable"),
        native
    );
}

// ---- Manifest: the mirror's structure against core's schema -----------------------------------

/// Flattened structure: `spec.connectors[].auth` -> `enum:apiKey|basic|none|oauth2|secretRef?`
/// (a trailing `?` marks an optional field).
type Structure = BTreeMap<String, String>;

fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn schema_structure(shape: &Shape, path: &str, optional: bool, out: &mut Structure) {
    let kind = match shape {
        Shape::Any | Shape::StrOrList => "any".to_string(),
        Shape::Str | Shape::StrWith(..) | Shape::Date => "string".to_string(),
        // A one-value enum is a constant string (`apiVersion`, `kind`), typed as a literal.
        Shape::OneOf(values) if values.len() == 1 => "string".to_string(),
        Shape::OneOf(values) => {
            let mut v = values.to_vec();
            v.sort_unstable();
            format!("enum:{}", v.join("|"))
        }
        Shape::Bool => "bool".to_string(),
        Shape::Number | Shape::NumberOrNull => "number".to_string(),
        Shape::List(item) => {
            schema_structure(item, &format!("{path}[]"), false, out);
            "list".to_string()
        }
        Shape::MapOf(value) => {
            schema_structure(value, &format!("{path}{{}}"), false, out);
            "map".to_string()
        }
        Shape::Object(fields) => {
            for f in fields.iter() {
                schema_structure(f.shape, &child(path, f.name), !f.required, out);
            }
            "object".to_string()
        }
    };
    out.insert(
        path.to_string(),
        format!("{kind}{}", if optional { "?" } else { "" }),
    );
}

/// A serde `Deserializer` that records the structure of the type it deserializes.
#[derive(Clone, Copy)]
struct Probe<'a> {
    path: &'a str,
    kinds: &'a RefCell<BTreeMap<String, String>>,
    optional: &'a RefCell<std::collections::BTreeSet<String>>,
}

impl Probe<'_> {
    fn record(&self, kind: &str) {
        self.kinds
            .borrow_mut()
            .insert(self.path.to_string(), kind.to_string());
    }
}

#[derive(Debug)]
struct ProbeError(String);
impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for ProbeError {}
impl de::Error for ProbeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ProbeError(msg.to_string())
    }
}

macro_rules! probe_scalar {
    ($($method:ident => $kind:literal, $visit:ident($value:expr);)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
            self.record($kind);
            visitor.$visit($value)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = ProbeError;

    probe_scalar! {
        deserialize_any => "any", visit_str("");
        deserialize_bool => "bool", visit_bool(false);
        deserialize_i8 => "number", visit_i8(0);
        deserialize_i16 => "number", visit_i16(0);
        deserialize_i32 => "number", visit_i32(0);
        deserialize_i64 => "number", visit_i64(0);
        deserialize_u8 => "number", visit_u8(0);
        deserialize_u16 => "number", visit_u16(0);
        deserialize_u32 => "number", visit_u32(0);
        deserialize_u64 => "number", visit_u64(0);
        deserialize_f32 => "number", visit_f32(0.0);
        deserialize_f64 => "number", visit_f64(0.0);
        deserialize_char => "string", visit_char('x');
        deserialize_str => "string", visit_str("");
        deserialize_string => "string", visit_str("");
        deserialize_bytes => "bytes", visit_bytes(&[]);
        deserialize_byte_buf => "bytes", visit_bytes(&[]);
        deserialize_unit => "null", visit_str("");
        deserialize_identifier => "string", visit_str("");
        deserialize_ignored_any => "any", visit_str("");
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.optional.borrow_mut().insert(self.path.to_string());
        visitor.visit_some(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.record("list");
        let path = format!("{}[]", self.path);
        visitor.visit_seq(OneItem {
            probe: Some(Probe {
                path: &path,
                ..self
            }),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.record("map");
        let path = format!("{}{{}}", self.path);
        visitor.visit_map(Fields {
            probe: Probe {
                path: &path,
                ..self
            },
            names: &["key"],
            next: 0,
            map: true,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.record("object");
        visitor.visit_map(Fields {
            probe: self,
            names: fields,
            next: 0,
            map: false,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let mut v = variants.to_vec();
        v.sort_unstable();
        self.record(&format!("enum:{}", v.join("|")));
        let first: de::value::StrDeserializer<'_, ProbeError> = variants[0].into_deserializer();
        visitor.visit_enum(first)
    }
}

struct OneItem<'a> {
    probe: Option<Probe<'a>>,
}

impl<'de> de::SeqAccess<'de> for OneItem<'_> {
    type Error = ProbeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ProbeError> {
        match self.probe.take() {
            Some(p) => seed.deserialize(p).map(Some),
            None => Ok(None),
        }
    }
}

struct Fields<'a> {
    probe: Probe<'a>,
    names: &'static [&'static str],
    next: usize,
    map: bool,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = ProbeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ProbeError> {
        match self.names.get(self.next) {
            Some(name) => {
                let key: de::value::StrDeserializer<'_, ProbeError> = name.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ProbeError> {
        let name = self.names[self.next];
        self.next += 1;
        let path = if self.map {
            self.probe.path.to_string()
        } else {
            child(self.probe.path, name)
        };
        seed.deserialize(Probe {
            path: &path,
            ..self.probe
        })
    }
}

fn mirror_structure<T: for<'de> Deserialize<'de>>() -> Structure {
    let kinds = RefCell::new(BTreeMap::new());
    let optional = RefCell::new(std::collections::BTreeSet::new());
    let probe = Probe {
        path: "",
        kinds: &kinds,
        optional: &optional,
    };
    T::deserialize(probe).unwrap_or_else(|e| panic!("probe failed: {e}"));
    let optional = optional.into_inner();
    kinds
        .into_inner()
        .into_iter()
        .map(|(path, kind)| {
            let mark = if optional.contains(&path) { "?" } else { "" };
            (path, format!("{kind}{mark}"))
        })
        .collect()
}

#[test]
fn manifest_mirror_has_the_schema_structure() {
    let mut schema = Structure::new();
    schema_structure(
        &parapet_core::unstable::manifest::MANIFEST,
        "",
        false,
        &mut schema,
    );
    let mirror = mirror_structure::<types::Manifest>();
    let only_schema: Vec<_> = schema
        .iter()
        .filter(|(k, v)| mirror.get(*k) != Some(v))
        .collect();
    let only_mirror: Vec<_> = mirror
        .iter()
        .filter(|(k, v)| schema.get(*k) != Some(v))
        .collect();
    assert!(
        only_schema.is_empty() && only_mirror.is_empty(),
        "types::Manifest differs from core's manifest schema\n  schema: {only_schema:#?}\n  mirror: {only_mirror:#?}"
    );
    assert!(schema.len() > 60, "schema walk too small: {}", schema.len());
}

#[test]
fn the_probe_sees_a_drift() {
    // A mirror with a missing field, an extra field and a wrong enum must not pass.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Drifted {
        #[serde(rename = "apiVersion")]
        api_version: String,
        kind: Option<String>,
        extra: String,
        tier: types::Level,
    }
    let s = mirror_structure::<Drifted>();
    assert_eq!(s.get("kind").map(String::as_str), Some("string?"));
    assert_eq!(s.get("extra").map(String::as_str), Some("string"));
    assert_eq!(
        s.get("tier").map(String::as_str),
        Some("enum:approval|deny|info|off|warn")
    );
    let mut schema = Structure::new();
    schema_structure(
        &parapet_core::unstable::manifest::MANIFEST,
        "",
        false,
        &mut schema,
    );
    assert_ne!(s, schema);
}

// ---- input documents --------------------------------------------------------------------------

fn to_json(text: &str) -> serde_json::Value {
    parse(text, Syntax::Auto, &Limits::default())
        .map(|p| p.root.to_json())
        .unwrap_or_else(|e| panic!("unparsable: {}", e.message))
}

#[test]
fn valid_manifests_fit_the_manifest_type() {
    // Every input core reads without a schema or syntax finding fits the TypeScript type: the
    // type is never stricter than the engine.
    let engine = Engine::default();
    let mut fitted = 0;
    for file in inputs() {
        let text = std::fs::read_to_string(&file).expect("readable");
        let report = engine.evaluate(&text, &EvaluateOptions::default());
        // Vendor exports (n8n, Node-RED, ...) are read by adapters, not as manifests.
        if report.input.format != "parapet"
            || report
                .findings
                .iter()
                .any(|f| f.rule.starts_with("manifest/"))
        {
            continue;
        }
        if let Err(e) = serde_json::from_value::<types::Manifest>(to_json(&text)) {
            panic!("{}: does not fit types::Manifest: {e}", file.display());
        }
        fitted += 1;
    }
    assert!(fitted >= 3, "only {fitted} valid manifests");
}

const DESIGN_PACK: &str = r#"apiVersion: parapet.dev/v1
kind: PolicyPack
metadata: { name: retailco, version: "2026.11" }
tiers:
  sandbox:    { maxDataClass: internal,     budgetCapMonthly: 25,  reviewEveryDays: null }
  controlled: { maxDataClass: confidential, budgetCapMonthly: 500, reviewEveryDays: 90 }
  production: { maxDataClass: restricted,   budgetCapMonthly: null, reviewEveryDays: 30 }
connectors:
  business: [slack, google-sheets, microsoft-teams, sharepoint]
  blocked: [pastebin]
  unknown: external
endpoints:
  - { allow: "*.corp.example" }
  - { deny: "*.ngrok.io" }
rules:
  config/cors-wildcard: { sandbox: warn }
  lifecycle/review-overdue: off
secrets:
  allow: ["^EXAMPLE_", "^dummy"]
approvals:
  routes: { "integration/*": integration-review, "*": security-review }
"#;

#[test]
fn packs_fit_the_policy_pack_type_and_compile() {
    for (name, text) in [
        ("default", DEFAULT_PACK_YAML),
        ("docs/policy-pack.md", DESIGN_PACK),
    ] {
        let json = to_json(text);
        let pack: types::PolicyPack = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{name} pack does not fit types::PolicyPack: {e}"));
        // What the mirror writes back is a pack core accepts, equal to the original.
        let text = serde_json::to_string(&pack).expect("serializable");
        let a = Engine::from_policy_text(&text).map(|e| e.pack().clone());
        let b = Engine::from_policy_text(&serde_json::to_string(&json).expect("json"))
            .map(|e| e.pack().clone());
        assert!(a.is_ok(), "{name}: {a:?}");
        assert_eq!(a, b, "{name}: the mirror changed the pack");
    }
    // And a pack field the mirror does not know is refused.
    let bad =
        serde_json::json!({ "tiers": { "sandbox": { "maxDataClass": "public", "budget": 1 } } });
    assert!(serde_json::from_value::<types::PolicyPack>(bad).is_err());
}

#[test]
fn boundary_types_match_core() {
    // EvaluateOptions::FIELDS names every field of the struct.
    let all = types::EvaluateOptions {
        now: Some("2026-11-28".into()),
        format: Some(types::InputFormat::Auto),
        utf16: Some(true),
        tier: Some(types::Tier::Controlled),
        digest: Some(format!("sha256:{}", "0".repeat(64))),
    };
    let json = serde_json::to_value(&all).expect("serializable");
    let keys: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut fields = types::EvaluateOptions::FIELDS.to_vec();
    fields.sort_unstable();
    assert_eq!(keys, fields);
    // Every input format the type offers is one core reads.
    for f in [
        types::InputFormat::Auto,
        types::InputFormat::Json,
        types::InputFormat::Yaml,
    ] {
        let name = serde_json::to_value(f).expect("serializable");
        let name = name.as_str().unwrap_or_default().to_string();
        assert!(parapet_core::InputFormat::parse(&name).is_some(), "{name}");
    }
    // Error codes serialize as the strings put on the JS error.
    for c in [
        types::ErrorCode::InvalidPolicy,
        types::ErrorCode::InvalidArgument,
        types::ErrorCode::InputTooLarge,
        types::ErrorCode::NotInitialized,
        types::ErrorCode::PolicyFetch,
        types::ErrorCode::Internal,
    ] {
        assert_eq!(serde_json::to_value(c).expect("serializable"), c.as_str());
    }
    // Levels, tiers, sensitivities and verdicts: the same strings as core.
    for l in parapet_core::Level::ALL {
        let v = serde_json::to_value(l).expect("serializable");
        assert!(serde_json::from_value::<types::Level>(v).is_ok());
    }
    for t in parapet_core::Tier::ALL {
        let v = serde_json::to_value(t).expect("serializable");
        assert!(serde_json::from_value::<types::Tier>(v).is_ok());
    }
    for s in parapet_core::Sensitivity::ALL {
        let v = serde_json::to_value(s).expect("serializable");
        assert!(serde_json::from_value::<types::Sensitivity>(v).is_ok());
    }
    assert_eq!(mirror_structure::<types::Level>().len(), 1);
    assert_eq!(
        mirror_structure::<types::Level>().get(""),
        Some(&"enum:approval|deny|info|off|warn".to_string())
    );
    assert_eq!(
        mirror_structure::<types::Verdict>().get(""),
        Some(&"enum:allow|approval|deny|warn".to_string())
    );
}

#[test]
fn rule_ids_declaration_lists_the_registry() {
    // `RuleIds` in the .d.ts: one `readonly Name: "id";` line per rule, in registry order, with
    // the registry's names (what `ruleIds()` returns at run time).
    let declared: Vec<(String, String)> = types::RULE_IDS_TS
        .lines()
        .filter_map(|l| l.trim().strip_prefix("readonly "))
        .filter_map(|l| {
            let (name, id) = l.split_once(": ")?;
            let id = id.strip_suffix(';')?.trim_matches('"');
            Some((name.to_string(), id.to_string()))
        })
        .collect();
    let registry: Vec<(String, String)> = parapet_core::Rule::ALL
        .iter()
        .map(|r| (format!("{r:?}"), r.id().to_string()))
        .collect();
    assert_eq!(declared, registry);
    assert_eq!(registry.len(), CATALOGUE.len());
}

#[test]
fn text_secrets_cross_with_js_offsets_and_core_fields() {
    // Core's hit (byte offsets plus UTF-16) becomes the JS type (UTF-16 offsets only): every
    // other field as core serializes it, the confidence among the mirror's values.
    let token = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");
    let text = format!("Grüße 👋 the token is {token} ok");
    let hits = Engine::default().check_text(&text);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let core = serde_json::to_value(&hits[0]).expect("serializable");
    let js = serde_json::to_value(types::TextSecret::from(hits[0].clone())).expect("serializable");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let (start, end) = (
        js["start"].as_u64().unwrap_or(0),
        js["end"].as_u64().unwrap_or(0),
    );
    assert_eq!(
        String::from_utf16_lossy(&utf16[start as usize..end as usize]),
        token
    );
    for key in ["kind", "name", "redacted", "reason", "confidence"] {
        assert_eq!(js[key], core[key], "{key}");
    }
    let mut js_keys: Vec<&String> = js
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    js_keys.sort();
    assert_eq!(
        js_keys,
        [
            "confidence",
            "end",
            "kind",
            "name",
            "reason",
            "redacted",
            "start"
        ]
    );
    assert!(!js.to_string().contains(&token[5..]), "{js}");
    // Every confidence core can give has a mirror value.
    for c in parapet_core::Confidence::ALL {
        let v = serde_json::to_value(c).expect("serializable");
        assert!(
            serde_json::from_value::<types::Confidence>(v).is_ok(),
            "{c:?}"
        );
    }
}
