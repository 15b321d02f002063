// The app catalog and metrics API (docs/catalog-and-metrics.md):
//
//   POST /v1/catalog                  register a manifest or vendor export (platform token)
//   GET  /v1/catalog                  list: filters, sort, cursor paging
//   GET  /v1/catalog/{name}           one app with its history (last 50 scans)
//   GET  /v1/catalog/{name}/entity    its Backstage Component entity (YAML or JSON by Accept)
//   GET  /v1/metrics                  Prometheus text exposition (JSON with Accept: application/json)
//
// Other modules record scans through `recordScan(env, { report, text, source, ... })`
// (approval requests, attestations). Storage is in catalog-store.js.

import { fieldsWithSecrets, RULE, syntaxFailure } from "./engine.js";
import { bearerToken } from "./guards.js";
import YAML from "yaml";
import {
  constantTimeEquals, decodeUtf8, json, MANIFEST_TYPES, mediaType, Problem, problems, readBody, todayUtc,
} from "./http.js";
import {
  allShards, appObject, HISTORY_LIMIT, indexShard, LEVELS, SORTS, TIERS, VERDICTS,
} from "./catalog-store.js";

export { CatalogApp, CatalogIndex } from "./catalog-store.js";

/** Catalog names are Backstage entity names: lower-case words joined by "-", at most 63. */
export const CATALOG_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The catalog name for an app name: lower-cased, anything else than a-z0-9 becomes "-". */
export function catalogName(raw) {
  if (typeof raw !== "string") return null;
  const s = raw.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "")
    .slice(0, 63).replace(/-+$/, "");
  return s === "" ? null : s;
}

// ---------------------------------------------------------------------------------------------
// Recording scans (the function other modules call)

/**
 * Records one evaluation of an app in the catalog and returns its new record (or null when the
 * report names no app). Stores only redacted report fields and manifest metadata (title, owner,
 * platform, cost, review dates, exceptions' rule/expiry/ticket) — never the manifest text; a
 * metadata field the engine flagged as holding a secret is stored as "[redacted]".
 *
 * @param {object} env   the worker's env (CATALOG_APPS, CATALOG_INDEX bindings)
 * @param {object} scan
 * @param {object} scan.report        the engine's report for `text`
 * @param {string} [scan.text]        the manifest/export text the report is about (read for metadata)
 * @param {"register"|"approval"|"attestation"} scan.source
 * @param {string} [scan.name]        catalog name override (else the report's app name)
 * @param {object} [scan.meta]        metadata overrides ({ owner, title, platform })
 * @param {object} [scan.attestation] { id, inputDigest, verdict, issued, expires? }
 * @param {object} [scan.approval]    { id, status, rules }
 */
export async function recordScan(env, scan) {
  if (!env.CATALOG_APPS || !env.CATALOG_INDEX) return null;
  const name = catalogName(scan.name ?? scan.report?.app?.name);
  if (!name) return null;
  const meta = { ...manifestMeta(scan.text, scan.report), ...definedOnly(scan.meta ?? {}) };
  return appObject(env, name).upsert({
    name,
    source: scan.source,
    at: new Date().toISOString(),
    report: scan.report ? redactedReport(scan.report) : null,
    meta,
    attestation: scan.attestation ?? null,
    approval: scan.approval ?? null,
  });
}

/** `recordScan` without failing the caller: the catalog is secondary to approvals/attestations. */
export async function recordScanQuietly(env, scan) {
  try {
    return await recordScan(env, scan);
  } catch (e) {
    console.warn(JSON.stringify({ msg: "catalog update failed", source: scan?.source, name: e?.name }));
    return null;
  }
}

function definedOnly(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

const MAX_KEPT_FINDINGS = 200;
const RANK = { info: 1, warn: 2, approval: 3, deny: 4 };

/** The `max` most severe findings, in their report order. */
function mostSevere(findings, max) {
  if (findings.length <= max) return findings;
  return findings.map((f, i) => [f, i])
    .sort((a, b) => ((RANK[b[0].level] ?? 0) - (RANK[a[0].level] ?? 0)) || (a[1] - b[1]))
    .slice(0, max)
    .sort((a, b) => a[1] - b[1])
    .map(([f]) => f);
}

/** The report fields the catalog keeps. Finding messages are the engine's redacted ones. */
export function redactedReport(r) {
  return {
    verdict: r.verdict,
    app: { name: r.app?.name ?? null, tier: r.app?.tier ?? null },
    counts: r.counts,
    classification: {
      declared: r.classification?.declared ?? null,
      detected: r.classification?.detected ?? null,
      classes: (r.classification?.classes ?? []).slice(0, MAX_KEPT_FINDINGS).map((c) => ({ class: c.class, level: c.level, path: c.path })),
    },
    // At most MAX_KEPT_FINDINGS (the most severe): a hostile manifest can yield tens of
    // thousands, and every scan is kept. `counts` still counts them all.
    findings: mostSevere(r.findings ?? [], MAX_KEPT_FINDINGS).map((f) => ({
      rule: f.rule,
      level: f.level,
      message: f.message,
      path: f.path,
      line: f.location?.line ?? null,
      approval: f.approval?.route ?? null,
      waived: Boolean(f.waivedBy),
    })),
    policy: r.policy,
    input: r.input,
  };
}

/**
 * Title, owner, platform, cost, review dates and exceptions from a manifest (or a Backstage
 * entity); for a vendor export only its platform. Strings under a pointer where the engine found
 * a secret are replaced by "[redacted]".
 */
export function manifestMeta(text, report) {
  const format = report?.input?.format ?? "unknown";
  const meta = {};
  if (format !== "parapet" && format !== "backstage") {
    if (format !== "unknown") meta.platform = format;
    return meta;
  }
  const doc = parseDocument(text);
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return meta;
  const secretPaths = (report.findings ?? [])
    .filter((f) => f.rule === RULE.SecretsPlaintextSecret)
    .map((f) => f.path);
  const safe = (pointer, v) => {
    if (typeof v !== "string" || v.trim() === "") return undefined;
    if (secretPaths.some((p) => p === pointer || p.startsWith(`${pointer}/`))) return "[redacted]";
    return v.length > 200 ? `${v.slice(0, 199)}…` : v;
  };
  const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
  const md = obj(doc.metadata);
  const spec = obj(doc.spec);
  meta.title = safe("/metadata/title", md.title);
  meta.owner = safe("/spec/owner", spec.owner);
  if (format === "backstage") {
    meta.platform = "backstage";
    return definedOnly(meta);
  }
  meta.platform = safe("/spec/platform", spec.platform);
  if (spec.cost && typeof spec.cost === "object") {
    const c = obj(spec.cost);
    meta.cost = {
      currency: safe("/spec/cost/currency", c.currency) ?? null,
      budget: num(c.budgetMonthly),
      estimate: num(c.estimateMonthly),
      actual: num(c.actualMonthly),
    };
  }
  if (spec.review && typeof spec.review === "object") {
    const r = obj(spec.review);
    meta.review = {
      lastReviewed: safe("/spec/review/lastReviewed", dateText(r.lastReviewed)) ?? null,
      retireBy: safe("/spec/review/retireBy", dateText(r.retireBy)) ?? null,
    };
  }
  if (Array.isArray(spec.exceptions)) {
    meta.exceptions = spec.exceptions.slice(0, 100).map((e, i) => {
      const x = obj(e);
      const at = `/spec/exceptions/${i}`;
      return {
        rule: safe(`${at}/rule`, x.rule) ?? null,
        expires: safe(`${at}/expires`, dateText(x.expires)) ?? null,
        ticket: safe(`${at}/ticket`, x.ticket) ?? null,
        signed: Boolean(x.approval && typeof x.approval === "object"),
      };
    });
  }
  return definedOnly(meta);
}

function dateText(v) {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === "string" ? v : undefined;
}

/** JSON first, then YAML (bounded aliases); null when neither reads it. */
function parseDocument(text) {
  if (typeof text !== "string" || text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    // not JSON
  }
  try {
    return YAML.parse(text, { maxAliasCount: 100, uniqueKeys: false, prettyErrors: false, logLevel: "silent" });
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

/**
 * The catalog's routes for `path`, or null. `deps` is the worker's configuration ({ engine,
 * platformToken }).
 */
export function catalogRoute(path, deps) {
  if (path === "/v1/catalog") {
    return {
      methods: ["GET", "POST"],
      handle: (r, env, url) => (r.method === "POST" ? register(r, env, url, deps) : list(env, url)),
    };
  }
  if (path === "/v1/metrics") return { methods: ["GET"], handle: (r, env) => metrics(r, env) };
  const m = /^\/v1\/catalog\/([^/]+)(\/entity)?$/.exec(path);
  if (m) {
    let name;
    try {
      name = decodeURIComponent(m[1]);
    } catch {
      name = "";
    }
    return m[2]
      ? { methods: ["GET"], handle: (r, env) => entity(r, env, name) }
      : { methods: ["GET"], handle: (r, env) => getApp(env, name) };
  }
  return null;
}


async function requirePlatform(request, deps) {
  // No header, or `Bearer` with nothing after it: no credentials, a 401.
  const given = bearerToken(request);
  if (given === null) throw platformUnauthorized();
  const token = deps.platformToken ?? "";
  // Compare even when no token is configured, so the answer takes the same time either way.
  const ok = await constantTimeEquals(given || "", token);
  if (!given || !token || !ok) {
    throw new Problem(403, "forbidden", "Forbidden", "The platform token is not valid.");
  }
}

function platformUnauthorized() {
  return new Problem(401, "unauthorized", "Unauthorized",
    "Registering an app needs the platform token: Authorization: Bearer <token>.",
    { headers: { "www-authenticate": 'Bearer realm="parapet-platform"' } });
}

const REGISTER_PARAMS = new Set(["name", "owner", "tier", "title"]);

async function register(request, env, url, deps) {
  await requirePlatform(request, deps);
  const params = strictParams(url, REGISTER_PARAMS);
  const format = MANIFEST_TYPES[mediaType(request)];
  if (!format) {
    throw problems.unsupportedMediaType(request.headers.get("content-type"),
      ["application/json", "application/yaml", "text/yaml", "text/plain"]);
  }
  if (params.tier !== undefined && !TIERS.includes(params.tier)) {
    throw problems.invalid("`tier` must be sandbox, controlled or production.", { field: "tier" });
  }
  for (const k of ["owner", "title", "name"]) {
    if (params[k] !== undefined && (params[k].trim() === "" || params[k].length > 200)) {
      throw problems.invalid(`\`${k}\` must be a non-empty string of at most 200 characters.`, { field: k });
    }
  }
  if (params.owner !== undefined || params.title !== undefined) {
    rejectSecrets(deps.engine, { owner: params.owner, title: params.title });
  }
  const bytes = await readBody(request);
  const options = { now: todayUtc(), format };
  if (params.tier) options.tier = params.tier;
  let report;
  try {
    try {
      report = deps.engine.evaluate(bytes, options);
    } catch (e) {
      // An engine without the `tier` option (vendor adapters add it): evaluate without it; the
      // caller's tier is then recorded only when the document names none.
      if (!(options.tier && e?.name === "ParapetError" && e.code === "invalid_argument")) throw e;
      delete options.tier;
      report = deps.engine.evaluate(bytes, options);
    }
  } catch (e) {
    if (e?.name === "ParapetError" && e.code !== "input_too_large") {
      throw problems.invalid(`The engine refused the request: ${e.code ?? "error"}.`);
    }
    throw e;
  }
  if (syntaxFailure(report)) {
    throw problems.malformed("The body is not valid YAML or JSON.", { report });
  }
  if (params.tier && !report.app.tier) report.app.tier = params.tier;
  const name = catalogName(params.name ?? report.app?.name);
  if (!name) {
    throw new Problem(422, "no-app-name", "No App Name",
      "The document names no app (metadata.name, or the export's name): pass ?name= to register it.");
  }
  const text = decodeLoose(bytes);
  const record = await recordScan(env, {
    report,
    text,
    source: "register",
    name,
    meta: { owner: params.owner, title: params.title },
  });
  const body = {
    name,
    verdict: record.verdict,
    tier: record.tier,
    counts: record.counts,
    lastScanned: record.lastScanned,
    scans: record.scans,
    links: { self: `/v1/catalog/${name}`, entity: `/v1/catalog/${name}/entity` },
  };
  return json(body, record.scans === 1 ? 201 : 200, { location: `/v1/catalog/${name}` });
}

function decodeLoose(bytes) {
  try {
    return decodeUtf8(bytes);
  } catch {
    return "";
  }
}

/** Free text for the catalog (query overrides) must not carry a secret: refused, field named. */
function rejectSecrets(engine, fields) {
  const hits = fieldsWithSecrets(engine, definedOnly(fields));
  if (hits.length) {
    throw problems.invalid(`${hits.map((h) => `\`${h}\``).join(" and ")} appear${hits.length === 1 ? "s" : ""} to contain a secret.`, { fields: hits });
  }
}

/** Query parameters as an object; an unknown or repeated parameter is a 400. */
function strictParams(url, allowed) {
  const out = {};
  for (const [k, v] of url.searchParams) {
    if (!allowed.has(k)) {
      throw problems.invalid(`Unknown query parameter \`${k.slice(0, 40).replace(/[^\w-]/g, "?")}\`; this resource takes ${[...allowed].join(", ")}.`, { parameter: "unknown" });
    }
    if (k in out) throw problems.invalid(`\`${k}\` is given more than once.`, { parameter: k });
    out[k] = v;
  }
  return out;
}

const LIST_PARAMS = new Set(["tier", "owner", "verdict", "platform", "over-budget", "review-overdue", "sort", "limit", "cursor"]);

/** Reads and checks the list query: filters, sort, limit, cursor. Throws 400 problems. */
export function listQuery(url) {
  const p = strictParams(url, LIST_PARAMS);
  const filters = {};
  if (p.tier !== undefined) {
    if (!TIERS.includes(p.tier)) throw badParam("tier", "must be sandbox, controlled or production");
    filters.tier = p.tier;
  }
  if (p.verdict !== undefined) {
    if (!VERDICTS.includes(p.verdict)) throw badParam("verdict", "must be allow, warn, approval or deny");
    filters.verdict = p.verdict;
  }
  for (const k of ["owner", "platform"]) {
    if (p[k] !== undefined) {
      if (p[k] === "" || p[k].length > 200) throw badParam(k, "must be 1 to 200 characters");
      filters[k] = p[k];
    }
  }
  for (const [k, f] of [["over-budget", "overBudget"], ["review-overdue", "reviewOverdue"]]) {
    if (p[k] !== undefined) {
      if (p[k] !== "true" && p[k] !== "false") throw badParam(k, "must be true or false");
      filters[f] = p[k] === "true" ? 1 : 0;
    }
  }
  const sortSpec = p.sort ?? "name";
  const desc = sortSpec.startsWith("-");
  const sort = desc ? sortSpec.slice(1) : sortSpec;
  if (!Object.hasOwn(SORTS, sort)) {
    throw badParam("sort", `must be one of ${Object.keys(SORTS).join(", ")}, optionally prefixed with - for descending`);
  }
  let limit = 50;
  if (p.limit !== undefined) {
    limit = Number(p.limit);
    if (!/^\d+$/.test(p.limit) || limit < 1 || limit > 200) throw badParam("limit", "must be an integer from 1 to 200");
  }
  let cursor = null;
  if (p.cursor !== undefined) {
    cursor = decodeCursor(p.cursor);
    if (!cursor || cursor.s !== sortSpec) throw badParam("cursor", "is not a cursor from `next` of this sort");
  }
  return { filters, sort, desc, sortSpec, limit, cursor };
}

function badParam(name, what) {
  return problems.invalid(`\`${name}\` ${what}.`, { parameter: name });
}

function encodeCursor(c) {
  return btoa(JSON.stringify(c)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(text) {
  if (text.length > 600 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const c = JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/")));
    if (!c || typeof c !== "object" || typeof c.s !== "string" || typeof c.n !== "string") return null;
    if (!(typeof c.k === "string" || typeof c.k === "number")) return null;
    return c;
  } catch {
    return null;
  }
}

async function list(env, url) {
  const q = listQuery(url);
  const shards = allShards(env);
  const cursor = q.cursor ? { key: q.cursor.k, name: q.cursor.n } : null;
  const parts = await Promise.all(shards.map((s) =>
    s.list({ filters: q.filters, sort: q.sort, desc: q.desc, cursor, limit: q.limit + 1 })));
  const total = parts.reduce((n, p) => n + p.total, 0);
  const rows = parts.flatMap((p) => p.rows);
  rows.sort((a, b) => {
    if (a.key !== b.key) {
      const lt = a.key < b.key ? -1 : 1;
      return q.desc ? -lt : lt;
    }
    if (a.name === b.name) return 0;
    const lt = a.name < b.name ? -1 : 1;
    return q.desc ? -lt : lt;
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const next = rows.length > q.limit ? encodeCursor({ s: q.sortSpec, k: last.key, n: last.name }) : null;
  return json({
    total,
    apps: page.map((r) => listView(JSON.parse(r.summary))),
    next,
  });
}

function listView(summary) {
  const { findings: _old, ...s } = summary; // rows written by earlier versions carried findings
  return { ...s, links: { self: `/v1/catalog/${s.name}`, entity: `/v1/catalog/${s.name}/entity` } };
}

async function loadApp(env, name) {
  if (!CATALOG_NAME.test(name) || name.length > 63) throw unknownApp();
  // The index answers first, so that a probe for a name that was never registered does not
  // create an app object.
  if (!(await indexShard(env, name).has(name))) throw unknownApp();
  const app = await appObject(env, name).get();
  if (!app) throw unknownApp();
  return app;
}

function unknownApp() {
  return problems.notFound("No app of this name is in the catalog.");
}

async function getApp(env, name) {
  const app = await loadApp(env, name);
  return json({ ...app, historyLimit: HISTORY_LIMIT, links: { entity: `/v1/catalog/${app.name}/entity` } });
}

// ---------------------------------------------------------------------------------------------
// Backstage entity

/** Backstage lifecycle for a tier (past its retirement date: deprecated). */
export function lifecycleOf(record, today = todayUtc()) {
  if (record.review?.retireBy && record.review.retireBy < today) return "deprecated";
  return record.tier === "sandbox" || !record.tier ? "experimental" : "production";
}

/** An owner as a Backstage entity reference: `group:x`/`user:x` kept, an e-mail becomes `user:<local part>`. */
export function ownerRef(owner) {
  if (!owner || owner === "[redacted]") return "unknown";
  const m = /^(user|group):([A-Za-z0-9._-]+)$/.exec(owner);
  if (m) return `${m[1]}:${m[2].toLowerCase()}`;
  const email = /^([^@\s]+)@[^@\s]+$/.exec(owner);
  const local = catalogName(email ? email[1] : owner);
  return local ? `${email ? "user" : "group"}:${local}` : "unknown";
}

/** The app's Backstage Component entity (catalog-info.yaml). Shape shared with `parapet catalog`. */
export function entityOf(record) {
  const annotations = {
    "parapet.dev/verdict": record.verdict ?? "unknown",
    "parapet.dev/tier": record.tier ?? "unknown",
    "parapet.dev/last-scanned": record.lastScanned ?? "never",
    "parapet.dev/attestation": record.attestation?.id ?? "none",
  };
  const tags = ["parapet"];
  const platformTag = catalogName(record.platform ?? "");
  if (platformTag && !tags.includes(platformTag)) tags.push(platformTag);
  const metadata = { name: record.name };
  if (record.title && record.title !== "[redacted]") metadata.title = record.title;
  metadata.annotations = annotations;
  metadata.tags = tags;
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata,
    spec: {
      type: "micro-app",
      lifecycle: lifecycleOf(record),
      owner: ownerRef(record.owner),
    },
  };
}

async function entity(request, env, name) {
  const app = await loadApp(env, name);
  const doc = entityOf(app);
  const accept = (request.headers.get("accept") ?? "").toLowerCase();
  if (accept.includes("json") && !accept.includes("yaml")) return json(doc);
  return new Response(YAML.stringify(doc, { lineWidth: 0 }), {
    headers: { "content-type": "application/yaml; charset=utf-8", "cache-control": "no-store" },
  });
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** Upper bounds of the decision-time histogram, in seconds: 1 min … 30 days. */
export const DECISION_BUCKETS = [60, 300, 900, 3600, 14400, 86400, 259200, 604800, 2592000];

/** Sums every shard's aggregates and the approval store's counts into one summary. */
export async function catalogSummary(env) {
  const [parts, approvals] = await Promise.all([
    Promise.all(allShards(env).map((s) => s.aggregates())),
    env.APPROVALS?.get(env.APPROVALS.idFromName("approvals")).stats?.(DECISION_BUCKETS).catch(() => null) ?? null,
  ]);
  const sum = new Map();
  for (const rows of parts) {
    for (const r of rows) {
      const k = `${r.metric}\u0000${r.a}\u0000${r.b}`;
      sum.set(k, (sum.get(k) ?? 0) + r.n);
    }
  }
  const apps = [];
  const findings = [];
  const perTier = { overBudget: {}, reviewOverdue: {}, attested: {} };
  for (const [k, n] of sum) {
    if (n === 0) continue;
    const [metric, a, b] = k.split("\u0000");
    if (metric === "apps") apps.push({ tier: a || "unknown", verdict: b || "unknown", apps: n });
    else if (metric === "findings") findings.push({ rule: a, level: b, findings: n });
    else if (metric in perTier) perTier[metric][a || "unknown"] = n;
  }
  apps.sort((x, y) => (x.tier + x.verdict).localeCompare(y.tier + y.verdict));
  findings.sort((x, y) => y.findings - x.findings || x.rule.localeCompare(y.rule) || x.level.localeCompare(y.level));
  const total = apps.reduce((n, a) => n + a.apps, 0);
  const production = apps.filter((a) => a.tier === "production").reduce((n, a) => n + a.apps, 0);
  const totalOf = (o) => Object.values(o).reduce((n, v) => n + v, 0);
  return {
    apps: { total, byTierVerdict: apps },
    findings,
    overBudget: totalOf(perTier.overBudget),
    reviewOverdue: totalOf(perTier.reviewOverdue),
    production: { apps: production, attested: perTier.attested.production ?? 0 },
    approvals: approvals ?? { pending: null, decided: 0, buckets: [], sumSeconds: 0, byDay: [] },
  };
}

async function metrics(request, env) {
  const summary = await catalogSummary(env);
  const accept = (request.headers.get("accept") ?? "").toLowerCase();
  if (accept.includes("application/json")) return json(summary);
  return new Response(prometheusText(summary), {
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
  });
}

function label(v) {
  return String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Prometheus text exposition format 0.0.4. */
export function prometheusText(s) {
  const out = [];
  const family = (name, type, help, samples) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(",");
      out.push(`${name}${l ? `{${l}}` : ""} ${value}`);
    }
  };
  const appSamples = [];
  for (const tier of [...TIERS, "unknown"]) {
    for (const verdict of [...VERDICTS, "unknown"]) {
      const n = s.apps.byTierVerdict.find((a) => a.tier === tier && a.verdict === verdict)?.apps ?? 0;
      if (n || (tier !== "unknown" && verdict !== "unknown")) appSamples.push([{ tier, verdict }, n]);
    }
  }
  family("parapet_catalog_apps", "gauge", "Apps in the catalog by tier and latest verdict.", appSamples);
  family("parapet_catalog_findings", "gauge",
    "Unwaived findings in the apps' latest scans, by rule and level.",
    s.findings.filter((f) => LEVELS.includes(f.level)).map((f) => [{ rule: f.rule, level: f.level }, f.findings]));
  family("parapet_catalog_apps_over_budget", "gauge", `Apps whose cost is over their budget (${RULE.CostOverBudget}).`, [[{}, s.overBudget]]);
  family("parapet_catalog_apps_review_overdue", "gauge", `Apps whose review is overdue (${RULE.LifecycleReviewOverdue}).`, [[{}, s.reviewOverdue]]);
  family("parapet_catalog_production_apps", "gauge", "Production-tier apps in the catalog.", [[{}, s.production.apps]]);
  family("parapet_catalog_production_attested_ratio", "gauge",
    "Share of production apps whose latest attestation covers their latest scanned input (0 when there are none).",
    [[{}, s.production.apps ? round(s.production.attested / s.production.apps) : 0]]);
  const a = s.approvals;
  if (a.pending !== null) {
    family("parapet_approvals_pending", "gauge", "Approval requests waiting for a decision.", [[{}, a.pending]]);
    const samples = [];
    let cumulative = 0;
    for (const [i, le] of DECISION_BUCKETS.entries()) {
      cumulative += a.buckets[i] ?? 0;
      samples.push([{ le: String(le) }, cumulative]);
    }
    samples.push([{ le: "+Inf" }, a.decided]);
    out.push("# HELP parapet_approval_decision_seconds Time from an approval request to its decision.",
      "# TYPE parapet_approval_decision_seconds histogram");
    for (const [l, v] of samples) out.push(`parapet_approval_decision_seconds_bucket{le="${l.le}"} ${v}`);
    out.push(`parapet_approval_decision_seconds_sum ${round(a.sumSeconds)}`);
    out.push(`parapet_approval_decision_seconds_count ${a.decided}`);
  }
  return `${out.join("\n")}\n`;
}

function round(x) {
  return Math.round(x * 1e6) / 1e6;
}
