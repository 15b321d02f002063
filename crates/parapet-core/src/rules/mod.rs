//! The rules: one registry line per rule id, and one file per family holding each rule's
//! metadata, its check and its unit tests side by side.
//!
//! # How to add a rule
//!
//! 1. In the family's file (`rules/<family>.rs`; add a file and a `mod` line below for a new
//!    family), declare the rule with [`declare_rule!`]: its doc comment is the rationale, then
//!    `id`, `title` (the widget's plain-language headline), `summary`, `defaults` (levels for
//!    sandbox, controlled, production), `severity` (SARIF security-severity), `precision`
//!    (SARIF precision), `help`, and `check` (the function that raises it, or `None` when the
//!    parser or the walk raises it).
//! 2. Write the check beside it: `fn my_check(cx: &Context<'_>, out: &mut Vec<RawFinding>)`,
//!    pushing `RawFinding::at(Rule::MyRule, message, &origin)`. Quote manifest text only
//!    through [`Context::shown`] (redacted and shortened), and add unit tests in the same file.
//! 3. Add one line to the registry below: `MyRule = family::MY_RULE,`. The variant name is the
//!    typed handle (`Rule::MyRule`); the position is the catalogue order (`parapet rules`,
//!    SARIF `rules[]`).
//! 4. Add two spec cases, `tests/cases/<family>/<name>/{pass,fail}*.yaml`, and accept their
//!    snapshots.
//!
//! Nothing outside this module names a rule by its id string: use `Rule::X` or the
//! [`CATALOGUE`]. `parapet rules`, SARIF `rules[]`, the widget's titles and docs links all read
//! the metadata declared here.

use serde::Serialize;

use crate::model::{Level, Tier};
use crate::policy::{PolicyError, PolicyPack};

mod config;
mod context;
mod cost;
mod data;
mod exceptions;
mod export;
mod integration;
mod lifecycle;
mod manifest;
mod ownership;
mod secrets;

pub(crate) use context::{Context, RawFinding};
pub(crate) use manifest::is_manifest;

/// Where every rule's documentation page lives: `https://parapet.dev/docs/rules/<id>`.
pub const DOCS_ROOT: &str = "https://parapet.dev/docs/rules/";

/// The documentation page of the rule `id`, as the CLI, SARIF and the widget link to it.
pub fn docs_url(id: &str) -> String {
    format!("{DOCS_ROOT}{id}")
}

/// How often a rule's findings are right (SARIF `precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    VeryHigh,
    High,
    Medium,
    Low,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

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
    /// A short, plain-language headline for the person building the app (the widget's title).
    #[serde(skip)]
    pub title: &'static str,
    /// SARIF `precision`.
    #[serde(skip)]
    pub precision: Precision,
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

    /// The rule's documentation page.
    pub fn docs_url(&self) -> String {
        docs_url(self.id)
    }

    /// The family: the part of the id before `/`.
    pub fn group(&self) -> &'static str {
        self.id.split('/').next().unwrap_or(self.id)
    }
}

/// A check: reads the context, pushes raw findings.
pub(crate) type Check = fn(&Context<'_>, &mut Vec<RawFinding>);

/// A rule as declared in its family's file: metadata plus the check that raises it.
pub(crate) struct Declared {
    pub meta: RuleMeta,
    pub check: Option<Check>,
}

/// Declares rules in a family file. See the module documentation.
macro_rules! declare_rule {
    ($(
        $(#[doc = $doc:literal])*
        $konst:ident = $id:literal {
            title: $title:literal,
            summary: $summary:literal,
            defaults: [$s:ident, $c:ident, $p:ident],
            severity: $sev:literal,
            precision: $prec:ident,
            help: $help:literal,
            check: $check:expr $(,)?
        }
    )*) => {$(
        $(#[doc = $doc])*
        pub(super) const $konst: crate::rules::Declared = crate::rules::Declared {
            meta: crate::rules::RuleMeta {
                id: $id,
                summary: $summary,
                defaults: [
                    crate::model::Level::$s,
                    crate::model::Level::$c,
                    crate::model::Level::$p,
                ],
                help: $help,
                rationale: concat!($($doc, "\n"),*),
                security_severity: $sev,
                title: $title,
                precision: crate::rules::Precision::$prec,
            },
            check: $check,
        };
    )*};
}
pub(crate) use declare_rule;

macro_rules! registry {
    ($($variant:ident = $family:ident :: $konst:ident,)*) => {
        /// Typed handles on the catalogue entries, in catalogue order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant,)* }

        /// Every rule's metadata, in registry order.
        pub static CATALOGUE: &[RuleMeta] = &[$($family::$konst.meta,)*];

        /// Every rule's check, in registry order.
        static CHECKS: &[Option<Check>] = &[$($family::$konst.check,)*];

        /// The registry's side of a policy pack: which rule ids a pack may name, and the level a rule
/// has under a pack. (`policy` reads packs without knowing the rules; they meet here.)
impl PolicyPack {
    /// Parses a pack (YAML or JSON) and merges it over the built-in default. A `rules:` entry
    /// naming no rule of the registry is an error.
    pub fn from_text(text: &str) -> Result<PolicyPack, Vec<PolicyError>> {
        PolicyPack::parse_with(text, |id| Rule::from_id(id).is_some())
    }

    /// The level a rule has in a tier under this pack.
    pub fn level(&self, rule: Rule, tier: Tier) -> Level {
        self.rules
            .get(rule.id())
            .and_then(|o| o[tier.index()])
            .unwrap_or_else(|| rule.meta().default_level(tier))
    }
}

impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];
        }
    };
}

// The registry: one line per rule id. The order is the catalogue's order.
registry! {
    ManifestSyntax = manifest::SYNTAX,
    ManifestSchema = manifest::SCHEMA,
    OwnershipMissingOwner = ownership::MISSING_OWNER,
    OwnershipMissingSla = ownership::MISSING_SLA,
    DataClassificationRequired = data::CLASSIFICATION_REQUIRED,
    DataSensitiveDataInTier = data::SENSITIVE_DATA_IN_TIER,
    DataUndeclaredSensitiveData = data::UNDECLARED_SENSITIVE_DATA,
    IntegrationBlockedConnector = integration::BLOCKED_CONNECTOR,
    IntegrationExternalConnector = integration::EXTERNAL_CONNECTOR,
    IntegrationInsecureTransport = integration::INSECURE_TRANSPORT,
    SecretsPlaintextSecret = secrets::PLAINTEXT_SECRET,
    ConfigCorsWildcard = config::CORS_WILDCARD,
    ConfigIamWildcard = config::IAM_WILDCARD,
    ConfigUnauthenticatedTrigger = config::UNAUTHENTICATED_TRIGGER,
    CostBudgetRequired = cost::BUDGET_REQUIRED,
    CostOverBudget = cost::OVER_BUDGET,
    CostTierCap = cost::TIER_CAP,
    ExportNotExportable = export::NOT_EXPORTABLE,
    ExportNoRepository = export::NO_REPOSITORY,
    LifecycleReviewOverdue = lifecycle::REVIEW_OVERDUE,
    LifecyclePastRetirement = lifecycle::PAST_RETIREMENT,
    ExceptionsExpired = exceptions::EXPIRED,
    ExceptionsUnknownRule = exceptions::UNKNOWN_RULE,
    ExceptionsInvalidSignature = exceptions::INVALID_SIGNATURE,
    // Vendor adapters' rules (after the earlier rules, so their indices stay).
    ConfigCodeExecution = config::CODE_EXECUTION,
    IntegrationTlsVerificationDisabled = integration::TLS_VERIFICATION_DISABLED,
}

impl Rule {
    pub fn meta(self) -> &'static RuleMeta {
        &CATALOGUE[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.meta().id
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// A rule of the secrets family (`secrets/…`): its findings are about a secret in the
    /// text itself, wherever the text sits.
    pub fn finds_secrets(self) -> bool {
        self.meta().group() == Rule::SecretsPlaintextSecret.meta().group()
    }

    /// Exceptions waive findings of every rule but these (an exception cannot waive the
    /// findings about exceptions themselves).
    pub(crate) fn waivable(self) -> bool {
        !matches!(
            self,
            Rule::ExceptionsExpired
                | Rule::ExceptionsUnknownRule
                | Rule::ExceptionsInvalidSignature
        )
    }
}

/// Runs every rule's check over the context.
pub(crate) fn run(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    for check in CHECKS.iter().flatten() {
        check(cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_in_enum_order_with_unique_ids() {
        assert!(CATALOGUE.len() >= 23, "the 23 contract rules at least");
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(r.meta().id, CATALOGUE[i].id);
            assert_eq!(Rule::from_id(r.id()), Some(*r));
        }
        let mut ids: Vec<_> = CATALOGUE.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CATALOGUE.len(), "ids are unique");
        for r in CATALOGUE {
            let family = r.group();
            assert!(r.id.len() > family.len() + 1, "{} is family/name", r.id);
        }
    }

    #[test]
    fn every_rule_has_a_title_help_and_rationale() {
        for r in CATALOGUE {
            assert!(!r.title.is_empty() && !r.help.is_empty() && !r.rationale.is_empty());
            assert!((0.0..=10.0).contains(&r.security_severity), "{}", r.id);
        }
    }

    #[test]
    fn the_secrets_family_is_its_ids() {
        for r in Rule::ALL {
            assert_eq!(
                r.finds_secrets(),
                r.id().starts_with("secrets/"),
                "{}",
                r.id()
            );
        }
        assert!(Rule::SecretsPlaintextSecret.finds_secrets());
        assert!(!Rule::ManifestSyntax.finds_secrets());
    }

    #[test]
    fn docs_links_are_one_shape() {
        assert_eq!(
            Rule::CostTierCap.meta().docs_url(),
            "https://parapet.dev/docs/rules/cost/tier-cap"
        );
    }
}
