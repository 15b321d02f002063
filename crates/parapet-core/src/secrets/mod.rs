//! Secret detection: a keyword prefilter (Aho-Corasick) before any per-kind pattern, entropy
//! checks for generic assignments, placeholders ignored, and the pack's allow list.
//!
//! INTERFACE (used by the engine; keep it stable):
//! - `SecretScanner::new(allow)` once per policy pack; `scan(value, key)` per string.
//! - `redact(secret)` for anything shown to people.

use regex_lite::Regex;

/// A kind of secret the scanner knows.
#[derive(Debug)]
pub struct SecretKind {
    /// Stable id, kebab-case (`slack-bot-token`).
    pub id: &'static str,
    /// Human name used in messages ("Slack bot token").
    pub name: &'static str,
}

/// One secret found inside a string value.
#[derive(Debug, Clone, Copy)]
pub struct SecretMatch {
    pub kind: &'static SecretKind,
    /// Byte range of the secret inside the scanned value.
    pub start: usize,
    pub end: usize,
}

pub struct SecretScanner {
    allow: Vec<Regex>,
}

impl SecretScanner {
    /// `allow`: the pack's regexes for known-fake values; a match on the secret is ignored.
    pub fn new(allow: Vec<Regex>) -> Self {
        Self { allow }
    }

    /// Scans one string value. `key` is the mapping key it sits under, if any (for generic
    /// `password: value` detection).
    pub fn scan(&self, value: &str, key: Option<&str>) -> Vec<SecretMatch> {
        let _ = (value, key, &self.allow);
        Vec::new()
    }

    /// Every kind this scanner detects.
    pub fn kinds() -> &'static [SecretKind] {
        &[]
    }
}

/// A short, non-reversible rendering: a short known prefix, an ellipsis and four hex digits of
/// the SHA-256 of the value, e.g. `xoxb-…3f9a`. Never more than 5 characters of the secret.
pub fn redact(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(secret.as_bytes());
    let prefix: String = secret
        .chars()
        .take(4.min(secret.chars().count() / 4))
        .collect();
    format!("{prefix}…{:02x}{:02x}", hash[0], hash[1])
}
