//! The widget's own UI state (what the person did inside it), kept with `use_reducer`.
//! What the manifest says lives in [`crate::feedback::Feedback`], passed in as props.

use std::rc::Rc;

use parapet_core::Level;
use yew::Reducible;

use crate::feedback::FindingView;

/// How many findings a group shows before "Show all".
pub const GROUP_PREVIEW: usize = 25;

/// Longest justification accepted (one line).
pub const MAX_JUSTIFICATION: usize = 200;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UiState {
    /// Groups the person expanded past the preview.
    pub expanded: Vec<Level>,
    /// The one-line justification typed for an approval request.
    pub justification: String,
}

/// Everything a person can do inside the widget. Components get one stable
/// `Callback<UiAction>` (see `app.rs`), which keeps their props equal between renders.
pub enum UiAction {
    /// Show all findings of a group, or only the preview again.
    Toggle(Level),
    SetJustification(String),
    /// Take the builder to the finding's field (`parapet:focus` on the host).
    Focus(Rc<FindingView>),
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UiAction::Toggle(level) => {
                if next.expanded.contains(&level) {
                    next.expanded.retain(|l| *l != level);
                } else {
                    next.expanded.push(level);
                }
            }
            UiAction::SetJustification(text) => {
                next.justification = text
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_JUSTIFICATION)
                    .collect();
            }
            UiAction::Focus(_) => return self, // handled by the root component
        }
        Rc::new(next)
    }
}
