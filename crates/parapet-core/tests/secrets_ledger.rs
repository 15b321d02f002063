//! The secrets ledger: every secret finding on every real export in `tests/corpus/` judged by a
//! person and checked in (`tests/corpus/secrets-ledger.tsv`), so precision is a test.
//!
//! - JSON and YAML files go through the whole engine (the default pack), exactly as the CLI,
//!   the widget and the edge see them; other files (`.env`, key files, `.ini`, code) are
//!   scanned line by line, each line whole and, for `key=value` / `key: value` lines, the
//!   value under its key.
//! - Each finding is identified by file, place (JSON pointer or `L<line>`), kind and the
//!   redacted value (`redact`: a short public prefix and 4 hex digits of a hash). The raw
//!   secret is never written to the ledger or printed.
//! - Verdicts: `TP` (a real plaintext secret, even a test or weak one), `FP` (not a secret),
//!   `FN` (a known secret the scanner does not report; counts against recall).
//!
//! The test fails on a finding the ledger does not know (judge it), on a finding judged `FP`
//! that is no longer reported (the ledger is stale: drop the line), on a `TP` no longer
//! reported (a lost true positive), and when precision over all findings falls below 0.9.
//!
//! `PARAPET_LEDGER_WRITE=1` rewrites the ledger with current findings (known verdicts kept,
//! new ones `?`) for a person to judge; `PARAPET_LEDGER_SHOW=1` prints the context of
//! unjudged findings to the terminal (with the secret masked in the middle).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use parapet_core::unstable::secrets::{redact, SecretScanner};
use parapet_core::{Date, Engine, EvaluateOptions};

#[path = "support/kv.rs"]
mod kv;
use kv::split_kv;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus");
const LEDGER: &str = "secrets-ledger.tsv";
const MIN_PRECISION: f64 = 0.9;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Id {
    file: String,
    place: String,
    kind: String,
    redacted: String,
}

struct Seen {
    id: Id,
    /// Context around the finding, for `PARAPET_LEDGER_SHOW` only.
    context: String,
}

fn corpus_root() -> PathBuf {
    PathBuf::from(CORPUS)
}

fn files() -> Vec<PathBuf> {
    let root = corpus_root();
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                if name != "LICENSES" {
                    dirs.push(p);
                }
            } else if !matches!(
                name.as_str(),
                LEDGER | "SOURCES.md" | "README.md" | "LICENSE"
            ) && !name.ends_with(".snap")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(corpus_root())
        .unwrap_or(p)
        .display()
        .to_string()
}

/// Masks the middle of `s` (for terminal display while judging).
fn mask(s: &str) -> String {
    let n = s.chars().count();
    if n <= 8 {
        return "*".repeat(n);
    }
    let head: String = s.chars().take(4).collect();
    let tail: String = s.chars().skip(n - 2).collect();
    format!("{head}{}{tail}", "*".repeat((n - 6).min(20)))
}

fn snippet(text: &str, start: usize, end: usize) -> String {
    let mut a = start.saturating_sub(120);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (end + 60).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    let secret = text.get(start..end).unwrap_or("");
    format!(
        "{}[[{}]]{}",
        &text[a..start],
        mask(secret),
        text.get(end..b).unwrap_or("")
    )
    .replace('\n', "⏎")
}

/// The kind is the message up to the place (" in …" or " at …").
fn kind_of(message: &str) -> String {
    message
        .split(" in ")
        .next()
        .and_then(|k| k.split(" at ").next())
        .unwrap_or("")
        .to_string()
}

/// The redacted value: the last parenthesised part of the message.
fn redacted_of(message: &str) -> String {
    message
        .rsplit_once('(')
        .map(|(_, r)| r.trim_end_matches(')').to_string())
        .unwrap_or_default()
}

fn byte_offset(text: &str, line: u32, col: u32) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let c: usize = l
                .chars()
                .take(col.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return off + c;
        }
        off += l.len();
    }
    text.len()
}

fn engine_findings(engine: &Engine, file: &str, text: &str, out: &mut Vec<Seen>) {
    let opts = EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    };
    let report = engine.evaluate(text, &opts);
    for f in report
        .findings
        .iter()
        .filter(|f| f.rule == "secrets/plaintext-secret")
    {
        let loc = &f.location;
        let s = byte_offset(text, loc.line, loc.column);
        let e = byte_offset(text, loc.end_line, loc.end_column);
        out.push(Seen {
            id: Id {
                file: file.to_string(),
                place: f.path.clone(),
                kind: kind_of(&f.message),
                redacted: redacted_of(&f.message),
            },
            context: snippet(text, s, e.max(s)),
        });
    }
}

fn line_findings(sc: &SecretScanner, file: &str, text: &str, out: &mut Vec<Seen>) {
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |off: usize| line_starts.partition_point(|&s| s <= off);
    let mut push = |out: &mut Vec<Seen>, base: usize, value: &str, key: Option<&str>| {
        for m in sc.scan(value, key) {
            let (s, e) = (base + m.start, base + m.end);
            if seen.iter().any(|&(a, b)| s < b && a < e) {
                continue;
            }
            seen.push((s, e));
            out.push(Seen {
                id: Id {
                    file: file.to_string(),
                    place: format!("L{}", line_of(s)),
                    kind: m.kind.name.to_string(),
                    redacted: redact(&value[m.start..m.end]),
                },
                context: snippet(text, s, e),
            });
        }
    };
    // The whole file as one value (multi-line private keys), then each `key=value` line's
    // value under its key.
    push(out, 0, text, None);
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        if let Some((k, v)) = split_kv(l) {
            let vs = v.as_ptr() as usize - l.as_ptr() as usize;
            push(out, off + vs, v, Some(k));
        }
        off += line.len();
    }
}

fn current() -> Vec<Seen> {
    let engine = Engine::default();
    let sc = SecretScanner::new(Vec::new());
    let mut out = Vec::new();
    for p in files() {
        let bytes = std::fs::read(&p).expect("corpus file readable");
        let text = String::from_utf8_lossy(&bytes);
        let file = rel(&p);
        let structured = matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("json" | "yaml" | "yml")
        );
        if structured {
            engine_findings(&engine, &file, &text, &mut out);
        } else {
            line_findings(&sc, &file, &text, &mut out);
        }
    }
    out
}

struct Entry {
    id: Id,
    verdict: String,
    note: String,
}

fn read_ledger() -> Vec<Entry> {
    let path = corpus_root().join(LEDGER);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let g = |i: usize| c.get(i).copied().unwrap_or("").to_string();
            Entry {
                id: Id {
                    file: g(0),
                    place: g(1),
                    kind: g(2),
                    redacted: g(3),
                },
                verdict: g(4),
                note: g(5),
            }
        })
        .collect()
}

const HEADER: &str =
    "# Secrets ledger: every secret finding on tests/corpus judged by reading its context.\n\
# Checked by crates/parapet-core/tests/secrets_ledger.rs. Never put a raw secret here.\n\
# verdict: TP = a real plaintext secret (test and weak ones included), FP = not a secret,\n\
# FN = a known secret the scanner does not report (place and kind describe it).\n\
# file\tplace\tkind\tredacted\tverdict\tnote\n";

fn write_ledger(entries: &[Entry]) {
    let mut s = String::from(HEADER);
    for e in entries {
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            e.id.file, e.id.place, e.id.kind, e.id.redacted, e.verdict, e.note
        ));
    }
    std::fs::write(corpus_root().join(LEDGER), s).expect("ledger writable");
}

#[test]
fn secrets_ledger() {
    let found = current();
    assert!(
        files().len() >= 200,
        "tests/corpus holds {} files",
        files().len()
    );
    let ledger = read_ledger();
    let known: BTreeMap<&Id, &Entry> = ledger.iter().map(|e| (&e.id, e)).collect();
    let mut count: BTreeMap<&Id, usize> = BTreeMap::new();
    for s in &found {
        *count.entry(&s.id).or_default() += 1;
    }

    if std::env::var_os("PARAPET_LEDGER_SHOW").is_some() {
        for s in &found {
            if known.get(&s.id).is_none_or(|e| e.verdict == "?") {
                println!(
                    "{}\t{}\t{}\t{}\n    {}",
                    s.id.file, s.id.place, s.id.kind, s.id.redacted, s.context
                );
            }
        }
    }
    if std::env::var_os("PARAPET_LEDGER_WRITE").is_some() {
        let mut out: Vec<Entry> = Vec::new();
        for id in count.keys() {
            let (verdict, note) = known.get(id).map_or(("?".to_string(), String::new()), |e| {
                (e.verdict.clone(), e.note.clone())
            });
            out.push(Entry {
                id: (*id).clone(),
                verdict,
                note,
            });
        }
        // Known misses stay.
        for e in &ledger {
            if e.verdict == "FN" && !count.contains_key(&e.id) {
                out.push(Entry {
                    id: e.id.clone(),
                    verdict: e.verdict.clone(),
                    note: e.note.clone(),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        write_ledger(&out);
    }

    let mut problems: Vec<String> = Vec::new();
    let (mut tp, mut fp) = (0usize, 0usize);
    for (id, n) in &count {
        match known.get(id).map(|e| e.verdict.as_str()) {
            Some("TP") => tp += n,
            Some("FP") => fp += n,
            Some("FN") => {
                problems.push(format!("now found, was a known miss (mark it TP): {id:?}"))
            }
            _ => problems.push(format!("unjudged finding (judge it in the ledger): {id:?}")),
        }
    }
    let mut fn_ = 0usize;
    for e in &ledger {
        let reported = count.contains_key(&e.id);
        match e.verdict.as_str() {
            "TP" if !reported => problems.push(format!("lost true positive: {:?}", e.id)),
            "FP" if !reported => problems.push(format!(
                "stale ledger line (this false positive is gone: drop it): {:?}",
                e.id
            )),
            "FN" => fn_ += 1,
            "TP" | "FP" => {}
            v => problems.push(format!("bad verdict {v:?}: {:?}", e.id)),
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let known_secrets = ledger.iter().filter(|e| e.verdict != "FP").count();
    let recall = if known_secrets == 0 {
        1.0
    } else {
        (known_secrets - fn_) as f64 / known_secrets as f64
    };
    println!(
        "secrets ledger: {} files, {} findings: {tp} TP, {fp} FP, precision {precision:.3}; \
         known secrets {known_secrets}, missed {fn_}, recall {recall:.3}",
        files().len(),
        found.len()
    );
    assert!(
        problems.is_empty(),
        "{} ledger problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}"
    );
}
