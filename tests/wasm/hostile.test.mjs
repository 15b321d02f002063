// Hostile shapes through the wasm API, as an outside probe sends them: linear time on a
// many-keys mapping (a ratio to a list of the same size, in one run), a clear manifest/syntax
// finding at every cap, deep JS objects refused without a stack overflow, and a token used as
// the app name never returned.
import { test } from "node:test";
import assert from "node:assert/strict";
import { NOW, parapet } from "./helpers.mjs";

const { Engine } = parapet;
const TOKEN = ["xoxb", "7301", "4405211876", "Qm9vTGVha0NhbmFyeVRva2Vu"].join("-");

function wide(n, asKeys, yaml) {
  const key = (i) => `field${String(i).padStart(6, "0")}`;
  if (yaml) {
    const head = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: wide\nspec:\n  tier: sandbox\n  settings:\n";
    const lines = Array.from({ length: n }, (_, i) => (asKeys ? `    ${key(i)}: ${i}\n` : `      - ${key(i)}-${i}\n`));
    return head + (asKeys ? "" : "    list:\n") + lines.join("");
  }
  const items = Array.from({ length: n }, (_, i) => (asKeys ? `"${key(i)}": ${i}` : `"${key(i)}", ${i}`));
  const settings = asKeys ? `{${items.join(", ")}}` : `{"list": [${items.join(", ")}]}`;
  return `{"apiVersion": "parapet.dev/v1", "kind": "MicroApp", "metadata": {"name": "wide"}, "spec": {"tier": "sandbox", "settings": ${settings}}}`;
}

function best(engine, text) {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = engine.evaluate(text, { now: NOW });
    min = Math.min(min, performance.now() - t);
    assert.ok(!r.findings.some((f) => f.rule === "manifest/syntax"), JSON.stringify(r.findings[0]));
  }
  return min;
}

for (const yaml of [false, true]) {
  const name = yaml ? "YAML" : "JSON";
  test(`${name}: 15,000 keys cost about what a list of the same size costs (ratio, same run)`, () => {
    const engine = new Engine();
    const keys = wide(15_000, true, yaml);
    const list = wide(15_000, false, yaml);
    best(engine, list);
    const l = best(engine, list);
    const k = best(engine, keys);
    const ratio = k / l;
    console.log(`wasm ${name}: keys ${k.toFixed(1)} ms vs list ${l.toFixed(1)} ms: ratio ${ratio.toFixed(2)}`);
    assert.ok(ratio < 5, `ratio ${ratio.toFixed(1)}`);
  });
}

test("every cap is a clear manifest/syntax finding", () => {
  const engine = new Engine();
  const cases = [
    [wide(20_001, true, false), /more than 20000 keys/],
    [wide(20_001, true, true), /more than 20000 keys/],
    ["[".repeat(200_000), /nesting is deeper than/],
    ["- ".repeat(200_000), /nesting is deeper than/],
    [`[${"0,".repeat(200_010)}0]`, /more than 200000 values/],
  ];
  for (const [text, message] of cases) {
    const r = engine.evaluate(text, { now: NOW });
    assert.equal(r.verdict, "deny");
    const f = r.findings.find((x) => x.rule === "manifest/syntax");
    assert.match(f?.message ?? "", message);
  }
  const docs = `apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: d }\nspec: { tier: sandbox }\n${"---\na: 1\n".repeat(100_000)}`;
  const r = engine.evaluate(docs, { now: NOW });
  assert.ok(r.findings.some((f) => /more than one YAML document/.test(f.message)));
});

test("a JS object nested 6,000 deep is refused without a stack overflow", () => {
  let deep = { leaf: 1 };
  for (let i = 0; i < 6000; i++) deep = { a: deep };
  let result;
  let thrown;
  try {
    result = new Engine().evaluate(deep, { now: NOW });
  } catch (e) {
    thrown = e;
  }
  if (thrown) {
    assert.equal(thrown.name, "ParapetError", String(thrown?.stack ?? thrown));
  } else {
    assert.equal(result.verdict, "deny");
  }
});

test("a token used as the app name is redacted in the report", () => {
  const text = `apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: "${TOKEN}"\nspec:\n  tier: sandbox\n`;
  for (const input of [text, { apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: TOKEN }, spec: { tier: "sandbox" } }]) {
    const r = new Engine().evaluate(input, { now: NOW });
    assert.ok(!JSON.stringify(r).includes(TOKEN));
    assert.ok(r.app.name.startsWith("xoxb"), r.app.name);
  }
});
