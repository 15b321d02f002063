//! Parapet's engine. Takes source text, a policy pack and `now`; returns a [`Report`].
//! No I/O, no clock, no wasm: hosts (CLI, wasm, edge) supply everything.
//!
//! The root of this crate is its contract (docs/engine-api.md): [`Engine`] and the types its
//! calls take and return. Every module is private; [`unstable`] re-exports the few internals
//! the workspace's own crates still use, with no compatibility promise.

mod adapters;
mod classify;
mod document;
mod engine;
mod fields;
mod hash;
mod manifest;
mod model;
mod parse;
mod placeholder;
mod policy;
mod redact;
pub mod report;
mod rules;
mod schema;
mod secrets;
mod sort;
mod source;
mod text;
mod waivers;
mod walk;
mod words;

// The contract: what hosts build on (see docs/engine-api.md). Changes only by compatible
// extension.
pub use document::Limits;
pub use engine::{Engine, EvaluateOptions, InputFormat};
pub use model::{Date, Level, Sensitivity, Tier, Verdict};
pub use policy::{PolicyError, PolicyPack, DEFAULT_PACK_YAML};
pub use redact::Redactor;
pub use report::NodeRef;
pub use report::{
    App, Approval, Classification, Counts, DetectedClass, Finding, InputRef, PolicyRef, Report,
    SourceInput, TextSecret, Utf16Range, Waiver, REPORT_SCHEMA,
};
pub use rules::{docs_url, Precision, Rule, RuleMeta, CATALOGUE, DOCS_ROOT};
pub use secrets::Confidence;
pub use source::Location;

/// Internals for the workspace's own crates (the CLI's catalog and attestation commands, the
/// widget, benches, tests). Not contract: anything here may change in any release.
pub mod unstable {
    /// The parsed document tree, with spans.
    pub mod document {
        pub use crate::document::{Key, Limits, Node, Str, Value};
    }
    /// YAML/JSON parsing into [`document::Node`]s.
    pub mod parse {
        pub use crate::parse::{parse, Parsed, Syntax};
    }
    /// The manifest's schema.
    pub mod manifest {
        pub use crate::manifest::MANIFEST;
        pub use crate::schema::Shape;
    }
    /// DSSE envelopes, signed waivers and validation attestations.
    pub mod waivers {
        pub use crate::waivers::*;
    }
    /// The secret scanner.
    pub mod secrets {
        pub use crate::secrets::{redact, Confidence, SecretScanner};
    }
    /// The data classifier.
    pub mod classify {
        pub use crate::classify::{
            classes, classify_field_name, classify_value, classify_values_in_text, DataClass,
            MAX_TEXT_MATCHES,
        };
    }
    /// Vendor adapters, for benches.
    pub mod adapters {
        pub use crate::adapters::adapt_for_bench;
    }
    pub use crate::text::truncate;
}

/// The engine's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// An input's digest as its host computed it: `sha256:` and 64 lowercase hex digits, the form
/// [`digest`] gives. See [`EvaluateOptions::input_digest`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputDigest(String);

impl InputDigest {
    /// `text` if it is `sha256:` and 64 lowercase hex digits, as [`digest`] writes them.
    pub fn parse(text: &str) -> Option<InputDigest> {
        let hex = text.strip_prefix("sha256:")?;
        let lower_hex = |b: &u8| crate::secrets::util::is_lower_hex(*b);
        (hex.len() == 64 && hex.as_bytes().iter().all(lower_hex))
            .then(|| InputDigest(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `sha256:` and the hex SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in hash {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}
