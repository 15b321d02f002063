//! What an outside probe tried against the CLI: hostile shapes stay linear and end in a clear
//! finding, a token used as the app name is never printed, and a directory walk says which
//! symbolic links it skipped.

use std::time::{Duration, Instant};

use crate::common::{run_in, write, NOW};

const TOKEN: [&str; 4] = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"];

fn wide_json(n: usize, as_keys: bool) -> String {
    let body: Vec<String> = (0..n)
        .map(|i| {
            if as_keys {
                format!("\"field{i:06}\": {i}")
            } else {
                format!("\"field{i:06}\", {i}")
            }
        })
        .collect();
    let settings = if as_keys {
        format!("{{{}}}", body.join(", "))
    } else {
        format!("{{\"list\": [{}]}}", body.join(", "))
    };
    format!("{{\"apiVersion\": \"parapet.dev/v1\", \"kind\": \"MicroApp\", \"metadata\": {{\"name\": \"wide\"}}, \"spec\": {{\"tier\": \"sandbox\", \"settings\": {settings}}}}}")
}

fn time_check(dir: &std::path::Path, file: &str) -> Duration {
    time_format(dir, file, "json")
}

fn time_format(dir: &std::path::Path, file: &str, format: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let run = run_in(
                dir,
                &["check", file, "--now", NOW, "--format", format],
                None,
            );
            let took = start.elapsed();
            assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
            assert!(!run.stdout.contains("manifest/syntax"), "{}", run.stdout);
            took
        })
        .min()
        .unwrap_or_default()
}

/// `n` connectors with a Slack token each, on one line (minified JSON) or one per line.
fn connectors_json(n: usize, newlines: bool) -> String {
    let connectors: Vec<String> = (0..n)
        .map(|i| {
            let token = [TOKEN[0], TOKEN[1], &format!("{:010}", 4_405_211_876 + i), TOKEN[3]].join("-");
            format!(r#"{{"name":"café {i}","service":"slack","url":"https://slack.com/api/{i}","headers":{{"Authorization":"Bearer {token}"}}}}"#)
        })
        .collect();
    let sep = if newlines { ",\n" } else { "," };
    format!(
        r#"{{"apiVersion":"parapet.dev/v1","kind":"MicroApp","metadata":{{"name":"one-line"}},"spec":{{"tier":"sandbox","connectors":[{}]}}}}"#,
        connectors.join(sep)
    )
}

#[test]
fn text_output_of_a_one_line_document_takes_about_as_long_as_on_many_lines() {
    // Each finding's code frame read its whole line, checking every secret of the file per
    // character: on minified JSON, cubic (seconds at 200 connectors in a debug build; over two
    // minutes at 2,000).
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "one.json", connectors_json(200, false));
    write(dir.path(), "many.json", connectors_json(200, true));
    let run = run_in(dir.path(), &["check", "one.json", "--now", NOW], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout.matches("secrets/plaintext-secret").count(), 200);
    assert!(!run.stdout.contains(TOKEN[3]), "a token is printed");
    let _ = time_format(dir.path(), "many.json", "text");
    let many = time_format(dir.path(), "many.json", "text");
    let one = time_format(dir.path(), "one.json", "text");
    let ratio = one.as_secs_f64() / many.as_secs_f64().max(1e-6);
    eprintln!("CLI text: one line {one:?} vs many lines {many:?}: ratio {ratio:.2}");
    assert!(ratio < 5.0, "ratio {ratio:.1} ({one:?} vs {many:?})");
}

#[test]
fn many_keys_take_about_as_long_as_a_list_of_the_same_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "keys.json", wide_json(15_000, true));
    write(dir.path(), "list.json", wide_json(15_000, false));
    let _ = time_check(dir.path(), "list.json");
    let list = time_check(dir.path(), "list.json");
    let keys = time_check(dir.path(), "keys.json");
    let ratio = keys.as_secs_f64() / list.as_secs_f64().max(1e-6);
    eprintln!("CLI: 15000 keys {keys:?} vs list {list:?}: ratio {ratio:.2}");
    assert!(ratio < 5.0, "ratio {ratio:.1} ({keys:?} vs {list:?})");
}

#[test]
fn hostile_shapes_end_in_a_clear_syntax_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        ("deep.json", "[".repeat(100_000), "nesting is deeper than"),
        ("deep.yaml", "- ".repeat(100_000), "nesting is deeper than"),
        ("keys.json", wide_json(20_001, true), "more than 20000 keys"),
        (
            "many.yaml",
            format!("[{}0]", "0, ".repeat(200_010)),
            "more than 200000 values",
        ),
    ];
    for (name, text, expected) in cases {
        write(dir.path(), name, text);
        let run = run_in(
            dir.path(),
            &["check", name, "--now", NOW, "--format", "json"],
            None,
        );
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let json = run.json();
        let f = &json["findings"][0];
        assert_eq!(f["rule"], "manifest/syntax", "{name}");
        let message = f["message"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{name}: {message}");
    }
}

#[test]
fn a_token_used_as_the_app_name_is_never_printed() {
    let token = TOKEN.join("-");
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "leak.yaml",
        format!("apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: \"{token}\"\nspec:\n  tier: sandbox\n  owner: team:x\n"),
    );
    for format in ["json", "text", "sarif", "junit"] {
        let run = run_in(
            dir.path(),
            &["check", "leak.yaml", "--now", NOW, "--format", format],
            None,
        );
        assert!(
            !run.all().contains(&token),
            "--format {format} printed the token:\n{}",
            run.all()
        );
    }
    let run = run_in(
        dir.path(),
        &["check", "leak.yaml", "--now", NOW, "--format", "json"],
        None,
    );
    let name = run.json()["app"]["name"].as_str().map(str::to_string);
    assert!(
        name.is_some_and(|n| n.starts_with("xoxb")),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_directory_walk_names_the_symbolic_links_it_skips() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(
        d,
        "apps/good.yaml",
        "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: good }\nspec: { tier: sandbox, owner: team:x }\n",
    );
    symlink(d.join("apps/missing.yaml"), d.join("apps/dangling.yaml")).expect("symlink");
    symlink(d.join("apps/loop-b.yaml"), d.join("apps/loop-a.yaml")).expect("symlink");
    symlink(d.join("apps/loop-a.yaml"), d.join("apps/loop-b.yaml")).expect("symlink");
    let run = run_in(
        d,
        &["check", "apps", "--now", NOW, "--format", "json"],
        None,
    );
    assert!(
        run.stdout.contains("good"),
        "the real file is checked: {}",
        run.stdout
    );
    for name in ["dangling.yaml", "loop-a.yaml", "loop-b.yaml"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains("warning") && l.contains(name) && l.contains("skipped")),
            "{name} not named on stderr:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(
        run.stderr.to_lowercase().contains("symbolic links"),
        "the loop is named: {}",
        run.stderr
    );
}
