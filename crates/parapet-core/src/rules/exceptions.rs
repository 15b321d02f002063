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
    /// A signed approval (a DSSE waiver issued by the approval service) waives only when it
    /// verifies offline against the pack's `approvals.trustedKeys`, for this app and this rule,
    /// and has not expired. Forged, altered or expired waivers, and waivers signed by keys the
    /// pack does not trust, waive nothing and are findings of their own. Raised by the engine
    /// while it selects the exceptions in force (`Engine::active_exceptions`), so each envelope
    /// is verified once.
    INVALID_SIGNATURE = "exceptions/invalid-signature" {
        title: "A signed approval does not verify",
        summary: "an exception's signed approval does not verify against the pack's trusted keys, has expired, or is for another app or rule",
        defaults: [Deny, Deny, Deny],
        severity: 7.0,
        precision: VeryHigh,
        help: "Apply the waiver exactly as the approval service issued it, for this app; if it expired or the pack's approvals.trustedKeys changed, request approval again.",
        check: None,
    }
}

fn expired(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    // `expires` is required unless the exception carries a signed approval (whose payload
    // holds the expiry): a manifest/schema finding, as the schema would give for a missing field.
    for e in m
        .exceptions
        .iter()
        .filter(|e| e.expires.is_none() && e.approval.is_none())
    {
        out.push(RawFinding::at(
            Rule::ManifestSchema,
            format!(
                "{} is required (or a signed approval)",
                crate::schema::display_name(&format!("{}/expires", e.origin.pointer))
            ),
            &e.origin,
        ));
    }
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
