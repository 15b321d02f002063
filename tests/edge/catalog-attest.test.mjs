// Attestations update the catalog: POST /v1/attestations marks the app attested (record, Backstage
// annotation, metrics share of production apps), and a later scan of changed input clears it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateSigningKey } from "../../www/edge/config.mjs";
import { ROOT, startEdge } from "./harness.mjs";

const PLATFORM_TOKEN = "platform-token-" + "att3st-0123456789abc";
const PAYMENTS = readFileSync(join(ROOT, "examples/production-payments-sync.yaml"), "utf8");
let edge;

before(async () => {
  process.env.PARAPET_PLATFORM_TOKEN = PLATFORM_TOKEN;
  edge = await startEdge({ name: "catalog-attest", env: { PARAPET_SIGNING_KEYS: JSON.stringify([await generateSigningKey()]) } });
});

after(async () => {
  await edge?.stop();
  edge?.cleanup();
});

function register(body) {
  return edge.json("/v1/catalog", {
    method: "POST",
    headers: { "content-type": "application/yaml", authorization: `Bearer ${PLATFORM_TOKEN}` },
    body,
  });
}

async function metrics() {
  return (await edge.json("/v1/metrics", { headers: { accept: "application/json" } })).body;
}

function ratio(text) {
  return Number(/^parapet_catalog_production_attested_ratio (\S+)$/m.exec(text)[1]);
}

describe("attestations in the catalog", () => {
  test("an attestation marks a production app attested until its input changes", async () => {
    assert.equal((await register(PAYMENTS)).status, 201);
    assert.equal((await register(readFileSync(join(ROOT, "examples/sandbox-prototype.yaml"), "utf8"))).status, 201);
    let m = await metrics();
    assert.deepEqual(m.production, { apps: 1, attested: 0 });

    const att = await edge.json("/v1/attestations", { method: "POST", headers: { "content-type": "application/yaml" }, body: PAYMENTS });
    assert.equal(att.status, 201, att.text);
    const app = (await edge.json("/v1/catalog/payments-sync")).body;
    assert.ok(app.attestation?.id, "the record names the attestation");
    assert.equal(app.history[0].source, "attestation");
    assert.equal(app.history.length, 2);
    const entity = (await edge.json("/v1/catalog/payments-sync/entity", { headers: { accept: "application/json" } })).body;
    assert.equal(entity.metadata.annotations["parapet.dev/attestation"], app.attestation.id);
    m = await metrics();
    assert.deepEqual(m.production, { apps: 1, attested: 1 });
    assert.equal(ratio(await (await edge.api("/v1/metrics")).text()), 1);
    const listed = (await edge.json("/v1/catalog?tier=production")).body.apps[0];
    assert.equal(listed.attested, true);

    // The app changes: its latest scan is no longer the attested input.
    assert.equal((await register(PAYMENTS.replace("budgetMonthly: 200", "budgetMonthly: 300"))).status, 200);
    m = await metrics();
    assert.deepEqual(m.production, { apps: 1, attested: 0 });
    assert.equal(ratio(await (await edge.api("/v1/metrics")).text()), 0);
  });
});
