// The edge's source, read as text: it names no rule by its id (it uses the engine's `ruleIds()`,
// so a renamed rule cannot silently slip past a comparison), and it evaluates no probe or fake
// manifest (it asks the engine for the policy and for secrets in free text:
// tests/edge/free-text.test.mjs tests what it does instead).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadNodeEngine, ROOT } from "../../www/edge/config.mjs";

const SRC = join(ROOT, "www/edge/src");
const sources = readdirSync(SRC).filter((f) => f.endsWith(".js")).sort()
  .map((f) => ({ file: f, text: readFileSync(join(SRC, f), "utf8") }));

/** String and template literals in JS source (comments excluded). */
function literals(text) {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:\\])\/\/.*$/gm, "$1");
  return [...noComments.matchAll(/(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g)].map((m) => m[2]);
}

test("no rule id, nor a rule family prefix, is written in the edge's source", async () => {
  const { ruleIds } = await loadNodeEngine();
  const ids = Object.values(ruleIds());
  assert.ok(ids.length >= 23, "the catalogue's ids");
  const families = [...new Set(ids.map((id) => id.split("/")[0]))];
  const offending = [];
  for (const { file, text } of sources) {
    for (const lit of literals(text)) {
      if (ids.some((id) => lit.includes(id)) || families.some((g) => lit === `${g}/` || lit.startsWith(`${g}/`))) {
        offending.push(`${file}: "${lit}"`);
      }
    }
  }
  assert.deepEqual(offending, [], "use RULE.<Name> (www/edge/src/engine.js) instead");
});

test("the scan above sees a rule id literal when there is one", () => {
  // The probe of the check itself: a literal in code, not in a comment, is found.
  const sample = `// "manifest/syntax" in a comment is fine\nconst x = f.rule === "secrets/plaintext-secret";`;
  assert.deepEqual(literals(sample), ["secrets/plaintext-secret"]);
});

test("no probe or fake manifest is evaluated by the edge", () => {
  for (const { file, text } of sources) {
    // A manifest built in code (to learn the policy, or to wrap prose as settings) ...
    assert.doesNotMatch(text, /kind:\s*["']MicroApp["']/, file);
    assert.doesNotMatch(text, /apiVersion:\s*["']parapet\.dev\/v1["']/, file);
    // ... or an evaluation of a literal.
    assert.doesNotMatch(text, /\.evaluate\(\s*(["'`]|JSON\.stringify\()/, file);
  }
});
