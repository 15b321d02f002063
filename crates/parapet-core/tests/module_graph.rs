//! The engine's modules import one way: parse → (adapters) → model → walk → rules → report, with
//! leaves (`source`, `text`, `words`, `model`, ...) below them and no cycle anywhere. This test
//! reads `src/` and fails on a cycle between top-level modules, naming it.
//!
//! An edge is a `crate::<module>` path outside comments and `#[cfg(test)] mod tests` blocks
//! (tests may reach anywhere). `engine` and `lib` assemble everything and sit on top.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn top_module(rel: &Path) -> String {
    let first = rel.components().next().expect("a path under src");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

fn source_without_tests_and_comments(text: &str) -> String {
    let cut = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..cut]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = BTreeSet::new();
    for e in std::fs::read_dir(src).expect("src/") {
        let name = e.expect("entry").file_name().to_string_lossy().to_string();
        modules.insert(name.trim_end_matches(".rs").to_string());
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("dir") {
            let path = e.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if !name.ends_with(".rs") || name == "tests.rs" {
                continue;
            }
            let from = top_module(path.strip_prefix(src).expect("under src"));
            let text = std::fs::read_to_string(&path).expect("readable");
            let code = source_without_tests_and_comments(&text);
            let to = graph.entry(from.clone()).or_default();
            let mut rest = code.as_str();
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + 7..];
                // `crate::name` or `crate::{a, b::c}`
                let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    let end = group.find('}').unwrap_or(group.len());
                    group[..end]
                        .split(',')
                        .map(|s| s.trim().split("::").next().unwrap_or(""))
                        .collect()
                } else {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    vec![&rest[..end]]
                };
                for n in names {
                    if n != from && modules.contains(n) {
                        to.insert(n.to_string());
                    }
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one (depth-first search).
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn go(
        g: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in g.get(at).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if go(g, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    go(graph, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn the_modules_import_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = edges(&src);
    assert!(graph.len() > 15, "read the modules: {graph:?}");
    for m in graph.keys() {
        if let Some(c) = cycle_from(&graph, m) {
            panic!("import cycle: {}", c.join(" → "));
        }
    }
    // The direction the issue names: engine → rules → report, never back.
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            if m == to {
                return true;
            }
            if seen.insert(m.clone()) {
                todo.extend(graph.get(&m).into_iter().flatten().cloned());
            }
        }
        false
    };
    assert!(reaches("engine", "rules") && reaches("rules", "report"));
    for (from, to) in [
        ("report", "rules"),
        ("rules", "engine"),
        ("report", "engine"),
    ] {
        assert!(!reaches(from, to), "{from} must not import {to}");
    }
}

#[test]
fn the_graph_reader_sees_a_cycle() {
    // The reader itself: a two-module cycle is found and named.
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("policy".into()).or_default().insert("rules".into());
    g.entry("rules".into()).or_default().insert("policy".into());
    assert_eq!(
        cycle_from(&g, "policy").map(|c| c.join(" → ")),
        Some("policy → rules → policy".to_string())
    );
}
