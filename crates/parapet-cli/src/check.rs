//! `parapet check`: find the manifests, read them, evaluate each, render, pick the exit code.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use parapet_core::{Date, Engine, EvaluateOptions, InputFormat};

use crate::cli::{CheckArgs, CheckFormat, ColorChoice};
use crate::out::{self, Out};
use crate::render::{self, CheckedFile, Context, SourceFile, Tally};
use crate::style::Style;
use crate::Exit;

/// Extensions searched for in directories.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];
/// Directories never searched (besides hidden ones).
const SKIPPED_DIRS: [&str; 2] = ["node_modules", "target"];
/// Deepest directory nesting searched (guards against pathological trees).
const MAX_WALK_DEPTH: usize = 64;
/// Most bytes read from one input. The engine rejects anything over its own (smaller) limit
/// as a finding; this only keeps a huge file from being read into memory whole.
const READ_CAP: u64 = 64 * 1024 * 1024;
/// Show a progress bar (on a terminal) from this many files on.
const PROGRESS_FROM: usize = 21;

/// Where an input comes from.
enum Input {
    Stdin,
    File(PathBuf),
}

struct Discovered {
    inputs: Vec<(String, Input)>,
    errors: Vec<String>,
    /// Entries skipped while walking a directory that the user should hear about (broken or
    /// looping symbolic links); printed on stderr, the exit code is unchanged.
    warnings: Vec<String>,
    /// Exactly one file (or `-`) was named: JSON prints one object rather than an array.
    single: bool,
}

pub fn run(args: CheckArgs, color: ColorChoice) -> Exit {
    let engine = match &args.policy {
        Some(path) => match load_policy(path) {
            Ok(engine) => engine,
            Err(exit) => return exit,
        },
        None => Engine::default(),
    };
    let now = args.now.unwrap_or_else(today);
    let fail_on = args.fail_on.level();
    let discovered = discover(&args);
    for w in &discovered.warnings {
        out::warning(w);
    }
    for e in &discovered.errors {
        out::error(e);
    }
    let mut errors = discovered.errors;
    if discovered.inputs.is_empty() && errors.is_empty() {
        out::warning("no manifests (*.yaml, *.yml, *.json) found under the given paths");
    }

    let style = Style::for_stdout(color);
    let ctx = Context {
        engine: &engine,
        fail_on,
    };
    let options = EvaluateOptions {
        now: Some(now),
        tier: args.tier.map(crate::cli::TierArg::tier),
        ..EvaluateOptions::default()
    };
    let mut stdout = Out::stdout();
    let mut progress = Progress::new(discovered.inputs.len());
    let mut files: Vec<CheckedFile> = Vec::new();
    let mut tally = Tally::default();
    let mut failed = false;
    // Exports named by a sidecar manifest in this run are checked through the sidecar only,
    // not a second time on their own (with another tier and owner).
    let claimed = if discovered.inputs.len() > 1 {
        claimed_exports(&engine, &discovered.inputs, &options)
    } else {
        std::collections::HashSet::new()
    };
    for (i, (display, input)) in discovered.inputs.into_iter().enumerate() {
        progress.show(i);
        if let Input::File(p) = &input {
            if !claimed.is_empty() && fs::canonicalize(p).is_ok_and(|c| claimed.contains(&c)) {
                continue;
            }
        }
        let bytes = match read_input(&input) {
            Ok(b) => b,
            Err(e) => {
                let message = format!("cannot read {display}: {e}");
                progress.clear();
                out::error(&message);
                errors.push(message);
                continue;
            }
        };
        let format = match &input {
            Input::File(p) => format_of(p),
            Input::Stdin => InputFormat::Auto,
        };
        let opts = EvaluateOptions {
            format,
            ..options.clone()
        };
        let text_mode = args.format == CheckFormat::Text;
        // A sidecar manifest (`spec.source`): read the export it names, relative to it.
        let sidecar = match (&input, std::str::from_utf8(&bytes)) {
            (Input::File(p), Ok(t)) if t.contains("source") => engine
                .sidecar_source(t, &opts)
                .map(|(_, rel)| (p.clone(), t, rel)),
            _ => None,
        };
        let (report, source) = match sidecar {
            Some((manifest_path, t, rel)) => {
                let export_path = manifest_path.parent().unwrap_or(Path::new("")).join(&rel);
                let read = read_export(&export_path);
                let report =
                    engine.evaluate_with_source(t, read.as_deref().map_err(Clone::clone), &opts);
                let source = SourceFile {
                    path: display_path(&export_path),
                    text: read.ok().filter(|_| text_mode),
                };
                (report, Some(source))
            }
            None => (engine.evaluate_bytes(&bytes, &opts), None),
        };
        let text = text_mode.then(|| String::from_utf8_lossy(&bytes).into_owned());
        let file = CheckedFile {
            path: display,
            text,
            report,
            source,
        };
        failed |= file.fails(fail_on);
        tally.add(&file, fail_on);
        match args.format {
            CheckFormat::Text => {
                let mut s = String::new();
                if tally.files > 1 {
                    s.push('\n');
                }
                render::text::file(&mut s, &file, style);
                progress.clear();
                stdout.write(&s);
                stdout.flush();
            }
            CheckFormat::Github => {
                let mut s = String::new();
                render::github::render(&mut s, &file, fail_on);
                progress.clear();
                stdout.write(&s);
            }
            CheckFormat::Json | CheckFormat::Sarif | CheckFormat::Junit => files.push(file),
        }
    }
    progress.clear();

    match args.format {
        CheckFormat::Text => {
            if tally.files > 1 {
                let mut s = String::from("\n");
                render::text::total(&mut s, &tally, fail_on, style);
                stdout.write(&s);
            }
        }
        CheckFormat::Github => {}
        CheckFormat::Json => stdout.write(&render::json::render(&files, discovered.single)),
        CheckFormat::Sarif => stdout.write(&render::sarif::render(&files, &errors, &ctx)),
        CheckFormat::Junit => stdout.write(&render::junit::render(&files, &ctx)),
    }
    if let Err(e) = stdout.finish() {
        out::error(&format!("cannot write the output: {e}"));
        return Exit::Error;
    }
    if !errors.is_empty() {
        Exit::Error
    } else if failed {
        Exit::Fail
    } else {
        Exit::Ok
    }
}

/// Reads and compiles a policy pack, printing its errors as FILE:LINE:COL: message.
pub fn load_policy(path: &Path) -> Result<Engine, Exit> {
    let shown = path.display().to_string();
    let text = match read_policy_text(path) {
        Ok(t) => t,
        Err(e) => {
            out::error(&format!("cannot read the policy pack {shown}: {e}"));
            return Err(Exit::Error);
        }
    };
    Engine::from_policy_text(&text).map_err(|errs| {
        print_policy_errors(&shown, &errs);
        Exit::Error
    })
}

pub fn read_policy_text(path: &Path) -> io::Result<String> {
    let bytes = if path.as_os_str() == "-" {
        read_capped(io::stdin().lock())?
    } else {
        read_capped(fs::File::open(path)?)?
    };
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

pub fn print_policy_errors(file: &str, errors: &[parapet_core::PolicyError]) {
    let mut err = io::stderr().lock();
    for e in errors {
        let _ = writeln!(
            err,
            "{}:{}:{}: {}",
            crate::frame::printable(file),
            e.line,
            e.column,
            crate::frame::printable(&e.message)
        );
    }
    let _ = writeln!(
        err,
        "parapet: error: invalid policy pack {} ({})",
        crate::frame::printable(file),
        crate::render::plural(errors.len(), "error", "errors")
    );
}

/// Today in UTC, from the system clock.
fn today() -> Date {
    let secs = match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    Date::from_days(secs.div_euclid(86_400))
}

fn discover(args: &CheckArgs) -> Discovered {
    let mut d = Discovered {
        inputs: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        single: false,
    };
    let dot = [PathBuf::from(".")];
    let paths: &[PathBuf] = if args.paths.is_empty() {
        &dot
    } else {
        &args.paths
    };
    // The policy file is not a manifest: keep it out of directory searches.
    let policy = args
        .policy
        .as_deref()
        .and_then(|p| fs::canonicalize(p).ok());
    let mut stdin_seen = false;
    let mut seen = std::collections::BTreeSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if stdin_seen {
                d.errors
                    .push("standard input (`-`) named twice".to_string());
                continue;
            }
            stdin_seen = true;
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".to_string());
            d.inputs.push((name, Input::Stdin));
            d.single = paths.len() == 1;
            continue;
        }
        match fs::metadata(path) {
            Err(e) => d.errors.push(format!("{}: {e}", path.display())),
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                walk(
                    path,
                    0,
                    policy.as_deref(),
                    &mut found,
                    &mut d.errors,
                    &mut d.warnings,
                );
                for f in found {
                    let shown = display(&f);
                    if seen.insert(shown.clone()) {
                        d.inputs.push((shown, Input::File(f)));
                    }
                }
            }
            Ok(_) => {
                let shown = display(path);
                if seen.insert(shown.clone()) {
                    d.inputs.push((shown, Input::File(path.clone())));
                }
                d.single = paths.len() == 1;
            }
        }
    }
    d
}

/// Collects manifest files under `dir` in a deterministic (sorted) order. Hidden entries,
/// `node_modules` and `target` are skipped; symbolic links to directories are not followed.
/// Symbolic links that lead nowhere or in a loop are skipped with a warning.
fn walk(
    dir: &Path,
    depth: usize,
    policy: Option<&Path>,
    found: &mut Vec<PathBuf>,
    errors: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    let mut entries: Vec<fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !SKIPPED_DIRS.iter().any(|s| name == OsStr::new(s)) {
                walk(&path, depth + 1, policy, found, errors, warnings);
            }
            continue;
        }
        if kind.is_symlink() {
            match fs::metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    warnings.push(format!(
                        "{}: skipped: a symbolic link to nothing (its target does not exist)",
                        path.display()
                    ));
                    continue;
                }
                Err(e) => {
                    // ELOOP ("too many levels of symbolic links") and the like.
                    warnings.push(format!(
                        "{}: skipped: cannot follow the symbolic link ({e})",
                        path.display()
                    ));
                    continue;
                }
                Ok(meta) if meta.is_dir() => {
                    warnings.push(format!(
                        "{}: skipped: a symbolic link to a directory (not followed)",
                        path.display()
                    ));
                    continue;
                }
                Ok(_) => {}
            }
        }
        let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
        if !is_file || !has_manifest_extension(&path) {
            continue;
        }
        if policy.is_some() && fs::canonicalize(&path).ok().as_deref() == policy {
            continue;
        }
        found.push(path);
    }
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// How to read a file: by its extension (`InputFormat::from_extension`).
pub(crate) fn format_of(path: &Path) -> InputFormat {
    InputFormat::from_extension(path.extension().and_then(OsStr::to_str))
}

/// The path as shown: as given, without a leading `./`.
fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    let mut s: &str = &s;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.trim_start_matches('/');
    }
    s.to_string()
}

/// The exports (canonical paths) that the sidecar manifests among `inputs` name.
fn claimed_exports(
    engine: &Engine,
    inputs: &[(String, Input)],
    options: &EvaluateOptions,
) -> std::collections::HashSet<PathBuf> {
    let mut claimed = std::collections::HashSet::new();
    for (_, input) in inputs {
        let Input::File(p) = input else { continue };
        let Ok(bytes) = read_input(input) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if !text.contains("source") {
            continue;
        }
        if let Some((_, rel)) = engine.sidecar_source(text, options) {
            let export = p.parent().unwrap_or(Path::new("")).join(rel);
            if let Ok(c) = fs::canonicalize(export) {
                claimed.insert(c);
            }
        }
    }
    claimed
}

/// The path as shown, for a path built by joining (lossy, without a leading `./`).
fn display_path(path: &Path) -> String {
    display(path)
}

/// Reads a sidecar's vendor export: a regular file only (a symbolic link is not followed, so
/// a manifest cannot point the check at a file elsewhere by a link), at most [`READ_CAP`]
/// bytes, UTF-8. The error is the reason in words, for a finding on `spec.source.path`.
fn read_export(path: &Path) -> Result<String, String> {
    let meta = fs::symlink_metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => format!("{} does not exist", display(path)),
        _ => format!("{}: {e}", display(path)),
    })?;
    if meta.file_type().is_symlink() {
        return Err(format!(
            "{} is a symbolic link (not followed)",
            display(path)
        ));
    }
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", display(path)));
    }
    let bytes = fs::File::open(path)
        .and_then(read_capped)
        .map_err(|e| format!("{}: {e}", display(path)))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not valid UTF-8 (invalid byte at offset {})",
            display(path),
            e.utf8_error().valid_up_to()
        )
    })
}

fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    match input {
        Input::Stdin => read_capped(io::stdin().lock()),
        Input::File(p) => read_capped(fs::File::open(p)?),
    }
}

fn read_capped(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader.take(READ_CAP).read_to_end(&mut buf)?;
    Ok(buf)
}

/// `[=====>    ] 12/40 files` on stderr while many files are checked on a terminal.
struct Progress {
    total: usize,
    enabled: bool,
    drawn: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            total,
            enabled: total >= PROGRESS_FROM && io::stderr().is_terminal(),
            drawn: false,
        }
    }

    fn show(&mut self, done: usize) {
        if !self.enabled {
            return;
        }
        const WIDTH: usize = 30;
        let filled = WIDTH * done / self.total.max(1);
        let bar = if filled == 0 {
            " ".repeat(WIDTH)
        } else {
            format!("{}>{}", "=".repeat(filled - 1), " ".repeat(WIDTH - filled))
        };
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r[{bar}] {done}/{} files", self.total);
        let _ = err.flush();
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_drop_a_leading_dot_slash() {
        assert_eq!(display(Path::new("./examples/a.yaml")), "examples/a.yaml");
        assert_eq!(display(Path::new(".//a.yaml")), "a.yaml");
        assert_eq!(display(Path::new("../a.yaml")), "../a.yaml");
    }

    #[test]
    fn today_comes_from_the_clock() {
        assert!(today() >= Date::parse("2024-01-01").unwrap_or(Date::from_days(0)));
    }
}
