use std::rc::Rc;

use yew::prelude::*;

use crate::approvals::{self, ApprovalState};

/// The state of the approval request with this idempotency key (`Idle` without one);
/// re-renders when it changes (a send finishes, a retry succeeds, a poll sees a decision),
/// and polls a pending request for its outcome.
#[hook]
pub fn use_approval_state(key: Option<&str>) -> ApprovalState {
    let update = use_force_update();
    let state = key.map(approvals::state).unwrap_or(ApprovalState::Idle);
    let pending = matches!(state, ApprovalState::Pending { .. });
    use_effect_with((key.map(str::to_owned), pending), move |(key, pending)| {
        let subscription = key.as_ref().map(|key| {
            if *pending {
                approvals::watch(key);
            }
            approvals::subscribe(Rc::new(move || update.force_update()))
        });
        move || drop(subscription)
    });
    state
}
