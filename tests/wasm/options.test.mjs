// The JS API's behaviour: options (`now`, `format`, `utf16`), the input kinds (text, bytes,
// objects), compiled packs from text and objects, and the package's helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NOW, inputs, parapet, rel, root } from "./helpers.mjs";

const { Engine, rules, version } = parapet;
const good = readFileSync(join(root, "examples/controlled-hr-bot.yaml"), "utf8");
const engine = new Engine();

const retiring = (date) => `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: retiring-app }
spec:
  tier: sandbox
  owner: group:ops
  review: { retireBy: ${date} }
`;
const rulesOf = (r) => r.findings.map((f) => f.rule);

test("now: the given date decides dated rules", () => {
  const text = retiring("2026-12-01");
  assert.ok(!rulesOf(engine.evaluate(text, { now: "2026-11-30" })).includes("lifecycle/past-retirement"));
  assert.ok(rulesOf(engine.evaluate(text, { now: "2026-12-02" })).includes("lifecycle/past-retirement"));
  // An RFC 3339 timestamp's date is used.
  assert.deepEqual(engine.evaluate(text, { now: "2026-12-02T10:00:00.000Z" }), engine.evaluate(text, { now: "2026-12-02" }));
});

test("now: without it, today's UTC date from the JS clock", () => {
  const today = new Date().toISOString().slice(0, 10);
  for (const text of [good, retiring(today), retiring("2000-01-01")]) {
    assert.deepEqual(engine.evaluate(text), engine.evaluate(text, { now: today }));
    assert.deepEqual(engine.evaluate(text, {}), engine.evaluate(text, { now: today }));
  }
  assert.ok(rulesOf(engine.evaluate(retiring("2000-01-01"))).includes("lifecycle/past-retirement"));
});

test("format: json refuses YAML, yaml reads JSON, auto picks", () => {
  const json = readFileSync(join(root, "examples/sandbox-marketing-leads.json"), "utf8");
  assert.equal(engine.evaluate(good, { now: NOW, format: "json" }).findings[0].rule, "manifest/syntax");
  assert.equal(engine.evaluate(good, { now: NOW, format: "yaml" }).verdict, engine.evaluate(good, { now: NOW }).verdict);
  assert.notEqual(engine.evaluate(json, { now: NOW, format: "auto" }).app.name, null);
  assert.equal(engine.evaluate(json, { now: NOW, format: "yaml" }).app.name, engine.evaluate(json, { now: NOW }).app.name);
});

/** The JS string index of a 1-based line and column counted in Unicode scalar values. */
function jsIndex(text, line, column) {
  let index = 0;
  const lines = text.split("\n");
  for (let i = 0; i < line - 1; i++) index += lines[i].length + 1;
  const head = Array.from(lines[line - 1] ?? "").slice(0, column - 1).join("");
  return index + head.length;
}

test("utf16: offsets are JS string indices of each finding's span", () => {
  const text = `# 🛡️ Parapet — ünïcödé ahead 𝄞𝄞
apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: emoji-app, title: "🚀 launch 🚀" }
spec:
  tier: production
  owner: group:ops   # 👩‍💻
  connectors:
    - { name: "🐍 legacy", type: http, url: "http://legacy.example.com/😀", direction: outbound }
  network: { cors: { allowOrigins: ["*"] } }
`;
  const plain = engine.evaluate(text, { now: NOW });
  assert.ok(plain.findings.every((f) => !("utf16" in f)), "utf16 only when asked for");
  const r = engine.evaluate(text, { now: NOW, utf16: true });
  assert.ok(r.findings.length >= 3);
  let astral = 0;
  for (const f of r.findings) {
    const { line, column, endLine, endColumn } = f.location;
    assert.equal(f.utf16.start, jsIndex(text, line, column), `${f.rule} start`);
    assert.equal(f.utf16.end, jsIndex(text, endLine, endColumn), `${f.rule} end`);
    // UTF-16 offsets and scalar-value offsets part after an astral character.
    if (Array.from(text.slice(0, f.utf16.start)).length !== f.utf16.start) astral++;
  }
  assert.ok(astral > 0, "some spans sit after astral characters");
  // Same findings otherwise.
  assert.deepEqual(r.findings.map(({ utf16, ...f }) => f), plain.findings);
});

test("object input: evaluated as JSON.stringify(object, null, 2), so its report equals that text's", () => {
  const jsonInputs = inputs().filter((f) => f.endsWith(".json"));
  assert.ok(jsonInputs.length >= 1);
  for (const file of jsonInputs) {
    const object = JSON.parse(readFileSync(file, "utf8"));
    const fromObject = engine.evaluate(object, { now: NOW });
    assert.deepEqual(fromObject, engine.evaluate(JSON.stringify(object, null, 2), { now: NOW }), rel(file));
    // Verdict, rules and pointers are those of the original text.
    const fromText = engine.evaluate(readFileSync(file, "utf8"), { now: NOW });
    assert.equal(fromObject.verdict, fromText.verdict, rel(file));
    const key = (r) => r.findings.map((f) => `${f.rule} ${f.path} ${f.level}`).sort();
    assert.deepEqual(key(fromObject), key(fromText), rel(file));
  }
  // A typed manifest object.
  const manifest = {
    apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "typed-app" },
    spec: { tier: "sandbox", owner: "group:ops", triggers: [{ name: "hook", type: "webhook", public: true, auth: "none" }] },
  };
  const r = engine.evaluate(manifest, { now: NOW });
  assert.equal(r.app.name, "typed-app");
  assert.ok(rulesOf(r).includes("config/unauthenticated-trigger"));
});

const designPack = {
  apiVersion: "parapet.dev/v1", kind: "PolicyPack", metadata: { name: "retailco", version: "2026.11" },
  connectors: { business: ["slack", "workday"], blocked: ["pastebin"], unknown: "external" },
  rules: { "config/cors-wildcard": { sandbox: "deny" }, "lifecycle/review-overdue": "off" },
};

test("policy: a pack object compiles like its text, and changes the verdict", () => {
  const fromObject = new Engine(designPack);
  const fromText = new Engine(JSON.stringify(designPack));
  const a = fromObject.evaluate(good, { now: NOW });
  const b = fromText.evaluate(good, { now: NOW });
  assert.deepEqual(a, b);
  assert.equal(a.policy.name, "retailco");
  // workday is a business connector in this pack: no external-connector approval any more.
  assert.ok(rulesOf(engine.evaluate(good, { now: NOW })).includes("integration/external-connector"));
  assert.ok(!rulesOf(a).includes("integration/external-connector"));
  // The compiled engine is reused: many calls, same answers.
  for (let i = 0; i < 50; i++) assert.deepEqual(fromObject.evaluate(good, { now: NOW }), a);
  fromObject.free();
  fromText.free();
});

test("Engine.defaultPolicy() is the built-in pack's YAML", () => {
  const text = Engine.defaultPolicy();
  assert.match(text, /^apiVersion: parapet\.dev\/v1\nkind: PolicyPack\n/);
  const a = new Engine(text).evaluate(good, { now: NOW });
  const b = new Engine().evaluate(good, { now: NOW });
  assert.deepEqual(a, b);
});

test("rules(): the catalogue with documentation", () => {
  const catalogue = rules();
  assert.ok(Array.isArray(catalogue) && catalogue.length >= 23);
  assert.equal(new Set(catalogue.map((r) => r.id)).size, catalogue.length);
  for (const r of catalogue) {
    assert.deepEqual(Object.keys(r), ["id", "summary", "defaults", "help", "rationale", "securitySeverity"]);
    assert.match(r.id, /^[a-z]+\/[a-z-]+$/);
    assert.deepEqual(Object.keys(r.defaults), ["sandbox", "controlled", "production"]);
    for (const level of Object.values(r.defaults)) assert.ok(["off", "info", "warn", "approval", "deny"].includes(level));
    assert.ok(r.help.length > 10 && r.rationale.length > 10, r.id);
    assert.equal(Object.getPrototypeOf(r), Object.prototype, "a plain object, not a Map");
  }
  // Every rule a report names is in the catalogue.
  const ids = new Set(catalogue.map((r) => r.id));
  for (const f of inputs()) {
    for (const finding of engine.evaluate(new Uint8Array(readFileSync(f)), { now: NOW }).findings) assert.ok(ids.has(finding.rule), finding.rule);
  }
});

test("version() is the crate and package version", () => {
  const pkg = JSON.parse(readFileSync(join(root, "pkg/package.json"), "utf8"));
  const cargo = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "(.*)"/m)[1];
  assert.equal(version(), cargo);
  assert.equal(pkg.version, cargo);
});

test("reports are plain JSON data", () => {
  const r = engine.evaluate(good, { now: NOW, utf16: true });
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  const plain = (v) => v === null || typeof v !== "object" || ((Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype) && Object.values(v).every(plain));
  assert.ok(plain(r));
});

test("the Node entry is ready on import; init() is a harmless no-op", async () => {
  const exports = await parapet.default();
  assert.ok(exports.memory instanceof WebAssembly.Memory);
  assert.equal(new Engine().evaluate(good, { now: NOW }).verdict, "approval");
});

test("tier: a vendor export is judged at the caller's tier; findings carry their node", () => {
  const flow = readFileSync(join(root, "tests/corpus/n8n/webhook-basicauth-exec-command-mailgun.json"), "utf8");
  const sandbox = engine.evaluate(flow, { now: NOW });
  assert.equal(sandbox.input.format, "n8n");
  assert.equal(sandbox.app.tier, "sandbox"); // the pack's defaults.tier
  const prod = engine.evaluate(flow, { now: NOW, tier: "production" });
  assert.equal(prod.app.tier, "production");
  const ext = prod.findings.find((f) => f.rule === "integration/external-connector");
  assert.deepEqual(ext.node, { id: "node-4e26e093", name: "Mail CloudFlare", type: "n8n-nodes-base.mailgun" });
  assert.equal(ext.level, "approval");
  // A manifest keeps its own tier.
  assert.equal(engine.evaluate(good, { now: NOW, tier: "sandbox" }).app.tier, "controlled");
  assert.throws(() => engine.evaluate(flow, { tier: "prod" }), (e) => e.code === "invalid_argument");
});
