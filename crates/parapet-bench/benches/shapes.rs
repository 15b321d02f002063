//! `cargo bench -p parapet-bench --bench shapes`: what one long data sample of a given shape
//! costs, per byte, beside prose of the same size in the same run (the number scanner tries up
//! to eight candidates at every group of a run of digit groups; other scanners have their own
//! worst shapes). Each shape is a 512 KiB sample in an otherwise small manifest, evaluated by
//! today's engine and by the engine vendored from 839e62f. Reported: MB/s, the time as a
//! multiple of prose's (the amplification a hostile client gets per byte sent to the edge), and
//! today's time against the baseline's.

use std::hint::black_box;
use std::time::{Duration, Instant};

use parapet_core::{Engine, EvaluateOptions};

const SAMPLE_BYTES: usize = 512 * 1024;

const SHAPES: &[(&str, &str)] = &[
    (
        "prose",
        "The quick brown fox jumps over the lazy dog near the river bank. ",
    ),
    ("digit groups", "4111 "),
    ("digit pairs", "12 "),
    ("single digits", "1 "),
    ("dashed pairs", "12-34 "),
    ("dates", "1990-01-02 "),
    ("phone numbers", "+1 (555) 010-0000 "),
    ("iban-like", "GB82 WEST "),
    ("addresses", "12 Main Street "),
    ("key=value", "password=hunter2 "),
    ("urls", "https://a.b/c?d=e "),
    ("e-mail-like", "a@b.co "),
    ("ipv4 addresses", "1.2.3.4 "),
    ("key:value", "a:1 "),
    ("percent escapes", "%20"),
    ("one letter", "a"),
    ("token prefixes", "sk_live_"),
];

fn manifest(unit: &str) -> String {
    let sample = unit.repeat(SAMPLE_BYTES / unit.len());
    format!(
        r#"{{"apiVersion":"parapet.dev/v1","kind":"MicroApp","metadata":{{"name":"shapes"}},"spec":{{"tier":"sandbox","owner":"group:a","data":[{{"name":"r","fields":[{{"name":"notes","samples":["{}"]}}]}}]}}}}"#,
        sample.trim_end()
    )
}

/// Best of `n` runs of `f` (the least disturbed figure on a shared machine).
fn best(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument (as for criterion) picks shapes.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let engine = Engine::default();
    let old = parapet_core_baseline::Engine::default();
    let opts = EvaluateOptions::default();
    let old_opts = parapet_core_baseline::EvaluateOptions::default();
    println!("summary (one {SAMPLE_BYTES}-byte data sample per shape, best of 3, same run):");
    println!(
        "  {:<14} {:>9} {:>10} {:>9}   {:>9} {:>10}   {:>8}",
        "shape", "ms", "MB/s", "x prose", "839e62f", "x prose", "vs base"
    );
    let (mut prose, mut old_prose) = (0.0, 0.0);
    for (name, unit) in SHAPES {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) && *name != "prose" {
            continue;
        }
        let text = manifest(unit);
        let new = best(3, || {
            black_box(engine.evaluate(black_box(&text), &opts));
        })
        .as_secs_f64();
        let base = best(3, || {
            black_box(old.evaluate(black_box(&text), &old_opts));
        })
        .as_secs_f64();
        if *name == "prose" {
            (prose, old_prose) = (new, base);
        }
        println!(
            "  {name:<14} {:>9.1} {:>10.1} {:>8.1}x   {:>9.1} {:>9.1}x   {:>7.2}x",
            new * 1e3,
            text.len() as f64 / new / 1e6,
            new / prose,
            base * 1e3,
            base / old_prose,
            new / base
        );
    }
}
