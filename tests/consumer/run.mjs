#!/usr/bin/env node
// Consumer test: a throwaway project outside the repository installs the packed package
// (`npm pack` -> `npm install --offline ./parapet-x.y.z.tgz`: it has no runtime dependencies) and
// uses it the way each kind of user does. Each check evaluates a manifest and checks the verdict:
//
//   node      Node 20 ESM, `import init, { Engine } from "parapet"` (the "node" condition)
//   types     `tsc --strict` on a TypeScript user of the shipped .d.ts
//   page      an unbundled page importing the package's ESM file, in headless Chromium
//   esbuild   a page bundled by esbuild (the wasm file as an asset), in headless Chromium
//   workerd   a worker bundled like wrangler does ("workerd" condition, the wasm as a module)
//
// Servers bind 127.0.0.1 on free ports and are stopped at the end. Prints one line per check
// and `N passed, N failed`. Also prints the cold instantiate times it sees (`--json` for the
// bench). Usage: node tests/consumer/run.mjs [--json] [--keep]
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "node_modules/.bin");
const args = new Set(process.argv.slice(2));
const NOW = "2026-11-28";
const manifest = readFileSync(join(root, "examples/controlled-hr-bot.yaml"), "utf8");
const EXPECTED = "approval";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

const results = [];
const timings = {};
function record(name, ok, detail) {
  results.push({ name, ok });
  console.log(`${ok ? "ok" : "FAIL"} - consumer: ${name}${detail ? ` (${detail})` : ""}`);
}

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 300_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")}: exit ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function check(name, fn) {
  try {
    const detail = await fn();
    record(name, true, detail);
  } catch (e) {
    record(name, false);
    console.log(String(e?.stack ?? e).split("\n").map((l) => `    ${l}`).join("\n"));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const MIME = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** A static file server for `dir` on 127.0.0.1 (only GET, only files under dir). */
async function serve(dir) {
  const port = await freePort();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.includes("..")) return res.writeHead(400).end();
    try {
      const body = readFileSync(join(dir, path === "/" ? "index.html" : path));
      res.writeHead(200, { "content-type": MIME[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

const work = mkdtempSync(join(tmpdir(), "parapet-consumer-"));
const cleanups = [];
try {
  // ---- pack and install -------------------------------------------------------------------
  const packed = JSON.parse(sh("npm", ["pack", join(root, "pkg"), "--json", "--pack-destination", work], { cwd: work }));
  const tarball = join(work, packed[0].filename);
  const app = join(work, "app");
  cpSync(join(root, "tests/consumer/app"), app, { recursive: true });
  writeFileSync(join(app, "manifest.yaml"), manifest);
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: app });
  const installed = JSON.parse(readFileSync(join(app, "node_modules/parapet/package.json"), "utf8"));
  record("npm pack + npm install --offline", true, `${packed[0].filename}, ${packed[0].entryCount} files, no dependencies: ${!installed.dependencies}`);
  const deps = readdirSync(join(app, "node_modules")).filter((d) => !d.startsWith("."));
  if (deps.join() !== "parapet") throw new Error(`unexpected installed packages: ${deps}`);

  // ---- Node ESM ---------------------------------------------------------------------------
  await check("Node ESM (import from \"parapet\" and \"parapet/node\")", () => {
    const out = JSON.parse(sh(process.execPath, ["node-check.mjs"], { cwd: app }));
    for (const [entry, verdict] of Object.entries(out.verdicts)) {
      if (verdict !== EXPECTED) throw new Error(`${entry}: verdict ${verdict}, expected ${EXPECTED}`);
    }
    if (out.error !== "ParapetError:invalid_argument") throw new Error(`error crossing: ${out.error}`);
    timings.nodeInstantiateMs = out.instantiateMs;
    return `verdict ${EXPECTED}; import+instantiate ${out.instantiateMs.toFixed(1)} ms`;
  });

  // ---- TypeScript -------------------------------------------------------------------------
  await check("TypeScript: tsc --strict against the shipped .d.ts", () => {
    sh(join(bin, "tsc"), ["-p", "tsconfig.json"], { cwd: app });
    // And a misuse must not type-check (the types are real, not `any`).
    writeFileSync(join(app, "bad.ts"), `import { Engine } from "parapet";\nconst v: number = new Engine().evaluate("x").verdict;\nexport { v };\n`);
    const r = spawnSync(join(bin, "tsc"), ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "bad.ts"], { cwd: app, encoding: "utf8" });
    if (r.status === 0) throw new Error("a wrong use of Report.verdict type-checked");
    if (!/TS2322/.test(r.stdout)) throw new Error(`unexpected tsc output: ${r.stdout}`);
    return "typed use compiles, wrong use is TS2322";
  });

  // ---- browsers -----------------------------------------------------------------------------
  const esbuild = join(bin, "esbuild");
  sh(esbuild, ["page.js", "--bundle", "--format=esm", "--platform=browser", "--outdir=dist", "--loader:.wasm=file", "--log-level=warning"], { cwd: app });
  copyFileSync(join(app, "page.html"), join(app, "dist/index.html"));
  const { chromium } = await import(join(root, "node_modules/playwright-core/index.mjs"));
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  const server = await serve(app);
  cleanups.push(() => server.close());

  async function inPage(path) {
    // A fresh context each time: a cold cache, nothing compiled before.
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.url}${path}`);
      const result = await page.waitForFunction(() => window.__parapet, null, { timeout: 30_000 }).then((h) => h.jsonValue());
      if (errors.length) throw new Error(errors.join("\n"));
      if (result.error) throw new Error(result.error);
      if (result.verdict !== EXPECTED || result.objectVerdict !== EXPECTED) throw new Error(`verdicts ${JSON.stringify(result)}`);
      if (result.errorCode !== "invalid_argument") throw new Error(`error crossing: ${result.errorCode}`);
      return result;
    } finally {
      await context.close();
    }
  }

  await check("browser page, unbundled ESM (await init())", async () => {
    const r = await inPage("/unbundled.html");
    timings.chromiumInstantiateMs = r.instantiateMs;
    return `verdict ${r.verdict}; cold init ${r.instantiateMs.toFixed(1)} ms`;
  });
  await check("browser page bundled by esbuild (wasm as a file asset)", async () => {
    const r = await inPage("/dist/index.html");
    const assets = readdirSync(join(app, "dist")).filter((f) => f.endsWith(".wasm"));
    if (assets.length !== 1) throw new Error(`expected one wasm asset, found ${assets}`);
    timings.chromiumBundledInstantiateMs = r.instantiateMs;
    return `verdict ${r.verdict}; cold init ${r.instantiateMs.toFixed(1)} ms`;
  });

  // ---- workerd ------------------------------------------------------------------------------
  await check("workerd worker (bundled with the \"workerd\" condition)", async () => {
    const out = join(app, "worker-dist");
    sh(esbuild, ["worker.js", "--bundle", "--format=esm", "--platform=neutral", "--conditions=workerd,worker,browser",
      "--external:*.wasm", `--outfile=${join(out, "worker.js")}`, "--log-level=warning"], { cwd: app });
    copyFileSync(join(app, "node_modules/parapet/parapet_bg.wasm"), join(out, "parapet_bg.wasm"));
    const port = await freePort();
    const version = sh(join(bin, "workerd"), ["--version"]).trim().split(" ")[1];
    writeFileSync(join(out, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "parapet_bg.wasm", wasm = embed "parapet_bg.wasm"),
  ],
  compatibilityDate = "${version}",
);
`);
    const child = spawn(join(bin, "workerd"), ["serve", join(out, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
    let logs = "";
    child.stdout.on("data", (d) => { logs += d; });
    child.stderr.on("data", (d) => { logs += d; });
    const stop = () => { if (child.exitCode === null) child.kill("SIGTERM"); };
    cleanups.push(stop);
    try {
      const deadline = Date.now() + 30_000;
      let response;
      while (!response) {
        if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}\n${logs}`);
        if (Date.now() > deadline) throw new Error(`workerd did not answer\n${logs}`);
        response = await fetch(`http://127.0.0.1:${port}/evaluate?now=${NOW}`, { method: "POST", body: manifest }).catch(() => null);
        if (!response) await new Promise((r) => setTimeout(r, 100));
      }
      const body = await response.json();
      if (response.status !== 200 || body.verdict !== EXPECTED) throw new Error(`status ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
      const bad = await fetch(`http://127.0.0.1:${port}/policy`, { method: "POST", body: "tiers: 3" });
      const problem = await bad.json();
      if (bad.status !== 400 || problem.code !== "invalid_policy") throw new Error(`bad policy: ${bad.status} ${JSON.stringify(problem)}`);
      const again = await fetch(`http://127.0.0.1:${port}/evaluate?now=${NOW}`, { method: "POST", body: manifest }).then((r) => r.json());
      if (again.verdict !== EXPECTED) throw new Error("the worker stopped working after an error");
      return `verdict ${body.verdict} over HTTP; workerd ${version}`;
    } finally {
      stop();
    }
  });
} catch (e) {
  record("setup", false);
  console.log(String(e?.stack ?? e));
} finally {
  for (const c of cleanups.reverse()) await c();
  if (!args.has("--keep")) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (args.has("--json")) console.log(JSON.stringify({ timings }));
console.log(`consumer: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
