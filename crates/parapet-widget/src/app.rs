//! The root component: verdict header, live region, findings grouped by level, approval panel.

use std::rc::Rc;

use parapet_core::Level;
use yew::prelude::*;

use crate::components::approval_panel::{approval_panel, ApprovalPanelProps};
use crate::components::finding_group::finding_group;
use crate::components::live_region::live_region;
use crate::components::verdict_header::verdict_header;
use crate::feedback::{Feedback, FindingView, ManifestInput, Settings};
use crate::hooks::use_approval_state;
use crate::state::{UiAction, UiState};

#[derive(Properties, Clone)]
pub struct GuardProps {
    pub feedback: Rc<Feedback>,
    pub settings: Rc<Settings>,
    pub manifest: Option<Rc<ManifestInput>>,
    /// The element the widget is mounted on: events are dispatched there.
    pub host: web_sys::HtmlElement,
}

impl PartialEq for GuardProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.feedback, &other.feedback)
            && Rc::ptr_eq(&self.settings, &other.settings)
            && self.host == other.host
    }
}

/// `parapet:focus` on the host: `{ pointer, rule }`, bubbling out of the shadow root.
fn dispatch_focus(host: &web_sys::HtmlElement, finding: &FindingView) {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"pointer".into(), &finding.pointer.as_str().into());
    let _ = js_sys::Reflect::set(&detail, &"rule".into(), &finding.rule.into());
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("parapet:focus", &init) {
        let _ = host.dispatch_event(&event);
    }
}

#[function_component(Guard)]
pub fn guard(props: &GuardProps) -> Html {
    let ui = use_reducer(UiState::default);
    // One stable callback for everything a person does inside the widget.
    let on_action = {
        let dispatcher = ui.dispatcher();
        use_callback(
            props.host.clone(),
            move |action: UiAction, host| match action {
                UiAction::Focus(finding) => dispatch_focus(host, &finding),
                other => dispatcher.dispatch(other),
            },
        )
    };

    let fb = &props.feedback;
    let approval = use_approval_state(fb.approval.as_ref().map(|t| t.idempotency_key.as_str()));
    let verdict = if fb.is_waiting() {
        "waiting"
    } else {
        fb.verdict.as_str()
    };
    let groups = fb.groups.iter().map(|group| {
        let panel = match (&fb.approval, &props.manifest) {
            (Some(target), Some(manifest)) if group.level == Level::Approval => {
                approval_panel(&ApprovalPanelProps {
                    target: target.clone(),
                    manifest: manifest.clone(),
                    settings: props.settings.clone(),
                    host: props.host.clone(),
                    justification: AttrValue::from(ui.justification.clone()),
                    on_action: on_action.clone(),
                    state: approval.clone(),
                })
            }
            _ => Html::default(),
        };
        finding_group(
            fb,
            group,
            ui.expanded.contains(&group.level),
            &on_action,
            panel,
        )
    });

    html! {
        <section class="parapet" data-verdict={verdict} aria-label="Policy check">
            { verdict_header(fb) }
            { live_region(&fb.announcement) }
            if !fb.is_waiting() && fb.groups.is_empty() {
                <p class="all-clear">{ "No problems found: this app meets the policy for its tier." }</p>
            }
            { for groups }
        </section>
    }
}
