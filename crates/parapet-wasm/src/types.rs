//! The package's TypeScript types, generated from these Rust types by `tsify-next`.
//!
//! They mirror parapet-core's serialized contracts (Report v1, the rule catalogue) and its input
//! documents (Manifest v1, Policy pack v1), which parapet-core keeps free of wasm concerns. The
//! mirrors cannot drift: `tests/mirror.rs` checks that every report and catalogue entry core
//! produces round-trips through them byte for byte, and that `Manifest` has exactly the fields,
//! required fields and enum values of core's manifest schema (`parapet_core::unstable::manifest::MANIFEST`).
//!
//! `EvaluateOptions` is not a mirror: it is the type the boundary itself deserializes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tsify_next::Tsify;
use wasm_bindgen::prelude::wasm_bindgen;

// ---- shared enums ---------------------------------------------------------------------------

/// A finding's level, lowest to highest. `off` appears only in policy (a rule switched off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warn,
    Approval,
    Deny,
}

/// The report's overall answer: the highest level among its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Warn,
    Approval,
    Deny,
}

/// Risk tier: controls grow with risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Sandbox,
    Controlled,
    Production,
}

/// How sensitive data is, lowest to highest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    Public,
    Internal,
    Confidential,
    Restricted,
}

// ---- Report v1 --------------------------------------------------------------------------------

/// Report v1: the engine's answer for one manifest.
///
/// For object input the locations refer to the object's `JSON.stringify` text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Report {
    #[tsify(type = "\"parapet.dev/report/v1\"")]
    pub schema: String,
    pub verdict: Verdict,
    pub app: App,
    pub classification: Classification,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    pub policy: PolicyRef,
    pub input: InputRef,
}

/// The app the report is about (`null` where the manifest does not say, or says wrongly).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub name: Option<String>,
    pub tier: Option<Tier>,
}

/// Declared and detected data sensitivity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    pub declared: Option<Sensitivity>,
    pub detected: Option<Sensitivity>,
    pub classes: Vec<DetectedClass>,
}

/// One data class detected in the app, and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DetectedClass {
    /// e.g. `email`, `us-ssn`, `payment-card`.
    pub class: String,
    pub level: Sensitivity,
    /// JSON Pointer of the element it was found in.
    pub path: String,
}

/// One rule's finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Finding {
    /// Rule id, `group/name` (see `rules()`).
    pub rule: String,
    pub level: Level,
    pub message: String,
    /// RFC 6901 JSON Pointer into the document.
    pub path: String,
    pub location: Location,
    pub help: String,
    /// Set on findings at level `approval`.
    pub approval: Option<Approval>,
    /// Set when an exception in the manifest waived the finding (its level is then `info`).
    pub waived_by: Option<Waiver>,
    /// Secret findings: why the value is taken for a secret, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub reason: Option<String>,
    /// Secret findings: `certain`, `likely` or `possible` (a pack thresholds it per tier with
    /// `secrets.minConfidence`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub confidence: Option<String>,
    /// UTF-16 code-unit offsets of the span (for Monaco/CodeMirror); only with `{ utf16: true }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub utf16: Option<Utf16Range>,
    /// The vendor node the finding is on (vendor exports only), so a UI can highlight it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub node: Option<FindingNode>,
    /// Sidecar manifests checked with their export (CLI): the finding is in the vendor export,
    /// this file (`spec.source.path` as written). Without it, the finding is in the input itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub file: Option<String>,
}

/// A node of a vendor export (n8n node, Node-RED node, Power Automate action, Make module).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FindingNode {
    /// The node's id in the export (Power Automate: the action's name).
    pub id: String,
    /// The node's name as the builder shows it (may be empty in Node-RED).
    pub name: String,
    /// The vendor's node type, e.g. `n8n-nodes-base.webhook`, `http in`, `Http`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// 1-based line and column span; columns count Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Start and end offsets in UTF-16 code units (JavaScript string indices).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Utf16Range {
    pub start: u32,
    pub end: u32,
}

/// Where an approval request for the finding goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub route: String,
}

/// The exception that waived a finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub ticket: Option<String>,
    pub expires: Option<String>,
    /// JSON Pointer of the exception in the manifest.
    pub exception: String,
}

/// Findings per level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub deny: u32,
    pub approval: u32,
    pub warn: u32,
    pub info: u32,
}

/// The policy pack the report was made with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    pub name: String,
    /// `sha256:` and the hex digest of the compiled pack.
    pub digest: String,
}

/// The input the report is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct InputRef {
    /// `parapet` for a canonical manifest; a vendor export's format (`n8n`, `node-red`,
    /// `power-automate`, `logic-apps`, `make`, `backstage`), detected by structure; `unknown`
    /// for anything else.
    pub format: String,
    /// `sha256:` and the hex digest of the input's UTF-8 bytes.
    pub digest: String,
    /// Sidecar manifests checked with their export (CLI): the export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub source: Option<SourceInput>,
}

/// The vendor export a sidecar manifest was checked with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    /// The format detected in the export, by structure.
    pub format: String,
    /// `spec.source.path` as written in the manifest.
    pub path: String,
    /// `sha256:` and the hex digest of the export's UTF-8 bytes.
    pub digest: String,
}

// ---- Rule catalogue ---------------------------------------------------------------------------

/// One rule of the catalogue, with its documentation (`rules()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleMeta {
    /// Stable id, `group/name`.
    pub id: String,
    /// One line: when the rule fires.
    pub summary: String,
    /// Default level per tier.
    pub defaults: TierLevels,
    /// What to do about a finding.
    pub help: String,
    /// Why it matters (markdown).
    pub rationale: String,
    /// SARIF `security-severity`, 0.0 to 10.0.
    pub security_severity: f32,
}

/// A level for each tier.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TierLevels {
    pub sandbox: Level,
    pub controlled: Level,
    pub production: Level,
}

// ---- rule ids -----------------------------------------------------------------------------------

/// The declaration of `ruleIds()`'s result: each rule id under its name in core's rule registry
/// (`parapet_core::Rule`). `tests/mirror.rs` checks that it lists exactly the registry, in order.
pub const RULE_IDS_TS: &str = r#"/** Every rule id by its name in the rule registry (`ruleIds()`), in catalogue order. */
export interface RuleIds {
  readonly ManifestSyntax: "manifest/syntax";
  readonly ManifestSchema: "manifest/schema";
  readonly OwnershipMissingOwner: "ownership/missing-owner";
  readonly OwnershipMissingSla: "ownership/missing-sla";
  readonly DataClassificationRequired: "data/classification-required";
  readonly DataSensitiveDataInTier: "data/sensitive-data-in-tier";
  readonly DataUndeclaredSensitiveData: "data/undeclared-sensitive-data";
  readonly IntegrationBlockedConnector: "integration/blocked-connector";
  readonly IntegrationExternalConnector: "integration/external-connector";
  readonly IntegrationInsecureTransport: "integration/insecure-transport";
  readonly SecretsPlaintextSecret: "secrets/plaintext-secret";
  readonly ConfigCorsWildcard: "config/cors-wildcard";
  readonly ConfigIamWildcard: "config/iam-wildcard";
  readonly ConfigUnauthenticatedTrigger: "config/unauthenticated-trigger";
  readonly CostBudgetRequired: "cost/budget-required";
  readonly CostOverBudget: "cost/over-budget";
  readonly CostTierCap: "cost/tier-cap";
  readonly ExportNotExportable: "export/not-exportable";
  readonly ExportNoRepository: "export/no-repository";
  readonly LifecycleReviewOverdue: "lifecycle/review-overdue";
  readonly LifecyclePastRetirement: "lifecycle/past-retirement";
  readonly ExceptionsExpired: "exceptions/expired";
  readonly ExceptionsUnknownRule: "exceptions/unknown-rule";
  readonly ExceptionsInvalidSignature: "exceptions/invalid-signature";
  readonly ConfigCodeExecution: "config/code-execution";
  readonly IntegrationTlsVerificationDisabled: "integration/tls-verification-disabled";
}

/** A rule id, `group/name`. */
export type RuleId = RuleIds[keyof RuleIds];
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_RULE_IDS: &str = RULE_IDS_TS;

// ---- Manifest v1 (input) ----------------------------------------------------------------------

/// Manifest v1: one micro app. The engine also accepts objects that do not fit this type (it
/// reports what is wrong with them); the type is for authoring.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    #[tsify(type = "\"parapet.dev/v1\"")]
    pub api_version: String,
    #[tsify(type = "\"MicroApp\"")]
    pub kind: String,
    pub metadata: Metadata,
    pub spec: Spec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metadata {
    /// `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, string>")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, string>")]
    pub labels: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spec {
    pub tier: Tier,
    /// `user:NAME`, `group:NAME` or an e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub contacts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub data_classification: Option<Sensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub data: Option<Vec<DataSet>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub connectors: Option<Vec<Connector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub triggers: Option<Vec<Trigger>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub network: Option<Network>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub permissions: Option<Vec<Grant>>,
    /// Free-form configuration; every string in it is scanned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "unknown")]
    pub settings: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub cost: Option<Cost>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub sla: Option<Sla>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub export: Option<Export>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub review: Option<Review>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub exceptions: Option<Vec<Exception>>,
    /// A sidecar manifest: the app's connectors, triggers and data are in this vendor export
    /// (the manifest's own fields give tier, owner, cost, review and exceptions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub source: Option<Source>,
}

/// `spec.source`: the vendor export a sidecar manifest describes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub format: SourceFormat,
    /// Path of the export, relative to the manifest.
    pub path: String,
}

/// The vendor formats a sidecar manifest can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    N8n,
    NodeRed,
    PowerAutomate,
    LogicApps,
    Make,
    Backstage,
}

/// A data set, form or table the app reads or stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataSet {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub fields: Option<Vec<DataField>>,
}

/// A field of a data set: its name and samples are classified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataField {
    pub name: String,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub field_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub classification: Option<Sensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "unknown[]")]
    pub samples: Option<Vec<serde_json::Value>>,
}

/// Something the app talks to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Connector {
    pub name: String,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub connector_type: Option<ConnectorType>,
    /// Service key, matched against the pack's connector groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub auth: Option<ConnectorAuth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub secret_ref: Option<String>,
    /// Values are scanned for secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub headers: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub actions: Option<Vec<ConnectorAction>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum ConnectorType {
    Http,
    Saas,
    Database,
    Email,
    Chat,
    Storage,
    Webhook,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Outbound,
    Inbound,
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub enum ConnectorAuth {
    None,
    Basic,
    ApiKey,
    Oauth2,
    SecretRef,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum ConnectorAction {
    Read,
    Write,
    Delete,
    Send,
    Admin,
}

/// What starts the app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Trigger {
    pub name: String,
    #[serde(rename = "type")]
    pub trigger_type: TriggerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub schedule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub public: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub auth: Option<TriggerAuth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum TriggerType {
    Webhook,
    Schedule,
    Event,
    Manual,
    Form,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum TriggerAuth {
    None,
    Token,
    Hmac,
    Oauth2,
    Sso,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Network {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub cors: Option<Cors>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub egress: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cors {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub allow_origins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub allow_credentials: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub allow_methods: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub allow_headers: Option<Vec<String>>,
}

/// An IAM-style grant the app holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Grant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub effect: Option<Effect>,
    pub actions: StrOrList,
    pub resources: StrOrList,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Allow,
    Deny,
}

/// One string or a list of strings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(untagged)]
pub enum StrOrList {
    One(String),
    Many(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cost {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub budget_monthly: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub estimate_monthly: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub actual_monthly: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sla {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub support: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub response_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub availability: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Export {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub exportable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub repository: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Review {
    /// `YYYY-MM-DD`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub last_reviewed: Option<String>,
    /// `YYYY-MM-DD`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub retire_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub reviewer: Option<String>,
}

/// An approved waiver.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Exception {
    pub rule: String,
    /// JSON Pointer: waive only findings at or under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub ticket: Option<String>,
    /// `YYYY-MM-DD`. Required unless the exception carries a signed `approval` (whose payload
    /// holds the expiry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub expires: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub approved_by: Option<String>,
    /// A signed approval: the DSSE envelope of a waiver, verified offline against the pack's
    /// `approvals.trustedKeys` (see `Engine` and `parapet:waiver`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(
        optional,
        type = "{ payloadType: string; payload: string; signatures: { keyid?: string; sig: string }[] }"
    )]
    pub approval: Option<serde_json::Value>,
}

// ---- Policy pack v1 (input) -------------------------------------------------------------------

/// Policy pack v1, as written in a pack file: every field optional, merged over the built-in
/// default field by field (`Engine.defaultPolicy()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyPack {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "\"parapet.dev/v1\"")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "\"PolicyPack\"")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub metadata: Option<PackMetadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tiers: Option<PackTiers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub connectors: Option<PackConnectors>,
    /// Ordered host rules; the first match wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub endpoints: Option<Vec<EndpointRule>>,
    /// Per-rule overrides: one level for every tier, or a level per tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, RuleOverride>")]
    pub rules: Option<BTreeMap<String, RuleOverride>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub secrets: Option<PackSecrets>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub approvals: Option<PackApprovals>,
    /// Defaults for vendor exports, which state no tier of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub defaults: Option<PackDefaults>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackDefaults {
    /// The tier of a vendor export without a caller tier or `parapet:tier=` tag (built-in:
    /// sandbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tier: Option<Tier>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackTiers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub sandbox: Option<TierPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub controlled: Option<TierPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub production: Option<TierPolicy>,
}

/// A tier's data ceiling, budget cap and review cadence (`null`: none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub max_data_class: Option<Sensitivity>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[tsify(optional, type = "number | null")]
    pub budget_cap_monthly: Option<Option<f64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[tsify(optional, type = "number | null")]
    pub review_every_days: Option<Option<f64>>,
}

/// Deserializes a field that is present (possibly `null`) as `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackConnectors {
    /// Services that count as business (inside the organisation's data boundary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub business: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub blocked: Option<Vec<String>>,
    /// How an unlisted service counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub unknown: Option<UnknownService>,
    /// Vendor node type -> service id, e.g. `{ "n8n-nodes-base.myCrm": "crm" }`.
    #[serde(rename = "nodeTypes", default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub node_types: Option<BTreeMap<String, String>>,
    /// Host -> service id, e.g. `{ "api.hubapi.com": "hubspot" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub hosts: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum UnknownService {
    External,
    Business,
    Blocked,
}

/// `{ allow: "*.corp.example" }` or `{ deny: "*.ngrok.io" }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct EndpointRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub allow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub deny: Option<String>,
}

/// A rule's level override: one level for every tier, or per tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(untagged)]
pub enum RuleOverride {
    All(Level),
    PerTier(TierLevelOverrides),
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TierLevelOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub sandbox: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub controlled: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub production: Option<Level>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackSecrets {
    /// Regexes for known-fake values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub allow: Option<Vec<String>>,
    /// The least confidence a secret finding needs to be reported, per tier (default:
    /// `possible`, everything).
    #[serde(
        default,
        rename = "minConfidence",
        skip_serializing_if = "Option::is_none"
    )]
    #[tsify(optional)]
    pub min_confidence: Option<TierConfidence>,
}

/// A secret finding's confidence threshold per tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TierConfidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "\"certain\" | \"likely\" | \"possible\"")]
    pub sandbox: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "\"certain\" | \"likely\" | \"possible\"")]
    pub controlled: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "\"certain\" | \"likely\" | \"possible\"")]
    pub production: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PackApprovals {
    /// Rule-id glob to route: `{ "integration/*": "integration-review", "*": "security-review" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, string>")]
    pub routes: Option<BTreeMap<String, String>>,
}

// ---- the boundary's own types -----------------------------------------------------------------

/// Options for `engine.evaluate`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct EvaluateOptions {
    /// Today as `YYYY-MM-DD` (an RFC 3339 timestamp's date is used too). Default: today's UTC
    /// date from the JS clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub now: Option<String>,
    /// How to read text input. Default `auto` (JSON when it starts with `{` or `[`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub format: Option<InputFormat>,
    /// Add UTF-16 offsets (`finding.utf16`) for JS editors. Default `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub utf16: Option<bool>,
    /// The tier of a vendor export (n8n, Node-RED, ...), which states none itself. A manifest's
    /// own `spec.tier` is not overridden. Default: the export's `parapet:tier=` tag, else the
    /// pack's `defaults.tier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tier: Option<Tier>,
    /// The input's SHA-256 as `sha256:` and 64 lowercase hex digits, for the report's
    /// `input.digest`, when the host has hashed the input already with its own native SHA-256
    /// (WebCrypto's `crypto.subtle.digest("SHA-256", bytes)`, `node:crypto`): the engine's portable
    /// SHA-256 is ~13-20% of a typical evaluation in wasm. Not checked: give only the digest of
    /// the exact bytes (or the UTF-8 of the exact text) evaluated. Default: the engine hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub digest: Option<String>,
}

impl EvaluateOptions {
    /// The option names, as JS spells them (checked against the struct by a test).
    pub const FIELDS: &'static [&'static str] = &["now", "format", "utf16", "tier", "digest"];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Auto,
    Json,
    Yaml,
}

/// A secret found in free text by `engine.checkText`: where it is, what it is and how it is
/// shown, never the secret itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TextSecret {
    /// Start of the secret in UTF-16 code units (a JS string index): `text.slice(start, end)`.
    pub start: u32,
    pub end: u32,
    /// The kind's stable id, e.g. `slack-bot-token`.
    pub kind: String,
    /// The kind in words, e.g. "Slack bot token".
    pub name: String,
    /// How reports show it: a short public prefix and a digest, e.g. `xoxb-…3f9a`.
    pub redacted: String,
    /// Why it is taken for a secret, in words.
    pub reason: String,
    pub confidence: Confidence,
}

impl From<parapet_core::TextSecret> for TextSecret {
    fn from(hit: parapet_core::TextSecret) -> Self {
        Self {
            start: hit.utf16.start,
            end: hit.utf16.end,
            kind: hit.kind.to_string(),
            name: hit.name.to_string(),
            redacted: hit.redacted,
            reason: hit.reason.to_string(),
            confidence: match hit.confidence {
                parapet_core::Confidence::Certain => Confidence::Certain,
                parapet_core::Confidence::Likely => Confidence::Likely,
                parapet_core::Confidence::Possible => Confidence::Possible,
            },
        }
    }
}

/// How sure the engine is that a value is a secret, highest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Certain,
    Likely,
    Possible,
}

/// What kind of error a `ParapetError` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The policy pack is not valid; `errors` lists every problem with its line.
    InvalidPolicy,
    /// An argument has the wrong type or value.
    InvalidArgument,
    /// The input (or pack) is larger than the engine accepts (8 MiB).
    InputTooLarge,
    /// Called before `await init()` (browser and bundler entries; thrown by the JS glue).
    NotInitialized,
    /// `<parapet-guard policy-src>` could not be fetched (in a `parapet:error` event).
    PolicyFetch,
    /// A bug in Parapet.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidPolicy => "invalid_policy",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::InputTooLarge => "input_too_large",
            ErrorCode::NotInitialized => "not_initialized",
            ErrorCode::PolicyFetch => "policy_fetch",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Every error the package throws: an `Error` whose `name` is `"ParapetError"`.
///
/// Its TypeScript declaration is a class (`instanceof ParapetError` works at run time through
/// `Symbol.hasInstance`), written with the JS that implements it in `js/prelude.d.ts`; these
/// fields are the ones that declaration lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParapetError {
    pub name: String,
    pub code: ErrorCode,
    pub message: String,
    /// 1-based position of the (first) problem in the policy text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// JSON Pointer of the (first) problem in the policy document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Every problem, for `invalid_policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<PolicyProblem>>,
}

/// One problem in a policy pack, positioned in the pack's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PolicyProblem {
    pub message: String,
    pub pointer: String,
    pub line: u32,
    pub column: u32,
}
