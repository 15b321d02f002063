//! Sidecar manifests (`spec.source`): the CLI reads the export beside the manifest and shows
//! each finding at the file it is in. Fixtures: `tests/sidecar/`.

use crate::common::{parapet, root, run_in, NOW};

const LINE_BOT: &str = "tests/sidecar/line-bot/parapet.yaml";

#[test]
fn text_output_frames_export_findings_in_the_export() {
    let run = parapet(&["check", LINE_BOT, "--now", NOW, "--tier", "production"]);
    assert_eq!(run.code, 1, "{}", run.all());
    // The sidecar's tier (sandbox) beats --tier production: the open webhook is a warning.
    assert!(
        run.stdout
            .contains("config/unauthenticated-trigger [warn] public webhook trigger \"Receive a Line Webhook\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("--> tests/sidecar/line-bot/flow.json:25:7"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("25 |       \"name\": \"Receive a Line Webhook\","),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("--> tests/sidecar/line-bot/parapet.yaml:6:1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("6 | spec:"), "{}", run.stdout);
}

#[test]
fn json_and_sarif_name_the_file_of_each_finding() {
    let json = parapet(&["check", LINE_BOT, "--now", NOW, "--format", "json"]).json();
    assert_eq!(json["app"]["tier"], "sandbox");
    assert_eq!(json["input"]["format"], "parapet");
    assert_eq!(json["input"]["source"]["format"], "n8n");
    assert_eq!(json["input"]["source"]["path"], "flow.json");
    let findings = json["findings"].as_array().expect("findings");
    let trigger = findings
        .iter()
        .find(|f| f["rule"] == "config/unauthenticated-trigger")
        .expect("trigger finding");
    assert_eq!(trigger["file"], "flow.json");
    assert_eq!(trigger["node"]["name"], "Receive a Line Webhook");
    assert!(findings
        .iter()
        .filter(|f| f["path"] == "/spec")
        .all(|f| f.get("file").is_none()));

    let sarif = parapet(&["check", LINE_BOT, "--now", NOW, "--format", "sarif"]).json();
    let run = &sarif["runs"][0];
    let uris: Vec<&str> = run["artifacts"]
        .as_array()
        .expect("as set up")
        .iter()
        .map(|a| a["location"]["uri"].as_str().expect("as set up"))
        .collect();
    assert_eq!(
        uris,
        [
            "tests/sidecar/line-bot/parapet.yaml",
            "tests/sidecar/line-bot/flow.json"
        ]
    );
    for r in run["results"].as_array().expect("as set up") {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("as set up");
        let index = loc["artifactLocation"]["index"]
            .as_u64()
            .expect("as set up");
        assert_eq!(uri, uris[index as usize]);
        let want = if r["ruleId"] == "config/unauthenticated-trigger"
            || r["ruleId"] == "integration/external-connector"
        {
            "tests/sidecar/line-bot/flow.json"
        } else {
            "tests/sidecar/line-bot/parapet.yaml"
        };
        assert_eq!(uri, want, "{r}");
    }
    let gh = parapet(&["check", LINE_BOT, "--now", NOW, "--format", "github"]);
    assert!(gh
        .stdout
        .contains("file=tests/sidecar/line-bot/flow.json,line=25,col=7"));
}

#[test]
fn a_directory_walk_checks_the_export_once_through_its_sidecar() {
    let json = parapet(&[
        "check",
        "tests/sidecar/line-bot",
        "--now",
        NOW,
        "--format",
        "json",
    ])
    .json();
    let files: Vec<&str> = json
        .as_array()
        .expect("an array of reports")
        .iter()
        .map(|r| r["file"].as_str().expect("as set up"))
        .collect();
    assert_eq!(files, ["tests/sidecar/line-bot/parapet.yaml"]);
    // On its own, the export is still checked.
    let json = parapet(&[
        "check",
        "tests/sidecar/line-bot/flow.json",
        "--now",
        NOW,
        "--format",
        "json",
    ])
    .json();
    assert_eq!(json["input"]["format"], "n8n");
}

#[test]
fn a_missing_export_is_a_finding_naming_the_path() {
    let run = parapet(&["check", "tests/sidecar/missing/parapet.yaml", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains(
        "manifest/schema [deny] spec.source.path: the export flow.json cannot be read: tests/sidecar/missing/flow.json does not exist"
    ), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("--> tests/sidecar/missing/parapet.yaml:10:11"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_format_is_a_schema_finding() {
    let json = parapet(&[
        "check",
        "tests/sidecar/wrong-format/parapet.yaml",
        "--now",
        NOW,
        "--format",
        "json",
    ])
    .json();
    let schema: Vec<_> = json["findings"]
        .as_array()
        .expect("as set up")
        .iter()
        .filter(|f| f["rule"] == "manifest/schema")
        .collect();
    assert_eq!(schema.len(), 1, "{json}");
    assert_eq!(schema[0]["path"], "/spec/source/format");
    assert!(schema[0].get("file").is_none());
}

#[cfg(unix)]
#[test]
fn a_symlinked_export_is_not_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = std::fs::read_to_string(root().join(LINE_BOT)).expect("as set up");
    std::fs::write(dir.path().join("parapet.yaml"), manifest).expect("as set up");
    std::os::unix::fs::symlink(
        root().join("tests/sidecar/line-bot/flow.json"),
        dir.path().join("flow.json"),
    )
    .expect("as set up");
    let run = run_in(dir.path(), &["check", "parapet.yaml", "--now", NOW], None);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout
            .contains("flow.json is a symbolic link (not followed)"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("unauthenticated-trigger"),
        "{}",
        run.stdout
    );
    // A path up and out of the manifest's directory to a regular file is read.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("as set up");
    std::fs::copy(
        root().join("tests/sidecar/line-bot/flow.json"),
        dir.path().join("real.json"),
    )
    .expect("as set up");
    let up = std::fs::read_to_string(root().join(LINE_BOT))
        .expect("as set up")
        .replace("path: flow.json", "path: ../real.json");
    std::fs::write(sub.join("parapet.yaml"), up).expect("as set up");
    let run = run_in(
        dir.path(),
        &["check", "sub/parapet.yaml", "--now", NOW],
        None,
    );
    assert!(
        run.stdout.contains("--> sub/../real.json:25:7"),
        "{}",
        run.stdout
    );
}

#[test]
fn secrets_are_masked_in_the_frame_of_the_file_they_are_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        root().join("tests/corpus/n8n/perplexity-inline-bearer-key.json"),
        dir.path().join("flow.json"),
    )
    .expect("copy");
    // A token in the sidecar itself (built here, not a real one).
    let token = format!("ghp_{}", "0123456789abcdefghijklmnopqrstuvwxyzAB");
    let manifest = std::fs::read_to_string(root().join(LINE_BOT)).expect("fixture")
        + &format!("  settings:\n    token: {token}\n");
    std::fs::write(dir.path().join("parapet.yaml"), manifest).expect("write");
    let run = run_in(dir.path(), &["check", "parapet.yaml", "--now", NOW], None);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(!run.all().contains(&token));
    assert!(
        !run.all().contains("pplx-iQFU"),
        "the export's key is never shown"
    );
    assert!(
        run.stdout.contains("--> parapet.yaml:13:12"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("13 |     token: ****"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--> flow.json:49:24"), "{}", run.stdout);
    assert!(
        run.stdout.contains("49 |         \"jsonHeaders\": ****"),
        "{}",
        run.stdout
    );
}
