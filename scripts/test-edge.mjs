#!/usr/bin/env node
// Runs the edge worker's tests (tests/edge/*.test.mjs) against real workerd processes.
// Builds what they need first: npm dev dependencies, the wasm package, the CLI (the reference the
// edge's reports are compared with). Bounded: every test has a timeout and the whole run stops
// after PARAPET_EDGE_TEST_TIMEOUT_S seconds (default 600).

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { packageFiles, ROOT } from "../www/edge/config.mjs";

function step(cmd, argv) {
  process.stderr.write(`test-edge: ${cmd} ${argv.join(" ")}\n`);
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`test-edge: ${cmd} failed (${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

if (!existsSync(join(ROOT, "node_modules/workerd"))) {
  step("npm", existsSync(join(ROOT, "package-lock.json")) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
}
try {
  packageFiles();
} catch {
  step("npm", ["run", "build"]);
}
// Incremental: quick when nothing changed, and never compares against a stale CLI.
step("cargo", ["build", "--quiet", "-p", "parapet-cli"]);

const dir = join(ROOT, "tests/edge");
const files = readdirSync(dir).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => join(dir, f));
const limitS = Number(process.env.PARAPET_EDGE_TEST_TIMEOUT_S ?? 600);

rmSync(join(ROOT, ".data/edge-test"), { recursive: true, force: true });
const child = spawn(process.execPath, ["--test", "--test-concurrency=1", "--test-timeout=120000", ...process.argv.slice(2), ...files], {
  cwd: ROOT,
  stdio: "inherit",
  // Its own process group, so that a timeout also stops the workerd processes the tests started.
  detached: true,
});
const stopAll = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
const timer = setTimeout(() => {
  process.stderr.write(`test-edge: stopped after ${limitS} s\n`);
  stopAll("SIGKILL");
}, limitS * 1000);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stopAll("SIGKILL"));
child.on("exit", (code, signal) => {
  clearTimeout(timer);
  if (code === 0 && !process.env.PARAPET_KEEP_TEST_DATA) rmSync(join(ROOT, ".data/edge-test"), { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
