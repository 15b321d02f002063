//! `exceptions/*`: an exception waives a rule's findings only while it is valid.

use super::{declare_rule, Context, RawFinding, Rule};
use crate::text::truncate;

declare_rule! {
    /// An expired exception waives nothing; the findings it covered are back at full level.
    EXPIRED = "exceptions/expired" {
        title: "An exception has expired",
        summary: "an exception's `expires` is before `now` (it then waives nothing)",
        defaults: [Warn, Warn, Warn],
        severity: 2.0,
        precision: VeryHigh,
        help: "Renew the exception through the approval process, or fix the underlying finding.",
        check: Some(expired),
    }
    /// An exception for a rule id that does not exist waives nothing, probably a typo.
    UNKNOWN_RULE = "exceptions/unknown-rule" {
        title: "An exception names an unknown rule",
        summary: "an exception names no known rule",
        defaults: [Warn, Warn, Warn],
        severity: 1.0,
        precision: VeryHigh,
        help: "Use a rule id from `parapet rules`.",
        check: Some(unknown_rule),
    }
}

fn expired(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(now) = cx.now else { return };
    for e in &m.exceptions {
        if Rule::from_id(&e.rule.value).is_none() {
            continue;
        }
        if let Some(exp) = e.expires.as_ref().filter(|exp| exp.value < now) {
            let ticket = e
                .ticket
                .as_deref()
                .map(|t| format!(" ({})", truncate(t, 30)))
                .unwrap_or_default();
            out.push(RawFinding::at(
                Rule::ExceptionsExpired,
                format!(
                    "the exception for {}{ticket} expired on {}; it waives nothing",
                    e.rule.value, exp.value
                ),
                &exp.origin,
            ));
        }
    }
}

fn unknown_rule(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    for e in &m.exceptions {
        if Rule::from_id(&e.rule.value).is_none() {
            out.push(RawFinding::at(
                Rule::ExceptionsUnknownRule,
                format!(
                    "the exception names \"{}\", which is not a rule; it waives nothing",
                    truncate(&e.rule.value, 60)
                ),
                &e.rule.origin,
            ));
        }
    }
}
