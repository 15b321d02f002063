// The app catalog against a real workerd: registration with the platform token, listing with
// filters/sort/cursor paging, per-app history, Backstage entities checked by Backstage's own
// validators, Prometheus metrics checked by promtool (Prometheus's own parser), durability
// across a restart and a SIGKILL, 200 concurrent registrations of 50 apps, and no secret on disk.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  componentEntityV1alpha1Validator, DefaultNamespaceEntityPolicy, EntityPolicies, entityEnvelopeSchemaValidator,
  entitySchemaValidator,
  FieldFormatEntityPolicy, NoForeignRootFieldsEntityPolicy, SchemaValidEntityPolicy,
} from "@backstage/catalog-model";
import YAML from "yaml";
import { ROOT, SECRET, startEdge } from "./harness.mjs";

const PLATFORM_TOKEN = "platform-token-" + "c4t4l0g-0123456789";
const EXAMPLES = readdirSync(join(ROOT, "examples")).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

let edge;

before(async () => {
  // workerd reads the binding from its environment (config.mjs: fromEnvironment).
  process.env.PARAPET_PLATFORM_TOKEN = PLATFORM_TOKEN;
  edge = await startEdge({ name: "catalog" });
});

after(async () => {
  await edge?.stop();
  edge?.cleanup();
});

function register(body, { type = "application/yaml", token = PLATFORM_TOKEN, query = "" } = {}) {
  const headers = { "content-type": type };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return edge.json(`/v1/catalog${query}`, { method: "POST", headers, body });
}

function example(file) {
  return readFileSync(join(ROOT, "examples", file), "utf8");
}

function typeOf(file) {
  return file.endsWith(".json") ? "application/json" : "application/yaml";
}

/** A manifest for app `name` in `tier` (allow verdict under the default pack in sandbox). */
function manifest(name, tier = "sandbox", extra = "") {
  return `apiVersion: parapet.dev/v1
kind: MicroApp
metadata:
  name: ${name}
  title: App ${name}
spec:
  tier: ${tier}
  owner: group:team-${name.length % 3}
  platform: n8n
  dataClassification: internal
${extra}`;
}

/** Every page of a listing, following `next`. */
async function listAll(query = "", limit = 2) {
  const names = [];
  let cursor = null;
  let total = null;
  for (let i = 0; i < 1000; i++) {
    const sep = query ? "&" : "";
    const r = await edge.json(`/v1/catalog?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(r.status, 200, r.text);
    total ??= r.body.total;
    names.push(...r.body.apps.map((a) => a.name));
    cursor = r.body.next;
    if (!cursor) return { names, total };
  }
  throw new Error("paging did not end");
}

function assertProblem(r, status) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get("content-type"), /^application\/problem\+json/);
  assert.equal(r.body.status, status);
}

/** Backstage's own checks: kind schema, the catalog's default entity policies, Component spec. */
async function backstageValidate(entity) {
  const policy = EntityPolicies.allOf([
    new DefaultNamespaceEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new FieldFormatEntityPolicy(),
    new SchemaValidEntityPolicy(),
  ]);
  const enforced = await policy.enforce(structuredClone(entity));
  assert.ok(enforced, "entity policies accept the entity");
  entityEnvelopeSchemaValidator()(structuredClone(entity));
  entitySchemaValidator()(structuredClone(entity));
  assert.equal(await componentEntityV1alpha1Validator.check(entity), true);
}

describe("catalog registration and tokens", () => {
  test("POST /v1/catalog needs the platform token: 401 without or empty, 403 when wrong", async () => {
    const body = example("sandbox-prototype.yaml");
    assertProblem(await register(body, { token: null }), 401);
    const empty = await edge.json("/v1/catalog", { method: "POST", headers: { "content-type": "application/yaml", authorization: "" }, body });
    assertProblem(empty, 401);
    assertProblem(await register(body, { token: "wrong-token-0123456789" }), 403);
    assertProblem(await register(body, { token: PLATFORM_TOKEN + "x" }), 403);
    const basic = await edge.json("/v1/catalog", { method: "POST", headers: { "content-type": "application/yaml", authorization: `Basic ${PLATFORM_TOKEN}` }, body });
    assertProblem(basic, 403);
    // Nothing was registered by the refused requests.
    assert.equal((await edge.json("/v1/catalog")).body.total, 0);
  });

  test("every example registers (201 first, 200 again) and lists once", async () => {
    for (const f of EXAMPLES) {
      const r = await register(example(f), { type: typeOf(f) });
      assert.equal(r.status, 201, `${f}: ${r.text}`);
      assert.match(r.headers.get("location"), /^\/v1\/catalog\/[a-z0-9-]+$/);
    }
    const again = await register(example(EXAMPLES[0]), { type: typeOf(EXAMPLES[0]) });
    assert.equal(again.status, 200);
    assert.equal(again.body.scans, 2);
    const { names, total } = await listAll();
    assert.equal(total, EXAMPLES.length);
    assert.equal(names.length, EXAMPLES.length);
    assert.deepEqual(names, [...names].sort(), "default sort is by name");
  });

  test("a vendor export registers under ?name= with the format as its platform", async () => {
    const n8n = JSON.stringify({
      name: "Lead intake",
      nodes: [{ id: "1", name: "Webhook", type: "n8n-nodes-base.webhook", parameters: { path: "leads" } }],
      connections: {},
    });
    const r = await register(n8n, { type: "application/json", query: "?name=lead-intake&owner=group:growth&tier=controlled" });
    assert.ok(r.status === 201, r.text);
    const app = await edge.json("/v1/catalog/lead-intake");
    assert.equal(app.status, 200);
    assert.equal(app.body.owner, "group:growth");
    assert.equal(app.body.tier, "controlled");
    assert.ok(app.body.input.format, "the engine's input format is kept");
  });

  test("bad bodies and parameters: 415, 400 malformed, 422 without a name, 400 unknown parameter", async () => {
    assertProblem(await register("x", { type: "application/octet-stream" }), 415);
    assertProblem(await register("{ not: [json", { type: "application/json" }), 400);
    assertProblem(await register(JSON.stringify({ hello: "world" }), { type: "application/json" }), 422);
    assertProblem(await register(example(EXAMPLES[0]), { query: "?colour=red" }), 400);
    assertProblem(await register(example(EXAMPLES[0]), { query: "?tier=galactic" }), 400);
    assertProblem(await register(example(EXAMPLES[0]), { query: `?owner=${encodeURIComponent(SECRET)}` }), 400);
  });
});

describe("catalog reads", () => {
  test("filters, sorts and cursor paging agree with the full listing", async () => {
    const all = (await edge.json("/v1/catalog?limit=200")).body.apps;
    for (const [q, pick] of [
      ["tier=production", (a) => a.tier === "production"],
      ["tier=sandbox", (a) => a.tier === "sandbox"],
      ["verdict=deny", (a) => a.verdict === "deny"],
      ["owner=group:finance-ops", (a) => a.owner === "group:finance-ops"],
      ["platform=make", (a) => a.platform === "make"],
      ["over-budget=true", (a) => a.overBudget],
      ["review-overdue=false", (a) => !a.reviewOverdue],
    ]) {
      const want = all.filter(pick).map((a) => a.name).sort();
      const got = await listAll(q, 1);
      assert.deepEqual(got.names, want, q);
      assert.equal(got.total, want.length, q);
    }
    assert.ok(all.some((a) => a.overBudget), "an example is over budget");
    const desc = await listAll("sort=-lastScanned", 2);
    // Descending: ties by name descending too.
    const desc2 = (x, y) => (x < y ? 1 : x > y ? -1 : 0);
    const byTime = [...all].sort((a, b) => desc2(a.lastScanned, b.lastScanned) || desc2(a.name, b.name));
    assert.deepEqual(desc.names, byTime.map((a) => a.name));
    const byVerdict = await listAll("sort=-verdict", 3);
    const rank = { allow: 0, warn: 1, approval: 2, deny: 3 };
    const ranks = byVerdict.names.map((n) => rank[all.find((a) => a.name === n).verdict]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
  });

  test("bad filters are 400 problem+json", async () => {
    for (const q of [
      "tier=gold", "verdict=maybe", "over-budget=yes", "review-overdue=1", "sort=colour", "sort=-",
      "limit=0", "limit=201", "limit=ten", "cursor=%%%", "cursor=eyJzIjoibmFtZSJ9", "owner=", "bogus=1",
      "tier=sandbox&tier=production",
    ]) {
      const r = await edge.json(`/v1/catalog?${q}`);
      assertProblem(r, 400);
    }
    // A cursor from one sort is refused under another.
    const first = await edge.json("/v1/catalog?limit=1&sort=name");
    assertProblem(await edge.json(`/v1/catalog?limit=1&sort=owner&cursor=${first.body.next}`), 400);
  });

  test("unknown app: 404 for the app and its entity", async () => {
    for (const p of ["/v1/catalog/no-such-app", "/v1/catalog/no-such-app/entity", "/v1/catalog/Not%20A%20Name", "/v1/catalog/%E0%A4%A"]) {
      assertProblem(await edge.json(p), 404);
    }
    assertProblem(await edge.json("/v1/catalog/payments-sync", { method: "DELETE" }), 405);
  });

  test("an app carries its metadata, redacted findings and history", async () => {
    const r = await edge.json("/v1/catalog/payments-sync");
    assert.equal(r.status, 200);
    const app = r.body;
    assert.equal(app.title, "Payments reconciliation sync");
    assert.equal(app.owner, "group:finance-ops");
    assert.equal(app.tier, "production");
    assert.equal(app.verdict, "deny");
    assert.deepEqual(app.cost, { currency: "USD", budget: 200, estimate: 260, actual: 240 });
    assert.equal(app.overBudget, true);
    assert.ok(app.history.length >= 1);
    assert.equal(app.history[0].verdict, "deny");
    assert.match(app.history[0].policy.digest, /^sha256:/);
    assert.ok(app.findings.some((f) => f.rule === "secrets/plaintext-secret"));
    // The example's Slack token is stored only in the engine's redacted form.
    assert.ok(!r.text.includes("xoxb-2048-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"));
  });

  test("Backstage entities (JSON and YAML by Accept) pass Backstage's own validators", async () => {
    const { names } = await listAll("", 50);
    for (const name of names) {
      const j = await edge.json(`/v1/catalog/${name}/entity`, { headers: { accept: "application/json" } });
      assert.equal(j.status, 200);
      assert.match(j.headers.get("content-type"), /^application\/json/);
      await backstageValidate(j.body);
      const y = await edge.api(`/v1/catalog/${name}/entity`, { headers: { accept: "application/yaml" } });
      assert.match(y.headers.get("content-type"), /^application\/yaml/);
      const doc = YAML.parse(await y.text());
      assert.deepEqual(doc, j.body, "YAML and JSON are the same entity");
      await backstageValidate(doc);
      const a = doc.metadata.annotations;
      assert.equal(doc.kind, "Component");
      assert.equal(doc.metadata.name, name);
      for (const k of ["parapet.dev/verdict", "parapet.dev/tier", "parapet.dev/last-scanned", "parapet.dev/attestation"]) {
        assert.equal(typeof a[k], "string", k);
      }
      const app = (await edge.json(`/v1/catalog/${name}`)).body;
      assert.equal(a["parapet.dev/verdict"], app.verdict);
      assert.equal(doc.spec.lifecycle, app.tier === "sandbox" ? "experimental" : "production");
    }
    // The validators do reject a broken entity (they are not a no-op here).
    await assert.rejects(backstageValidate({ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "Bad Name!" }, spec: { type: "x", lifecycle: "y", owner: "z" } }));
  });

  test("metrics: promtool accepts them and the numbers match the catalog", async () => {
    const r = await edge.api("/v1/metrics");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.equal(check.error, undefined, "promtool is installed (scripts/setup installs Debian's prometheus)");
    assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
    // promtool does reject a broken exposition.
    const bad = spawnSync("promtool", ["check", "metrics"], { input: "parapet_x{a=\"b} 1\n", encoding: "utf8" });
    assert.notEqual(bad.status, 0);

    const samples = parseSamples(text);
    const all = (await edge.json("/v1/catalog?limit=200")).body.apps;
    const appsTotal = samples.filter((s) => s.name === "parapet_catalog_apps").reduce((n, s) => n + s.value, 0);
    assert.equal(appsTotal, all.length);
    const prodDeny = samples.find((s) => s.name === "parapet_catalog_apps" && s.labels.tier === "production" && s.labels.verdict === "deny");
    assert.equal(prodDeny.value, all.filter((a) => a.tier === "production" && a.verdict === "deny").length);
    assert.equal(samples.find((s) => s.name === "parapet_catalog_apps_over_budget").value, all.filter((a) => a.overBudget).length);
    assert.equal(samples.find((s) => s.name === "parapet_catalog_apps_review_overdue").value, all.filter((a) => a.reviewOverdue).length);
    const secrets = samples.find((s) => s.name === "parapet_catalog_findings" && s.labels.rule === "secrets/plaintext-secret" && s.labels.level === "deny");
    assert.ok(secrets.value >= 1);
    const json = await edge.json("/v1/metrics", { headers: { accept: "application/json" } });
    assert.equal(json.body.apps.total, all.length);
  });
});

/** Samples of a text exposition: { name, labels, value } (enough for these metrics). */
function parseSamples(text) {
  const out = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, line);
    const labels = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

describe("approvals update the catalog", () => {
  test("an approval request records the app; the decision shows in its record and the metrics", async () => {
    const before = (await edge.json("/v1/metrics", { headers: { accept: "application/json" } })).body;
    const created = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `cat-${Date.now()}` },
      body: JSON.stringify({
        manifest: example("controlled-hr-bot.yaml"),
        rules: ["integration/external-connector"],
        requester: "dev@corp.example",
        justification: "catalog test",
      }),
    });
    assert.equal(created.status, 201, created.text);
    const name = YAML.parse(example("controlled-hr-bot.yaml")).metadata.name;
    const app = (await edge.json(`/v1/catalog/${name}`)).body;
    assert.equal(app.approval.id, created.body.id);
    assert.equal(app.approval.status, "pending");
    assert.equal(app.history[0].source, "approval");
    const mid = (await edge.json("/v1/metrics", { headers: { accept: "application/json" } })).body;
    assert.equal(mid.approvals.pending, before.approvals.pending + 1);

    const decided = await edge.json(`/v1/approvals/${created.body.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` },
      body: JSON.stringify({ decision: "approved", reviewer: "sec@corp.example" }),
    });
    assert.equal(decided.status, 200, decided.text);
    assert.equal((await edge.json(`/v1/catalog/${name}`)).body.approval.status, "approved");
    const text = await (await edge.api("/v1/metrics")).text();
    const s = parseSamples(text);
    assert.equal(s.find((x) => x.name === "parapet_approvals_pending").value, before.approvals.pending);
    assert.equal(s.find((x) => x.name === "parapet_approval_decision_seconds_count").value, before.approvals.decided + 1);
    assert.equal(s.find((x) => x.name === "parapet_approval_decision_seconds_bucket" && x.labels.le === "+Inf").value, before.approvals.decided + 1);
  });
});

describe("catalog under load and failure", () => {
  const APPS = Array.from({ length: 50 }, (_, i) => `load-app-${String(i).padStart(2, "0")}`);

  test("200 concurrent registrations of 50 apps give exactly 50 apps with consistent counts", async () => {
    const before = (await edge.json("/v1/catalog?limit=1")).body.total;
    const jobs = [];
    for (let round = 0; round < 4; round++) {
      APPS.forEach((name, i) => jobs.push(register(manifest(name, ["sandbox", "controlled", "production"][i % 3]))));
    }
    const results = await Promise.all(jobs);
    for (const r of results) assert.ok(r.status === 201 || r.status === 200, r.text);
    assert.equal(results.filter((r) => r.status === 201).length, 50, "one creation per app");
    const listed = await listAll("", 200);
    assert.equal(listed.total, before + 50);
    assert.equal(listed.names.filter((n) => n.startsWith("load-app-")).length, 50);
    for (const name of APPS) {
      const app = (await edge.json(`/v1/catalog/${name}`)).body;
      assert.equal(app.scans, 4, name);
      assert.equal(app.history.length, 4, name);
    }
    const m = (await edge.json("/v1/metrics", { headers: { accept: "application/json" } })).body;
    assert.equal(m.apps.total, before + 50);
    const byTier = (t) => m.apps.byTierVerdict.filter((a) => a.tier === t).reduce((n, a) => n + a.apps, 0);
    const lt = (t) => listAll(`tier=${t}`, 200).then((l) => l.total);
    for (const t of ["sandbox", "controlled", "production"]) assert.equal(byTier(t), await lt(t), t);
  });

  test("history keeps the last 50 scans", async () => {
    for (let i = 0; i < 53; i++) {
      const r = await register(manifest("history-app"));
      assert.ok(r.status === 201 || r.status === 200);
    }
    const app = (await edge.json("/v1/catalog/history-app")).body;
    assert.equal(app.scans, 53);
    assert.equal(app.history.length, 50);
  });

  test("restart and SIGKILL keep every app and its history", async () => {
    const snapshot = async () => {
      const { names } = await listAll("", 200);
      const histories = {};
      for (const n of names) histories[n] = (await edge.json(`/v1/catalog/${n}`)).body.history.length;
      return { names, histories };
    };
    const before = await snapshot();
    await edge.restart();
    assert.deepEqual(await snapshot(), before, "after a graceful restart");
    // Registered just before the crash: answered means on disk.
    const r = await register(manifest("crash-app"));
    assert.equal(r.status, 201);
    await edge.restart({ crash: true });
    const after = await snapshot();
    assert.deepEqual(after.names, [...before.names, "crash-app"].sort());
    for (const n of before.names) assert.equal(after.histories[n], before.histories[n], n);
    assert.equal(after.histories["crash-app"], 1);
  });

  test("a planted secret never reaches the data directory", async () => {
    const planted = manifest("leaky-app", "controlled", `  settings:
    slack: "${SECRET}"
`).replace("title: App leaky-app", `title: "Leaky ${SECRET}"`);
    const r = await register(planted);
    assert.equal(r.status, 201, r.text);
    const app = await edge.json("/v1/catalog/leaky-app");
    assert.ok(!app.text.includes(SECRET));
    assert.equal(app.body.title, "[redacted]");
    const entity = await edge.api("/v1/catalog/leaky-app/entity");
    assert.ok(!(await entity.text()).includes(SECRET));
    // Graceful stop flushes SQLite's WAL into the files; then nothing on disk has the secret.
    await edge.restart();
    const needles = [Buffer.from(SECRET), Buffer.from(SECRET.split("-").slice(1).join("-"))];
    const files = walk(join(edge.dataDir, "do"));
    assert.ok(files.length > 3, "the catalog's objects are on disk");
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const n of needles) assert.equal(bytes.indexOf(n), -1, `${f} holds the secret`);
    }
  });
});

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
