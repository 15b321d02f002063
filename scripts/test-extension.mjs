#!/usr/bin/env node
// The browser extension's suite: the package with the widget and dist/extension
// (scripts/build-extension.mjs), then tests/extension/ (node:test): the message protocol, the
// built manifest, and the extension in a real Node-RED editor (npm node-red, pinned) in Debian
// Chromium through playwright-core, with the real edge worker (workerd) for approvals.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = {
  ...process.env,
  PATH: [join(root, "node_modules/.bin"), join(process.env.HOME ?? "", ".cargo/bin"), process.env.PATH].join(":"),
};

function step(name, cmd, args, timeoutMs) {
  console.error(`\n== extension: ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit", timeout: timeoutMs, killSignal: "SIGKILL" });
  if (r.status !== 0) {
    console.error(`== extension: ${name} FAILED (${r.status ?? r.signal ?? r.error?.message})`);
    process.exit(1);
  }
}

step("build (package with the widget, dist/extension)", "node", [join(root, "scripts/build-extension.mjs")], 900_000);
step("tests", "node", ["--test", "--test-concurrency=1", "--test-timeout=180000", join(root, "tests/extension/")], 600_000);
