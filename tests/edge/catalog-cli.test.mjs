// `parapet catalog`: the CLI's Backstage entities for the examples and the corpus's vendor exports
// pass Backstage's own validators, and equal the edge's entities for the same manifests.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  componentEntityV1alpha1Validator, DefaultNamespaceEntityPolicy, EntityPolicies, entitySchemaValidator,
  FieldFormatEntityPolicy, NoForeignRootFieldsEntityPolicy, SchemaValidEntityPolicy,
} from "@backstage/catalog-model";
import YAML from "yaml";
import { CLI, ROOT, SECRET, startEdge } from "./harness.mjs";

const PLATFORM_TOKEN = "platform-token-" + "cl1-0123456789abcdef";
const VENDOR_DIRS = ["n8n", "n8n-templates", "node-red", "power-automate", "logic-apps", "make", "backstage"]
  .map((d) => join(ROOT, "tests/corpus", d)).filter(existsSync);

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new FieldFormatEntityPolicy(), new SchemaValidEntityPolicy(),
]);
const validateSchema = entitySchemaValidator();

async function backstageValidate(entity) {
  assert.ok(await policy.enforce(structuredClone(entity)));
  validateSchema(structuredClone(entity));
  assert.equal(await componentEntityV1alpha1Validator.check(entity), true);
}

function cli(args) {
  return spawnSync(CLI, ["catalog", ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

let tmp;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "parapet-catalog-cli-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("parapet catalog", () => {
  test("examples: one valid entity each, equal to the edge's entity", async () => {
    const r = cli([join(ROOT, "examples")]);
    assert.equal(r.status, 0, r.stderr);
    const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJSON());
    const files = readdirSync(join(ROOT, "examples")).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    assert.equal(docs.length, files.length);
    for (const d of docs) await backstageValidate(d);

    process.env.PARAPET_PLATFORM_TOKEN = PLATFORM_TOKEN;
    const edge = await startEdge({ name: "catalog-cli" });
    try {
      for (const f of files) {
        const body = readFileSync(join(ROOT, "examples", f), "utf8");
        const reg = await edge.json("/v1/catalog", {
          method: "POST",
          headers: { "content-type": f.endsWith(".json") ? "application/json" : "application/yaml", authorization: `Bearer ${PLATFORM_TOKEN}` },
          body,
        });
        assert.equal(reg.status, 201, reg.text);
        const fromEdge = (await edge.json(`/v1/catalog/${reg.body.name}/entity`, { headers: { accept: "application/json" } })).body;
        const fromCli = docs.find((d) => d.metadata.name === reg.body.name);
        assert.ok(fromCli, reg.body.name);
        // The same entity but for when it was scanned (a timestamp at the edge, a date in the CLI).
        const strip = (e) => {
          const c = structuredClone(e);
          delete c.metadata.annotations["parapet.dev/last-scanned"];
          return c;
        };
        assert.deepEqual(strip(fromCli), strip(fromEdge), f);
        assert.equal(fromEdge.metadata.annotations["parapet.dev/last-scanned"].slice(0, 10), fromCli.metadata.annotations["parapet.dev/last-scanned"]);
      }
    } finally {
      await edge.stop();
      edge.cleanup();
    }
  });

  test("vendor exports in the corpus: every readable file gets a valid entity in --out", async () => {
    assert.ok(VENDOR_DIRS.length >= 5, "the corpus is in tests/corpus");
    const out = join(tmp, "vendor");
    const r = cli([...VENDOR_DIRS, "--out", out]);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("parapet: error:"));
    // Only unreadable files and a second copy of an app already written (the corpus holds the
    // same n8n workflow twice, under two file names) are refused (exit 2 then), each named.
    for (const e of errors) {
      assert.match(e, /(not valid YAML or JSON; no entity written|: app `[a-z0-9-]+` is also in .+; only the first is written)$/);
    }
    assert.equal(r.status, errors.length ? 2 : 0);
    const written = readdirSync(out);
    const announced = r.stderr.split("\n").filter((l) => l.includes(" -> "));
    assert.equal(written.length, announced.length);
    assert.ok(written.length >= 100, `${written.length} entities`);
    for (const f of written) {
      const doc = YAML.parse(readFileSync(join(out, f), "utf8"));
      await backstageValidate(doc);
      assert.equal(`${doc.metadata.name}.yaml`, f);
    }
  });

  test("a secret in the title is not written; usage errors exit 2", () => {
    const file = join(tmp, "leaky.yaml");
    writeFileSync(file, `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: leaky, title: "Leaky ${SECRET}" }
spec: { tier: sandbox, owner: "group:x" }
`);
    const r = cli([file]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes(SECRET));
    assert.ok(!r.stderr.includes(SECRET));
    assert.equal(YAML.parse(r.stdout).metadata.title, undefined);
    assert.equal(cli([]).status, 2, "a path is required");
    assert.equal(cli([join(tmp, "missing.yaml")]).status, 2);
  });
});
