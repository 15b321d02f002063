//! `cost/*`: every app has a budget, stays within it, and within its tier's cap.

use super::{declare_rule, Context, RawFinding, Rule};
use crate::model::Level;

declare_rule! {
    /// Without a budget, cloud and API spend has no limit and no one notices it growing.
    BUDGET_REQUIRED = "cost/budget-required" {
        title: "No monthly budget is set",
        summary: "no `cost.budgetMonthly`",
        defaults: [Info, Deny, Deny],
        severity: 2.0,
        precision: VeryHigh,
        help: "Set spec.cost.budgetMonthly (and currency) so spend can be tracked.",
        check: Some(budget_required),
    }
    /// Spend above the budget: actual spend over budget is denied; an estimate over budget is
    /// a warning (the finding's level is capped at `warn`).
    OVER_BUDGET = "cost/over-budget" {
        title: "Spending is over budget",
        summary: "actual > budget (deny); estimate > budget (warn)",
        defaults: [Deny, Deny, Deny],
        severity: 3.0,
        precision: VeryHigh,
        help: "Reduce usage, or raise the budget with the budget owner's agreement.",
        check: Some(over_budget),
    }
    /// Each tier caps the budget an app may set without sign-off.
    TIER_CAP = "cost/tier-cap" {
        title: "Budget is above this tier's limit",
        summary: "budget above the tier's `budgetCapMonthly`",
        defaults: [Approval, Approval, Approval],
        severity: 3.0,
        precision: VeryHigh,
        help: "Lower the budget to the tier's cap, or request approval for the higher budget.",
        check: Some(tier_cap),
    }
}

/// An amount for messages: whole units, or two decimals, and the currency when known.
fn money(v: f64, currency: Option<&str>) -> String {
    // Fixed-point cents through integer formatting: no float formatter in the wasm build.
    let cents = (v * 100.0).round() as i64;
    let (sign, abs) = if cents < 0 {
        ("-", cents.unsigned_abs())
    } else {
        ("", cents.unsigned_abs())
    };
    let amount = if abs % 100 == 0 {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    };
    match currency {
        Some(c) => format!("{amount} {c}"),
        None => amount,
    }
}

fn budget_required(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    if m.cost.as_ref().and_then(|c| c.budget.as_ref()).is_some() {
        return;
    }
    let origin = m.cost.as_ref().map(|c| &c.origin).or(m.spec.as_ref());
    if let Some(o) = origin {
        out.push(RawFinding::at(
            Rule::CostBudgetRequired,
            "the app has no monthly budget (spec.cost.budgetMonthly)".into(),
            o,
        ));
    }
}

fn over_budget(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(cost) = cx.manifest.and_then(|m| m.cost.as_ref()) else {
        return;
    };
    let Some(budget) = &cost.budget else { return };
    let cur = cost.currency.as_deref();
    if let Some(a) = cost.actual.as_ref().filter(|a| a.value > budget.value) {
        out.push(RawFinding::at(
            Rule::CostOverBudget,
            format!(
                "actual monthly spend {} is over the budget of {}",
                money(a.value, cur),
                money(budget.value, cur)
            ),
            &a.origin,
        ));
    }
    if let Some(e) = cost.estimate.as_ref().filter(|e| e.value > budget.value) {
        out.push(
            RawFinding::at(
                Rule::CostOverBudget,
                format!(
                    "estimated monthly spend {} is over the budget of {}",
                    money(e.value, cur),
                    money(budget.value, cur)
                ),
                &e.origin,
            )
            .capped(Level::Warn),
        );
    }
}

fn tier_cap(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(cost) = cx.manifest.and_then(|m| m.cost.as_ref()) else {
        return;
    };
    let Some(budget) = &cost.budget else { return };
    if let Some(cap) = cx.tier_policy().budget_cap_monthly {
        if budget.value > cap {
            let cur = cost.currency.as_deref();
            out.push(RawFinding::at(
                Rule::CostTierCap,
                format!(
                    "the budget of {} is above the {} tier's cap of {}",
                    money(budget.value, cur),
                    cx.tier.as_str(),
                    money(cap, cur)
                ),
                &budget.origin,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn amounts_in_whole_units_or_cents() {
        assert_eq!(money(50.0, Some("USD")), "50 USD");
        assert_eq!(money(12.5, None), "12.50");
        assert_eq!(money(-3.456, Some("EUR")), "-3.46 EUR");
    }
}
