// Pins the package's exported shape: the runtime exports, the Engine class, the package.json
// entry points and the generated TypeScript declarations. A change shows as a snapshot diff;
// accept it with `UPDATE_SNAPSHOTS=1 node --test tests/wasm/api.test.mjs`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parapet, pkgDir, root } from "./helpers.mjs";

const snapshots = new URL("./snapshots/", import.meta.url);

/**
 * Names the yew widget adds when the package is built with the `widget` feature
 * (scripts/build-widget.mjs): the widget's own tests pin them; this test pins the engine's API,
 * so it leaves them out. Read from the widget crate's sources: `js_name = X`, wasm-bindgen
 * structs, and TypeScript declarations in custom sections.
 */
function widgetNames() {
  const names = new Set();
  const dir = join(root, "crates/parapet-widget/src");
  if (!existsSync(dir)) return names;
  for (const f of readdirSync(dir, { recursive: true })) {
    if (!String(f).endsWith(".rs")) continue;
    const src = readFileSync(join(dir, String(f)), "utf8");
    for (const m of src.matchAll(/js_name\s*=\s*"?(\w+)|#\[wasm_bindgen[^\]]*\]\s*(?:\/\/[^\n]*\n\s*)*pub struct (\w+)|export (?:interface|type|class|function) (\w+)/g)) {
      names.add(m[1] ?? m[2] ?? m[3]);
    }
  }
  return names;
}
const widget = widgetNames();
const built = Object.keys(parapet);
const hasWidget = built.includes("mountWidget");
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
    if (hasWidget && widget.has(key)) continue;
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
  if (hasWidget) {
    assert.ok(widget.size > 0, "the package has the widget, but its names were not found");
    for (const name of widget) assert.ok(!["Engine", "rules", "version", "initSync", "default"].includes(name), name);
  }
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
  const declared = (b) => key(b).match(/^export (?:declare )?(?:interface|type|class|function) (\w+)/)?.[1];
  if (hasWidget) blocks.splice(0, blocks.length, ...blocks.filter((b) => !widget.has(declared(b))));
  blocks.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return blocks.join("\n\n") + (rest ? `\n\n${rest}` : "") + "\n";
}

test("TypeScript declarations", () => {
  const dts = readFileSync(join(pkgDir, "parapet.d.ts"), "utf8");
  matchSnapshot("parapet.d.ts", normalizeDts(dts));
  // The types the issue names are generated, and the API uses them.
  for (const t of ["Report", "Finding", "Level", "Verdict", "Manifest", "PolicyPack", "EvaluateOptions", "ParapetError", "RuleMeta"]) {
    assert.match(dts, new RegExp(`^export (interface|type) ${t}\\b`, "m"), t);
  }
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
  assert.deepEqual(wasmFiles, ["parapet_bg.wasm"], "one wasm file");
});
