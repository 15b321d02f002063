// The edge asks the engine itself for what it used to learn from probe manifests: the policy
// (`engine.policy()`, served by /healthz) and secrets in free text (`engine.checkText`, for the
// approval, decision and catalog fields it stores). Under a pack of its own, with an allow-list.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadNodeEngine } from "../../www/edge/config.mjs";
import { SECRET, startEdge } from "./harness.mjs";

/** An AWS-style secret access key (40 base64 characters), assembled: found in prose only as a word. */
const PROSE_SECRET = ["Zx9f3kQ2mW8vR1tY", "6uP0aS4dG7hJ5lB2", "nC8xE3rT"].join("");
/** A token the pack below allows (a documented demo token), assembled. */
const DEMO_TOKEN = ["xoxb", "0000", "1111111111", "DemoTokenForTheDocsOnly1"].join("-");
const PLATFORM_TOKEN = "platform-token-" + "fr33-t3xt-0123456789";
const PACK = `apiVersion: parapet.dev/v1
kind: PolicyPack
metadata: { name: edge-free-text }
secrets:
  allow: ["^xoxb-0000-"]
`;
const MANIFEST = `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: free-text-app }
spec:
  tier: controlled
  owner: group:ops
  dataClassification: internal
  connectors:
    - { name: weather, type: http, service: openweather, url: https://api.openweathermap.org, auth: apiKey }
  cost: { currency: USD, budgetMonthly: 10, estimateMonthly: 1 }
`;

let edge;
let Engine;

before(async () => {
  ({ Engine } = await loadNodeEngine());
  edge = await startEdge({ name: "free-text", policyText: PACK, env: { PARAPET_PLATFORM_TOKEN: PLATFORM_TOKEN } });
});

after(async () => {
  await edge?.stop();
  edge?.cleanup();
});

function approval(fields) {
  return edge.json("/v1/approvals", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({
      manifest: MANIFEST, rules: ["integration/external-connector"], requester: "dev@corp.example", justification: "", ...fields,
    }),
  });
}

function register(query) {
  return edge.json(`/v1/catalog?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: { "content-type": "application/yaml", authorization: `Bearer ${PLATFORM_TOKEN}` },
    body: MANIFEST,
  });
}

function assertRefused(r, fields, secret) {
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(r.body.fields, fields, r.text);
  assert.ok(!r.text.includes(secret), "the answer echoes the secret");
  assert.ok(!r.text.includes(secret.slice(-12)), "the answer echoes the secret's end");
}

describe("the policy, from the engine", () => {
  test("/healthz serves the pack's name and digest, the same as every report", async () => {
    const expected = new Engine(PACK).policy();
    assert.equal(expected.name, "edge-free-text");
    const health = await edge.json("/healthz");
    assert.equal(health.status, 200);
    assert.deepEqual(health.body.policy, expected);
    for (const body of [MANIFEST, "{}", "not: [valid"]) {
      const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.policy, expected);
    }
    assert.notDeepEqual(expected, new Engine().policy(), "not the default pack's");
  });
});

describe("secrets in free text: refused by field, never echoed", () => {
  test("a key in the middle of a sentence, in each stored field of an approval", async () => {
    for (const field of ["justification", "requester"]) {
      const r = await approval({ [field]: `per the vendor, key ${PROSE_SECRET} is for staging only` });
      assertRefused(r, [field], PROSE_SECRET);
    }
    // Both at once: both named, in the request's order.
    assertRefused(await approval({ requester: `bot ${SECRET}`, justification: `see ${PROSE_SECRET}` }),
      ["requester", "justification"], SECRET);
  });

  test("a reviewer's comment with a key in prose is refused", async () => {
    const created = await approval({ justification: "weather data for the HR dashboard" });
    assert.equal(created.status, 201, created.text);
    const d = await edge.json(`/v1/approvals/${created.body.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` },
      body: JSON.stringify({ decision: "rejected", reviewer: "sec@corp.example", comment: `rotate ${PROSE_SECRET} first, then resubmit` }),
    });
    assertRefused(d, ["comment"], PROSE_SECRET);
  });

  test("catalog title and owner overrides with a key in prose are refused", async () => {
    assertRefused(await register({ title: `HR bot (key ${PROSE_SECRET})` }), ["title"], PROSE_SECRET);
    assertRefused(await register({ owner: "group:ops", title: `HR bot ${SECRET}` }), ["title"], SECRET);
    const ok = await register({ title: "HR bot, weather edition", owner: "group:ops" });
    assert.ok([200, 201].includes(ok.status), ok.text);
  });

  test("the pack's secrets.allow is honoured: an allowed demo token is not a secret", async () => {
    assert.deepEqual(new Engine(PACK).checkText(`demo ${DEMO_TOKEN}`), [], "the pack allows it");
    assert.equal(new Engine().checkText(`demo ${DEMO_TOKEN}`).length, 1, "the default pack does not");
    const r = await approval({ justification: `reproduce with the docs' demo token ${DEMO_TOKEN}` });
    assert.equal(r.status, 201, r.text);
  });

  test("ordinary prose passes", async () => {
    const r = await approval({
      requester: "prose@corp.example",
      justification: `fixed in 3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39, see https://jira.example.com/browse/SEC-12345 (${crypto.randomUUID()})`,
    });
    assert.equal(r.status, 201, r.text);
  });

  test("workerd's output never carries a secret", () => {
    for (const s of [SECRET, PROSE_SECRET]) assert.ok(!edge.logs().includes(s));
  });
});
