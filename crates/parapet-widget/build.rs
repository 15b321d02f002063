//! Minifies the widget's stylesheet (comments and runs of white space go) into OUT_DIR, so the
//! source stays readable and the wasm carries only what the browser needs.
use std::path::Path;

fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    // Drop /* comments */.
    let mut text = String::with_capacity(css.len());
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    text.push_str(rest);
    // Collapse white space; none around punctuation that doesn't need it.
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev = out.chars().last();
            let tight = |ch: char| matches!(ch, '{' | '}' | ';' | ':' | ',' | '>');
            if prev.is_some_and(|p| !tight(p)) && !tight(c) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out.replace(";}", "}")
}

fn main() {
    let src = Path::new("src/widget.css");
    println!("cargo:rerun-if-changed={}", src.display());
    let css = std::fs::read_to_string(src).unwrap_or_default();
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let _ = std::fs::write(Path::new(&out_dir).join("widget.min.css"), minify(&css));
}
