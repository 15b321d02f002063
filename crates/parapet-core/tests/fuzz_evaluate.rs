//! Property tests of parse + evaluate: on any bytes (random, or real manifests and vendor
//! exports mutated at random) the engine returns a well-formed report and never panics.
//! Bounded: `PROPTEST_CASES` cases per property (default 256), each input at most a few KiB.

use parapet_core::{Date, Engine, EvaluateOptions, Level, Report, Verdict};
use proptest::prelude::*;

fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in [
        "/../../examples",
        "/tests/cases/secrets/plaintext-secret",
        "/tests/cases/exceptions/expired",
        // Vendor exports (n8n, Node-RED, Make): mutated, they exercise the adapters.
        "/tests/cases/config/code-execution",
        "/tests/cases/integration/tls-verification-disabled",
    ] {
        let dir = format!("{}{dir}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).expect("seed dir").flatten() {
            out.push(std::fs::read(entry.path()).expect("seed"));
        }
    }
    out.sort();
    out
}

fn check(report: &Report, len: usize) {
    let top = report
        .findings
        .iter()
        .map(|f| f.level)
        .max()
        .unwrap_or(Level::Info);
    assert_eq!(report.verdict, Verdict::from_level(top));
    let c = report.counts;
    assert_eq!(
        (c.deny + c.approval + c.warn + c.info) as usize,
        report.findings.len()
    );
    for f in &report.findings {
        assert!(f.location.line >= 1 && f.location.column >= 1, "{f:?}");
        assert!(
            (f.location.line, f.location.column) <= (f.location.end_line, f.location.end_column),
            "{f:?}"
        );
        assert!(f.location.line as usize <= len + 1);
        assert!(f.path.is_empty() || f.path.starts_with('/'), "{f:?}");
    }
    serde_json::to_string(report).expect("serializable");
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Replace(usize, u8),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let tokens = prop_oneof![
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"[".to_vec()),
        Just(b"- ".to_vec()),
        Just(b": ".to_vec()),
        Just(b"\n  ".to_vec()),
        Just(b"&a ".to_vec()),
        Just(b"*a".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"'".to_vec()),
        Just(b"!!str ".to_vec()),
        Just(b"\xff".to_vec()),
        Just(b"xoxb-2048-1234567890123-AbCdEfGhIjKl".to_vec()),
        Just(b"4111 1111 1111 1111".to_vec()),
        Just(b"http://".to_vec()),
        Just(b"*".to_vec()),
        Just("é😀".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..8),
    ];
    proptest::collection::vec(
        prop_oneof![
            (any::<usize>(), tokens).prop_map(|(i, t)| Edit::Insert(i, t)),
            (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
        ],
        1..6,
    )
}

fn apply(mut text: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = text.len().max(1);
        match e {
            Edit::Insert(i, t) => {
                let at = i % (text.len() + 1);
                text.splice(at..at, t.iter().copied());
            }
            Edit::Delete(i, n) => {
                let at = i % len;
                let end = (at + n).min(text.len());
                if at < end {
                    text.drain(at..end);
                }
            }
            Edit::Replace(i, b) => {
                if !text.is_empty() {
                    let at = i % text.len();
                    text[at] = *b;
                }
            }
        }
    }
    text
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let report = Engine::default().evaluate_bytes(&bytes, &EvaluateOptions { now: Date::parse("2026-11-28"), ..Default::default() });
        check(&report, bytes.len());
    }

    #[test]
    fn mutated_manifests_never_panic(seed in 0usize..64, edits in edits()) {
        let seeds = seeds();
        let text = apply(seeds[seed % seeds.len()].clone(), &edits);
        let engine = Engine::default();
        let opts = EvaluateOptions { now: Date::parse("2026-11-28"), ..Default::default() };
        let a = engine.evaluate_bytes(&text, &opts);
        check(&a, text.len());
        // Deterministic, too.
        prop_assert_eq!(serde_json::to_string(&a).ok(), serde_json::to_string(&engine.evaluate_bytes(&text, &opts)).ok());
    }

    #[test]
    fn random_policy_packs_never_panic(seed in 0usize..64, edits in edits()) {
        let text = apply(parapet_core::DEFAULT_PACK_YAML.as_bytes().to_vec(), &edits);
        let _ = seed;
        if let Ok(s) = std::str::from_utf8(&text) {
            if let Ok(engine) = Engine::from_policy_text(s) {
                let r = engine.evaluate(include_str!("../../../examples/controlled-hr-bot.yaml"), &EvaluateOptions::default());
                check(&r, 200);
            }
        }
    }
}
