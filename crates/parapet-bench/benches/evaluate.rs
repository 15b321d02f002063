//! `cargo bench -p parapet-bench`: Parapet's full evaluation (all rules, secrets, PII) beside
//! the engine as it was at commit 839e62f (vendored unchanged under `baseline/`) and beside
//! regorus evaluating 7 equivalent Rego rules, all from the same JSON text to the final answer,
//! in the same run. Prints the ratios at the end.

use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, Criterion};
use parapet_bench::{POLICY_REGO, TYPICAL, TYPICAL_X10};
use parapet_core::{Date, Engine, EvaluateOptions};

fn parapet(engine: &Engine, text: &str) -> usize {
    let opts = EvaluateOptions {
        now: Date::parse("2026-11-28"),
        ..Default::default()
    };
    engine.evaluate(text, &opts).findings.len()
}

fn baseline(engine: &parapet_core_baseline::Engine, text: &str) -> usize {
    let opts = parapet_core_baseline::EvaluateOptions {
        now: parapet_core_baseline::Date::parse("2026-11-28"),
        ..Default::default()
    };
    engine.evaluate(text, &opts).findings.len()
}

fn rego_engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("parapet.rego".into(), POLICY_REGO.into())
        .expect("policy compiles");
    engine
}

fn rego(engine: &mut regorus::Engine, text: &str) -> usize {
    let input = regorus::Value::from_json_str(text).expect("json input");
    engine.set_input(input);
    let deny = engine
        .eval_rule("data.parapet.deny".into())
        .expect("evaluates");
    deny.as_set().map(|s| s.len()).unwrap_or(0)
}

fn benches(c: &mut Criterion) {
    let engine = Engine::default();
    let old = parapet_core_baseline::Engine::default();
    let mut reng = rego_engine();
    assert!(
        parapet(&engine, TYPICAL) > 0 && rego(&mut reng, TYPICAL) > 0,
        "both find problems"
    );
    assert_eq!(
        parapet(&engine, TYPICAL),
        baseline(&old, TYPICAL),
        "the baseline finds as much"
    );
    let mut g = c.benchmark_group("evaluate");
    g.bench_function("parapet/typical", |b| {
        b.iter(|| parapet(&engine, black_box(TYPICAL)))
    });
    g.bench_function("parapet/typical-x10", |b| {
        b.iter(|| parapet(&engine, black_box(TYPICAL_X10)))
    });
    g.bench_function("baseline-839e62f/typical", |b| {
        b.iter(|| baseline(&old, black_box(TYPICAL)))
    });
    g.bench_function("baseline-839e62f/typical-x10", |b| {
        b.iter(|| baseline(&old, black_box(TYPICAL_X10)))
    });
    g.bench_function("regorus-7-rules/typical", |b| {
        b.iter(|| rego(&mut reng, black_box(TYPICAL)))
    });
    g.finish();
}

/// Median of `n` timed runs of `f`, for the closing summary.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

fn summary() {
    let engine = Engine::default();
    let old = parapet_core_baseline::Engine::default();
    let mut reng = rego_engine();
    // Interleave the measurements so machine noise hits all alike.
    let mut ours = Vec::new();
    let mut ours10 = Vec::new();
    let mut before = Vec::new();
    let mut before10 = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..15 {
        ours.push(median(21, || {
            black_box(parapet(&engine, TYPICAL));
        }));
        ours10.push(median(5, || {
            black_box(parapet(&engine, TYPICAL_X10));
        }));
        before.push(median(21, || {
            black_box(baseline(&old, TYPICAL));
        }));
        before10.push(median(5, || {
            black_box(baseline(&old, TYPICAL_X10));
        }));
        theirs.push(median(21, || {
            black_box(rego(&mut reng, TYPICAL));
        }));
    }
    for v in [
        &mut ours,
        &mut ours10,
        &mut before,
        &mut before10,
        &mut theirs,
    ] {
        v.sort();
    }
    let (o, o10, b, b10, t) = (ours[7], ours10[7], before[7], before10[7], theirs[7]);
    println!("\nsummary (medians, same run):");
    println!(
        "  parapet full evaluation, typical:     {:>10.1} µs",
        o.as_secs_f64() * 1e6
    );
    println!(
        "  parapet full evaluation, typical x10: {:>10.1} µs",
        o10.as_secs_f64() * 1e6
    );
    println!(
        "  baseline 839e62f, typical:            {:>10.1} µs",
        b.as_secs_f64() * 1e6
    );
    println!(
        "  baseline 839e62f, typical x10:        {:>10.1} µs",
        b10.as_secs_f64() * 1e6
    );
    println!(
        "  regorus 7 Rego rules, typical:        {:>10.1} µs",
        t.as_secs_f64() * 1e6
    );
    println!(
        "  time vs baseline, typical:     {:.2}x  (target <= 0.33x)",
        o.as_secs_f64() / b.as_secs_f64()
    );
    println!(
        "  time vs baseline, typical x10: {:.2}x",
        o10.as_secs_f64() / b10.as_secs_f64()
    );
    println!(
        "  speed-up over regorus:  {:.1}x  (target >= 20x)",
        t.as_secs_f64() / o.as_secs_f64()
    );
    println!(
        "  x10 input time ratio:   {:.2}x  (target <= 11x)",
        o10.as_secs_f64() / o.as_secs_f64()
    );
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = benches
}

fn main() {
    group();
    Criterion::default().configure_from_args().final_summary();
    summary();
}
