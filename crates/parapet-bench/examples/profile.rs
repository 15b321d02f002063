//! `cargo run --release -p parapet-bench --example profile -- [typical|x10] [iterations]`:
//! loops the full evaluation of a bench input, for profilers (`perf record -g`).

use parapet_bench::{TYPICAL, TYPICAL_X10};
use parapet_core::{Date, Engine, EvaluateOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let input = match args.next().as_deref() {
        Some("x10") => TYPICAL_X10,
        _ => TYPICAL,
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let engine = Engine::default();
    let opts = EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    };
    let mut total = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        total += engine
            .evaluate(std::hint::black_box(input), &opts)
            .findings
            .len();
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("{n} evaluations, {total} findings, {per:.1} µs each");
}
