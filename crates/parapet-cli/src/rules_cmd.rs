//! `parapet rules [ID]`: the catalogue as a table, or one rule's documentation.

use parapet_core::{Engine, Level, Rule, RuleMeta, Tier, CATALOGUE};
use serde::Serialize;

use crate::cli::{RulesArgs, RulesFormat};
use crate::out::{self, Out};
use crate::render::sarif::pascal_case;
use crate::render::TierLevels;
use crate::style::{Style, BOLD};
use crate::Exit;

/// A rule's entry in `parapet rules --format json`, for docs generation.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDoc {
    id: &'static str,
    name: String,
    summary: &'static str,
    /// Default level per tier.
    defaults: TierLevels,
    help: &'static str,
    /// Markdown, one line per source line.
    rationale: String,
    security_severity: f32,
    docs_url: String,
    /// The levels in force under `--policy`, per tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    levels: Option<TierLevels>,
}

pub fn run(args: RulesArgs, style: Style) -> Exit {
    let engine = match &args.policy {
        Some(p) => match crate::check::load_policy(p) {
            Ok(e) => Some(e),
            Err(exit) => return exit,
        },
        None => None,
    };
    let levels = |meta: &'static RuleMeta| -> [Level; 3] {
        match (&engine, Rule::from_id(meta.id)) {
            (Some(e), Some(rule)) => Tier::ALL.map(|t| e.pack().level(rule, t)),
            _ => meta.defaults,
        }
    };
    let doc = |meta: &'static RuleMeta| RuleDoc {
        id: meta.id,
        name: pascal_case(meta.id),
        summary: meta.summary,
        defaults: meta.defaults.into(),
        help: meta.help,
        rationale: rationale(meta),
        security_severity: meta.security_severity,
        docs_url: meta.docs_url(),
        levels: engine.as_ref().map(|_| levels(meta).into()),
    };

    let text = match &args.id {
        None => match args.format {
            RulesFormat::Json => json(&CATALOGUE.iter().map(doc).collect::<Vec<_>>()),
            RulesFormat::Text => table(&levels, engine.as_ref(), style),
        },
        Some(id) => {
            let Some(meta) = CATALOGUE.iter().find(|m| m.id == id) else {
                unknown(id);
                return Exit::Error;
            };
            match args.format {
                RulesFormat::Json => json(&doc(meta)),
                RulesFormat::Text => page(meta, levels(meta), engine.as_ref(), style),
            }
        }
    };
    let mut stdout = Out::stdout();
    stdout.write(&text);
    match stdout.finish() {
        Ok(()) => Exit::Ok,
        Err(e) => {
            out::error(&format!("cannot write the output: {e}"));
            Exit::Error
        }
    }
}

fn json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// The rationale without the indentation doc comments leave.
fn rationale(meta: &RuleMeta) -> String {
    meta.rationale
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn shown(level: Level) -> &'static str {
    if level == Level::Off {
        "—"
    } else {
        level.as_str()
    }
}

fn table(
    levels: &dyn Fn(&'static RuleMeta) -> [Level; 3],
    engine: Option<&Engine>,
    style: Style,
) -> String {
    let width = CATALOGUE.iter().map(|m| m.id.len()).max().unwrap_or(0);
    let mut s = String::new();
    s.push_str(&style.paint(
        BOLD,
        &format!(
            "{:<width$}  {:<11}{:<11}{:<11}SUMMARY",
            "RULE", "SANDBOX", "CONTROLLED", "PRODUCTION"
        ),
    ));
    s.push('\n');
    for meta in CATALOGUE {
        let [a, b, c] = levels(meta);
        s.push_str(&format!(
            "{:<width$}  {:<11}{:<11}{:<11}{}\n",
            meta.id,
            shown(a),
            shown(b),
            shown(c),
            meta.summary
        ));
    }
    match engine {
        Some(e) => s.push_str(&format!(
            "\n{} rules; levels in force under policy pack `{}`.\n",
            CATALOGUE.len(),
            e.pack().name
        )),
        None => s.push_str(&format!(
            "\n{} rules; default levels per tier. `parapet rules ID` documents one.\n",
            CATALOGUE.len()
        )),
    }
    s
}

fn page(
    meta: &'static RuleMeta,
    levels: [Level; 3],
    engine: Option<&Engine>,
    style: Style,
) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{} ({})\n{}\n\n",
        style.paint(BOLD, meta.id),
        pascal_case(meta.id),
        meta.summary
    ));
    let heading = match engine {
        Some(e) => format!("Levels under policy pack `{}`", e.pack().name),
        None => "Default levels".to_string(),
    };
    s.push_str(&style.paint(BOLD, &heading));
    s.push('\n');
    for t in Tier::ALL {
        s.push_str(&format!(
            "  {:<11} {}\n",
            t.as_str(),
            shown(levels[t.index()])
        ));
    }
    s.push('\n');
    s.push_str(&style.paint(BOLD, "Why it matters"));
    s.push('\n');
    for line in rationale(meta).lines() {
        s.push_str(&format!("  {line}\n"));
    }
    s.push('\n');
    s.push_str(&style.paint(BOLD, "What to do"));
    s.push_str(&format!("\n  {}\n\n", meta.help));
    s.push_str(&style.paint(BOLD, "Override in a policy pack"));
    s.push('\n');
    let d = meta.defaults;
    s.push_str(&format!(
        "  rules:\n    {}: {{ sandbox: {}, controlled: {}, production: {} }}\n",
        meta.id, d[0], d[1], d[2]
    ));
    s.push_str(&format!(
        "  # or one level for every tier:  {}: warn   (off | info | warn | approval | deny)\n\n",
        meta.id
    ));
    s.push_str(&format!(
        "Security severity: {:.1}\nDocumentation: {}\n",
        meta.security_severity,
        meta.docs_url()
    ));
    s
}

fn unknown(id: &str) {
    out::error(&format!("unknown rule `{}`", crate::frame::printable(id)));
    if let Some(best) = suggest(id) {
        out::eprint_line(&format!("  did you mean `{best}`?"));
    }
    out::eprint_line("  `parapet rules` lists every rule");
}

/// The closest rule id, if any is close enough to be a likely typo.
pub fn suggest(id: &str) -> Option<&'static str> {
    let id = id.trim().to_ascii_lowercase();
    if id.is_empty() {
        return None;
    }
    let name = |full: &str| full.split('/').nth(1).unwrap_or(full).to_string();
    CATALOGUE
        .iter()
        .map(|m| {
            let whole = strsim::levenshtein(&id, m.id);
            let part = strsim::levenshtein(&name(&id), &name(m.id));
            let contains = m.id.contains(id.as_str()) || id.contains(&name(m.id));
            let score = if contains { 0 } else { whole.min(part + 1) };
            (score, m.id)
        })
        .filter(|(score, m)| *score <= 3.max(m.len() / 4))
        .min()
        .map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_missing_groups() {
        assert_eq!(
            suggest("secrets/plaintext-secrt"),
            Some("secrets/plaintext-secret")
        );
        assert_eq!(suggest("cors-wildcard"), Some("config/cors-wildcard"));
        assert_eq!(suggest("config/iam-wildcrd"), Some("config/iam-wildcard"));
        assert_eq!(suggest("totally-unrelated-thing"), None);
    }
}
