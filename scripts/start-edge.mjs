#!/usr/bin/env node
// `npm start`: serves the demo builder at / , the npm package at /pkg/ and the edge API under
// /v1 from one workerd process on 127.0.0.1:8787.
//
// Builds what is missing first (npm dev dependencies, the wasm package), checks the policy pack
// with the engine before workerd starts (an invalid pack stops here, naming the field and line),
// and keeps its state in a git-ignored data directory.
//
// Options (flags win over environment variables):
//   --port N          PARAPET_EDGE_PORT        default 8787
//   --data DIR        PARAPET_EDGE_DATA        default .data/edge
//   --policy FILE     PARAPET_POLICY           default: the built-in pack
//                     PARAPET_ALLOWED_ORIGINS  extra CORS origins, comma-separated
//                     PARAPET_WEBHOOK_URL      approval webhook (optional)
//                     PARAPET_WEBHOOK_SECRET   its HMAC key (generated into DATA/webhook-secret if unset)
//                     PARAPET_REVIEWER_TOKEN   reviewer bearer token (generated into DATA/reviewer-token if unset)
//                     PARAPET_SIGNING_KEYS     Ed25519 private JWKs, newest first (generated into DATA/signing-keys.json if unset)
//                     PARAPET_PLATFORM_TOKEN   POST /v1/catalog bearer token (generated into DATA/platform-token if unset)

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_PKG_DIR, loadNodeEngine, packageFiles, policyTrustingKeys, publicJwks, ROOT, signingKeysInDataDir, startWorkerd, writeConfig,
} from "../www/edge/config.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    data: { type: "string" },
    policy: { type: "string" },
  },
});

const port = Number(args.port ?? process.env.PARAPET_EDGE_PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`invalid port ${JSON.stringify(args.port ?? process.env.PARAPET_EDGE_PORT)}`);
const dataDir = resolve(ROOT, args.data ?? process.env.PARAPET_EDGE_DATA ?? ".data/edge");
const policyFile = args.policy ?? process.env.PARAPET_POLICY ?? "";

function log(msg) {
  process.stderr.write(`\x1b[1mparapet-edge:\x1b[0m ${msg}\n`);
}

function fail(msg, code = 2) {
  process.stderr.write(`parapet-edge: error: ${msg}\n`);
  process.exit(code);
}

function run(cmd, argv) {
  log(`running ${cmd} ${argv.join(" ")}`);
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) fail(`${cmd} ${argv.join(" ")} failed (${r.status ?? r.signal})`, 1);
}

// 1. What is missing gets built.
if (!existsSync(join(ROOT, "node_modules/workerd"))) {
  run("npm", existsSync(join(ROOT, "package-lock.json")) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
}
try {
  packageFiles(DEFAULT_PKG_DIR);
} catch {
  run("npm", ["run", "build"]);
}

// 2. The policy pack, checked by the same engine the worker runs.
const engine = await loadNodeEngine(DEFAULT_PKG_DIR);
let policyText;
if (policyFile) {
  try {
    policyText = readFileSync(resolve(policyFile), "utf8");
  } catch (e) {
    fail(`cannot read the policy pack ${policyFile}: ${e.code ?? e.message}`);
  }
} else {
  policyText = engine.Engine.defaultPolicy();
}
let policy;
try {
  const probe = new engine.Engine(policyText).evaluate("{}", { now: "2000-01-01" });
  policy = probe.policy;
} catch (e) {
  const where = e?.line ? `:${e.line}:${e.column}` : "";
  fail(`invalid policy pack ${policyFile || "(built-in)"}${where}: ${e?.message ?? e}`);
}

// 3. Secrets: from the environment, or generated once and kept in the data directory.
// The data directory holds the approvals and generated tokens: this user's only (0700).
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
chmodSync(dataDir, 0o700);
function secret(envName, file) {
  if (process.env[envName]) return process.env[envName];
  const path = join(dataDir, file);
  if (!existsSync(path)) writeFileSync(path, randomBytes(24).toString("base64url") + "\n", { mode: 0o600 });
  return readFileSync(path, "utf8").trim();
}
const reviewerToken = secret("PARAPET_REVIEWER_TOKEN", "reviewer-token");
const platformToken = secret("PARAPET_PLATFORM_TOKEN", "platform-token");
const webhookUrl = process.env.PARAPET_WEBHOOK_URL ?? "";
const webhookSecret = webhookUrl ? secret("PARAPET_WEBHOOK_SECRET", "webhook-secret") : "";

const address = `127.0.0.1:${port}`;
const origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`,
  ...(process.env.PARAPET_ALLOWED_ORIGINS ?? "").split(/[\s,]+/).filter(Boolean)];

// Ed25519 signing keys (waivers, attestations): PARAPET_SIGNING_KEYS, or one generated into the
// data directory; the pack trusts them unless it names its own approvals.trustedKeys.
const signingKeys = process.env.PARAPET_SIGNING_KEYS || await signingKeysInDataDir(dataDir);
policyText = await policyTrustingKeys(policyText, publicJwks(signingKeys));

const configPath = writeConfig({ dataDir, policyText, address, allowedOrigins: origins, webhookUrl });

// 4. workerd, in the foreground until interrupted.
let server;
try {
  server = await startWorkerd({
    configPath,
    address,
    echo: true,
    env: { PARAPET_REVIEWER_TOKEN: reviewerToken, PARAPET_WEBHOOK_SECRET: webhookSecret, PARAPET_PLATFORM_TOKEN: platformToken, PARAPET_SIGNING_KEYS: signingKeys },
  });
} catch (e) {
  fail(e.message, 1);
}
log(`policy ${policy.name} (${policy.digest.slice(0, 19)}…), data in ${dataDir}`);
log(`reviewer token: ${process.env.PARAPET_REVIEWER_TOKEN ? "from PARAPET_REVIEWER_TOKEN" : join(dataDir, "reviewer-token")}`);
log(`signing keys (GET /v1/keys): ${process.env.PARAPET_SIGNING_KEYS ? "from PARAPET_SIGNING_KEYS" : join(dataDir, "signing-keys.json")}`);
log(`platform token (POST /v1/catalog): ${process.env.PARAPET_PLATFORM_TOKEN ? "from PARAPET_PLATFORM_TOKEN" : join(dataDir, "platform-token")}`);
if (webhookUrl) log(`approval webhook: ${webhookUrl}`);
process.stdout.write(`Parapet is serving on http://${address}/  (demo at /, API under /v1, Ctrl-C stops)\n`);

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopping = true;
    server.stop().then(() => process.exit(0));
  });
}
const { code, signal } = await server.exited;
if (!stopping) fail(`workerd exited (${code ?? signal})`, 1);
