//! `cargo run --release -p parapet-core --example profile_loop -- FILE N`: evaluate FILE N times
//! (for profilers such as `perf record`).
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let engine = parapet_core::Engine::default();
    let opts = parapet_core::EvaluateOptions {
        now: parapet_core::Date::parse("2026-11-28"),
        ..Default::default()
    };
    let mut total = 0;
    for _ in 0..n {
        total += engine.evaluate(&text, &opts).findings.len();
    }
    println!("{total}");
}
