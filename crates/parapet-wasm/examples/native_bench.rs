//! `cargo run --release -p parapet-wasm --example native_bench -- FILE...`: the native side of
//! `npm run bench`. Times `Engine::evaluate` on each file the way `scripts/bench-wasm.mjs` times
//! the wasm package (warm-up, then the median of 15 rounds of ~40 ms batches) and prints JSON:
//! `{"FILE": microseconds per evaluation, ...}`.
use std::time::{Duration, Instant};

use parapet_core::{Date, Engine, EvaluateOptions};

fn per_call(mut f: impl FnMut()) -> f64 {
    // Warm up, and size a batch to ~40 ms.
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() > Duration::from_millis(40) {
            break;
        }
        n *= 2;
    }
    let mut rounds: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn main() {
    let engine = Engine::default();
    let options = EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    };
    let mut out = serde_json::Map::new();
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("native_bench: cannot read {path}");
            std::process::exit(2);
        };
        let us = per_call(|| {
            std::hint::black_box(engine.evaluate(std::hint::black_box(&text), &options));
        });
        out.insert(path, serde_json::Value::from(us));
    }
    println!("{}", serde_json::Value::Object(out));
}
