// The extension in the real Node-RED editor: badges on exactly the nodes with findings, redacted
// findings in the panel, edits clear findings, one-click approval stored once by the real edge,
// nothing injected on other origins, the key never in the panel DOM, storage or edge traffic
// (except the manifest submitted for approval).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startEdge } from "../edge/harness.mjs";
import {
  badges, configure, KEY, ROOT, KEY_TAIL, launchWithExtension, NOW, orderFlow, page, startNodeRed, tabIdOf, until,
} from "./harness.mjs";

const IN = "a1b2c3d4e5f60001"; // http in
const REQ = "a1b2c3d4e5f60002"; // http request with the inline key
const DEBUG = "a1b2c3d4e5f60003";

/**
 * These tests need the engine's Node-RED adapter (findings on nodes, `defaults.tier`). An engine
 * without it (a package built before the adapter) skips them, saying why; they never pass
 * vacuously.
 */
async function nodeRedAdapter() {
  const { Engine } = await import(join(ROOT, "pkg/node.js"));
  try {
    const report = new Engine("defaults:\n  tier: controlled\n").evaluate(JSON.stringify(orderFlow()));
    return report.findings.some((f) => f.node?.id === IN);
  } catch {
    return false;
  }
}
const ADAPTER = await nodeRedAdapter();

let red, edge, ext, editor, panel, other;
const edgeTraffic = [];

describe("the extension in the real Node-RED editor", { skip: ADAPTER ? false : "the engine in pkg/ has no Node-RED adapter" }, () => {
before(async () => {
  red = await startNodeRed();
  // The platform team's pack: this editor's flows are "controlled" (defaults.tier), at the edge
  // and in the extension's options alike.
  edge = await startEdge({ name: "extension", policyText: "defaults:\n  tier: controlled\n" });
  ext = await launchWithExtension({ grant: [red.url, edge.url] });
  ext.context.on("request", (r) => {
    if (r.url().startsWith(edge.url)) edgeTraffic.push({ url: r.url(), method: r.method(), body: r.postData() ?? "", headers: r.headers() });
  });
  await configure(ext, { origins: [red.url], edgeUrl: edge.url, requester: "jane.doe@corp.example", tier: "controlled" });
  await red.deploy(orderFlow());
  editor = await page(ext.context);
  await editor.goto(`${red.url}/`);
  await editor.waitForFunction(() => window.RED?.nodes?.node?.("a1b2c3d4e5f60002"), null, { timeout: 60_000 });
  const tab = await tabIdOf(ext, `${red.url}/`);
  panel = await page(ext.context);
  await panel.setViewportSize({ width: 420, height: 800 }); // a side panel's width
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
  // Inline key, http:// and an unapproved host; a public webhook in a controlled flow.
  assert.equal(shown[REQ].level, "deny");
  assert.ok(shown[REQ].count >= 3, `3 or more findings on the http request node, not ${shown[REQ].count}`);
  assert.equal(shown[IN].level, "deny");
  assert.ok(shown[IN].count >= 1);
  const items = await panel.$$eval("#nodes > li", (lis) => lis.map((li) => ({ id: li.dataset.node, text: li.textContent })));
  assert.deepEqual(items.map((i) => i.id).sort(), [IN, REQ].sort());
  const req = items.find((i) => i.id === REQ).text;
  assert.match(req, /push to CRM/);
  assert.match(req, /secret/i);
  assert.ok(!req.includes(KEY) && !req.includes(KEY_TAIL), "the key is redacted in the panel");
  assert.deepEqual(editor.errors, []);
  await picture();
});

/**
 * The README's picture (docs/extension.png): the editor with its badges and the panel beside it,
 * as Chrome shows a side panel. Written to test-results/ on every run, to docs/ when
 * PARAPET_UPDATE_SCREENSHOTS=1.
 */
async function picture() {
  const dir = join(ROOT, "test-results");
  mkdirSync(dir, { recursive: true });
  await editor.evaluate(() => window.RED.view.redraw(true));
  const left = (await editor.screenshot({ clip: { x: 0, y: 0, width: 1000, height: 640 } })).toString("base64");
  const right = (await panel.screenshot({ clip: { x: 0, y: 0, width: 420, height: 640 } })).toString("base64");
  const sheet = await ext.context.newPage();
  await sheet.setViewportSize({ width: 1421, height: 640 });
  await sheet.setContent(`<body style="margin:0;display:flex;background:#ccc"><img src="data:image/png;base64,${left}"><div style="width:1px;background:#999"></div><img src="data:image/png;base64,${right}"></body>`);
  const file = process.env.PARAPET_UPDATE_SCREENSHOTS ? join(ROOT, "docs/extension.png") : join(dir, "extension.png");
  await sheet.screenshot({ path: file });
  await sheet.close();
}

test("an import in the editor updates the badges within a second", async () => {
  const extra = orderFlow().filter((n) => n.type === "http request").map((n) => ({
    ...n, id: "b0b0b0b0b0b00002", name: "second call", y: 200, wires: [[]],
  }));
  const t0 = Date.now();
  await editor.evaluate((nodes) => window.RED.view.importNodes(nodes, { generateIds: false }), extra);
  try {
    const shown = await until(async () => (await badges(editor))["b0b0b0b0b0b00002"], { timeout: 1000, every: 20, what: "a badge on the imported node within a second" });
    const ms = Date.now() - t0;
    assert.ok(ms <= 1000, `badge after ${ms} ms`);
    assert.equal(shown.level, "deny");
  } finally {
    // Remove it again (an edit in the editor): its badge goes.
    await editor.evaluate(() => {
    const n = window.RED.nodes.node("b0b0b0b0b0b00002");
    window.RED.nodes.remove(n.id);
    window.RED.events.emit("nodes:remove", n);
      window.RED.view.redraw(true);
    });
  }
  await until(async () => !(await badges(editor))["b0b0b0b0b0b00002"], { timeout: 2000, what: "the removed node's badge to go" });
});

test("clicking a finding in the panel reveals its node on the canvas", async () => {
  await panel.click(`#nodes > li[data-node="${REQ}"] button.reveal`);
  await until(() => editor.evaluate((id) => window.RED.view.selection().nodes?.some((n) => n.id === id) &&
    window.RED.nodes.node(id).highlighted === true, REQ),
  { timeout: 5000, what: "the node to be revealed (selected and flashing)" });
  // A finding in the widget itself reveals its node too.
  await editor.evaluate(() => window.RED.view.select(""));
  await panel.locator('#guard .finding[data-rule="config/unauthenticated-trigger"] button.finding-target').first().click();
  await until(() => editor.evaluate((id) => window.RED.view.selection().nodes?.some((n) => n.id === id), IN),
    { timeout: 5000, what: "the webhook node to be revealed from the widget" });
});

test("editing the node in the editor (https, header removed) clears its finding", async () => {
  await editor.evaluate((id) => window.RED.editor.edit(window.RED.nodes.node(id)), REQ);
  await editor.waitForSelector("#node-input-url", { state: "visible", timeout: 10_000 });
  await editor.fill("#node-input-url", "https://crm.example.com/api/orders");
  const remove = editor.locator("#node-input-headers-container .red-ui-editableList-item-remove");
  for (let n = await remove.count(); n > 0; n = await remove.count()) {
    await remove.first().click();
    await until(async () => (await remove.count()) < n, { timeout: 5000, what: "the header row to go" });
  }
  await editor.click("#node-dialog-ok");
  const text = await until(async () => {
    const t = await panel.textContent(`#nodes > li[data-node="${REQ}"]`).catch(() => "");
    return t && !/plaintext-secret|insecure-transport/.test(t) ? t : null;
  }, { timeout: 5000, what: "the key and http:// findings to go" });
  // What is left on that node: the unapproved host, which needs an approval in a controlled flow.
  assert.match(text, /external-connector/);
  const shown = await until(async () => {
    const b = await badges(editor);
    return b[REQ]?.level === "approval" ? b : null;
  }, { timeout: 5000, what: "the badge to drop to the approval level" });
  assert.ok(shown[REQ].count >= 1);
});

test("request approval: the real edge stores it once, under the widget's idempotency key", async () => {
  const button = panel.locator("#guard [data-action=request-approval]");
  await button.waitFor({ timeout: 10_000 });
  await panel.locator("#guard #parapet-justification").fill("Orders must reach the CRM; SEC-42.");
  await button.click();
  await panel.locator('#guard .approval-status[data-state="pending"], #guard .approval-id').first().waitFor({ timeout: 10_000 });
  const posts = edgeTraffic.filter((r) => r.method === "POST" && new URL(r.url).pathname === "/v1/approvals");
  assert.equal(posts.length, 1, "one request sent");
  const key = posts[0].headers["idempotency-key"];
  assert.ok(key, "sent with an Idempotency-Key");
  const r = await edge.json("/v1/approvals", { headers: { authorization: `Bearer ${edge.reviewerToken}` } });
  const list = Array.isArray(r.body) ? r.body : r.body?.approvals ?? r.body?.items ?? [];
  assert.equal(list.length, 1, "stored once");
  assert.equal(list[0].requester, "jane.doe@corp.example");
  // A retry with the same key (a lost response) is the same approval, not a second one.
  const again = await edge.json("/v1/approvals", {
    method: "POST", headers: { "content-type": "application/json", "idempotency-key": key }, body: posts[0].body,
  });
  assert.ok(again.status === 200, `retry answered ${again.status}`);
  const after = await edge.json("/v1/approvals", { headers: { authorization: `Bearer ${edge.reviewerToken}` } });
  assert.equal((Array.isArray(after.body) ? after.body : after.body?.approvals ?? after.body?.items ?? []).length, 1);
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
  // The approval was requested after the key was removed: nothing sent to the edge carries it.
  assert.ok(edgeTraffic.length > 0);
  for (const r of edgeTraffic) {
    assert.ok(!r.url.includes(KEY) && !r.body.includes(KEY) && !r.body.includes(KEY_TAIL), `not in ${r.method} ${r.url}`);
  }
});

test("malformed or foreign messages from the page are ignored by the relay and the panel", async () => {
  const before = await panel.evaluate(() => window.parapetPanel.stats.evaluated);
  await editor.evaluate(() => {
    const base = { channel: "parapet-extension/v1", to: "extension", type: "flow", revision: 1e6 };
    for (const m of [
      { ...base, flow: "not a list" },
      { ...base, flow: [{ type: "no id" }] },
      { ...base, revision: -1, flow: [] },
      { ...base, channel: "other", flow: [] },
      { ...base, type: "badges", badges: [] },
      "a string",
    ]) window.postMessage(m, location.origin);
    // From a frame: not the editor's own window.
    const frame = document.createElement("iframe");
    document.body.append(frame);
    frame.contentWindow.eval(`parent.postMessage(${JSON.stringify({ ...base, flow: [] })}, "*")`);
    frame.remove();
  });
  await editor.waitForTimeout(300);
  assert.equal(await panel.evaluate(() => window.parapetPanel.stats.evaluated), before, "nothing evaluated");
  // A well-formed change still goes through (the check above can fail).
  await editor.evaluate(() => window.RED.events.emit("nodes:change", window.RED.nodes.node("a1b2c3d4e5f60003")));
  await until(() => panel.evaluate((n) => window.parapetPanel.stats.evaluated > n, before), { timeout: 3000, what: "the real change" });
});

test("a pasted n8n export and a dropped Make export are checked in the panel, by node", async () => {
  const n8n = readFileSync(join(ROOT, "tests/corpus/n8n-templates/AI product imagines.json"), "utf8");
  await panel.click("#paste summary");
  await panel.fill("#export-text", n8n);
  await panel.click("#check-export");
  await until(async () => (await panel.textContent("#nodes")).includes("Google Drive"), { timeout: 5000, what: "the n8n nodes" });
  assert.match(await panel.textContent("#nodes"), /n8n-nodes-base\.googleDrive/);
  assert.equal(await panel.locator("#nodes button.reveal").first().isDisabled(), true, "nothing to reveal in the editor");
  const make = readFileSync(join(ROOT, "tests/corpus/make/webhook-to-google-sheets.json"), "utf8");
  const drop = await panel.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "scenario.blueprint.json", { type: "application/json" }));
    return dt;
  }, make);
  await panel.dispatchEvent("#drop", "drop", { dataTransfer: drop });
  await until(async () => (await panel.textContent("#nodes")).includes("Webhook Trigger"), { timeout: 5000, what: "the Make modules" });
  // Back to the editor: its flow again, and its badges untouched meanwhile.
  await panel.click("#back-to-editor");
  await until(async () => (await panel.textContent("#nodes")).includes("push to CRM"), { timeout: 5000, what: "the editor's flow" });
  assert.ok((await badges(editor))[REQ]);
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

test("a tier per flow (options) applies to that flow's nodes", async () => {
  // The editor is "controlled"; the Orders flow is set to "sandbox": its public webhook is a warning there.
  await configure(ext, {
    origins: [red.url], edgeUrl: edge.url, requester: "jane.doe@corp.example", tier: "controlled",
    flowTiers: "f1a2b3c4d5e6f708 = sandbox",
  });
  await until(async () => (await badges(editor))[IN]?.level === "warn", { timeout: 5000, what: "the sandbox level on the webhook" });
  await configure(ext, { origins: [red.url], edgeUrl: edge.url, requester: "jane.doe@corp.example", tier: "controlled" });
  await until(async () => (await badges(editor))[IN]?.level === "deny", { timeout: 5000, what: "the controlled level again" });
});

test("removing the origin in the options stops the extension there", async () => {
  await configure(ext, { origins: [] });
  const fresh = await page(ext.context);
  await fresh.goto(`${red.url}/`);
  await fresh.waitForFunction(() => window.RED?.nodes?.node?.("a1b2c3d4e5f60002"), null, { timeout: 60_000 });
  await fresh.waitForTimeout(500);
  assert.deepEqual(await fresh.evaluate(() => ({
    reader: "__parapetReader" in window, relay: document.documentElement.dataset.parapetExtension ?? null,
  })), { reader: false, relay: null });
  await fresh.close();
});
});
