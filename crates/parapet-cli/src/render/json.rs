//! JSON: report v1 objects, each with the `file` it came from (a compatible extension).
//! One object when a single file was named, otherwise an array. Pretty-printed with two
//! spaces and a trailing newline; byte for byte the same for the same input, pack and `now`.

use parapet_core::Report;
use serde::Serialize;

use super::CheckedFile;

#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    #[serde(flatten)]
    report: &'a Report,
}

pub fn render(files: &[CheckedFile], single: bool) -> String {
    let reports: Vec<FileReport<'_>> = files
        .iter()
        .map(|f| FileReport {
            file: &f.path,
            report: &f.report,
        })
        .collect();
    let text = match (single, reports.as_slice()) {
        (true, [one]) => serde_json::to_string_pretty(one),
        _ => serde_json::to_string_pretty(&reports),
    };
    // Serialising plain data with string keys cannot fail; keep the output valid JSON anyway.
    let mut text =
        text.unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string());
    text.push('\n');
    text
}
