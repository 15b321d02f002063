//! `cargo run -p parapet-core --example eval -- FILE [NOW]`: print a report as JSON (debugging aid).
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: eval FILE [YYYY-MM-DD]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    let now = args.next().and_then(|d| parapet_core::Date::parse(&d));
    let engine = parapet_core::Engine::default();
    let report = engine.evaluate_bytes(
        &bytes,
        &parapet_core::EvaluateOptions {
            now,
            ..Default::default()
        },
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
}
