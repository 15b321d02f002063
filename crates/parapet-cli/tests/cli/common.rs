//! Running the binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The date every test passes as `--now`, so dated rules are stable.
pub const NOW: &str = "2026-11-28";

/// The workspace root; tests run there so paths in output read `examples/...`.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn example(name: &str) -> String {
    format!("examples/{name}")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for "never printed" assertions.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parapet"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `parapet ARGS` in the workspace root.
pub fn parapet(args: &[&str]) -> Run {
    run_in(&root(), args, None)
}

pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = command(dir);
    cmd.args(args);
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("the parapet binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child
        .wait_with_output()
        .expect("the parapet binary finishes");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "parapet panicked on {args:?}:\n{}",
        run.stderr
    );
    run
}

/// A sandbox manifest whose only finding is `integration/external-connector` (deny) for a
/// connector named `connector`, which shows up in the finding's message.
pub fn manifest_with_connector(connector_yaml: &str) -> String {
    format!(
        r#"apiVersion: parapet.dev/v1
kind: MicroApp
metadata:
  name: escaping-test
spec:
  tier: sandbox
  owner: user:sam.lee
  platform: custom
  dataClassification: internal
  connectors:
    - name: {connector_yaml}
      type: saas
      service: veryfi
      auth: oauth2
  cost: {{ currency: USD, budgetMonthly: 5 }}
  export: {{ exportable: true, format: json }}
"#
    )
}

pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the parent directory");
    }
    std::fs::write(&path, text).expect("write a temporary file");
    path
}
