//! Cost of signed waivers in the engine (native): the same manifest with N exceptions, signed
//! (DSSE + Ed25519, verified against the pack's trusted keys) versus unsigned, in the same run.
//! Prints one JSON line: per-evaluation times and the per-signature difference.
//! `cargo run --release -p parapet-core --example waiver_cost [N] [ROUNDS]`
//! (scripts/bench-waivers.mjs runs it beside the wasm measurement).

use ed25519_dalek::{Signer, SigningKey};
use parapet_core::unstable::waivers::{base64url_encode, pae, Envelope, Signature, WaiverClaims};
use parapet_core::{Engine, EvaluateOptions};
use std::time::Instant;

const RULE: &str = "integration/external-connector";

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let key = SigningKey::from_bytes(&[7; 32]);
    let pack = format!(
        "approvals:\n  trustedKeys:\n    keys:\n      - {{ kty: OKP, crv: Ed25519, kid: k1, x: {} }}\n",
        base64url_encode(&key.verifying_key().to_bytes())
    );
    let engine = Engine::from_policy_text(&pack).expect("pack");
    let mut signed = String::new();
    let mut unsigned = String::new();
    let mut connectors = String::new();
    for i in 0..n {
        connectors.push_str(&format!(
            "    - {{ name: c{i}, type: saas, service: svc{i}, url: https://svc{i}.example.com }}\n"
        ));
        let target = format!("/spec/connectors/{i}");
        let payload = WaiverClaims::payload(
            "bench-app",
            &[RULE],
            Some(&target),
            "apr",
            "sec",
            "2027-01-31",
            "2026-11-30T00:00:00Z",
        );
        let sig = key
            .sign(&pae(
                parapet_core::unstable::waivers::WAIVER_PAYLOAD_TYPE,
                &payload,
            ))
            .to_bytes()
            .to_vec();
        let env = Envelope {
            payload_type: parapet_core::unstable::waivers::WAIVER_PAYLOAD_TYPE.into(),
            payload,
            signatures: vec![Signature {
                keyid: Some("k1".into()),
                sig,
            }],
        };
        signed.push_str(&format!(
            "    - {{ rule: {RULE}, approval: {} }}\n",
            env.to_json()
        ));
        unsigned.push_str(&format!(
            "    - {{ rule: {RULE}, target: {target}, expires: 2027-01-31, ticket: apr }}\n"
        ));
    }
    let head = format!("apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: {{ name: bench-app }}\nspec:\n  tier: controlled\n  owner: user:sam\n  connectors:\n{connectors}  exceptions:\n");
    let texts = [format!("{head}{unsigned}"), format!("{head}{signed}")];
    let options = EvaluateOptions {
        now: parapet_core::Date::parse("2026-12-01"),
        ..EvaluateOptions::default()
    };
    for t in &texts {
        let r = engine.evaluate(t, &options);
        assert_eq!(r.counts.approval, 0, "every finding waived");
    }
    let mut best = [f64::MAX; 2];
    for _ in 0..5 {
        for (i, t) in texts.iter().enumerate() {
            let start = Instant::now();
            for _ in 0..rounds {
                std::hint::black_box(engine.evaluate(t, &options));
            }
            best[i] = best[i].min(start.elapsed().as_secs_f64() * 1e6 / rounds as f64);
        }
    }
    println!(
        "{{\"n\":{n},\"unsignedUs\":{:.1},\"signedUs\":{:.1},\"perSignatureUs\":{:.1}}}",
        best[0],
        best[1],
        (best[1] - best[0]) / n as f64
    );
}
