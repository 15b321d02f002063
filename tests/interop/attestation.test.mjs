// Attestation interop: `parapet attest` output verified by independent implementations
// (Python securesystemslib's DSSE + Ed25519 via pyca/cryptography, and in-toto-attestation's
// Statement v1 validation, from PyPI, pinned in tests/requirements.txt, installed into .venv/ by
// scripts/setup). Every kind of tampering must fail there too.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PYTHON = join(ROOT, ".venv/bin/python");
const VERIFY = join(ROOT, "tests/interop/verify_dsse.py");
const CLI = join(ROOT, "target/debug/parapet");
const SECRET = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");
const MANIFEST = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8").trimEnd()
  + `\n  settings: { notify: "${SECRET}" }\n`;

let dir;
let envelope;
let digest;

function jwks(publicKey, kid) {
  return { keys: [{ kty: "OKP", crv: "Ed25519", kid, x: publicKey.export({ format: "jwk" }).x }] };
}

function python(envelopeValue, keySet, subjectDigest = digest) {
  writeFileSync(join(dir, "env.json"), typeof envelopeValue === "string" ? envelopeValue : JSON.stringify(envelopeValue));
  writeFileSync(join(dir, "jwks.json"), JSON.stringify(keySet));
  const r = spawnSync(PYTHON, [VERIFY, join(dir, "env.json"), join(dir, "jwks.json"), subjectDigest], { encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `python crashed (${r.status}): ${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split("\n").pop()), status: r.status };
}

let good;
let other;

before(() => {
  assert.ok(existsSync(PYTHON), ".venv is missing: run bash scripts/setup");
  if (!existsSync(CLI)) {
    const b = spawnSync("cargo", ["build", "--quiet", "-p", "parapet-cli"], { cwd: ROOT, stdio: "inherit" });
    assert.equal(b.status, 0);
  }
  dir = mkdtempSync(join(tmpdir(), "parapet-interop-"));
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  writeFileSync(join(dir, "key.pem"), privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  writeFileSync(join(dir, "app.yaml"), MANIFEST);
  good = jwks(publicKey, "ci-2026");
  other = jwks(generateKeyPairSync("ed25519").publicKey, "ci-2026");
  const r = spawnSync(CLI, ["attest", join(dir, "app.yaml"), "--key", join(dir, "key.pem"), "--kid", "ci-2026"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  envelope = JSON.parse(r.stdout);
  digest = createHash("sha256").update(MANIFEST).digest("hex");
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("securesystemslib verifies the DSSE signature and in-toto-attestation validates the statement", () => {
  const r = python(envelope, good);
  assert.equal(r.ok, true, r.error);
  assert.deepEqual(r.keyids, ["ci-2026"]);
  assert.equal(r.subject, "hr-approvals-bot");
  assert.equal(r.verdict, "deny");
  assert.ok(r.findings > 0);
  const payload = Buffer.from(envelope.payload, "base64").toString("utf8");
  assert.ok(!payload.includes(SECRET) && !payload.includes(SECRET.slice(-12)), "no secret");
  assert.ok(!payload.includes("message"), "no finding messages");
});

test("every kind of tampering fails there too", () => {
  const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
  const flipped = { ...statement, predicate: { ...statement.predicate, verdict: "allow" } };
  const cases = {
    "wrong key": [envelope, other],
    "tampered payload": [{ ...envelope, payload: Buffer.from(JSON.stringify(flipped)).toString("base64") }, good],
    "tampered payloadType": [{ ...envelope, payloadType: "application/json" }, good],
    "signature of another message": [{ ...envelope, signatures: [{ ...envelope.signatures[0], sig: Buffer.alloc(64, 1).toString("base64") }] }, good],
    "malformed base64": [{ ...envelope, payload: "%%%not-base64%%%" }, good],
    "malformed JSON": ["{\"payloadType\":", good],
  };
  for (const [name, [env, keys]] of Object.entries(cases)) {
    const r = python(env, keys);
    assert.equal(r.ok, false, `${name} must fail`);
    assert.equal(r.status, 1, name);
  }
  // Another input than the one attested.
  const r = python(envelope, good, createHash("sha256").update(MANIFEST + "\n").digest("hex"));
  assert.equal(r.ok, false);
  assert.match(r.error, /digest/);
});
