//! Mounting: an open shadow root on the host element, the stylesheet adopted by it, and a yew
//! app rendered with `Renderer::with_root_and_props`. The handle keeps the `AppHandle` to update
//! and destroy it.
//!
//! The stylesheet is one constructable `CSSStyleSheet` shared by every mount and adopted by each
//! shadow root (`adoptedStyleSheets`): a page whose CSP says `style-src 'self'` (no
//! `'unsafe-inline'`) blocks a `<style>` element but not an adopted sheet. Browsers without
//! constructable stylesheets get the `<style>` element.

use std::cell::RefCell;
use std::rc::Rc;

use parapet_core::{Date, Engine};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::{AppHandle, Renderer};

use crate::app::{Guard, GuardProps};
use crate::approvals;
use crate::feedback::{Evaluator, Feedback, ManifestInput, Settings};

const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));

#[wasm_bindgen(typescript_custom_section)]
const TS_WIDGET: &'static str = r#"
/** Options of `mountWidget`, all optional. An unknown key, or a value of the wrong type, throws
 * `ParapetError` `invalid_argument`. */
export interface MountWidgetOptions {
  /** Policy pack: YAML/JSON text or an object. The built-in default pack when absent. */
  policy?: string | PolicyPack | null;
  /** Origin of the edge API; approval requests go to `{approvalEndpoint}/v1/approvals`. */
  approvalEndpoint?: string;
  /** Who asks for approvals (an e-mail or user id). */
  requester?: string;
  /** Base of the "why" links: `{docsBaseUrl}{rule id}`. Default `https://parapet.dev/docs/rules/`. */
  docsBaseUrl?: string;
  /** Today, `YYYY-MM-DD`, for dated rules. Default: the browser's date. */
  now?: string;
}

/** A manifest as the widget takes it: YAML/JSON text, or an object. */
export type ManifestInput = string | Manifest | Record<string, unknown>;

/** `parapet:focus`: a finding was clicked or activated by keyboard. */
export interface ParapetFocusDetail {
  /** JSON Pointer of the field the finding is about. */
  pointer: string;
  rule: string;
}

/** `parapet:error` (from `<parapet-guard>`): a bad attribute, policy or manifest. */
export interface ParapetErrorDetail {
  code: ErrorCode;
  message: string;
}

/** `parapet:approval-request` (cancelable): `preventDefault()` and the host sends it itself. */
export interface ParapetApprovalRequestDetail {
  /** The manifest as the host gave it: the object, or the text. */
  manifest: string | Record<string, unknown>;
  rules: string[];
  requester: string;
  justification: string;
  idempotencyKey: string;
  endpoint: string | null;
}

/** `parapet:waiver`: the person clicked *Apply approval* on an approved request. */
export interface ParapetWaiverDetail {
  /** The approval request's id. */
  approval: string;
  /** Signed exception entries to store in the app's `spec.exceptions`. */
  exceptions: Exception[];
}

/** `<parapet-guard>`, after `defineElement()`. */
export interface ParapetGuardElement extends HTMLElement {
  /** The manifest to check: YAML/JSON text or an object. */
  manifest: ManifestInput | null | undefined;
  /** The policy pack (overrides `policy-src`). */
  policy: string | PolicyPack | null | undefined;
  /** The current verdict; `null` before the first manifest. */
  readonly verdict: Verdict | null;
}

declare global {
  interface HTMLElementTagNameMap {
    "parapet-guard": ParapetGuardElement;
  }
  interface HTMLElementEventMap {
    "parapet:focus": CustomEvent<ParapetFocusDetail>;
    "parapet:error": CustomEvent<ParapetErrorDetail>;
    "parapet:approval-request": CustomEvent<ParapetApprovalRequestDetail>;
    "parapet:waiver": CustomEvent<ParapetWaiverDetail>;
  }
}
"#;

/// The options `mountWidget` knows, as JS spells them.
pub const OPTIONS: [&str; 5] = [
    "policy",
    "approvalEndpoint",
    "requester",
    "docsBaseUrl",
    "now",
];

thread_local! {
    /// The constructable stylesheet every shadow root adopts (`None`: not supported here).
    static SHEET: Option<JsValue> = constructable_sheet();
}

/// `new CSSStyleSheet()` with the widget's rules, when the browser has constructable sheets.
fn constructable_sheet() -> Option<JsValue> {
    let global = js_sys::global();
    let constructor: js_sys::Function = js_sys::Reflect::get(&global, &"CSSStyleSheet".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let sheet = js_sys::Reflect::construct(&constructor, &js_sys::Array::new()).ok()?;
    let replace_sync: js_sys::Function = js_sys::Reflect::get(&sheet, &"replaceSync".into())
        .ok()?
        .dyn_into()
        .ok()?;
    replace_sync.call1(&sheet, &STYLE.into()).ok()?;
    Some(sheet)
}

/// Adopts the shared sheet into `shadow`; false when the browser cannot (no constructable
/// sheets, or no `adoptedStyleSheets` on shadow roots).
fn adopt_sheet(shadow: &ShadowRoot) -> bool {
    let Some(sheet) = SHEET.with(Clone::clone) else {
        return false;
    };
    let key = JsValue::from_str("adoptedStyleSheets");
    let Ok(current) = js_sys::Reflect::get(shadow, &key) else {
        return false;
    };
    if !js_sys::Array::is_array(&current) {
        return false;
    }
    let list = js_sys::Array::from(&current);
    if !list.includes(&sheet, 0) {
        list.push(&sheet);
    }
    js_sys::Reflect::set(shadow, &key, &list).unwrap_or(false)
}

/// `ParapetError { code, message }`, the same shape the engine API throws.
pub fn error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("ParapetError");
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

/// Checks the options object: `undefined`/`null` or a plain object with only known keys.
fn check_options(options: &JsValue) -> Result<(), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(());
    }
    if !options.is_object() || js_sys::Array::is_array(options) || options.is_function() {
        return Err(error(
            "invalid_argument",
            "mountWidget: expected the options as an object",
        ));
    }
    let keys = js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>());
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if !OPTIONS.contains(&key.as_str()) {
            return Err(error(
                "invalid_argument",
                &format!(
                    "mountWidget: unknown option {key:?}, expected one of {}",
                    OPTIONS.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// A string option: absent (`undefined`, `null`, blank) is `None`; another type is an error.
fn get_string(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    if !options.is_object() {
        return Ok(None);
    }
    let value = js_sys::Reflect::get(options, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string() {
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => Ok(Some(s)),
        None => Err(error(
            "invalid_argument",
            &format!("mountWidget: the option {key} must be a string"),
        )),
    }
}

/// Text as given; anything else (an object) as its JSON: indented for policies (as the engine
/// API does, so an invalid pack's line numbers mean something), compact for manifests (the
/// widget shows no line numbers, and compact text is quicker to make, copy in and parse on
/// every keystroke).
pub fn to_text(value: &JsValue, indent: bool) -> Result<(String, bool), JsValue> {
    if let Some(text) = value.as_string() {
        return Ok((text, false));
    }
    if value.is_undefined() || value.is_null() {
        return Err(error(
            "invalid_argument",
            "expected YAML/JSON text or an object",
        ));
    }
    let json = if indent {
        js_sys::JSON::stringify_with_replacer_and_space(value, &JsValue::NULL, &JsValue::from(2))
    } else {
        js_sys::JSON::stringify(value)
    }
    .map_err(|_| error("invalid_argument", "the object cannot be turned into JSON"))?;
    json.as_string()
        .map(|t| (t, true))
        .ok_or_else(|| error("invalid_argument", "the object cannot be turned into JSON"))
}

pub fn engine_for(policy: &JsValue) -> Result<Engine, JsValue> {
    if policy.is_undefined() || policy.is_null() {
        return Ok(Engine::default());
    }
    let (text, _) = to_text(policy, true)?;
    Engine::from_policy_text(&text).map_err(|errors| {
        // The same shape as the engine API's `invalid_policy` errors.
        let message = match (errors.first(), errors.len()) {
            (Some(e), 1) => format!("invalid policy pack: {e}"),
            (Some(e), n) => format!("invalid policy pack: {e} (and {} more)", n - 1),
            (None, _) => "invalid policy pack".to_owned(),
        };
        let e = error("invalid_policy", &message);
        if let Some(first) = errors.first() {
            let _ = js_sys::Reflect::set(&e, &"line".into(), &first.line.into());
            let _ = js_sys::Reflect::set(&e, &"column".into(), &first.column.into());
            let _ = js_sys::Reflect::set(&e, &"pointer".into(), &first.pointer.as_str().into());
        }
        let list = js_sys::Array::new();
        for pe in &errors {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"message".into(), &pe.message.as_str().into());
            let _ = js_sys::Reflect::set(&o, &"pointer".into(), &pe.pointer.as_str().into());
            let _ = js_sys::Reflect::set(&o, &"line".into(), &pe.line.into());
            let _ = js_sys::Reflect::set(&o, &"column".into(), &pe.column.into());
            list.push(&o);
        }
        let _ = js_sys::Reflect::set(&e, &"errors".into(), &list);
        e
    })
}

/// Today in the browser's time zone: the widget is a host, and hosts supply `now`.
fn today() -> Option<Date> {
    let d = js_sys::Date::new_0();
    Date::parse(&format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    ))
}

fn settings_from(options: &JsValue) -> Result<Settings, JsValue> {
    let mut settings = Settings::default();
    if let Some(url) = get_string(options, "docsBaseUrl")? {
        if !Settings::accept_docs_base(&url) {
            return Err(error(
                "invalid_argument",
                "docsBaseUrl must be an http(s) URL or a path starting with /",
            ));
        }
        settings.docs_base_url = url;
    }
    settings.approval_endpoint = get_string(options, "approvalEndpoint")?;
    if let Some(requester) = get_string(options, "requester")? {
        settings.requester = requester;
    }
    settings.now = match get_string(options, "now")? {
        Some(now) => Some(
            Date::parse(&now)
                .ok_or_else(|| error("invalid_argument", "now must be a date, YYYY-MM-DD"))?,
        ),
        None => today(),
    };
    Ok(settings)
}

struct Mounted {
    app: AppHandle<Guard>,
    evaluator: Evaluator,
    settings: Rc<Settings>,
    manifest: Option<Rc<ManifestInput>>,
    host: HtmlElement,
    shadow: ShadowRoot,
    nodes: Vec<web_sys::Node>,
}

impl Mounted {
    fn render(&mut self, feedback: Feedback) {
        self.app.update(GuardProps {
            feedback: Rc::new(feedback),
            settings: self.settings.clone(),
            manifest: self.manifest.clone(),
            host: self.host.clone(),
        });
    }

    fn reevaluate(&mut self) {
        if let Some(manifest) = self.manifest.clone() {
            let feedback = self.evaluator.evaluate(&manifest, &self.settings);
            self.render(feedback);
        }
    }
}

/// What `mountWidget` returns: `update(manifest)`, `setPolicy(policy)`, `destroy()`.
#[wasm_bindgen]
pub struct WidgetHandle {
    inner: Rc<RefCell<Option<Mounted>>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Re-evaluates `manifest` (YAML/JSON text, or an object) and re-renders.
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ManifestInput")] manifest: JsValue,
    ) -> Result<(), JsValue> {
        let (text, is_object) = to_text(&manifest, false)?;
        let mut inner = self.inner.borrow_mut();
        let Some(m) = inner.as_mut() else {
            return Ok(()); // destroyed: nothing to update
        };
        let input = if is_object {
            ManifestInput::Object(text)
        } else {
            ManifestInput::Text(text)
        };
        m.manifest = Some(Rc::new(input));
        m.reevaluate();
        Ok(())
    }

    /// Replaces the policy pack (YAML/JSON text or an object); throws `ParapetError` with
    /// code `invalid_policy` (and the pack's `errors`) and keeps the old pack when invalid.
    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | PolicyPack | null")] policy: JsValue,
    ) -> Result<(), JsValue> {
        let engine = engine_for(&policy)?;
        let mut inner = self.inner.borrow_mut();
        let Some(m) = inner.as_mut() else {
            return Ok(());
        };
        m.evaluator.set_engine(engine);
        m.reevaluate();
        Ok(())
    }

    /// The current verdict (`allow`, `warn`, `approval`, `deny`); undefined before `update`.
    #[wasm_bindgen(getter, unchecked_return_type = "Verdict | undefined")]
    pub fn verdict(&self) -> Option<String> {
        let inner = self.inner.borrow();
        let m = inner.as_ref()?;
        m.manifest.as_ref()?;
        m.evaluator.last_verdict().map(|v| v.as_str().to_owned())
    }

    /// Unmounts the widget and empties its shadow root. Later calls do nothing.
    pub fn destroy(&self) {
        let taken = self.inner.borrow_mut().take();
        if let Some(m) = taken {
            m.app.destroy();
            for node in &m.nodes {
                let _ = m.shadow.remove_child(node);
            }
        }
    }
}

/// Mounts the widget in an open shadow root on `element`.
pub fn mount(element: &JsValue, options: &JsValue) -> Result<WidgetHandle, JsValue> {
    let host: HtmlElement = element
        .clone()
        .dyn_into()
        .map_err(|_| error("invalid_argument", "mountWidget needs an HTML element"))?;
    check_options(options)?;
    let policy = if options.is_object() {
        js_sys::Reflect::get(options, &"policy".into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    let engine = engine_for(&policy)?;
    let settings = Rc::new(settings_from(options)?);
    let document = host
        .owner_document()
        .ok_or_else(|| error("invalid_argument", "the element has no document"))?;

    // Reuse the shadow root of an earlier mount (a shadow root can be attached only once).
    let shadow = match host.shadow_root() {
        Some(shadow) => {
            while let Some(child) = shadow.last_child() {
                let _ = shadow.remove_child(&child);
            }
            shadow
        }
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| error("invalid_argument", "this element cannot host a shadow root"))?,
    };
    let mut nodes: Vec<web_sys::Node> = Vec::with_capacity(2);
    if !adopt_sheet(&shadow) {
        let style = document.create_element("style")?;
        style.set_text_content(Some(STYLE));
        shadow.append_child(&style)?;
        nodes.push(style.into());
    }
    let root = document.create_element("div")?;
    root.set_class_name("parapet-root");
    shadow.append_child(&root)?;

    let props = GuardProps {
        feedback: Rc::new(Feedback::waiting()),
        settings: settings.clone(),
        manifest: None,
        host: host.clone(),
    };
    let app = Renderer::<Guard>::with_root_and_props(root.clone(), props).render();
    approvals::start();
    Ok(WidgetHandle {
        inner: Rc::new(RefCell::new(Some(Mounted {
            app,
            evaluator: Evaluator::new(engine),
            settings,
            manifest: None,
            host,
            shadow,
            nodes: {
                nodes.push(root.into());
                nodes
            },
        }))),
    })
}
