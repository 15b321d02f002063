#!/usr/bin/env node
// Kept for old habits: the package has one layout, built by one command, and that build makes
// both entries (`parapet`, the engine; `parapet/widget`, the engine and the widget). This runs
// scripts/build-wasm.mjs with the same flags.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const r = spawnSync("node", [join(root, "scripts/build-wasm.mjs"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
