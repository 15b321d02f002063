// Test harness for the widget: a static server for the demo, the package and the fixtures;
// the real edge worker (workerd) for approvals; Debian Chromium through playwright-core.
// Everything binds 127.0.0.1 and is stopped by the tests.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const RESULTS = join(ROOT, "test-results");
export const NOW = "2026-11-28";
/** The package under test: pkg/ (scripts/build-wasm.mjs; the widget is pkg/widget.js), or a built copy in PARAPET_WIDGET_PKG. */
export const PKG = process.env.PARAPET_WIDGET_PKG ? resolve(process.env.PARAPET_WIDGET_PKG) : join(ROOT, "pkg");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".yaml": "text/yaml; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".png": "image/png",
};

/** Serves www/demo at /, pkg/ at /pkg/, tests/widget/fixtures at /fixtures/, axe-core at /axe.js. */
export async function startStatic() {
  const mounts = [
    ["/pkg/", PKG],
    ["/fixtures/", join(ROOT, "tests/widget/fixtures")],
    ["/", join(ROOT, "www/demo")],
  ];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/axe.js") {
      res.writeHead(200, { "content-type": TYPES[".js"] });
      res.end(readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js")));
      return;
    }
    for (const [prefix, dir] of mounts) {
      if (!url.pathname.startsWith(prefix)) continue;
      let rel = decodeURIComponent(url.pathname.slice(prefix.length));
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      const file = normalize(join(dir, rel));
      if (!file.startsWith(dir + sep)) break;
      try {
        if (!statSync(file).isFile()) break;
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
        res.end(readFileSync(file));
        return;
      } catch {
        break;
      }
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** A free port on 127.0.0.1 (for an edge that must come back on the same address). */
export async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

/**
 * The real edge worker on workerd (www/edge), with its own data directory so that approvals
 * survive a stop and start. `allowedOrigins`: the static server's origin (CORS).
 */
export async function edge({ port, allowedOrigins, dataDir }) {
  const { startWorkerd, writeConfig, loadNodeEngine } = await import(join(ROOT, "www/edge/config.mjs"));
  const engine = await loadNodeEngine(PKG);
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "parapet-widget-edge-"));
  const address = `127.0.0.1:${port}`;
  const configPath = writeConfig({
    pkgDir: PKG,
    dataDir: dir,
    address,
    policyText: engine.Engine.defaultPolicy(),
    allowedOrigins,
  });
  const reviewerToken = randomBytes(16).toString("hex");
  const env = { PARAPET_REVIEWER_TOKEN: reviewerToken, PARAPET_WEBHOOK_SECRET: randomBytes(16).toString("hex") };
  let running = null;
  const api = {
    url: `http://${address}`,
    dataDir: dir,
    reviewerToken,
    async start() {
      if (!running) running = await startWorkerd({ configPath, address, env });
    },
    async stop() {
      if (running) await running.stop();
      running = null;
    },
    /** Every approval the edge holds (the reviewers' list). */
    async list() {
      const r = await fetch(`${api.url}/v1/approvals`, { headers: { authorization: `Bearer ${reviewerToken}` } });
      if (!r.ok) throw new Error(`GET /v1/approvals: ${r.status} ${await r.text()}`);
      const body = await r.json();
      return Array.isArray(body) ? body : body.approvals ?? body.items ?? [];
    },
    async decide(id, decision, comment) {
      const r = await fetch(`${api.url}/v1/approvals/${id}/decision`, {
        method: "POST",
        headers: { authorization: `Bearer ${reviewerToken}`, "content-type": "application/json" },
        body: JSON.stringify({ decision, reviewer: "security-team", comment }),
      });
      if (!r.ok) throw new Error(`decision: ${r.status} ${await r.text()}`);
    },
    async dispose() {
      await api.stop();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  await api.start();
  return api;
}

/** Debian Chromium with a fresh profile. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.PARAPET_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ],
  });
}

/** A page that fails the test on any page error, and records console errors. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  return page;
}

/** Opens the demo with `query` and waits until it has checked its first manifest. */
export async function openDemo(page, origin, query = {}) {
  const q = new URLSearchParams({ now: NOW, ...query });
  await page.goto(`${origin}/?${q}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: 30_000 });
  const state = await page.evaluate(() => document.documentElement.dataset.ready);
  if (state !== "true") throw new Error(`the demo did not start: ${await page.textContent("#guard")}`);
}

/** The widget's verdict, as shown (data-verdict on the widget's section). */
export function verdict(page, host = "#guard") {
  return page.evaluate((h) => document.querySelector(h).shadowRoot.querySelector(".parapet")?.dataset.verdict, host);
}

export async function waitForVerdict(page, expected, host = "#guard") {
  await page.waitForFunction(
    ([h, v]) => document.querySelector(h)?.shadowRoot?.querySelector(".parapet")?.dataset.verdict === v,
    [host, expected],
    { timeout: 10_000 },
  );
}

/** All markup of the page, every (open) shadow root included, and the live region's text. */
export function everything(page) {
  return page.evaluate(() => {
    const roots = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.shadowRoot) {
          roots.push(el.shadowRoot.innerHTML);
          walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    return { light: document.documentElement.outerHTML, shadow: roots.join("\n") };
  });
}

/** A bounded wait for a condition checked in Node. */
export async function until(fn, { timeout = 10_000, every = 100, what = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
