//! Parapet's engine. Takes source text, a policy pack and `now`; returns a [`Report`].
//! No I/O, no clock, no wasm: hosts (CLI, wasm, edge) supply everything.

pub mod adapters;
pub mod classify;
pub mod document;
pub mod engine;
mod fields;
pub mod manifest;
pub mod model;
pub mod parse;
pub mod policy;
mod redact;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod source;
pub mod text;
pub mod waivers;
mod walk;

pub use engine::{Engine, EvaluateOptions, InputFormat};
pub use model::{Date, Level, Sensitivity, Tier, Verdict};
pub use policy::{PolicyError, PolicyPack, DEFAULT_PACK_YAML};
pub use redact::Redactor;
pub use report::Report;
pub use rules::{docs_url, Precision, Rule, RuleMeta, CATALOGUE, DOCS_ROOT};

/// The engine's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

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
