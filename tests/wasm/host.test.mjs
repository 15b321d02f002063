// What hosts (the edge, a builder's backend) ask the engine besides `evaluate`: the rule ids by
// name (`ruleIds()`), so that no host writes rule ids by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NOW, parapet, root } from "./helpers.mjs";

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
