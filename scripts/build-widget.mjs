#!/usr/bin/env node
// Builds the npm package `parapet` WITH the yew widget into pkg/: scripts/build-wasm.mjs (the
// package's one build: wasm-pack, profile wasm-release, wasm-opt from npm binaryen, the Node and
// workerd entries, package.json) with `--features widget`, then the wasm size against the
// widget's budget (300 KB gzip).
//
//   node scripts/build-widget.mjs            build unless pkg/ is up to date (with the widget)
//   node scripts/build-widget.mjs --force    build anyway
//   node scripts/build-widget.mjs --check    exit 1 when pkg/ lacks the widget or is stale
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
export const GZIP_BUDGET = 300 * 1000;

const passThrough = process.argv.slice(2).filter((a) => a === "--force" || a === "--check");
const r = spawnSync("node", [join(root, "scripts/build-wasm.mjs"), ...passThrough, "--features", "widget"], {
  cwd: root,
  stdio: "inherit",
});
if (r.status !== 0) process.exit(r.status ?? 1);
if (passThrough.includes("--check")) process.exit(0);

const glue = readFileSync(join(root, "pkg/parapet.js"), "utf8");
if (!/export function mountWidget\b/.test(glue)) {
  console.error("build-widget: pkg/parapet.js has no mountWidget export");
  process.exit(1);
}
const wasm = readFileSync(join(root, "pkg/parapet_bg.wasm"));
const gzip = gzipSync(wasm, { level: 9 }).length;
const verdict = gzip <= GZIP_BUDGET ? "within" : "OVER";
console.error(
  `build-widget: parapet_bg.wasm with the widget: ${(wasm.length / 1024).toFixed(1)} KiB raw, ` +
  `${(gzip / 1000).toFixed(1)} KB gzip (${verdict} the ${GZIP_BUDGET / 1000} KB budget)`,
);
