// The extension's message protocol (www/extension/protocol.js): shapes and senders are checked,
// anything malformed or from the wrong sender is ignored (null / false).
import assert from "node:assert/strict";
import { test } from "node:test";
import "../../www/extension/protocol.js";

const P = globalThis.ParapetProtocol;
const ID = "abcdefghijklmnopabcdefghijklmnop";
const ORIGINS = ["http://127.0.0.1:1880", "https://nodered.corp.example"];
const flow = [{ id: "t1", type: "tab" }, { id: "n1", type: "http in", z: "t1", url: "/x" }];
const tabSender = (over = {}) => ({ id: ID, tab: { id: 7 }, frameId: 0, origin: "http://127.0.0.1:1880", url: "http://127.0.0.1:1880/#flow/t1", ...over });

test("origins: only http(s) scheme://host[:port], normalised; never a wildcard or a path", () => {
  assert.equal(P.normalizeOrigin("https://NodeRed.corp.example/"), "https://nodered.corp.example");
  assert.equal(P.normalizeOrigin("http://127.0.0.1:1880"), "http://127.0.0.1:1880");
  for (const bad of ["<all_urls>", "*://*/*", "https://*.corp.example", "https://x.example/path", "ftp://x.example",
    "https://u:p@x.example", "https://x.example/?q", "javascript:alert(1)", "", 42, null, "x".repeat(3000)]) {
    assert.equal(P.normalizeOrigin(bad), null, String(bad));
  }
  assert.equal(P.originPattern("https://nodered.corp.example"), "https://nodered.corp.example/*");
  assert.equal(P.originPattern("https://*"), null);
});

test("flow messages: the exact shape is accepted and copied, extra fields dropped", () => {
  const m = P.flowMessage({ channel: P.CHANNEL, type: "flow", revision: 3, flow, to: "extension", evil: "<x>" });
  assert.deepEqual(m, { channel: P.CHANNEL, type: "flow", revision: 3, flow });
});

test("malformed flow messages are ignored", () => {
  const ok = { channel: P.CHANNEL, type: "flow", revision: 1, flow };
  const bad = [
    null, undefined, "flow", 42, [], {},
    { ...ok, channel: "other" }, { ...ok, type: "badges" }, { ...ok, revision: -1 }, { ...ok, revision: 1.5 },
    { ...ok, revision: "1" }, { ...ok, flow: "[]" }, { ...ok, flow: {} }, { ...ok, flow: [null] }, { ...ok, flow: [[]] },
    { ...ok, flow: [{ type: "x" }] }, { ...ok, flow: [{ id: 5, type: "x" }] }, { ...ok, flow: [{ id: "", type: "x" }] },
    { ...ok, flow: [{ id: "a", type: 3 }] }, { ...ok, flow: [{ id: "a".repeat(300), type: "x" }] },
    { ...ok, flow: Array.from({ length: P.LIMITS.nodes + 1 }, (_, i) => ({ id: `n${i}`, type: "x" })) },
    { ...ok, flow: [{ id: "a", type: "x", blob: "y".repeat(P.LIMITS.bytes) }] },
  ];
  for (const m of bad) assert.equal(P.flowMessage(m), null, JSON.stringify(m)?.slice(0, 120));
  const cyclic = { id: "c", type: "x" };
  cyclic.self = cyclic;
  assert.equal(P.flowMessage({ ...ok, flow: [cyclic] }), null, "a cyclic node is ignored, not thrown");
});

test("badges, reveal and request-flow messages: exact shapes only", () => {
  const badges = { channel: P.CHANNEL, type: "badges", revision: 2, badges: [{ id: "n1", count: 2, level: "deny", extra: 1 }] };
  assert.deepEqual(P.toPage(badges), { channel: P.CHANNEL, type: "badges", revision: 2, badges: [{ id: "n1", count: 2, level: "deny" }] });
  assert.deepEqual(P.toPage({ channel: P.CHANNEL, type: "reveal", id: "n1" }), { channel: P.CHANNEL, type: "reveal", id: "n1" });
  assert.deepEqual(P.toPage({ channel: P.CHANNEL, type: "request-flow" }), { channel: P.CHANNEL, type: "request-flow" });
  const bad = [
    { ...badges, badges: [{ id: "n1", count: 0, level: "deny" }] },
    { ...badges, badges: [{ id: "n1", count: 2, level: "fatal" }] },
    { ...badges, badges: [{ id: "n1", count: "2", level: "deny" }] },
    { ...badges, badges: [{ count: 2, level: "deny" }] },
    { ...badges, badges: "n1" },
    { ...badges, revision: null },
    { channel: P.CHANNEL, type: "reveal", id: 3 },
    { channel: P.CHANNEL, type: "reveal" },
    { channel: "x", type: "request-flow" },
    { channel: P.CHANNEL, type: "flow", revision: 1, flow }, // a flow is never sent to a page
    { channel: P.CHANNEL, type: "eval", code: "alert(1)" },
  ];
  for (const m of bad) assert.equal(P.toPage(m), null, JSON.stringify(m));
});

test("a tab's message is accepted only from this extension's content script, top frame, configured origin", () => {
  assert.equal(P.senderIsTab(tabSender(), ID, ORIGINS), true);
  assert.equal(P.senderIsTab(tabSender({ origin: undefined }), ID, ORIGINS), true, "falls back to the sender URL");
  for (const s of [
    tabSender({ id: "another-extension" }),
    tabSender({ frameId: 3 }),
    tabSender({ tab: undefined }),
    tabSender({ tab: { id: -1 } }),
    tabSender({ origin: "http://127.0.0.1:1881", url: "http://127.0.0.1:1881/" }),
    tabSender({ origin: "https://evil.example", url: "https://evil.example/" }),
    tabSender({ origin: undefined, url: "not a url" }),
    null, "tab", {},
  ]) assert.equal(P.senderIsTab(s, ID, ORIGINS), false, JSON.stringify(s));
  assert.equal(P.senderIsTab(tabSender(), ID, []), false, "no origin configured: nothing accepted");
});

test("the relay accepts only messages from this extension's own pages (no tab)", () => {
  assert.equal(P.senderIsExtension({ id: ID, url: `chrome-extension://${ID}/panel.html` }, ID), true);
  assert.equal(P.senderIsExtension({ id: ID, tab: { id: 1 } }, ID), false, "another tab's content script");
  assert.equal(P.senderIsExtension({ id: "other" }, ID), false);
  assert.equal(P.senderIsExtension(null, ID), false);
});

test("window messages count only from the same window and origin", () => {
  const win = { location: { origin: "http://127.0.0.1:1880" } };
  assert.equal(P.windowMessageFromPage({ source: win, origin: "http://127.0.0.1:1880" }, win), true);
  assert.equal(P.windowMessageFromPage({ source: {}, origin: "http://127.0.0.1:1880" }, win), false, "a frame");
  assert.equal(P.windowMessageFromPage({ source: win, origin: "https://evil.example" }, win), false);
  assert.equal(P.windowMessageFromPage(null, win), false);
});

test("levels order deny > approval > warn > info", () => {
  assert.equal(P.maxLevel("warn", "deny"), "deny");
  assert.equal(P.maxLevel("approval", "info"), "approval");
  assert.equal(P.maxLevel("info", "info"), "info");
});
