// The edge's source, read as text: it names no rule by its id (it uses the engine's `ruleIds()`,
// so a renamed rule cannot silently slip past a comparison).

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
