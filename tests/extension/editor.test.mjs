// The extension in the real Node-RED editor: badges on exactly the nodes with findings, redacted
// findings in the panel, edits clear findings, one-click approval stored once by the real edge,
// nothing injected on other origins, the key never in the panel DOM, storage or edge traffic
// (except the manifest submitted for approval).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { startEdge } from "../edge/harness.mjs";
import {
  badges, configure, KEY, KEY_TAIL, launchWithExtension, NOW, orderFlow, page, startNodeRed, tabIdOf, until,
} from "./harness.mjs";

const IN = "a1b2c3d4e5f60001"; // http in
const REQ = "a1b2c3d4e5f60002"; // http request with the inline key
const DEBUG = "a1b2c3d4e5f60003";

let red, edge, ext, editor, panel, other;
const edgeTraffic = [];

before(async () => {
  red = await startNodeRed();
  edge = await startEdge({ name: "extension" });
  ext = await launchWithExtension({ grant: [red.url, edge.url] });
  ext.context.on("request", (r) => {
    if (r.url().startsWith(edge.url)) edgeTraffic.push({ url: r.url(), method: r.method(), body: r.postData() ?? "", headers: r.headers() });
  });
  await configure(ext, { origins: [red.url], edgeUrl: edge.url, requester: "jane.doe@corp.example" });
  await red.deploy(orderFlow());
  editor = await page(ext.context);
  await editor.goto(`${red.url}/`);
  await editor.waitForFunction(() => window.RED?.nodes?.node?.("a1b2c3d4e5f60002"), null, { timeout: 60_000 });
  const tab = await tabIdOf(ext, `${red.url}/`);
  panel = await page(ext.context);
  await panel.goto(`${ext.base}/panel.html?tab=${tab}&now=${NOW}`);
  await panel.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 30_000 });
});

after(async () => {
  await ext?.close();
  await Promise.allSettled([red?.stop(), edge?.stop()]);
  edge?.cleanup();
});

test("badges appear on exactly the http in and http request nodes, with redacted findings in the panel", async () => {
  const shown = await until(async () => {
    const b = await badges(editor);
    return b[IN] && b[REQ] ? b : null;
  }, { timeout: 15_000, what: "badges on the editor's nodes" });
  assert.deepEqual(Object.keys(shown).sort(), [IN, REQ].sort(), "badges on exactly those nodes");
  assert.equal(shown[REQ].level, "deny");
  const items = await panel.$$eval("#nodes > li", (lis) => lis.map((li) => ({ id: li.dataset.node, text: li.textContent })));
  assert.deepEqual(items.map((i) => i.id).sort(), [IN, REQ].sort());
  const req = items.find((i) => i.id === REQ).text;
  assert.match(req, /push to CRM/);
  assert.match(req, /secret/i);
  assert.ok(!req.includes(KEY) && !req.includes(KEY_TAIL), "the key is redacted in the panel");
  assert.deepEqual(editor.errors, []);
});

test("an import in the editor updates the badges within a second", async () => {
  const extra = orderFlow().filter((n) => n.type === "http request").map((n) => ({
    ...n, id: "b0b0b0b0b0b00002", name: "second call", y: 200, wires: [[]],
  }));
  const t0 = Date.now();
  await editor.evaluate((nodes) => window.RED.view.importNodes(nodes, { generateIds: false }), extra);
  await until(async () => (await badges(editor))["b0b0b0b0b0b00002"], { timeout: 1000, every: 20, what: "a badge on the imported node within a second" });
  const ms = Date.now() - t0;
  assert.ok(ms <= 1000, `badge after ${ms} ms`);
  // Remove it again (an edit in the editor): its badge goes.
  await editor.evaluate(() => {
    const n = window.RED.nodes.node("b0b0b0b0b0b00002");
    window.RED.nodes.remove(n.id);
    window.RED.events.emit("nodes:remove", n);
    window.RED.view.redraw(true);
  });
  await until(async () => !(await badges(editor))["b0b0b0b0b0b00002"], { timeout: 2000, what: "the removed node's badge to go" });
});

test("clicking a finding in the panel reveals its node on the canvas", async () => {
  await panel.click(`#nodes > li[data-node="${REQ}"] button.reveal`);
  await until(() => editor.evaluate((id) => window.RED.view.selection().nodes?.some((n) => n.id === id) ||
    document.querySelector(`#${CSS.escape(id)}`)?.classList.contains("red-ui-flow-node-highlighted"), REQ),
  { timeout: 5000, what: "the node to be revealed" });
});

test("editing the node in the editor (https, header removed) clears its finding", async () => {
  await editor.evaluate((id) => window.RED.editor.edit(window.RED.nodes.node(id)), REQ);
  await editor.waitForSelector("#node-input-url", { state: "visible", timeout: 10_000 });
  await editor.fill("#node-input-url", "https://crm.example.com/api/orders");
  const remove = editor.locator("#node-input-headers-container .red-ui-editableList-item-remove");
  while (await remove.count()) await remove.first().click();
  await editor.click("#node-dialog-ok");
  await until(async () => {
    const b = await badges(editor);
    return !b[REQ] && b[IN];
  }, { timeout: 5000, what: "the http request node's badge to go" });
  const ids = await panel.$$eval("#nodes > li", (lis) => lis.map((li) => li.dataset.node));
  assert.ok(!ids.includes(REQ), "the panel no longer lists the http request node");
  assert.ok(ids.includes(IN));
});

test("request approval: the real edge stores it once, with the manifest the user submitted", async () => {
  // Put the key back (the flow as it was) so that the submitted manifest carries it.
  await editor.evaluate((flow) => {
    const n = window.RED.nodes.node("a1b2c3d4e5f60002");
    const orig = flow.find((x) => x.id === n.id);
    n.url = orig.url;
    n.headers = orig.headers;
    n.changed = true;
    window.RED.events.emit("nodes:change", n);
  }, orderFlow());
  await until(async () => (await badges(editor))[REQ], { timeout: 5000, what: "the finding back" });
  const guard = panel.locator("#guard");
  const button = guard.locator("button", { hasText: /request approval/i }).first();
  await button.waitFor({ timeout: 10_000 });
  const justification = guard.locator("textarea").first();
  if (await justification.count()) await justification.fill("Orders must reach the CRM; key rotation ticket SEC-42.");
  await button.click();
  const submit = guard.locator("button", { hasText: /^(send|submit)/i }).first();
  if (await submit.count()) await submit.click();
  const posts = await until(() => {
    const p = edgeTraffic.filter((r) => r.method === "POST" && new URL(r.url).pathname === "/v1/approvals");
    return p.length ? p : null;
  }, { timeout: 10_000, what: "the approval request" });
  await until(async () => {
    const r = await edge.json("/v1/approvals", { headers: { authorization: `Bearer ${edge.reviewerToken}` } });
    const list = Array.isArray(r.body) ? r.body : r.body?.approvals ?? r.body?.items ?? [];
    return list.length === 1 ? list : null;
  }, { timeout: 10_000, what: "one approval at the edge" });
  // A second click (a retry) does not create a second approval.
  await panel.waitForTimeout(300);
  const r = await edge.json("/v1/approvals", { headers: { authorization: `Bearer ${edge.reviewerToken}` } });
  const list = Array.isArray(r.body) ? r.body : r.body?.approvals ?? r.body?.items ?? [];
  assert.equal(list.length, 1, "stored once");
  assert.ok(posts.every((p) => p.headers["idempotency-key"]), "sent with an Idempotency-Key");
  assert.ok(posts[0].body.includes(KEY), "the submitted manifest is the user's flow, as chosen");
});

test("the key never appears in the panel DOM, the extension's storage or other edge traffic", async () => {
  const dom = await panel.evaluate(() => {
    const parts = [document.documentElement.outerHTML];
    for (const el of document.querySelectorAll("*")) if (el.shadowRoot) parts.push(el.shadowRoot.innerHTML);
    return parts.join("\n");
  });
  assert.ok(!dom.includes(KEY), "not in the panel DOM");
  const storage = await panel.evaluate(async () => JSON.stringify({
    local: await chrome.storage.local.get(null),
    session: await chrome.storage.session?.get(null),
    localStorage: Object.fromEntries(Object.entries(localStorage)),
  }));
  assert.ok(!storage.includes(KEY), "not in the extension's storage");
  for (const r of edgeTraffic) {
    const isSubmission = r.method === "POST" && new URL(r.url).pathname === "/v1/approvals";
    if (!isSubmission) assert.ok(!r.url.includes(KEY) && !r.body.includes(KEY), `not in ${r.method} ${r.url}`);
  }
});

test("a page on another origin gets nothing injected", async () => {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>other</title><script>window.RED = { marker: 1 };</script><p>other site</p>");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    other = await page(ext.context);
    await other.goto(`http://127.0.0.1:${server.address().port}/`);
    await other.waitForTimeout(500);
    const seen = await other.evaluate(() => ({
      reader: "__parapetReader" in window,
      relay: document.documentElement.dataset.parapetExtension ?? null,
    }));
    assert.deepEqual(seen, { reader: false, relay: null });
    // The editor's origin does get them (the same check can fail).
    const onEditor = await editor.evaluate(() => ({
      reader: "__parapetReader" in window,
      relay: document.documentElement.dataset.parapetExtension ?? null,
    }));
    assert.deepEqual(onEditor, { reader: true, relay: "connected" });
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
});
