// What an outside probe found against `npm start`, each as a test: linear-time parsing of
// hostile shapes, no 500 on deep nesting, no secret in the app name or on disk, private file
// modes, no directory listing, secrets in prose refused, `Bearer ` alone is a 401, bounded
// intake (429 + Retry-After) and bounded validation work (503 + Retry-After, never a 500).

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, MiB, ROOT, SECRET, startEdge, waitFor, webhookReceiver } from "./harness.mjs";

/** A second planted secret: an AWS-style secret access key (40 base64 characters), assembled. */
const PROSE_SECRET = ["Zx9f3kQ2mW8vR1tY", "6uP0aS4dG7hJ5lB2", "nC8xE3rT"].join("");
const RULE = "integration/external-connector";
/** The HR bot example (a connector at level approval) with a token as its name and title. */
const LEAKY = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8")
  .replace("name: hr-approvals-bot", `name: "${SECRET}"`)
  .replace("title: HR approvals bot", `title: "HR bot ${SECRET}"`);

let edge;
let receiver;
const IDEMPOTENCY_KEY = `probe-${crypto.randomUUID()}-planted`;

before(async () => {
  const port = await freePort();
  const webhookSecret = "whsec-test-" + "0123456789abcdef";
  receiver = webhookReceiver(port, webhookSecret);
  await receiver.start();
  // Large validations are rate limited by default (a duty cycle): this edge lets the timing
  // tests' 300 KB bodies through; the limits are tested on an edge of their own below.
  edge = await startEdge({
    name: "hardening", webhookUrl: receiver.url, webhookSecret,
    extraText: { VALIDATE_HEAVY_BYTES_PER_SECOND: String(1024 * MiB) },
  });
});

after(async () => {
  await edge?.stop();
  await receiver?.stop();
  edge?.cleanup();
});

function post(path, body, headers = {}) {
  return edge.json(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function approval(manifest, extra = {}) {
  return { manifest, rules: [RULE], requester: "probe@corp.example", justification: "probe", ...extra };
}

function assertProblem(r, status) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get("content-type"), "application/problem+json");
  assert.equal(r.body.status, status);
  return r.body;
}

/** Every file under `dir`, as bytes (SQLite files, their WAL and everything else). */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : d.isFile() ? [p] : [];
  });
}

/** JSON text of an object nested `depth` levels (built as text: JSON.stringify would overflow). */
function nested(depth) {
  return `${'{"a":'.repeat(depth)}{"leaf":1}${"}".repeat(depth)}`;
}

describe("linear time on hostile shapes", () => {
  function wideJson(n, asKeys) {
    const items = Array.from({ length: n }, (_, i) => asKeys ? `"field${String(i).padStart(6, "0")}": ${i}` : `"field${String(i).padStart(6, "0")}", ${i}`);
    const settings = asKeys ? `{${items.join(", ")}}` : `{"list": [${items.join(", ")}]}`;
    return `{"apiVersion": "parapet.dev/v1", "kind": "MicroApp", "metadata": {"name": "wide"}, "spec": {"tier": "sandbox", "settings": ${settings}}}`;
  }
  function wideYaml(n, asKeys) {
    const head = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata:\n  name: wide\nspec:\n  tier: sandbox\n  settings:\n";
    const lines = Array.from({ length: n }, (_, i) => asKeys ? `    field${String(i).padStart(6, "0")}: ${i}\n` : `      - field${String(i).padStart(6, "0")}-${i}\n`);
    return head + (asKeys ? "" : "    list:\n") + lines.join("");
  }
  async function timed(body, type) {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": type }, body });
      best = Math.min(best, performance.now() - t);
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.ok(!r.body.findings.some((f) => f.rule === "manifest/syntax"), JSON.stringify(r.body.findings[0]));
    }
    return best;
  }
  for (const [name, make, type] of [["JSON", wideJson, "application/json"], ["YAML", wideYaml, "application/yaml"]]) {
    test(`${name}: 15,000 keys cost about what a list of the same size costs (ratio, same run)`, async () => {
      const keys = make(15_000, true);
      const list = make(15_000, false);
      await timed(list, type);
      const l = await timed(list, type);
      const k = await timed(keys, type);
      const ratio = k / l;
      console.log(`edge ${name}: keys ${k.toFixed(1)} ms vs list ${l.toFixed(1)} ms (${keys.length} vs ${list.length} bytes): ratio ${ratio.toFixed(2)}`);
      assert.ok(ratio < 5, `ratio ${ratio.toFixed(1)}`);
    });
  }

  test("over-limit shapes are reports with a clear manifest/syntax finding", async () => {
    const cases = [
      [wideJson(20_001, true), "application/json", /more than 20000 keys/],
      ["[".repeat(200_000), "application/json", /nesting is deeper than/],
      ["- ".repeat(200_000), "application/yaml", /nesting is deeper than/],
      [`apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: d }\nspec: { tier: sandbox }\n${"---\na: 1\n".repeat(100_000)}`, "application/yaml", null],
      [`apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: s }\nspec:\n  tier: sandbox\n  settings:\n    note: "${"lorem ipsum ".repeat(80_000)}"\n`, "application/yaml", null],
    ];
    for (const [body, type, message] of cases) {
      const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": type }, body });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      if (message) {
        const f = r.body.findings.find((x) => x.rule === "manifest/syntax");
        assert.match(f?.message ?? "", message);
      } else {
        assert.ok(!r.body.findings.some((f) => f.rule === "manifest/syntax"));
      }
    }
  });
});

describe("no 500, whatever the body", () => {
  test("an approval manifest object nested 6,000 deep is a 400 problem", async () => {
    const body = `{"manifest": ${nested(6000)}, "rules": ["${RULE}"], "requester": "probe@corp.example", "justification": "deep"}`;
    const r = await post("/v1/approvals", body, { "idempotency-key": crypto.randomUUID() });
    const p = assertProblem(r, 400);
    assert.match(p.detail, /deeper than/);
    assert.ok(!/RangeError|stack|at .*\.js/.test(r.text), r.text);
  });

  test("a decision body nested deep is a 400, and so is any deep JSON body", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const r = await post(`/v1/approvals/${id}/decision`, nested(6000), { authorization: `Bearer ${edge.reviewerToken}` });
    assertProblem(r, 400);
    const deepArray = "[".repeat(50_000) + "]".repeat(50_000);
    assertProblem(await post("/v1/approvals", deepArray, { "idempotency-key": crypto.randomUUID() }), 400);
  });

  test("a manifest nested just inside the engine's limit is read (no false refusal)", async () => {
    const r = await post("/v1/approvals", approval(JSON.parse(nested(50))), { "idempotency-key": crypto.randomUUID() });
    assert.notEqual(r.status, 500, r.text);
    assert.ok([400, 422].includes(r.status), r.text);
  });
});

describe("secrets: never echoed, never on disk", () => {
  let id;
  test("a token used as the app name and title is redacted in every answer", async () => {
    const v = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body: LEAKY });
    assert.equal(v.status, 200);
    assert.ok(!v.text.includes(SECRET), "validate echoes the name");
    assert.ok(v.body.app.name.startsWith("xoxb"), v.body.app.name);

    const body = approval(LEAKY, { justification: "Workday sync" });
    const r = await post("/v1/approvals", body, { "idempotency-key": IDEMPOTENCY_KEY });
    assert.equal(r.status, 201, r.text);
    id = r.body.id;
    const replay = await post("/v1/approvals", body, { "idempotency-key": IDEMPOTENCY_KEY });
    assert.equal(replay.status, 200, "the hashed key still finds the request");
    assert.equal(replay.body.id, id);

    const got = await edge.json(`/v1/approvals/${id}`);
    assert.equal(got.status, 200);
    assert.ok(!got.text.includes(SECRET), "GET /v1/approvals/{id} echoes the name");
    assert.ok(got.body.report.app.name.startsWith("xoxb"));
    const queue = await edge.json("/v1/approvals", { headers: { authorization: `Bearer ${edge.reviewerToken}` } });
    assert.equal(queue.status, 200);
    assert.ok(!queue.text.includes(SECRET), "the reviewers' queue echoes the name");
    const hook = await waitFor(() => receiver.deliveries.find((d) => d.body.includes(id)), { what: "the webhook" });
    assert.ok(hook.verified);
    assert.ok(!hook.body.includes(SECRET), "the webhook body echoes the name");
  });

  test("a secret in prose in the justification is refused, naming the field only", async () => {
    const r = await post("/v1/approvals", approval(LEAKY, { justification: `the secret is ${PROSE_SECRET} ok` }),
      { "idempotency-key": crypto.randomUUID() });
    const p = assertProblem(r, 400);
    assert.deepEqual(p.fields, ["justification"]);
    assert.ok(!r.text.includes(PROSE_SECRET));
    // Ordinary long words (a commit, a link, a UUID) are not secrets.
    const ok = await post("/v1/approvals", approval(LEAKY, {
      requester: "prose@corp.example",
      justification: `fixed in 3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39, see https://jira.example.com/browse/SEC-12345 (${crypto.randomUUID()})`,
    }), { "idempotency-key": crypto.randomUUID() });
    assert.equal(ok.status, 201, ok.text);
  });

  test("the data directory holds no planted secret, no manifest, no raw Idempotency-Key", async () => {
    assert.ok(id, "the approval above was made");
    // The rows are committed before the 201; a graceful restart also flushes the WAL.
    await edge.restart();
    const files = filesUnder(edge.dataDir);
    assert.ok(files.some((f) => f.endsWith(".sqlite")), `no SQLite file in ${files.join(", ")}`);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const [what, needle] of [["the token", SECRET], ["the prose secret", PROSE_SECRET],
        ["the raw Idempotency-Key", IDEMPOTENCY_KEY], ["the manifest text", "Routes leave requests from Slack"]]) {
        assert.equal(bytes.indexOf(needle), -1, `${what} is in ${f}`);
      }
    }
    // And the replay still works after the restart: the key's hash is what was stored.
    const replay = await post("/v1/approvals", approval(LEAKY, { justification: "Workday sync" }), { "idempotency-key": IDEMPOTENCY_KEY });
    assert.equal(replay.body.id, id);
  });

  test("the data directory is 0700 and every file in it 0600", () => {
    const mode = (p) => statSync(p).mode & 0o777;
    assert.equal(mode(edge.dataDir).toString(8), "700");
    assert.equal(mode(join(edge.dataDir, "do")).toString(8), "700");
    const files = filesUnder(edge.dataDir);
    assert.ok(files.length > 3);
    for (const f of files) assert.equal(mode(f).toString(8), "600", f);
  });
});

describe("what the store keeps is bounded", () => {
  /** A controlled app with `n` external connectors: one approval-level finding each. */
  function manyConnectors(n) {
    const lines = Array.from({ length: n }, (_, i) => `    - { name: c${i}, type: saas, service: airtable, auth: oauth2 }\n`);
    return `apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: many }\nspec:\n  tier: controlled\n  owner: team:x\n  connectors:\n${lines.join("")}`;
  }
  const dirBytes = (dir) => filesUnder(dir).reduce((n, f) => n + statSync(f).size, 0);

  test("five ~900 KB approval requests grow the store by far less than their size", async () => {
    const manifest = manyConnectors(13_000);
    assert.ok(manifest.length > 800_000 && manifest.length < 1_000_000, `${manifest.length}`);
    await edge.restart();
    const before = dirBytes(join(edge.dataDir, "do"));
    let id;
    for (let i = 0; i < 5; i++) {
      const r = await post("/v1/approvals", approval(manifest, { requester: `bulk${i}@corp.example` }), { "idempotency-key": crypto.randomUUID() });
      assert.equal(r.status, 201, r.text.slice(0, 300));
      id = r.body.id;
    }
    await edge.restart();
    const grown = dirBytes(join(edge.dataDir, "do")) - before;
    console.log(`store grew by ${grown} bytes for 5 × ${manifest.length} bytes of manifests`);
    assert.ok(grown < 2 * 1024 * 1024, `the store grew by ${grown} bytes`);
    const got = await edge.json(`/v1/approvals/${id}`);
    assert.equal(got.body.report.findings.length, 200);
    assert.ok(got.body.report.omittedFindings > 12_000, JSON.stringify(got.body.report.counts));
    assert.ok(got.body.report.counts.approval >= 13_000);
  });
});

describe("small items", () => {
  test("GET /presets (a directory) is a 404, not a listing", async () => {
    for (const path of ["/presets", "/presets/", "/pkg/snippets"]) {
      const r = await edge.json(path, { redirect: "manual" });
      assert.equal(r.status, 404, `${path}: ${r.text.slice(0, 200)}`);
      assert.ok(!r.text.includes(".yaml\""), r.text);
    }
    const file = await edge.api("/presets/controlled-hr-bot.yaml");
    assert.equal(file.status, 200, "files in it are still served");
    await file.arrayBuffer();
  });

  test("`Bearer ` with no token is a 401, a wrong one a 403", async () => {
    for (const authorization of ["Bearer ", "Bearer    ", "bearer"]) {
      const r = await edge.json("/v1/approvals", { headers: { authorization } });
      assertProblem(r, 401);
      assert.ok(r.headers.get("www-authenticate"));
    }
    assertProblem(await edge.json("/v1/approvals", { headers: { authorization: "Bearer nope" } }), 403);
    assertProblem(await edge.json("/v1/approvals", { headers: { authorization: "Basic eDp5" } }), 403);
    // The catalog's platform token alike.
    for (const authorization of ["Bearer ", "Bearer  "]) {
      const r = await edge.json("/v1/catalog", { method: "POST", headers: { authorization, "content-type": "application/yaml" }, body: "a: 1\n" });
      assertProblem(r, 401);
    }
  });
});

describe("bounded intake and bounded work", () => {
  let small;
  before(async () => {
    small = await startEdge({
      name: "hardening-limits",
      extraText: { APPROVALS_PER_MINUTE: "4", APPROVALS_PER_REQUESTER_PER_HOUR: "2", VALIDATE_INFLIGHT_BYTES: String(MiB) },
    });
  });
  after(async () => {
    await small?.stop();
    small?.cleanup();
  });
  const MANIFEST = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8");
  const send = (requester) => small.json("/v1/approvals", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify(approval(MANIFEST, { requester })),
  });

  test("per requester: the third request in an hour is a 429 with Retry-After", async () => {
    assert.equal((await send("a@corp.example")).status, 201);
    assert.equal((await send("a@corp.example")).status, 201);
    const r = await send("a@corp.example");
    assertProblem(r, 429);
    const after = Number(r.headers.get("retry-after"));
    assert.ok(after >= 1 && after <= 3600, `Retry-After ${after}`);
  });

  test("per client: the fifth request in a minute is a 429 with Retry-After", async () => {
    // Three requests were taken in above (the refused one counts too): one more is accepted.
    assert.equal((await send("b@corp.example")).status, 201);
    const r = await send("c@corp.example");
    assertProblem(r, 429);
    const after = Number(r.headers.get("retry-after"));
    assert.ok(after >= 1 && after <= 60, `Retry-After ${after}`);
  });

  test("validation beyond the in-flight budget is a 503 with Retry-After, never a 500; /healthz answers", async () => {
    const groups = Array.from({ length: 20 }, (_, g) => `    g${g}:\n${Array.from({ length: 1000 }, (_, i) => `      k${g * 1000 + i}: "value number ${i} of a long list"\n`).join("")}`);
    const big = `apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: big }\nspec:\n  tier: sandbox\n  settings:\n${groups.join("")}`;
    assert.ok(big.length > 850_000 && big.length < MiB, `${big.length}`);
    const jobs = Array.from({ length: 8 }, () => small.json("/v1/validate", {
      method: "POST", headers: { "content-type": "application/yaml" }, body: big,
    }));
    const health = small.json("/healthz");
    const results = await Promise.all(jobs);
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 503), JSON.stringify(statuses));
    assert.ok(statuses.includes(200), JSON.stringify(statuses));
    for (const r of results.filter((x) => x.status === 200)) assert.ok(!r.body.findings.some((f) => f.rule === "manifest/syntax"));
    assert.ok(statuses.includes(503), `8 × 900 KB at once over a 1 MiB budget: ${JSON.stringify(statuses)}`);
    for (const r of results.filter((x) => x.status === 503)) {
      assert.equal(r.headers.get("content-type"), "application/problem+json");
      assert.ok(Number(r.headers.get("retry-after")) >= 1);
    }
    assert.equal((await health).status, 200);
  });

  test("large validations are admitted at a bounded rate (503 + Retry-After), small ones pass", async () => {
    const body = `apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: mid }\nspec:\n  tier: sandbox\n  settings:\n${
      Array.from({ length: 6000 }, (_, i) => `    k${i}: "value number ${i} of a long list"\n`).join("")}`;
    assert.ok(body.length > 200_000 && body.length < 400_000, `${body.length}`);
    await new Promise((r) => setTimeout(r, 2100)); // the bucket refills (2 s > 1 MiB / 512 KiB/s)
    const statuses = [];
    let retryAfter = null;
    for (let i = 0; i < 8; i++) {
      const r = await small.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body });
      statuses.push(r.status);
      if (r.status === 503) retryAfter = Number(r.headers.get("retry-after"));
    }
    // The bucket holds 1 MiB (three of these) and refills at 512 KiB/s.
    assert.equal(statuses[0], 200);
    assert.ok(statuses.includes(503), JSON.stringify(statuses));
    assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
    const typical = await small.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body: readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml")) });
    assert.equal(typical.status, 200, "a typical manifest is not held back by the large ones");
  });

  test("a full store is a 429 with Retry-After", async () => {
    const tiny = await startEdge({ name: "hardening-quota", extraText: { APPROVALS_MAX_BYTES: "1" } });
    try {
      const r = await tiny.json("/v1/approvals", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify(approval(MANIFEST)),
      });
      assertProblem(r, 429);
      assert.ok(Number(r.headers.get("retry-after")) >= 1);
    } finally {
      await tiny.stop();
      tiny.cleanup();
    }
  });
});
