//! What a check sees, and what it produces.

use crate::manifest::{Manifest, Origin};
use crate::model::{Date, Level, Tier};
use crate::parse::Parsed;
use crate::policy::{PolicyPack, TierPolicy};
use crate::redact::Redactor;
use crate::rules::Rule;
use crate::source::{LineIndex, Span};
use crate::text::truncate;
use crate::walk::Walk;

/// Everything a check reads: the source, the parsed document, the model (for a manifest v1),
/// the single walk's results, the pack and `now`.
pub(crate) struct Context<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub parsed: &'a Parsed,
    /// The model, when the document is a Parapet manifest v1 (right apiVersion or kind).
    pub manifest: Option<&'a Manifest>,
    /// The adapter's output, when the document is a vendor export (n8n, Node-RED, ...): its
    /// structural problems, and the model above is built from it.
    pub adapted: Option<&'a crate::adapters::Adapted>,
    /// The tier the app is judged by (production when it has no valid tier).
    pub tier: Tier,
    pub walk: &'a Walk,
    pub pack: &'a PolicyPack,
    /// The evaluation's redactor: knows every secret the walk found.
    pub redactor: &'a Redactor<'a>,
    pub now: Option<Date>,
    /// Each connector's URL parts and standing with the pack, computed once for the rules that
    /// read them.
    pub standings: std::cell::OnceCell<Vec<crate::rules::integration::Reach<'a>>>,
}

impl Context<'_> {
    /// The pack's settings for the app's tier.
    pub fn tier_policy(&self) -> TierPolicy {
        self.pack.tier(self.tier)
    }

    /// A name from the manifest as messages show it: cut to 40 characters, and redacted when
    /// the name itself is a secret (someone pasted a token into the name field).
    pub fn shown(&self, name: &str) -> String {
        match self.redactor.first_known(name) {
            Some(shown) => shown.to_string(),
            None => truncate(name, 40),
        }
    }

    /// [`Context::shown`], appended to `out`.
    pub fn push_shown(&self, out: &mut String, name: &str) {
        match self.redactor.first_known(name) {
            Some(shown) => out.push_str(shown),
            None => match name.char_indices().nth(40) {
                None => out.push_str(name),
                Some((i, _)) => {
                    out.push_str(&name[..i]);
                    out.push('…');
                }
            },
        }
    }
}

/// A finding before the pack's level is applied.
#[derive(Debug)]
pub(crate) struct RawFinding {
    pub rule: Rule,
    pub message: String,
    pub path: String,
    pub span: Span,
    /// The highest level this finding may have (e.g. `warn` for unknown fields).
    pub cap: Option<Level>,
    /// For secret findings: why, and how sure.
    pub secret: Option<(crate::secrets::Reason, crate::secrets::Confidence)>,
    /// The path is made of the manifest's fixed keys and list indices only (no text of the
    /// document in it): nothing to redact.
    pub fixed_path: bool,
}

impl RawFinding {
    pub fn new(rule: Rule, message: String, path: String, span: Span) -> Self {
        Self {
            rule,
            message,
            path,
            span,
            cap: None,
            secret: None,
            fixed_path: false,
        }
    }

    pub fn at(rule: Rule, message: String, origin: &Origin) -> Self {
        let mut f = Self::new(rule, message, origin.pointer.to_text(), origin.span);
        f.fixed_path = matches!(origin.pointer, crate::manifest::Pointer::Path { .. });
        f
    }

    pub fn capped(mut self, cap: Level) -> Self {
        self.cap = Some(cap);
        self
    }
}
