// Signed waivers through the wasm engine (the npm package): the signature matrix of
// exceptions/invalid-signature, with envelopes signed here by node's Ed25519 (OpenSSL), so the
// engine's verifier is checked against another implementation's signatures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { parapet } from "./helpers.mjs";

const { Engine } = parapet;
const NOW = "2026-12-01";
const RULE = "integration/external-connector";
const WAIVER = "application/vnd.parapet.waiver+json";

const key = (kid) => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { kid, privateKey, jwk: { kty: "OKP", crv: "Ed25519", kid, x: publicKey.export({ format: "jwk" }).x } };
};
const [current, old, stranger] = [key("edge-2026-12"), key("edge-2026-06"), key("mallory")];
// After a rotation: the new key and the old one are both trusted.
const engine = new Engine({ approvals: { trustedKeys: { keys: [current.jwk, old.jwk] } } });

const pae = (type, payload) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);
function envelope(k, claims, { type = WAIVER, kid = k.kid } = {}) {
  const payload = Buffer.from(JSON.stringify(claims));
  return { payloadType: type, payload: payload.toString("base64"), signatures: [{ keyid: kid, sig: sign(null, pae(type, payload), k.privateKey).toString("base64") }] };
}
const claims = (over = {}) => ({ app: "hr-bot", rules: [RULE], approval: "apr-1", reviewer: "sec@corp.example", expires: "2027-01-31", issued: "2026-11-30T10:00:00Z", ...over });

function evaluate(approval, tier = "controlled") {
  const manifest = {
    apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "hr-bot" },
    spec: {
      tier, owner: "user:sam",
      connectors: [{ name: "workday", type: "saas", service: "workday", url: "https://wd2-impl.workday.com/api" }],
      exceptions: [{ rule: RULE, approval }],
    },
  };
  const report = engine.evaluate(manifest, { now: NOW });
  return {
    report,
    waived: report.findings.filter((f) => f.rule === RULE).every((f) => f.level === "info" && f.waivedBy),
    invalid: report.findings.filter((f) => f.rule === "exceptions/invalid-signature"),
  };
}

test("a valid waiver waives; one signed by the rotated-out key still does", () => {
  for (const k of [current, old]) {
    const r = evaluate(envelope(k, claims()));
    assert.ok(r.waived, JSON.stringify(r.report.findings));
    assert.equal(r.invalid.length, 0);
    assert.equal(r.report.findings.find((f) => f.rule === RULE).waivedBy.expires, "2027-01-31");
  }
});

test("signature matrix: each bad waiver is exceptions/invalid-signature at deny and waives nothing", () => {
  const good = envelope(current, claims());
  const forged = { ...good, payload: Buffer.from(JSON.stringify(claims({ expires: "2099-12-31" }))).toString("base64") };
  const cases = {
    "wrong key (claims a trusted kid)": [envelope(stranger, claims(), { kid: current.kid }), /does not verify/],
    "untrusted key": [envelope(stranger, claims()), /does not trust/],
    "tampered payload": [forged, /does not verify/],
    "tampered payloadType": [{ ...good, payloadType: "application/json" }, /does not verify/],
    "other payloadType, validly signed": [envelope(current, claims(), { type: "application/vnd.in-toto+json" }), /not a waiver/],
    expired: [envelope(current, claims({ expires: "2026-11-30" })), /expired on 2026-11-30/],
    "other app": [envelope(current, claims({ app: "payroll" })), /another app/],
    "other rule": [envelope(current, claims({ rules: ["config/cors-wildcard"] })), /does not cover/],
    "malformed base64": [{ ...good, payload: "%%%" }, /not base64/],
    "malformed JSON payload": [envelope(current, "not an object"), /not a valid waiver/],
    "1 MB envelope": [{ ...good, payload: "A".repeat(1 << 20) }, /larger than/],
  };
  for (const tier of ["sandbox", "controlled", "production"]) {
    for (const [name, [env, why]] of Object.entries(cases)) {
      const r = evaluate(env, tier);
      assert.equal(r.invalid.length, 1, `${name} (${tier})`);
      assert.equal(r.invalid[0].level, "deny", name);
      assert.equal(r.invalid[0].path, "/spec/exceptions/0/approval", name);
      assert.match(r.invalid[0].message, why, name);
      assert.ok(!r.waived, `${name} waives nothing`);
    }
  }
});

test("a pack without trusted keys accepts no signed waiver", () => {
  const r = new Engine().evaluate({
    apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "hr-bot" },
    spec: { tier: "controlled", owner: "user:sam", exceptions: [{ rule: RULE, approval: envelope(current, claims()) }] },
  }, { now: NOW });
  const bad = r.findings.filter((f) => f.rule === "exceptions/invalid-signature");
  assert.equal(bad.length, 1);
  assert.match(bad[0].message, /trusts no signing key/);
});

test("invalid trusted keys are a policy error naming the field", () => {
  assert.throws(() => new Engine({ approvals: { trustedKeys: { keys: [{ kty: "OKP", crv: "Ed25519", x: "AAAA" }] } } }),
    (e) => e.code === "invalid_policy" && /trustedKeys/.test(JSON.stringify(e)));
});
