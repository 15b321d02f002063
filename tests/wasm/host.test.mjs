// What hosts (the edge, a builder's backend) ask the engine besides `evaluate`: the compiled
// pack's name and digest (`engine.policy()`), a free-text secret check (`engine.checkText`) and
// the rule ids by name (`ruleIds()`), so that no host evaluates probe manifests or writes rule ids
// by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inputs, NOW, parapet, rel, root } from "./helpers.mjs";

const { Engine, rules, ruleIds } = parapet;

/** Detected secrets, assembled so that no scanner flags this file. */
const SLACK = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");
const GITHUB = ["ghp", "Zx9f3kQ2mW8vR1tY6uP0aS4dG7hJ5lB2nC8x"].join("_");
const good = readFileSync(join(root, "examples/controlled-hr-bot.yaml"), "utf8");

function assertParapetError(fn, code, label) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `${label}: nothing was thrown`);
  assert.equal(thrown.name, "ParapetError", `${label}: ${thrown?.stack}`);
  assert.equal(thrown.code, code, `${label}: ${thrown.message}`);
}

// ---- policy() -------------------------------------------------------------------------------

test("policy(): the report's policy, without evaluating anything", () => {
  const packs = [
    undefined,
    "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: acme-strict }\nconnectors: { blocked: [dropbox] }\n",
    { metadata: { name: "acme-object" }, endpoints: [{ deny: "*.ngrok.io" }] },
  ];
  const seen = new Set();
  for (const pack of packs) {
    const engine = pack === undefined ? new Engine() : new Engine(pack);
    const policy = engine.policy();
    assert.deepEqual(Object.keys(policy).sort(), ["digest", "name"]);
    assert.match(policy.digest, /^sha256:[0-9a-f]{64}$/);
    // Same shape and values as every report made with the engine, whatever the input.
    for (const input of [good, "{}", "not: [valid", new Uint8Array([0xff, 0xfe])]) {
      assert.deepEqual(engine.evaluate(input, { now: NOW }).policy, policy);
    }
    seen.add(policy.digest);
  }
  assert.equal(seen.size, packs.length, "each pack has its own digest");
  assert.equal(new Engine().policy().name, "default");
  assert.equal(new Engine(packs[1]).policy().name, "acme-strict");
  assert.equal(new Engine(packs[2]).policy().name, "acme-object");
  // The same pack as text and as the default compiles to the same digest.
  assert.deepEqual(new Engine(Engine.defaultPolicy()).policy(), new Engine().policy());
});

// ---- evaluateJson() -------------------------------------------------------------------------

test("evaluateJson(): JSON.stringify(evaluate()) byte for byte, for every example and spec case", () => {
  const engine = new Engine();
  const files = inputs();
  assert.ok(files.length > 50, `only ${files.length} inputs`);
  let withFindings = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const options of [{ now: NOW }, { now: NOW, tier: "sandbox", utf16: true }]) {
      const expected = JSON.stringify(engine.evaluate(text, options));
      assert.equal(engine.evaluateJson(text, options), expected, rel(file));
      // Bytes too: the edge hands in the request body as it came.
      const bytes = new TextEncoder().encode(text);
      assert.equal(engine.evaluateJson(bytes, options), expected, rel(file));
      // evaluateJsonBytes: the same text as UTF-8 bytes (what the edge answers with).
      const out = engine.evaluateJsonBytes(bytes, options);
      assert.ok(out instanceof Uint8Array, rel(file));
      assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(out), expected, rel(file));
    }
    if (engine.evaluate(text, { now: NOW }).findings.length > 0) withFindings += 1;
  }
  assert.ok(withFindings > 20, `only ${withFindings} inputs with findings`);
  // A manifest object, unreadable bytes and text that is no manifest: one shape for all.
  for (const input of [{ metadata: { name: "obj" } }, new Uint8Array([0xff, 0xfe]), "not: [valid", "{}"]) {
    const expected = JSON.stringify(engine.evaluate(input, { now: NOW }));
    assert.equal(engine.evaluateJson(input, { now: NOW }), expected);
    assert.equal(new TextDecoder().decode(engine.evaluateJsonBytes(input, { now: NOW })), expected);
  }
});

test("evaluateJson(): bad arguments throw the same ParapetError as evaluate()", () => {
  const engine = new Engine();
  assertParapetError(() => engine.evaluateJson(42), "invalid_argument", "number");
  assertParapetError(() => engine.evaluateJson("{}", { tier: "galaxy" }), "invalid_argument", "bad tier");
  assertParapetError(() => engine.evaluateJson("x".repeat(8 * 1024 * 1024 + 1)), "input_too_large", "too large");
  assertParapetError(() => engine.evaluateJsonBytes(42), "invalid_argument", "number");
  assertParapetError(() => engine.evaluateJsonBytes("{}", { tier: "galaxy" }), "invalid_argument", "bad tier");
});

// ---- checkText() ----------------------------------------------------------------------------

test("checkText(): finds a token in prose and gives where it is, never the token", () => {
  const engine = new Engine();
  for (const secret of [SLACK, GITHUB]) {
    // Non-ASCII before the token: offsets are JS string indices (UTF-16 code units).
    const text = `Grüße 👋 — the bot token is ${secret}, rotate it after the demo.`;
    const hits = engine.checkText(text);
    assert.equal(hits.length, 1, JSON.stringify(hits));
    const [hit] = hits;
    assert.equal(text.slice(hit.start, hit.end), secret, "start/end index the secret in the text");
    assert.deepEqual(Object.keys(hit).sort(), ["confidence", "end", "kind", "name", "reason", "redacted", "start"]);
    assert.match(hit.kind, /^[a-z0-9]+(-[a-z0-9]+)*$/, "a stable kebab-case id");
    assert.ok(hit.name.length > 0 && hit.reason.length > 0);
    assert.ok(["certain", "likely", "possible"].includes(hit.confidence), hit.confidence);
    assert.equal(typeof hit.redacted, "string");
    assert.notEqual(hit.redacted, secret);
    const out = JSON.stringify(hits);
    assert.ok(!out.includes(secret), `the hit carries the secret: ${out}`);
    assert.ok(!out.includes(secret.slice(8)), `the hit carries most of the secret: ${out}`);
    assert.ok(!out.includes(secret.slice(-12)), `the hit carries the secret's end: ${out}`);
  }
  // The redacted form is the one reports show for the same secret.
  const report = engine.evaluate(`apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: redaction-check }
spec:
  tier: sandbox
  settings: { note: "${SLACK}" }
`, { now: NOW });
  const finding = report.findings.find((f) => f.rule === ruleIds().SecretsPlaintextSecret);
  assert.ok(finding, JSON.stringify(report.findings));
  const [hit] = engine.checkText(`token ${SLACK}`);
  assert.ok(finding.message.includes(hit.redacted), `${finding.message} does not show ${hit.redacted}`);
});

test("checkText(): two secrets, each in order; ordinary prose has none", () => {
  const engine = new Engine();
  const text = `first ${GITHUB} then ${SLACK}`;
  const hits = engine.checkText(text);
  assert.deepEqual(hits.map((h) => text.slice(h.start, h.end)), [GITHUB, SLACK]);
  for (const prose of [
    "",
    "Workday sync for the HR team, approved by Jane on Monday.",
    "fixed in 3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39, see https://jira.example.com/browse/SEC-12345",
    `request ${crypto.randomUUID()}`,
    "owner: group:hr-platform, contact jane.doe@corp.example, budget 120 USD a month",
  ]) {
    assert.deepEqual(engine.checkText(prose), [], prose);
  }
});

test("checkText(text, field): judged as the value of a field of that name", () => {
  const engine = new Engine();
  // A weak literal is a secret's value under a password field, and nothing in a comment.
  const weak = "Summer2024Rocks!";
  assert.deepEqual(engine.checkText(weak, "comment"), []);
  const underPassword = engine.checkText(weak, "password");
  assert.equal(underPassword.length, 1, JSON.stringify(underPassword));
  assert.equal(weak.slice(underPassword[0].start, underPassword[0].end), weak);
  assert.ok(!JSON.stringify(underPassword).includes(weak));
  // A token of a known format is one whatever the field.
  for (const field of ["justification", "comment", null, undefined]) {
    assert.equal(engine.checkText(`see ${SLACK}`, field).length, 1, String(field));
  }
  for (const [label, field] of [["a number", 1], ["an object", {}], ["empty", ""], ["too long", "f".repeat(201)]]) {
    assertParapetError(() => engine.checkText("x", field), "invalid_argument", label);
  }
});

test("checkText(): the pack's secrets.allow is honoured", () => {
  const allowing = new Engine({ metadata: { name: "allow-demo" }, secrets: { allow: ["^xoxb-7301-"] } });
  const text = `the demo token is ${SLACK}`;
  assert.equal(new Engine().checkText(text).length, 1, "the default pack flags it");
  assert.deepEqual(allowing.checkText(text), [], "a pack that allows it does not");
  // Only what the pattern allows: another secret in the same text is still found.
  assert.equal(allowing.checkText(`${text} and ${GITHUB}`).length, 1);
});

test("checkText(): bad arguments are ParapetErrors, and the engine keeps working", () => {
  const engine = new Engine();
  for (const [label, value] of [["a number", 42], ["null", null], ["undefined", undefined], ["an object", { text: SLACK }], ["bytes", new Uint8Array([1])]]) {
    assertParapetError(() => engine.checkText(value), "invalid_argument", label);
  }
  assertParapetError(() => engine.checkText("a".repeat(8 * 1024 * 1024 + 1)), "input_too_large", "9 MiB");
  assert.equal(engine.checkText(`x ${SLACK}`).length, 1);
});

// ---- ruleIds() ------------------------------------------------------------------------------

test("ruleIds(): every rule of the catalogue by its registry name, frozen", () => {
  const ids = ruleIds();
  assert.deepEqual(Object.values(ids), rules().map((r) => r.id), "in catalogue order, none missing");
  for (const [name, id] of Object.entries(ids)) {
    assert.match(name, /^[A-Z][A-Za-z0-9]+$/, name);
    // The name is the id in PascalCase: `manifest/syntax` is `ManifestSyntax`.
    assert.equal(name, id.split(/[/-]/).map((w) => w[0].toUpperCase() + w.slice(1)).join(""), id);
  }
  assert.ok(Object.isFrozen(ids));
  assert.equal(ids.ManifestSyntax, "manifest/syntax");
  // A report's rule ids are among them.
  const report = new Engine().evaluate("not: [valid", { now: NOW });
  assert.equal(report.findings[0].rule, ids.ManifestSyntax);
});
