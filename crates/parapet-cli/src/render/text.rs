//! Human-readable output in the style of ruff and rustc: rule, level and message, the place,
//! a code frame, help, then a summary line per file and a total.

use parapet_core::report::Finding;
use parapet_core::{Level, Verdict};

use super::{plural, waiver_note, CheckedFile, Tally};
use crate::frame::{self, printable, Source};
use crate::style::{Style, BLUE, BOLD, CYAN};

pub fn file(out: &mut String, file: &CheckedFile, style: Style) {
    // A sidecar's report holds findings of two files: each frame masks its own file's secrets.
    let (in_export, in_self): (Vec<Finding>, Vec<Finding>) = if file.source.is_some() {
        file.report
            .findings
            .iter()
            .cloned()
            .partition(|f| f.file.is_some())
    } else {
        (Vec::new(), Vec::new())
    };
    let own = if file.source.is_some() {
        &in_self
    } else {
        &file.report.findings
    };
    let source = file.text.as_deref().map(|t| Source::new(t, own));
    let path = printable(&file.path);
    let export = file.source.as_ref().map(|s| {
        (
            printable(&s.path),
            s.text.as_deref().map(|t| Source::new(t, &in_export)),
        )
    });
    for f in &file.report.findings {
        match (&f.file, &export) {
            // A sidecar's finding in the vendor export: that file's path and frame.
            (Some(_), Some((p, src))) => finding(out, p, src.as_ref(), f, style),
            _ => finding(out, &path, source.as_ref(), f, style),
        }
        out.push('\n');
    }
    summary(out, &path, file, style);
}

fn finding(out: &mut String, path: &str, source: Option<&Source<'_>>, f: &Finding, style: Style) {
    let code = Style::level_code(f.level);
    out.push_str(&format!(
        "{} {} {}\n",
        style.paint(BOLD, f.rule),
        style.paint(code, &format!("[{}]", f.level)),
        printable(&f.message)
    ));
    let loc = f.location;
    let pad = " ".repeat(loc.line.to_string().len());
    out.push_str(&format!(
        "{pad}{} {path}:{}:{}\n",
        style.paint(BLUE, "-->"),
        loc.line,
        loc.column
    ));
    let framed = source
        .and_then(|s| frame::render(out, s, loc, code, style))
        .is_some();
    if !framed {
        out.push_str(&format!("{pad} {}\n", style.paint(BLUE, "|")));
    }
    let eq = style.paint(BLUE, "=");
    if let (Some(reason), Some(c)) = (f.reason, f.confidence) {
        out.push_str(&format!(
            "{pad} {eq} {}: {} ({})\n",
            style.paint(BOLD, "why"),
            printable(reason),
            c.as_str()
        ));
    }
    out.push_str(&format!(
        "{pad} {eq} {}: {}\n",
        style.paint(BOLD, "help"),
        printable(f.help)
    ));
    if let Some(w) = &f.waived_by {
        out.push_str(&format!("{pad} {eq} {}\n", printable(&waiver_note(w))));
    }
    if let Some(a) = &f.approval {
        out.push_str(&format!(
            "{pad} {eq} approval route: {}\n",
            style.paint(CYAN, &printable(&a.route))
        ));
    }
}

fn summary(out: &mut String, path: &str, file: &CheckedFile, style: Style) {
    let c = file.report.counts;
    let parts: Vec<String> = [
        (c.deny, Level::Deny),
        (c.approval, Level::Approval),
        (c.warn, Level::Warn),
        (c.info, Level::Info),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, l)| format!("{n} {l}"))
    .collect();
    let counts = if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    };
    let verdict = file.report.verdict;
    out.push_str(&format!(
        "{}: {} ({counts})\n",
        style.paint(BOLD, path),
        style.paint(Style::verdict_code(verdict), verdict.as_str())
    ));
}

/// The closing line when several files were checked.
pub fn total(out: &mut String, tally: &Tally, fail_on: Level, style: Style) {
    let verdicts: Vec<String> = [
        Verdict::Deny,
        Verdict::Approval,
        Verdict::Warn,
        Verdict::Allow,
    ]
    .into_iter()
    .map(|v| (v, tally.verdicts[super::verdict_index(v)]))
    .filter(|(_, n)| *n > 0)
    .map(|(v, n)| format!("{n} {}", v.as_str()))
    .collect();
    let outcome = if tally.failing == 0 {
        format!("none at or above {fail_on}")
    } else {
        format!(
            "{} at or above {fail_on}",
            plural(tally.failing, "file", "files")
        )
    };
    out.push_str(&format!(
        "{} {}: {} ({outcome})\n",
        style.paint(BOLD, "Checked"),
        plural(tally.files, "file", "files"),
        verdicts.join(", ")
    ));
}
