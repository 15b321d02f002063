#!/usr/bin/env node
// The widget's test suite: its Rust unit tests (native), then the package built with the widget
// (scripts/build-wasm.mjs: pkg/widget.js, skipped when up to date), then the browser tests in
// tests/widget/ (node:test, Debian Chromium through playwright-core, the real edge worker on
// workerd for approvals). Screenshots go to test-results/ (git-ignored).
//
//   node scripts/test-widget.mjs                 everything
//   node scripts/test-widget.mjs --browser-only  skip the Rust unit tests
//
// PARAPET_WIDGET_PKG=DIR tests a package built elsewhere (it is not rebuilt then).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const browserOnly = process.argv.includes("--browser-only");
const env = {
  ...process.env,
  PATH: [join(root, "node_modules/.bin"), join(process.env.HOME ?? "", ".cargo/bin"), process.env.PATH].join(":"),
};

function step(name, cmd, args, timeoutMs) {
  console.error(`\n== widget: ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit", timeout: timeoutMs, killSignal: "SIGKILL" });
  if (r.status !== 0) {
    console.error(`== widget: ${name} FAILED (${r.status ?? r.signal ?? r.error?.message})`);
    process.exit(1);
  }
}

if (!browserOnly) step("rust unit tests", "cargo", ["test", "--locked", "-p", "parapet-widget"], 900_000);
if (!process.env.PARAPET_WIDGET_PKG) step("the package (pkg/, its widget entry)", "node", [join(root, "scripts/build-wasm.mjs")], 900_000);
step("browser tests", "node", ["--test", "--test-concurrency=1", "--test-timeout=120000", join(root, "tests/widget/")], 600_000);
