//! GitHub Actions workflow commands: one annotation per finding.
//! Findings at or above `--fail-on` are errors, other `warn` and `approval` findings are
//! warnings, `info` (including waived findings) are notices.

use parapet_core::report::Finding;
use parapet_core::Level;

use super::{waiver_note, CheckedFile};

pub fn render(out: &mut String, file: &CheckedFile, fail_on: Level) {
    for f in &file.report.findings {
        let path = match (&f.file, &file.source) {
            (Some(_), Some(src)) => &src.path,
            _ => &file.path,
        };
        finding(out, path, f, fail_on);
    }
}

fn finding(out: &mut String, path: &str, f: &Finding, fail_on: Level) {
    let command = if f.level >= fail_on {
        "error"
    } else if f.level >= Level::Warn {
        "warning"
    } else {
        "notice"
    };
    let l = f.location;
    let mut message = format!("[{}] {}\nhelp: {}", f.level, f.message, f.help);
    if let (Some(r), Some(c)) = (f.reason, f.confidence) {
        message.push_str(&format!("\nwhy: {r} ({})", c.as_str()));
    }
    if let Some(w) = &f.waived_by {
        message.push('\n');
        message.push_str(&waiver_note(w));
    }
    if let Some(a) = &f.approval {
        message.push_str("\napproval route: ");
        message.push_str(&a.route);
    }
    out.push_str(&format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(path),
        l.line,
        l.column,
        l.end_line,
        l.end_column,
        escape_property(f.rule),
        escape_data(&message)
    ));
}

/// Escapes a command's message (`%`, CR, LF), as the Actions runner expects.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value: as data, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
