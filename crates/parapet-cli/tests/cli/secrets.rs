//! A detected secret never appears in full in any output: messages are redacted by the engine,
//! and code frames mask the source line.

use parapet_core::unstable::secrets::SecretScanner;

use crate::common::{root, run_in, write, NOW};

/// Token-looking words in `text` that start with one of `prefixes`.
fn tokens(text: &str, prefixes: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for p in prefixes {
        let mut rest = text;
        while let Some(i) = rest.find(p) {
            let token: String = rest[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '+'))
                .collect();
            found.push(token);
            rest = &rest[i + p.len()..];
        }
    }
    found
}

const PREFIXES: [&str; 4] = ["xoxb-", "ghp_", "AKIA", "sk_live_"];

#[test]
fn no_format_ever_prints_a_full_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let payments = std::fs::read_to_string(root().join("examples/production-payments-sync.yaml"))
        .expect("the example");
    write(dir.path(), "payments.yaml", &payments);
    // More fake credentials, some on lines that other findings point at.
    let more = payments.replace(
        "  permissions:\n",
        "  settings:\n    github: ghp_R4nd0mLooking0Token1234567890abcdEF12\n    \
         aws: \"AKIAZ7QW3ERT5YUI9OPL\"\n    stripe: sk_live_51HxYzAbCdEfGhIjKlMnOpQr\n  permissions:\n",
    );
    write(dir.path(), "more.yaml", &more);
    let secrets = tokens(&more, &PREFIXES);
    assert!(secrets.len() >= 4, "{secrets:?}");
    assert!(
        secrets.iter().any(|s| s.starts_with("xoxb-2048-")),
        "{secrets:?}"
    );

    let detects = !SecretScanner::kinds().is_empty();
    if detects {
        let run = run_in(
            dir.path(),
            &["check", "payments.yaml", "--now", NOW, "--format", "json"],
            None,
        );
        let found = run.json()["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["rule"] == "secrets/plaintext-secret")
            .count();
        assert!(found >= 1, "the Slack token is detected:\n{}", run.stdout);
    }
    for format in ["text", "json", "sarif", "junit", "github"] {
        for color in ["never", "always"] {
            let run = run_in(
                dir.path(),
                &[
                    "check", ".", "--now", NOW, "--format", format, "--color", color,
                ],
                None,
            );
            assert_eq!(run.code, 1);
            let all = run.all();
            for secret in &secrets {
                assert!(
                    !all.contains(secret.as_str()),
                    "{format} printed {secret}:\n{all}"
                );
            }
            if detects && format == "text" {
                // The secret's own code frame shows its line, masked.
                assert!(all.contains("Authorization: \"Bearer ****"), "{all}");
            }
        }
    }
}
