// Test harness for the edge worker: a real workerd process on a free loopback port, with its
// own data directory, and a local webhook receiver that verifies every signature.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { join, relative } from "node:path";
import { loadNodeEngine, ROOT, startWorkerd, writeConfig } from "../../www/edge/config.mjs";

export { ROOT };
export const CLI = join(ROOT, "target/debug/parapet");
export const MiB = 1024 * 1024;

/** Today in UTC, as the worker computes `now`. */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

/** A detected secret for leak tests: a Slack bot token, assembled so no scanner flags this file. */
export const SECRET = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");

/** A free TCP port on 127.0.0.1 (closed again, so the caller may bind it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function tempDataDir(name) {
  const base = join(ROOT, ".data/edge-test");
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
}

let defaultPolicy;
export async function defaultPolicyText() {
  defaultPolicy ??= (await loadNodeEngine()).Engine.defaultPolicy();
  return defaultPolicy;
}

/**
 * Starts the edge worker. Returns { url, api(path, init), restart(), stop(), logs() }.
 * `restart` keeps the data directory (and so the approvals).
 */
export async function startEdge(options = {}) {
  const dataDir = options.dataDir ?? tempDataDir(options.name ?? "edge");
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const reviewerToken = options.reviewerToken ?? randomBytes(18).toString("base64url");
  const webhookSecret = options.webhookSecret ?? randomBytes(18).toString("base64url");
  const configPath = writeConfig({
    dataDir,
    address,
    policyText: options.policyText ?? (await defaultPolicyText()),
    allowedOrigins: options.allowedOrigins ?? ["https://builder.example"],
    webhookUrl: options.webhookUrl ?? "",
    extraText: options.extraText ?? {},
  });
  const env = { PARAPET_REVIEWER_TOKEN: reviewerToken, PARAPET_WEBHOOK_SECRET: webhookSecret, ...(options.env ?? {}) };
  const previousLogs = [];
  let server = await startWorkerd({ configPath, address, env });

  const edge = {
    dataDir,
    url: server.url,
    reviewerToken,
    webhookSecret,
    get readyMs() {
      return server.readyMs;
    },
    api(path, init = {}) {
      return fetch(server.url + path, { ...init, signal: init.signal ?? AbortSignal.timeout(30_000) });
    },
    async json(path, init) {
      const r = await edge.api(path, init);
      const text = await r.text();
      let body = null;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: r.status, headers: r.headers, text, body };
    },
    /** Stops workerd (gracefully, or with `crash` by SIGKILL) and starts it on the same data. */
    async restart({ crash = false } = {}) {
      if (crash) await server.kill("SIGKILL");
      else await server.stop();
      previousLogs.push(server.output.stdout, server.output.stderr);
      server = await startWorkerd({ configPath, address, env });
    },
    async stop() {
      await server.stop();
    },
    /** Everything workerd printed, across restarts. */
    logs() {
      return [...previousLogs, server.output.stdout, server.output.stderr].join("\n");
    },
    cleanup() {
      if (!process.env.PARAPET_KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return edge;
}

/** Verifies `Parapet-Signature: t=…,v1=…` over "<t>.<body>" with HMAC-SHA256. */
export function verifySignature(header, body, secret) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) return false;
  const expected = createHmac("sha256", secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], "hex"));
}

/**
 * A webhook receiver on 127.0.0.1:`port`. It can be stopped and started again on the same port
 * (to play a receiver that is down at first). Records each delivery with its signature check.
 */
export function webhookReceiver(port, secret) {
  const deliveries = [];
  let server = null;
  const receiver = {
    url: `http://127.0.0.1:${port}/hooks/parapet`,
    deliveries,
    /** How many of the next deliveries get a 503 (a receiver that is up but failing). */
    failNext: 0,
    async start() {
      server = createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          const answered = receiver.failNext > 0 ? 503 : 204;
          if (answered === 503) receiver.failNext -= 1;
          deliveries.push({
            path: req.url,
            headers: req.headers,
            body,
            answered,
            verified: verifySignature(req.headers["parapet-signature"], body, secret),
          });
          res.writeHead(answered).end();
        });
      });
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
      });
    },
    async stop() {
      if (!server) return;
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      server = null;
    },
  };
  return receiver;
}

/** Polls `check` every `everyMs` until it returns truthy or `timeoutMs` passes. */
export async function waitFor(check, { timeoutMs = 20_000, everyMs = 100, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Every manifest file the edge must judge like the CLI: examples and the core's spec cases. */
export function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      // A case directory's policy.yaml is a pack for the core's own tests, not a manifest.
      else if (/\.(ya?ml|json)$/.test(name) && name !== "policy.yaml") out.push(p);
    }
  };
  walk(join(ROOT, "examples"));
  walk(join(ROOT, "crates/parapet-core/tests/cases"));
  return out.map((p) => ({ path: p, name: relative(ROOT, p) }));
}

/**
 * The CLI's report for a file (exit 0 or 1 are both reports; 2 is an error). The CLI adds the
 * file's path as `file`, which a body posted over HTTP does not have: it is left out.
 */
export function cliReport(file, now = today(), policy = null) {
  let out;
  try {
    const args = ["check", file, "--format", "json", "--now", now, ...(policy ? ["--policy", policy] : [])];
    out = execFileSync(CLI, args, { encoding: "utf8" });
  } catch (e) {
    if (e.status !== 1 || !e.stdout) throw e;
    out = e.stdout;
  }
  const { file: _path, ...report } = JSON.parse(out);
  return report;
}

export function mediaTypeFor(file) {
  return file.endsWith(".json") ? "application/json" : "application/yaml";
}
