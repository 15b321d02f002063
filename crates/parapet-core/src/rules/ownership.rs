//! `ownership/*`: someone answers for the app, and says how.

use super::{declare_rule, Context, RawFinding, Rule};

declare_rule! {
    /// Every app needs an accountable owner, so that someone answers when it breaks, leaks or
    /// costs too much, and so that it can be handed over when people move on.
    MISSING_OWNER = "ownership/missing-owner" {
        title: "No owner is named",
        summary: "no `spec.owner`",
        defaults: [Warn, Deny, Deny],
        severity: 3.0,
        precision: VeryHigh,
        help: "Set spec.owner to a team (group:NAME), a person (user:NAME) or an e-mail address.",
        check: Some(missing_owner),
    }
    /// Apps others depend on need a stated support level, so users know what to expect when
    /// the app fails.
    MISSING_SLA = "ownership/missing-sla" {
        title: "No support promise (SLA) is set",
        summary: "no `spec.sla`",
        defaults: [Off, Warn, Deny],
        severity: 2.0,
        precision: VeryHigh,
        help: "Add spec.sla with a support window and response time, for example { support: business-hours, responseHours: 24 }.",
        check: Some(missing_sla),
    }
}

fn missing_owner(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(spec) = &m.spec else { return };
    if m.owner.as_ref().is_none_or(|o| o.value.trim().is_empty()) {
        out.push(RawFinding::at(
            Rule::OwnershipMissingOwner,
            "the app has no owner (spec.owner): nobody is accountable for it".into(),
            spec,
        ));
    }
}

fn missing_sla(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(spec) = &m.spec else { return };
    if m.sla.is_none() {
        out.push(RawFinding::at(
            Rule::OwnershipMissingSla,
            "the app states no support level (spec.sla)".into(),
            spec,
        ));
    }
}
