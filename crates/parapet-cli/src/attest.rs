//! `parapet attest` and `parapet verify`: signed validation attestations (in-toto Statement v1
//! in a DSSE envelope, DESIGN.md "Signed approvals and attestations"). Signing happens here, in
//! the native CLI; the engine (and so the wasm build) only verifies.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use ed25519_dalek::{Signer, SigningKey};
use parapet_core::unstable::waivers::{
    self, Envelope, PublicKey, Signature, STATEMENT_PAYLOAD_TYPE,
};
use parapet_core::{Date, Engine, EvaluateOptions};

use crate::cli::{AttestArgs, VerifyArgs};
use crate::out::{self, Out};
use crate::Exit;

/// Key files and attestations are small; anything bigger is not one.
const KEY_CAP: u64 = 256 * 1024;
const ATTESTATION_CAP: u64 = 8 * 1024 * 1024;
const INPUT_CAP: u64 = 64 * 1024 * 1024;

fn read(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>, Exit> {
    let shown = crate::frame::printable(&path.display().to_string()).into_owned();
    let result = fs::File::open(path).and_then(|f| {
        let mut bytes = Vec::new();
        f.take(cap + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    match result {
        Ok(b) if b.len() as u64 > cap => {
            out::error(&format!("{what} {shown} is larger than {cap} bytes"));
            Err(Exit::Error)
        }
        Ok(b) => Ok(b),
        Err(e) => {
            out::error(&format!("cannot read {what} {shown}: {e}"));
            Err(Exit::Error)
        }
    }
}

/// Now as RFC 3339 UTC, seconds precision.
fn timestamp() -> (Date, String) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0);
    let day = Date::from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    (
        day,
        format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60),
    )
}

pub fn attest(args: AttestArgs) -> Exit {
    let engine = match &args.policy {
        Some(path) => match crate::check::load_policy(path) {
            Ok(e) => e,
            Err(exit) => return exit,
        },
        None => Engine::default(),
    };
    let key_text = match read(&args.key, KEY_CAP, "the key") {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => return e,
    };
    let Some(seed) = waivers::private_key_from_pem(&key_text) else {
        out::error("the key is not an Ed25519 private key in PKCS#8 PEM (BEGIN PRIVATE KEY); make one with `openssl genpkey -algorithm ed25519`");
        return Exit::Error;
    };
    let signing = SigningKey::from_bytes(&seed);
    let public = signing.verifying_key().to_bytes();
    let kid = args
        .kid
        .clone()
        .unwrap_or_else(|| waivers::jwk_thumbprint(&public));
    let bytes = match read(&args.file, INPUT_CAP, "the manifest") {
        Ok(b) => b,
        Err(e) => return e,
    };
    let (today, evaluated_at) = timestamp();
    let report = engine.evaluate_bytes(
        &bytes,
        &EvaluateOptions {
            now: Some(args.now.unwrap_or(today)),
            format: crate::check::format_of(&args.file),
            ..EvaluateOptions::default()
        },
    );
    let statement = waivers::attestation_statement(&report, &evaluated_at);
    let payload = serde_json::to_vec(&statement).unwrap_or_default();
    let sig = signing
        .sign(&waivers::pae(STATEMENT_PAYLOAD_TYPE, &payload))
        .to_bytes()
        .to_vec();
    let envelope = Envelope {
        payload_type: STATEMENT_PAYLOAD_TYPE.into(),
        payload,
        signatures: vec![Signature {
            keyid: Some(kid),
            sig,
        }],
    };
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&envelope.to_json()).unwrap_or_default()
    );
    match &args.output {
        Some(path) => {
            if let Err(e) = fs::write(path, &text) {
                out::error(&format!(
                    "cannot write {}: {e}",
                    crate::frame::printable(&path.display().to_string())
                ));
                return Exit::Error;
            }
            eprintln!(
                "parapet: attested {} ({}) into {}",
                crate::frame::printable(&args.file.display().to_string()),
                report.verdict.as_str(),
                crate::frame::printable(&path.display().to_string())
            );
        }
        None => {
            let mut stdout = Out::stdout();
            stdout.write(&text);
            stdout.flush();
        }
    }
    Exit::Ok
}

/// Reads trusted keys: an SPKI PEM public key, a JWKS, or one JWK.
fn read_keys(path: &Path) -> Result<Vec<PublicKey>, Exit> {
    let bytes = read(path, KEY_CAP, "the key")?;
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("-----BEGIN PUBLIC KEY-----") {
        return match waivers::public_key_from_pem(&text) {
            Some(k) => Ok(vec![PublicKey::new(k, None)]),
            None => {
                out::error("the key is not an Ed25519 public key in SPKI PEM (BEGIN PUBLIC KEY)");
                Err(Exit::Error)
            }
        };
    }
    if text.contains("PRIVATE KEY") {
        out::error("verify takes the public key (PEM or JWKS), not the private key");
        return Err(Exit::Error);
    }
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => {
            out::error("the key file is neither a PEM public key nor JSON (JWKS or JWK)");
            return Err(Exit::Error);
        }
    };
    let single = value.get("kty").is_some();
    let parsed = if single {
        waivers::parse_jwk(&value)
            .map(|k| vec![k])
            .map_err(|(field, message)| {
                vec![waivers::KeyError {
                    pointer: format!("/{field}"),
                    message,
                }]
            })
    } else {
        waivers::parse_jwks(&value)
    };
    parsed.map_err(|errors| {
        for e in errors {
            out::error(&format!("key set {}: {}", e.pointer, e.message));
        }
        Exit::Error
    })
}

pub fn verify(args: VerifyArgs) -> Exit {
    let keys = match read_keys(&args.key) {
        Ok(k) => k,
        Err(e) => return e,
    };
    let bytes = match read(&args.file, INPUT_CAP, "the manifest") {
        Ok(b) => b,
        Err(e) => return e,
    };
    let att = match read(&args.attestation, ATTESTATION_CAP, "the attestation") {
        Ok(b) => b,
        Err(e) => return e,
    };
    let file = crate::frame::printable(&args.file.display().to_string()).into_owned();
    let Ok(att) = std::str::from_utf8(&att) else {
        out::error("the attestation is not UTF-8 text");
        return Exit::Fail;
    };
    let digest = parapet_core::digest(&bytes);
    match waivers::verify_attestation(att, &keys, Some(&digest)) {
        Ok(v) => {
            let p = &v.statement["predicate"];
            let s = |v: &serde_json::Value| {
                crate::frame::printable(&parapet_core::unstable::truncate(
                    v.as_str().unwrap_or("?"),
                    80,
                ))
                .into_owned()
            };
            println!(
                "ok: {file} matches its attestation (verdict {}, policy {}, evaluated {}), signed by key {}",
                s(&p["verdict"]),
                s(&p["policy"]["name"]),
                s(&p["evaluatedAt"]),
                crate::frame::printable(&v.kid)
            );
            Exit::Ok
        }
        Err(e) => {
            out::error(&format!(
                "{file}: the attestation does not verify: {}",
                e.describe()
            ));
            Exit::Fail
        }
    }
}
