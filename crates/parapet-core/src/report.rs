//! Report v1: the engine's answer, plain data. Rendering happens in the CLI, wasm and edge.

use serde::Serialize;

use crate::model::{Level, Sensitivity, Tier, Verdict};
use crate::source::Location;

/// The vendor node a finding is on (a compatible Report extension), so UIs can highlight it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NodeRef {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

pub const REPORT_SCHEMA: &str = "parapet.dev/report/v1";

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema: &'static str,
    pub verdict: Verdict,
    pub app: App,
    pub classification: Classification,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    pub policy: PolicyRef,
    pub input: InputRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct App {
    pub name: Option<String>,
    pub tier: Option<Tier>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Classification {
    pub declared: Option<Sensitivity>,
    pub detected: Option<Sensitivity>,
    pub classes: Vec<DetectedClass>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DetectedClass {
    pub class: &'static str,
    pub level: Sensitivity,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    pub path: String,
    pub location: Location,
    pub help: &'static str,
    pub approval: Option<Approval>,
    pub waived_by: Option<Waiver>,
    /// Secret findings: why the value is taken for a secret, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// Secret findings: `certain`, `likely` or `possible` (see `secrets.minConfidence`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<crate::secrets::Confidence>,
    /// UTF-16 code-unit offsets of the span, for JS editors. Only when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utf16: Option<Utf16Range>,
    /// The vendor node the finding is on (adapted exports only): `{ id, name, type }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeRef>,
    /// Sidecar manifests: the finding is in the vendor export, this file (`spec.source.path`
    /// as written). Findings without it are in the checked file itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The field's name in words, one segment per level (`["connectors", "slack", "headers",
    /// "Authorization"]`; empty for the whole app), redacted. Only when asked for
    /// ([`crate::EvaluateOptions::field_names`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Utf16Range {
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub route: String,
}

/// The exception that waived a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Waiver {
    pub ticket: Option<String>,
    pub expires: Option<String>,
    /// Pointer of the exception in the manifest.
    pub exception: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub deny: u32,
    pub approval: u32,
    pub warn: u32,
    pub info: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    pub name: String,
    pub digest: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputRef {
    pub format: &'static str,
    pub digest: String,
    /// Sidecar manifests: the vendor export the manifest names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInput>,
}

/// The vendor export a sidecar manifest was evaluated with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceInput {
    /// The format detected in the export (by structure).
    pub format: &'static str,
    /// `spec.source.path` as written in the manifest.
    pub path: String,
    pub digest: String,
}

/// A secret found in free text by [`crate::Engine::check_text`]. Never the secret itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextSecret {
    /// Byte range of the secret in the text (UTF-8).
    pub start: u32,
    pub end: u32,
    /// The same range in UTF-16 code units, for JS strings.
    pub utf16: Utf16Range,
    /// The kind's stable id (`slack-bot-token`).
    pub kind: &'static str,
    /// The kind's human name ("Slack bot token").
    pub name: &'static str,
    /// The display form (`xoxb-…3f9a`).
    pub redacted: String,
    /// Why it is taken for a secret, in words.
    pub reason: &'static str,
    pub confidence: crate::secrets::Confidence,
}

impl Report {
    /// The findings at or above `level`.
    pub fn at_or_above(&self, level: Level) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.level >= level)
    }
}
