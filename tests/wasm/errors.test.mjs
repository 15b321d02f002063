// Bad input through the JS API: every failure is an Error named ParapetError with a code, never
// a panic (a trap would leave the module unusable), and the module keeps working afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NOW, parapet, rng, root } from "./helpers.mjs";

const { Engine } = parapet;
const good = readFileSync(join(root, "examples/controlled-hr-bot.yaml"), "utf8");
const CODES = new Set(["invalid_policy", "invalid_argument", "input_too_large", "internal"]);

function assertParapetError(fn, code, label) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `${label}: expected a ParapetError, nothing was thrown`);
  assert.ok(thrown instanceof Error, `${label}: not an Error: ${String(thrown)}`);
  assert.equal(thrown.name, "ParapetError", `${label}: ${thrown.stack}`);
  assert.ok(CODES.has(thrown.code), `${label}: unknown code ${thrown.code}`);
  if (code) assert.equal(thrown.code, code, `${label}: ${thrown.message}`);
  assert.equal(typeof thrown.message, "string");
  assert.ok(thrown.message.length > 0);
  return thrown;
}

/** The module still works: a fresh engine and a reused one both evaluate. */
function assertStillWorks(engine) {
  assert.equal(new Engine().evaluate(good, { now: NOW }).verdict, "approval");
  if (engine) assert.equal(engine.evaluate(good, { now: NOW }).verdict, "approval");
}

const badArguments = [
  ["a number", 42],
  ["NaN", NaN],
  ["a boolean", true],
  ["a bigint", 10n],
  ["a symbol", Symbol("x")],
  ["a function", () => ({})],
  ["a class", class {}],
  ["an array", [1, 2]],
  ["an empty array", []],
  ["null", null],
  ["undefined", undefined],
  ["a cyclic object", (() => { const o = { a: 1 }; o.self = o; return o; })()],
  ["an object with a bigint", { apiVersion: "parapet.dev/v1", n: 1n }],
  ["an object whose toJSON throws", { toJSON() { throw new Error("boom"); } }],
  ["an object whose toJSON returns undefined", { toJSON() { return undefined; } }],
];

test("evaluate: wrong argument types are invalid_argument, and the engine keeps working", () => {
  const engine = new Engine();
  for (const [label, value] of badArguments) {
    assertParapetError(() => engine.evaluate(value, { now: NOW }), "invalid_argument", label);
    assertStillWorks(engine);
  }
  assertParapetError(() => engine.evaluate(), "invalid_argument", "no argument");
  assertStillWorks(engine);
});

test("evaluate: bad options are invalid_argument", () => {
  const engine = new Engine();
  const bad = [
    ["a number", 5], ["a string", "2026-11-28"], ["an array", []], ["a function", () => 1],
    ["an unknown option", { nwo: NOW }], ["now as a number", { now: 20261128 }],
    ["now not a date", { now: "2026-13-01" }], ["now as garbage", { now: "yesterday" }],
    ["an unknown format", { format: "xml" }], ["utf16 as a string", { utf16: "yes" }],
    ["a symbol", Symbol("o")],
  ];
  for (const [label, options] of bad) {
    const e = assertParapetError(() => engine.evaluate(good, options), "invalid_argument", label);
    assert.match(e.message, /option|expected/, label);
    assertStillWorks(engine);
  }
  // null and undefined options mean the defaults.
  assert.equal(engine.evaluate(good, null).schema, "parapet.dev/report/v1");
  assert.equal(engine.evaluate(good, undefined).schema, "parapet.dev/report/v1");
});

test("Engine: wrong policy types are invalid_argument", () => {
  for (const [label, value] of badArguments) {
    if (value === null || value === undefined) continue; // mean: the default pack
    if (label.startsWith("an object")) continue; // objects are packs (tested below)
    assertParapetError(() => new Engine(value), "invalid_argument", label);
    assertStillWorks();
  }
  assert.equal(new Engine(null).evaluate(good, { now: NOW }).policy.name, "default");
  assert.equal(new Engine(undefined).evaluate(good, { now: NOW }).policy.name, "default");
});

test("Engine: invalid YAML and invalid packs are invalid_policy with positions", () => {
  const cases = [
    ["invalid YAML", "tiers: [unclosed\n", null],
    ["a wrong type", "apiVersion: parapet.dev/v1\nkind: PolicyPack\ntiers: 3\n", "/tiers"],
    ["an unknown level", "rules:\n  config/cors-wildcard: { sandbox: loud }\n", null],
    ["an unknown field", "connectors:\n  bussiness: [slack]\n", null],
    ["a pack object with a wrong type", { tiers: { sandbox: { maxDataClass: "secret" } } }, null],
    ["a wrong kind", "apiVersion: parapet.dev/v1\nkind: MicroApp\n", "/kind"],
  ];
  for (const [label, policy, pointer] of cases) {
    const e = assertParapetError(() => new Engine(policy), "invalid_policy", label);
    assert.ok(Number.isInteger(e.line) && e.line >= 1, `${label}: line ${e.line}`);
    assert.ok(Number.isInteger(e.column) && e.column >= 1, `${label}: column ${e.column}`);
    assert.equal(typeof e.pointer, "string");
    if (pointer) assert.equal(e.pointer, pointer, label);
    assert.ok(Array.isArray(e.errors) && e.errors.length >= 1, label);
    for (const p of e.errors) assert.deepEqual(Object.keys(p), ["message", "pointer", "line", "column"]);
    assertStillWorks();
  }
  // The second error of a pack shows in `errors`.
  const e = assertParapetError(() => new Engine("tiers: 3\nconnectors: 4\n"), "invalid_policy", "two errors");
  assert.equal(e.errors.length, 2);
  assert.equal(e.line, 1);
  assert.equal(e.errors[1].line, 2);
});

test("huge input is input_too_large, checked before it is copied in, and nothing leaks", () => {
  const engine = new Engine();
  const huge = "a: " + "x".repeat(9 * 1024 * 1024);
  assertParapetError(() => engine.evaluate(huge), "input_too_large", "9 MB string");
  assertParapetError(() => engine.evaluate(new Uint8Array(9 * 1024 * 1024)), "input_too_large", "9 MB bytes");
  assertParapetError(() => engine.evaluate({ blob: "y".repeat(9 * 1024 * 1024) }), "input_too_large", "9 MB object");
  // Multi-byte text: fewer UTF-16 units than the limit, more UTF-8 bytes.
  assertParapetError(() => engine.evaluate("a: " + "é".repeat(4.5 * 1024 * 1024)), "input_too_large", "9 MB of é");
  assertParapetError(() => new Engine("# " + "p".repeat(9 * 1024 * 1024)), "input_too_large", "9 MB policy");
  assertStillWorks(engine);
  // Just under the limit is evaluated (a syntax or schema report, not an error).
  const big = engine.evaluate("a: " + "x".repeat(1024 * 1024), { now: NOW });
  assert.equal(big.verdict, "deny");
  assertStillWorks(engine);
});

test("invalid manifests are reports, not errors", () => {
  const engine = new Engine();
  for (const text of ["", "{", "- a\n- b", "a: [1,", "\u0000\u0001", "key: value", "[]", "null", "\uFEFF{}", "\uD800"]) {
    const r = engine.evaluate(text, { now: NOW });
    assert.equal(r.schema, "parapet.dev/report/v1");
    assert.equal(r.verdict, "deny", JSON.stringify(text));
  }
  const r = engine.evaluate(new Uint8Array([0xff, 0xfe, 0x00]), { now: NOW });
  assert.equal(r.findings[0].rule, "manifest/syntax");
  assertStillWorks(engine);
});

test("a freed engine throws, and the module keeps working", () => {
  const engine = new Engine();
  engine.free();
  assert.throws(() => engine.evaluate(good));
  assertStillWorks();
});

test("fuzz: random JS values at every argument for a bounded time (seeded)", () => {
  const seed = Number(process.env.PARAPET_FUZZ_SEED ?? 0x5eed);
  const budgetMs = Number(process.env.PARAPET_FUZZ_MS ?? 3000);
  const random = rng(seed);
  const pick = (a) => a[Math.floor(random() * a.length)];
  const strings = ["", "a", "apiVersion", "parapet.dev/v1", "MicroApp", "spec", "tier", "sandbox", "now", "format",
    "utf16", "yaml", "json", "auto", "2026-11-28", "*", "http://x", "xoxb-1-2-abc", "\u0000", "\uD800", "é", "{", "[", ":", "- ", "&a", "*a", "!!binary"];
  function value(depth) {
    switch (Math.floor(random() * (depth > 3 ? 9 : 13))) {
      case 0: return undefined;
      case 1: return null;
      case 2: return random() < 0.5;
      case 3: return pick([0, -1, 1.5, NaN, Infinity, -0, 2 ** 53, 1e308]);
      case 4: return pick(strings);
      case 5: return Array.from({ length: Math.floor(random() * 6) }, () => pick(strings)).join(pick(["", "\n", " ", ": "]));
      case 6: return BigInt(Math.floor(random() * 100));
      case 7: return Symbol(pick(strings));
      case 8: return new Uint8Array(Array.from({ length: Math.floor(random() * 16) }, () => Math.floor(random() * 256)));
      case 9: return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      case 10: case 11: {
        const o = {};
        for (let i = Math.floor(random() * 5); i > 0; i--) o[pick(strings)] = value(depth + 1);
        return o;
      }
      default: return () => value(depth + 1);
    }
  }
  const engine = new Engine();
  const deadline = Date.now() + budgetMs;
  let calls = 0;
  let reports = 0;
  while (Date.now() < deadline) {
    const [a, b] = [value(0), value(0)];
    for (const call of [() => engine.evaluate(a, b), () => engine.evaluate(a), () => new Engine(a).free()]) {
      calls++;
      try {
        const r = call();
        if (r && r.schema === "parapet.dev/report/v1") reports++;
      } catch (e) {
        assert.ok(e instanceof Error && e.name === "ParapetError" && CODES.has(e.code),
          `seed ${seed}, call ${calls}: not a ParapetError: ${e?.stack ?? String(e)}`);
      }
    }
    if (calls % 300 === 0) assertStillWorks(engine);
  }
  assertStillWorks(engine);
  assert.ok(calls > 100, `only ${calls} calls`);
  assert.ok(reports > 0, "no call made a report");
  console.log(`fuzz: ${calls} calls, ${reports} reports, seed ${seed}`);
});
