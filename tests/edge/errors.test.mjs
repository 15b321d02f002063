// Bad input gets application/problem+json with the right status, and no detected secret
// reaches a response body or workerd's output, whatever the request looks like.

import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { MiB, SECRET, startEdge } from "./harness.mjs";

let edge;
before(async () => {
  edge = await startEdge({ name: "errors" });
});
after(async () => {
  await edge?.stop();
  edge?.cleanup();
});

const VALID = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: ok-app }\nspec: { tier: sandbox }\n";
const ID = "00000000-0000-4000-8000-000000000000";

/** Asserts an RFC 9457 problem with `status`; returns the parsed body. */
function assertProblem(r, status) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get("content-type"), "application/problem+json");
  for (const k of ["type", "title", "status", "detail"]) assert.ok(k in r.body, `problem has ${k}`);
  assert.equal(r.body.status, status);
  assert.match(r.body.type, /^https:\/\//);
  return r.body;
}

/**
 * Sends a raw HTTP/1.1 request over a socket, as curl would: the body keeps flowing while the
 * answer is read, so a server that answers early (413 before the body ends) and closes is seen
 * answering, not as a broken pipe (node:http and fetch drop such an answer).
 */
function raw({ method = "POST", path, headers = {}, chunks }) {
  return new Promise((resolve, reject) => {
    const u = new URL(edge.url);
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const tryParse = () => {
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = received.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(head[0].split(" ")[1]);
      const h = new Headers(head.slice(1).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
      const length = Number(h.get("content-length"));
      const body = received.subarray(end + 4);
      if (!Number.isFinite(length) || body.length < length) return;
      const text = body.subarray(0, length).toString("utf8");
      finish(null, { status, headers: h, text, body: JSON.parse(text) });
    };
    socket.setTimeout(20_000, () => finish(new Error("timed out")));
    socket.on("data", (d) => {
      received = Buffer.concat([received, d]);
      tryParse();
    });
    socket.on("error", (e) => {
      // Writing into a connection the server closed after answering: the answer is what counts.
      if (!["EPIPE", "ECONNRESET"].includes(e.code)) finish(e);
    });
    socket.on("close", () => finish(new Error(`connection closed without a complete answer (${received.length} bytes)`)));
    socket.on("connect", async () => {
      const lines = [`${method} ${path} HTTP/1.1`, `host: ${u.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join("\r\n") + "\r\n\r\n");
      const chunked = headers["transfer-encoding"] === "chunked";
      for (const c of chunks) {
        if (done || socket.destroyed) return;
        const ok = chunked ? socket.write(`${c.length.toString(16)}\r\n`) && socket.write(c) && socket.write("\r\n") : socket.write(c);
        if (!ok) await new Promise((r) => socket.once("drain", r).once("close", r));
      }
      if (chunked && !socket.destroyed) socket.write("0\r\n\r\n");
    });
  });
}

describe("status codes", () => {
  test("404 for an unknown API path", async () => {
    assertProblem(await edge.json("/v1/nothing-here"), 404);
    assertProblem(await edge.json("/v1/approvals/not-an-id"), 404);
    assertProblem(await edge.json(`/v1/approvals/${ID}`), 404);
  });

  test("404 for the bench route without its binding", async () => {
    assertProblem(await edge.json("/__bench/noop"), 404);
  });

  test("405 with Allow for a wrong method", async () => {
    const r = await edge.json("/v1/validate");
    assertProblem(r, 405);
    assert.equal(r.headers.get("allow"), "POST, OPTIONS");
    const d = await edge.json(`/v1/approvals/${ID}`, { method: "DELETE" });
    assertProblem(d, 405);
    assert.equal(d.headers.get("allow"), "GET, OPTIONS");
    const p = await edge.json("/healthz", { method: "POST", body: "x" });
    assertProblem(p, 405);
    const s = await edge.json(`/v1/approvals/${ID}/decision`, { method: "GET" });
    assertProblem(s, 405);
    assert.equal(s.headers.get("allow"), "POST, OPTIONS");
  });

  test("415 for media types the endpoint does not take", async () => {
    for (const type of ["application/xml", "application/x-www-form-urlencoded", "image/png"]) {
      const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": type }, body: VALID });
      assertProblem(r, 415);
    }
    const none = await edge.json("/v1/validate", { method: "POST", body: new Blob([VALID]) });
    assertProblem(none, 415);
    const yamlApproval = await edge.json("/v1/approvals", {
      method: "POST", headers: { "content-type": "application/yaml", "idempotency-key": "k-415" }, body: VALID,
    });
    assertProblem(yamlApproval, 415);
  });

  test("media type parameters and case are accepted", async () => {
    const r = await edge.json("/v1/validate", {
      method: "POST", headers: { "content-type": "Application/YAML; charset=UTF-8" }, body: VALID,
    });
    assert.equal(r.status, 200);
  });

  test("413 for a 10 MB body with its Content-Length", async () => {
    const size = 10 * 1000 * 1000;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const chunks = Array.from({ length: Math.ceil(size / chunk.length) }, (_, i) =>
      (i + 1) * chunk.length > size ? chunk.subarray(0, size - i * chunk.length) : chunk);
    const r = await raw({
      path: "/v1/validate",
      headers: { "content-type": "application/yaml", "content-length": String(size) },
      chunks,
    });
    assertProblem(r, 413);
  });

  test("413 for a chunked body that grows past 1 MiB", async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const r = await raw({
      path: "/v1/validate",
      headers: { "content-type": "application/yaml", "transfer-encoding": "chunked" },
      chunks: Array.from({ length: 6 }, () => chunk),
    });
    assertProblem(r, 413);
  });

  test("exactly 1 MiB is still accepted", async () => {
    const body = VALID + "#".repeat(MiB - VALID.length - 1) + "\n";
    assert.equal(Buffer.byteLength(body), MiB);
    const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body });
    assert.equal(r.status, 200);
  });

  test("413 on approvals too", async () => {
    const r = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "k-413" },
      body: JSON.stringify({ manifest: "x".repeat(MiB + 10) }),
    });
    assertProblem(r, 413);
  });
});

describe("malformed bodies", () => {
  // One shape for every validation outcome, as the CLI and the wasm API give: an unreadable
  // manifest is a report with a manifest/syntax deny, not a problem.
  function assertSyntaxReport(r) {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.equal(r.body.verdict, "deny");
    assert.equal(r.body.findings[0].rule, "manifest/syntax");
    assert.equal(r.body.findings[0].level, "deny");
    return r.body;
  }

  test("malformed JSON to /v1/validate is a report with the engine's finding", async () => {
    const r = await edge.json("/v1/validate", {
      method: "POST", headers: { "content-type": "application/json" }, body: '{"apiVersion": "parapet.dev/v1", "kind": ',
    });
    const report = assertSyntaxReport(r);
    assert.ok(report.findings[0].location.line >= 1);
  });

  test("malformed YAML to /v1/validate is a report", async () => {
    const r = await edge.json("/v1/validate", {
      method: "POST", headers: { "content-type": "application/yaml" }, body: "spec: { tier: [unclosed\n  - : :\n",
    });
    assertSyntaxReport(r);
  });

  test("YAML sent as application/json is malformed JSON", async () => {
    assertSyntaxReport(await edge.json("/v1/validate", { method: "POST", headers: { "content-type": "application/json" }, body: VALID }));
  });

  test("invalid UTF-8 is a report", async () => {
    const r = await edge.json("/v1/validate", {
      method: "POST", headers: { "content-type": "application/yaml" }, body: new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    });
    assertSyntaxReport(r);
  });

  test("an empty body is a report, not a crash", async () => {
    const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": "application/yaml" }, body: "" });
    assert.equal(r.status, 200, r.text);
  });

  test("malformed JSON and wrong shapes to /v1/approvals are 400s", async () => {
    const send = (body, key = `k-${crypto.randomUUID()}`) => edge.json("/v1/approvals", {
      method: "POST", headers: { "content-type": "application/json", "idempotency-key": key }, body,
    });
    assertProblem(await send("{not json"), 400);
    assertProblem(await send("[1,2,3]"), 400);
    assertProblem(await send('"just a string"'), 400);
    assertProblem(await send(JSON.stringify({ manifest: VALID, rules: [], requester: "a", justification: "b" })), 400);
    assertProblem(await send(JSON.stringify({ manifest: VALID, rules: ["nope"], requester: "a", justification: "b" })), 400);
    assertProblem(await send(JSON.stringify({ manifest: 42, rules: ["cost/tier-cap"], requester: "a", justification: "b" })), 400);
    assertProblem(await send(JSON.stringify({ manifest: VALID, rules: ["cost/tier-cap"], justification: "b" })), 400);
    assertProblem(await send(JSON.stringify({ manifest: "key: [unclosed", rules: ["cost/tier-cap"], requester: "a", justification: "b" })), 400);
  });

  test("a missing Idempotency-Key is a 400", async () => {
    const r = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ manifest: VALID, rules: ["cost/tier-cap"], requester: "a", justification: "b" }),
    });
    const p = assertProblem(r, 400);
    assert.match(p.detail, /Idempotency-Key/);
  });

  test("the reviewer endpoints answer 401 without a token and 403 with a wrong one", async () => {
    const body = JSON.stringify({ decision: "approved", reviewer: "r" });
    const path = `/v1/approvals/${ID}/decision`;
    assertProblem(await edge.json(path, { method: "POST", headers: { "content-type": "application/json" }, body }), 401);
    assertProblem(await edge.json(path, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer wrong-token-wrong-token" }, body }), 403);
    assertProblem(await edge.json(path, { method: "POST", headers: { "content-type": "application/json", authorization: "Basic dXNlcjpwYXNz" }, body }), 403);
    assertProblem(await edge.json("/v1/approvals"), 401);
    assertProblem(await edge.json("/v1/approvals", { headers: { authorization: "Bearer nope" } }), 403);
  });

  test("an invalid decision body is a 400", async () => {
    const path = `/v1/approvals/${ID}/decision`;
    const headers = { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` };
    assertProblem(await edge.json(path, { method: "POST", headers, body: JSON.stringify({ decision: "maybe", reviewer: "r" }) }), 400);
    assertProblem(await edge.json(path, { method: "POST", headers, body: JSON.stringify({ decision: "approved", reviewer: "r", expires: "2020-01-01" }) }), 400);
    assertProblem(await edge.json(path, { method: "POST", headers, body: JSON.stringify({ decision: "approved", reviewer: "r", expires: "2099-02-30" }) }), 400);
    assertProblem(await edge.json(path, { method: "POST", headers, body: "{" }), 400);
  });
});

describe("no detected secret in any response or log", () => {
  const withSecret = `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: leaky-app }
spec:
  tier: controlled
  owner: group:ops
  connectors:
    - name: slack
      type: chat
      service: slack
      headers: { Authorization: "Bearer ${SECRET}" }
  settings: { token: "${SECRET}" }
`;

  test("a manifest with a secret: the report flags it, redacted", async () => {
    for (const [type, body] of [["application/yaml", withSecret], ["text/plain", withSecret]]) {
      const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": type }, body });
      assert.equal(r.status, 200);
      assert.ok(r.body.findings.some((f) => f.rule === "secrets/plaintext-secret"));
      assert.ok(!r.text.includes(SECRET));
      assert.ok(!r.text.includes(SECRET.slice(10)), "not even most of it");
    }
  });

  test("error responses never echo the body", async () => {
    const bodies = [
      ["application/json", `{"token": "${SECRET}", `],
      ["application/json", `{"token": ${SECRET}}`],
      ["application/yaml", `token: "${SECRET}\n  - [`],
      ["application/xml", `<token>${SECRET}</token>`],
    ];
    for (const [type, body] of bodies) {
      const r = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": type }, body });
      // Unreadable manifests are reports (200, a manifest/syntax deny); the rest problems.
      assert.ok(r.status >= 400 || r.body?.findings?.[0]?.rule === "manifest/syntax", `${type}: ${r.status}`);
      assert.ok(!r.text.includes(SECRET), `${type} ${r.status} echoed the secret`);
    }
    const approvalBodies = [
      `{"manifest": "${SECRET}", `,
      `{"manifest": ${SECRET}}`,
      JSON.stringify({ manifest: withSecret, rules: ["secrets/plaintext-secret"], requester: "a", justification: "b" }),
      JSON.stringify({ manifest: withSecret, rules: [SECRET], requester: "a", justification: "b" }),
    ];
    for (const body of approvalBodies) {
      const r = await edge.json("/v1/approvals", {
        method: "POST", headers: { "content-type": "application/json", "idempotency-key": `k-${crypto.randomUUID()}` }, body,
      });
      assert.ok(r.status >= 400, `${r.status}`);
      assert.ok(!r.text.includes(SECRET), `approvals ${r.status} echoed the secret`);
    }
    const weirdType = await edge.json("/v1/validate", { method: "POST", headers: { "content-type": `text/${SECRET}` }, body: "x" });
    assertProblem(weirdType, 415);
    assert.ok(!weirdType.text.includes(SECRET));
    const path = await edge.json(`/v1/${SECRET}`);
    assertProblem(path, 404);
    assert.ok(!path.text.includes(SECRET));
  });

  test("a secret pasted into free text is refused, not stored", async () => {
    const r = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `k-${crypto.randomUUID()}` },
      body: JSON.stringify({ manifest: withSecret, rules: ["integration/external-connector"], requester: "a@corp.example", justification: `use token ${SECRET} please` }),
    });
    const p = assertProblem(r, 400);
    assert.deepEqual(p.fields, ["justification"]);
    assert.ok(!r.text.includes(SECRET));
    const d = await edge.json(`/v1/approvals/${ID}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` },
      body: JSON.stringify({ decision: "approved", reviewer: "r@corp.example", comment: `rotated ${SECRET}` }),
    });
    assert.deepEqual(assertProblem(d, 400).fields, ["comment"]);
    assert.ok(!d.text.includes(SECRET));
  });

  test("workerd's stdout and stderr never carry it", () => {
    assert.ok(!edge.logs().includes(SECRET));
    assert.ok(!edge.logs().includes(SECRET.slice(10)));
  });
});
