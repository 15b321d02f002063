//! `lifecycle/*`: apps are reviewed on their tier's cadence, and retired when planned.

use super::{declare_rule, Context, RawFinding, Rule};

declare_rule! {
    /// Apps drift: owners leave, data grows. Periodic review keeps the tier and controls true.
    REVIEW_OVERDUE = "lifecycle/review-overdue" {
        title: "A review is due",
        summary: "last review older than the tier's cadence, or never reviewed",
        defaults: [Off, Warn, Warn],
        severity: 2.0,
        precision: VeryHigh,
        help: "Review the app (owner, data, connectors, spend) and set spec.review.lastReviewed.",
        check: Some(review_overdue),
    }
    /// The owner planned to retire this app by now.
    PAST_RETIREMENT = "lifecycle/past-retirement" {
        title: "The app is past its retirement date",
        summary: "`review.retireBy` is before `now`",
        defaults: [Warn, Deny, Deny],
        severity: 3.0,
        precision: VeryHigh,
        help: "Retire the app, or agree a new retireBy date and record it.",
        check: Some(past_retirement),
    }
}

fn review_overdue(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(spec) = &m.spec else { return };
    let Some(days) = cx.tier_policy().review_every_days else {
        return;
    };
    let tier = cx.tier;
    match (
        m.review.as_ref().and_then(|r| r.last_reviewed.as_ref()),
        cx.now,
    ) {
        (None, _) => out.push(RawFinding::at(
            Rule::LifecycleReviewOverdue,
            format!(
                "the app has never been reviewed; {} apps are reviewed every {days} days",
                tier.as_str()
            ),
            m.review.as_ref().map_or(spec, |r| &r.origin),
        )),
        (Some(l), Some(now)) => {
            let age = now.days() - l.value.days();
            if age > i64::from(days) {
                out.push(RawFinding::at(
                    Rule::LifecycleReviewOverdue,
                    format!(
                        "last reviewed {} ({age} days ago); {} apps are reviewed every {days} days",
                        l.value,
                        tier.as_str()
                    ),
                    &l.origin,
                ));
            }
        }
        (Some(_), None) => {}
    }
}

fn past_retirement(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    if m.spec.is_none() {
        return;
    }
    if let (Some(r), Some(now)) = (m.review.as_ref().and_then(|r| r.retire_by.as_ref()), cx.now) {
        if r.value < now {
            out.push(RawFinding::at(
                Rule::LifecyclePastRetirement,
                format!("the app was due to retire on {}", r.value),
                &r.origin,
            ));
        }
    }
}
