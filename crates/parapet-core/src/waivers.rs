//! Signed waivers and validation attestations: DSSE envelopes, verified with Ed25519 against a
//! JWKS. Pure functions: no I/O, no clock (hosts pass `now`), no signing (hosts sign; the engine
//! only verifies, so the wasm build carries a verifier and nothing else).
//!
//! Every input is bounded before any work is done on it: an envelope's payload and signatures
//! are capped in size and number, a key set in number of keys, so a hostile 1 MB envelope costs a
//! length check, not a decode or a curve operation.

use serde_json::{Map, Value};

use crate::model::Date;
use crate::report::Report;

/// DSSE payloadType of a signed waiver.
pub const WAIVER_PAYLOAD_TYPE: &str = "application/vnd.parapet.waiver+json";
/// DSSE payloadType of an in-toto Statement.
pub const STATEMENT_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// in-toto Statement v1 `_type`.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// predicateType of a Parapet validation attestation.
pub const ATTESTATION_PREDICATE_TYPE: &str = "https://parapet.dev/attestation/validation/v1";

/// Largest accepted base64 payload of an envelope, in characters (a waiver is well under 2 KB;
/// an attestation of a large app with thousands of findings fits).
pub const MAX_PAYLOAD_CHARS: usize = 4 * 1024 * 1024;
/// Largest accepted waiver payload, in base64 characters.
pub const MAX_WAIVER_PAYLOAD_CHARS: usize = 16 * 1024;
/// Most signatures looked at in one envelope.
pub const MAX_SIGNATURES: usize = 8;
/// Most keys accepted in a trusted key set.
pub const MAX_KEYS: usize = 64;
/// Longest accepted key id.
pub const MAX_KID_CHARS: usize = 128;

// ---- DSSE pre-authentication encoding -----------------------------------------------------

/// DSSE v1 PAE: `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + payload.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

// ---- base64 ------------------------------------------------------------------------------

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_with(bytes: &[u8], table: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(table[((n >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with padding (what DSSE envelopes carry).
pub fn base64_encode(bytes: &[u8]) -> String {
    encode_with(bytes, STD, true)
}

/// base64url without padding (what JWKs carry).
pub fn base64url_encode(bytes: &[u8]) -> String {
    encode_with(bytes, URL, false)
}

/// Decodes standard or URL-safe base64, padded or not. Strict otherwise: no whitespace, no
/// mixed alphabets, no non-zero trailing bits. `None` on anything else.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let s = text.as_bytes();
    let body = match s.iter().position(|&c| c == b'=') {
        Some(p) => {
            let pad = &s[p..];
            if pad.len() > 2 || pad.iter().any(|&c| c != b'=') || s.len() % 4 != 0 {
                return None;
            }
            &s[..p]
        }
        None => s,
    };
    if body.len() % 4 == 1 {
        return None;
    }
    let url = body.iter().any(|&c| c == b'-' || c == b'_');
    let std = body.iter().any(|&c| c == b'+' || c == b'/');
    if url && std {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = chunk.len() - 1;
        // Bits past the last whole byte must be zero (one canonical encoding per value).
        let used_bits = 6 * chunk.len();
        if used_bits < 24 && (n & ((1 << (24 - 8 * keep)) - 1)) != 0 {
            return None;
        }
        out.extend_from_slice(&bytes[..keep]);
    }
    Some(out)
}

// ---- keys ---------------------------------------------------------------------------------

/// A trusted Ed25519 public key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PublicKey {
    /// The JWK's `kid`, or its RFC 7638 thumbprint when it has none.
    pub kid: String,
    /// Serialized as base64url (the JWK's `x`), so the pack digest covers the key.
    #[serde(rename = "x", serialize_with = "ser_key")]
    pub key: [u8; 32],
}

fn ser_key<S: serde::Serializer>(key: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64url_encode(key))
}

impl PublicKey {
    pub fn new(key: [u8; 32], kid: Option<&str>) -> Self {
        let kid = kid.map_or_else(|| jwk_thumbprint(&key), str::to_string);
        Self { kid, key }
    }

    /// The key as a public JWK (`kty: OKP`, `crv: Ed25519`).
    pub fn to_jwk(&self) -> Value {
        let mut m = Map::new();
        m.insert("kty".into(), "OKP".into());
        m.insert("crv".into(), "Ed25519".into());
        m.insert("kid".into(), self.kid.clone().into());
        m.insert("x".into(), base64url_encode(&self.key).into());
        m.insert("alg".into(), "EdDSA".into());
        m.insert("use".into(), "sig".into());
        Value::Object(m)
    }
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url) of an Ed25519 public key.
pub fn jwk_thumbprint(key: &[u8; 32]) -> String {
    use sha2::{Digest, Sha256};
    let canonical = format!(
        "{{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"{}\"}}",
        base64url_encode(key)
    );
    base64url_encode(&Sha256::digest(canonical.as_bytes()))
}

/// A problem with one key of a key set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError {
    /// JSON pointer of the offending part, relative to the key set.
    pub pointer: String,
    pub message: String,
}

/// Parses a JWKS (`{ "keys": [...] }`) or a bare list of JWKs. Only `OKP` / `Ed25519` keys
/// are accepted; each problem names its key.
pub fn parse_jwks(value: &Value) -> Result<Vec<PublicKey>, Vec<KeyError>> {
    let (list, base) = match value {
        Value::Object(m) => match m.get("keys") {
            Some(Value::Array(a)) => (a, "/keys"),
            _ => {
                return Err(vec![KeyError {
                    pointer: String::new(),
                    message: "a key set is an object with a \"keys\" list (JWKS)".into(),
                }])
            }
        },
        Value::Array(a) => (a, ""),
        _ => {
            return Err(vec![KeyError {
                pointer: String::new(),
                message: "a key set is a JWKS object or a list of JWKs".into(),
            }])
        }
    };
    if list.len() > MAX_KEYS {
        return Err(vec![KeyError {
            pointer: base.into(),
            message: format!("at most {MAX_KEYS} keys are accepted"),
        }]);
    }
    let mut keys = Vec::with_capacity(list.len());
    let mut errors = Vec::new();
    for (i, jwk) in list.iter().enumerate() {
        match parse_jwk(jwk) {
            Ok(k) => keys.push(k),
            Err((field, message)) => errors.push(KeyError {
                pointer: if field.is_empty() {
                    format!("{base}/{i}")
                } else {
                    format!("{base}/{i}/{field}")
                },
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(keys)
    } else {
        Err(errors)
    }
}

/// One public JWK. Err is (field, message).
pub fn parse_jwk(jwk: &Value) -> Result<PublicKey, (&'static str, String)> {
    let Value::Object(m) = jwk else {
        return Err(("", "a key must be a JWK object".into()));
    };
    let s = |k: &str| m.get(k).and_then(Value::as_str);
    if s("kty") != Some("OKP") {
        return Err((
            "kty",
            "kty must be \"OKP\" (only Ed25519 keys are accepted)".into(),
        ));
    }
    if s("crv") != Some("Ed25519") {
        return Err(("crv", "crv must be \"Ed25519\"".into()));
    }
    if m.contains_key("d") {
        return Err((
            "d",
            "this is a private key: trust the public key only (drop \"d\")".into(),
        ));
    }
    if let Some(alg) = m.get("alg") {
        if alg.as_str() != Some("EdDSA") && alg.as_str() != Some("Ed25519") {
            return Err(("alg", "alg must be \"EdDSA\" when present".into()));
        }
    }
    let kid = match m.get("kid") {
        None => None,
        Some(Value::String(k)) if !k.is_empty() && k.chars().count() <= MAX_KID_CHARS => {
            Some(k.as_str())
        }
        Some(_) => {
            return Err((
                "kid",
                format!("kid must be a non-empty string of at most {MAX_KID_CHARS} characters"),
            ))
        }
    };
    let x = s("x").ok_or(("x", "x (the public key, base64url) is required".to_string()))?;
    if x.len() > 64 {
        return Err(("x", "x is not a 32-byte Ed25519 public key".into()));
    }
    let bytes = base64_decode(x).ok_or(("x", "x is not valid base64url".to_string()))?;
    let key: [u8; 32] = bytes
        .try_into()
        .map_err(|_| ("x", "x is not a 32-byte Ed25519 public key".to_string()))?;
    if ed25519_dalek::VerifyingKey::from_bytes(&key).is_err() {
        return Err(("x", "x is not a valid Ed25519 point".into()));
    }
    Ok(PublicKey::new(key, kid))
}

// ---- envelopes ----------------------------------------------------------------------------

/// One signature of an envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub keyid: Option<String>,
    pub sig: Vec<u8>,
}

/// A decoded DSSE envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub payload_type: String,
    pub payload: Vec<u8>,
    pub signatures: Vec<Signature>,
}

/// Why an envelope, or a waiver in it, does not hold. Descriptions never quote the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaiverError {
    /// The envelope is not a DSSE envelope (names the problem).
    Malformed(&'static str),
    /// The envelope is larger than the limit.
    TooLarge,
    /// The pack trusts no key, so no signature can be checked.
    NoTrustedKeys,
    /// No signature was made by a trusted key id.
    UntrustedKey(String),
    /// A trusted key id, but the signature does not verify (forged or tampered).
    BadSignature(String),
    /// Signed, but not a waiver (another payloadType).
    PayloadType,
    /// The signed waiver's payload is not a waiver object (names the problem).
    Claims(&'static str),
    /// The waiver expired on this date.
    Expired(String),
    /// The waiver was issued for another app.
    OtherApp,
    /// The waiver does not cover this rule.
    OtherRule,
}

impl WaiverError {
    /// One sentence for a finding's message (no payload text, no key material).
    pub fn describe(&self) -> String {
        match self {
            WaiverError::Malformed(why) => format!("it is not a valid DSSE envelope ({why})"),
            WaiverError::TooLarge => "the envelope is larger than a waiver can be".into(),
            WaiverError::NoTrustedKeys => {
                "the policy pack trusts no signing key (approvals.trustedKeys)".into()
            }
            WaiverError::UntrustedKey(kid) => format!(
                "it is signed by key \"{}\", which the policy pack does not trust",
                crate::text::truncate(kid, 40)
            ),
            WaiverError::BadSignature(kid) => format!(
                "its signature does not verify with trusted key \"{}\" (forged or altered)",
                crate::text::truncate(kid, 40)
            ),
            WaiverError::PayloadType => {
                format!("the signed payload is not a waiver ({WAIVER_PAYLOAD_TYPE})")
            }
            WaiverError::Claims(why) => format!("the signed payload is not a valid waiver ({why})"),
            WaiverError::Expired(d) => format!("the signed approval expired on {d}"),
            WaiverError::OtherApp => "it was issued for another app".into(),
            WaiverError::OtherRule => "it does not cover this rule".into(),
        }
    }
}

impl Envelope {
    /// Reads an envelope from JSON, with size limits checked before decoding.
    pub fn from_json(value: &Value, max_payload_chars: usize) -> Result<Self, WaiverError> {
        let Value::Object(m) = value else {
            return Err(WaiverError::Malformed("not an object"));
        };
        let payload_type = match m.get("payloadType") {
            Some(Value::String(t)) if t.len() <= 256 => t.clone(),
            Some(Value::String(_)) => return Err(WaiverError::Malformed("payloadType too long")),
            _ => return Err(WaiverError::Malformed("payloadType missing")),
        };
        let payload = match m.get("payload") {
            Some(Value::String(p)) if p.len() > max_payload_chars => {
                return Err(WaiverError::TooLarge)
            }
            Some(Value::String(p)) => {
                base64_decode(p).ok_or(WaiverError::Malformed("payload is not base64"))?
            }
            _ => return Err(WaiverError::Malformed("payload missing")),
        };
        let Some(Value::Array(sigs)) = m.get("signatures") else {
            return Err(WaiverError::Malformed("signatures missing"));
        };
        if sigs.is_empty() {
            return Err(WaiverError::Malformed("no signature"));
        }
        if sigs.len() > MAX_SIGNATURES {
            return Err(WaiverError::TooLarge);
        }
        let mut signatures = Vec::with_capacity(sigs.len());
        for s in sigs {
            let Value::Object(s) = s else {
                return Err(WaiverError::Malformed("a signature is not an object"));
            };
            let keyid = match s.get("keyid") {
                None | Some(Value::Null) => None,
                Some(Value::String(k)) if k.is_empty() => None,
                Some(Value::String(k)) if k.chars().count() <= MAX_KID_CHARS => Some(k.clone()),
                Some(_) => return Err(WaiverError::Malformed("keyid is not a short string")),
            };
            let sig = match s.get("sig") {
                // An Ed25519 signature is 64 bytes: 88 base64 characters with padding.
                Some(Value::String(b)) if b.len() <= 128 => {
                    base64_decode(b).ok_or(WaiverError::Malformed("sig is not base64"))?
                }
                Some(Value::String(_)) => return Err(WaiverError::Malformed("sig too long")),
                _ => return Err(WaiverError::Malformed("sig missing")),
            };
            signatures.push(Signature { keyid, sig });
        }
        Ok(Self {
            payload_type,
            payload,
            signatures,
        })
    }

    /// Parses envelope JSON text (rejecting text over `max_payload_chars` plus room for the
    /// signatures before parsing it).
    pub fn parse(text: &str, max_payload_chars: usize) -> Result<Self, WaiverError> {
        if text.len() > max_payload_chars + 64 * 1024 {
            return Err(WaiverError::TooLarge);
        }
        let value: Value =
            serde_json::from_str(text).map_err(|_| WaiverError::Malformed("not JSON"))?;
        Self::from_json(&value, max_payload_chars)
    }

    /// The envelope as DSSE JSON.
    pub fn to_json(&self) -> Value {
        let sigs = self
            .signatures
            .iter()
            .map(|s| {
                let mut o = Map::new();
                o.insert("keyid".into(), s.keyid.clone().unwrap_or_default().into());
                o.insert("sig".into(), base64_encode(&s.sig).into());
                Value::Object(o)
            })
            .collect();
        let mut m = Map::new();
        m.insert("payloadType".into(), self.payload_type.clone().into());
        m.insert("payload".into(), base64_encode(&self.payload).into());
        m.insert("signatures".into(), Value::Array(sigs));
        Value::Object(m)
    }

    /// Checks that one signature verifies with a trusted key; returns that key. A signature's
    /// key id is a hint (DSSE): the key with that id is tried; when no trusted key has it (a
    /// PEM key has no id of its own), every trusted key is tried, and failing all of them the
    /// signer is reported as untrusted. At most `MAX_SIGNATURES` x `MAX_KEYS` checks.
    pub fn verify<'k>(&self, keys: &'k [PublicKey]) -> Result<&'k PublicKey, WaiverError> {
        if keys.is_empty() {
            return Err(WaiverError::NoTrustedKeys);
        }
        let message = pae(&self.payload_type, &self.payload);
        let mut first_error = None;
        for s in &self.signatures {
            let by_id: Vec<&PublicKey> = match &s.keyid {
                Some(id) => keys.iter().filter(|k| &k.kid == id).collect(),
                None => Vec::new(),
            };
            let candidates: Vec<&PublicKey> = if by_id.is_empty() {
                keys.iter().collect()
            } else {
                by_id.clone()
            };
            for k in candidates {
                if verify_ed25519(&k.key, &message, &s.sig) {
                    return Ok(k);
                }
            }
            first_error.get_or_insert_with(|| match (by_id.first(), &s.keyid) {
                (Some(k), _) => WaiverError::BadSignature(k.kid.clone()),
                (None, Some(id)) => WaiverError::UntrustedKey(id.clone()),
                (None, None) => WaiverError::BadSignature(
                    keys.first().map(|k| k.kid.clone()).unwrap_or_default(),
                ),
            });
        }
        Err(first_error.unwrap_or(WaiverError::Malformed("no signature")))
    }
}

/// Ed25519 verification (strict: rejects non-canonical encodings and small-order keys).
pub fn verify_ed25519(key: &[u8; 32], message: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = <[u8; 64]>::try_from(sig) else {
        return false;
    };
    let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(key) else {
        return false;
    };
    vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&sig))
        .is_ok()
}

// ---- waivers ------------------------------------------------------------------------------

/// What a verified waiver says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverClaims {
    pub app: String,
    pub rules: Vec<String>,
    pub target: Option<String>,
    pub approval: String,
    pub reviewer: String,
    pub expires: Date,
    pub issued: String,
    /// Id of the trusted key that signed it.
    pub kid: String,
}

impl WaiverClaims {
    /// Reads the waiver object of a payload.
    pub fn from_payload(payload: &[u8]) -> Result<Self, WaiverError> {
        let v: Value =
            serde_json::from_slice(payload).map_err(|_| WaiverError::Claims("not JSON"))?;
        let Value::Object(m) = v else {
            return Err(WaiverError::Claims("not an object"));
        };
        let s = |k: &'static str| -> Result<String, WaiverError> {
            match m.get(k) {
                Some(Value::String(s)) => Ok(s.clone()),
                _ => Err(WaiverError::Claims(k)),
            }
        };
        let rules = match m.get("rules") {
            Some(Value::Array(a)) if !a.is_empty() && a.len() <= 64 => a
                .iter()
                .map(|r| r.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or(WaiverError::Claims("rules"))?,
            _ => return Err(WaiverError::Claims("rules")),
        };
        let target = match m.get("target") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(t.clone()),
            Some(_) => return Err(WaiverError::Claims("target")),
        };
        let expires_text = s("expires")?;
        let expires = Date::parse(&expires_text).ok_or(WaiverError::Claims("expires"))?;
        Ok(Self {
            app: s("app")?,
            rules,
            target,
            approval: s("approval")?,
            reviewer: s("reviewer")?,
            expires,
            issued: s("issued")?,
            kid: String::new(),
        })
    }

    /// The payload JSON of a waiver (what a host signs).
    pub fn payload(
        app: &str,
        rules: &[&str],
        target: Option<&str>,
        approval: &str,
        reviewer: &str,
        expires: &str,
        issued: &str,
    ) -> Vec<u8> {
        let mut m = Map::new();
        m.insert("app".into(), app.into());
        m.insert("rules".into(), rules.to_vec().into());
        if let Some(t) = target {
            m.insert("target".into(), t.into());
        }
        m.insert("approval".into(), approval.into());
        m.insert("reviewer".into(), reviewer.into());
        m.insert("expires".into(), expires.into());
        m.insert("issued".into(), issued.into());
        serde_json::to_vec(&Value::Object(m)).unwrap_or_default()
    }
}

/// Verifies a signed waiver for `rule` in the app named `app`, on `now` (no date: expiry is not
/// checked, like unsigned exceptions). Checks, in order: shape and size, a trusted signature
/// over the exact bytes and payloadType, the payloadType, the claims, the app, the rule, the
/// expiry.
pub fn verify_waiver(
    envelope: &Value,
    keys: &[PublicKey],
    app: Option<&str>,
    rule: &str,
    now: Option<Date>,
) -> Result<WaiverClaims, WaiverError> {
    let env = Envelope::from_json(envelope, MAX_WAIVER_PAYLOAD_CHARS)?;
    let key = env.verify(keys)?;
    if env.payload_type != WAIVER_PAYLOAD_TYPE {
        return Err(WaiverError::PayloadType);
    }
    let mut claims = WaiverClaims::from_payload(&env.payload)?;
    claims.kid = key.kid.clone();
    if app != Some(claims.app.as_str()) {
        return Err(WaiverError::OtherApp);
    }
    if !claims.rules.iter().any(|r| r == rule) {
        return Err(WaiverError::OtherRule);
    }
    if let Some(now) = now {
        if claims.expires < now {
            return Err(WaiverError::Expired(claims.expires.to_string()));
        }
    }
    Ok(claims)
}

// ---- attestations -------------------------------------------------------------------------

/// The in-toto Statement v1 of a validation: subject the app and its input digest, predicate
/// the verdict, policy, engine, counts and findings as `{ rule, level, path }` (no messages,
/// so no secret or manifest text). `evaluated_at` is supplied by the host (RFC 3339).
pub fn attestation_statement(report: &Report, evaluated_at: &str) -> Value {
    let hex = report
        .input
        .digest
        .strip_prefix("sha256:")
        .unwrap_or(&report.input.digest);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| serde_json::json!({ "rule": f.rule, "level": f.level, "path": f.path }))
        .collect();
    serde_json::json!({
        "_type": STATEMENT_TYPE,
        "subject": [{
            "name": report.app.name.as_deref().unwrap_or("unknown"),
            "digest": { "sha256": hex },
        }],
        "predicateType": ATTESTATION_PREDICATE_TYPE,
        "predicate": {
            "verdict": report.verdict,
            "policy": { "name": report.policy.name, "digest": report.policy.digest },
            "engine": { "name": "parapet", "version": crate::VERSION },
            "counts": report.counts,
            "findings": findings,
            "evaluatedAt": evaluated_at,
        },
    })
}

/// What a verified attestation says about the input it was checked against.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedAttestation {
    pub statement: Value,
    pub kid: String,
}

/// Verifies an attestation envelope (text) against trusted keys and, when given, the input's
/// `sha256:` digest (its subject must name it).
pub fn verify_attestation(
    text: &str,
    keys: &[PublicKey],
    input_digest: Option<&str>,
) -> Result<VerifiedAttestation, WaiverError> {
    let env = Envelope::parse(text, MAX_PAYLOAD_CHARS)?;
    let key = env.verify(keys)?;
    if env.payload_type != STATEMENT_PAYLOAD_TYPE {
        return Err(WaiverError::Claims(
            "payloadType is not an in-toto statement",
        ));
    }
    let statement: Value =
        serde_json::from_slice(&env.payload).map_err(|_| WaiverError::Claims("not JSON"))?;
    if statement.get("_type").and_then(Value::as_str) != Some(STATEMENT_TYPE) {
        return Err(WaiverError::Claims("_type is not in-toto Statement v1"));
    }
    if statement.get("predicateType").and_then(Value::as_str) != Some(ATTESTATION_PREDICATE_TYPE) {
        return Err(WaiverError::Claims("predicateType"));
    }
    if let Some(digest) = input_digest {
        let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
        let matches = statement
            .get("subject")
            .and_then(Value::as_array)
            .is_some_and(|subjects| {
                subjects
                    .iter()
                    .any(|s| s.pointer("/digest/sha256").and_then(Value::as_str) == Some(hex))
            });
        if !matches {
            return Err(WaiverError::Claims(
                "its subject is another input (digest differs)",
            ));
        }
    }
    Ok(VerifiedAttestation {
        statement,
        kid: key.kid.clone(),
    })
}

// ---- PEM (Ed25519 PKCS#8 / SPKI), for hosts that read key files ---------------------------

const PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

fn pem_body(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text.get(start..)?.find(&end)?;
    let b64: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if b64.len() > 4096 {
        return None;
    }
    base64_decode(&b64)
}

/// The 32-byte seed of an Ed25519 private key in PKCS#8 PEM (`BEGIN PRIVATE KEY`).
pub fn private_key_from_pem(text: &str) -> Option<[u8; 32]> {
    let der = pem_body(text, "PRIVATE KEY")?;
    if der.len() != 48 || der[..16] != PKCS8_PREFIX {
        return None;
    }
    der[16..].try_into().ok()
}

/// An Ed25519 public key in SPKI PEM (`BEGIN PUBLIC KEY`).
pub fn public_key_from_pem(text: &str) -> Option<[u8; 32]> {
    let der = pem_body(text, "PUBLIC KEY")?;
    if der.len() != 44 || der[..12] != SPKI_PREFIX {
        return None;
    }
    der[12..].try_into().ok()
}

/// An Ed25519 public key as SPKI PEM.
pub fn public_key_to_pem(key: &[u8; 32]) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(key);
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64_encode(&der)
    )
}

#[cfg(test)]
mod tests;
