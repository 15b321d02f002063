use yew::prelude::*;

/// Announces what changed ("Blocked. 2 new problems: …") to screen readers, politely.
pub fn live_region(message: &str) -> Html {
    html! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            { message.to_owned() }
        </div>
    }
}
