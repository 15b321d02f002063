use parapet_core::Verdict;
use yew::prelude::*;

use crate::feedback::{verdict_label, Feedback};

fn icon(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow => "✓",
        Verdict::Warn => "!",
        Verdict::Approval => "?",
        Verdict::Deny => "✕",
    }
}

fn count(n: u32, one: &str, many: &str) -> String {
    let mut s = n.to_string();
    s.push(' ');
    s.push_str(if n == 1 { one } else { many });
    s
}

/// The verdict in words, the app and tier, and counts per level.
pub fn verdict_header(fb: &Feedback) -> Html {
    if fb.is_waiting() {
        return html! {
            <header class="verdict" data-verdict="waiting">
                <span class="verdict-icon" aria-hidden="true">{ "…" }</span>
                <div class="verdict-text">
                    <h2 class="verdict-label">{ "Policy check" }</h2>
                    <p class="verdict-sub">{ "Waiting for the app's definition." }</p>
                </div>
            </header>
        };
    }
    let verdict = fb.verdict;
    let mut sub = fb.app_name.clone().unwrap_or_default();
    if let Some(tier) = fb.tier {
        if !sub.is_empty() {
            sub.push_str(" · ");
        }
        sub.push_str(tier);
        sub.push_str(" tier");
    }
    let c = fb.counts;
    let counts = [
        ("deny", c.deny, "must fix", "must fix"),
        ("approval", c.approval, "needs approval", "need approval"),
        ("warn", c.warn, "warning", "warnings"),
        ("info", c.info, "note", "notes"),
    ];
    html! {
        <header class="verdict" data-verdict={verdict.as_str()}>
            <span class="verdict-icon" aria-hidden="true">{ icon(verdict) }</span>
            <div class="verdict-text">
                <h2 class="verdict-label">{ verdict_label(verdict) }</h2>
                if !sub.is_empty() {
                    <p class="verdict-sub">{ sub }</p>
                }
            </div>
            <ul class="counts" aria-label="Findings by level">
                { for counts.into_iter().filter(|c| c.1 > 0).map(|(level, n, one, many)| html! {
                    <li class="count" data-level={level}>{ count(n, one, many) }</li>
                }) }
            </ul>
        </header>
    }
}
