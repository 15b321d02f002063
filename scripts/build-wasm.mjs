#!/usr/bin/env node
// Builds the npm package `parapet` into pkg/: wasm-pack (release profile `wasm-release`, wasm-opt
// from npm binaryen), then the package.json, the per-runtime entries and the README.
//
//   node scripts/build-wasm.mjs            build unless pkg/ is up to date with its inputs
//   node scripts/build-wasm.mjs --force    build anyway
//   node scripts/build-wasm.mjs --check    exit 1 when pkg/ is missing or stale, build nothing
//   --features widget                      cargo features of parapet-wasm to build with (default:
//                                          $PARAPET_WASM_FEATURES, else none: the engine only)
//
// "Up to date" means: pkg/.build-stamp holds the hash of every input (the Rust sources of
// parapet-wasm and the workspace crates it depends on, Cargo.lock, the Cargo manifests, the JS
// entries, this script, the tool versions).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const crate = join(root, "crates/parapet-wasm");
const pkg = join(root, "pkg");
const stampFile = join(pkg, ".build-stamp");
const argv = process.argv.slice(2);
const args = new Set(argv);
const featuresAt = argv.indexOf("--features");
const features = (featuresAt >= 0 ? argv[featuresAt + 1] ?? "" : process.env.PARAPET_WASM_FEATURES ?? "")
  .split(/[ ,]+/).filter(Boolean).sort().join(",");
const env = {
  // Keep the target_features section for wasm-bindgen; wasm-opt strips it (and names) after.
  CARGO_PROFILE_WASM_RELEASE_STRIP: "false",
  ...process.env,
  PATH: [join(root, "node_modules/.bin"), join(process.env.HOME ?? "", ".cargo/bin"), process.env.PATH].join(":"),
};
// The profile's opt-level 2 keeps the engine within 3x of native (`npm run bench`). With the
// widget, size matters more than that speed (a typical evaluation stays far under a frame): the
// widget build stays at opt-level "z", about 60 KB gzip smaller than 2. An explicit
// CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL wins.
if (features.split(",").includes("widget")) env.CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL ??= "z";

/** Workspace crates parapet-wasm depends on (path dependencies, transitively), itself included. */
function crateDirs() {
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps", "--offline"], {
    cwd: root, env, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"],
  }));
  const byName = new Map(meta.packages.map((p) => [p.name, p]));
  const dirs = new Set();
  const visit = (name) => {
    const p = byName.get(name);
    if (!p || dirs.has(dirname(p.manifest_path))) return;
    dirs.add(dirname(p.manifest_path));
    for (const d of p.dependencies) if (d.path && d.kind !== "dev") visit(d.name);
  };
  visit("parapet-wasm");
  return [...dirs].sort();
}

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    if (name === "target" || name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

function toolVersion(tool) {
  const r = spawnSync(tool, ["--version"], { env, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : `${tool}: missing`;
}

function inputsHash() {
  const h = createHash("sha256");
  const inputs = [join(root, "Cargo.toml"), join(root, "Cargo.lock"), fileURLToPath(import.meta.url)];
  for (const dir of crateDirs()) {
    for (const f of files(dir)) {
      // Only what the build reads: sources, manifests, the JS entries and the README.
      const rel = relative(dir, f);
      if (/^(src|js)\//.test(rel) || /^(Cargo\.toml|README\.md|build\.rs)$/.test(rel)) inputs.push(f);
    }
  }
  for (const f of inputs) {
    h.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  for (const t of ["rustc", "wasm-pack", "wasm-bindgen", "wasm-opt"]) h.update(toolVersion(t));
  h.update(`features=${features}`);
  h.update(`opt-level=${env.CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL ?? ""}`);
  return h.digest("hex");
}

function run(cmd, argv) {
  console.error(`build-wasm: ${cmd} ${argv.join(" ")}`);
  const r = spawnSync(cmd, argv, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-wasm: ${cmd} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function sizes() {
  const wasm = readFileSync(join(pkg, "parapet_bg.wasm"));
  return { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };
}

const want = inputsHash();
const have = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
const complete = ["parapet.js", "parapet_bg.wasm", "package.json", "node.js", "workerd.js", "README.md"].every((f) => existsSync(join(pkg, f)))
  // Another script (build-widget.mjs) may have rebuilt the wasm with other features since.
  && /export function mountWidget\b/.test(readFileSync(join(pkg, "parapet.js"), "utf8")) === features.split(",").includes("widget");
if (!args.has("--force") && have === want && complete) {
  console.error("build-wasm: pkg/ is up to date");
  process.exit(0);
}
if (args.has("--check")) {
  console.error("build-wasm: pkg/ is missing or stale");
  process.exit(1);
}

const started = Date.now();
run("wasm-pack", [
  "build", "crates/parapet-wasm", "--target", "web", "--out-dir", "../../pkg", "--out-name", "parapet",
  "--profile", "wasm-release", "--no-pack", ...(features ? ["--", "--features", features] : []),
]);

// Per-runtime entries and the README, beside the one wasm file.
for (const f of ["node.js", "node.d.ts", "workerd.js", "workerd.d.ts"]) copyFileSync(join(crate, "js", f), join(pkg, f));
copyFileSync(join(crate, "README.md"), join(pkg, "README.md"));
const license = existsSync(join(root, "LICENSE"));
if (license) copyFileSync(join(root, "LICENSE"), join(pkg, "LICENSE"));
rmSync(join(pkg, ".gitignore"), { force: true });

const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
const manifest = {
  name: "parapet",
  version: field("version"),
  description: "Guardrails for low-code micro apps: Parapet's policy engine in WebAssembly, for browsers, bundlers, Node and workerd.",
  license: field("license"),
  repository: { type: "git", url: field("repository") },
  keywords: ["policy", "guardrails", "low-code", "compliance", "webassembly"],
  type: "module",
  // The browser/bundler entry needs `await init()` (it fetches the wasm file beside it); the
  // Node and workerd entries are ready on import.
  exports: {
    ".": {
      types: "./parapet.d.ts",
      workerd: "./workerd.js",
      node: "./node.js",
      default: "./parapet.js",
    },
    "./web": { types: "./parapet.d.ts", default: "./parapet.js" },
    "./node": { types: "./node.d.ts", default: "./node.js" },
    "./workerd": { types: "./workerd.d.ts", default: "./workerd.js" },
    "./parapet_bg.wasm": "./parapet_bg.wasm",
    "./package.json": "./package.json",
  },
  main: "./parapet.js",
  module: "./parapet.js",
  types: "./parapet.d.ts",
  files: [
    "parapet.js", "parapet.d.ts", "parapet_bg.wasm", "parapet_bg.wasm.d.ts",
    "node.js", "node.d.ts", "workerd.js", "workerd.d.ts", "README.md", ...(license ? ["LICENSE"] : []),
  ],
  // Importing the Node or workerd entry instantiates the module.
  sideEffects: ["./node.js", "./workerd.js"],
  engines: { node: ">=20" },
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
writeFileSync(stampFile, want + "\n");

const { raw, gzip } = sizes();
console.error(`build-wasm: pkg/ built${features ? ` with features ${features}` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s; parapet_bg.wasm ${(raw / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip`);
