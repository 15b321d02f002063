//! JUnit XML: one `<testsuite>` per file, one `<testcase>` per rule that applies to the app's
//! tier. A test case fails when a finding of its rule is at or above `--fail-on`; findings
//! below the threshold go to `<system-out>`.

use parapet_core::report::Finding;
use parapet_core::{Level, Tier, CATALOGUE};

use super::{waiver_note, CheckedFile, Context};

pub fn render(files: &[CheckedFile], ctx: &Context<'_>) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0usize, 0usize);
    for file in files {
        let (t, f) = suite(&mut suites, file, ctx);
        tests += t;
        failures += f;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"parapet\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}

/// Writes one file's suite; returns its (tests, failures).
fn suite(out: &mut String, file: &CheckedFile, ctx: &Context<'_>) -> (usize, usize) {
    let report = &file.report;
    // The engine judges an app without a valid tier by the strictest tier.
    let tier = report.app.tier.unwrap_or(Tier::Production);
    let pack = ctx.engine.pack();
    let path = escape(&file.path);
    let mut cases = String::new();
    let (mut tests, mut failures) = (0, 0);
    for (i, meta) in CATALOGUE.iter().enumerate() {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.rule == meta.id)
            .collect();
        let applies = parapet_core::Rule::ALL
            .get(i)
            .is_some_and(|r| pack.level(*r, tier) != Level::Off);
        if !applies && findings.is_empty() {
            continue;
        }
        tests += 1;
        let failing: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.level >= ctx.fail_on)
            .collect();
        let passing: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.level < ctx.fail_on)
            .collect();
        let open = format!(
            "    <testcase classname=\"{path}\" name=\"{}\" file=\"{path}\"",
            escape(meta.id)
        );
        if failing.is_empty() && passing.is_empty() {
            cases.push_str(&open);
            cases.push_str("/>\n");
            continue;
        }
        cases.push_str(&open);
        cases.push_str(">\n");
        if !failing.is_empty() {
            failures += 1;
            let top = failing.iter().map(|f| f.level).max().unwrap_or(ctx.fail_on);
            let message = failing
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            cases.push_str(&format!(
                "      <failure message=\"{}\" type=\"{top}\">{}</failure>\n",
                escape(&message),
                escape_text(&details(&file.path, &failing))
            ));
        }
        if !passing.is_empty() {
            cases.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape_text(&details(&file.path, &passing))
            ));
        }
        cases.push_str("    </testcase>\n");
    }
    out.push_str(&format!(
        "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    out.push_str("    <properties>\n");
    let mut property = |name: &str, value: &str| {
        out.push_str(&format!(
            "      <property name=\"{name}\" value=\"{}\"/>\n",
            escape(value)
        ));
    };
    property("verdict", report.verdict.as_str());
    property("tier", report.app.tier.map_or("", Tier::as_str));
    property("fail-on", ctx.fail_on.as_str());
    property("policy", &report.policy.name);
    out.push_str("    </properties>\n");
    out.push_str(&cases);
    out.push_str("  </testsuite>\n");
    (tests, failures)
}

/// One block per finding: place, level and message, then help and notes.
fn details(path: &str, findings: &[&Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let l = f.location;
        s.push_str(&format!(
            "{path}:{}:{}: [{}] {}\n",
            l.line, l.column, f.level, f.message
        ));
        if !f.path.is_empty() {
            s.push_str(&format!("  at {}\n", f.path));
        }
        s.push_str(&format!("  help: {}\n", f.help));
        if let Some(w) = &f.waived_by {
            s.push_str(&format!("  {}\n", waiver_note(w)));
        }
        if let Some(a) = &f.approval {
            s.push_str(&format!("  approval route: {}\n", a.route));
        }
    }
    s
}

/// Escapes text for an XML 1.0 attribute value. Characters XML 1.0 cannot carry at all (most
/// C0 controls, U+FFFE, U+FFFF) become U+FFFD; whitespace controls are written as character
/// references so that attribute-value normalisation keeps them.
pub fn escape(s: &str) -> String {
    escape_xml(s, true)
}

/// Escapes XML character data: as [`escape`], but newlines and tabs stay as they are.
pub fn escape_text(s: &str) -> String {
    escape_xml(s, false)
}

fn escape_xml(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\t' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\n\u{1}\u{ffff}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;\u{fffd}\u{fffd}"
        );
        assert_eq!(escape_text("a\n\tb\r<\""), "a\n\tb&#13;&lt;\"");
    }
}
