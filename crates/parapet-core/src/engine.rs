//! The engine: a compiled policy pack that evaluates manifests into reports.

use regex_lite::Regex;

use crate::document::{pointer_is_prefix, Limits};
use crate::manifest::Manifest;
use crate::model::{Date, Level, Tier, Verdict};
use crate::parse::{parse, Syntax};
use crate::policy::{PolicyError, PolicyPack};
use crate::report::{
    App, Approval, Classification, Counts, DetectedClass, Finding, InputRef, PolicyRef, Report,
    Utf16Range, Waiver, REPORT_SCHEMA,
};
use crate::rules::{self, Context, RawFinding, Rule};
use crate::secrets::{redact, SecretScanner};
use crate::source::{LineIndex, Span};

/// How to read the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputFormat {
    #[default]
    Auto,
    Json,
    Yaml,
}

impl InputFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "json" => Some(Self::Json),
            "yaml" | "yml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct EvaluateOptions {
    /// Today, for dated rules. Without it, rules that need the date do not fire.
    pub now: Option<Date>,
    pub format: InputFormat,
    /// Add UTF-16 offsets to findings (for JS editors).
    pub utf16: bool,
    pub limits: Limits,
    /// The tier of a vendor export (CLI `--tier`, wasm `{ tier }`, edge `?tier=`). A manifest
    /// states its own tier; this does not override it.
    pub tier: Option<Tier>,
}

/// A policy pack compiled for repeated evaluation.
pub struct Engine {
    pack: PolicyPack,
    digest: String,
    secrets: SecretScanner,
}

impl Default for Engine {
    /// The engine for the built-in default pack.
    fn default() -> Self {
        let pack = PolicyPack::default();
        Self {
            digest: pack.digest(),
            // The default pack allows no secret patterns.
            secrets: SecretScanner::new(Vec::new()),
            pack,
        }
    }
}

impl Engine {
    /// Compiles a pack. A pack built in code is checked like one parsed from text: an invalid
    /// `secrets.allow` pattern, or approval routes without a `"*"` route, is an error naming
    /// the field (never silently dropped).
    pub fn new(pack: PolicyPack) -> Result<Self, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let mut allow = Vec::with_capacity(pack.secrets_allow.len());
        for (i, p) in pack.secrets_allow.iter().enumerate() {
            match Regex::new(p) {
                Ok(r) => allow.push(r),
                Err(e) => errors.push(PolicyError {
                    message: format!(
                        "secrets.allow[{i}] is not a valid regex: {}",
                        e.to_string().lines().next().unwrap_or("").trim()
                    ),
                    pointer: format!("/secrets/allow/{i}"),
                    line: 0,
                    column: 0,
                }),
            }
        }
        if !pack.routes.iter().any(|(p, _)| p == "*") {
            errors.push(PolicyError {
                message: format!(
                    "approvals.routes has no \"*\" route: {}",
                    crate::policy::NO_CATCH_ALL_ROUTE
                ),
                pointer: "/approvals/routes".into(),
                line: 0,
                column: 0,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            digest: pack.digest(),
            secrets: SecretScanner::new(allow),
            pack,
        })
    }

    /// Parses a pack (YAML or JSON text) over the default and compiles it.
    pub fn from_policy_text(text: &str) -> Result<Self, Vec<PolicyError>> {
        PolicyPack::from_text(text).and_then(Self::new)
    }

    pub fn pack(&self) -> &PolicyPack {
        &self.pack
    }

    /// Evaluates raw bytes: invalid UTF-8 is a `manifest/syntax` finding, not an error.
    pub fn evaluate_bytes(&self, input: &[u8], options: &EvaluateOptions) -> Report {
        match std::str::from_utf8(input) {
            Ok(text) => self.evaluate(text, options),
            Err(e) => {
                let valid = &input[..e.valid_up_to()];
                // Safe by construction: `valid_up_to` ends on a boundary.
                let text = std::str::from_utf8(valid).unwrap_or("");
                let message = format!(
                    "the file is not valid UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                );
                let at = Span::from_usize(text.len(), text.len());
                self.syntax_failure(text, input, message, at, options)
            }
        }
    }

    pub fn evaluate(&self, text: &str, options: &EvaluateOptions) -> Report {
        let syntax = match options.format {
            InputFormat::Auto => Syntax::Auto,
            InputFormat::Json => Syntax::Json,
            InputFormat::Yaml => Syntax::Yaml,
        };
        let parsed = match parse(text, syntax, &options.limits) {
            Ok(p) => p,
            Err(e) => {
                return self.syntax_failure(text, text.as_bytes(), e.message, e.span, options)
            }
        };
        let index = LineIndex::new(text);
        let root = &parsed.root;
        // A vendor export (n8n, Node-RED, ...) is read by its adapter into the same model.
        let adapted = crate::adapters::adapt(root, &crate::adapters::AdaptCx { pack: &self.pack });
        let is_manifest = adapted.is_none() && rules::is_manifest(root);
        let manifest = match &adapted {
            Some(a) => crate::adapters::vendor_manifest(a, options.tier, &self.pack),
            None if is_manifest => Manifest::from_document(root),
            None => Manifest::default(),
        };
        let walk = crate::walk::walk(text, root, &manifest, adapted.as_ref(), &self.secrets);
        let cx = Context {
            text,
            index: &index,
            parsed: &parsed,
            manifest: (is_manifest || adapted.is_some()).then_some(&manifest),
            adapted: adapted.as_ref(),
            // An app without a (valid) tier is judged by the strictest tier.
            tier: manifest.tier.as_ref().map_or(Tier::Production, |t| t.value),
            walk: &walk,
            pack: &self.pack,
            secrets: &self.secrets,
            now: options.now,
        };
        let mut raw = Vec::new();
        rules::run(&cx, &mut raw);
        // Safety net: no message or pointer carries a secret, whatever text it quotes (a token
        // pasted as a field name, a key or a connector name).
        for f in &mut raw {
            if let Some(m) = self.redact_secrets_in(&f.message) {
                f.message = m;
            }
            if let Some(p) = self.redact_secrets_in(&f.path) {
                f.path = p;
            }
        }
        let classes = walk
            .classes
            .into_iter()
            .map(|c| DetectedClass {
                class: c.class,
                level: c.level,
                path: c.path,
            })
            .collect();
        let (format, nodes) = match adapted {
            Some(a) => (a.format, a.nodes),
            None if is_manifest => ("parapet", Vec::new()),
            None => ("unknown", Vec::new()),
        };
        self.finish(
            text,
            text.as_bytes(),
            format,
            &manifest,
            raw,
            classes,
            options,
            &index,
            &nodes,
        )
    }

    /// Manifest text as the report may echo it: every secret in it redacted.
    fn redacted(&self, text: &str) -> String {
        self.redact_secrets_in(text)
            .unwrap_or_else(|| text.to_string())
    }

    /// `text` with every secret in it replaced by its redacted form; `None` when it has none.
    fn redact_secrets_in(&self, text: &str) -> Option<String> {
        let found = self.secrets.scan(text, None);
        if found.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in found {
            if m.start < at {
                continue;
            }
            out.push_str(text.get(at..m.start).unwrap_or(""));
            out.push_str(&redact(text.get(m.start..m.end).unwrap_or("")));
            at = m.end;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Some(out)
    }

    /// The report for input that could not be read at all: one `manifest/syntax` finding.
    fn syntax_failure(
        &self,
        text: &str,
        bytes: &[u8],
        message: String,
        span: Span,
        options: &EvaluateOptions,
    ) -> Report {
        let raw = vec![RawFinding::new(
            Rule::ManifestSyntax,
            message,
            String::new(),
            span,
        )];
        let index = LineIndex::new(text);
        self.finish(
            text,
            bytes,
            "unknown",
            &Manifest::default(),
            raw,
            Vec::new(),
            options,
            &index,
            &[],
        )
    }

    /// The exceptions that waive findings: known rule, unexpired, and — when the exception
    /// carries a signed approval — a waiver that verifies against the pack's trusted keys for
    /// this app and rule (its signed expiry and target then apply). Signed approvals that do not
    /// verify come back as `exceptions/invalid-signature` findings. In tiers where the pack sets
    /// `exceptions.requireSignature`, unsigned exceptions waive nothing.
    fn active_exceptions(
        &self,
        manifest: &Manifest,
        tier: Tier,
        now: Option<Date>,
    ) -> (Vec<ActiveException>, Vec<RawFinding>) {
        let app = manifest.name.as_ref().map(|n| n.value.as_str());
        let mut active = Vec::new();
        let mut invalid = Vec::new();
        for e in &manifest.exceptions {
            if Rule::from_id(&e.rule.value).is_none() {
                continue;
            }
            let rule = e.rule.value.clone();
            if let Some(approval) = &e.approval {
                match crate::waivers::verify_waiver(
                    &approval.value,
                    &self.pack.trusted_keys,
                    app,
                    &rule,
                    now,
                ) {
                    Ok(claims) => active.push(ActiveException {
                        rule,
                        target: claims.target.or_else(|| e.target.clone()),
                        ticket: e.ticket.clone().or(Some(claims.approval)),
                        expires: Some(claims.expires.to_string()),
                        pointer: e.origin.pointer.clone(),
                    }),
                    Err(err) => invalid.push(RawFinding::new(
                        Rule::ExceptionsInvalidSignature,
                        format!(
                            "the signed approval for {} does not hold: {}; it waives nothing",
                            crate::text::truncate(&rule, 60),
                            err.describe()
                        ),
                        approval.origin.pointer.clone(),
                        approval.origin.span,
                    )),
                }
                continue;
            }
            if self.pack.requires_signature(tier) {
                continue;
            }
            let unexpired = match (&e.expires, now) {
                (Some(exp), Some(now)) => exp.value >= now,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if unexpired {
                active.push(ActiveException {
                    rule,
                    target: e.target.clone(),
                    ticket: e.ticket.clone(),
                    expires: e.expires.as_ref().map(|d| d.value.to_string()),
                    pointer: e.origin.pointer.clone(),
                });
            }
        }
        (active, invalid)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        text: &str,
        bytes: &[u8],
        format: &'static str,
        manifest: &Manifest,
        raw: Vec<RawFinding>,
        classes: Vec<DetectedClass>,
        options: &EvaluateOptions,
        index: &LineIndex,
        nodes: &[crate::adapters::NodeSite],
    ) -> Report {
        // An app without a (valid) tier is judged by the strictest tier.
        let tier = manifest.tier.as_ref().map_or(Tier::Production, |t| t.value);
        let (active_exceptions, invalid) = self.active_exceptions(manifest, tier, options.now);
        let mut raw = raw;
        raw.extend(invalid);

        let node_index = crate::adapters::NodeIndex::new(nodes);
        let mut findings: Vec<Finding> = Vec::with_capacity(raw.len());
        for r in raw {
            let mut level = self.pack.level(r.rule, tier);
            if level == Level::Off {
                continue;
            }
            if let Some(cap) = r.cap {
                level = level.min(cap).max(Level::Info);
            }
            let waiver = if !r.rule.waivable() {
                None
            } else {
                active_exceptions.iter().find(|e| {
                    e.rule == r.rule.id()
                        && e.target
                            .as_deref()
                            .is_none_or(|t| pointer_is_prefix(t, &r.path))
                })
            };
            let waived_by = waiver.map(|e| Waiver {
                ticket: e.ticket.as_deref().map(|t| self.redacted(t)),
                expires: e.expires.clone(),
                exception: self.redacted(&e.pointer),
            });
            if waived_by.is_some() {
                level = Level::Info;
            }
            // The pack has a "*" route (checked when it is compiled), so every rule has one.
            let approval = (level == Level::Approval).then(|| Approval {
                route: self.pack.route(r.rule.id()).unwrap_or("*").to_string(),
            });
            let utf16 = options.utf16.then(|| Utf16Range {
                start: index.utf16_offset(text, r.span.start),
                end: index.utf16_offset(text, r.span.end),
            });
            let node = node_index.at(&r.path).cloned();
            findings.push(Finding {
                rule: r.rule.id(),
                level,
                message: r.message,
                path: r.path,
                location: index.location(text, r.span),
                help: r.rule.meta().help,
                approval,
                waived_by,
                reason: r.secret.map(|(reason, _)| reason.text()),
                confidence: r.secret.map(|(_, c)| c),
                utf16,
                node,
            });
        }
        findings.sort_by(|a, b| {
            (a.location, a.rule, &a.path, &a.message)
                .cmp(&(b.location, b.rule, &b.path, &b.message))
        });
        findings.dedup_by(|a, b| {
            a.rule == b.rule
                && a.path == b.path
                && a.message == b.message
                && a.location == b.location
        });
        let mut counts = Counts::default();
        for f in &findings {
            match f.level {
                Level::Deny => counts.deny += 1,
                Level::Approval => counts.approval += 1,
                Level::Warn => counts.warn += 1,
                Level::Info | Level::Off => counts.info += 1,
            }
        }
        let top = findings
            .iter()
            .map(|f| f.level)
            .max()
            .unwrap_or(Level::Info);
        let detected = classes.iter().map(|c| c.level).max();
        let classes = classes
            .into_iter()
            .map(|mut c| {
                if let Some(p) = self.redact_secrets_in(&c.path) {
                    c.path = p;
                }
                c
            })
            .collect();
        Report {
            schema: REPORT_SCHEMA,
            verdict: Verdict::from_level(top),
            app: App {
                // The name is echoed everywhere (queues, webhooks, CLI): a token pasted as the
                // name is redacted like one in a finding.
                name: manifest.name.as_ref().map(|n| self.redacted(&n.value)),
                tier: manifest.tier.as_ref().map(|t| t.value),
            },
            classification: Classification {
                declared: manifest.data_classification.as_ref().map(|d| d.value),
                detected,
                classes,
            },
            findings,
            counts,
            policy: PolicyRef {
                name: self.pack.name.clone(),
                digest: self.digest.clone(),
            },
            input: InputRef {
                format,
                digest: crate::digest(bytes),
            },
        }
    }
}

/// An exception in force (signed or not), as the findings loop needs it.
struct ActiveException {
    rule: String,
    target: Option<String>,
    ticket: Option<String>,
    expires: Option<String>,
    pointer: String,
}
