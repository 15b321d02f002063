//! `parapet check`: exit codes, inputs, JSON output.

use std::process::Stdio;

use crate::common::{command, example, manifest_with_connector, parapet, root, run_in, write, NOW};

#[test]
fn exit_codes_follow_fail_on() {
    // (example, verdict, exit code for --fail-on warn / approval / deny)
    let cases = [
        ("production-payments-sync.yaml", "deny", [1, 1, 1]),
        ("controlled-hr-bot.yaml", "approval", [1, 1, 0]),
        ("controlled-expense-report.yaml", "warn", [1, 0, 0]),
        ("sandbox-prototype.yaml", "allow", [0, 0, 0]),
    ];
    for (file, verdict, codes) in cases {
        let path = example(file);
        let json = parapet(&["check", &path, "--now", NOW, "--format", "json"]).json();
        assert_eq!(json["verdict"], verdict, "{file}");
        for (fail_on, code) in ["warn", "approval", "deny"].into_iter().zip(codes) {
            let run = parapet(&["check", &path, "--now", NOW, "--fail-on", fail_on]);
            assert_eq!(
                run.code, code,
                "{file} --fail-on {fail_on}:\n{}",
                run.stdout
            );
        }
    }
    // The default threshold is `approval`.
    let run = parapet(&["check", &example("controlled-hr-bot.yaml"), "--now", NOW]);
    assert_eq!(run.code, 1);
    let run = parapet(&[
        "check",
        &example("controlled-expense-report.yaml"),
        "--now",
        NOW,
    ]);
    assert_eq!(run.code, 0);
}

#[test]
fn waived_findings_never_fail() {
    // The expense report's external connector is waived by SEC-1234: info, even at --fail-on warn
    // only the unwaived warn findings count.
    let run = parapet(&[
        "check",
        &example("controlled-expense-report.yaml"),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let findings = run.json()["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let waived: Vec<_> = findings
        .iter()
        .filter(|f| !f["waivedBy"].is_null())
        .collect();
    assert!(!waived.is_empty());
    assert!(waived.iter().all(|f| f["level"] == "info"));
    assert!(run.stdout.contains("SEC-1234"));
}

#[test]
fn usage_io_and_policy_errors_exit_2() {
    let run = parapet(&["check", "examples/no-such-file.yaml", "--now", NOW]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("examples/no-such-file.yaml"),
        "{}",
        run.stderr
    );

    // A missing path is an error even when other files are fine; those are still checked.
    let run = parapet(&[
        "check",
        "missing.yaml",
        &example("sandbox-prototype.yaml"),
        "--now",
        NOW,
    ]);
    assert_eq!(run.code, 2);
    assert!(run
        .stdout
        .contains("examples/sandbox-prototype.yaml: allow"));

    for bad in ["2026-02-30", "tomorrow", "2026-1-5"] {
        let run = parapet(&["check", &example("sandbox-prototype.yaml"), "--now", bad]);
        assert_eq!(run.code, 2, "--now {bad}");
        assert!(run.stderr.contains("--now"), "{}", run.stderr);
    }
    let run = parapet(&["check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    let run = parapet(&["check", "--fail-on", "info"]);
    assert_eq!(run.code, 2);
    let run = parapet(&["frobnicate"]);
    assert_eq!(run.code, 2);

    let dir = tempfile::tempdir().expect("temp dir");
    let pack = write(
        dir.path(),
        "pack.yaml",
        "apiVersion: parapet.dev/v1\nkind: PolicyPack\nrules:\n  config/cors-wildcard: sometimes\n",
    );
    let pack = pack.to_string_lossy().into_owned();
    let run = parapet(&[
        "check",
        &example("sandbox-prototype.yaml"),
        "--policy",
        &pack,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!("{pack}:4:")),
        "policy errors are FILE:LINE:COL: message\n{}",
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "nothing is checked under an invalid pack"
    );
    let run = parapet(&["check", "--policy", "no-such-pack.yaml"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_policy_pack_changes_the_outcome() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = write(
        dir.path(),
        "pack.yaml",
        "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: acme }\n\
         connectors:\n  business: [slack, workday]\n",
    );
    let pack = pack.to_string_lossy().into_owned();
    let hr = example("controlled-hr-bot.yaml");
    assert_eq!(parapet(&["check", &hr, "--now", NOW]).code, 1);
    let run = parapet(&[
        "check", &hr, "--now", NOW, "--policy", &pack, "--format", "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["policy"]["name"], "acme");
}

#[test]
fn json_is_deterministic_and_pretty() {
    let args = ["check", "examples", "--now", NOW, "--format", "json"];
    let first = parapet(&args);
    let second = parapet(&args);
    assert_eq!(first.stdout, second.stdout, "two runs are byte-identical");
    assert!(first.stdout.ends_with("}\n]\n"), "trailing newline");
    assert!(
        first.stdout.starts_with("[\n  {\n    \"file\": "),
        "two-space indent"
    );
}

#[test]
fn json_is_one_report_for_one_file_and_an_array_for_several() {
    let one = parapet(&[
        "check",
        &example("controlled-hr-bot.yaml"),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let report = one.json();
    assert!(report.is_object());
    assert_eq!(report["schema"], "parapet.dev/report/v1");
    assert_eq!(report["file"], "examples/controlled-hr-bot.yaml");
    assert_eq!(report["app"]["name"], "hr-approvals-bot");

    let two = parapet(&[
        "check",
        &example("controlled-hr-bot.yaml"),
        &example("sandbox-prototype.yaml"),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let files: Vec<String> = two
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["file"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "examples/controlled-hr-bot.yaml",
            "examples/sandbox-prototype.yaml"
        ]
    );

    // A directory is always an array, in sorted order.
    let dir = parapet(&["check", "examples", "--now", NOW, "--format", "json"]).json();
    let files: Vec<&str> = dir
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|r| r["file"].as_str())
        .collect();
    let mut sorted = files.clone();
    sorted.sort_unstable();
    assert_eq!(files, sorted);
    assert_eq!(files.len(), 5, "{files:?}");
}

#[test]
fn directories_are_searched_recursively_for_manifests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = manifest_with_connector("app");
    for name in [
        "b.yaml",
        "a.json",
        "nested/deeper/c.yml",
        "nested/d.YAML",
        "notes.txt",
        ".hidden/e.yaml",
        ".f.yaml",
        "node_modules/pkg/g.yaml",
        "target/h.yaml",
        "policy.yaml",
    ] {
        write(dir.path(), name, &app);
    }
    write(
        dir.path(),
        "policy.yaml",
        "apiVersion: parapet.dev/v1\nkind: PolicyPack\n",
    );
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--now",
            NOW,
            "--format",
            "json",
            "--policy",
            "policy.yaml",
        ],
        None,
    );
    let files: Vec<String> = run
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["file"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        files,
        ["a.json", "b.yaml", "nested/d.YAML", "nested/deeper/c.yml"],
        "sorted; hidden, node_modules, target, other extensions and the --policy file skipped"
    );
    // Named explicitly, a file is checked whatever its extension.
    let run = run_in(dir.path(), &["check", "notes.txt", "--now", NOW], None);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn an_empty_directory_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_in(dir.path(), &["check", "--now", NOW], None);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("no manifests"), "{}", run.stderr);
    let run = run_in(
        dir.path(),
        &["check", "--now", NOW, "--format", "json"],
        None,
    );
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn stdin_is_read_for_dash() {
    let text = std::fs::read(root().join("examples/controlled-hr-bot.yaml")).expect("example");
    let run = run_in(&root(), &["check", "-", "--now", NOW], Some(&text));
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(" --> <stdin>:27:7"), "{}", run.stdout);
    let run = run_in(
        &root(),
        &[
            "check",
            "-",
            "--now",
            NOW,
            "--format",
            "json",
            "--stdin-filename",
            "apps/hr.yaml",
        ],
        Some(&text),
    );
    assert_eq!(run.json()["file"], "apps/hr.yaml");
    let run = run_in(&root(), &["check", "-", "-"], Some(b""));
    assert_eq!(run.code, 2);
}

#[test]
fn bad_input_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "utf8.yaml",
        b"apiVersion: parapet.dev/v1\nkind: \xff\xfe\n",
    );
    write(dir.path(), "empty.yaml", b"");
    write(
        dir.path(),
        "binary.json",
        [0u8, 1, 2, 0x1b, b'[', b'3', b'1', b'm', 0xc3],
    );
    write(dir.path(), "syntax.json", "{\"a\": [1, 2,, }");
    write(
        dir.path(),
        "deep.yaml",
        "a: ".to_string() + &"[".repeat(5000),
    );
    write(
        dir.path(),
        "tabs.yaml",
        "apiVersion:\tparapet.dev/v1\nkind: MicroApp\n\tspec: x\n",
    );
    for format in ["text", "json", "sarif", "junit", "github"] {
        let run = run_in(
            dir.path(),
            &["check", ".", "--now", NOW, "--format", format],
            None,
        );
        assert_eq!(run.code, 1, "{format}:\n{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("manifest/syntax"), "{format}");
        // Raw control characters from the input never reach a terminal.
        if format == "text" {
            assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
        }
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let path = example("controlled-hr-bot.yaml");
    let plain = parapet(&["check", &path, "--now", NOW]);
    assert!(!plain.stdout.contains('\u{1b}'), "no colour into a pipe");
    let colour = parapet(&["check", &path, "--now", NOW, "--color", "always"]);
    assert!(
        colour.stdout.contains("\u{1b}[1;35m[approval]"),
        "{}",
        colour.stdout
    );
    let never = parapet(&["--color", "never", "check", &path, "--now", NOW]);
    assert_eq!(never.stdout, plain.stdout);
}

#[test]
fn text_ends_with_a_total_for_several_files() {
    let run = parapet(&["check", "examples", "--now", NOW]);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "Checked 5 files: 2 deny, 1 approval, 1 warn, 1 allow (3 files at or above approval)"
    );
    let one = parapet(&["check", &example("sandbox-prototype.yaml"), "--now", NOW]);
    assert_eq!(
        one.stdout,
        "examples/sandbox-prototype.yaml: allow (no findings)\n"
    );
}

#[test]
fn now_defaults_to_the_system_clock() {
    let run = parapet(&["check", &example("sandbox-prototype.yaml")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_closed_stdout_ends_quietly_with_the_real_exit_code() {
    let mut child = command(&root())
        .args(["check", "examples", "--now", NOW])
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take()); // like `| head -0`
    let out = child.wait_with_output().expect("finishes");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr.contains("error"),
        "a closed pipe is not an error: {stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn help_and_version() {
    let run = parapet(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("parapet {}", parapet_core::VERSION)
    );
    let run = parapet(&["check", "--help"]);
    assert_eq!(run.code, 0);
    for flag in ["--policy", "--format", "--fail-on", "--now"] {
        assert!(run.stdout.contains(flag), "{flag}");
    }
}

#[test]
fn escaped_connector_names_round_trip_in_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "app.yaml",
        manifest_with_connector(r#""a\"b\\c""#),
    );
    let run = run_in(
        dir.path(),
        &["check", "app.yaml", "--now", NOW, "--format", "json"],
        None,
    );
    let message = run.json()["findings"][0]["message"].clone();
    assert!(
        message.as_str().unwrap_or_default().contains(r#"a"b\c"#),
        "{message}"
    );
}
