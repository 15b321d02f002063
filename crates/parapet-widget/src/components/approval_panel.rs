use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::approvals::{self, ApprovalState};
use crate::feedback::{ApprovalTarget, ManifestInput, Settings};
use crate::labels::rule_title;
use crate::state::{UiAction, MAX_JUSTIFICATION};

/// What the approval panel shows and acts on.
pub struct ApprovalPanelProps {
    pub target: ApprovalTarget,
    pub manifest: Rc<ManifestInput>,
    pub settings: Rc<Settings>,
    pub host: web_sys::HtmlElement,
    pub justification: AttrValue,
    pub on_action: Callback<UiAction>,
    /// From `use_approval_state` in the root component.
    pub state: ApprovalState,
}

/// The request body of the edge contract: `{ manifest, rules, requester, justification }`.
/// The manifest goes in as the object the host gave, or as its text.
fn body(manifest: &ManifestInput, target: &ApprovalTarget, justification: &str) -> String {
    let manifest = match manifest {
        ManifestInput::Object(json) => {
            js_sys::JSON::parse(json).unwrap_or_else(|_| json.as_str().into())
        }
        ManifestInput::Text(text) => text.as_str().into(),
    };
    let rules = js_sys::Array::new();
    for rule in &target.rules {
        rules.push(&(*rule).into());
    }
    let body = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&body, &k.into(), v);
    };
    set("manifest", &manifest);
    set("rules", &rules);
    set("requester", &target.requester.as_str().into());
    set("justification", &justification.trim().into());
    js_sys::JSON::stringify(&body)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Fires the cancelable `parapet:approval-request` event on the host; true when the host
/// called `preventDefault()` and takes the request over.
fn host_takes_over(
    host: &web_sys::HtmlElement,
    key: &str,
    endpoint: Option<&str>,
    body: &str,
) -> bool {
    let Ok(detail) = js_sys::JSON::parse(body) else {
        return false;
    };
    let _ = js_sys::Reflect::set(&detail, &"idempotencyKey".into(), &key.into());
    let endpoint = endpoint.map(JsValue::from_str).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(&detail, &"endpoint".into(), &endpoint);
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(true);
    init.set_detail(&detail);
    let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict("parapet:approval-request", &init)
    else {
        return false;
    };
    !host.dispatch_event(&event).unwrap_or(true)
}

/// Fires `parapet:waiver` on the host with `{ approval, exceptions }`: the signed exception
/// entries the host stores in the app's `spec.exceptions` (the verdict then changes once the
/// engine verifies them against the pack's trusted keys).
fn dispatch_waiver(host: &web_sys::HtmlElement, id: &str, exceptions: &str) {
    let Ok(entries) = js_sys::JSON::parse(exceptions) else {
        return;
    };
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"approval".into(), &id.into());
    let _ = js_sys::Reflect::set(&detail, &"exceptions".into(), &entries);
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("parapet:waiver", &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// "Request approval": one click sends one request for every rule at the approval level.
pub fn approval_panel(props: &ApprovalPanelProps) -> Html {
    let state = &props.state;

    let onclick = {
        let key = props.target.idempotency_key.clone();
        let endpoint = props.settings.approval_endpoint.clone();
        let host = props.host.clone();
        let manifest = props.manifest.clone();
        let target = props.target.clone();
        let justification = props.justification.clone();
        Callback::from(move |_: MouseEvent| {
            // Built at click time: the manifest can be large, renders are frequent.
            let body = body(&manifest, &target, &justification);
            if host_takes_over(&host, &key, endpoint.as_deref(), &body) {
                approvals::handled_by_host(&key);
                return;
            }
            match &endpoint {
                Some(endpoint) => approvals::request(&key, endpoint, body),
                None => approvals::refuse(
                    &key,
                    "no approval service is set up for this page (approvalEndpoint).",
                ),
            }
        })
    };
    let oninput = props.on_action.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        UiAction::SetJustification(input.value())
    });
    let retry = Callback::from(|_: MouseEvent| approvals::retry_now());

    let titles: Vec<&str> = props.target.rules.iter().map(|r| rule_title(r)).collect();
    let who = if props.target.routes.is_empty() {
        "A reviewer".to_owned()
    } else {
        format!("A reviewer ({})", props.target.routes.join(", "))
    };
    let can_request = matches!(state, ApprovalState::Idle | ApprovalState::Invalid { .. })
        && !props.target.blocked_by_secret;
    let busy = matches!(state, ApprovalState::Sending);

    let status: Html = match state {
        ApprovalState::Idle => Html::default(),
        ApprovalState::Sending => {
            html! { <p class="approval-status" data-state="sending">{ "Sending the request…" }</p> }
        }
        ApprovalState::Queued { attempts, error } => html! {
            <p class="approval-status" data-state="queued">
                { "Saved on this device. It will be sent as soon as the approval service can be reached" }
                { if *attempts > 0 { format!(" (tried {attempts} time{}: {error}).", if *attempts == 1 { "" } else { "s" }) } else { ".".to_owned() } }
                { " " }
                <button type="button" class="link-button" onclick={retry}>{ "Retry now" }</button>
            </p>
        },
        ApprovalState::Pending { id } => html! {
            <p class="approval-status" data-state="pending">
                { "Approval requested. Request " }<strong class="approval-id">{ id.clone() }</strong>
                { " is waiting for a reviewer." }
            </p>
        },
        ApprovalState::Approved {
            id,
            note,
            reviewer,
            until,
            exceptions,
        } => {
            let who = match (reviewer, until) {
                (Some(r), Some(u)) => format!("Approved by {r} until {u}."),
                (Some(r), None) => format!("Approved by {r}."),
                (None, Some(u)) => format!("Approved until {u}."),
                (None, None) => "Approved.".to_owned(),
            };
            let apply = exceptions.clone().map(|entries| {
                let host = props.host.clone();
                let id = id.clone();
                Callback::from(move |_: MouseEvent| dispatch_waiver(&host, &id, &entries))
            });
            html! {
                <div class="approval-status" data-state="approved">
                    <p>
                        { who }{ " Request " }<strong class="approval-id">{ id.clone() }</strong>{ "." }
                        if let Some(note) = note { { " " }{ note.clone() } }
                    </p>
                    if let Some(onclick) = apply {
                        <button type="button" class="approval-button" data-action="apply-approval" {onclick}>
                            { "Apply approval" }
                        </button>
                    }
                </div>
            }
        }
        ApprovalState::Rejected { id, note } => html! {
            <p class="approval-status" data-state="rejected">
                { "Not approved. Request " }<strong class="approval-id">{ id.clone() }</strong>{ "." }
                if let Some(note) = note { { " " }{ note.clone() } }
            </p>
        },
        ApprovalState::Invalid { message } => html! {
            <p class="approval-status" data-state="invalid">
                { "The approval service refused the request: " }{ message.clone() }
            </p>
        },
        ApprovalState::HandledByHost => html! {
            <p class="approval-status" data-state="handled">{ "Sent to your portal's approval process." }</p>
        },
    };

    html! {
        <div class="approval" aria-live="off">
            <p class="approval-intro">
                { format!("{who} needs to approve: {}.", titles.join("; ")) }
            </p>
            if props.target.blocked_by_secret {
                <p class="approval-status" data-state="blocked">
                    { "Remove the password or token first: approval requests include the app's definition." }
                </p>
            }
            if can_request || busy {
                <div class="approval-form">
                    <label class="approval-label" for="parapet-justification">{ "Why is it needed? (optional)" }</label>
                    <input id="parapet-justification" class="approval-input" type="text"
                        maxlength={MAX_JUSTIFICATION.to_string()}
                        value={props.justification.clone()} {oninput}
                        disabled={busy} autocomplete="off" />
                    <button type="button" class="approval-button" data-action="request-approval"
                        {onclick} disabled={busy} aria-busy={busy.then_some("true")}>
                        { if busy { "Sending…" } else { "Request approval" } }
                    </button>
                </div>
            }
            { status }
        </div>
    }
}
