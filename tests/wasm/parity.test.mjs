// Parity: for every example and spec case, the report from the wasm package equals the native
// CLI's JSON report field for field (same keys in the same order, same values), from text and
// from bytes. The CLI's JSON carries one extra leading field, `file`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { NOW, inputs, parapet, rel, root } from "./helpers.mjs";

const cli = process.env.PARAPET_CLI ?? join(root, "target/debug/parapet");

/** Native reports of `files` (checked with `policy`, if any), keyed by relative path. */
function nativeReports(files, policy) {
  const args = ["check", ...files.map(rel), "--format", "json", "--now", NOW];
  if (policy) args.push("--policy", rel(policy));
  const r = spawnSync(cli, args, { cwd: root, encoding: "utf8", maxBuffer: 256 << 20 });
  assert.ok(r.status === 0 || r.status === 1, `parapet ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  let out = JSON.parse(r.stdout);
  if (!Array.isArray(out)) out = [out];
  assert.equal(out.length, files.length);
  return new Map(out.map((report) => {
    const { file, ...rest } = report;
    assert.equal(Object.keys(report)[0], "file", "the CLI's extra field leads");
    return [file, rest];
  }));
}

test("the native CLI is built", () => {
  assert.ok(existsSync(cli), `${cli} is missing: scripts/test-wasm builds it (cargo build -p parapet-cli)`);
});

// Group the inputs by the policy they are checked with (a policy.yaml beside spec cases).
const groups = new Map();
for (const file of inputs()) {
  const policy = join(dirname(file), "policy.yaml");
  const key = existsSync(policy) ? policy : "";
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(file);
}

test("there are inputs to compare", () => {
  const n = [...groups.values()].reduce((a, g) => a + g.length, 0);
  assert.ok(n >= 5, `only ${n} inputs`);
});

for (const [policy, files] of groups) {
  test(`wasm equals native: ${files.length} inputs${policy ? ` with ${rel(policy)}` : ""}`, { skip: !existsSync(cli) }, () => {
    const native = nativeReports(files, policy);
    const engine = new parapet.Engine(policy ? readFileSync(policy, "utf8") : undefined);
    try {
      for (const file of files) {
        const expected = JSON.stringify(native.get(rel(file)));
        const bytes = readFileSync(file);
        const fromBytes = JSON.stringify(engine.evaluate(new Uint8Array(bytes), { now: NOW }));
        assert.equal(fromBytes, expected, `${rel(file)} (bytes)`);
        const text = bytes.toString("utf8");
        if (Buffer.from(text, "utf8").equals(bytes)) {
          const fromText = JSON.stringify(engine.evaluate(text, { now: NOW }));
          assert.equal(fromText, expected, `${rel(file)} (text)`);
        }
      }
    } finally {
      engine.free();
    }
  });
}
