// Shared by the wasm package's Node tests: the built package, and the inputs the parity tests
// use (every example and every spec case of the core).
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const pkgDir = join(root, "pkg");

/** The package through its Node entry (ready on import). */
export const parapet = await import(join(pkgDir, "node.js"));

function walk(dir, out) {
  let names;
  try { names = readdirSync(dir).sort(); } catch { return out; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ya?ml|json)$/.test(name) && name !== "policy.yaml") out.push(p);
  }
  return out;
}

/** Example manifests and spec cases, as absolute paths, in a stable order. */
export function inputs() {
  return [
    ...walk(join(root, "examples"), []),
    ...walk(join(root, "crates/parapet-core/tests/cases"), []),
  ];
}

export const rel = (p) => relative(root, p);

/** A small seeded PRNG (mulberry32), so failures reproduce. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NOW = "2026-11-28";
