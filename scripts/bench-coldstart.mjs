#!/usr/bin/env node
// Cold start of the browser package (a benchmark, not a test): how long a page waits for
// `await init()` and for the widget's first render, in Debian Chromium (playwright-core), in a
// fresh browser context per run (empty HTTP cache, nothing compiled). Every variant runs in the
// same process, interleaved, so the ratios compare like with like:
//
//   engine  streaming     `parapet`: `await init()` — fetch + WebAssembly.instantiateStreaming
//   engine  bytes         the baseline: fetch → arrayBuffer() → init({ module_or_path: bytes }),
//                         what a page gets when its server sends the wrong MIME type
//   widget  streaming     `parapet/widget`: init(), mountWidget, update(typical manifest), painted
//   widget  bytes         the same without streaming compilation
//   widget  preload       streaming, plus <link rel="preload" as="fetch" type="application/wasm">
//   widget  warm          a second load in the same context (HTTP cache; V8's wasm code cache)
//
// Two network profiles: "local" (127.0.0.1, no throttling) and "broadband" (CDP throttling:
// 40 ms round trip, 20 Mbit/s down), with the .js and .wasm files served gzip-compressed as a
// CDN would. Prints medians (ms) and ratios; --json for machine-readable output.
//
//   node scripts/bench-coldstart.mjs [--runs N] [--json]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({ options: { runs: { type: "string" }, json: { type: "boolean" } } });
const RUNS = Math.min(Math.max(Number(args.runs ?? 7) || 7, 3), 50);
const log = (m) => { if (!args.json) process.stderr.write(`${m}\n`); };

const build = spawnSync("node", [join(root, "scripts/build-wasm.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
if (build.status !== 0) process.exit(1);
const pkg = join(root, "pkg");
const typical = readFileSync(join(root, "crates/parapet-core/benches/data/typical.json"), "utf8");

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const gz = new Map();
function page(entry, { mode, preload }) {
  const wasm = entry === "widget" ? "widget_bg.wasm" : "parapet_bg.wasm";
  const render = entry === "widget" ? `
    const widget = mod.mountWidget(document.getElementById("guard"), { now: "2026-11-28" });
    widget.update(${typical});
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (document.getElementById("guard").shadowRoot.querySelector(".parapet").dataset.verdict !== widget.verdict) throw new Error("not rendered");` : `
    new mod.Engine().evaluate(${JSON.stringify(typical)}, { now: "2026-11-28" });`;
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
${preload ? `<link rel="preload" href="/pkg/${wasm}" as="fetch" type="application/wasm" crossorigin>` : ""}
<script type="module">
  import * as mod from "/pkg/${entry === "widget" ? "widget" : "parapet"}.js";
  try {
    const t0 = performance.now();
    ${mode === "bytes"
      ? `const bytes = await (await fetch("/pkg/${wasm}")).arrayBuffer(); await mod.default({ module_or_path: bytes });`
      : `await mod.default();`}
    const t1 = performance.now();
    ${render}
    const t2 = performance.now();
    window.__bench = { moduleStart: t0, init: t1 - t0, render: t2 - t1, firstRender: t2 };
  } catch (e) { window.__bench = { error: String(e) }; }
</script></head><body><div id="guard"></div></body></html>`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/page") {
    const html = page(url.searchParams.get("entry"), { mode: url.searchParams.get("mode"), preload: url.searchParams.has("preload") });
    return res.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-store" }).end(html);
  }
  if (!url.pathname.startsWith("/pkg/")) return res.writeHead(404).end();
  const file = normalize(join(pkg, url.pathname.slice(5)));
  if (!file.startsWith(pkg + sep)) return res.writeHead(400).end();
  try {
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(file), { level: 9 }));
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-encoding": "gzip",
      "cache-control": "public, max-age=3600",
    }).end(gz.get(file));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const { launch } = await import(join(root, "tests/widget/harness.mjs"));
const browser = await launch();

const PROFILES = {
  local: null,
  broadband: { offline: false, latency: 40, downloadThroughput: (20e6 / 8), uploadThroughput: (5e6 / 8) },
};
const VARIANTS = [
  ["engine", "streaming", {}],
  ["engine", "bytes", { mode: "bytes" }],
  ["widget", "streaming", {}],
  ["widget", "bytes", { mode: "bytes" }],
  ["widget", "preload", { preload: true }],
  ["widget", "warm", { warm: true }],
];

async function once(profile, entry, opts) {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    if (PROFILES[profile]) {
      const cdp = await context.newCDPSession(p);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", PROFILES[profile]);
    }
    const q = new URLSearchParams({ entry, mode: opts.mode ?? "streaming" });
    if (opts.preload) q.set("preload", "1");
    const url = `${origin}/page?${q}`;
    const load = async () => {
      await p.goto(url);
      const r = await p.waitForFunction(() => window.__bench, null, { timeout: 60_000 }).then((h) => h.jsonValue());
      if (r.error) throw new Error(r.error);
      return r;
    };
    let r = await load();
    if (opts.warm) {
      await p.waitForTimeout(300); // let V8 write its code cache
      r = await load();
    }
    return r;
  } finally {
    await context.close();
  }
}

const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
const results = {};
try {
  for (const profile of Object.keys(PROFILES)) {
    const samples = Object.fromEntries(VARIANTS.map(([e, n]) => [`${e} ${n}`, []]));
    for (let i = 0; i < RUNS + 1; i++) {
      for (const [entry, name, opts] of VARIANTS) {
        const r = await once(profile, entry, opts);
        if (i > 0) samples[`${entry} ${name}`].push(r); // the first round warms the server and the OS
      }
    }
    results[profile] = Object.fromEntries(Object.entries(samples).map(([k, rs]) => [k, {
      init: median(rs.map((r) => r.init)),
      render: median(rs.map((r) => r.render)),
      firstRender: median(rs.map((r) => r.firstRender)),
      moduleStart: median(rs.map((r) => r.moduleStart)),
    }]));
    log(`${profile}: done`);
  }
} finally {
  await browser.close();
  server.close();
}

const size = (f) => { const b = readFileSync(join(pkg, f)); return { raw: b.length, gzip: gzipSync(b, { level: 9 }).length }; };
const sizes = { engine: size("parapet_bg.wasm"), widget: size("widget_bg.wasm") };
if (args.json) {
  console.log(JSON.stringify({ runs: RUNS, sizes, results }, null, 2));
} else {
  const ms = (x) => `${x.toFixed(1).padStart(7)} ms`;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`\ncold start in Chromium (median of ${RUNS} fresh contexts per variant; times from navigation start)\n`);
  console.log(`wasm: engine ${kib(sizes.engine.raw)} raw / ${kib(sizes.engine.gzip)} gzip; widget ${kib(sizes.widget.raw)} raw / ${kib(sizes.widget.gzip)} gzip\n`);
  for (const [profile, rs] of Object.entries(results)) {
    console.log(`${profile}:`);
    console.log(`  ${"variant".padEnd(20)} ${"init()".padStart(10)} ${"render/eval".padStart(10)} ${"first render".padStart(13)}`);
    for (const [k, r] of Object.entries(rs)) console.log(`  ${k.padEnd(20)} ${ms(r.init)} ${ms(r.render)} ${ms(r.firstRender)}`);
    const ratio = (a, b, f) => (rs[a][f] / rs[b][f]).toFixed(2);
    console.log(`  ratios: engine init streaming/bytes ${ratio("engine streaming", "engine bytes", "init")}; widget init streaming/bytes ${ratio("widget streaming", "widget bytes", "init")}; ` +
      `widget first render preload/none ${ratio("widget preload", "widget streaming", "firstRender")}; warm/cold ${ratio("widget warm", "widget streaming", "firstRender")}; ` +
      `widget/engine init ${ratio("widget streaming", "engine streaming", "init")}\n`);
  }
}
