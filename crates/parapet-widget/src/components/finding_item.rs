use std::rc::Rc;

use yew::prelude::*;

use crate::feedback::FindingView;
use crate::state::UiAction;

#[derive(Properties, PartialEq)]
pub struct FindingItemProps {
    pub finding: Rc<FindingView>,
    pub on_action: Callback<UiAction>,
}

/// One finding: a button that takes the builder to the field, the help text, the rule id and
/// a "why" link to the rule's docs. Every string is a text node. Memoised: an unchanged
/// finding is not re-rendered when the person types elsewhere.
#[function_component(FindingItem)]
pub fn finding_item(props: &FindingItemProps) -> Html {
    let f = &props.finding;
    let onclick = {
        let finding = f.clone();
        props
            .on_action
            .reform(move |_: MouseEvent| UiAction::Focus(finding.clone()))
    };
    html! {
        <li class="finding" data-level={f.level.as_str()} data-rule={f.rule}>
            <button type="button" class="finding-target" {onclick}>
                <span class="finding-title">{ f.title }</span>
                <span class="finding-message">{ f.message.clone() }</span>
                <span class="finding-field">
                    <span class="visually-hidden">{ "Field: " }</span>
                    { f.field.clone() }
                </span>
            </button>
            if let Some(reason) = &f.reason {
                <p class="finding-reason">{ reason.clone() }</p>
            }
            <p class="finding-help">{ f.help }</p>
            <p class="finding-meta">
                <code class="finding-rule">{ f.rule }</code>
                if let Some(ticket) = &f.waived_by {
                    <span class="finding-waived">{ "Waived by " }{ ticket.clone() }</span>
                }
                <a class="finding-why" href={f.docs_url.clone()} target="_blank" rel="noopener noreferrer">
                    { "Why?" }
                    <span class="visually-hidden">{ " About the rule " }{ f.rule }</span>
                </a>
            </p>
        </li>
    }
}
