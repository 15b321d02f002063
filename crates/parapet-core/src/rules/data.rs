//! `data/*`: the data the app handles is declared, and fits its tier.

use crate::hash::Map;

use super::{declare_rule, Context, RawFinding, Rule};
use crate::model::Sensitivity;
use crate::walk::{ClassHit, Walk};

declare_rule! {
    /// Without a declared classification nobody can tell which controls the app's data needs.
    CLASSIFICATION_REQUIRED = "data/classification-required" {
        title: "The data's sensitivity isn't declared",
        summary: "no `spec.dataClassification`",
        defaults: [Info, Deny, Deny],
        severity: 4.0,
        precision: VeryHigh,
        help: "Declare spec.dataClassification: public, internal, confidential or restricted.",
        check: Some(classification_required),
    }
    /// Each tier has a data ceiling. Personal or regulated data above the ceiling needs the
    /// controls of a higher tier (or, in sandboxes, synthetic data instead).
    SENSITIVE_DATA_IN_TIER = "data/sensitive-data-in-tier" {
        title: "Data is too sensitive for this tier",
        summary: "a detected data class is above the tier's `maxDataClass`",
        defaults: [Deny, Approval, Approval],
        severity: 7.5,
        precision: Medium,
        help: "Use synthetic or masked data, or move the app to a tier whose data ceiling allows this class.",
        check: Some(sensitive_data_in_tier),
    }
    /// The data the app actually handles is more sensitive than what its owner declared, so
    /// the declared controls are too weak.
    UNDECLARED_SENSITIVE_DATA = "data/undeclared-sensitive-data" {
        title: "More sensitive data than declared",
        summary: "a detected class is above the declared classification",
        defaults: [Warn, Warn, Warn],
        severity: 5.0,
        precision: Medium,
        help: "Raise spec.dataClassification to match the data, or remove the sensitive field.",
        check: Some(undeclared_sensitive_data),
    }
}

fn classification_required(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    if m.data_classification.is_some() {
        return;
    }
    if let Some(spec) = &m.spec {
        out.push(RawFinding::at(
            Rule::DataClassificationRequired,
            "the app does not declare what kind of data it handles (spec.dataClassification)"
                .into(),
            spec,
        ));
    }
}

fn sensitive_data_in_tier(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let ceiling = cx.tier_policy().max_data_class;
    let tier = cx.tier.as_str();
    if let Some(d) = m.data_classification.as_ref().filter(|d| d.value > ceiling) {
        out.push(RawFinding::at(
            Rule::DataSensitiveDataInTier,
            format!(
                "the app is declared {} but the {tier} tier allows data up to {}",
                d.value.as_str(),
                ceiling.as_str()
            ),
            &d.origin,
        ));
    }
    for top in places(cx.walk) {
        if top.level > ceiling {
            out.push(RawFinding::new(
                Rule::DataSensitiveDataInTier,
                format!(
                    "{} ({}) in a {tier} app: this tier allows data up to {}",
                    class_label(top.class),
                    top.level.as_str(),
                    ceiling.as_str()
                ),
                top.path.clone(),
                top.span,
            ));
        }
    }
}

fn undeclared_sensitive_data(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(declared) = m.data_classification.as_ref().map(|d| d.value) else {
        return;
    };
    for top in places(cx.walk) {
        if top.level > declared {
            out.push(RawFinding::new(
                Rule::DataUndeclaredSensitiveData,
                format!(
                    "{} ({}) but the app is declared {}",
                    class_label(top.class),
                    top.level.as_str(),
                    declared.as_str()
                ),
                top.path.clone(),
                top.span,
            ));
        }
    }
}

/// The places data rules report: for each path, its most sensitive class; a place under an
/// already reported place at the same or a higher level adds nothing (a sample under a field).
/// Computed once per walk for both data rules.
fn places(walk: &Walk) -> impl Iterator<Item = &ClassHit> {
    walk.places
        .get_or_init(|| place_indices(&walk.classes))
        .iter()
        .filter_map(|&i| walk.classes.get(i))
}

/// [`places`], as indices into `classes` (sorted by path).
fn place_indices(classes: &[ClassHit]) -> Vec<usize> {
    let mut out = Vec::new();
    // The highest level reported at each pointer (without trailing `/`), looked up for each
    // pointer prefix of a place.
    let mut reported: Map<&str, Sensitivity> = Map::default();
    let mut i = 0;
    while i < classes.len() {
        let path = &classes[i].path;
        let mut top_at = i;
        let mut j = i;
        while j < classes.len() && &classes[j].path == path {
            if classes[j].level > classes[top_at].level {
                top_at = j;
            }
            j += 1;
        }
        let top = &classes[top_at];
        i = j;
        let covered = |q: &str| reported.get(q).is_some_and(|l| *l >= top.level);
        if covered(path)
            || covered("")
            || path
                .bytes()
                .enumerate()
                .any(|(at, b)| b == b'/' && covered(path.get(..at).unwrap_or("")))
        {
            continue;
        }
        let level = reported
            .entry(path.trim_end_matches('/'))
            .or_insert(top.level);
        *level = (*level).max(top.level);
        out.push(top_at);
    }
    out
}

fn class_label(id: &str) -> String {
    if id == "declared" {
        return "data declared sensitive".into();
    }
    let label = crate::classify::classes()
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.label);
    let mut s = label.to_string();
    if let Some(first) = s.get(..1) {
        let up = first.to_ascii_uppercase();
        s.replace_range(..1, &up);
    }
    s
}
