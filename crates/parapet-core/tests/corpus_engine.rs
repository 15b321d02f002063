//! Every file in `tests/corpus` through the whole engine, as regorus runs its conformance
//! suite: expected results are checked in (one snapshot line per file: verdict, secret findings
//! by kind, data classes). Vendor exports are read by their adapters (`format=` names the one
//! detected); documents of no known format get one `manifest/schema` finding and are still
//! scanned for secrets and personal data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use parapet_core::{Date, Engine, EvaluateOptions};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus");
/// `n8n-templates/` is a large precision set (167 workflow templates) for the secret scanner;
/// this snapshot covers the hand-picked exports beside it.
const SKIP_DIRS: &[&str] = &["n8n-templates"];

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(CORPUS);
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("corpus dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                if !SKIP_DIRS
                    .iter()
                    .any(|s| p.file_name() == Some(std::ffi::OsStr::new(s)))
                {
                    dirs.push(p);
                }
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn corpus_reports() {
    let engine = Engine::default();
    let opts = EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    };
    let root = Path::new(CORPUS);
    let mut summary = String::new();
    let files = corpus_files();
    assert!(files.len() >= 50, "corpus has {} files", files.len());
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let report = engine.evaluate_bytes(&bytes, &opts);
        let again = engine.evaluate_bytes(&bytes, &opts);
        assert_eq!(report, again, "deterministic: {}", path.display());
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = String::from_utf8_lossy(&bytes);
        let mut secrets: BTreeMap<String, usize> = BTreeMap::new();
        for f in report
            .findings
            .iter()
            .filter(|f| f.rule == "secrets/plaintext-secret")
        {
            // The kind is the message up to the place (" in …" or " at …").
            let kind = f
                .message
                .split(" in ")
                .next()
                .and_then(|k| k.split(" at ").next())
                .unwrap_or("")
                .to_string();
            *secrets.entry(kind).or_default() += 1;
            // The secret itself never appears in the message: the redacted form ends in "…hhhh)".
            assert!(
                f.message.contains('…'),
                "{}: unredacted? {}",
                rel,
                f.message
            );
            let loc = &f.location;
            if loc.line == loc.end_line {
                let line = text.lines().nth(loc.line as usize - 1).unwrap_or("");
                let secret: String = line
                    .chars()
                    .skip(loc.column as usize - 1)
                    .take((loc.end_column - loc.column) as usize)
                    .collect();
                if secret.chars().count() >= 8 {
                    assert!(
                        !f.message.contains(&secret),
                        "{rel}: message echoes the secret"
                    );
                }
            }
        }
        let classes: std::collections::BTreeSet<&str> = report
            .classification
            .classes
            .iter()
            .map(|c| c.class)
            .collect();
        let schema = report
            .findings
            .iter()
            .filter(|f| f.rule == "manifest/schema")
            .count();
        let syntax = report
            .findings
            .iter()
            .filter(|f| f.rule == "manifest/syntax")
            .count();
        let _ = writeln!(
            summary,
            "{rel}: format={} schema={schema} syntax={syntax} secrets={:?} classes={:?}",
            report.input.format, secrets, classes
        );
    }
    insta::assert_snapshot!(summary);
}
