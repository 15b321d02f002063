//! `<parapet-guard>`: the widget as a custom element, defined from Rust.
//!
//! A custom element needs a constructor whose instances are `HTMLElement`s, and lifecycle
//! callbacks that receive the element as `this`. wasm-bindgen closures are neither
//! constructible nor given `this`, and the usual way out (a JS snippet module) would add a
//! second module to the package that every host must resolve (workerd embeds modules one by
//! one). So the element is built from standard objects instead, with no `eval`:
//!
//! - the constructor is a `Proxy` over `HTMLElement.bind(null)` (constructible, and without an
//!   own `prototype` whose value a proxy would have to report), whose `construct` trap does
//!   `Reflect.construct(HTMLElement, [], newTarget)` — exactly what `super()` does in a class —
//!   and whose `get` trap reports our prototype and `observedAttributes`;
//! - every callback and accessor on that prototype is a `Proxy` over a Rust closure whose
//!   `apply` trap receives `this`, the element.
//!
//! Attributes: `approval-endpoint`, `requester`, `docs-base-url`, `now`, `policy-src` (a URL
//! whose text becomes the policy). Properties: `.manifest` (object or YAML/JSON text),
//! `.policy`, and the read-only `.verdict`. Errors are reported as a `parapet:error` event.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

use crate::mount::{self, WidgetHandle};

pub const DEFAULT_NAME: &str = "parapet-guard";

/// Attribute → `mountWidget` option.
const OPTION_ATTRIBUTES: [(&str, &str); 4] = [
    ("approval-endpoint", "approvalEndpoint"),
    ("requester", "requester"),
    ("docs-base-url", "docsBaseUrl"),
    ("now", "now"),
];
const POLICY_SRC: &str = "policy-src";

thread_local! {
    /// Mounted widgets of connected elements, by element id (see `state`).
    static HANDLES: RefCell<Vec<(u32, WidgetHandle)>> = const { RefCell::new(Vec::new()) };
    /// element → `{ id, manifest, policy, policyLoads }`; weak, so removed elements are freed.
    static STATES: js_sys::WeakMap = js_sys::WeakMap::new();
    static NEXT_ID: RefCell<u32> = const { RefCell::new(0) };
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &key.into(), value);
}

/// The element's JS-side state object, created on first use.
fn state(element: &HtmlElement) -> JsValue {
    STATES.with(|states| {
        let existing = states.get(element.unchecked_ref());
        if existing.is_object() {
            return existing;
        }
        let id = NEXT_ID.with(|n| {
            let mut n = n.borrow_mut();
            *n += 1;
            *n
        });
        let s: JsValue = js_sys::Object::new().into();
        set(&s, "id", &id.into());
        set(&s, "policyLoads", &0.into());
        states.set(element.unchecked_ref(), &s);
        s
    })
}

fn id_of(element: &HtmlElement) -> u32 {
    get(&state(element), "id").as_f64().unwrap_or(0.0) as u32
}

fn with_handle<R>(element: &HtmlElement, f: impl FnOnce(&WidgetHandle) -> R) -> Option<R> {
    let id = id_of(element);
    HANDLES.with(|h| {
        h.borrow()
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, handle)| f(handle))
    })
}

fn fail(element: &HtmlElement, error: &JsValue) {
    let detail = js_sys::Object::new();
    let code = get(error, "code")
        .as_string()
        .unwrap_or_else(|| "internal".to_owned());
    let message = get(error, "message")
        .as_string()
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned());
    set(&detail, "code", &code.into());
    set(&detail, "message", &message.into());
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("parapet:error", &init) {
        let _ = element.dispatch_event(&event);
    }
}

fn options(element: &HtmlElement) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    for (attribute, option) in OPTION_ATTRIBUTES {
        if let Some(value) = element.get_attribute(attribute).filter(|v| !v.is_empty()) {
            set(&o, option, &value.into());
        }
    }
    let policy = get(&state(element), "policy");
    if !policy.is_undefined() && !policy.is_null() {
        set(&o, "policy", &policy);
    }
    o
}

fn mount_element(element: &HtmlElement) {
    let id = id_of(element);
    if HANDLES.with(|h| h.borrow().iter().any(|(i, _)| *i == id)) {
        return;
    }
    match mount::mount(element.as_ref(), &options(element)) {
        Ok(handle) => {
            let manifest = get(&state(element), "manifest");
            if !manifest.is_undefined() && !manifest.is_null() {
                if let Err(e) = handle.update(manifest) {
                    fail(element, &e);
                }
            }
            HANDLES.with(|h| h.borrow_mut().push((id, handle)));
        }
        Err(e) => fail(element, &e),
    }
}

fn unmount_element(element: &HtmlElement) {
    let id = id_of(element);
    let handle = HANDLES.with(|h| {
        let mut h = h.borrow_mut();
        let at = h.iter().position(|(i, _)| *i == id)?;
        Some(h.swap_remove(at).1)
    });
    if let Some(handle) = handle {
        handle.destroy();
    }
}

fn load_policy(element: HtmlElement) {
    let s = state(&element);
    let load = get(&s, "policyLoads").as_f64().unwrap_or(0.0) + 1.0;
    set(&s, "policyLoads", &load.into());
    let src = element.get_attribute(POLICY_SRC).filter(|v| !v.is_empty());
    // What was (or is being) fetched: connectedCallback does not fetch the same URL again.
    set(
        &s,
        "policySrc",
        &src.as_deref()
            .map(JsValue::from_str)
            .unwrap_or(JsValue::UNDEFINED),
    );
    let Some(src) = src else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let text = async {
            let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
            let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&src))
                .await?
                .dyn_into()?;
            if !response.ok() {
                return Err(JsValue::from_str(&format!(
                    "policy-src answered {}",
                    response.status()
                )));
            }
            JsFuture::from(response.text()?).await
        }
        .await;
        // A newer policy-src won the race: drop this one.
        if get(&state(&element), "policyLoads").as_f64() != Some(load) {
            return;
        }
        match text {
            Ok(text) => set_policy(&element, text),
            Err(e) => {
                let message = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_else(|| "cannot load policy-src".to_owned());
                fail(&element, &mount::error("policy_fetch", &message));
            }
        }
    });
}

fn set_manifest(element: &HtmlElement, value: JsValue) {
    set(&state(element), "manifest", &value);
    if value.is_undefined() || value.is_null() {
        return;
    }
    if let Some(Err(e)) = with_handle(element, |h| h.update(value)) {
        fail(element, &e);
    }
}

fn set_policy(element: &HtmlElement, value: JsValue) {
    set(&state(element), "policy", &value);
    if let Some(Err(e)) = with_handle(element, |h| h.set_policy(value)) {
        fail(element, &e);
    }
}

/// A function that calls `f(this, arguments)`: a `Proxy` whose `apply` trap sees `this`.
fn method(f: impl Fn(HtmlElement, js_sys::Array) -> JsValue + 'static) -> JsValue {
    let trap = Closure::<dyn Fn(JsValue, JsValue, js_sys::Array) -> JsValue>::new(
        move |_target: JsValue, this: JsValue, args: js_sys::Array| match this
            .dyn_into::<HtmlElement>()
        {
            Ok(element) => f(element, args),
            Err(_) => JsValue::UNDEFINED,
        },
    );
    let handler = js_sys::Object::new();
    set(&handler, "apply", trap.as_ref());
    // Any callable works as the target; the trap itself is one.
    let proxy = js_sys::Proxy::new(trap.as_ref(), &handler);
    trap.forget(); // part of the element definition, which lives as long as the page
    proxy.into()
}

fn accessor(
    proto: &js_sys::Object,
    name: &str,
    get_fn: impl Fn(HtmlElement) -> JsValue + 'static,
    set_fn: Option<Box<dyn Fn(HtmlElement, JsValue)>>,
) {
    let descriptor: JsValue = js_sys::Object::new().into();
    set(&descriptor, "configurable", &true.into());
    set(&descriptor, "enumerable", &true.into());
    set(&descriptor, "get", &method(move |el, _| get_fn(el)));
    if let Some(set_fn) = set_fn {
        set(
            &descriptor,
            "set",
            &method(move |el, args| {
                set_fn(el, args.get(0));
                JsValue::UNDEFINED
            }),
        );
    }
    let _ = js_sys::Reflect::define_property(proto, &name.into(), descriptor.unchecked_ref());
}

/// Defines the element; false when `name` is already defined (or there is no registry).
pub fn define(name: &str) -> Result<bool, JsValue> {
    let Some(window) = web_sys::window() else {
        return Ok(false);
    };
    let registry = get(&window, "customElements");
    if !registry.is_object() {
        return Ok(false);
    }
    let lookup: js_sys::Function = get(&registry, "get").dyn_into()?;
    if !lookup.call1(&registry, &name.into())?.is_undefined() {
        return Ok(false);
    }
    let html_element: js_sys::Function = get(&window, "HTMLElement").dyn_into()?;
    let base_proto: js_sys::Object = get(&html_element, "prototype").dyn_into()?;
    let proto = js_sys::Object::create(&base_proto);

    set(
        &proto,
        "connectedCallback",
        &method(|el, _| {
            mount_element(&el);
            // An upgrade runs attributeChangedCallback (which fetches policy-src) before this:
            // fetch only a policy-src that is not already loaded or on its way.
            let s = state(&el);
            let src = el.get_attribute(POLICY_SRC).filter(|v| !v.is_empty());
            if src.is_some()
                && get(&s, "policy").is_undefined()
                && get(&s, "policySrc").as_string() != src
            {
                load_policy(el);
            }
            JsValue::UNDEFINED
        }),
    );
    set(
        &proto,
        "disconnectedCallback",
        &method(|el, _| {
            unmount_element(&el);
            JsValue::UNDEFINED
        }),
    );
    set(
        &proto,
        "attributeChangedCallback",
        &method(|el, args| {
            let (attribute, before, after) = (args.get(0), args.get(1), args.get(2));
            if before == after || !el.is_connected() {
                return JsValue::UNDEFINED;
            }
            if attribute.as_string().as_deref() == Some(POLICY_SRC) {
                load_policy(el);
            } else if with_handle(&el, |_| ()).is_some() {
                // Mounted: remount with the new options. Not yet mounted (an upgrade calls this
                // for every attribute first): connectedCallback mounts once, with all of them.
                unmount_element(&el);
                mount_element(&el);
            }
            JsValue::UNDEFINED
        }),
    );
    accessor(
        &proto,
        "manifest",
        |el| get(&state(&el), "manifest"),
        Some(Box::new(|el, v| set_manifest(&el, v))),
    );
    accessor(
        &proto,
        "policy",
        |el| get(&state(&el), "policy"),
        Some(Box::new(|el, v| set_policy(&el, v))),
    );
    accessor(
        &proto,
        "verdict",
        |el| {
            with_handle(&el, |h| h.verdict())
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL)
        },
        None,
    );

    let observed = js_sys::Array::new();
    for (attribute, _) in OPTION_ATTRIBUTES {
        observed.push(&attribute.into());
    }
    observed.push(&POLICY_SRC.into());

    // The constructor: `super()` without a class.
    let bound_base = html_element.bind0(&JsValue::NULL);
    let construct = {
        let html_element = html_element.clone();
        Closure::<dyn Fn(JsValue, js_sys::Array, JsValue) -> Result<JsValue, JsValue>>::new(
            move |_target: JsValue, _args: js_sys::Array, new_target: JsValue| {
                let new_target: js_sys::Function = new_target.dyn_into()?;
                js_sys::Reflect::construct_with_new_target(
                    &html_element,
                    &js_sys::Array::new(),
                    &new_target,
                )
            },
        )
    };
    let get_trap = {
        let proto = proto.clone();
        Closure::<dyn Fn(JsValue, JsValue, JsValue) -> JsValue>::new(
            move |target: JsValue, key: JsValue, _receiver: JsValue| match key
                .as_string()
                .as_deref()
            {
                Some("prototype") => proto.clone().into(),
                Some("observedAttributes") => observed.clone().into(),
                _ => js_sys::Reflect::get(&target, &key).unwrap_or(JsValue::UNDEFINED),
            },
        )
    };
    let handler = js_sys::Object::new();
    set(&handler, "construct", construct.as_ref());
    set(&handler, "get", get_trap.as_ref());
    let constructor = js_sys::Proxy::new(&bound_base, &handler);
    construct.forget();
    get_trap.forget();
    set(&proto, "constructor", &constructor);

    let define: js_sys::Function = get(&registry, "define").dyn_into()?;
    define.call2(&registry, &name.into(), &constructor)?;
    Ok(true)
}
