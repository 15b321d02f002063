// Approval intake against a real workerd: idempotency under concurrency, durability across a
// restart, signed webhook deliveries that are retried until a receiver that is down at first
// comes up, and reviewer decisions.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, ROOT, SECRET, startEdge, waitFor, webhookReceiver } from "./harness.mjs";

// A controlled app with an external connector (integration/external-connector at level
// approval) and, in its settings, a plaintext secret that must never come back out.
const MANIFEST = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8").trimEnd()
  + `\n  settings: { notify: "${SECRET}" }\n`;
const RULE = "integration/external-connector";

function requestBody(i) {
  return JSON.stringify({
    manifest: MANIFEST,
    rules: [RULE],
    requester: `user${i}@corp.example`,
    justification: `Workday sync for team ${i}`,
  });
}

let edge;
let receiver;
const ids = new Map(); // idempotency key -> approval id

before(async () => {
  const port = await freePort();
  const webhookSecret = "whsec-test-" + "0123456789abcdef";
  receiver = webhookReceiver(port, webhookSecret);
  // The receiver is down at first: deliveries fail and are retried.
  edge = await startEdge({
    name: "approvals",
    webhookUrl: receiver.url,
    webhookSecret,
    extraText: { WEBHOOK_RETRY_BASE_MS: "200", WEBHOOK_RETRY_MAX_MS: "1000", WEBHOOK_TIMEOUT_MS: "2000", APPROVALS_PER_MINUTE: "10000" },
  });
});

after(async () => {
  await edge?.stop();
  await receiver?.stop();
  edge?.cleanup();
});

function post(key, body, extraHeaders = {}) {
  return edge.json("/v1/approvals", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key, ...extraHeaders },
    body,
  });
}

function reviewer(token = edge.reviewerToken) {
  return { authorization: `Bearer ${token}` };
}

describe("approvals", () => {
  test("the manifest needs approval and carries a detected secret", async () => {
    const r = await edge.json("/v1/validate", {
      method: "POST",
      headers: { "content-type": "application/yaml" },
      body: MANIFEST,
    });
    assert.equal(r.status, 200);
    assert.ok(r.body.findings.some((f) => f.rule === RULE && f.level === "approval"));
    assert.ok(r.body.findings.some((f) => f.rule === "secrets/plaintext-secret"));
    assert.ok(!r.text.includes(SECRET), "the report redacts the secret");
  });

  test("200 concurrent posts with 50 distinct keys make exactly 50 records", async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `key-${i}-${crypto.randomUUID()}`);
    const jobs = [];
    for (let round = 0; round < 4; round++) {
      keys.forEach((key, i) => jobs.push(post(key, requestBody(i)).then((r) => ({ key, r }))));
    }
    const results = await Promise.all(jobs);
    const statuses = results.map(({ r }) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 50, `statuses: ${JSON.stringify(statuses)}`);
    assert.equal(statuses.filter((s) => s === 200).length, 150);
    for (const { key, r } of results) {
      assert.equal(r.body.status, "pending");
      assert.match(r.body.id, /^[0-9a-f-]{36}$/);
      if (ids.has(key)) assert.equal(r.body.id, ids.get(key), "same key, same id");
      else ids.set(key, r.body.id);
      assert.equal(r.headers.get("location"), `/v1/approvals/${r.body.id}`);
      assert.ok(!r.text.includes(SECRET));
    }
    assert.equal(new Set(ids.values()).size, 50);

    const list = await edge.json("/v1/approvals?limit=200", { headers: reviewer() });
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 50);
    assert.deepEqual(new Set(list.body.approvals.map((a) => a.id)), new Set(ids.values()));
    assert.ok(!list.text.includes(SECRET));
  });

  test("the same key with another body is a 409", async () => {
    const [key] = ids.keys();
    const r = await post(key, requestBody(999));
    assert.equal(r.status, 409);
    assert.equal(r.headers.get("content-type"), "application/problem+json");
  });

  test("a repeated key with the same body answers 200 and the same id", async () => {
    const [key, id] = [...ids.entries()][3];
    const r = await post(key, requestBody(3));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { id, status: "pending" });
  });

  test("422 when none of the requested rules is at level approval", async () => {
    const r = await post(`k422-${crypto.randomUUID()}`, JSON.stringify({
      manifest: MANIFEST, rules: ["cost/over-budget", "secrets/plaintext-secret"], requester: "x@corp.example", justification: "please",
    }));
    assert.equal(r.status, 422);
    assert.equal(r.headers.get("content-type"), "application/problem+json");
    assert.equal(r.body.status, 422);
    assert.equal(r.body.levels["secrets/plaintext-secret"], "deny");
    assert.ok(!r.text.includes(SECRET));
  });

  test("GET shows the request without the manifest's secret, with delivery state", async () => {
    const id = [...ids.values()][0];
    const r = await edge.json(`/v1/approvals/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, id);
    assert.equal(r.body.status, "pending");
    assert.deepEqual(r.body.rules, [RULE]);
    assert.deepEqual(r.body.approvalRules, [RULE]);
    assert.deepEqual(r.body.routes, ["integration-review"]);
    assert.equal(r.body.decision, null);
    assert.equal(r.body.report.app.name, "hr-approvals-bot");
    assert.ok(["pending", "retrying"].includes(r.body.delivery.state), JSON.stringify(r.body.delivery));
    assert.equal(r.body.manifest, undefined);
    assert.ok(!r.text.includes(SECRET));
  });

  test("deliveries to a receiver that is down, then failing, are retried until 2xx, all signed", async () => {
    const id = [...ids.values()][0];
    await waitFor(async () => (await edge.json(`/v1/approvals/${id}`)).body.delivery.attempts >= 2,
      { what: "a retried delivery", timeoutMs: 15_000 });
    const before = (await edge.json(`/v1/approvals/${id}`)).body.delivery;
    assert.equal(before.state, "retrying");
    assert.equal(before.lastError, "connection failed");

    // Up, but failing the first 5 deliveries with 503: those are retried too.
    receiver.failNext = 5;
    await receiver.start();
    const wanted = new Set(ids.values());
    const accepted = () => new Set(receiver.deliveries.filter((d) => d.answered === 204).map((d) => JSON.parse(d.body).id));
    await waitFor(() => accepted().size >= wanted.size, { what: "50 accepted deliveries", timeoutMs: 30_000 });
    assert.equal(receiver.deliveries.filter((d) => d.answered === 503).length, 5);
    const seen = new Set();
    for (const d of receiver.deliveries) {
      assert.ok(d.verified, "every signature verifies");
      assert.equal(d.path, "/hooks/parapet");
      assert.equal(d.headers["content-type"], "application/json");
      assert.equal(d.headers["parapet-event"], "approval.requested");
      assert.ok(!d.body.includes(SECRET), "no secret in the webhook");
      const event = JSON.parse(d.body);
      assert.equal(event.type, "approval.requested");
      assert.equal(d.headers["parapet-delivery"], event.id);
      assert.deepEqual(event.routes, ["integration-review"]);
      assert.ok(wanted.has(event.id));
      seen.add(event.id);
    }
    assert.equal(seen.size, 50);
    await waitFor(async () => {
      const r = await edge.json("/v1/approvals?limit=200", { headers: reviewer() });
      return r.body.approvals.every((a) => a.delivery.state === "delivered");
    }, { what: "every delivery marked delivered" });
  });

  test("decisions need the reviewer token; GET shows the outcome", async () => {
    const [idA, idB] = [...ids.values()];
    const decision = JSON.stringify({ decision: "approved", reviewer: "sec@corp.example", expires: "2099-12-31", comment: "ok for one year" });
    const noToken = await edge.json(`/v1/approvals/${idA}/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: decision });
    assert.equal(noToken.status, 401);
    assert.match(noToken.headers.get("www-authenticate"), /^Bearer/);
    const wrong = await edge.json(`/v1/approvals/${idA}/decision`, {
      method: "POST", headers: { "content-type": "application/json", ...reviewer("not-the-token-at-all") }, body: decision,
    });
    assert.equal(wrong.status, 403);
    const ok = await edge.json(`/v1/approvals/${idA}/decision`, {
      method: "POST", headers: { "content-type": "application/json", ...reviewer() }, body: decision,
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.status, "approved");

    const got = await edge.json(`/v1/approvals/${idA}`);
    assert.equal(got.body.status, "approved");
    assert.equal(got.body.decision.decision, "approved");
    assert.equal(got.body.decision.reviewer, "sec@corp.example");
    assert.equal(got.body.decision.expires, "2099-12-31");
    assert.match(got.body.decision.decidedAt, /^\d{4}-\d{2}-\d{2}T/);

    const again = await edge.json(`/v1/approvals/${idA}/decision`, {
      method: "POST", headers: { "content-type": "application/json", ...reviewer() }, body: decision,
    });
    assert.equal(again.status, 200, "repeating the same decision is idempotent");
    const flip = await edge.json(`/v1/approvals/${idA}/decision`, {
      method: "POST", headers: { "content-type": "application/json", ...reviewer() },
      body: JSON.stringify({ decision: "rejected", reviewer: "other@corp.example" }),
    });
    assert.equal(flip.status, 409);

    const rejected = await edge.json(`/v1/approvals/${idB}/decision`, {
      method: "POST", headers: { "content-type": "application/json", ...reviewer() },
      body: JSON.stringify({ decision: "rejected", reviewer: "sec@corp.example" }),
    });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.status, "rejected");

    const missing = await edge.json(`/v1/approvals/${crypto.randomUUID()}/decision`, {
      method: "POST", headers: { "content-type": "application/json", ...reviewer() }, body: decision,
    });
    assert.equal(missing.status, 404);
  });

  test("after a restart on the same data directory every record is there, with its status", async () => {
    const beforeRestart = await edge.json("/v1/approvals?limit=200", { headers: reviewer() });
    await edge.restart();
    const afterRestart = await edge.json("/v1/approvals?limit=200", { headers: reviewer() });
    assert.equal(afterRestart.body.total, 50);
    assert.deepEqual(afterRestart.body.approvals, beforeRestart.body.approvals);
    const statuses = afterRestart.body.approvals.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === "approved").length, 1);
    assert.equal(statuses.filter((s) => s === "rejected").length, 1);
    assert.equal(statuses.filter((s) => s === "pending").length, 48);
    // Idempotency survives the restart too.
    const [key, id] = [...ids.entries()][7];
    const replay = await post(key, requestBody(7));
    assert.equal(replay.status, 200);
    assert.equal(replay.body.id, id);
  });

  test("a delivery owed when workerd stops is made after it restarts", async () => {
    await receiver.stop();
    const r = await post(`late-${crypto.randomUUID()}`, requestBody(50));
    assert.equal(r.status, 201);
    await waitFor(async () => (await edge.json(`/v1/approvals/${r.body.id}`)).body.delivery.attempts >= 1,
      { what: "a failed first attempt" });
    await edge.restart();
    await receiver.start();
    await waitFor(() => receiver.deliveries.some((d) => JSON.parse(d.body).id === r.body.id),
      { what: "the owed delivery", timeoutMs: 20_000 });
    const d = receiver.deliveries.find((x) => JSON.parse(x.body).id === r.body.id);
    assert.ok(d.verified);
    await waitFor(async () => (await edge.json(`/v1/approvals/${r.body.id}`)).body.delivery.state === "delivered",
      { what: "delivered state" });
  });

  test("a crash right after 201 loses nothing: each request was committed before its answer", async () => {
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      post(`crash-${i}-${crypto.randomUUID()}`, requestBody(100 + i))));
    for (const r of made) assert.equal(r.status, 201);
    await edge.restart({ crash: true });
    for (const r of made) {
      const got = await edge.json(`/v1/approvals/${r.body.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.status, "pending");
    }
    const list = await edge.json("/v1/approvals?limit=200", { headers: reviewer() });
    assert.equal(list.body.total, 50 + 1 + 20);
  });

  test("nothing workerd logged carries the secret", () => {
    assert.ok(!edge.logs().includes(SECRET));
  });
});

describe("approvals without a webhook, with a manifest object", () => {
  let plain;
  before(async () => {
    plain = await startEdge({ name: "approvals-plain" });
  });
  after(async () => {
    await plain?.stop();
    plain?.cleanup();
  });

  test("a manifest object, no justification; delivery is recorded as disabled", async () => {
    const manifest = {
      apiVersion: "parapet.dev/v1",
      kind: "MicroApp",
      metadata: { name: "object-app" },
      spec: {
        tier: "controlled",
        owner: "group:ops",
        connectors: [{ name: "crm", type: "saas", service: "salesforce", url: "https://api.salesforce.example" }],
      },
    };
    const r = await plain.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "object-1" },
      // As the widget sends it: the justification is optional.
      body: JSON.stringify({ manifest, rules: [RULE], requester: "a@corp.example", justification: "" }),
    });
    assert.equal(r.status, 201, r.text);
    const got = await plain.json(`/v1/approvals/${r.body.id}`);
    assert.equal(got.body.report.app.name, "object-app");
    assert.deepEqual(got.body.routes, ["integration-review"]);
    assert.equal(got.body.delivery.state, "disabled");
    assert.equal(got.body.delivery.attempts, 0);
    assert.equal(got.body.justification, "");
  });
});
