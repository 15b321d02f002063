#!/usr/bin/env node
// Benchmark (not a test): flow change → badges updated, in the real Node-RED editor with the
// built extension (dist/extension) in Debian Chromium, for a 300-node flow. Each sample edits
// one node through the editor's API (as the edit dialog does: a property change and
// `nodes:change`) and waits in the page for the redraw that carries the new badges. Reported:
// p50/p95/max, against two baselines measured in the same run: the panel's own evaluation time
// (engine, per change) and the reader's debounce (16 ms, a fixed part of every sample).
//
//   node scripts/bench-extension.mjs [--nodes 300] [--samples 60]
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configure, launchWithExtension, NOW, page, startNodeRed, tabIdOf, until } from "../tests/extension/harness.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const NODES = arg("--nodes", 300);
const SAMPLES = arg("--samples", 60);
const TARGET_MS = 100;
const DEBOUNCE = 16; // www/extension/reader.js DEBOUNCE_MS

if (!existsSync(join(root, "dist/extension/manifest.json"))) {
  console.error("bench-extension: dist/extension is missing: run `npm run build:extension` first");
  process.exit(1);
}

/** A realistic 300-node flow on 3 tabs: webhooks, HTTP calls (some http://), logic, debug. */
function bigFlow(n) {
  const flow = [];
  const tabs = ["tab-a", "tab-b", "tab-c"];
  for (const t of tabs) flow.push({ id: t, type: "tab", label: t });
  const kinds = ["http in", "function", "change", "http request", "switch", "debug"];
  for (let i = 0; flow.length < n; i++) {
    const type = kinds[i % kinds.length];
    const node = { id: `node-${i}`, type, z: tabs[i % 3], name: `${type} ${i}`, x: 120 + (i % 6) * 180, y: 60 + Math.floor(i / 18) * 50, wires: [[]] };
    if (type === "http in") Object.assign(node, { url: `/hook/${i}`, method: "post" });
    if (type === "http request") Object.assign(node, { method: "GET", ret: "obj", url: i % 4 === 3 ? `http://svc${i}.example.com/api` : `https://svc${i}.example.com/api` });
    if (type === "function") Object.assign(node, { func: `msg.payload = ${i};\nreturn msg;`, outputs: 1 });
    if (type === "change") Object.assign(node, { rules: [{ t: "set", p: "payload", pt: "msg", to: String(i), tot: "str" }] });
    if (type === "switch") Object.assign(node, { property: "payload", rules: [{ t: "eq", v: "1", vt: "str" }], outputs: 1 });
    if (type === "debug") Object.assign(node, { active: true, tosidebar: true, complete: "false" });
    flow.push(node);
  }
  return flow;
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const red = await startNodeRed();
const ext = await launchWithExtension({ grant: [red.url] });
try {
  await configure(ext, { origins: [red.url] });
  await red.deploy(bigFlow(NODES));
  const editor = await page(ext.context);
  await editor.goto(`${red.url}/`);
  await editor.waitForFunction(() => window.RED?.nodes?.node?.("node-0"), null, { timeout: 60_000 });
  const tab = await tabIdOf(ext, `${red.url}/`);
  const panel = await page(ext.context);
  await panel.goto(`${ext.base}/panel.html?tab=${tab}&now=${NOW}`);
  await editor.bringToFront(); // the editor is the visible tab (the panel sits beside it)
  await until(() => editor.evaluate(() => Number(document.documentElement.dataset.parapetRevision ?? -1) >= 0), { timeout: 30_000, what: "the first badges" });
  const flowNodes = await editor.evaluate(() => window.RED.nodes.createCompleteNodeSet({ credentials: false }).length);

  // One sample: toggle an http request node between https:// and http:// (its badge changes).
  const sample = (i) => editor.evaluate((i) => new Promise((resolve, reject) => {
    const ids = [];
    window.RED.nodes.eachNode((n) => { if (n.type === "http request") ids.push(n.id); });
    const node = window.RED.nodes.node(ids[i % ids.length]);
    const before = Number(document.documentElement.dataset.parapetRevision);
    const timer = setTimeout(() => reject(new Error("no badges within 5 s")), 5000);
    window.addEventListener("parapet:badges", function on(e) {
      if (e.detail.revision <= before) return;
      window.removeEventListener("parapet:badges", on);
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
    const t0 = performance.now();
    node.url = node.url.startsWith("https:") ? node.url.replace("https:", "http:") : node.url.replace("http:", "https:");
    node.changed = true;
    node.dirty = true;
    window.RED.events.emit("nodes:change", node);
  }), i);

  for (let i = 0; i < 5; i++) await sample(i); // warm-up
  const times = [];
  const evalMs = [];
  for (let i = 0; i < SAMPLES; i++) {
    times.push(await sample(i));
    evalMs.push(await panel.evaluate(() => window.parapetPanel.stats.lastMs));
  }
  const drawn = await editor.evaluate(() => document.querySelectorAll(".parapet-annotation:not(.hide) .parapet-badge").length);
  times.sort((a, b) => a - b);
  evalMs.sort((a, b) => a - b);
  const p95 = pct(times, 95);
  console.log(`extension: ${flowNodes}-node flow in the real Node-RED editor, ${drawn} nodes with badges, ${SAMPLES} edits`);
  console.log(`  flow change -> badges drawn: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms (target p95 <= ${TARGET_MS} ms: ${p95 <= TARGET_MS ? "met" : "NOT met"})`);
  console.log(`  baseline, same run: panel evaluation (engine + grouping) p50 ${pct(evalMs, 50).toFixed(1)} ms, p95 ${pct(evalMs, 95).toFixed(1)} ms; reader debounce ${DEBOUNCE} ms`);
  console.log(`  ratios: p95 latency / (debounce + p95 evaluation) = ${(p95 / (DEBOUNCE + pct(evalMs, 95))).toFixed(2)}x; p95 latency minus debounce = ${(p95 - DEBOUNCE).toFixed(1)} ms`);
} finally {
  await ext.close();
  await red.stop();
}
