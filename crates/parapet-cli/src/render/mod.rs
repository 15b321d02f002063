//! Renderers: one report per checked file, turned into text, JSON, SARIF, JUnit or GitHub
//! workflow commands. Each is a pure function of its input, so output is deterministic.

pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use parapet_core::{Engine, Level, Report, Verdict};

/// One checked input.
pub struct CheckedFile {
    /// The path as shown to people (`<stdin>` for standard input).
    pub path: String,
    /// The source text, for code frames (text output only).
    pub text: Option<String>,
    pub report: Report,
    /// A sidecar manifest's vendor export, as read: findings with `file` are in it.
    pub source: Option<SourceFile>,
}

/// The vendor export a sidecar manifest names.
pub struct SourceFile {
    /// The path as shown (the manifest's directory joined with `spec.source.path`).
    pub path: String,
    /// Its text, for code frames (text output only).
    pub text: Option<String>,
}

/// What every renderer may need besides the files.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub fail_on: Level,
}

impl CheckedFile {
    /// Whether any finding is at or above `fail_on`.
    pub fn fails(&self, fail_on: Level) -> bool {
        self.report.at_or_above(fail_on).next().is_some()
    }
}

/// Files per verdict, for summary lines.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub files: usize,
    pub failing: usize,
    /// allow, warn, approval, deny
    pub verdicts: [usize; 4],
}

impl Tally {
    pub fn add(&mut self, file: &CheckedFile, fail_on: Level) {
        self.files += 1;
        if file.fails(fail_on) {
            self.failing += 1;
        }
        self.verdicts[verdict_index(file.report.verdict)] += 1;
    }
}

fn verdict_index(v: Verdict) -> usize {
    match v {
        Verdict::Allow => 0,
        Verdict::Warn => 1,
        Verdict::Approval => 2,
        Verdict::Deny => 3,
    }
}

/// `1 file` / `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Lines of a waiver note: `waived by exception (SEC-1234, expires 2027-01-31)`.
pub fn waiver_note(w: &parapet_core::report::Waiver) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = &w.ticket {
        parts.push(t.clone());
    }
    if let Some(e) = &w.expires {
        parts.push(format!("expires {e}"));
    }
    if parts.is_empty() {
        parts.push(format!("at {}", w.exception));
    }
    format!("waived by exception ({})", parts.join(", "))
}

/// A level per tier, serialised in tier order.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct TierLevels {
    pub sandbox: Level,
    pub controlled: Level,
    pub production: Level,
}

impl From<[Level; 3]> for TierLevels {
    fn from([sandbox, controlled, production]: [Level; 3]) -> Self {
        Self {
            sandbox,
            controlled,
            production,
        }
    }
}
