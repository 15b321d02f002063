use parapet_core::Level;
use yew::prelude::*;

use super::finding_item::FindingItem;
use crate::feedback::{level_heading, Feedback, FindingGroup};
use crate::state::{UiAction, GROUP_PREVIEW};

/// The findings at one level under a heading, with `extra` (the approval panel) first; long
/// lists show a preview and "Show all".
pub fn finding_group(
    feedback: &Feedback,
    group: &FindingGroup,
    expanded: bool,
    on_action: &Callback<UiAction>,
    extra: Html,
) -> Html {
    let level: Level = group.level;
    let total = group.findings.len();
    let shown = if expanded {
        total
    } else {
        total.min(GROUP_PREVIEW)
    };
    let heading_id = format!("parapet-group-{}", level.as_str());
    let toggle = on_action.reform(move |_: MouseEvent| UiAction::Toggle(level));
    html! {
        <section key={level.as_str()} class="group" data-level={level.as_str()} aria-labelledby={heading_id.clone()}>
            <h3 class="group-heading" id={heading_id}>
                { level_heading(level) }
                <span class="group-count">{ format!(" ({total})") }</span>
            </h3>
            { extra }
            <ul class="findings">
                { for group.findings.iter().take(shown).filter_map(|i| feedback.view(*i)).map(|f| {
                    let key = f.key.clone();
                    html! { <FindingItem {key} finding={f} on_action={on_action.clone()} /> }
                }) }
            </ul>
            if total > GROUP_PREVIEW {
                <button type="button" class="group-more" onclick={toggle}>
                    { if expanded { "Show fewer".to_owned() } else { format!("Show all {total}") } }
                </button>
            }
        </section>
    }
}
