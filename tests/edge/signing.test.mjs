// Signed waivers and attestations against a real workerd: the JWKS at /v1/keys (two keys, as
// after a rotation), POST /v1/attestations verified here with node's Ed25519 and by the CLI
// (`parapet verify`), tampering refused, and an approval that comes back as a signed waiver.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, createPublicKey, verify as edVerify } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateSigningKey, policyTrustingKeys, publicJwks } from "../../www/edge/config.mjs";
import { CLI, defaultPolicyText, ROOT, SECRET, startEdge, today } from "./harness.mjs";

const MANIFEST = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8").trimEnd()
  + `\n  settings: { notify: "${SECRET}" }\n`;
const RULE = "integration/external-connector";

let edge;
let keys; // [newest, older]
let jwks;

before(async () => {
  keys = [await generateSigningKey(), await generateSigningKey()];
  keys[1].kid = "edge-old";
  const signingKeys = JSON.stringify(keys);
  jwks = publicJwks(signingKeys);
  edge = await startEdge({
    name: "signing",
    env: { PARAPET_SIGNING_KEYS: signingKeys },
    policyText: await policyTrustingKeys(await defaultPolicyText(), jwks),
    extraText: { APPROVALS_PER_MINUTE: "10000" },
  });
  writeFileSync(join(edge.dataDir, "jwks.json"), JSON.stringify(jwks));
  writeFileSync(join(edge.dataDir, "app.yaml"), MANIFEST);
});

after(async () => {
  await edge?.stop();
  edge?.cleanup();
});

function pae(type, payload) {
  const t = Buffer.from(type);
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
}

/** Verifies a DSSE envelope with node's own Ed25519 (OpenSSL), independently of the engine. */
function nodeVerifies(envelope, jwk) {
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
  const payload = Buffer.from(envelope.payload, "base64");
  return envelope.signatures.some((s) => edVerify(null, pae(envelope.payloadType, payload), key, Buffer.from(s.sig, "base64")));
}

function cliVerify(attestationPath) {
  return spawnSync(CLI, ["verify", join(edge.dataDir, "app.yaml"), "--attestation", attestationPath, "--key", join(edge.dataDir, "jwks.json")], { encoding: "utf8" });
}

describe("GET /v1/keys", () => {
  test("publishes every key as a public JWKS, never the private part", async () => {
    const r = await edge.json("/v1/keys");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^application\/jwk-set\+json/);
    assert.deepEqual(r.body.keys.map((k) => k.kid), [keys[0].kid, "edge-old"]);
    for (const k of r.body.keys) {
      assert.deepEqual(Object.keys(k).sort(), ["alg", "crv", "kid", "kty", "use", "x"]);
    }
    assert.ok(!r.text.includes(keys[0].d) && !r.text.includes(keys[1].d));
    assert.ok(!edge.logs().includes(keys[0].d), "the private key is never logged");
  });
});

describe("POST /v1/attestations", () => {
  let envelope;
  before(async () => {
    const r = await edge.json("/v1/attestations", { method: "POST", headers: { "content-type": "application/yaml" }, body: MANIFEST });
    assert.equal(r.status, 201, r.text);
    envelope = r.body;
    writeFileSync(join(edge.dataDir, "att.json"), JSON.stringify(envelope));
  });

  test("is an in-toto Statement v1 in DSSE, signed by the newest key", () => {
    assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
    assert.equal(envelope.signatures[0].keyid, keys[0].kid);
    assert.ok(nodeVerifies(envelope, keys[0]));
    assert.ok(!nodeVerifies(envelope, keys[1]));
    const text = Buffer.from(envelope.payload, "base64").toString("utf8");
    const st = JSON.parse(text);
    assert.equal(st._type, "https://in-toto.io/Statement/v1");
    assert.equal(st.predicateType, "https://parapet.dev/attestation/validation/v1");
    assert.equal(st.subject[0].name, "hr-approvals-bot");
    // The SHA-256 of the exact body (the edge hashes it natively and hands it to the engine).
    assert.equal(st.subject[0].digest.sha256, createHash("sha256").update(MANIFEST).digest("hex"));
    assert.deepEqual(Object.keys(st.predicate).sort(), ["counts", "engine", "evaluatedAt", "findings", "policy", "verdict"]);
    for (const f of st.predicate.findings) assert.deepEqual(Object.keys(f).sort(), ["level", "path", "rule"]);
    assert.ok(st.predicate.findings.some((f) => f.rule === "secrets/plaintext-secret"));
    assert.ok(!text.includes(SECRET) && !text.includes(SECRET.slice(-12)), "no secret in the attestation");
    assert.ok(!text.includes("message"), "no finding messages");
  });

  test("verifies with the CLI against the JWKS; tampering and another file fail", () => {
    const ok = cliVerify(join(edge.dataDir, "att.json"));
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`signed by key ${keys[0].kid}`));

    const st = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
    st.predicate.verdict = "allow";
    const tampered = { ...envelope, payload: Buffer.from(JSON.stringify(st)).toString("base64") };
    assert.ok(!nodeVerifies(tampered, keys[0]));
    writeFileSync(join(edge.dataDir, "tampered.json"), JSON.stringify(tampered));
    const bad = cliVerify(join(edge.dataDir, "tampered.json"));
    assert.equal(bad.status, 1, bad.stdout);
    const retyped = { ...envelope, payloadType: "application/json" };
    writeFileSync(join(edge.dataDir, "retyped.json"), JSON.stringify(retyped));
    assert.equal(cliVerify(join(edge.dataDir, "retyped.json")).status, 1);

    writeFileSync(join(edge.dataDir, "app.yaml"), MANIFEST.replace("controlled", "production"));
    try {
      const other = cliVerify(join(edge.dataDir, "att.json"));
      assert.equal(other.status, 1);
      assert.match(other.stderr, /digest differs/);
    } finally {
      writeFileSync(join(edge.dataDir, "app.yaml"), MANIFEST);
    }
  });

  test("bad bodies get the validate errors, not a signature", async () => {
    assert.equal((await edge.api("/v1/attestations", { method: "POST", headers: { "content-type": "image/png" }, body: "x" })).status, 415);
    assert.equal((await edge.api("/v1/attestations", { method: "GET" })).status, 405);
    const big = await edge.api("/v1/attestations", { method: "POST", headers: { "content-type": "text/plain" }, body: "a".repeat(1024 * 1024 + 1) });
    assert.equal(big.status, 413);
  });
});

describe("an approval becomes a signed waiver", () => {
  let approval;
  before(async () => {
    const created = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "signing-1" },
      body: JSON.stringify({ manifest: MANIFEST, rules: [RULE], requester: "jane.doe@corp.example", justification: "Workday sync" }),
    });
    assert.equal(created.status, 201, created.text);
    approval = created.body;
  });

  test("reviewer endpoints: no token 401, wrong token 403", async () => {
    const body = JSON.stringify({ decision: "approved", reviewer: "sec@corp.example" });
    const path = `/v1/approvals/${approval.id}/decision`;
    const none = await edge.api(path, { method: "POST", headers: { "content-type": "application/json" }, body });
    assert.equal(none.status, 401);
    const wrong = await edge.api(path, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}x` }, body });
    assert.equal(wrong.status, 403);
    const pending = await edge.json(`/v1/approvals/${approval.id}`);
    assert.equal(pending.body.status, "pending");
    assert.equal(pending.body.waiver, null);
  });

  test("approve with an expiry: the decision carries a waiver verifiable offline", async () => {
    const expires = `${Number(today().slice(0, 4)) + 1}-01-31`;
    const decided = await edge.json(`/v1/approvals/${approval.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` },
      body: JSON.stringify({ decision: "approved", reviewer: "sec@corp.example", expires }),
    });
    assert.equal(decided.status, 200, decided.text);
    const fetched = await edge.json(`/v1/approvals/${approval.id}`);
    const w = fetched.body.waiver;
    assert.deepEqual(w, decided.body.waiver);
    assert.equal(w.kid, keys[0].kid);
    assert.equal(w.expires, expires);
    assert.equal(w.reviewer, "sec@corp.example");
    assert.deepEqual(w.exceptions, [{ rule: RULE, approval: w.envelope }]);
    assert.equal(w.envelope.payloadType, "application/vnd.parapet.waiver+json");
    assert.ok(nodeVerifies(w.envelope, keys[0]));
    const claims = JSON.parse(Buffer.from(w.envelope.payload, "base64").toString("utf8"));
    assert.deepEqual(Object.keys(claims).sort(), ["app", "approval", "expires", "issued", "reviewer", "rules", "target"]);
    assert.equal(claims.app, "hr-approvals-bot");
    assert.deepEqual(claims.rules, [RULE]);
    assert.equal(claims.approval, approval.id);
    assert.ok(!JSON.stringify(w).includes(SECRET));
  });
});

describe("the edge's engine verifies the waivers it signed", () => {
  test("valid waiver waives at /v1/validate; tampered, expired or other-app waivers are invalid-signature", async () => {
    const created = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "signing-validate" },
      body: JSON.stringify({ manifest: MANIFEST, rules: [RULE], requester: "sam@corp.example", justification: "sync" }),
    });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    const decided = await edge.json(`/v1/approvals/${created.body.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` },
      body: JSON.stringify({ decision: "approved", reviewer: "sec@corp.example", expires: `${Number(today().slice(0, 4)) + 1}-06-30` }),
    });
    const { envelope } = decided.body.waiver;
    const withApproval = (approval) => `${MANIFEST.trimEnd()}\n  exceptions:\n    - rule: ${RULE}\n      approval: ${JSON.stringify(approval)}\n`;
    const validate = async (approval) => (await edge.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body: withApproval(approval) })).body;

    const ok = await validate(envelope);
    const f = ok.findings.find((x) => x.rule === RULE);
    assert.equal(f.level, "info", JSON.stringify(ok.findings));
    assert.ok(f.waivedBy);
    assert.ok(!ok.findings.some((x) => x.rule === "exceptions/invalid-signature"));

    const claims = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
    const cases = {
      tampered: { ...envelope, payload: Buffer.from(JSON.stringify({ ...claims, expires: "2099-12-31" })).toString("base64") },
      "tampered payloadType": { ...envelope, payloadType: "application/json" },
      "malformed base64": { ...envelope, payload: "%%%" },
    };
    for (const [name, env] of Object.entries(cases)) {
      const r = await validate(env);
      const bad = r.findings.filter((x) => x.rule === "exceptions/invalid-signature");
      assert.equal(bad.length, 1, name);
      assert.equal(bad[0].level, "deny", name);
      assert.equal(r.findings.find((x) => x.rule === RULE).level, "approval", `${name} waives nothing`);
    }
  });
});
