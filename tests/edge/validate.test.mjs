// POST /v1/validate judges every example and spec case exactly as the CLI does; /healthz, CORS
// and the static files (demo at /, package at /pkg/) are served by the same worker.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { packageFiles } from "../../www/edge/config.mjs";
import { CLI, cliReport, corpusFiles, mediaTypeFor, ROOT, startEdge, today } from "./harness.mjs";

let edge;
before(async () => {
  edge = await startEdge({ name: "validate", allowedOrigins: ["https://builder.example"] });
});
after(async () => {
  await edge?.stop();
  edge?.cleanup();
});

describe("POST /v1/validate gives the CLI's report", () => {
  const files = corpusFiles();
  test("the corpus is there", () => {
    assert.ok(files.length >= 5, `found ${files.length} files`);
  });
  for (const { path, name } of files) {
    test(name, async () => {
      const expected = cliReport(path, today());
      const r = await edge.json("/v1/validate", {
        method: "POST",
        headers: { "content-type": mediaTypeFor(path) },
        body: readFileSync(path),
      });
      // Every outcome, an unreadable body included, is the report the CLI prints.
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("content-type"), "application/json");
      assert.deepEqual(r.body, expected);
    });
  }

  test("text/plain reads the same as the declared type", async () => {
    const path = files.find((f) => f.name.startsWith("examples/"))?.path;
    const expected = cliReport(path);
    const r = await edge.json("/v1/validate", {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: readFileSync(path),
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, expected);
  });
});

describe("vendor exports", () => {
  const flow = join(ROOT, "tests/corpus/n8n/webhook-basicauth-exec-command-mailgun.json");
  test("?tier= judges an export at that tier, like the CLI's --tier; findings carry their node", async () => {
    let out;
    try {
      out = execFileSync(CLI, ["check", flow, "--format", "json", "--now", today(), "--tier", "production"], {
        encoding: "utf8",
      });
    } catch (e) {
      out = e.stdout; // exit 1: findings at or above approval
    }
    const { file: _path, ...expected } = JSON.parse(out);
    const r = await edge.json("/v1/validate?tier=production", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: readFileSync(flow),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.input.format, "n8n");
    assert.equal(r.body.app.tier, "production");
    assert.deepEqual(r.body, expected);
    assert.ok(r.body.findings.some((f) => f.node?.name === "Mail CloudFlare"));
  });
  test("a tier that is not one is a 400 problem", async () => {
    const r = await edge.json("/v1/validate?tier=prod", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: readFileSync(flow),
    });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get("content-type"), "application/problem+json");
  });
});

describe("with a configured policy pack", () => {
  // The spec cases that come with their own pack: the edge started with that pack as
  // POLICY_PACK judges them as `parapet check --policy` does.
  const packs = [...new Set(corpusFiles().map((f) => join(dirname(f.path), "policy.yaml")))].filter((p) => existsSync(p));
  for (const pack of packs) {
    test(relative(ROOT, pack), async () => {
      const custom = await startEdge({ name: "validate-pack", policyText: readFileSync(pack, "utf8") });
      try {
        const health = await custom.json("/healthz");
        for (const { path } of corpusFiles().filter((f) => dirname(f.path) === dirname(pack))) {
          const expected = cliReport(path, today(), pack);
          assert.deepEqual(health.body.policy, expected.policy);
          const r = await custom.json("/v1/validate", {
            method: "POST", headers: { "content-type": mediaTypeFor(path) }, body: readFileSync(path),
          });
          assert.equal(r.status, 200, r.text);
          assert.deepEqual(r.body, expected, relative(ROOT, path));
        }
      } finally {
        await custom.stop();
        custom.cleanup();
      }
    });
  }
});

test("GET /healthz names the engine version and the policy", async () => {
  const r = await edge.json("/healthz");
  assert.equal(r.status, 200);
  assert.equal(r.body.status, "ok");
  const cliVersion = execFileSync(CLI, ["--version"], { encoding: "utf8" }).trim().split(/\s+/).pop();
  assert.equal(r.body.engine.version, cliVersion);
  const anyReport = cliReport(corpusFiles()[0].path);
  assert.deepEqual(r.body.policy, anyReport.policy);
});

describe("CORS for the widget", () => {
  test("preflight from an allowed origin", async () => {
    const r = await edge.api("/v1/approvals", {
      method: "OPTIONS",
      headers: {
        origin: "https://builder.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, idempotency-key",
      },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("access-control-allow-origin"), "https://builder.example");
    const allowHeaders = r.headers.get("access-control-allow-headers").toLowerCase();
    assert.match(allowHeaders, /content-type/);
    assert.match(allowHeaders, /idempotency-key/);
    assert.match(r.headers.get("access-control-allow-methods"), /POST/);
    assert.match(r.headers.get("vary"), /Origin/);
  });

  test("preflight from another origin is refused", async () => {
    const r = await edge.api("/v1/validate", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    await r.arrayBuffer();
  });

  test("responses to an allowed origin carry Access-Control-Allow-Origin, errors too", async () => {
    const ok = await edge.api("/v1/validate", {
      method: "POST",
      headers: { origin: "https://builder.example", "content-type": "application/yaml" },
      body: "apiVersion: parapet.dev/v1\nkind: MicroApp\n",
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://builder.example");
    await ok.arrayBuffer();
    const err = await edge.api("/v1/validate", {
      method: "POST",
      headers: { origin: "https://builder.example", "content-type": "image/png" },
      body: "x",
    });
    assert.equal(err.status, 415);
    assert.equal(err.headers.get("access-control-allow-origin"), "https://builder.example");
    await err.arrayBuffer();
    const other = await edge.api("/healthz", { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    await other.arrayBuffer();
  });
});

describe("static files", () => {
  test("the demo (or its placeholder) at /", async () => {
    const r = await edge.api("/");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^text\/html/);
    assert.match(await r.text(), /<html/i);
  });

  test("the package at /pkg/, with types a browser accepts", async () => {
    const { glue, wasm } = packageFiles();
    const js = await edge.api(`/pkg/${glue.split("/").pop()}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type"), /^text\/javascript/);
    assert.equal(await js.text(), readFileSync(glue, "utf8"));
    const w = await edge.api(`/pkg/${wasm.split("/").pop()}`);
    assert.equal(w.status, 200);
    assert.equal(w.headers.get("content-type"), "application/wasm");
    assert.equal(Buffer.from(await w.arrayBuffer()).compare(readFileSync(wasm)), 0);
  });

  test("a missing file is a 404 problem", async () => {
    const r = await edge.json("/no/such/file.js");
    assert.equal(r.status, 404);
    assert.equal(r.headers.get("content-type"), "application/problem+json");
  });

  test("nothing outside the served folders, no dotfiles", async () => {
    for (const path of ["/pkg/..%2f..%2fCargo.toml", "/pkg/..%2fpackage.json", "/..%2f..%2fCargo.toml", "/pkg/.build-stamp", "/pkg/%2e%2e/Cargo.toml"]) {
      const r = await edge.json(path);
      assert.equal(r.status, 404, path);
    }
  });
});
