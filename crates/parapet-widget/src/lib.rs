//! Parapet's widget: live, inline policy feedback for low-code builders, with one-click
//! approval requests that are never lost.
//!
//! It evaluates manifests in-process with `parapet-core` (no JS round trip), renders with yew
//! function components inside an open shadow root, and joins the npm package `parapet`
//! through `parapet-wasm`'s `widget` feature:
//!
//! ```js
//! import init, { mountWidget, defineElement } from "parapet/widget";
//! await init();
//! const widget = mountWidget(document.querySelector("#guard"), { approvalEndpoint: location.origin });
//! widget.update(manifest);            // on every edit: text (YAML/JSON) or an object
//! defineElement();                    // or <parapet-guard approval-endpoint="…">, .manifest = …
//! ```

pub mod app;
pub mod approvals;
pub mod components;
pub mod element;
pub mod feedback;
pub mod hooks;
pub mod labels;
pub mod mount;
pub mod state;

use wasm_bindgen::prelude::*;

pub use mount::WidgetHandle;

// The TypeScript declarations of the options, events and `<parapet-guard>` are in mount.rs.

/// Mounts the widget in an open shadow root on `element` and returns its handle.
/// Throws `ParapetError { code, message }` on a bad element, option or policy.
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount_widget(
    #[wasm_bindgen(unchecked_param_type = "HTMLElement")] element: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MountWidgetOptions")] options: Option<JsValue>,
) -> Result<WidgetHandle, JsValue> {
    mount::mount(element, &options.unwrap_or(JsValue::UNDEFINED))
}

/// Registers the custom element `<parapet-guard>` (or `name`): attributes `approval-endpoint`,
/// `requester`, `docs-base-url`, `now`, `policy-src`; properties `.manifest`, `.policy` and
/// `.verdict`. Returns false when the name is already defined, so it is safe to call twice.
#[wasm_bindgen(js_name = defineElement)]
pub fn define_element(name: Option<String>) -> Result<bool, JsValue> {
    element::define(name.as_deref().unwrap_or(element::DEFAULT_NAME))
}

/// YAML or JSON manifest text to a plain object, for builders that let people edit the text
/// and show it in a form too. Throws `ParapetError` (`invalid_argument`) on a syntax error.
#[wasm_bindgen(js_name = parseManifest, unchecked_return_type = "unknown")]
pub fn parse_manifest(text: &str) -> Result<JsValue, JsValue> {
    use parapet_core::unstable::document::Limits;
    use parapet_core::unstable::parse::{parse, Syntax};
    let parsed = parse(text, Syntax::Auto, &Limits::default()).map_err(|e| {
        mount::error(
            "invalid_argument",
            &format!("the manifest cannot be read: {}", e.message),
        )
    })?;
    Ok(to_js(&parsed.root))
}

/// A document node as a plain JS value.
fn to_js(node: &parapet_core::unstable::document::Node) -> JsValue {
    use parapet_core::unstable::document::Value;
    match &node.value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i as f64).into(),
        Value::Float(f) => (*f).into(),
        Value::String(s) => s.as_str().into(),
        Value::Seq(items) => {
            let list = js_sys::Array::new();
            for item in items {
                list.push(&to_js(item));
            }
            list.into()
        }
        Value::Map(entries) => {
            let object = js_sys::Object::new();
            for (key, value) in entries {
                let _ = js_sys::Reflect::set(&object, &key.name.as_str().into(), &to_js(value));
            }
            object.into()
        }
    }
}
