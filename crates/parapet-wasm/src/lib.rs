//! Parapet's engine for JavaScript: the npm package `parapet`.
//!
//! A thin wasm-bindgen layer over `parapet-core` with no policy logic of its own. It converts
//! JS arguments into text and options, calls the core engine, and returns the core's Report v1
//! as a plain JS object. Every failure crosses the boundary as an `Error` named `ParapetError`
//! with a `code` (see [`types::ErrorCode`]); nothing here panics, so the module keeps working
//! after any error.
//!
//! The TypeScript types in the generated `.d.ts` come from [`types`]. The yew widget joins this
//! crate behind the `widget` feature (module `widget`).

pub mod types;

/// talc instead of std's dlmalloc: 7 KB smaller raw (3 KB gzip), and no slower on the bench.
/// Safe to use as the global allocator: wasm32-unknown-unknown without atomics is single-threaded.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use parapet_core::unstable::document::Limits;
use types::{ErrorCode, ParapetError, PolicyProblem};

/// A policy pack compiled once and reused for every `evaluate` call.
#[wasm_bindgen]
pub struct Engine {
    inner: parapet_core::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Compiles a policy pack: YAML or JSON text, or a pack object. Without one, the built-in
    /// default pack. A pack is merged over the default field by field.
    ///
    /// Throws a `ParapetError` with code `invalid_policy` (with `line`, `column`, `pointer` and
    /// every problem in `errors`), `invalid_argument` or `input_too_large`. For a pack object
    /// the positions refer to `JSON.stringify(pack, null, 2)`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "string | PolicyPack | null")]
        policy: Option<JsValue>,
    ) -> Result<Engine, JsValue> {
        let inner = match policy {
            None => parapet_core::Engine::default(),
            Some(value) => {
                let text = match document_text(&value, "policy")? {
                    Document::Text(text) => text,
                    Document::Bytes(bytes) => String::from_utf8(bytes).map_err(|e| {
                        failure(
                            ErrorCode::InvalidPolicy,
                            format!("the policy is not valid UTF-8 ({e})"),
                        )
                    })?,
                };
                parapet_core::Engine::from_policy_text(&text).map_err(policy_failure)?
            }
        };
        Ok(Engine { inner })
    }

    /// Evaluates a manifest: YAML or JSON text, its UTF-8 bytes, or a manifest object.
    ///
    /// Returns Report v1. A manifest that cannot be read is a report (rule `manifest/syntax`),
    /// not an error. For an object the report's locations and input digest refer to
    /// `JSON.stringify(manifest, null, 2)`.
    ///
    /// Throws a `ParapetError` with code `invalid_argument` (wrong argument type, bad option)
    /// or `input_too_large` (over 8 MiB).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "string | Uint8Array | Manifest | Record<string, unknown>"
        )]
        manifest: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.report(manifest, options)?)
    }

    /// `evaluate`, with the report as JSON text: exactly
    /// `JSON.stringify(engine.evaluate(manifest, options))`, made in one step. For hosts that
    /// pass the report on (an HTTP answer, a file, a message): it skips building the report's
    /// JavaScript objects only to serialise them again.
    ///
    /// Throws as `evaluate` does.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "string | Uint8Array | Manifest | Record<string, unknown>"
        )]
        manifest: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<String, JsValue> {
        to_json(&self.report(manifest, options)?)
    }

    /// `evaluateJson`, with the JSON text as UTF-8 bytes: exactly
    /// `new TextEncoder().encode(engine.evaluateJson(manifest, options))`. For hosts that
    /// send the report on as bytes (an HTTP body: `new Response(bytes)`), it skips decoding
    /// the text into a JavaScript string only for it to be encoded again.
    ///
    /// Throws as `evaluate` does.
    #[wasm_bindgen(js_name = evaluateJsonBytes)]
    pub fn evaluate_json_bytes(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "string | Uint8Array | Manifest | Record<string, unknown>"
        )]
        manifest: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<Vec<u8>, JsValue> {
        self.evaluate_json(manifest, options)
            .map(String::into_bytes)
    }

    /// The compiled pack's name and digest: exactly the `policy` of every report this engine
    /// makes, without evaluating anything.
    #[wasm_bindgen(unchecked_return_type = "PolicyRef")]
    pub fn policy(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.policy())
    }

    /// The secrets in free text (a justification, a comment, a query parameter): where each is,
    /// its kind and its redacted form, never the secret itself. The pack's `secrets.allow`
    /// applies. Empty when there is none.
    ///
    /// `field` names the field the text was typed into (`"justification"`, `"comment"`): the
    /// text is then judged as the value of a manifest setting of that name would be (a
    /// `comment` is prose, a `password` is a secret's place). Without it, as under a neutral
    /// field.
    ///
    /// Throws a `ParapetError` with code `invalid_argument` (not a string; a field name that is
    /// not a string of 1 to 200 characters) or `input_too_large` (over 8 MiB).
    #[wasm_bindgen(js_name = checkText, unchecked_return_type = "TextSecret[]")]
    pub fn check_text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] field: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let Some(s) = text.dyn_ref::<js_sys::JsString>() else {
            return Err(failure(
                ErrorCode::InvalidArgument,
                format!("expected the text as a string, not {}", js_type_name(&text)),
            ));
        };
        let field = match field {
            Some(f) if !f.is_null() && !f.is_undefined() => Some(field_name(&f)?),
            _ => None,
        };
        let max = max_bytes();
        let units = s.length() as usize;
        if units > max {
            return Err(too_large("text", units));
        }
        let text = String::from(s);
        if text.len() > max {
            return Err(too_large("text", text.len()));
        }
        let found = match &field {
            Some(name) => self.inner.check_field(name, &text),
            None => self.inner.check_text(&text),
        };
        let hits: Vec<types::TextSecret> = found.into_iter().map(types::TextSecret::from).collect();
        to_js(&hits)
    }

    /// The built-in default policy pack, as YAML text.
    #[wasm_bindgen(js_name = defaultPolicy)]
    pub fn default_policy() -> String {
        parapet_core::DEFAULT_PACK_YAML.to_string()
    }
}

/// The rule catalogue, with each rule's documentation (for UIs).
#[wasm_bindgen(unchecked_return_type = "RuleMeta[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    to_js(parapet_core::CATALOGUE)
}

/// Every rule id by its name in the rule registry, e.g. `ruleIds().ManifestSyntax` is
/// `"manifest/syntax"`, in catalogue order, as a frozen object. Hosts compare `finding.rule` with
/// these rather than write rule ids by hand.
#[wasm_bindgen(js_name = ruleIds, unchecked_return_type = "RuleIds")]
pub fn rule_ids() -> JsValue {
    let ids = js_sys::Object::new();
    for rule in parapet_core::Rule::ALL {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(
            &ids,
            &JsValue::from_str(&format!("{rule:?}")),
            &JsValue::from_str(rule.id()),
        );
    }
    js_sys::Object::freeze(&ids).into()
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    parapet_core::VERSION.to_string()
}

// ---- arguments --------------------------------------------------------------------------------

enum Document {
    Text(String),
    Bytes(Vec<u8>),
}

/// The largest document the engine accepts, in UTF-8 bytes.
fn max_bytes() -> usize {
    Limits::default().max_input_bytes
}

fn too_large(what: &str, size: usize) -> JsValue {
    failure(
        ErrorCode::InputTooLarge,
        format!(
            "the {what} is over the limit of {} bytes ({size} or more)",
            max_bytes()
        ),
    )
}

impl Engine {
    /// The report for `evaluate` and `evaluateJson` (and so `evaluateJsonBytes`).
    fn report(
        &self,
        manifest: JsValue,
        options: Option<JsValue>,
    ) -> Result<parapet_core::Report, JsValue> {
        let options = evaluate_options(options)?;
        Ok(match document_text(&manifest, "manifest")? {
            Document::Text(text) => self.inner.evaluate(&text, &options),
            Document::Bytes(bytes) => self.inner.evaluate_bytes(&bytes, &options),
        })
    }
}

/// The text of a document argument: a string, UTF-8 bytes, or a plain object (as JSON text).
fn document_text(value: &JsValue, what: &str) -> Result<Document, JsValue> {
    let max = max_bytes();
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        // A string's UTF-8 length is at least its UTF-16 length: reject before copying it in.
        let units = s.length() as usize;
        if units > max {
            return Err(too_large(what, units));
        }
        let text = String::from(s);
        if text.len() > max {
            return Err(too_large(what, text.len()));
        }
        return Ok(Document::Text(text));
    }
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        let len = bytes.length() as usize;
        if len > max {
            return Err(too_large(what, len));
        }
        return Ok(Document::Bytes(bytes.to_vec()));
    }
    if value.is_object()
        && !js_sys::Array::is_array(value)
        && value.dyn_ref::<js_sys::Function>().is_none()
    {
        let json = js_sys::JSON::stringify_with_replacer_and_space(
            value,
            &JsValue::NULL,
            &JsValue::from_f64(2.0),
        )
        .map_err(|e| {
            failure(
                ErrorCode::InvalidArgument,
                format!(
                    "the {what} object cannot be converted to JSON: {}",
                    describe_error(&e)
                ),
            )
        })?;
        // `JSON.stringify` answers `undefined` for an object whose `toJSON` does.
        if !json.is_string() {
            return Err(failure(
                ErrorCode::InvalidArgument,
                format!("the {what} object has no JSON form"),
            ));
        }
        let units = json.length() as usize;
        if units > max {
            return Err(too_large(what, units));
        }
        let text = String::from(json);
        if text.len() > max {
            return Err(too_large(what, text.len()));
        }
        return Ok(Document::Text(text));
    }
    Err(failure(
        ErrorCode::InvalidArgument,
        format!(
            "expected the {what} as a string, a Uint8Array or an object, not {}",
            js_type_name(value)
        ),
    ))
}

/// `checkText`'s field name: a string of 1 to 200 characters.
fn field_name(value: &JsValue) -> Result<String, JsValue> {
    match value.as_string() {
        Some(name) if (1..=200).contains(&name.chars().count()) => Ok(name),
        Some(_) => Err(failure(
            ErrorCode::InvalidArgument,
            "expected the field name as a string of 1 to 200 characters".into(),
        )),
        None => Err(failure(
            ErrorCode::InvalidArgument,
            format!(
                "expected the field name as a string, not {}",
                js_type_name(value)
            ),
        )),
    }
}

fn evaluate_options(options: Option<JsValue>) -> Result<parapet_core::EvaluateOptions, JsValue> {
    let given: types::EvaluateOptions = match options {
        None => types::EvaluateOptions::default(),
        Some(value) => {
            if !value.is_object()
                || js_sys::Array::is_array(&value)
                || value.dyn_ref::<js_sys::Function>().is_some()
            {
                return Err(failure(
                    ErrorCode::InvalidArgument,
                    format!(
                        "expected the options as an object, not {}",
                        js_type_name(&value)
                    ),
                ));
            }
            // serde_wasm_bindgen reads only the fields it knows: name any other one here, so
            // that a typo such as `nwo` is an error rather than silently ignored.
            let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
            for key in keys.iter() {
                let key = key.as_string().unwrap_or_default();
                if !types::EvaluateOptions::FIELDS.contains(&key.as_str()) {
                    return Err(failure(
                        ErrorCode::InvalidArgument,
                        format!(
                            "invalid options: unknown option {key:?}, expected one of {}",
                            types::EvaluateOptions::FIELDS.join(", ")
                        ),
                    ));
                }
            }
            serde_wasm_bindgen::from_value(value).map_err(|e| {
                let message = e.to_string();
                let message = message.strip_prefix("Error: ").unwrap_or(&message);
                failure(
                    ErrorCode::InvalidArgument,
                    format!("invalid options: {message}"),
                )
            })?
        }
    };
    let now = match given.now {
        Some(s) => Some(parapet_core::Date::parse(&s).ok_or_else(|| {
            failure(
                ErrorCode::InvalidArgument,
                format!("invalid options: now must be a date as YYYY-MM-DD, not {s:?}"),
            )
        })?),
        None => Some(today()),
    };
    let input_digest = match given.digest {
        Some(s) => Some(parapet_core::InputDigest::parse(&s).ok_or_else(|| {
            failure(
                ErrorCode::InvalidArgument,
                format!(
                    "invalid options: digest must be \"sha256:\" and 64 lowercase hex digits, not {:?}",
                    parapet_core::unstable::truncate(&s, 80)
                ),
            )
        })?),
        None => None,
    };
    let format = match given.format {
        None | Some(types::InputFormat::Auto) => parapet_core::InputFormat::Auto,
        Some(types::InputFormat::Json) => parapet_core::InputFormat::Json,
        Some(types::InputFormat::Yaml) => parapet_core::InputFormat::Yaml,
    };
    Ok(parapet_core::EvaluateOptions {
        now,
        format,
        utf16: given.utf16.unwrap_or(false),
        limits: Limits::default(),
        tier: given.tier.map(|t| match t {
            types::Tier::Sandbox => parapet_core::Tier::Sandbox,
            types::Tier::Controlled => parapet_core::Tier::Controlled,
            types::Tier::Production => parapet_core::Tier::Production,
        }),
        field_names: false,
        input_digest,
    })
}

/// Today's UTC date from the JS clock: the only clock Parapet reads, here at the boundary.
fn today() -> parapet_core::Date {
    let d = js_sys::Date::new_0();
    parapet_core::Date {
        year: d.get_utc_full_year() as i32,
        month: (d.get_utc_month() + 1) as u8,
        day: d.get_utc_date() as u8,
    }
}

fn js_type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
        "an array".into()
    } else {
        let t = value.js_typeof().as_string().unwrap_or_default();
        match t.as_str() {
            "undefined" => "undefined".into(),
            "object" => "an object".into(),
            "symbol" => "a symbol".into(),
            "function" => "a function".into(),
            "bigint" => "a bigint".into(),
            "number" => "a number".into(),
            "boolean" => "a boolean".into(),
            other => format!("a {other}"),
        }
    }
}

fn describe_error(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| js_type_name(e))
}

// ---- results and errors -----------------------------------------------------------------------

/// Converts to a plain JS value: objects, arrays, `null` for `None`, exactly as `JSON.parse`
/// makes them, because it is `JSON.parse` of the value's JSON text. One string crosses the
/// boundary instead of a call per field: measured faster than building the objects from Rust
/// (`serde_wasm_bindgen`), and one serialiser (serde_json's) in the module instead of two.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = to_json(value)?;
    js_sys::JSON::parse(&text).map_err(|e| {
        failure(
            ErrorCode::Internal,
            format!("cannot convert the result: {}", describe_error(&e)),
        )
    })
}

/// The value's JSON text.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| {
        failure(
            ErrorCode::Internal,
            format!("cannot convert the result: {e}"),
        )
    })
}

fn failure(code: ErrorCode, message: String) -> JsValue {
    to_error(ParapetError {
        name: "ParapetError".into(),
        code,
        message,
        line: None,
        column: None,
        pointer: None,
        errors: None,
    })
}

fn policy_failure(errors: Vec<parapet_core::PolicyError>) -> JsValue {
    let first = errors.first().cloned();
    let message = match (&first, errors.len()) {
        (Some(e), 1) => format!("invalid policy pack: {e}"),
        (Some(e), n) => format!("invalid policy pack: {e} (and {} more)", n - 1),
        (None, _) => "invalid policy pack".to_string(),
    };
    to_error(ParapetError {
        name: "ParapetError".into(),
        code: ErrorCode::InvalidPolicy,
        message,
        line: first.as_ref().map(|e| e.line),
        column: first.as_ref().map(|e| e.column),
        pointer: first.map(|e| e.pointer),
        errors: Some(
            errors
                .into_iter()
                .map(|e| PolicyProblem {
                    message: e.message,
                    pointer: e.pointer,
                    line: e.line,
                    column: e.column,
                })
                .collect(),
        ),
    })
}

/// A real JS `Error` named `ParapetError`, carrying the fields of [`ParapetError`].
fn to_error(e: ParapetError) -> JsValue {
    let error = js_sys::Error::new(&e.message);
    error.set_name(&e.name);
    let set = |key: &str, value: JsValue| {
        // Setting a data property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(e.code.as_str()));
    if let Some(line) = e.line {
        set("line", JsValue::from(line));
    }
    if let Some(column) = e.column {
        set("column", JsValue::from(column));
    }
    if let Some(pointer) = e.pointer {
        set("pointer", JsValue::from_str(&pointer));
    }
    if let Some(errors) = e.errors {
        if let Ok(list) = to_js(&errors) {
            set("errors", list);
        }
    }
    error.into()
}

/// The yew widget (`mountWidget`, `WidgetHandle`, `defineElement` / `<parapet-guard>`).
#[cfg(feature = "widget")]
pub use parapet_widget as widget;
