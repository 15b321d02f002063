// Writes the workerd configuration for the edge worker and starts workerd on it.
// Used by scripts/start-edge.mjs (`npm start`), the edge tests and the edge benchmark, so that
// all three run exactly the same worker and configuration.
//
// Layout of a data directory (git-ignored; `.data/edge/` for `npm start`):
//   config.capnp        the generated configuration (embeds paths relative to it)
//   policy.yaml         the policy pack text handed to the worker as POLICY_PACK
//   do/                 Durable Object storage: one SQLite file per object (the approvals)
//   placeholder/        a stand-in page when www/demo/ is not there

import { spawn } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EDGE_SRC = join(ROOT, "www/edge/src");
/** The built npm package; PARAPET_PKG_DIR points elsewhere (e.g. a package under test). */
export const DEFAULT_PKG_DIR = process.env.PARAPET_PKG_DIR ? resolve(process.env.PARAPET_PKG_DIR) : join(ROOT, "pkg");
export const DEFAULT_DEMO_DIR = join(ROOT, "www/demo");

/** Not later than the build date of the pinned workerd (package.json); also in wrangler.toml. */
export const COMPATIBILITY_DATE = "2026-11-01";

/** The workerd binary from the pinned npm package (PARAPET_WORKERD overrides it). */
export function workerdBinary() {
  if (process.env.PARAPET_WORKERD) return process.env.PARAPET_WORKERD;
  const require = createRequire(join(ROOT, "package.json"));
  return require("workerd").default;
}

/**
 * The package files the worker loads: the package's workerd entry (it imports the wasm file,
 * which workerd compiles to a WebAssembly.Module, and calls initSync), the wasm-bindgen glue and
 * the wasm. Throws if the package is not built.
 */
export function packageFiles(pkgDir = DEFAULT_PKG_DIR) {
  const need = { entry: "workerd.js", glue: "parapet.js", wasm: "parapet_bg.wasm", node: "node.js" };
  const files = {};
  for (const [k, f] of Object.entries(need)) {
    files[k] = join(pkgDir, f);
    if (!existsSync(files[k])) throw new Error(`${pkgDir}: the parapet package is not built (no ${f}); run npm run build`);
  }
  const snippets = join(pkgDir, "snippets");
  files.snippets = existsSync(snippets) ? walk(snippets).map((f) => relative(pkgDir, f).split(sep).join("/")) : [];
  return files;
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]);
}

/**
 * The engine in Node (for checking a policy pack before workerd starts): the package's Node
 * entry, over the same wasm file the worker uses.
 */
export async function loadNodeEngine(pkgDir = DEFAULT_PKG_DIR) {
  return import(pathToFileURL(packageFiles(pkgDir).node).href);
}

/** `yaml` (pinned devDependency) as one ES module in the data directory; returns its path. */
function bundleYaml(dataDir) {
  const out = join(dataDir, "vendor-yaml.mjs");
  const require = createRequire(join(ROOT, "package.json"));
  const entry = join(dirname(require.resolve("yaml/package.json")), "browser/index.js");
  require("esbuild").buildSync({
    entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", outfile: out, logLevel: "error",
  });
  return out;
}

/**
 * Creates the data directory and its Durable Object storage directory readable by this user
 * only (0700). The approvals' SQLite files inside are created by workerd, which is started with
 * umask 077 (see startWorkerd), so they are 0600.
 */
export function privateDataDir(dataDir) {
  mkdirSync(join(dataDir, "do"), { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  chmodSync(join(dataDir, "do"), 0o700);
}

/** Directories 0700 and files 0600 under `dir` (symbolic links are left alone). */
export function restrictTree(dir) {
  chmodSync(dir, 0o700);
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isSymbolicLink()) continue;
    if (d.isDirectory()) restrictTree(p);
    else if (d.isFile() && (lstatSync(p).mode & 0o077) !== 0) chmodSync(p, 0o600);
  }
}

/** A Cap'n Proto text literal. JSON string escapes are a subset of capnp's. */
function str(s) {
  return JSON.stringify(String(s));
}

/** A path for `embed`, relative to the config file (capnp resolves embeds against it). */
function embedPath(configDir, file) {
  return relative(configDir, file).split(sep).join("/");
}

/**
 * Writes `config.capnp` (and the policy pack) into `dataDir` and returns its path.
 *
 * @param {object} o
 * @param {string} o.dataDir           directory for the config, policy copy and DO storage
 * @param {string} o.policyText        policy pack YAML, already validated
 * @param {string} [o.address]         listen address, 127.0.0.1:8787 by default
 * @param {string} [o.pkgDir]          the built npm package
 * @param {string} [o.demoDir]         the demo builder page (a placeholder when missing)
 * @param {string[]} [o.allowedOrigins]
 * @param {string} [o.webhookUrl]
 * @param {Record<string,string>} [o.extraText]  more text bindings (retry tuning, BENCH_NOOP)
 * Secrets are not written to the file: REVIEWER_TOKEN and WEBHOOK_SECRET are read by workerd
 * from the environment variables PARAPET_REVIEWER_TOKEN and PARAPET_WEBHOOK_SECRET.
 */
export function writeConfig(o) {
  const dataDir = resolve(o.dataDir);
  const address = o.address ?? "127.0.0.1:8787";
  const pkgDir = o.pkgDir ?? DEFAULT_PKG_DIR;
  const pkg = packageFiles(pkgDir);
  privateDataDir(dataDir);

  let demoDir = o.demoDir ?? DEFAULT_DEMO_DIR;
  if (!existsSync(join(demoDir, "index.html"))) {
    demoDir = join(dataDir, "placeholder");
    mkdirSync(demoDir, { recursive: true });
    writeFileSync(join(demoDir, "index.html"), PLACEHOLDER_PAGE, { mode: 0o600 });
  }

  const policyPath = join(dataDir, "policy.yaml");
  writeFileSync(policyPath, o.policyText, { mode: 0o600 });

  // The entry module first: workerd treats the first module as the main one.
  const sources = ["worker.js", ...readdirSync(EDGE_SRC).filter((f) => f.endsWith(".js") && f !== "worker.js").sort()];
  const modules = [
    ...sources.map((f) => `(name = ${str(f)}, esModule = embed ${str(embedPath(dataDir, join(EDGE_SRC, f)))})`),
    // `import … from "parapet"` gets the package's workerd entry; its relative imports
    // ("./parapet.js", "./parapet_bg.wasm") resolve beside it, to the names below.
    `(name = "parapet", esModule = embed ${str(embedPath(dataDir, pkg.entry))})`,
    `(name = "parapet.js", esModule = embed ${str(embedPath(dataDir, pkg.glue))})`,
    `(name = "parapet_bg.wasm", wasm = embed ${str(embedPath(dataDir, pkg.wasm))})`,
    // The catalog reads YAML manifests' metadata with the `yaml` npm package, bundled into one
    // module (wrangler bundles it the same way from node_modules).
    `(name = "yaml", esModule = embed ${str(embedPath(dataDir, bundleYaml(dataDir)))})`,
    ...pkg.snippets.map((f) => `(name = ${str(f)}, esModule = embed ${str(embedPath(dataDir, join(pkgDir, f)))})`),
  ];

  const text = {
    ALLOWED_ORIGINS: (o.allowedOrigins ?? []).join(","),
    WEBHOOK_URL: o.webhookUrl ?? "",
    ...(o.extraText ?? {}),
  };
  const bindings = [
    `(name = "POLICY_PACK", text = embed "policy.yaml")`,
    ...Object.entries(text).map(([k, v]) => `(name = ${str(k)}, text = ${str(v)})`),
    `(name = "REVIEWER_TOKEN", fromEnvironment = "PARAPET_REVIEWER_TOKEN")`,
    `(name = "WEBHOOK_SECRET", fromEnvironment = "PARAPET_WEBHOOK_SECRET")`,
    `(name = "APPROVALS", durableObjectNamespace = "ApprovalStore")`,
    `(name = "PLATFORM_TOKEN", fromEnvironment = "PARAPET_PLATFORM_TOKEN")`,
    `(name = "SIGNING_KEYS", fromEnvironment = "PARAPET_SIGNING_KEYS")`,
    `(name = "CATALOG_APPS", durableObjectNamespace = "CatalogApp")`,
    `(name = "CATALOG_INDEX", durableObjectNamespace = "CatalogIndex")`,
    `(name = "DEMO", service = "demo")`,
    `(name = "PKG", service = "pkg")`,
  ];

  const config = `# Generated by www/edge/config.mjs: edits are overwritten on the next start.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "parapet-edge", worker = .edgeWorker),
    (name = "do-disk", disk = (path = ${str(join(dataDir, "do"))}, writable = true)),
    (name = "demo", disk = (path = ${str(resolve(demoDir))})),
    (name = "pkg", disk = (path = ${str(resolve(pkgDir))})),
    # Outbound fetches (the approval webhook). "local" lets a receiver on this machine be used.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
    (name = "http", address = ${str(address)}, http = (), service = "parapet-edge"),
  ],
);

const edgeWorker :Workerd.Worker = (
  compatibilityDate = ${str(o.compatibilityDate ?? COMPATIBILITY_DATE)},
  modules = [
    ${modules.join(",\n    ")},
  ],
  bindings = [
    ${bindings.join(",\n    ")},
  ],
  durableObjectNamespaces = [
    (className = "ApprovalStore", uniqueKey = "parapet-edge-approvals", enableSql = true),
    (className = "CatalogApp", uniqueKey = "parapet-edge-catalog-app", enableSql = true),
    (className = "CatalogIndex", uniqueKey = "parapet-edge-catalog-index", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "do-disk"),
  globalOutbound = "internet",
);
`;
  const configPath = join(dataDir, "config.capnp");
  writeFileSync(configPath, config, { mode: 0o600 });
  // Everything in the data directory is the service's own: files 0600, directories 0700
  // (also repairs a directory written by an earlier version with the default umask).
  restrictTree(dataDir);
  return configPath;
}

/**
 * Starts workerd on a config and resolves once GET /healthz answers 200.
 * Rejects (with workerd's own stderr) if it exits first or is not ready within `timeoutMs`.
 *
 * @returns {Promise<{ child, url, output: { stdout: string, stderr: string }, readyMs: number, stop(): Promise<void> }>}
 */
export async function startWorkerd({ configPath, address = "127.0.0.1:8787", env = {}, timeoutMs = 30_000, pollMs = 25, echo = false }) {
  const started = performance.now();
  // workerd creates the Durable Objects' SQLite files (and their -wal/-shm companions) with the
  // process umask: 077 makes them 0600. The umask is inherited at spawn, then restored here.
  const umask = process.umask(0o077);
  let child;
  try {
    child = spawn(workerdBinary(), ["serve", configPath], {
      cwd: dirname(configPath),
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } finally {
    process.umask(umask);
  }
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => { output.stdout += d; if (echo) process.stdout.write(d); });
  child.stderr.on("data", (d) => { output.stderr += d; if (echo) process.stderr.write(d); });
  // workerd does not outlive the process that started it, however that process ends.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  const exited = new Promise((res) => child.once("exit", (code, signal) => {
    process.removeListener("exit", reap);
    res({ code, signal });
  }));
  let exit = null;
  exited.then((e) => { exit = e; });

  const url = `http://${address}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) {
      throw new Error(`workerd exited (${exit.code ?? exit.signal}) before it was ready:\n${output.stderr.trim()}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`workerd was not ready within ${timeoutMs} ms:\n${output.stderr.trim()}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const readyMs = performance.now() - started;

  const stop = async () => {
    if (exit) return;
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  };
  /** Ends workerd at once with `signal` (SIGKILL plays a crash). */
  const kill = async (signal = "SIGKILL") => {
    if (exit) return;
    child.kill(signal);
    await exited;
  };
  return { child, url, output, readyMs, exited, stop, kill };
}

const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Parapet edge</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }</style>
<h1>Parapet edge validator</h1>
<p>The demo builder page (<code>www/demo/</code>) is not in this checkout, so this placeholder is served instead.</p>
<ul>
  <li><code>POST /v1/validate</code> — a manifest (JSON or YAML) in, a report out</li>
  <li><code>POST /v1/approvals</code> — request approval (needs an <code>Idempotency-Key</code>)</li>
  <li><code>GET /v1/approvals/{id}</code> — an approval request and its status</li>
  <li><a href="/healthz"><code>GET /healthz</code></a> — engine and policy versions</li>
  <li><a href="/pkg/parapet.d.ts"><code>/pkg/</code></a> — the <code>parapet</code> npm package (its API types)</li>
</ul>
</html>
`;

/**
 * The edge's signing keys (private JWKs, newest first) kept in `dataDir/signing-keys.json`
 * (0600), generated once: one Ed25519 key with a dated kid. Returns the JSON text for the
 * SIGNING_KEYS binding (environment variable PARAPET_SIGNING_KEYS).
 */
export async function signingKeysInDataDir(dataDir) {
  const { existsSync: exists, readFileSync: read, writeFileSync: write } = await import("node:fs");
  const path = join(dataDir, "signing-keys.json");
  if (!exists(path)) write(path, JSON.stringify([await generateSigningKey()]) + "\n", { mode: 0o600 });
  return read(path, "utf8").trim();
}

/** A new private Ed25519 JWK with a kid (`edge-YYYYMMDD-` and 8 characters of its thumbprint). */
export async function generateSigningKey() {
  const { generateKeyPairSync, createHash } = await import("node:crypto");
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const thumb = createHash("sha256").update(`{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`).digest("base64url");
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return { kty: "OKP", crv: "Ed25519", kid: `edge-${day}-${thumb.slice(0, 8)}`, x: jwk.x, d: jwk.d };
}

/** The public JWKS of SIGNING_KEYS text. */
export function publicJwks(signingKeysText) {
  const list = JSON.parse(signingKeysText);
  const keys = Array.isArray(list) ? list : list.keys;
  return { keys: keys.map((k) => ({ kty: "OKP", crv: "Ed25519", kid: k.kid, x: k.x })) };
}

/**
 * The policy pack text with `approvals.trustedKeys` set to `jwks` when the pack names none, so
 * that the edge's engine accepts the waivers the edge signs. Comments and layout are kept.
 */
export async function policyTrustingKeys(policyText, jwks) {
  const require = createRequire(join(ROOT, "package.json"));
  const YAML = require("yaml");
  const doc = YAML.parseDocument(policyText);
  if (doc.hasIn(["approvals", "trustedKeys"])) return policyText;
  doc.setIn(["approvals", "trustedKeys"], doc.createNode(jwks, { flow: false }));
  return doc.toString();
}
