//! SARIF 2.1.0: one run, the rule catalogue as `tool.driver.rules`, one result per finding.
//!
//! Levels: `deny` → `error`, `approval` → `warning`, `warn` → `warning`, `info` → `note`; the
//! Parapet level itself is kept in each result's properties (`parapet/level`). Waived findings
//! carry an external, accepted suppression. Columns count Unicode scalar values
//! (`columnKind: unicodeCodePoints`), as in the report.

use std::collections::BTreeMap;

use parapet_core::report::Finding;
use parapet_core::{Level, RuleMeta, Tier, CATALOGUE, VERSION};
use serde::Serialize;

use super::{waiver_note, CheckedFile, Context, TierLevels};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
const FINGERPRINT_KEY: &str = "parapet/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Markdown,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: String,
    tags: Vec<&'static str>,
    precision: &'static str,
    /// Default level per tier.
    #[serde(rename = "parapet/defaults")]
    defaults: TierLevels,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactLocation,
    hashes: BTreeMap<&'static str, String>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    /// The finding's JSON Pointer into the manifest.
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(rename = "parapet/level")]
    level: Level,
    #[serde(
        rename = "parapet/approvalRoute",
        skip_serializing_if = "Option::is_none"
    )]
    approval_route: Option<&'a str>,
}

#[derive(Serialize)]
struct RunProperties {
    #[serde(rename = "parapet/policy")]
    policy: String,
    #[serde(rename = "parapet/policyDigest")]
    policy_digest: String,
    #[serde(rename = "parapet/failOn")]
    fail_on: Level,
}

/// The SARIF log for `files`; `errors` are inputs that could not be read.
pub fn render(files: &[CheckedFile], errors: &[String], ctx: &Context<'_>) -> String {
    let mut artifacts = Vec::with_capacity(files.len());
    let mut results = Vec::new();
    for file in files {
        let location = artifact_location(&file.path, Some(artifacts.len()));
        artifacts.push(Artifact {
            location: ArtifactLocation {
                index: None,
                ..location.clone()
            },
            hashes: BTreeMap::from([(
                "sha-256",
                file.report
                    .input
                    .digest
                    .trim_start_matches("sha256:")
                    .to_string(),
            )]),
        });
        let export = file.source.as_ref().map(|src| {
            let at = artifact_location(&src.path, Some(artifacts.len()));
            artifacts.push(Artifact {
                location: ArtifactLocation {
                    index: None,
                    ..at.clone()
                },
                hashes: file
                    .report
                    .input
                    .source
                    .as_ref()
                    .map(|s| {
                        BTreeMap::from([(
                            "sha-256",
                            s.digest.trim_start_matches("sha256:").to_string(),
                        )])
                    })
                    .unwrap_or_default(),
            });
            (src.path.as_str(), at)
        });
        for f in &file.report.findings {
            match (&f.file, &export) {
                (Some(_), Some((p, at))) => results.push(result(f, p, at)),
                _ => results.push(result(f, &file.path, &location)),
            }
        }
    }
    let pack = ctx.engine.pack();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "parapet",
                    version: VERSION,
                    semantic_version: VERSION,
                    information_uri: INFORMATION_URI,
                    rules: CATALOGUE.iter().map(descriptor).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: errors.is_empty(),
                tool_execution_notifications: errors
                    .iter()
                    .map(|e| Notification {
                        level: "error",
                        message: Text { text: e.clone() },
                    })
                    .collect(),
            }],
            artifacts,
            results,
            column_kind: "unicodeCodePoints",
            properties: RunProperties {
                policy: pack.name.clone(),
                policy_digest: pack.digest(),
                fail_on: ctx.fail_on,
            },
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn descriptor(meta: &'static RuleMeta) -> Descriptor {
    let help_uri = meta.docs_url();
    let rationale = paragraph(meta.rationale);
    let strictest = meta.defaults.iter().copied().max().unwrap_or(Level::Off);
    let levels = Tier::ALL
        .into_iter()
        .map(|t| format!("{} `{}`", t.as_str(), meta.default_level(t)))
        .collect::<Vec<_>>()
        .join(", ");
    let group = meta.group();
    Descriptor {
        id: meta.id,
        name: pascal_case(meta.id),
        short_description: Text {
            text: meta.summary.replace('`', ""),
        },
        full_description: Text {
            text: rationale.clone(),
        },
        help: Markdown {
            text: meta.help.to_string(),
            markdown: format!(
                "{}\n\n{rationale}\n\nDefault levels: {levels}.\n\n[Documentation]({help_uri})",
                meta.help
            ),
        },
        help_uri,
        default_configuration: Configuration {
            enabled: strictest != Level::Off,
            level: level_name(strictest),
        },
        properties: RuleProperties {
            security_severity: format!("{:.1}", meta.security_severity),
            tags: vec!["security", group],
            precision: meta.precision.as_str(),
            defaults: meta.defaults.into(),
        },
    }
}

fn result<'a>(f: &'a Finding, path: &str, location: &ArtifactLocation) -> SarifResult<'a> {
    let rule_index = CATALOGUE.iter().position(|m| m.id == f.rule).unwrap_or(0);
    let l = f.location;
    SarifResult {
        rule_id: f.rule,
        rule_index,
        level: level_name(f.level),
        message: Text {
            text: match (f.reason, f.confidence) {
                (Some(r), Some(c)) => format!("{} Why: {r} ({}).", f.message, c.as_str()),
                _ => f.message.clone(),
            },
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: location.clone(),
                region: Region {
                    start_line: l.line.max(1),
                    start_column: l.column.max(1),
                    end_line: l.end_line.max(l.line).max(1),
                    end_column: l.end_column.max(1),
                },
            },
            logical_locations: if f.path.is_empty() {
                Vec::new()
            } else {
                vec![LogicalLocation {
                    fully_qualified_name: &f.path,
                    kind: "element",
                }]
            },
        }],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(f, path))]),
        suppressions: f
            .waived_by
            .iter()
            .map(|w| Suppression {
                kind: "external",
                status: "accepted",
                justification: waiver_note(w),
            })
            .collect(),
        properties: ResultProperties {
            level: f.level,
            approval_route: f.approval.as_ref().map(|a| a.route.as_str()),
        },
    }
}

/// SARIF level for a Parapet level.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Approval | Level::Warn => "warning",
        Level::Info => "note",
        Level::Off => "none",
    }
}

/// Stable across runs and line moves: the rule, the JSON Pointer and the file.
fn fingerprint(f: &Finding, path: &str) -> String {
    let d = parapet_core::digest(format!("{}\0{}\0{}", f.rule, f.path, path).as_bytes());
    d.trim_start_matches("sha256:").chars().take(32).collect()
}

/// `secrets/plaintext-secret` → `SecretsPlaintextSecret`.
pub fn pascal_case(id: &str) -> String {
    id.split(['/', '-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|first| first.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Rustdoc lines joined into one paragraph.
fn paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A relative path becomes a relative URI (against `%SRCROOT%`), an absolute one a `file:` URI.
fn artifact_location(path: &str, index: Option<usize>) -> ArtifactLocation {
    let slashed = path.replace('\\', "/");
    if slashed.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(&slashed)),
            uri_base_id: None,
            index,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(&slashed),
            uri_base_id: Some("%SRCROOT%"),
            index,
        }
    }
}

/// Percent-encodes everything but unreserved characters and `/` (RFC 3986 path segments).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(
            pascal_case("secrets/plaintext-secret"),
            "SecretsPlaintextSecret"
        );
        assert_eq!(pascal_case("manifest/syntax"), "ManifestSyntax");
        assert_eq!(
            artifact_location("apps/my app.yaml", None).uri,
            "apps/my%20app.yaml"
        );
        assert_eq!(
            artifact_location("/tmp/a#b.json", None).uri,
            "file:///tmp/a%23b.json"
        );
        assert_eq!(artifact_location("<stdin>", None).uri, "%3Cstdin%3E");
    }
}
