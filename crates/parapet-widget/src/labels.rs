//! Words for people: a plain-language title per rule. Field names come with the engine's
//! findings (`EvaluateOptions::field_names`), already redacted by the engine's redactor.

/// A short, plain-language headline for a rule, written for the person building the app: the
/// `title` declared with the rule in `parapet_core`'s rules.
pub fn rule_title(id: &str) -> &'static str {
    parapet_core::Rule::from_id(id).map_or("Policy finding", |r| r.meta().title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_rule_has_a_title() {
        for rule in parapet_core::CATALOGUE {
            assert_ne!(rule_title(rule.id), "Policy finding", "{}", rule.id);
        }
    }
}
