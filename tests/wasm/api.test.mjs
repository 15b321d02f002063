// Pins the package's exported shape: the runtime exports, the Engine class, the package.json
// entry points and the generated TypeScript declarations. A change shows as a snapshot diff;
// accept it with `UPDATE_SNAPSHOTS=1 node --test tests/wasm/api.test.mjs`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parapet, pkgDir, root } from "./helpers.mjs";

const snapshots = new URL("./snapshots/", import.meta.url);

const built = Object.keys(parapet);
const update = process.env.UPDATE_SNAPSHOTS === "1";

function matchSnapshot(name, actual) {
  const file = new URL(name, snapshots);
  if (update || !existsSync(file)) {
    writeFileSync(file, actual);
    if (!update) assert.fail(`wrote a new snapshot ${name}: review it, then run again`);
    return;
  }
  const expected = readFileSync(file, "utf8");
  assert.equal(actual, expected, `${name} changed (UPDATE_SNAPSHOTS=1 to accept)`);
}

function describe(value) {
  // Node 20 spells Symbol.dispose `Symbol(nodejs.dispose)`, later versions `Symbol(Symbol.dispose)`.
  const name = (k) => (k === Symbol.dispose ? "[Symbol.dispose]" : typeof k === "symbol" ? k.toString() : k);
  const own = (o) => Reflect.ownKeys(o).map(name).sort();
  const out = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v))) {
      out[key] = {
        kind: "class",
        static: own(v).filter((k) => !["length", "name", "prototype"].includes(k)),
        prototype: own(v.prototype),
      };
    } else {
      out[key] = { kind: typeof v, ...(typeof v === "function" ? { arity: v.length } : {}) };
    }
  }
  return out;
}

test("runtime exports", () => {
  // The engine entry is the engine alone: the widget is `parapet/widget` (pkg/widget.js).
  assert.ok(!built.includes("mountWidget"), "the engine entry has the widget in it");
  matchSnapshot("exports.json", JSON.stringify(describe(parapet), null, 2) + "\n");
});

/**
 * The declarations in a stable order: wasm-bindgen emits the tsify blocks in link order, which
 * moves with unrelated code changes. Each top-level declaration (with its doc comment) is one
 * block; the blocks are sorted by their declaration line.
 */
function normalizeDts(text) {
  const blocks = [];
  let current = [];
  let depth = 0;
  const header = /^\/\* (tslint|eslint)-disable \*\/$/;
  for (const line of text.split("\n").filter((l) => !header.test(l))) {
    current.push(line);
    depth += (line.match(/[{(]/g) ?? []).length - (line.match(/[})]/g) ?? []).length;
    const declares = /^export /.test(line) || current.some((l) => /^export /.test(l));
    if (declares && depth === 0 && (/[;}]\s*$/.test(line))) {
      blocks.push(current.join("\n").trim());
      current = [];
    }
  }
  const rest = current.join("\n").trim();
  const key = (b) => b.split("\n").find((l) => /^export /.test(l)) ?? b;
  blocks.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return blocks.join("\n\n") + (rest ? `\n\n${rest}` : "") + "\n";
}

test("TypeScript declarations", () => {
  const dts = readFileSync(join(pkgDir, "parapet.d.ts"), "utf8");
  matchSnapshot("parapet.d.ts", normalizeDts(dts));
  // The types the issue names are generated, and the API uses them.
  for (const t of ["Report", "Finding", "Level", "Verdict", "Manifest", "PolicyPack", "EvaluateOptions", "RuleMeta", "ErrorCode"]) {
    assert.match(dts, new RegExp(`^export (interface|type) ${t}\\b`, "m"), t);
  }
  // ParapetError is a class (instanceof works), with a type guard beside it.
  assert.match(dts, /^export declare class ParapetError extends Error \{/m);
  assert.match(dts, /^export declare function isParapetError\(value: unknown\): value is ParapetError;/m);
  // No member needs `lib: esnext.disposable` (the .d.ts compiles on a default lib).
  assert.doesNotMatch(dts, /Symbol\.dispose/);
  assert.match(dts, /evaluate\(manifest: string \| Uint8Array \| Manifest \| Record<string, unknown>, options\?: EvaluateOptions \| null\): Report;/);
  assert.match(dts, /constructor\(policy\?: string \| PolicyPack \| null\);/);
  assert.match(dts, /export function rules\(\): RuleMeta\[\];/);
  assert.doesNotMatch(dts.slice(dts.indexOf("export class Engine"), dts.indexOf("export type InitInput")), /\bany\b/);
});

test("package.json entry points", () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const shape = {
    name: pkg.name, type: pkg.type, license: pkg.license, repository: pkg.repository,
    exports: pkg.exports, main: pkg.main, module: pkg.module, types: pkg.types, files: pkg.files,
    sideEffects: pkg.sideEffects, dependencies: pkg.dependencies ?? null,
  };
  matchSnapshot("package.json", JSON.stringify(shape, null, 2) + "\n");
  for (const f of pkg.files) assert.ok(existsSync(join(pkgDir, f)), `${f} is listed but missing`);
  const wasmFiles = pkg.files.filter((f) => f.endsWith(".wasm"));
  assert.deepEqual(wasmFiles, ["parapet_bg.wasm", "widget_bg.wasm"], "one wasm file per entry: the engine, the widget");
});

test("the widget entry: its exports and declarations", async () => {
  // Importing it in Node must not touch the DOM (SSR imports it); using it needs init().
  const w = await import(join(pkgDir, "widget.js"));
  matchSnapshot("widget-exports.json", JSON.stringify(describe(w), null, 2) + "\n");
  assert.throws(() => w.version(), (e) => e instanceof w.ParapetError && e.code === "not_initialized");
  const dts = readFileSync(join(pkgDir, "widget.d.ts"), "utf8");
  // Only what the widget adds: the engine's declarations are pinned by parapet.d.ts (and must
  // be the same in both entries).
  const declared = (text) => new Set([...text.matchAll(/^export (?:declare )?(?:interface|type|class|function) (\w+)/gm)].map((m) => m[1]));
  const engineNames = declared(readFileSync(join(pkgDir, "parapet.d.ts"), "utf8"));
  const own = normalizeDts(dts).split("\n\n").filter((b) => [...declared(b)].some((n) => !engineNames.has(n)));
  for (const t of ["Report", "Manifest", "PolicyPack", "ParapetError", "Verdict"]) {
    assert.ok(!own.some((b) => new RegExp(`^export (?:declare )?(?:interface|type|class) ${t}\\b`, "m").test(b)), `${t} differs between the entries`);
  }
  matchSnapshot("widget.d.ts", own.join("\n\n"));
  assert.match(dts, /export function mountWidget\(element: HTMLElement, options\?: MountWidgetOptions\): WidgetHandle;/);
  assert.match(dts, /readonly verdict: Verdict \| undefined;/);
  assert.match(dts, /"parapet-guard": ParapetGuardElement;/);
  assert.match(dts, /"parapet:focus": CustomEvent<ParapetFocusDetail>;/);
  assert.doesNotMatch(dts, /Symbol\.dispose/);
});
