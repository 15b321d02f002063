#!/usr/bin/env node
// Cost of a signed waiver (DSSE + Ed25519 verification) inside the engine, native and wasm:
// the same manifest with N exceptions signed versus unsigned, in the same run; the difference
// per signature. Also node's own Ed25519 verify (OpenSSL) as a reference point.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const N = 20;
const native = spawnSync("cargo", ["run", "--release", "-q", "-p", "parapet-core", "--example", "waiver_cost", String(N), "100"], { cwd: ROOT, encoding: "utf8" });
if (native.status !== 0) throw new Error(native.stderr);
const nat = JSON.parse(native.stdout.trim().split("\n").pop());

const { Engine } = await import(join(ROOT, "pkg/node.js"));
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const jwk = { kty: "OKP", crv: "Ed25519", kid: "k1", x: publicKey.export({ format: "jwk" }).x };
const engine = new Engine({ approvals: { trustedKeys: { keys: [jwk] } } });
const RULE = "integration/external-connector";
const TYPE = "application/vnd.parapet.waiver+json";
const pae = (t, p) => Buffer.concat([Buffer.from(`DSSEv1 ${t.length} ${t} ${p.length} `), p]);
const connectors = [];
const signed = [];
const unsigned = [];
for (let i = 0; i < N; i++) {
  connectors.push({ name: `c${i}`, type: "saas", service: `svc${i}`, url: `https://svc${i}.example.com` });
  const payload = Buffer.from(JSON.stringify({ app: "bench-app", rules: [RULE], target: `/spec/connectors/${i}`, approval: "apr", reviewer: "sec", expires: "2027-01-31", issued: "2026-11-30T00:00:00Z" }));
  signed.push({ rule: RULE, approval: { payloadType: TYPE, payload: payload.toString("base64"), signatures: [{ keyid: "k1", sig: sign(null, pae(TYPE, payload), privateKey).toString("base64") }] } });
  unsigned.push({ rule: RULE, target: `/spec/connectors/${i}`, expires: "2027-01-31", ticket: "apr" });
}
const doc = (exceptions) => JSON.stringify({ apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "bench-app" }, spec: { tier: "controlled", owner: "user:sam", connectors, exceptions } }, null, 2);
const texts = [doc(unsigned), doc(signed)];
for (const t of texts) if (engine.evaluate(t, { now: "2026-12-01" }).counts.approval !== 0) throw new Error("not all waived");
const best = [Infinity, Infinity];
for (let k = 0; k < 5; k++) {
  texts.forEach((t, i) => {
    const start = process.hrtime.bigint();
    for (let r = 0; r < 100; r++) engine.evaluate(t, { now: "2026-12-01" });
    best[i] = Math.min(best[i], Number(process.hrtime.bigint() - start) / 1e3 / 100);
  });
}
const perWasm = (best[1] - best[0]) / N;
const msg = Buffer.from("x".repeat(300));
const sig = sign(null, msg, privateKey);
let t = process.hrtime.bigint();
for (let i = 0; i < 2000; i++) verify(null, msg, publicKey, sig);
const openssl = Number(process.hrtime.bigint() - t) / 1e3 / 2000;
console.log(`signed waivers, ${N} exceptions per manifest (best of 5, same run):`);
console.log(`  native: unsigned ${nat.unsignedUs} µs, signed ${nat.signedUs} µs → ${nat.perSignatureUs} µs per signature`);
console.log(`  wasm:   unsigned ${best[0].toFixed(1)} µs, signed ${best[1].toFixed(1)} µs → ${perWasm.toFixed(1)} µs per signature (${(perWasm / nat.perSignatureUs).toFixed(2)}× native)`);
console.log(`  reference: node's OpenSSL Ed25519 verify ${openssl.toFixed(1)} µs`);
