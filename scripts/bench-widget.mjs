#!/usr/bin/env node
// Widget benchmark (`npm run bench:widget`; not part of the tests): in Debian Chromium, how long
// from a keystroke in the demo builder to the widget showing the re-evaluated result, for the
// typical manifest (60 fields, 20 connectors) and a 2,000-connector one; and the size of the
// package's wasm with the widget.
//
//   keystroke → DOM updated   input event time → after yew's render (a microtask after update):
//                             the work that must fit in one frame. Targets: p95 ≤ 16 ms
//                             typical, ≤ 50 ms large.
//   keystroke → next frame    the same, to the next requestAnimationFrame (adds the wait for
//                             vsync, 0 to 16.7 ms; shown for reference)
//   update() alone            widget.update(manifest object) + render, called in a loop
//   engine API alone          for reference: the package's Engine.evaluate on the same
//                             manifest (JSON text in, report object out), no widget
//
// Options: --keys N (keystrokes per manifest, default 60), --json (machine-readable output).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({ options: { keys: { type: "string" }, json: { type: "boolean" } } });
const KEYS = Math.min(Math.max(Number(args.keys ?? 60) || 60, 10), 500);
const TARGETS = { typical: 16, large: 50 };
const GZIP_BUDGET = 300 * 1000;

// PARAPET_WIDGET_PKG=DIR benchmarks a package built elsewhere (not rebuilt).
if (!process.env.PARAPET_WIDGET_PKG) {
  const build = spawnSync("node", [join(root, "scripts/build-wasm.mjs")], { stdio: "inherit" });
  if (build.status !== 0) process.exit(1);
}
const { launch, newPage, openDemo, PKG, startStatic, waitForVerdict } = await import(join(root, "tests/widget/harness.mjs"));

const typical = JSON.parse(readFileSync(join(root, "crates/parapet-core/benches/data/typical.json"), "utf8"));
/** The typical app with 2,000 connectors (its 20, repeated with fresh names). */
function large() {
  const m = structuredClone(typical);
  const base = m.spec.connectors;
  m.spec.connectors = Array.from({ length: 2000 }, (_, i) => ({ ...structuredClone(base[i % base.length]), name: `${base[i % base.length].service}-${i}` }));
  m.metadata.name = "typical-app-2000-connectors";
  return m;
}

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
  return { n: v.length, p50: q(0.5), p95: q(0.95), max: v[v.length - 1] };
}

async function run(page, name, manifest) {
  await page.evaluate((m) => { window.parapetDemo.manifest = m; }, manifest);
  await page.waitForTimeout(200);
  // update() alone, in a loop.
  const direct = await page.evaluate(async ({ m, n }) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      m.metadata.title = `bench ${i}`;
      const t0 = performance.now();
      window.parapetDemo.widget.update(m);
      await new Promise((r) => queueMicrotask(r));
      out.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    return out;
  }, { m: manifest, n: Math.min(KEYS, 40) });
  // For reference: the engine API alone on the same manifest.
  const engine = await page.evaluate(async ({ m, n }) => {
    const { Engine } = await import("/pkg/widget.js"); // the engine in the widget's wasm
    const e = new Engine();
    const out = [];
    for (let i = 0; i < n; i++) {
      m.metadata.title = `engine ${i}`;
      const t0 = performance.now();
      e.evaluate(JSON.stringify(m), { now: "2026-11-28" });
      out.push(performance.now() - t0);
    }
    e.free();
    return out;
  }, { m: manifest, n: Math.min(KEYS, 40) });
  // Real keystrokes into the builder's Title field.
  await page.evaluate(() => performance.clearMeasures());
  const title = page.locator('[data-pointer="/metadata/title"]');
  await title.click();
  await title.press("End");
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  }
  const measures = await page.evaluate(() => ({
    update: performance.getEntriesByName("parapet:update").map((e) => e.duration),
    frame: performance.getEntriesByName("parapet:frame").map((e) => e.duration),
  }));
  const findings = await page.evaluate(() => document.getElementById("guard").shadowRoot.querySelectorAll(".finding").length);
  return {
    name,
    connectors: manifest.spec.connectors.length,
    bytes: JSON.stringify(manifest, null, 2).length,
    renderedFindings: findings,
    keystrokeToDom: stats(measures.update),
    keystrokeToFrame: stats(measures.frame),
    updateAlone: stats(direct),
    engineAlone: stats(engine),
  };
}

const web = await startStatic();
const browser = await launch();
let results;
try {
  const page = await newPage(browser);
  await openDemo(page, web.origin, { preset: "" });
  await waitForVerdict(page, "allow");
  results = [await run(page, "typical", typical), await run(page, "large", large())];
  if (page.errors.length) throw new Error(`page errors: ${page.errors.join("; ")}`);
} finally {
  await browser.close();
  await web.close();
}

const wasm = readFileSync(join(PKG, "widget_bg.wasm"));
const size = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };

if (args.json) {
  console.log(JSON.stringify({ results, size, targets: TARGETS, gzipBudget: GZIP_BUDGET }, null, 2));
} else {
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`\nwidget benchmark (${KEYS} keystrokes per manifest, Debian Chromium, headless)\n`);
  for (const r of results) {
    const target = TARGETS[r.name];
    const ok = r.keystrokeToDom.p95 <= target ? "ok" : "OVER";
    console.log(`${r.name}: ${r.connectors} connectors, ${(r.bytes / 1024).toFixed(0)} KiB as JSON, ${r.renderedFindings} findings rendered`);
    console.log(`  keystroke → DOM updated   p50 ${ms(r.keystrokeToDom.p50)}  p95 ${ms(r.keystrokeToDom.p95)}  max ${ms(r.keystrokeToDom.max)}  (target p95 ≤ ${target} ms: ${ok})`);
    console.log(`  keystroke → next frame    p50 ${ms(r.keystrokeToFrame.p50)}  p95 ${ms(r.keystrokeToFrame.p95)}  max ${ms(r.keystrokeToFrame.max)}`);
    console.log(`  update() alone            p50 ${ms(r.updateAlone.p50)}  p95 ${ms(r.updateAlone.p95)}  max ${ms(r.updateAlone.max)}`);
    console.log(`  engine API alone (ref.)   p50 ${ms(r.engineAlone.p50)}  p95 ${ms(r.engineAlone.p95)}  max ${ms(r.engineAlone.max)}`);
  }
  const over = size.gzip > GZIP_BUDGET ? "OVER" : "ok";
  console.log(`wasm with the widget: ${(size.raw / 1024).toFixed(1)} KiB raw, ${(size.gzip / 1000).toFixed(1)} KB gzip (budget ≤ ${GZIP_BUDGET / 1000} KB: ${over})`);
}
