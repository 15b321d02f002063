//! From a manifest to what the widget shows: the engine's report, turned into plain data for
//! the components (findings grouped by level, field names, docs links, the approval request and
//! the sentence the live region announces). Pure Rust, no DOM: unit-tested natively.

use std::rc::Rc;

use parapet_core::report::{Counts, Finding, Report};
use parapet_core::{Date, Engine, EvaluateOptions, Level, Verdict};

use crate::labels::rule_title;

/// The default base of the "why" links: the rule docs every Parapet surface links to.
pub const DEFAULT_DOCS_BASE_URL: &str = parapet_core::DOCS_ROOT;

/// The manifest as the host gave it: text (YAML or JSON), or a JS object (kept as its JSON).
#[derive(Clone, Debug, PartialEq)]
pub enum ManifestInput {
    Text(String),
    Object(String),
}

impl ManifestInput {
    pub fn text(&self) -> &str {
        match self {
            ManifestInput::Text(t) | ManifestInput::Object(t) => t,
        }
    }
}

/// Settings the host chose at mount time.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub docs_base_url: String,
    pub approval_endpoint: Option<String>,
    pub requester: String,
    pub now: Option<Date>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            docs_base_url: DEFAULT_DOCS_BASE_URL.to_owned(),
            approval_endpoint: None,
            requester: "anonymous".to_owned(),
            now: None,
        }
    }
}

impl Settings {
    /// The docs page of a rule: `{docsBaseUrl}{id}` (a `/` is put between when missing).
    pub fn docs_url(&self, rule: &str) -> String {
        let base = &self.docs_base_url;
        if base == DEFAULT_DOCS_BASE_URL {
            parapet_core::docs_url(rule)
        } else if base.ends_with('/') {
            format!("{base}{rule}")
        } else {
            format!("{base}/{rule}")
        }
    }

    /// Only http(s) and same-site paths are accepted as link bases.
    pub fn accept_docs_base(url: &str) -> bool {
        let lower = url.trim().to_ascii_lowercase();
        lower.starts_with("https://")
            || lower.starts_with("http://")
            || (lower.starts_with('/') && !lower.starts_with("//"))
    }
}

/// One finding, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingView {
    /// Stable identity across edits: rule, pointer and message.
    pub key: String,
    pub rule: &'static str,
    pub level: Level,
    pub title: &'static str,
    /// The engine's message, first letter capitalised. The engine's redactor has replaced every
    /// secret in it (and in the field's name) with its display form.
    pub message: String,
    /// The field it concerns, in words.
    pub field: String,
    /// The JSON Pointer, for `parapet:focus`.
    pub pointer: String,
    pub help: &'static str,
    /// Secret findings: why the value is taken for a secret, and how sure the engine is.
    pub reason: Option<String>,
    pub docs_url: String,
    /// The exception's ticket when the finding is waived.
    pub waived_by: Option<String>,
}

/// The findings at one level: their positions in the report. Views are made only for the
/// findings on screen (see [`Feedback::view`]): a manifest with thousands of findings costs
/// the widget a few dozen views per keystroke, not thousands.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingGroup {
    pub level: Level,
    pub findings: Vec<usize>,
}

/// What one approval request for the current manifest would carry.
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovalTarget {
    /// Stable for the same manifest digest, rules and requester.
    pub idempotency_key: String,
    pub rules: Vec<&'static str>,
    /// Review routes from the policy's `approvals.routes`, for the explanation.
    pub routes: Vec<String>,
    pub requester: String,
    /// Requests carry the whole manifest, so one with a plain-text secret is not sent.
    pub blocked_by_secret: bool,
}

/// Everything the widget renders for one evaluation.
#[derive(Clone, Debug)]
pub struct Feedback {
    pub revision: u64,
    pub verdict: Verdict,
    pub counts: Counts,
    pub app_name: Option<String>,
    pub tier: Option<&'static str>,
    pub groups: Vec<FindingGroup>,
    pub approval: Option<ApprovalTarget>,
    /// For the ARIA live region; empty when there is nothing new to say.
    pub announcement: String,
    /// What the views are made from.
    source: Option<Rc<Source>>,
}

/// The report (evaluated with field names) the views are made from.
struct Source {
    report: Report,
    settings: Rc<Settings>,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// A finding's field in words, from the name segments the engine gave it
/// (`connectors › slack › headers › Authorization`).
fn field_name(f: &Finding) -> String {
    match f.field.as_deref() {
        Some([]) => "the whole app".to_owned(),
        Some(segments) => segments.join(" › "),
        // Not asked for (the widget always asks): the pointer, which the engine redacted too.
        None if f.path.is_empty() => "the whole app".to_owned(),
        None => f.path.clone(),
    }
}

impl Source {
    fn view(&self, index: usize) -> Option<FindingView> {
        let f = self.report.findings.get(index)?;
        Some(FindingView {
            key: finding_key(&self.report.findings, index),
            rule: f.rule,
            level: f.level,
            title: rule_title(f.rule),
            message: capitalise(&f.message),
            field: field_name(f),
            pointer: f.path.clone(),
            help: f.help,
            reason: f
                .reason
                .zip(f.confidence)
                .map(|(r, c)| format!("Detected as {r} ({}).", c.as_str())),
            docs_url: self.settings.docs_url(f.rule),
            waived_by: f.waived_by.as_ref().map(|w| {
                w.ticket
                    .clone()
                    .unwrap_or_else(|| "an exception".to_owned())
            }),
        })
    }
}

/// A finding's list key: rule, pointer and message, stable across edits; the same finding
/// twice (rare, and then adjacent: findings are sorted by location) gets `#2`, `#3`, ...
fn finding_key(findings: &[Finding], index: usize) -> String {
    let f = &findings[index];
    let mut key = format!("{}|{}|{}", f.rule, f.path, f.message);
    let same = |g: &&Finding| g.rule == f.rule && g.path == f.path && g.message == f.message;
    let repeats = findings[..index].iter().rev().take_while(same).count();
    if repeats > 0 {
        key.push_str(&format!("\u{1f}#{}", repeats + 1));
    }
    key
}

impl Feedback {
    /// Before the host sends a manifest.
    pub fn waiting() -> Self {
        Self {
            revision: 0,
            verdict: Verdict::Allow,
            counts: Counts::default(),
            app_name: None,
            tier: None,
            groups: Vec::new(),
            approval: None,
            announcement: String::new(),
            source: None,
        }
    }

    /// The view of the finding at `index` in the report.
    pub fn view(&self, index: usize) -> Option<Rc<FindingView>> {
        self.source.as_ref()?.view(index).map(Rc::new)
    }

    pub fn is_waiting(&self) -> bool {
        self.revision == 0
    }

    pub fn problems(&self) -> u32 {
        self.counts.deny + self.counts.approval + self.counts.warn
    }
}

pub fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow => "Good to go",
        Verdict::Warn => "Allowed, with warnings",
        Verdict::Approval => "Needs approval",
        Verdict::Deny => "Blocked",
    }
}

pub fn level_heading(level: Level) -> &'static str {
    match level {
        Level::Deny => "Must fix",
        Level::Approval => "Needs approval",
        Level::Warn => "Warnings",
        Level::Info | Level::Off => "Notes",
    }
}

/// The engine plus what the widget remembers between evaluations.
pub struct Evaluator {
    engine: Engine,
    revision: u64,
    /// Identities of the problems (above info) shown last time, for the announcement.
    previous: Option<Identities>,
    previous_verdict: Option<Verdict>,
}

/// Sorted hashes of the problems: with their level, and without (to tell "fixed" apart from
/// "now at another level").
#[derive(Clone, Default)]
struct Identities {
    full: Vec<u64>,
    base: Vec<u64>,
}

impl Evaluator {
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            revision: 0,
            previous: None,
            previous_verdict: None,
        }
    }

    pub fn set_engine(&mut self, engine: Engine) {
        self.engine = engine;
    }

    pub fn evaluate(&mut self, manifest: &ManifestInput, settings: &Settings) -> Feedback {
        let options = EvaluateOptions {
            now: settings.now,
            // Each finding names its field from the document the engine has just parsed.
            field_names: true,
            ..Default::default()
        };
        let report = self.engine.evaluate(manifest.text(), &options);
        self.revision += 1;
        self.build(report, settings)
    }

    /// The verdict of the last evaluation.
    pub fn last_verdict(&self) -> Option<Verdict> {
        self.previous_verdict
    }

    fn build(&mut self, report: Report, settings: &Settings) -> Feedback {
        let mut groups: Vec<FindingGroup> =
            [Level::Deny, Level::Approval, Level::Warn, Level::Info]
                .into_iter()
                .map(|level| FindingGroup {
                    level,
                    findings: Vec::new(),
                })
                .collect();
        for (i, f) in report.findings.iter().enumerate() {
            if let Some(group) = groups.iter_mut().find(|g| g.level == f.level) {
                group.findings.push(i);
            }
        }
        groups.retain(|g| !g.findings.is_empty());

        let has_secret = report
            .findings
            .iter()
            .any(|f| f.rule == parapet_core::Rule::SecretsPlaintextSecret.id());
        let approval = self.approval_target(&report, settings, has_secret);
        // Redacted by the engine, like everything in the report.
        let app_name = report.app.name.clone();
        let (verdict, counts, tier) = (report.verdict, report.counts, report.app.tier);
        let source = Rc::new(Source {
            report,
            settings: Rc::new(settings.clone()),
        });
        let announcement = self.announce(verdict, &source);
        Feedback {
            revision: self.revision,
            verdict,
            counts,
            app_name,
            tier: tier.map(|t| t.as_str()),
            groups,
            approval,
            announcement,
            source: Some(source),
        }
    }

    fn approval_target(
        &self,
        report: &Report,
        settings: &Settings,
        has_secret: bool,
    ) -> Option<ApprovalTarget> {
        // Few distinct values: sorted insertion keeps them ordered and unique.
        let mut rules: Vec<&'static str> = Vec::new();
        let mut routes: Vec<String> = Vec::new();
        for f in report
            .findings
            .iter()
            .filter(|f| f.level == Level::Approval)
        {
            if let Err(at) = rules.binary_search(&f.rule) {
                rules.insert(at, f.rule);
            }
            if let Some(route) = &f.approval {
                if let Err(at) = routes.binary_search(&route.route) {
                    routes.insert(at, route.route.clone());
                }
            }
        }
        if rules.is_empty() {
            return None;
        }
        Some(ApprovalTarget {
            idempotency_key: idempotency_key(&report.input.digest, &rules, &settings.requester),
            rules,
            routes,
            requester: settings.requester.clone(),
            blocked_by_secret: has_secret,
        })
    }

    /// "Blocked. 2 new problems: …. 1 fixed." — only what changed since the last evaluation.
    fn announce(&mut self, verdict: Verdict, source: &Source) -> String {
        let findings = &source.report.findings;
        let problems: Vec<usize> = (0..findings.len())
            .filter(|i| findings[*i].level > Level::Info)
            .collect();
        let full = |i: usize| fnv(identity(&findings[i]), &[findings[i].level as u8]);
        let mut now = Identities::default();
        for i in &problems {
            now.base.push(identity(&findings[*i]));
            now.full.push(full(*i));
        }
        now.full.sort_unstable();
        now.base.sort_unstable();
        let previous = self.previous.replace(now.clone());
        let previous_verdict = self.previous_verdict.replace(verdict);
        let Some(previous) = previous else {
            return match problems.len() {
                0 => format!("{}: no problems found.", verdict_label(verdict)),
                1 => format!("{}: 1 problem.", verdict_label(verdict)),
                n => format!("{}: {n} problems.", verdict_label(verdict)),
            };
        };
        // New, or now at another level (a tier change turns a warning into a blocker).
        let new: Vec<usize> = problems
            .into_iter()
            .filter(|i| previous.full.binary_search(&full(*i)).is_err())
            .collect();
        let fixed = previous
            .base
            .iter()
            .filter(|b| now.base.binary_search(b).is_err())
            .count();
        if new.is_empty() && fixed == 0 && previous_verdict == Some(verdict) {
            return String::new();
        }
        let mut out = String::new();
        out.push_str(verdict_label(verdict));
        out.push('.');
        if !new.is_empty() {
            let what = if new.len() == 1 {
                "problem"
            } else {
                "problems"
            };
            out.push_str(&format!(" {} new {what}: ", new.len()));
            let listed: Vec<String> = new
                .iter()
                .take(3)
                .map(|i| {
                    let f = &findings[*i];
                    format!("{} ({})", rule_title(f.rule), field_name(f))
                })
                .collect();
            out.push_str(&listed.join("; "));
            if new.len() > 3 {
                out.push_str(&format!("; and {} more", new.len() - 3));
            }
            out.push('.');
        }
        if fixed > 0 {
            out.push_str(&format!(" {fixed} fixed."));
        }
        out
    }
}

/// FNV-1a, continued from `seed` over `bytes`.
fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A finding's identity across edits (rule, pointer, message), as a 64-bit hash.
fn identity(f: &Finding) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325;
    for part in [f.rule, f.path.as_str(), f.message.as_str()] {
        h = fnv(h, part.as_bytes());
        h = fnv(h, &[0xff]);
    }
    h
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `parapet-` and 32 hex digits of SHA-256 over the manifest's digest (the report's
/// `input.digest`: the manifest is not hashed a second time), the rules and the requester: the
/// same request always carries the same key, so retries and reloads never create a second
/// approval request.
pub fn idempotency_key(manifest_digest: &str, rules: &[&str], requester: &str) -> String {
    let material = format!("{manifest_digest}\n{}\n{requester}", rules.join(","));
    let digest = parapet_core::digest(material.as_bytes());
    let hex = digest.trim_start_matches("sha256:");
    format!("parapet-{}", &hex[..32.min(hex.len())])
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXTERNAL: &str = "apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: demo }
spec:
  tier: TIER
  owner: group:ops
  dataClassification: internal
  connectors:
    - { name: weather, type: http, service: openweather, url: https://api.openweathermap.org, auth: apiKey }
  cost: { currency: USD, budgetMonthly: 10, estimateMonthly: 1 }
  sla: { support: business-hours, responseHours: 24 }
  export: { exportable: true, format: json, repository: https://git.corp.example/x }
  review: { lastReviewed: 2026-11-01 }
";

    fn feedback(ev: &mut Evaluator, tier: &str) -> Feedback {
        let text = EXTERNAL.replace("TIER", tier);
        let settings = Settings {
            now: Date::parse("2026-11-28"),
            requester: "jane@corp.example".into(),
            ..Settings::default()
        };
        ev.evaluate(&ManifestInput::Text(text), &settings)
    }

    #[test]
    fn tiers_change_the_verdict_as_the_catalogue_says() {
        let mut ev = Evaluator::new(Engine::default());
        assert_eq!(feedback(&mut ev, "sandbox").verdict, Verdict::Deny);
        let controlled = feedback(&mut ev, "controlled");
        assert_eq!(controlled.verdict, Verdict::Approval);
        let target = controlled.approval.expect("approval target");
        assert_eq!(target.rules, vec!["integration/external-connector"]);
        assert_eq!(target.routes, vec!["integration-review".to_owned()]);
        assert!(target.idempotency_key.starts_with("parapet-"));
        assert_eq!(feedback(&mut ev, "production").verdict, Verdict::Approval);
    }

    #[test]
    fn findings_are_grouped_named_and_linked() {
        let mut ev = Evaluator::new(Engine::default());
        let fb = feedback(&mut ev, "controlled");
        let group = &fb.groups[0];
        assert_eq!(group.level, Level::Approval);
        let f = fb.view(group.findings[0]).expect("a view");
        assert_eq!(f.field, "connectors › weather");
        assert_eq!(f.pointer, "/spec/connectors/0");
        assert_eq!(
            f.docs_url,
            "https://parapet.dev/docs/rules/integration/external-connector"
        );
        assert_eq!(f.title, "Sends data to an outside service");
        assert!(f.message.starts_with('C'), "{}", f.message);
    }

    #[test]
    fn announcements_say_what_changed() {
        let mut ev = Evaluator::new(Engine::default());
        let first = feedback(&mut ev, "controlled");
        assert_eq!(first.announcement, "Needs approval: 1 problem.");
        let same = feedback(&mut ev, "controlled");
        assert_eq!(same.announcement, "");
        let sandbox = feedback(&mut ev, "sandbox");
        assert!(
            sandbox.announcement.starts_with(
                "Blocked. 1 new problem: Sends data to an outside service (connectors › weather)."
            ),
            "{}",
            sandbox.announcement
        );
        assert!(
            !sandbox.announcement.contains("fixed"),
            "{}",
            sandbox.announcement
        );
    }

    #[test]
    fn nothing_the_widget_shows_carries_a_secret() {
        // A token as the app's name, a connector's name, a settings key and in a note: the
        // engine's redactor covers messages, pointers, field names and the app name, and the
        // widget shows only those.
        let token = ["xoxb", "2048", "1234567890123", "Zq8Lm4Np7Rt2Vx5B"].join("-");
        let text = format!(
            "apiVersion: parapet.dev/v1
kind: MicroApp
metadata: {{ name: \"{token}\" }}
spec:
  tier: controlled
  owner: group:ops
  connectors:
    - {{ name: \"{token}\", type: http, service: weather, url: http://api.example.com }}
  settings: {{ \"{token}\": x, note: \"see {token}\" }}
"
        );
        let mut ev = Evaluator::new(Engine::default());
        let settings = Settings {
            now: Date::parse("2026-11-28"),
            ..Settings::default()
        };
        let fb = ev.evaluate(&ManifestInput::Text(text), &settings);
        let leaks = |s: &str| s.contains(&token[..20]);
        assert!(
            !fb.app_name.as_deref().is_some_and(leaks),
            "{:?}",
            fb.app_name
        );
        assert!(!leaks(&fb.announcement), "{}", fb.announcement);
        let views: Vec<Rc<FindingView>> = fb
            .groups
            .iter()
            .flat_map(|g| g.findings.iter().filter_map(|i| fb.view(*i)))
            .collect();
        assert!(views.len() >= 4, "{views:?}");
        for v in &views {
            for shown in [&v.key, &v.message, &v.field, &v.pointer] {
                assert!(!leaks(shown), "{shown}");
            }
        }
        // The connector whose name is the token is named by its position.
        assert!(
            views.iter().any(|v| v.field.starts_with("connectors › #1")),
            "{:?}",
            views.iter().map(|v| &v.field).collect::<Vec<_>>()
        );
        let target = fb.approval.expect("the connector needs approval");
        assert!(target.blocked_by_secret);
    }

    #[test]
    fn idempotency_keys_are_stable_and_specific() {
        let (x, y) = (parapet_core::digest(b"x"), parapet_core::digest(b"y"));
        let a = idempotency_key(&x, &["r/a"], "jane");
        assert_eq!(a, idempotency_key(&x, &["r/a"], "jane"));
        assert_ne!(a, idempotency_key(&y, &["r/a"], "jane"));
        assert_ne!(a, idempotency_key(&x, &["r/a", "r/b"], "jane"));
        assert_ne!(a, idempotency_key(&x, &["r/a"], "joe"));
        assert_eq!(a.len(), "parapet-".len() + 32);
    }

    #[test]
    fn repeated_findings_get_unique_keys() {
        let mut ev = Evaluator::new(Engine::default());
        let fb = feedback(&mut ev, "controlled");
        let source = fb.source.as_ref().expect("source");
        let mut findings = source.report.findings.clone();
        findings.push(findings[0].clone());
        findings.push(findings[0].clone());
        let keys: Vec<String> = (0..3).map(|i| finding_key(&findings, i)).collect();
        assert!(keys[0].ends_with(&findings[0].message));
        assert!(
            keys[1].ends_with("#2") && keys[2].ends_with("#3"),
            "{keys:?}"
        );
    }

    #[test]
    fn docs_urls_join_cleanly() {
        let mut s = Settings::default();
        assert_eq!(s.docs_url("a/b"), "https://parapet.dev/docs/rules/a/b");
        s.docs_base_url = "/docs/rules".into();
        assert_eq!(s.docs_url("a/b"), "/docs/rules/a/b");
        assert!(!Settings::accept_docs_base("javascript:alert(1)"));
        assert!(!Settings::accept_docs_base("//evil.example/"));
    }
}
