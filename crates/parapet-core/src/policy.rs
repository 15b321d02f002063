//! Policy pack v1: the organisation's tiered policy. A pack file is merged over the built-in
//! default field by field; an invalid pack is an error naming the field and its line.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::{push_pointer, Limits, Node, Value};
use crate::model::{Level, Sensitivity, Tier};
use crate::parse::{parse, Syntax};
use crate::schema::{display_name, field, validate, Shape};
use crate::secrets::Confidence;
use crate::source::LineIndex;

/// The built-in default pack, exactly as docs/policy-pack.md specifies it.
pub const DEFAULT_PACK_YAML: &str = r#"apiVersion: parapet.dev/v1
kind: PolicyPack
metadata: { name: default, version: "1" }
tiers:                       # data ceiling, budget cap, review cadence
  sandbox:    { maxDataClass: internal,     budgetCapMonthly: 25,  reviewEveryDays: null }
  controlled: { maxDataClass: confidential, budgetCapMonthly: 500, reviewEveryDays: 90 }
  production: { maxDataClass: restricted,   budgetCapMonthly: null, reviewEveryDays: 30 }
connectors:                  # like Power Platform DLP connector groups
  business: [slack, google-sheets, microsoft-teams, sharepoint]
  blocked: []
  unknown: external          # how an unlisted service counts: external | business | blocked
  nodeTypes: {}              # vendor node type -> service id, e.g. { "n8n-nodes-base.myCrm": crm }
  hosts: {}                  # host -> service id, e.g. { "api.hubapi.com": hubspot }
defaults:
  tier: sandbox              # the tier of a vendor export that states none
endpoints: []                # ordered host rules, first match wins: { allow: "*.corp.example" } or { deny: "*.ngrok.io" }
rules: {}                    # per-rule overrides, per tier: off | info | warn | approval | deny
secrets:
  allow: []                  # regexes for known-fake values
approvals:
  routes: { "integration/*": integration-review, "*": security-review }
"#;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierPolicy {
    pub max_data_class: Sensitivity,
    pub budget_cap_monthly: Option<f64>,
    pub review_every_days: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownService {
    External,
    Business,
    Blocked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointRule {
    Allow(String),
    Deny(String),
}

impl EndpointRule {
    pub fn pattern(&self) -> &str {
        match self {
            EndpointRule::Allow(p) | EndpointRule::Deny(p) => p,
        }
    }
}

/// A complete, validated pack (the default with a file's overrides applied).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyPack {
    pub name: String,
    pub version: Option<String>,
    pub tiers: BTreeMap<Tier, TierPolicy>,
    pub business: Vec<String>,
    pub blocked: Vec<String>,
    pub unknown: UnknownService,
    /// `connectors.nodeTypes`: vendor node type -> service id (extends the built-in table).
    /// (Left out of the digest's JSON when empty, so packs without it keep their digest.)
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub node_types: BTreeMap<String, String>,
    /// `connectors.hosts`: host -> service id (extends the built-in table).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub hosts: BTreeMap<String, String>,
    /// `defaults.tier`: the tier of a vendor export that states none.
    #[serde(skip_serializing_if = "is_sandbox")]
    pub default_tier: Tier,
    pub endpoints: Vec<EndpointRule>,
    /// Rule id -> per-tier override (sandbox, controlled, production); `None` keeps the default.
    pub rules: BTreeMap<String, [Option<Level>; 3]>,
    pub secrets_allow: Vec<String>,
    /// `secrets.minConfidence` per tier (sandbox, controlled, production): secret findings below
    /// it are not reported. Default `possible` everywhere (everything is reported).
    #[serde(skip_serializing_if = "all_possible")]
    pub secrets_min_confidence: [Confidence; 3],
    /// Rule-id glob -> route. The most specific pattern wins (exact id, then longest prefix).
    pub routes: Vec<(String, String)>,
    /// `approvals.trustedKeys`: the Ed25519 keys whose signed waivers this pack accepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trusted_keys: Vec<crate::waivers::PublicKey>,
    /// `exceptions.requireSignature`: tiers where unsigned exceptions waive nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub require_signature: Vec<Tier>,
}

/// One problem in a pack, positioned in the pack's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    pub message: String,
    pub pointer: String,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Why a pack's routes must include `"*"`.
pub(crate) const NO_CATCH_ALL_ROUTE: &str =
    "add one (for example \"*\": security-review) so that approval findings no other pattern matches have a route";

static LEVEL_SHAPE: Shape = Shape::OneOf(&["off", "info", "warn", "approval", "deny"]);
static TIER_SHAPE: Shape = Shape::Object(&[
    field(
        "maxDataClass",
        &Shape::OneOf(&["public", "internal", "confidential", "restricted"]),
    ),
    field("budgetCapMonthly", &Shape::NumberOrNull),
    field("reviewEveryDays", &Shape::NumberOrNull),
]);
static CONFIDENCE_SHAPE: Shape = Shape::OneOf(&["certain", "likely", "possible"]);
static STR: Shape = Shape::Str;
static STRS: Shape = Shape::List(&STR);
static PACK: Shape = Shape::Object(&[
    field("apiVersion", &Shape::OneOf(&["parapet.dev/v1"])),
    field("kind", &Shape::OneOf(&["PolicyPack"])),
    field(
        "metadata",
        &Shape::Object(&[
            field("name", &STR),
            field("version", &STR),
            field("description", &STR),
        ]),
    ),
    field(
        "tiers",
        &Shape::Object(&[
            field("sandbox", &TIER_SHAPE),
            field("controlled", &TIER_SHAPE),
            field("production", &TIER_SHAPE),
        ]),
    ),
    field(
        "connectors",
        &Shape::Object(&[
            field("business", &STRS),
            field("blocked", &STRS),
            field(
                "unknown",
                &Shape::OneOf(&["external", "business", "blocked"]),
            ),
            field("nodeTypes", &Shape::MapOf(&STR)),
            field("hosts", &Shape::MapOf(&STR)),
        ]),
    ),
    field(
        "defaults",
        &Shape::Object(&[field(
            "tier",
            &Shape::OneOf(&["sandbox", "controlled", "production"]),
        )]),
    ),
    field(
        "endpoints",
        &Shape::List(&Shape::Object(&[field("allow", &STR), field("deny", &STR)])),
    ),
    field("rules", &Shape::MapOf(&Shape::Any)),
    field(
        "secrets",
        &Shape::Object(&[
            field("allow", &STRS),
            field(
                "minConfidence",
                &Shape::Object(&[
                    field("sandbox", &CONFIDENCE_SHAPE),
                    field("controlled", &CONFIDENCE_SHAPE),
                    field("production", &CONFIDENCE_SHAPE),
                ]),
            ),
        ]),
    ),
    field(
        "approvals",
        &Shape::Object(&[
            field("routes", &Shape::MapOf(&STR)),
            // A JWKS (or a bare list of JWKs); checked key by key in `apply`.
            field("trustedKeys", &Shape::Any),
        ]),
    ),
    field(
        "exceptions",
        &Shape::Object(&[field(
            "requireSignature",
            &Shape::List(&Shape::OneOf(&["sandbox", "controlled", "production"])),
        )]),
    ),
]);

impl Default for PolicyPack {
    fn default() -> Self {
        let mut pack = PolicyPack {
            name: "default".into(),
            version: None,
            tiers: BTreeMap::new(),
            business: Vec::new(),
            blocked: Vec::new(),
            unknown: UnknownService::External,
            node_types: BTreeMap::new(),
            hosts: BTreeMap::new(),
            default_tier: Tier::Sandbox,
            endpoints: Vec::new(),
            rules: BTreeMap::new(),
            secrets_allow: Vec::new(),
            secrets_min_confidence: [Confidence::Possible; 3],
            routes: Vec::new(),
            trusted_keys: Vec::new(),
            require_signature: Vec::new(),
        };
        // The built-in text is tested to parse and validate; any failure leaves the fallbacks.
        if let Ok(parsed) = parse(DEFAULT_PACK_YAML, Syntax::Yaml, &Limits::default()) {
            let index = LineIndex::new(DEFAULT_PACK_YAML);
            let mut errors = Vec::new();
            // The built-in pack overrides no rule (`rules: {}`); `from_text` of it is tested.
            pack.apply(
                &parsed.root,
                DEFAULT_PACK_YAML,
                &index,
                &|_| true,
                &mut errors,
            );
        }
        pack
    }
}

impl PolicyPack {
    /// Parses a pack (YAML or JSON) and merges it over the built-in default; `is_rule` says
    /// which ids a `rules:` entry may name. The public entry point is `PolicyPack::from_text`
    /// (in `rules`, which owns the registry): this module does not know the rules.
    pub(crate) fn parse_with(
        text: &str,
        is_rule: impl Fn(&str) -> bool,
    ) -> Result<PolicyPack, Vec<PolicyError>> {
        let index = LineIndex::new(text);
        let at = |span: crate::source::Span, pointer: &str, message: String| {
            let (line, column) = index.line_col(text, span.start);
            PolicyError {
                message,
                pointer: pointer.to_string(),
                line,
                column,
            }
        };
        let parsed = parse(text, Syntax::Auto, &Limits::default()).map_err(|e| {
            vec![at(
                e.span,
                "",
                format!("invalid policy pack: {}", e.message),
            )]
        })?;
        let mut errors: Vec<PolicyError> = parsed
            .duplicates
            .iter()
            .map(|d| at(d.span, "", format!("duplicate key \"{}\"", d.name)))
            .collect();
        let root = &parsed.root;
        if root.is_null() {
            return Ok(PolicyPack::default());
        }
        let mut issues = Vec::new();
        validate(root, &PACK, "", None, &mut issues);
        errors.extend(
            issues
                .into_iter()
                .map(|i| at(i.span, &i.pointer, i.message)),
        );
        let mut pack = PolicyPack::default();
        pack.apply(root, text, &index, &is_rule, &mut errors);
        if errors.is_empty() {
            Ok(pack)
        } else {
            crate::sort::sort_by_key(&mut errors, |e| (e.line, e.column));
            Err(errors)
        }
    }

    /// Applies the fields present in `root` over `self`, field by field.
    fn apply(
        &mut self,
        root: &Node,
        text: &str,
        index: &LineIndex,
        is_rule: &dyn Fn(&str) -> bool,
        errors: &mut Vec<PolicyError>,
    ) {
        let err = |node: &Node, pointer: &str, message: String| {
            let (line, column) = index.line_col(text, node.span.start);
            PolicyError {
                message,
                pointer: pointer.to_string(),
                line,
                column,
            }
        };
        let strings = |n: &Node| -> Vec<String> {
            n.as_seq()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Node::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(meta) = root.get("metadata") {
            if let Some(name) = meta.get("name").and_then(Node::as_str) {
                self.name = name.to_string();
            }
            if let Some(v) = meta.get("version").and_then(Node::as_str) {
                self.version = Some(v.to_string());
            }
        }
        if let Some(tiers) = root.get("tiers") {
            for tier in Tier::ALL {
                let Some(t) = tiers.get(tier.as_str()) else {
                    continue;
                };
                let entry = self.tiers.entry(tier).or_insert(TierPolicy {
                    max_data_class: Sensitivity::Restricted,
                    budget_cap_monthly: None,
                    review_every_days: None,
                });
                if let Some(s) = t
                    .get("maxDataClass")
                    .and_then(Node::as_str)
                    .and_then(Sensitivity::parse)
                {
                    entry.max_data_class = s;
                }
                if let Some(cap) = t.get("budgetCapMonthly") {
                    entry.budget_cap_monthly = cap.as_f64();
                }
                if let Some(days) = t.get("reviewEveryDays") {
                    let ptr = format!("/tiers/{}/reviewEveryDays", tier.as_str());
                    entry.review_every_days = match days.as_f64() {
                        None => None,
                        Some(d) if (1.0..=36_500.0).contains(&d) && d.fract() == 0.0 => {
                            Some(d as u32)
                        }
                        Some(_) => {
                            errors.push(err(
                                days,
                                &ptr,
                                format!(
                                    "{} must be a whole number of days from 1 to 36500, or null",
                                    display_name(&ptr)
                                ),
                            ));
                            None
                        }
                    };
                }
            }
        }
        if let Some(c) = root.get("connectors") {
            if let Some(b) = c.get("business") {
                self.business = strings(b);
            }
            if let Some(b) = c.get("blocked") {
                self.blocked = strings(b);
            }
            match c.get("unknown").and_then(Node::as_str) {
                Some("business") => self.unknown = UnknownService::Business,
                Some("blocked") => self.unknown = UnknownService::Blocked,
                Some("external") => self.unknown = UnknownService::External,
                _ => {}
            }
            // Built by `insert`, not `collect`: a collected BTreeMap sorts its entries first,
            // an instantiation of the std sort the wasm build would carry for this alone.
            let map = |n: &Node| -> BTreeMap<String, String> {
                let mut map = BTreeMap::new();
                for (k, v) in n.as_map().into_iter().flatten() {
                    if let Some(v) = v.as_str() {
                        map.insert(k.name.to_string(), v.to_string());
                    }
                }
                map
            };
            if let Some(t) = c.get("nodeTypes") {
                self.node_types.extend(map(t));
            }
            if let Some(h) = c.get("hosts") {
                self.hosts
                    .extend(map(h).into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)));
            }
        }
        if let Some(t) = root
            .get("defaults")
            .and_then(|d| d.get("tier"))
            .and_then(Node::as_str)
            .and_then(Tier::parse)
        {
            self.default_tier = t;
        }
        if let Some(eps) = root.get("endpoints").and_then(Node::as_seq) {
            self.endpoints.clear();
            for (i, ep) in eps.iter().enumerate() {
                let ptr = format!("/endpoints/{i}");
                match (
                    ep.get("allow").and_then(Node::as_str),
                    ep.get("deny").and_then(Node::as_str),
                ) {
                    (Some(a), None) => self.endpoints.push(EndpointRule::Allow(a.to_string())),
                    (None, Some(d)) => self.endpoints.push(EndpointRule::Deny(d.to_string())),
                    _ => errors.push(err(
                        ep,
                        &ptr,
                        format!(
                            "{} must have exactly one of allow or deny",
                            display_name(&ptr)
                        ),
                    )),
                }
            }
        }
        if let Some(rules) = root.get("rules").and_then(Node::as_map) {
            for (k, v) in rules {
                let ptr = push_pointer("/rules", &k.name);
                if !is_rule(&k.name) {
                    let (line, column) = index.line_col(text, k.span.start);
                    errors.push(PolicyError {
                        message: format!(
                            "unknown rule \"{}\" in rules (see `parapet rules`)",
                            crate::text::truncate(&k.name, 60)
                        ),
                        pointer: ptr,
                        line,
                        column,
                    });
                    continue;
                }
                let entry = self.rules.entry(k.name.to_string()).or_insert([None; 3]);
                match &v.value {
                    Value::String(s) => match Level::parse(s) {
                        Some(l) => *entry = [Some(l); 3],
                        None => errors.push(err(v, &ptr, format!("{} must be off, info, warn, approval or deny, or a mapping from tier to level", display_name(&ptr)))),
                    },
                    Value::Map(per_tier) => {
                        for (tk, tv) in per_tier {
                            let tptr = push_pointer(&ptr, &tk.name);
                            let Some(tier) = Tier::parse(&tk.name) else {
                                let (line, column) = index.line_col(text, tk.span.start);
                                errors.push(PolicyError {
                                    message: format!("unknown tier \"{}\" in {}; expected sandbox, controlled or production", crate::text::truncate(&tk.name, 40), display_name(&ptr)),
                                    pointer: tptr,
                                    line,
                                    column,
                                });
                                continue;
                            };
                            let mut issues = Vec::new();
                            validate(tv, &LEVEL_SHAPE, &tptr, Some(tk.span), &mut issues);
                            for i in issues {
                                let (line, column) = index.line_col(text, i.span.start);
                                errors.push(PolicyError { message: i.message, pointer: i.pointer, line, column });
                            }
                            entry[tier.index()] = tv.as_str().and_then(Level::parse);
                        }
                    }
                    _ => errors.push(err(v, &ptr, format!("{} must be a level or a mapping from tier to level", display_name(&ptr)))),
                }
            }
        }
        if let Some(allow) = root
            .get("secrets")
            .and_then(|s| s.get("allow"))
            .and_then(Node::as_seq)
        {
            self.secrets_allow.clear();
            for (i, a) in allow.iter().enumerate() {
                let Some(p) = a.as_str() else { continue };
                if let Err(e) = regex_lite::Regex::new(p) {
                    let ptr = format!("/secrets/allow/{i}");
                    errors.push(err(
                        a,
                        &ptr,
                        format!(
                            "{} is not a valid regex: {}",
                            display_name(&ptr),
                            first_line(&e.to_string())
                        ),
                    ));
                } else {
                    self.secrets_allow.push(p.to_string());
                }
            }
        }
        if let Some(min) = root
            .get("secrets")
            .and_then(|s| s.get("minConfidence"))
            .and_then(Node::as_map)
        {
            for (k, v) in min {
                let tier = Tier::ALL.into_iter().find(|t| t.as_str() == k.name);
                let conf = v.as_str().and_then(Confidence::parse);
                if let (Some(t), Some(c)) = (tier, conf) {
                    self.secrets_min_confidence[t.index()] = c;
                }
            }
        }
        if let Some(routes) = root
            .get("approvals")
            .and_then(|a| a.get("routes"))
            .and_then(Node::as_map)
        {
            self.routes = routes
                .iter()
                .filter_map(|(k, v)| Some((k.name.to_string(), v.as_str()?.to_string())))
                .collect();
            // Every approval finding needs a route the pack names: no route is invented.
            if !self.routes.iter().any(|(p, _)| p == "*") {
                let node = root
                    .get("approvals")
                    .and_then(|a| a.get_entry("routes"))
                    .map_or(root, |(_, v)| v);
                errors.push(err(
                    node,
                    "/approvals/routes",
                    format!("approvals.routes has no \"*\" route: {NO_CATCH_ALL_ROUTE}"),
                ));
            }
        }
        if let Some(keys) = root.get("approvals").and_then(|a| a.get("trustedKeys")) {
            match crate::waivers::parse_jwks(&keys.to_json()) {
                Ok(parsed) => self.trusted_keys = parsed,
                Err(problems) => {
                    for p in problems {
                        let ptr = format!("/approvals/trustedKeys{}", p.pointer);
                        let node = node_at(keys, &p.pointer).unwrap_or(keys);
                        errors.push(err(
                            node,
                            &ptr,
                            format!("{}: {}", display_name(&ptr), p.message),
                        ));
                    }
                }
            }
        }
        if let Some(tiers) = root
            .get("exceptions")
            .and_then(|e| e.get("requireSignature"))
            .and_then(Node::as_seq)
        {
            self.require_signature = tiers
                .iter()
                .filter_map(|t| t.as_str().and_then(Tier::parse))
                .collect();
        }
    }

    /// True when unsigned exceptions waive nothing in `tier`.
    pub fn requires_signature(&self, tier: Tier) -> bool {
        self.require_signature.contains(&tier)
    }

    pub fn tier(&self, tier: Tier) -> TierPolicy {
        self.tiers.get(&tier).cloned().unwrap_or(TierPolicy {
            max_data_class: Sensitivity::Restricted,
            budget_cap_monthly: None,
            review_every_days: None,
        })
    }

    /// The approval route for a rule: the most specific matching pattern (an exact id beats a
    /// glob; a longer literal prefix beats a shorter one).
    pub fn route(&self, rule_id: &str) -> Option<&str> {
        self.routes
            .iter()
            .filter(|(p, _)| crate::text::glob_match(p, rule_id))
            .max_by_key(|(p, _)| (!p.contains('*'), p.chars().filter(|c| *c != '*').count()))
            .map(|(_, r)| r.as_str())
    }

    /// The lowest confidence of a secret finding reported in `tier` (`secrets.minConfidence`).
    pub fn secrets_min_confidence(&self, tier: Tier) -> Confidence {
        self.secrets_min_confidence[tier.index()]
    }

    /// `sha256:…` of the pack's canonical JSON form.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        crate::digest(&json)
    }
}

fn all_possible(c: &[Confidence; 3]) -> bool {
    c.iter().all(|c| *c == Confidence::Possible)
}

/// The node at a JSON pointer (plain tokens and indices) under `node`.
fn node_at<'a>(node: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut at = node;
    for token in pointer.split('/').skip(1) {
        at = match &at.value {
            Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            Value::Map(_) => at.get(token)?,
            _ => return None,
        };
    }
    Some(at)
}

fn is_sandbox(t: &Tier) -> bool {
    *t == Tier::Sandbox
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn default_pack_matches_the_contract() {
        let p = PolicyPack::from_text(DEFAULT_PACK_YAML).expect("default pack is valid");
        assert_eq!(p, PolicyPack::default());
        assert_eq!(p.tier(Tier::Sandbox).max_data_class, Sensitivity::Internal);
        assert_eq!(p.tier(Tier::Sandbox).budget_cap_monthly, Some(25.0));
        assert_eq!(p.tier(Tier::Production).budget_cap_monthly, None);
        assert_eq!(p.tier(Tier::Controlled).review_every_days, Some(90));
        assert_eq!(
            p.business,
            ["slack", "google-sheets", "microsoft-teams", "sharepoint"]
        );
        assert_eq!(
            p.route("integration/external-connector"),
            Some("integration-review")
        );
        assert_eq!(p.route("cost/tier-cap"), Some("security-review"));
    }

    #[test]
    fn pack_merges_field_by_field() {
        let p = PolicyPack::from_text(
            "tiers:\n  sandbox: { budgetCapMonthly: 10 }\nrules:\n  config/cors-wildcard: { sandbox: deny }\n  lifecycle/review-overdue: off\n",
        )
        .expect("valid");
        assert_eq!(p.tier(Tier::Sandbox).budget_cap_monthly, Some(10.0));
        assert_eq!(p.tier(Tier::Sandbox).max_data_class, Sensitivity::Internal);
        assert_eq!(
            p.level(Rule::ConfigCorsWildcard, Tier::Sandbox),
            Level::Deny
        );
        assert_eq!(
            p.level(Rule::ConfigCorsWildcard, Tier::Controlled),
            Level::Deny
        );
        assert_eq!(
            p.level(Rule::LifecycleReviewOverdue, Tier::Production),
            Level::Off
        );
    }

    #[test]
    fn routes_need_a_catch_all() {
        let errs = PolicyPack::from_text("approvals:\n  routes:\n    \"cost/*\": finance\n")
            .expect_err("no \"*\" route");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].pointer, "/approvals/routes");
        assert_eq!(errs[0].line, 3, "{errs:?}");
        assert!(
            errs[0].message.contains("no \"*\" route"),
            "{}",
            errs[0].message
        );
        let p = PolicyPack::from_text(
            "approvals:\n  routes: { \"cost/*\": finance, \"*\": platform-team }\n",
        )
        .expect("valid");
        assert_eq!(p.route("cost/tier-cap"), Some("finance"));
        assert_eq!(p.route("config/iam-wildcard"), Some("platform-team"));
    }

    #[test]
    fn packs_built_in_code_are_checked_too() {
        let mut pack = PolicyPack {
            secrets_allow: vec!["^ok$".into(), "(unclosed".into()],
            ..PolicyPack::default()
        };
        pack.routes.retain(|(p, _)| p != "*");
        let errs = match crate::Engine::new(pack) {
            Ok(_) => panic!("an invalid pack compiled"),
            Err(errs) => errs,
        };
        let pointers: Vec<&str> = errs.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/secrets/allow/1", "/approvals/routes"]);
        assert!(errs[0]
            .message
            .starts_with("secrets.allow[1] is not a valid regex"));
        assert!(crate::Engine::new(PolicyPack::default()).is_ok());
    }

    #[test]
    fn errors_name_the_field_and_line() {
        let errs = PolicyPack::from_text("kind: PolicyPack\nrules:\n  config/cors-wildcrd: warn\n  cost/tier-cap: { sandbox: loud }\nsecrets: { allow: ['(unclosed'] }\n")
            .expect_err("invalid");
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert_eq!(
            (errs[0].line, errs[0].pointer.as_str()),
            (3, "/rules/config~1cors-wildcrd")
        );
        assert!(
            errs[1].message.contains("rules.cost/tier-cap.sandbox"),
            "{}",
            errs[1].message
        );
        assert_eq!(errs[1].line, 4);
        assert_eq!(errs[2].line, 5);
    }
}
