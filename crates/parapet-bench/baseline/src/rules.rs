//! The rule catalogue: the one place every rule is declared. `parapet rules`, SARIF `rules[]`,
//! the widget's help links and the README table are generated from it.

use serde::Serialize;

use crate::model::{Level, Tier};

/// One rule's metadata and documentation.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleMeta {
    /// Stable id, `group/name`.
    pub id: &'static str,
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// Default level per tier: sandbox, controlled, production.
    #[serde(serialize_with = "ser_defaults")]
    pub defaults: [Level; 3],
    /// What to do about a finding, written for the person building the app.
    pub help: &'static str,
    /// Why it matters (documentation, markdown).
    pub rationale: &'static str,
    /// SARIF `security-severity` (0.0 to 10.0).
    pub security_severity: f32,
}

fn ser_defaults<S: serde::Serializer>(d: &[Level; 3], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(3))?;
    for t in Tier::ALL {
        m.serialize_entry(t.as_str(), &d[t.index()])?;
    }
    m.end()
}

impl RuleMeta {
    pub fn default_level(&self, tier: Tier) -> Level {
        self.defaults[tier.index()]
    }

    /// The rule's documentation page, relative to the docs root.
    pub fn docs_path(&self) -> String {
        format!("rules/{}", self.id)
    }
}

macro_rules! declare_rules {
    ($(
        $(#[doc = $doc:literal])*
        $konst:ident = $id:literal {
            summary: $summary:literal,
            defaults: [$s:ident, $c:ident, $p:ident],
            severity: $sev:literal,
            help: $help:literal $(,)?
        }
    )*) => {
        /// Typed handles on the catalogue entries.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($konst,)* }

        pub static CATALOGUE: &[RuleMeta] = &[$(
            RuleMeta {
                id: $id,
                summary: $summary,
                defaults: [Level::$s, Level::$c, Level::$p],
                help: $help,
                rationale: concat!($($doc, "\n"),*),
                security_severity: $sev,
            },
        )*];

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$konst,)*];

            pub fn meta(self) -> &'static RuleMeta {
                &CATALOGUE[self as usize]
            }

            pub fn id(self) -> &'static str {
                self.meta().id
            }

            pub fn from_id(id: &str) -> Option<Rule> {
                Rule::ALL.iter().copied().find(|r| r.id() == id)
            }
        }
    };
}

declare_rules! {
    /// The manifest could not be read as YAML or JSON, so nothing else in it can be checked.
    /// Also fires for input too large or too deeply nested to check safely, duplicate keys
    /// (the value is ambiguous), and text that is not valid UTF-8.
    ManifestSyntax = "manifest/syntax" {
        summary: "the text is not valid YAML/JSON",
        defaults: [Deny, Deny, Deny],
        severity: 5.0,
        help: "Fix the syntax error at the marked position; export the app again if the file was edited by hand.",
    }
    /// The document is valid YAML/JSON but not a Parapet manifest v1: wrong `apiVersion` or
    /// `kind`, a missing required field or a value of the wrong type. Unknown fields are
    /// reported at `warn` so that a typo such as `conectors` never silently hides a section.
    ManifestSchema = "manifest/schema" {
        summary: "wrong apiVersion/kind, missing required field, wrong type (unknown fields: warn)",
        defaults: [Deny, Deny, Deny],
        severity: 4.0,
        help: "Correct the field as described; see the manifest v1 reference for the expected shape.",
    }
    /// Every app needs an accountable owner, so that someone answers when it breaks, leaks or
    /// costs too much, and so that it can be handed over when people move on.
    OwnershipMissingOwner = "ownership/missing-owner" {
        summary: "no `spec.owner`",
        defaults: [Warn, Deny, Deny],
        severity: 3.0,
        help: "Set spec.owner to a team (group:NAME), a person (user:NAME) or an e-mail address.",
    }
    /// Apps others depend on need a stated support level, so users know what to expect when
    /// the app fails.
    OwnershipMissingSla = "ownership/missing-sla" {
        summary: "no `spec.sla`",
        defaults: [Off, Warn, Deny],
        severity: 2.0,
        help: "Add spec.sla with a support window and response time, for example { support: business-hours, responseHours: 24 }.",
    }
    /// Without a declared classification nobody can tell which controls the app's data needs.
    DataClassificationRequired = "data/classification-required" {
        summary: "no `spec.dataClassification`",
        defaults: [Info, Deny, Deny],
        severity: 4.0,
        help: "Declare spec.dataClassification: public, internal, confidential or restricted.",
    }
    /// Each tier has a data ceiling. Personal or regulated data above the ceiling needs the
    /// controls of a higher tier (or, in sandboxes, synthetic data instead).
    DataSensitiveDataInTier = "data/sensitive-data-in-tier" {
        summary: "a detected data class is above the tier's `maxDataClass`",
        defaults: [Deny, Approval, Approval],
        severity: 7.5,
        help: "Use synthetic or masked data, or move the app to a tier whose data ceiling allows this class.",
    }
    /// The data the app actually handles is more sensitive than what its owner declared, so
    /// the declared controls are too weak.
    DataUndeclaredSensitiveData = "data/undeclared-sensitive-data" {
        summary: "a detected class is above the declared classification",
        defaults: [Warn, Warn, Warn],
        severity: 5.0,
        help: "Raise spec.dataClassification to match the data, or remove the sensitive field.",
    }
    /// The organisation blocks this service or endpoint outright (for example paste sites or
    /// tunnels that expose internal data).
    IntegrationBlockedConnector = "integration/blocked-connector" {
        summary: "a connector's service is in `blocked`, or its host hits a `deny` endpoint rule",
        defaults: [Deny, Deny, Deny],
        severity: 8.0,
        help: "Remove this connector or replace it with an approved service.",
    }
    /// Sending data to a service outside the approved business group moves it beyond the
    /// organisation's contracts and controls (like Power Platform DLP's non-business group).
    IntegrationExternalConnector = "integration/external-connector" {
        summary: "an outbound connector to a service outside `business`",
        defaults: [Deny, Approval, Approval],
        severity: 6.0,
        help: "Use an approved business connector, or request approval for this external service.",
    }
    /// Plain `http://` sends data and credentials unencrypted across the network.
    IntegrationInsecureTransport = "integration/insecure-transport" {
        summary: "an `http://` URL to a non-loopback host",
        defaults: [Warn, Deny, Deny],
        severity: 6.5,
        help: "Use https:// for this endpoint.",
    }
    /// A credential written into the app can be read by anyone who can see or export it, and
    /// lives on in copies, exports and version history.
    SecretsPlaintextSecret = "secrets/plaintext-secret" {
        summary: "a secret appears in any string value",
        defaults: [Deny, Deny, Deny],
        severity: 9.0,
        help: "Revoke this credential, store a new one in the platform's credential store and reference it with auth: secretRef.",
    }
    /// `*` lets any website call the app from a visitor's browser.
    ConfigCorsWildcard = "config/cors-wildcard" {
        summary: "`allowOrigins` contains `*`",
        defaults: [Warn, Deny, Deny],
        severity: 5.5,
        help: "List the exact origins that may call the app instead of *.",
    }
    /// Wildcard grants give the app far more access than it needs (least privilege).
    ConfigIamWildcard = "config/iam-wildcard" {
        summary: "a grant with `*` in actions or resources",
        defaults: [Warn, Approval, Deny],
        severity: 7.0,
        help: "Grant only the specific actions and resources the app uses.",
    }
    /// A public trigger without authentication lets anyone on the internet run the app.
    ConfigUnauthenticatedTrigger = "config/unauthenticated-trigger" {
        summary: "a public webhook/form trigger with `auth: none`",
        defaults: [Warn, Deny, Deny],
        severity: 7.5,
        help: "Require a token, an HMAC signature or SSO on this trigger, or make it non-public.",
    }
    /// Without a budget, cloud and API spend has no limit and no one notices it growing.
    CostBudgetRequired = "cost/budget-required" {
        summary: "no `cost.budgetMonthly`",
        defaults: [Info, Deny, Deny],
        severity: 2.0,
        help: "Set spec.cost.budgetMonthly (and currency) so spend can be tracked.",
    }
    /// Spend above the budget: actual spend over budget is denied; an estimate over budget is
    /// a warning (the finding's level is capped at `warn`).
    CostOverBudget = "cost/over-budget" {
        summary: "actual > budget (deny); estimate > budget (warn)",
        defaults: [Deny, Deny, Deny],
        severity: 3.0,
        help: "Reduce usage, or raise the budget with the budget owner's agreement.",
    }
    /// Each tier caps the budget an app may set without sign-off.
    CostTierCap = "cost/tier-cap" {
        summary: "budget above the tier's `budgetCapMonthly`",
        defaults: [Approval, Approval, Approval],
        severity: 3.0,
        help: "Lower the budget to the tier's cap, or request approval for the higher budget.",
    }
    /// Apps that cannot be exported cannot be backed up, reviewed or moved off a platform.
    ExportNotExportable = "export/not-exportable" {
        summary: "`export.exportable` is not true",
        defaults: [Info, Deny, Deny],
        severity: 2.0,
        help: "Make the app exportable (spec.export.exportable: true) and name the export format.",
    }
    /// Exports belong in version control so changes can be reviewed and rolled back.
    ExportNoRepository = "export/no-repository" {
        summary: "no `export.repository`",
        defaults: [Off, Warn, Deny],
        severity: 2.0,
        help: "Store the app's export in a repository and set spec.export.repository.",
    }
    /// Apps drift: owners leave, data grows. Periodic review keeps the tier and controls true.
    LifecycleReviewOverdue = "lifecycle/review-overdue" {
        summary: "last review older than the tier's cadence, or never reviewed",
        defaults: [Off, Warn, Warn],
        severity: 2.0,
        help: "Review the app (owner, data, connectors, spend) and set spec.review.lastReviewed.",
    }
    /// The owner planned to retire this app by now.
    LifecyclePastRetirement = "lifecycle/past-retirement" {
        summary: "`review.retireBy` is before `now`",
        defaults: [Warn, Deny, Deny],
        severity: 3.0,
        help: "Retire the app, or agree a new retireBy date and record it.",
    }
    /// An expired exception waives nothing; the findings it covered are back at full level.
    ExceptionsExpired = "exceptions/expired" {
        summary: "an exception's `expires` is before `now` (it then waives nothing)",
        defaults: [Warn, Warn, Warn],
        severity: 2.0,
        help: "Renew the exception through the approval process, or fix the underlying finding.",
    }
    /// An exception for a rule id that does not exist waives nothing, probably a typo.
    ExceptionsUnknownRule = "exceptions/unknown-rule" {
        summary: "an exception names no known rule",
        defaults: [Warn, Warn, Warn],
        severity: 1.0,
        help: "Use a rule id from `parapet rules`.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_23_contract_rules_in_enum_order() {
        assert_eq!(CATALOGUE.len(), 23);
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(r.meta().id, CATALOGUE[i].id);
            assert_eq!(Rule::from_id(r.id()), Some(*r));
        }
        let mut ids: Vec<_> = CATALOGUE.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 23, "ids are unique");
    }
}
