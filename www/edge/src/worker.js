// Parapet's edge worker: validates manifests and takes in approval requests (see
// docs/edge-api.md). Plain module worker; the same file runs in workerd (`npm start`) and on
// Cloudflare (www/edge/wrangler.toml).
//
// Bindings:
//   POLICY_PACK            text   policy pack YAML (required; invalid → the worker fails at start)
//   ALLOWED_ORIGINS        text   origins allowed to call the API from a browser (comma list or JSON)
//   WEBHOOK_URL            text   where approval requests are POSTed (optional)
//   WEBHOOK_SECRET         text   HMAC-SHA256 key for Parapet-Signature (required with WEBHOOK_URL)
//   REVIEWER_TOKEN         text   bearer token for decisions and the reviewers' queue (required)
//   APPROVALS              durable object namespace of ApprovalStore (SQLite-backed)
//   CATALOG_APPS, CATALOG_INDEX   durable object namespaces of CatalogApp and CatalogIndex (catalog.js)
//   CATALOG_SHARDS         text   number of catalog index shards (optional, default 8; fixed per deployment)
//   PLATFORM_TOKEN         text   bearer token for POST /v1/catalog (unset: registration is refused)
//   DEMO, PKG              services serving the demo builder page and the npm package (optional)
//   WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_TIMEOUT_MS   retry tuning (optional)
//   VALIDATE_INFLIGHT_BYTES  body bytes of engine work admitted at once (1 MiB; beyond: 503)
//   VALIDATE_HEAVY_BYTES_PER_SECOND  rate of bodies over 64 KB admitted (512 KiB/s; beyond: 503)
//   APPROVALS_PER_MINUTE     approval requests per client address per minute (60; beyond: 429)
//   APPROVALS_PER_REQUESTER_PER_HOUR, APPROVALS_MAX_BYTES   the approval store's intake bounds
//                            (20 per requester per hour, 256 MiB of SQLite; beyond: 429)
//   BENCH_NOOP             "1" enables /__bench/noop, the benchmark's trivial handler (bench only)

import { env as startupEnv } from "cloudflare:workers";
import { fieldsWithSecrets, loadEngine, RULE, syntaxFailure } from "./engine.js";
import {
  canonicalJson, constantTimeEquals, Cors, decodeUtf8, discardBody, json, jsonText, MANIFEST_TYPES, MAX_BODY_BYTES, mediaType, parseJson, parseOrigins,
  inputDigest, Problem, problems, readBody, sha256Hex, todayUtc,
} from "./http.js";

import { catalogRoute, recordScanQuietly } from "./catalog.js";
import { attest, signWaiver } from "./attestations.js";
import { keysResponse, parseSigningKeys } from "./keys.js";
import { bearerToken, busy, clientKey, Gate, positiveInt, RateLimiter } from "./guards.js";

export { ApprovalStore } from "./approvals.js";
export { CatalogApp, CatalogIndex } from "./catalog.js";

/** Everything configured once per isolate, checked when the module loads. */
function configure(env) {
  const { engine, policy, version } = loadEngine(env.POLICY_PACK);
  const cors = new Cors(parseOrigins(env.ALLOWED_ORIGINS));
  const webhook = env.WEBHOOK_URL ? String(env.WEBHOOK_URL) : "";
  if (webhook) {
    let u;
    try {
      u = new URL(webhook);
    } catch {
      throw new Error("WEBHOOK_URL is not a URL");
    }
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("WEBHOOK_URL must be http(s)");
    if (!env.WEBHOOK_SECRET || String(env.WEBHOOK_SECRET).length < 16) {
      throw new Error("WEBHOOK_SECRET must be set (16 characters or more) when WEBHOOK_URL is");
    }
  }
  if (!env.REVIEWER_TOKEN || String(env.REVIEWER_TOKEN).length < 16) {
    throw new Error("REVIEWER_TOKEN must be set (16 characters or more)");
  }
  if (!env.APPROVALS) throw new Error("APPROVALS durable object binding is missing");
  // Ed25519 keys for signed waivers and attestations (optional; see keys.js).
  const signer = parseSigningKeys(env.SIGNING_KEYS);
  return {
    signer,
    engine, policy, version, cors, reviewerToken: String(env.REVIEWER_TOKEN),
    // Engine work admitted at once (body bytes in flight): beyond it, 503 + Retry-After.
    gate: new Gate({
      bytes: positiveInt(env.VALIDATE_INFLIGHT_BYTES, 1024 * 1024),
      heavyBytesPerSecond: positiveInt(env.VALIDATE_HEAVY_BYTES_PER_SECOND, 512 * 1024),
    }),
    // Approval requests taken in per client address (in this isolate), per minute.
    intake: new RateLimiter({ limit: positiveInt(env.APPROVALS_PER_MINUTE, 60), windowMs: 60_000 }),
    // POST /v1/catalog's bearer token (the catalog's other routes need none).
    platformToken: env.PLATFORM_TOKEN ? String(env.PLATFORM_TOKEN) : "",
  };
}

// A missing or invalid configuration throws here, at start-up: workerd refuses to serve and
// prints the error; on Cloudflare the deployment fails.
const config = configure(startupEnv);

export default {
  async fetch(request, env, ctx) {
    try {
      return await route(request, env, ctx);
    } catch (e) {
      if (e instanceof Problem) return config.cors.decorate(request, e.toResponse());
      // A manifest object can grow past the engine's input limit once indented as JSON text.
      if (e?.name === "ParapetError" && e.code === "input_too_large") {
        return config.cors.decorate(request, problems.tooLarge().toResponse());
      }
      // Never log the error message: a runtime error can quote the input it choked on.
      console.error(JSON.stringify({ msg: "unhandled error", name: String(e?.name ?? "").slice(0, 40), code: String(e?.code ?? "").slice(0, 40) }));
      return problems.internal().toResponse();
    }
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function route(request, env) {
  const url = new URL(request.url);
  const path = url.pathname;
  const { cors } = config;

  if (path === "/healthz") {
    if (request.method === "OPTIONS") return cors.preflight(request, ["GET", "HEAD"]);
    allow(request, ["GET", "HEAD"]);
    return cors.decorate(request, json({
      status: "ok",
      engine: { name: "parapet", version: config.version },
      policy: config.policy,
    }));
  }

  if (path === "/v1" || path.startsWith("/v1/")) {
    const api = apiRoute(path);
    if (!api) throw problems.notFound();
    if (request.method === "OPTIONS") return cors.preflight(request, api.methods);
    allow(request, api.methods);
    return cors.decorate(request, await api.handle(request, env, url));
  }

  if (path === "/catalog") return Response.redirect(`${url.origin}/catalog/`, 308);
  if (path === "/review") return Response.redirect(`${url.origin}/review/`, 308);

  if (path === "/__bench/noop" && env.BENCH_NOOP === "1") {
    // The benchmark's baseline: same runtime, same request, no engine.
    await request.arrayBuffer();
    return json({ ok: true });
  }

  return serveStatic(request, env, path);
}

function apiRoute(path) {
  const catalog = catalogRoute(path, config);
  if (catalog) return catalog;
  if (path === "/v1/validate") return { methods: ["POST"], handle: validate };
  if (path === "/v1/keys") return { methods: ["GET"], handle: () => keysResponse(config.signer) };
  if (path === "/v1/attestations") return { methods: ["POST"], handle: attestation };
  if (path === "/v1/approvals") {
    return { methods: ["GET", "POST"], handle: (r, env, url) => (r.method === "POST" ? createApproval(r, env) : listApprovals(r, env, url)) };
  }
  const m = /^\/v1\/approvals\/([^/]+)(\/decision)?$/.exec(path);
  if (m && UUID.test(m[1])) {
    return m[2]
      ? { methods: ["POST"], handle: (r, env) => decide(r, env, m[1]) }
      : { methods: ["GET"], handle: (r, env) => getApproval(env, m[1]) };
  }
  return null;
}

function allow(request, methods) {
  const ok = methods.includes(request.method) || (request.method === "HEAD" && methods.includes("GET"));
  if (!ok) throw problems.methodNotAllowed([...methods, "OPTIONS"]);
}

// ---------------------------------------------------------------------------------------------
// POST /v1/validate

const MANIFEST_TYPE_LIST = ["application/json", "application/yaml", "text/yaml", "text/plain"];

async function validate(request) {
  const format = MANIFEST_TYPES[mediaType(request)];
  if (!format) throw problems.unsupportedMediaType(request.headers.get("content-type"), MANIFEST_TYPE_LIST);
  const tier = tierParam(request);
  return admitted(request, async () => {
    const bytes = await readBody(request);
    // Bytes, not text: invalid UTF-8 becomes the engine's manifest/syntax finding, as in the CLI.
    // Every outcome is a report, an unreadable body included (a manifest/syntax deny): one
    // shape for clients, as the CLI and the wasm API give.
    // The report as JSON bytes made by the engine: no JavaScript objects built only to be
    // serialised again, and no string decoded only to be encoded again for the body.
    const digest = await inputDigest(bytes);
    return jsonText(config.engine.evaluateJsonBytes(bytes, { now: todayUtc(), format, digest, ...(tier && { tier }) }));
  });
}

/**
 * Runs `fn` (which reads the body and runs the engine) once the gate admits the request; a
 * request turned away has its body read and dropped first, then gets the 503.
 */
async function admitted(request, fn) {
  // A body declared over the limit is refused (413) by readBody before any work: not gated.
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) return fn();
  let release;
  try {
    release = config.gate.enter(declaredSize(request));
  } catch (e) {
    await discardBody(request);
    throw e;
  }
  try {
    return await fn();
  } finally {
    release();
  }
}

/** POST /v1/attestations: the same bodies as /v1/validate; a signed in-toto attestation. */
async function attestation(request, env) {
  const format = MANIFEST_TYPES[mediaType(request)];
  if (!format) throw problems.unsupportedMediaType(request.headers.get("content-type"), MANIFEST_TYPE_LIST);
  if (!config.signer) {
    throw new Problem(503, "signing-not-configured", "Signing Not Configured",
      "This service has no signing key (SIGNING_KEYS), so it cannot issue attestations.");
  }
  return admitted(request, async () => {
    const bytes = await readBody(request);
    const report = config.engine.evaluate(bytes, { now: todayUtc(), format, digest: await inputDigest(bytes) });
    if (unreadable(report)) throw malformedManifest(report);
    const envelope = await attest(config.signer, report, config.version);
    await recordScanQuietly(env, {
      report, text: decodeUtf8Lossy(bytes), source: "attestation",
      attestation: { id: envelope.signatures[0].sig.slice(0, 16), inputDigest: report.input.digest, verdict: report.verdict, issued: new Date().toISOString() },
    });
    return json(envelope, 201);
  });
}

function decodeUtf8Lossy(bytes) {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** The body size a request declares, or the largest accepted when it declares none. */
function declaredSize(request) {
  const n = Number(request.headers.get("content-length"));
  return Number.isFinite(n) && n >= 0 ? Math.min(n, MAX_BODY_BYTES) : MAX_BODY_BYTES;
}

/** `?tier=` for vendor exports (n8n, Node-RED, ...), which state no tier of their own. */
function tierParam(request) {
  const tier = new URL(request.url).searchParams.get("tier");
  if (tier === null) return null;
  if (!["sandbox", "controlled", "production"].includes(tier)) {
    throw problems.invalid("tier must be sandbox, controlled or production.");
  }
  return tier;
}

/** A report on a body the engine could not parse at all (as opposed to a bad manifest). */
function unreadable(report) {
  return syntaxFailure(report) !== null;
}

function malformedManifest(report) {
  const f = syntaxFailure(report);
  const at = f?.location ? ` (line ${f.location.line}, column ${f.location.column})` : "";
  // The engine's message describes the syntax error without quoting the input; the report
  // rides along so that clients get the same finding the CLI would print.
  return problems.malformed(`The manifest is not valid YAML or JSON${at}: ${f?.message ?? "unreadable"}.`, { report });
}

// ---------------------------------------------------------------------------------------------
// Approvals

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

function approvalStore(env) {
  return env.APPROVALS.get(env.APPROVALS.idFromName("approvals"));
}

async function createApproval(request, env) {
  const key = request.headers.get("idempotency-key");
  if (key === null || key.trim() === "") {
    throw new Problem(400, "missing-idempotency-key", "Idempotency-Key Required",
      "POST /v1/approvals needs an Idempotency-Key header (for example a UUID), so that a retried request is not recorded twice.");
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw problems.invalid("The Idempotency-Key header must be 1 to 200 visible ASCII characters.");
  }
  if (mediaType(request) !== "application/json") {
    throw problems.unsupportedMediaType(request.headers.get("content-type"), ["application/json"]);
  }
  try {
    config.intake.take(clientKey(request));
  } catch (e) {
    await discardBody(request);
    throw e;
  }
  return admitted(request, () => takeApproval(request, env, key));
}

async function takeApproval(request, env, key) {
  const body = parseJson(decodeUtf8(await readBody(request)));
  const input = approvalInput(body);

  const report = config.engine.evaluate(input.manifestText, { now: todayUtc(), format: "auto" });
  if (unreadable(report)) throw malformedManifest(report);
  const matched = report.findings.filter((f) => f.level === "approval" && input.rules.includes(f.rule));
  if (matched.length === 0) {
    const levels = Object.fromEntries(input.rules.map((r) => [r, highestLevel(report, r)]));
    throw new Problem(422, "no-approval-needed", "No Requested Rule Needs Approval",
      "None of the requested rules is at level approval for this manifest under the service's policy.",
      { extra: { levels } });
  }
  const approvalRules = [...new Set(matched.map((f) => f.rule))];
  const routes = [...new Set(matched.map((f) => f.approval?.route).filter(Boolean))].sort();
  const summary = reportSummary(report);
  const bodyHash = await sha256Hex(canonicalJson({
    manifest: body.manifest, rules: body.rules, requester: body.requester, justification: input.justification,
  }));

  const result = await approvalStore(env).create({
    // Only a hash of the Idempotency-Key is kept: the key is the client's, it may be meaningful.
    key: `sha256:${await sha256Hex(key)}`,
    bodyHash,
    requester: input.requester,
    justification: input.justification,
    rules: input.rules,
    approvalRules,
    routes,
    summary,
    event: {
      requester: input.requester,
      justification: input.justification,
      rules: input.rules,
      approvalRules,
      routes,
      app: report.app,
      verdict: report.verdict,
      findings: keepFindings(matched).findings.map(findingSummary),
      policy: report.policy,
      input: report.input,
    },
  });
  if (result.outcome === "rate-limited" || result.outcome === "quota") {
    throw busy(429, result.outcome === "quota"
      ? "The approval store is full; try again later."
      : "This requester has sent too many approval requests; try again later.", result.retryAfter);
  }
  if (result.outcome === "conflict") {
    throw new Problem(409, "idempotency-key-reused", "Idempotency-Key Reused",
      "This Idempotency-Key was already used for a different request body.");
  }
  const status = result.outcome === "created" ? 201 : 200;
  if (result.outcome === "created") {
    await recordScanQuietly(env, {
      report, text: input.manifestText, source: "approval",
      approval: { id: result.id, status: result.status, rules: approvalRules },
    });
  }
  return json({ id: result.id, status: result.status }, status, { location: `/v1/approvals/${result.id}` });
}

/** Checks the approval request's shape; names the field at fault, never its content. */
function approvalInput(body) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw problems.invalid("The body must be a JSON object { manifest, rules, requester, justification }.");
  }
  // The widget's justification field is optional: absent or empty is "".
  const { manifest, rules, requester, justification = "" } = body;
  let manifestText;
  if (typeof manifest === "string" && manifest.trim() !== "") manifestText = manifest;
  else if (manifest !== null && typeof manifest === "object" && !Array.isArray(manifest)) {
    // As the engine reads an object: its locations refer to this text.
    manifestText = JSON.stringify(manifest, null, 2);
  } else {
    throw problems.invalid("`manifest` must be the manifest's YAML/JSON text or a manifest object.", { field: "manifest" });
  }
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 50
    || !rules.every((r) => typeof r === "string" && RULE_ID.test(r))) {
    throw problems.invalid(`\`rules\` must be a non-empty array (at most 50) of rule ids such as "${RULE.IntegrationExternalConnector}".`, { field: "rules" });
  }
  if (typeof requester !== "string" || requester.trim() === "" || requester.length > 200) {
    throw problems.invalid("`requester` must be a non-empty string of at most 200 characters.", { field: "requester" });
  }
  if (typeof justification !== "string" || justification.length > 4000) {
    throw problems.invalid("`justification` must be a string of at most 4000 characters.", { field: "justification" });
  }
  rejectSecrets({ requester, justification });
  return { manifestText, rules: [...new Set(rules)], requester: requester.trim(), justification };
}

/**
 * Free text that the API stores and shows (requester, justification, a reviewer's comment) is
 * checked with the engine's secret detectors and the pack's allow-list (`engine.checkText`): a
 * pasted token is refused, naming the field only, so it is never stored, returned or forwarded.
 */
function rejectSecrets(fields) {
  const hits = fieldsWithSecrets(config.engine, fields);
  if (hits.length) {
    throw problems.invalid(`${hits.map((h) => `\`${h}\``).join(" and ")} appear${hits.length === 1 ? "s" : ""} to contain a secret; remove it and send the request again.`, { fields: hits });
  }
}

const LEVEL_RANK = { info: 1, warn: 2, approval: 3, deny: 4 };

/**
 * At most this many findings are stored and forwarded per approval request (the most severe
 * first; `counts` still counts them all): a hostile manifest can yield tens of thousands.
 */
const MAX_STORED_FINDINGS = 200;

function keepFindings(findings) {
  if (findings.length <= MAX_STORED_FINDINGS) return { findings, omitted: 0 };
  const ranked = findings.map((f, i) => [f, i])
    .sort((a, b) => (LEVEL_RANK[b[0].level] - LEVEL_RANK[a[0].level]) || (a[1] - b[1]))
    .slice(0, MAX_STORED_FINDINGS)
    .sort((a, b) => a[1] - b[1])
    .map(([f]) => f);
  return { findings: ranked, omitted: findings.length - MAX_STORED_FINDINGS };
}

function highestLevel(report, rule) {
  let best = null;
  for (const f of report.findings) {
    if (f.rule === rule && (best === null || LEVEL_RANK[f.level] > LEVEL_RANK[best])) best = f.level;
  }
  return best;
}

function findingSummary(f) {
  return { rule: f.rule, level: f.level, message: f.message, path: f.path, location: f.location, approval: f.approval, waivedBy: f.waivedBy };
}

/** What the API returns about the manifest: the engine's report (its messages are redacted). */
function reportSummary(report) {
  const kept = keepFindings(report.findings);
  return {
    verdict: report.verdict,
    app: report.app,
    classification: { declared: report.classification.declared, detected: report.classification.detected },
    counts: report.counts,
    findings: kept.findings.map(findingSummary),
    ...(kept.omitted ? { omittedFindings: kept.omitted } : {}),
    policy: report.policy,
    input: report.input,
  };
}

async function getApproval(env, id) {
  const approval = await approvalStore(env).get(id);
  if (!approval) throw problems.notFound("No approval request has this id.");
  return json(approval);
}

async function requireReviewer(request) {
  const token = bearerToken(request);
  // No header, or `Bearer` with nothing after it: no credentials (401), as the docs say.
  if (token === null) throw problems.unauthorized();
  if (token === false || !(await constantTimeEquals(token, config.reviewerToken))) throw problems.forbidden();
}

async function listApprovals(request, env, url) {
  await requireReviewer(request);
  const status = url.searchParams.get("status");
  if (status !== null && !["pending", "approved", "rejected"].includes(status)) {
    throw problems.invalid("`status` must be pending, approved or rejected.");
  }
  const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : 50;
  const after = url.searchParams.has("after") ? Number(url.searchParams.get("after")) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw problems.invalid("`limit` must be 1 to 200.");
  if (!Number.isInteger(after) || after < 0) throw problems.invalid("`after` must be a cursor from `next`.");
  return json(await approvalStore(env).list({ status, after, limit }));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

async function decide(request, env, id) {
  await requireReviewer(request);
  if (mediaType(request) !== "application/json") {
    throw problems.unsupportedMediaType(request.headers.get("content-type"), ["application/json"]);
  }
  const body = parseJson(decodeUtf8(await readBody(request)));
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw problems.invalid("The body must be a JSON object { decision, reviewer, expires?, comment? }.");
  }
  const { decision, reviewer, expires = null, comment = null } = body;
  if (decision !== "approved" && decision !== "rejected") {
    throw problems.invalid("`decision` must be \"approved\" or \"rejected\".", { field: "decision" });
  }
  if (typeof reviewer !== "string" || reviewer.trim() === "" || reviewer.length > 200) {
    throw problems.invalid("`reviewer` must be a non-empty string of at most 200 characters.", { field: "reviewer" });
  }
  if (expires !== null && (typeof expires !== "string" || !validDate(expires))) {
    throw problems.invalid("`expires` must be a date as YYYY-MM-DD.", { field: "expires" });
  }
  if (expires !== null && expires < todayUtc()) {
    throw problems.invalid("`expires` is in the past.", { field: "expires" });
  }
  if (comment !== null && (typeof comment !== "string" || comment.length > 4000)) {
    throw problems.invalid("`comment` must be a string of at most 4000 characters.", { field: "comment" });
  }
  rejectSecrets({ reviewer, ...(comment !== null ? { comment } : {}) });
  // An approval is signed into a waiver the builder and CI accept offline (attestations.js).
  let waiver = null;
  if (decision === "approved" && config.signer) {
    const pending = await approvalStore(env).get(id);
    if (pending?.status === "pending") {
      waiver = await signWaiver(config.signer, pending, { reviewer: reviewer.trim(), expires, today: todayUtc() });
    }
  }
  const result = await approvalStore(env).decide(id, { decision, reviewer: reviewer.trim(), expires, comment, waiver });
  if (result.outcome === "not-found") throw problems.notFound("No approval request has this id.");
  if (result.outcome === "conflict") {
    throw new Problem(409, "already-decided", "Already Decided",
      `This request was already ${result.status}; a decision is recorded once.`);
  }
  if (result.outcome === "decided") {
    const a = result.approval;
    await recordScanQuietly(env, {
      name: a.report?.app?.name, source: "approval",
      approval: { id: a.id, status: a.status, rules: a.approvalRules, decidedAt: a.decision?.decidedAt },
    });
  }
  return json(result.approval);
}

function validDate(s) {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

// ---------------------------------------------------------------------------------------------
// The demo builder page at / and the npm package at /pkg/

const CONTENT_TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  wasm: "application/wasm",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  map: "application/json",
  ts: "text/plain; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  md: "text/plain; charset=utf-8",
  yaml: "text/yaml; charset=utf-8",
  yml: "text/yaml; charset=utf-8",
};

async function serveStatic(request, env, path) {
  let service = env.DEMO;
  let file = path;
  if (path === "/pkg" || path.startsWith("/pkg/")) {
    service = env.PKG;
    file = path.slice("/pkg".length) || "/";
  }
  if (!service) throw problems.notFound();
  if (request.method !== "GET" && request.method !== "HEAD") throw problems.methodNotAllowed(["GET", "HEAD"]);
  if (file.endsWith("/")) file += "index.html";
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  const upstream = await service.fetch(new Request(`http://static${file}`, { method: request.method }));
  if (!upstream.ok) {
    await upstream.body?.cancel();
    throw problems.notFound();
  }
  if (isListing(upstream, ext)) {
    // A directory is never listed (the disk service answers one with a JSON list of its
    // entries); one with a page redirects to it.
    await upstream.body?.cancel();
    const page = await service.fetch(new Request(`http://static${file}/index.html`, { method: "HEAD" }));
    await page.body?.cancel();
    if (page.ok && !file.endsWith("/index.html")) return Response.redirect(new URL(`${path}/`, request.url).href, 308);
    throw problems.notFound();
  }
  const headers = new Headers(upstream.headers);
  headers.set("content-type", CONTENT_TYPES[ext] ?? "application/octet-stream");
  headers.set("x-content-type-options", "nosniff");
  headers.set("cache-control", "no-cache");
  return new Response(upstream.body, { status: 200, headers });
}

/** A disk service's answer for a directory: a JSON listing where a file of another type was asked. */
function isListing(upstream, ext) {
  const type = upstream.headers.get("content-type") ?? "";
  return type.includes("json") && ext !== "json" && ext !== "map";
}
