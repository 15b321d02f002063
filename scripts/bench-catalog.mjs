#!/usr/bin/env node
// Catalog scale benchmark (not a test): registers apps through POST /v1/catalog in a real
// workerd, and at 1,000 and at 10,000 apps measures
//   - a list page (GET /v1/catalog, 50 per page: first page, filtered, sorted, deep cursor pages)
//   - the metrics (GET /v1/metrics)
//   - one app with its history (GET /v1/catalog/{name})
// against a baseline in the same run: the same runtime answering a trivial handler
// (/__bench/noop). Registration throughput is measured over each growth step.
//
//   node scripts/bench-catalog.mjs [--apps 10000] [--concurrency 16] [--samples 200] [--disk]
//
// The Durable Objects' SQLite files go to a tmpfs (/dev/shm) unless --disk: every registration
// commits twice (the app's object and its index shard) and a new app creates a database file, so
// on a small VM's disk the fsync rate, not the catalog, sets registration throughput. --disk
// measures that too.
//
// Prints a table and a JSON summary (last line). Budgets (issue 12): list page p95 <= 50 ms,
// metrics <= 100 ms at 10,000 apps; pages flat from 1,000 to 10,000, metrics linear at worst.

import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEdge } from "../tests/edge/harness.mjs";

const { values: opts } = parseArgs({
  options: {
    apps: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "16" },
    samples: { type: "string", default: "200" },
    disk: { type: "boolean", default: false },
  },
});
const TOTAL = Number(opts.apps);
const CONCURRENCY = Number(opts.concurrency);
const SAMPLES = Number(opts.samples);
const CHECKPOINTS = [1000, TOTAL].filter((n, i, a) => n <= TOTAL && a.indexOf(n) === i);

const token = randomBytes(18).toString("base64url");
process.env.PARAPET_PLATFORM_TOKEN = token;
const onTmpfs = !opts.disk && existsSync("/dev/shm");
const edge = await startEdge({
  name: "bench-catalog",
  ...(onTmpfs ? { dataDir: mkdtempSync("/dev/shm/parapet-bench-catalog-") } : {}),
  extraText: { BENCH_NOOP: "1" },
});

const TIERS = ["sandbox", "controlled", "production"];
const OWNERS = Array.from({ length: 40 }, (_, i) => `group:team-${i}`);
const PLATFORMS = ["n8n", "node-red", "power-automate", "make", "sheets"];

function manifest(i) {
  const tier = TIERS[i % 3];
  const http = i % 7 === 0 ? "    - { name: legacy, type: http, service: legacy, url: http://legacy.corp.example/api }\n" : "";
  return `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: app-${String(i).padStart(6, "0")}, title: "App ${i}" }
spec:
  tier: ${tier}
  owner: ${OWNERS[i % OWNERS.length]}
  platform: ${PLATFORMS[i % PLATFORMS.length]}
  dataClassification: internal
  sla: { support: business-hours, responseHours: 24 }
  cost: { currency: USD, budgetMonthly: 100, estimateMonthly: ${i % 11 === 0 ? 150 : 40}, actualMonthly: 30 }
  export: { exportable: true, format: json, repository: https://git.corp.example/apps/${i} }
  review: { lastReviewed: 2026-${i % 2 ? "11" : "03"}-01 }
  connectors:
${http}    - { name: sheet, type: saas, service: google-sheets, url: https://sheets.googleapis.com, auth: oauth2 }
`;
}

async function register(i) {
  const r = await fetch(`${edge.url}/v1/catalog`, {
    method: "POST",
    headers: { "content-type": "application/yaml", authorization: `Bearer ${token}` },
    body: manifest(i),
  });
  await r.arrayBuffer();
  if (r.status !== 201 && r.status !== 200) throw new Error(`registration ${i}: HTTP ${r.status}`);
}

async function registerRange(from, to) {
  let next = from;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < to) await register(next++);
  }));
  return (to - from) / ((performance.now() - t0) / 1000);
}

async function timed(path, init) {
  const t0 = performance.now();
  const r = await fetch(edge.url + path, init);
  const body = await r.text();
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return { ms, body };
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1], n: s.length };
}

/** Sequential samples: latency, not throughput. */
async function sample(paths, n = SAMPLES, init) {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await timed(paths[i % paths.length], init)).ms);
  return stats(out);
}

async function listPaths(count) {
  // First pages of several queries, and pages deep in the listing (followed cursors).
  const paths = [
    "/v1/catalog?limit=50",
    "/v1/catalog?limit=50&tier=production",
    "/v1/catalog?limit=50&verdict=deny&sort=-lastScanned",
    "/v1/catalog?limit=50&owner=group:team-7",
    "/v1/catalog?limit=50&sort=-problems",
    "/v1/catalog?limit=50&over-budget=true&platform=n8n",
  ];
  let cursor = null;
  const deep = Math.min(20, Math.floor(count / 50) - 1);
  for (let i = 0; i < deep; i++) {
    const { body } = await timed(`/v1/catalog?limit=50${cursor ? `&cursor=${cursor}` : ""}`);
    cursor = JSON.parse(body).next;
  }
  if (cursor) paths.push(`/v1/catalog?limit=50&cursor=${cursor}`);
  return paths;
}

const rows = [];
let registered = 0;
const warm = await sample(["/__bench/noop"], 50);
for (const target of CHECKPOINTS) {
  const rate = await registerRange(registered, target);
  registered = target;
  const total = JSON.parse((await timed("/v1/catalog?limit=1")).body).total;
  if (total !== target) throw new Error(`expected ${target} apps, the catalog lists ${total}`);
  const baseline = await sample(["/__bench/noop"]);
  const list = await sample(await listPaths(target));
  const metrics = await sample(["/v1/metrics"], Math.min(SAMPLES, 60));
  const app = await sample(Array.from({ length: 20 }, (_, i) => `/v1/catalog/app-${String((i * 487) % target).padStart(6, "0")}`));
  rows.push({ apps: target, registrationsPerSecond: Math.round(rate), baseline, list, metrics, app });
  process.stdout.write(`${target} apps: registration ${Math.round(rate)}/s; list p95 ${list.p95.toFixed(1)} ms; metrics p95 ${metrics.p95.toFixed(1)} ms; app p95 ${app.p95.toFixed(1)} ms; noop p95 ${baseline.p95.toFixed(2)} ms\n`);
}
await edge.stop();
rmSync(edge.dataDir, { recursive: true, force: true });
void warm;

const first = rows[0];
const last = rows[rows.length - 1];
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const summary = {
  bench: "catalog",
  shards: 8,
  storage: onTmpfs ? "tmpfs" : "disk",
  concurrency: CONCURRENCY,
  checkpoints: rows.map((r) => ({
    apps: r.apps,
    registrationsPerSecond: r.registrationsPerSecond,
    listP50Ms: +r.list.p50.toFixed(2), listP95Ms: +r.list.p95.toFixed(2),
    metricsP50Ms: +r.metrics.p50.toFixed(2), metricsP95Ms: +r.metrics.p95.toFixed(2),
    appP95Ms: +r.app.p95.toFixed(2), noopP95Ms: +r.baseline.p95.toFixed(2),
    listP95VsNoop: ratio(r.list.p95, r.baseline.p95),
  })),
  growth: rows.length > 1 ? {
    apps: ratio(last.apps, first.apps),
    listP95: ratio(last.list.p95, first.list.p95),
    metricsP95: ratio(last.metrics.p95, first.metrics.p95),
    appP95: ratio(last.app.p95, first.app.p95),
    registrationRate: ratio(last.registrationsPerSecond, first.registrationsPerSecond),
  } : null,
  budgets: {
    listP95Under50Ms: last.list.p95 <= 50,
    metricsUnder100Ms: last.metrics.p95 <= 100,
  },
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
