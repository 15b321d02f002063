#!/usr/bin/env node
// Registers manifests and vendor exports in a running edge's catalog (POST /v1/catalog), e.g.
// after `npm start`:
//
//   node scripts/register-catalog.mjs examples tests/corpus/n8n tests/corpus/node-red
//
// Options: --url URL (default http://127.0.0.1:8787), --token-file FILE (default
// .data/edge/platform-token; PARAPET_PLATFORM_TOKEN wins), --tier TIER for exports that carry none.
// An export that names no app is registered under its file name.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    "token-file": { type: "string", default: ".data/edge/platform-token" },
    tier: { type: "string" },
  },
});
if (positionals.length === 0) {
  process.stderr.write("usage: node scripts/register-catalog.mjs PATH... [--url URL] [--token-file FILE] [--tier TIER]\n");
  process.exit(2);
}
const token = process.env.PARAPET_PLATFORM_TOKEN ?? readFileSync(resolve(opts["token-file"]), "utf8").trim();

function walk(p, out = []) {
  if (statSync(p).isDirectory()) {
    for (const n of readdirSync(p).sort()) if (!n.startsWith(".")) walk(join(p, n), out);
  } else if (/\.(ya?ml|json)$/i.test(p)) {
    out.push(p);
  }
  return out;
}

async function post(file, name) {
  const q = new URLSearchParams();
  if (name) q.set("name", name);
  if (opts.tier) q.set("tier", opts.tier);
  const r = await fetch(`${opts.url}/v1/catalog${q.size ? `?${q}` : ""}`, {
    method: "POST",
    headers: {
      "content-type": file.endsWith(".json") ? "application/json" : "application/yaml",
      authorization: `Bearer ${token}`,
    },
    body: readFileSync(file),
  });
  return { status: r.status, body: await r.json().catch(() => null) };
}

const tally = {};
let failed = 0;
for (const file of positionals.flatMap((p) => walk(p))) {
  let r = await post(file);
  if (r.status === 422) r = await post(file, basename(file, extname(file)));
  if (r.status === 200 || r.status === 201) {
    tally[r.body.verdict] = (tally[r.body.verdict] ?? 0) + 1;
    process.stdout.write(`${r.status === 201 ? "added  " : "updated"} ${r.body.name} (${r.body.verdict})  ${file}\n`);
  } else {
    failed += 1;
    process.stdout.write(`failed  ${file}: ${r.status} ${r.body?.detail ?? ""}\n`);
  }
}
process.stdout.write(`\n${Object.entries(tally).map(([v, n]) => `${n} ${v}`).join(", ") || "nothing"} registered; ${failed} failed. See ${opts.url}/catalog/\n`);
process.exit(failed ? 1 : 0);
