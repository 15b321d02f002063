//! The repository stands alone: a fresh clone has nothing beside it, so no file in it may read,
//! link or mention the development machine's shared reference directory. Everything the tests
//! need is in the repository (the corpus is `tests/corpus/`, the contracts are `docs/`).

use std::path::{Path, PathBuf};

/// Built from pieces so that this file does not match itself.
fn needles() -> Vec<String> {
    let shared = ["sha", "red"].concat();
    vec![
        format!("../{shared}"),
        format!("{shared}/corpus"),
        format!("{shared}/DESIGN"),
        format!("/work/{shared}"),
    ]
}

/// Generated, installed or local-only directories, never committed.
const SKIP_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "pkg",
    "dist",
    "data",
    "test-results",
];

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let hidden = name.starts_with('.') && name != ".github";
                if !hidden && !SKIP_DIRS.contains(&name.as_str()) {
                    dirs.push(path);
                }
            } else if kind.is_file() || kind.is_symlink() {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn nothing_in_the_repository_refers_to_the_shared_directory_outside_it() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let needles = needles();
    let all = files(root);
    assert!(
        all.iter().any(|p| p.ends_with("README.md")) && all.len() > 100,
        "the walk found the repository ({} files)",
        all.len()
    );
    let mut hits = Vec::new();
    for path in &all {
        // A symlink that points outside the repository is a reference too.
        if let Ok(target) = std::fs::read_link(path) {
            let target = target.to_string_lossy().into_owned();
            if needles.iter().any(|n| target.contains(n.as_str())) {
                hits.push(format!("{} -> {target}", path.display()));
            }
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        for needle in &needles {
            let n = needle.as_bytes();
            if let Some(at) = bytes.windows(n.len()).position(|w| w == n) {
                let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
                let rel = path.strip_prefix(root).unwrap_or(path);
                hits.push(format!("{}:{line}: {needle}", rel.display()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "files that refer outside the repository (a fresh clone has nothing there):\n{}",
        hits.join("\n")
    );
}
