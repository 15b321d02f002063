//! The engine: a compiled policy pack that evaluates manifests into reports.

use std::borrow::Cow;

use regex_lite::Regex;

use crate::document::{pointer_is_prefix, Limits};
use crate::fields::FieldNamer;
use crate::manifest::Manifest;
use crate::model::{Date, Level, Tier, Verdict};
use crate::parse::{parse, Syntax};
use crate::policy::{PolicyError, PolicyPack};
use crate::redact::Redactor;
use crate::report::{
    App, Approval, Classification, Counts, DetectedClass, Finding, InputRef, PolicyRef, Report,
    TextSecret, Utf16Range, Waiver, REPORT_SCHEMA,
};
use crate::rules::{self, Context, RawFinding, Rule};
use crate::secrets::SecretScanner;
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
    /// The format a file's extension names: `json`; `yaml` or `yml` (any case); else `Auto`.
    pub fn from_extension(extension: Option<&str>) -> Self {
        match extension {
            Some(e) if e.eq_ignore_ascii_case("json") => Self::Json,
            Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                Self::Yaml
            }
            _ => Self::Auto,
        }
    }

    /// The format named by an option value (`auto`, `json`, `yaml`, `yml`).
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
    /// Add each finding's field name in words (`Finding::field`), for hosts that show
    /// findings to people (the widget). Off by default: reports stay as they were.
    pub field_names: bool,
    /// The input's SHA-256 as the host computed it, for the report's `input.digest` instead of
    /// the engine's own: a host with a native SHA-256 (WebCrypto in workerd and browsers,
    /// `node:crypto`) hashes many times faster than the engine's portable code does in wasm,
    /// where hashing a typical manifest is ~13-20% of its evaluation. The engine does not check
    /// it: give only the digest of the exact bytes evaluated.
    pub input_digest: Option<crate::InputDigest>,
}

/// The field name each word of free text is scanned under by [`Engine::check_text`]: neutral (it
/// neither suggests nor rules out a secret), so that the word's own shape and entropy count, as
/// for a value under an ordinary field of a manifest.
const FREE_TEXT_WORD_KEY: &str = "word";

/// A policy pack compiled for repeated evaluation.
pub struct Engine {
    pack: PolicyPack,
    digest: String,
    secrets: SecretScanner,
    /// Each rule's settings under `pack`, by `Rule as usize` (the pack does not change once
    /// compiled: looked up once, not per finding).
    rules: Box<[RuleSettings]>,
}

/// A rule's level in each tier and its approval route, under an engine's pack.
struct RuleSettings {
    levels: [Level; 3],
    route: Box<str>,
}

impl RuleSettings {
    fn of(pack: &PolicyPack) -> Box<[RuleSettings]> {
        Rule::ALL
            .iter()
            .map(|&rule| RuleSettings {
                levels: Tier::ALL.map(|tier| pack.level(rule, tier)),
                // The pack has a "*" route (checked when it is compiled), so every rule has one.
                route: pack.route(rule.id()).unwrap_or("*").into(),
            })
            .collect()
    }
}

impl Default for Engine {
    /// The engine for the built-in default pack.
    fn default() -> Self {
        let pack = PolicyPack::default();
        Self {
            digest: pack.digest(),
            // The default pack allows no secret patterns.
            secrets: SecretScanner::new(Vec::new()),
            rules: RuleSettings::of(&pack),
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
            rules: RuleSettings::of(&pack),
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
        self.evaluate_inner(text, options, None)
    }

    /// Evaluates a sidecar manifest (a manifest with `spec.source`) together with the vendor
    /// export it names. `source` is the export's text, or why it could not be read (the caller
    /// does the I/O). The manifest's own fields give name, tier, owner, cost, review and
    /// exceptions; the export gives connectors, triggers and data. Findings in the export carry
    /// `file` (the `spec.source.path` as written); findings without `file` are in the manifest.
    /// A manifest without `spec.source`, or one that cannot be read, is evaluated as usual.
    pub fn evaluate_with_source(
        &self,
        manifest_text: &str,
        source: Result<&str, String>,
        options: &EvaluateOptions,
    ) -> Report {
        let mut alone = self.evaluate(manifest_text, options);
        let Some(sidecar) = self.sidecar_of(manifest_text, options) else {
            return alone;
        };
        let path = sidecar.manifest.source.clone().map(|s| s.path);
        let (Some(path), Some(src)) = (path, sidecar.manifest.source.clone()) else {
            return alone;
        };
        // The manifest's own text problems (syntax, schema, secrets in it) come from its own
        // evaluation; everything that needs the merged model from the merged one.
        let own = |f: &Finding| {
            f.rule == Rule::ManifestSyntax.id()
                || f.rule == Rule::ManifestSchema.id()
                || Rule::from_id(f.rule).is_some_and(Rule::finds_secrets)
        };
        let source_text = match source {
            Ok(t) => t,
            Err(reason) => {
                let mut report = alone;
                let index = LineIndex::new(manifest_text);
                report.findings.push(self.plain_finding(
                    Rule::ManifestSchema,
                    format!(
                        "spec.source.path: the export {} cannot be read: {}",
                        crate::text::truncate(&path.value, 120),
                        crate::text::truncate(&reason, 200)
                    ),
                    &path.origin,
                    manifest_text,
                    &index,
                    options,
                    &sidecar.manifest,
                ));
                return self.recount(report);
            }
        };
        let mut merged = self.evaluate_inner(source_text, options, Some(&sidecar));
        let detected = merged.input.format;
        // Both texts' digests are already in the two reports (each text is hashed once).
        let manifest_digest = std::mem::take(&mut alone.input.digest);
        let source_digest = std::mem::take(&mut merged.input.digest);
        // The manifest's own findings, and the rest (in their order).
        let (mut findings, rest): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(&mut alone.findings)
                .into_iter()
                .partition(own);
        let named = crate::manifest::SOURCE_FORMATS.contains(&src.format.value.as_str());
        // An unknown format name is already a schema finding; a known one must match.
        if named && detected != src.format.value {
            let index = LineIndex::new(manifest_text);
            let what = match detected {
                "unknown" | "parapet" => "not a vendor export Parapet reads".to_string(),
                f => format!("in the {f} format"),
            };
            findings.push(self.plain_finding(
                Rule::ManifestSchema,
                format!(
                    "spec.source.format is \"{}\" but {} is {what}",
                    crate::text::truncate(&src.format.value, 40),
                    crate::text::truncate(&path.value, 120)
                ),
                &src.format.origin,
                manifest_text,
                &index,
                options,
                &sidecar.manifest,
            ));
        }
        if matches!(detected, "unknown" | "parapet") {
            // Not an export: the manifest as it is (its evaluation alone), plus what was wrong
            // with that file.
            let mut report = alone;
            report.input.digest = manifest_digest;
            report.findings = rest;
            let shown = self.redacted(&path.value);
            report.findings.append(&mut findings);
            for mut f in merged.findings {
                f.file = Some(shown.clone());
                report.findings.push(f);
            }
            return self.recount(report);
        }
        findings.append(&mut merged.findings);
        merged.findings = findings;
        merged.input = InputRef {
            format: "parapet",
            digest: manifest_digest,
            source: Some(crate::report::SourceInput {
                format: detected,
                path: self.redacted(&path.value),
                digest: source_digest,
            }),
        };
        self.recount(merged)
    }

    /// `spec.source` of a sidecar manifest, as `(format, path)` (no I/O: the caller reads the
    /// path, relative to the manifest, and passes its text to [`Engine::evaluate_with_source`]).
    pub fn sidecar_source(
        &self,
        text: &str,
        options: &EvaluateOptions,
    ) -> Option<(String, String)> {
        let sc = self.sidecar_of(text, options)?;
        let src = sc.manifest.source?;
        Some((src.format.value, src.path.value))
    }

    /// The sidecar model of a manifest with a readable `spec.source`, its spans moved past the
    /// export's text (see [`Sidecar`]); `None` for anything else.
    fn sidecar_of(&self, text: &str, options: &EvaluateOptions) -> Option<Sidecar> {
        let parsed = parse(text, Syntax::Auto, &options.limits).ok()?;
        if !rules::is_manifest(&parsed.root) {
            return None;
        }
        let manifest = Manifest::from_document(&parsed.root);
        manifest.source.as_ref()?;
        Some(Sidecar {
            manifest,
            text: text.to_string(),
        })
    }

    /// A finding in the manifest itself, outside any rule run (the export cannot be read, or is
    /// not the format the manifest says).
    #[allow(clippy::too_many_arguments)]
    fn plain_finding(
        &self,
        rule: Rule,
        message: String,
        origin: &crate::manifest::Origin,
        text: &str,
        index: &LineIndex,
        options: &EvaluateOptions,
        manifest: &Manifest,
    ) -> Finding {
        let tier = manifest.tier.as_ref().map_or(Tier::Production, |t| t.value);
        let level = self.level(rule, tier).max(Level::Info);
        Finding {
            rule: rule.id(),
            level,
            message: self.redacted(&message),
            path: origin.pointer.to_text(),
            location: index.location(text, origin.span),
            help: rule.meta().help,
            approval: (level == Level::Approval).then(|| Approval {
                route: self.route(rule),
            }),
            waived_by: None,
            reason: None,
            confidence: None,
            utf16: options.utf16.then(|| Utf16Range {
                start: index.utf16_offset(text, origin.span.start),
                end: index.utf16_offset(text, origin.span.end),
            }),
            node: None,
            file: None,
            field: None,
        }
    }

    /// Sorts the findings (manifest's first, then the export's) and recomputes counts and
    /// verdict.
    fn recount(&self, mut report: Report) -> Report {
        crate::sort::sort_by(&mut report.findings, |a, b| {
            (a.file.is_some(), a.location, a.rule, &a.path, &a.message).cmp(&(
                b.file.is_some(),
                b.location,
                b.rule,
                &b.path,
                &b.message,
            ))
        });
        report.findings.dedup_by(|a, b| {
            a.rule == b.rule
                && a.path == b.path
                && a.message == b.message
                && a.location == b.location
                && a.file == b.file
        });
        let mut counts = Counts::default();
        for f in &report.findings {
            match f.level {
                Level::Deny => counts.deny += 1,
                Level::Approval => counts.approval += 1,
                Level::Warn => counts.warn += 1,
                Level::Info | Level::Off => counts.info += 1,
            }
        }
        let top = report
            .findings
            .iter()
            .map(|f| f.level)
            .max()
            .unwrap_or(Level::Info);
        report.counts = counts;
        report.verdict = Verdict::from_level(top);
        report
    }

    fn evaluate_inner(
        &self,
        text: &str,
        options: &EvaluateOptions,
        sidecar: Option<&Sidecar>,
    ) -> Report {
        let syntax = match options.format {
            InputFormat::Auto => Syntax::Auto,
            InputFormat::Json => Syntax::Json,
            InputFormat::Yaml => Syntax::Yaml,
        };
        let mut parsed = match parse(text, syntax, &options.limits) {
            Ok(p) => p,
            Err(e) => {
                return self.syntax_failure(text, text.as_bytes(), e.message, e.span, options)
            }
        };
        let index = match parsed.line_starts.take() {
            Some(starts) => LineIndex::from_starts(text, starts),
            None => LineIndex::new(text),
        };
        let root = &parsed.root;
        // A vendor export (n8n, Node-RED, ...) is read by its adapter into the same model.
        let adapted = crate::adapters::adapt(root, &crate::adapters::AdaptCx { pack: &self.pack });
        let is_manifest = adapted.is_none() && rules::is_manifest(root);
        let mut manifest = match &adapted {
            Some(a) => crate::adapters::vendor_manifest(a, options.tier, &self.pack),
            None if is_manifest => Manifest::from_document(root),
            None => Manifest::default(),
        };
        let shift = sidecar_base(text);
        if let (Some(sc), Some(_)) = (sidecar, &adapted) {
            overlay(&mut manifest, &sc.manifest, shift);
        }
        let walk = crate::walk::walk(
            text,
            &index,
            root,
            &manifest,
            adapted.as_ref(),
            &self.secrets,
        );
        let redactor = Redactor::new(&self.secrets, walk.found());
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
            redactor: &redactor,
            now: options.now,
            standings: std::cell::OnceCell::new(),
        };
        let mut raw = Vec::new();
        rules::run(&cx, &mut raw);
        // No message or pointer carries a secret, whatever text it quotes (a token pasted as a
        // field name, a key or a connector name): the walk found them all.
        for f in &mut raw {
            if let Cow::Owned(m) = redactor.redact(&f.message) {
                f.message = m;
            }
            if f.fixed_path {
                continue;
            }
            if let Cow::Owned(p) = redactor.redact(&f.path) {
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
        let namer = options.field_names.then(|| {
            FieldNamer::new(
                Some(root),
                &redactor,
                walk.secrets
                    .iter()
                    .filter(|s| !s.in_key)
                    .map(|s| s.pointer.as_str()),
            )
        });
        let side = sidecar.map(|sc| SideMap {
            text: &sc.text,
            index: LineIndex::new(&sc.text),
            shift,
            path: sc
                .manifest
                .source
                .as_ref()
                .map(|s| self.redacted(&s.path.value))
                .unwrap_or_default(),
        });
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
            side.as_ref(),
            &redactor,
            namer.as_ref(),
        )
    }

    /// Text from outside the walked document (a sidecar's path, an I/O error) as the report
    /// may echo it: every secret in it redacted.
    fn redacted(&self, text: &str) -> String {
        self.redactor().redact_foreign(text)
    }

    /// A redactor for free text a host shows or stores (it knows no values and scans).
    pub fn redactor(&self) -> Redactor<'_> {
        Redactor::scanning(&self.secrets)
    }

    /// The secrets in free text (an approval's justification, a reviewer's comment, a query
    /// parameter), judged as a value of an app without a tier would be: the pack's
    /// `secrets.allow` applies, and `secrets.minConfidence` of the strictest tier. The text is
    /// scanned whole and, so that a key pasted into prose is judged as the bare value, each word
    /// of 16 bytes or more on its own. Sorted by position, overlaps removed; at most
    /// 100. The hits carry spans and the redacted form, never the
    /// secret. The text is judged whole without a field, each word as under a neutral field;
    /// [`Engine::check_field`] names the field (a `comment` is prose, a `password` is a
    /// secret's place).
    pub fn check_text(&self, text: &str) -> Vec<TextSecret> {
        // As values under a neutral field: a random-looking word (an AWS secret access key, an
        // API key of no known format) is then judged by its entropy, as in a manifest.
        self.free_text(text, None, |_| FREE_TEXT_WORD_KEY.to_string())
    }

    /// [`Engine::check_text`] for the text of a named field (`justification`, `comment`): the
    /// name is the key the scanner judges the text under, and each long word under `field.i`,
    /// exactly as a manifest's setting `field: text` (and `field.i: word`) is judged.
    pub fn check_field(&self, field: &str, text: &str) -> Vec<TextSecret> {
        self.free_text(text, Some(field), |i| format!("{field}.{i}"))
    }

    /// The free-text scan: `text` whole under `whole`, each word of 16 bytes or more under
    /// `word(i)`.
    fn free_text(
        &self,
        text: &str,
        whole: Option<&str>,
        word: impl Fn(usize) -> String,
    ) -> Vec<TextSecret> {
        let min = self.pack.secrets_min_confidence(Tier::Production);
        let mut hits: Vec<(usize, usize, crate::secrets::SecretMatch)> = Vec::new();
        let mut take = |base: usize, part: &str, key: Option<&str>| {
            for m in self.secrets.scan(part, key) {
                if m.confidence >= min {
                    hits.push((base + m.start, base + m.end, m));
                }
            }
        };
        take(0, text, whole);
        let words = text
            .split(|c: char| c.is_whitespace() || ",;()\"'<>[]{}`|".contains(c))
            .filter(|w| w.len() >= 16)
            .take(500);
        for (i, w) in words.enumerate() {
            // `split` yields subslices of `text`: the word's offset is its pointer distance.
            let base = w.as_ptr() as usize - text.as_ptr() as usize;
            take(base, w, Some(&word(i)));
        }
        // Earliest first; of overlapping hits the longer one stays.
        crate::sort::sort_by_key(&mut hits, |h| (h.0, std::cmp::Reverse(h.1)));
        let index = LineIndex::new(text);
        let mut out: Vec<TextSecret> = Vec::new();
        let mut end = 0;
        for (s, e, m) in hits {
            if (!out.is_empty() && s < end) || out.len() >= crate::secrets::MAX_MATCHES {
                continue;
            }
            end = e;
            let (s32, e32) = (
                u32::try_from(s).unwrap_or(u32::MAX),
                u32::try_from(e).unwrap_or(u32::MAX),
            );
            out.push(TextSecret {
                start: s32,
                end: e32,
                utf16: Utf16Range {
                    start: index.utf16_offset(text, s32),
                    end: index.utf16_offset(text, e32),
                },
                kind: m.kind.id,
                name: m.kind.name,
                redacted: crate::secrets::redact(text.get(s..e).unwrap_or("")),
                reason: m.reason.text(),
                confidence: m.confidence,
            });
        }
        out
    }

    /// The level of `rule` in `tier` under the pack.
    fn level(&self, rule: Rule, tier: Tier) -> Level {
        self.rules[rule as usize].levels[tier.index()]
    }

    /// The approval route of `rule` under the pack.
    fn route(&self, rule: Rule) -> String {
        String::from(&*self.rules[rule as usize].route)
    }

    /// The pack's name and digest, as every report's `policy` carries them.
    pub fn policy(&self) -> PolicyRef {
        PolicyRef {
            name: self.pack.name.clone(),
            digest: self.digest.clone(),
        }
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
        let redactor = self.redactor();
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
            None,
            &redactor,
            options
                .field_names
                .then(|| FieldNamer::new(None, &redactor, []))
                .as_ref(),
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
                        pointer: e.origin.pointer.to_text(),
                    }),
                    Err(err) => invalid.push(RawFinding::new(
                        Rule::ExceptionsInvalidSignature,
                        format!(
                            "the signed approval for {} does not hold: {}; it waives nothing",
                            crate::text::truncate(&rule, 60),
                            err.describe()
                        ),
                        approval.origin.pointer.to_text(),
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
                    pointer: e.origin.pointer.to_text(),
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
        side: Option<&SideMap<'_>>,
        redactor: &Redactor<'_>,
        namer: Option<&FieldNamer<'_>>,
    ) -> Report {
        // An app without a (valid) tier is judged by the strictest tier.
        let tier = manifest.tier.as_ref().map_or(Tier::Production, |t| t.value);
        let (active_exceptions, invalid) = self.active_exceptions(manifest, tier, options.now);
        let mut raw = raw;
        raw.extend(invalid);

        let node_index = crate::adapters::NodeIndex::new(nodes);
        let mut findings: Vec<Finding> = Vec::with_capacity(raw.len());
        for r in raw {
            let mut level = self.level(r.rule, tier);
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
                // A signed approval's ticket does not come from the walked document.
                ticket: e.ticket.as_deref().map(|t| redactor.redact_foreign(t)),
                expires: e.expires.clone(),
                exception: redactor.redact(&e.pointer).into_owned(),
            });
            if waived_by.is_some() {
                level = Level::Info;
            }
            let approval = (level == Level::Approval).then(|| Approval {
                route: self.route(r.rule),
            });
            // In a sidecar evaluation, spans past the export's text are in the manifest.
            let in_manifest = side.is_some_and(|sm| r.span.start >= sm.shift);
            let (text, index, span, file) = match side {
                Some(sm) if r.span.start >= sm.shift => (
                    sm.text,
                    &sm.index,
                    Span {
                        start: r.span.start - sm.shift,
                        end: r.span.end.saturating_sub(sm.shift),
                    },
                    None,
                ),
                Some(sm) => (text, index, r.span, Some(sm.path.clone())),
                None => (text, index, r.span, None),
            };
            let utf16 = options.utf16.then(|| Utf16Range {
                start: index.utf16_offset(text, span.start),
                end: index.utf16_offset(text, span.end),
            });
            let node = node_index.at(&r.path).cloned();
            // (The sidecar manifest's own document is not at hand: its fields are named from
            // their pointers alone.)
            let field = namer.map(|n| n.name(&r.path, !in_manifest));
            findings.push(Finding {
                rule: r.rule.id(),
                level,
                message: r.message,
                path: r.path,
                location: index.location(text, span),
                help: r.rule.meta().help,
                approval,
                waived_by,
                reason: r.secret.map(|(reason, _)| reason.text()),
                confidence: r.secret.map(|(_, c)| c),
                utf16,
                node,
                file,
                field,
            });
        }
        // (The crate's sort goes through indices: a finding, a large struct, moves once.)
        crate::sort::sort_by(&mut findings, |a, b| {
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
                if let Cow::Owned(p) = redactor.redact(&c.path) {
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
                // (In a sidecar evaluation the name is the manifest's, outside the walked export.)
                name: manifest
                    .name
                    .as_ref()
                    .map(|n| redactor.redact_foreign(&n.value)),
                tier: manifest.tier.as_ref().map(|t| t.value),
            },
            classification: Classification {
                declared: manifest.data_classification.as_ref().map(|d| d.value),
                detected,
                classes,
            },
            findings,
            counts,
            policy: self.policy(),
            input: InputRef {
                format,
                digest: match &options.input_digest {
                    Some(given) => given.as_str().to_string(),
                    None => crate::digest(bytes),
                },
                source: None,
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

/// How a sidecar evaluation maps spans back to the manifest.
struct SideMap<'a> {
    text: &'a str,
    index: LineIndex,
    shift: u32,
    path: String,
}

/// A sidecar manifest, parsed, with its text.
struct Sidecar {
    manifest: Manifest,
    text: String,
}

/// Where the sidecar's spans start in the merged evaluation: past the end of the export's text,
/// so one span space holds both files and a finding's offset tells which file it is in.
fn sidecar_base(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX / 2) + 1
}

fn moved(o: &crate::manifest::Origin, by: u32) -> crate::manifest::Origin {
    crate::manifest::Origin {
        pointer: o.pointer.clone(),
        span: Span {
            start: o.span.start.saturating_add(by),
            end: o.span.end.saturating_add(by),
        },
    }
}

fn moved_l<T: Clone>(l: &crate::manifest::Located<T>, by: u32) -> crate::manifest::Located<T> {
    crate::manifest::Located {
        value: l.value.clone(),
        origin: moved(&l.origin, by),
    }
}

/// The sidecar's own fields over the adapted model: name, tier (when valid), owner,
/// classification, permissions, network, cost, SLA, export, review, exceptions. Connectors,
/// triggers and data stay the export's. Spans move by `by` (see [`sidecar_base`]).
fn overlay(m: &mut Manifest, side: &Manifest, by: u32) {
    let mo = |o: &crate::manifest::Origin| moved(o, by);
    m.root = side.root.as_ref().map(mo);
    m.spec = side.spec.as_ref().map(mo);
    if side.name.is_some() {
        m.name = side.name.as_ref().map(|l| moved_l(l, by));
    }
    if let Some(t) = &side.tier {
        m.tier = Some(moved_l(t, by));
    }
    m.owner = side.owner.as_ref().map(|l| moved_l(l, by));
    if side.data_classification.is_some() {
        m.data_classification = side.data_classification.as_ref().map(|l| moved_l(l, by));
    }
    m.cors_origins = side.cors_origins.iter().map(|l| moved_l(l, by)).collect();
    m.grants = side
        .grants
        .iter()
        .map(|g| crate::manifest::Grant {
            effect: g.effect.clone(),
            wildcard: g.wildcard.as_ref().map(|l| moved_l(l, by)),
            origin: mo(&g.origin),
        })
        .collect();
    m.cost = side.cost.as_ref().map(|c| crate::manifest::Cost {
        origin: mo(&c.origin),
        currency: c.currency.clone(),
        budget: c.budget.as_ref().map(|l| moved_l(l, by)),
        estimate: c.estimate.as_ref().map(|l| moved_l(l, by)),
        actual: c.actual.as_ref().map(|l| moved_l(l, by)),
    });
    m.sla = side.sla.as_ref().map(mo);
    m.export = side.export.as_ref().map(|e| crate::manifest::Export {
        origin: mo(&e.origin),
        exportable: e.exportable.as_ref().map(|l| moved_l(l, by)),
        repository: e.repository.as_ref().map(|l| moved_l(l, by)),
    });
    m.review = side.review.as_ref().map(|r| crate::manifest::Review {
        origin: mo(&r.origin),
        last_reviewed: r.last_reviewed.as_ref().map(|l| moved_l(l, by)),
        retire_by: r.retire_by.as_ref().map(|l| moved_l(l, by)),
    });
    m.exceptions = side
        .exceptions
        .iter()
        .map(|e| crate::manifest::Exception {
            rule: moved_l(&e.rule, by),
            target: e.target.clone(),
            ticket: e.ticket.clone(),
            expires: e.expires.as_ref().map(|l| moved_l(l, by)),
            approval: e.approval.as_ref().map(|l| moved_l(l, by)),
            origin: mo(&e.origin),
        })
        .collect();
    m.source = side.source.clone();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens pasted as connector names, keys and header values are redacted everywhere in the
    /// report — whole, or cut short by a message — whether the evaluation finds a few (searched
    /// directly) or many (through the redactor's automaton).
    #[test]
    fn few_or_many_secrets_never_leave_in_full() {
        for n in [3, crate::redact::FEW + 8] {
            let tokens: Vec<String> = (0..n)
                .map(|i| format!("xoxb-{}-4405211876-Qm9vTGVha0NhbmFyeVRv{i:04}", 7000 + i))
                .collect();
            let connectors: Vec<String> = tokens
                .iter()
                .map(|t| {
                    format!(
                        r#"{{"name": "{t}", "type": "saas", "service": "slack", "url": "https://x.example.com", "headers": {{"Authorization": "Bearer {t}"}}}}"#
                    )
                })
                .collect();
            let settings: Vec<String> = tokens
                .iter()
                .map(|t| format!(r#""{t}": "jane.doe@example.com""#))
                .collect();
            let text = format!(
                r#"{{"apiVersion": "parapet.dev/v1", "kind": "MicroApp", "metadata": {{"name": "app"}}, "spec": {{"tier": "production", "connectors": [{}], "settings": {{{}}}}}}}"#,
                connectors.join(", "),
                settings.join(", ")
            );
            let options = EvaluateOptions {
                field_names: true,
                ..EvaluateOptions::default()
            };
            let report = Engine::default().evaluate(&text, &options);
            let secrets = report
                .findings
                .iter()
                .filter(|f| f.rule == Rule::SecretsPlaintextSecret.id())
                .count();
            assert!(secrets >= n, "{n} tokens, {secrets} secret findings");
            let json = serde_json::to_string(&report).expect("json");
            for t in &tokens {
                // Display forms show at most the `xoxb` prefix: no 12 characters of a token.
                assert!(!json.contains(&t[..12]), "{n} tokens: {t} leaked: {json}");
            }
        }
    }

    /// The per-rule table says what the pack says, for every rule and tier, under the default
    /// pack and under one that overrides levels and routes.
    #[test]
    fn rule_settings_are_the_packs() {
        let custom = Engine::from_policy_text(
            "rules:\n  cost/tier-cap: { sandbox: off, production: deny }\n  ownership/missing-owner: approval\napprovals:\n  routes: { \"cost/*\": finance, \"cost/over-budget\": cfo, \"*\": platform }\n",
        )
        .expect("valid pack");
        let custom_levels_differ = Rule::ALL.iter().any(|&r| {
            Tier::ALL
                .iter()
                .any(|&t| custom.level(r, t) != Engine::default().level(r, t))
        });
        assert!(custom_levels_differ, "the overrides change some level");
        assert_eq!(custom.route(Rule::CostOverBudget), "cfo");
        assert_eq!(custom.route(Rule::CostTierCap), "finance");
        assert_eq!(custom.route(Rule::ManifestSchema), "platform");
        for engine in [Engine::default(), custom] {
            for &rule in Rule::ALL {
                for tier in Tier::ALL {
                    assert_eq!(engine.level(rule, tier), engine.pack.level(rule, tier));
                }
                assert_eq!(
                    Some(engine.route(rule).as_str()),
                    engine.pack.route(rule.id())
                );
            }
        }
    }
}
