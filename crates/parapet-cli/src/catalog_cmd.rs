//! `parapet catalog PATH... [--out DIR]`: a Backstage Component entity (`catalog-info.yaml`) per
//! manifest or vendor export, for teams that keep their catalog in Git. The entity has the same
//! shape as the edge's `GET /v1/catalog/{name}/entity` (www/edge/src/catalog.js, `entityOf`).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use parapet_core::unstable::document::{Limits, Node};
use parapet_core::unstable::parse::{self, Syntax};
use parapet_core::{Date, Engine, EvaluateOptions, Report, Rule};

use crate::cli::CatalogArgs;
use crate::out;
use crate::Exit;

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];
const SKIPPED_DIRS: [&str; 2] = ["node_modules", "target"];
const MAX_WALK_DEPTH: usize = 64;
/// Most bytes read from one input (the engine refuses more than its own smaller limit anyway).
const READ_CAP: u64 = 64 * 1024 * 1024;

pub fn run(args: CatalogArgs) -> Exit {
    let engine = match &args.policy {
        Some(path) => match crate::check::load_policy(path) {
            Ok(engine) => engine,
            Err(exit) => return exit,
        },
        None => Engine::default(),
    };
    let now = args.now.unwrap_or_else(today);
    let mut failed = false;
    let mut files = Vec::new();
    for p in &args.paths {
        if let Err(e) = collect(p, 0, &mut files) {
            out::error(&e);
            failed = true;
        }
    }
    if files.is_empty() && !failed {
        out::warning("no manifests (*.yaml, *.yml, *.json) found under the given paths");
    }
    if let Some(dir) = &args.out {
        if let Err(e) = fs::create_dir_all(dir) {
            out::error(&format!("cannot create {}: {e}", dir.display()));
            return Exit::Error;
        }
    }
    let options = EvaluateOptions {
        now: Some(now),
        ..EvaluateOptions::default()
    };
    let mut written: BTreeMap<String, String> = BTreeMap::new();
    let mut documents = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let bytes = match read_capped(&file) {
            Ok(b) => b,
            Err(e) => {
                out::error(&format!("cannot read {shown}: {e}"));
                failed = true;
                continue;
            }
        };
        let report = engine.evaluate_bytes(&bytes, &options);
        if report.input.format == "unknown"
            && report
                .findings
                .iter()
                .any(|f| f.rule == Rule::ManifestSyntax.id())
        {
            out::error(&format!(
                "{shown}: not valid YAML or JSON; no entity written"
            ));
            failed = true;
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let stem = file.file_stem().and_then(OsStr::to_str).unwrap_or("app");
        let Some(entity) = entity_for(&report, &text, stem, now) else {
            out::error(&format!("{shown}: names no app; no entity written"));
            failed = true;
            continue;
        };
        if let Some(first) = written.get(&entity.name) {
            out::error(&format!(
                "{shown}: app `{}` is also in {first}; only the first is written",
                entity.name
            ));
            failed = true;
            continue;
        }
        written.insert(entity.name.clone(), shown.clone());
        let yaml = entity.to_yaml();
        match &args.out {
            Some(dir) => {
                let path = dir.join(format!("{}.yaml", entity.name));
                if let Err(e) = fs::write(&path, yaml) {
                    out::error(&format!("cannot write {}: {e}", path.display()));
                    failed = true;
                } else {
                    eprintln!("{shown} -> {}", path.display());
                }
            }
            None => documents.push(yaml),
        }
    }
    if !documents.is_empty() {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(documents.join("---\n").as_bytes());
        let _ = stdout.flush();
    }
    if failed {
        Exit::Error
    } else {
        Exit::Ok
    }
}

fn today() -> Date {
    let secs = match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    Date::from_days(secs.div_euclid(86_400))
}

/// Files named, and manifests under directories named (sorted; hidden entries skipped).
fn collect(path: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if depth >= MAX_WALK_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(OsStr::to_str).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        let Ok(m) = fs::symlink_metadata(&p) else {
            continue;
        };
        if m.is_dir() {
            if !SKIPPED_DIRS.contains(&name) {
                collect(&p, depth + 1, out)?;
            }
        } else if m.is_file()
            && p.extension()
                .and_then(OsStr::to_str)
                .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(p);
        }
    }
    Ok(())
}

fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(READ_CAP)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A Backstage Component entity, as the catalog writes it.
#[derive(Debug, PartialEq)]
pub struct Entity {
    pub name: String,
    pub title: Option<String>,
    pub verdict: &'static str,
    pub tier: &'static str,
    pub last_scanned: String,
    pub tags: Vec<String>,
    pub lifecycle: &'static str,
    pub owner: String,
}

impl Entity {
    /// YAML with every string double-quoted (JSON string syntax is valid YAML).
    pub fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
        let mut y = String::new();
        y.push_str("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n");
        y.push_str(&format!("  name: {}\n", q(&self.name)));
        if let Some(t) = &self.title {
            y.push_str(&format!("  title: {}\n", q(t)));
        }
        y.push_str("  annotations:\n");
        y.push_str(&format!("    parapet.dev/verdict: {}\n", q(self.verdict)));
        y.push_str(&format!("    parapet.dev/tier: {}\n", q(self.tier)));
        y.push_str(&format!(
            "    parapet.dev/last-scanned: {}\n",
            q(&self.last_scanned)
        ));
        y.push_str("    parapet.dev/attestation: \"none\"\n");
        y.push_str("  tags:\n");
        for t in &self.tags {
            y.push_str(&format!("    - {}\n", q(t)));
        }
        y.push_str("spec:\n  type: \"micro-app\"\n");
        y.push_str(&format!("  lifecycle: {}\n", q(self.lifecycle)));
        y.push_str(&format!("  owner: {}\n", q(&self.owner)));
        y
    }
}

/// The entity for one evaluated document, or None when it names no app (and the file stem is
/// not usable as a name either).
pub fn entity_for(report: &Report, text: &str, stem: &str, now: Date) -> Option<Entity> {
    let name = report
        .app
        .name
        .as_deref()
        .and_then(catalog_name)
        .or_else(|| catalog_name(stem))?;
    let root = parse::parse(text, Syntax::Auto, &Limits::default())
        .ok()
        .map(|p| p.root);
    let format = report.input.format;
    let is_manifest = format == "parapet" || format == "backstage";
    let secret_paths: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| Rule::from_id(f.rule).is_some_and(Rule::finds_secrets))
        .map(|f| f.path.as_str())
        .collect();
    let field = |pointer: &str| -> Option<String> {
        if !is_manifest {
            return None;
        }
        let node = lookup(root.as_ref()?, pointer)?;
        let s = node.as_str()?.trim();
        if s.is_empty() {
            return None;
        }
        let hidden = secret_paths
            .iter()
            .any(|p| *p == pointer || p.starts_with(&format!("{pointer}/")));
        Some(if hidden {
            "[redacted]".to_owned()
        } else {
            s.chars().take(200).collect()
        })
    };
    let title = field("/metadata/title").filter(|t| t != "[redacted]");
    let owner = field("/spec/owner");
    let platform = if format == "parapet" {
        field("/spec/platform")
    } else if format == "unknown" {
        None
    } else {
        Some(format.to_owned())
    };
    let tier = report.app.tier.map(|t| t.as_str());
    let retire_by = field("/spec/review/retireBy");
    let lifecycle = match (retire_by, tier) {
        (Some(r), _) if r.as_str() < now.to_string().as_str() => "deprecated",
        (_, Some("sandbox")) | (_, None) => "experimental",
        _ => "production",
    };
    let mut tags = vec!["parapet".to_owned()];
    if let Some(p) = platform.as_deref().and_then(catalog_name) {
        if !tags.contains(&p) {
            tags.push(p);
        }
    }
    Some(Entity {
        name,
        title,
        verdict: report.verdict.as_str(),
        tier: tier.unwrap_or("unknown"),
        last_scanned: now.to_string(),
        tags,
        lifecycle,
        owner: owner_ref(owner.as_deref()),
    })
}

fn lookup<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        node = node.get(token)?;
    }
    Some(node)
}

/// A Backstage entity name: lower-case words of a-z0-9 joined by "-", at most 63 characters.
pub fn catalog_name(raw: &str) -> Option<String> {
    let mut s = String::new();
    let mut dash = false;
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.push(c);
        } else {
            dash = true;
        }
        if s.len() >= 63 {
            break;
        }
    }
    s.truncate(63);
    let s = s.trim_end_matches('-').to_owned();
    (!s.is_empty()).then_some(s)
}

/// An owner as an entity reference: `user:x`/`group:x` kept, an e-mail becomes `user:<local>`.
pub fn owner_ref(owner: Option<&str>) -> String {
    let Some(owner) = owner.filter(|o| *o != "[redacted]") else {
        return "unknown".to_owned();
    };
    for kind in ["user", "group"] {
        if let Some(rest) = owner.strip_prefix(kind).and_then(|r| r.strip_prefix(':')) {
            if !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            {
                return format!("{kind}:{}", rest.to_ascii_lowercase());
            }
        }
    }
    let (kind, local) = match owner.split_once('@') {
        Some((l, d)) if !l.is_empty() && !d.is_empty() && !d.contains('@') => ("user", l),
        _ => ("group", owner),
    };
    catalog_name(local).map_or_else(|| "unknown".to_owned(), |n| format!("{kind}:{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_backstage_names() {
        assert_eq!(
            catalog_name("HR approvals bot").as_deref(),
            Some("hr-approvals-bot")
        );
        assert_eq!(catalog_name("--x__y--").as_deref(), Some("x-y"));
        assert_eq!(catalog_name("!!!"), None);
        let long = "a".repeat(100);
        assert_eq!(catalog_name(&long).map(|s| s.len()), Some(63));
    }

    #[test]
    fn owners_become_entity_references() {
        assert_eq!(owner_ref(Some("group:Finance-Ops")), "group:finance-ops");
        assert_eq!(owner_ref(Some("jane.doe@corp.example")), "user:jane-doe");
        assert_eq!(owner_ref(Some("[redacted]")), "unknown");
        assert_eq!(owner_ref(None), "unknown");
        assert_eq!(owner_ref(Some("Platform Team")), "group:platform-team");
    }

    #[test]
    fn an_entity_from_a_manifest() {
        let text = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: hr-bot\n  title: \"HR \\\"bot\\\"\"\nspec:\n  tier: production\n  owner: group:people\n  platform: n8n\n  review: { lastReviewed: 2026-01-01, retireBy: 2026-06-01 }\n";
        let now = Date::parse("2026-11-30").expect("date");
        let report = Engine::default().evaluate(
            text,
            &EvaluateOptions {
                now: Some(now),
                ..EvaluateOptions::default()
            },
        );
        let e = entity_for(&report, text, "file", now).expect("entity");
        assert_eq!(e.name, "hr-bot");
        assert_eq!(e.title.as_deref(), Some("HR \"bot\""));
        assert_eq!(e.owner, "group:people");
        assert_eq!(e.lifecycle, "deprecated", "retired before now");
        assert_eq!(e.tags, vec!["parapet", "n8n"]);
        let y = e.to_yaml();
        assert!(y.contains("  title: \"HR \\\"bot\\\"\"\n"), "{y}");
        assert!(y.contains("    parapet.dev/tier: \"production\"\n"), "{y}");
    }
}
