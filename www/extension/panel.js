// Parapet extension: the side panel. It runs the engine (wasm, allowed here by the extension
// pages' CSP 'wasm-unsafe-eval'), hosts the yew widget, sends badges to the editor tab and asks
// it to reveal a node. Flows arrive only from this extension's relay on a configured origin
// (protocol.js). Nothing leaves the browser except an approval the user requests in the widget.
import "./protocol.js";
import init, { Engine, mountWidget } from "./vendor/parapet.js";
import { load } from "./settings.js";

const P = globalThis.ParapetProtocol;
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const MAX_EXPORT = 8 * 1024 * 1024;

let settings = await load();
await init();
const widget = mountWidget($("guard"), {
  ...(settings.edgeUrl ? { approvalEndpoint: settings.edgeUrl } : {}),
  ...(settings.requester ? { requester: settings.requester } : {}),
  ...(params.get("now") ? { now: params.get("now") } : {}),
});

/** The tab this panel follows: ?tab= (opened as a page), else the active tab of its window. */
let tabId = params.has("tab") ? Number(params.get("tab")) : null;
const fixedTab = tabId !== null;
let mode = "editor"; // or "export" (a pasted or dropped export)
let current = null; // { flow, report, byPointer }
const latest = new Map(); // tabId -> last flow message (a few tabs)
const stats = { evaluated: 0, lastRevision: -1, lastMs: 0 };
window.parapetPanel = { stats };

function nodeOf(finding, flow) {
  const node = finding.node;
  if (node && (typeof node.id === "string" || typeof node.id === "number")) {
    return { id: String(node.id), name: node.name ?? "", type: node.type ?? "" };
  }
  const first = /^\/(\d+)(?:\/|$)/.exec(finding.path ?? "");
  const n = first && Array.isArray(flow) ? flow[Number(first[1])] : null;
  return n && typeof n.id === "string" ? { id: n.id, name: n.name ?? "", type: n.type ?? "" } : null;
}

/**
 * One engine per tier: a tier is the policy pack's `defaults.tier` (the tier of a vendor export
 * that states none), so the widget and the badges agree. An engine without that field keeps the
 * built-in pack.
 */
const engines = new Map();
function packFor(tier) {
  return tier ? { defaults: { tier } } : null;
}
function engineFor(tier) {
  let e = engines.get(tier);
  if (!e) {
    try {
      e = tier ? new Engine(packFor(tier)) : new Engine();
    } catch {
      e = engines.get("") ?? new Engine();
    }
    engines.set(tier, e);
  }
  return e;
}

function evaluate(value, tier) {
  // The engine takes text (or a manifest object, not an array): a flow goes in as its JSON.
  const input = typeof value === "string" ? value : JSON.stringify(value);
  return engineFor(tier ?? "").evaluate(input);
}

function applyWidgetTier() {
  try {
    widget.setPolicy(packFor(settings.tier));
  } catch {
    // an engine without tiers: the built-in pack
  }
}
applyWidgetTier();

/** One evaluation, or one per Node-RED flow (tab) when the options give that flow a tier. */
function evaluateFlow(flow) {
  const tabs = flow.filter((n) => n.type === "tab" && settings.flowTiers[n.id]);
  if (!tabs.length) return [{ flow, report: evaluate(flow, settings.tier) }];
  const groups = new Map([["", []]]);
  for (const t of tabs) groups.set(t.id, []);
  for (const n of flow) {
    const key = groups.has(n.z) ? n.z : groups.has(n.id) && n.type === "tab" ? n.id : "";
    groups.get(key).push(n);
  }
  const shared = flow.filter((n) => !n.z && n.type !== "tab"); // config nodes: every group sees them
  const out = [];
  for (const [key, nodes] of groups) {
    if (!nodes.length) continue;
    const part = key ? [...nodes, ...shared] : nodes;
    out.push({ flow: part, report: evaluate(part, key ? settings.flowTiers[key] : settings.tier) });
  }
  return out;
}

function summarise(parts) {
  const nodes = new Map();
  const byPointer = new Map();
  for (const { flow, report } of parts) {
    for (const f of report.findings ?? []) {
      if (f.level === "off" || f.waived_by || f.waivedBy) continue;
      const node = nodeOf(f, flow);
      if (!node) continue;
      if (parts.length === 1) byPointer.set(f.path, node.id);
      const entry = nodes.get(node.id) ?? { id: node.id, name: node.name ?? "", type: node.type ?? "", count: 0, level: "info", messages: [] };
      entry.count += 1;
      entry.level = P.maxLevel(f.level, entry.level);
      if (entry.messages.length < 5) entry.messages.push(`${f.rule}: ${f.message}`);
      nodes.set(node.id, entry);
    }
  }
  return { nodes, byPointer };
}

function renderNodes(nodes) {
  const list = $("nodes");
  const items = [...nodes.values()].sort((a, b) => P.LEVELS.indexOf(b.level) - P.LEVELS.indexOf(a.level) || b.count - a.count);
  list.replaceChildren(...items.map((n) => {
    const li = document.createElement("li");
    li.dataset.node = n.id;
    li.dataset.level = n.level;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reveal";
    button.disabled = mode !== "editor";
    const title = document.createElement("strong");
    title.textContent = n.name || n.type || n.id;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = ` ${n.type} · ${n.count} finding${n.count === 1 ? "" : "s"} · ${n.level}`;
    button.append(title, meta);
    button.addEventListener("click", () => reveal(n.id));
    const ul = document.createElement("ul");
    for (const m of n.messages) {
      const item = document.createElement("li");
      item.textContent = m; // engine messages are redacted; text only, never HTML
      ul.append(item);
    }
    li.append(button, ul);
    return li;
  }));
  list.dataset.count = String(items.length);
  $("nodes-empty").hidden = items.length > 0;
}

function send(message) {
  if (tabId === null) return;
  chrome.tabs.sendMessage(tabId, message).catch(() => {});
}

function reveal(id) {
  if (mode === "editor") send({ channel: P.CHANNEL, type: "reveal", id });
}

function onFlow(message) {
  const t0 = performance.now();
  const parts = evaluateFlow(message.flow);
  const { nodes, byPointer } = summarise(parts);
  const badges = [...nodes.values()].map(({ id, count, level }) => ({ id, count, level }));
  send({ channel: P.CHANNEL, type: "badges", revision: message.revision, badges });
  current = { flow: message.flow, byPointer };
  stats.evaluated += 1;
  stats.lastRevision = message.revision;
  stats.lastMs = performance.now() - t0;
  renderNodes(nodes);
  document.body.dataset.revision = String(message.revision);
  // The widget evaluates the same flow for its own view (after the badges went out).
  setTimeout(() => {
    if (mode === "editor" && current?.flow === message.flow) widget.update(JSON.stringify(message.flow));
  }, 0);
}

chrome.runtime.onMessage.addListener((message, sender) => {
  if (!P.senderIsTab(sender, chrome.runtime.id, settings.origins)) return;
  const flow = P.flowMessage(message);
  if (!flow) return;
  latest.set(sender.tab.id, flow);
  if (latest.size > 8) latest.delete(latest.keys().next().value);
  if (sender.tab.id !== tabId) return;
  $("source").textContent = `Node-RED editor at ${P.normalizeOrigin(sender.origin ?? new URL(sender.url).origin)}`;
  if (mode === "editor") onFlow(flow);
});

// A click on a finding in the widget reveals its node on the canvas.
$("guard").addEventListener("parapet:focus", (event) => {
  const pointer = event.detail?.pointer;
  if (typeof pointer !== "string" || !current) return;
  const id = current.byPointer.get(pointer) ?? nodeOf({ path: pointer }, current.flow)?.id;
  if (id) reveal(id);
});

async function follow(id) {
  tabId = id;
  const cached = latest.get(id);
  if (cached && mode === "editor") onFlow(cached);
  send({ channel: P.CHANNEL, type: "request-flow" });
}

if (!fixedTab) {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (tab) follow(tab.id);
  chrome.tabs.onActivated.addListener(({ tabId: id }) => follow(id));
} else {
  follow(tabId);
}

chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area !== "local" || !changes.settings) return;
  settings = await load();
  engines.clear();
  applyWidgetTier();
  send({ channel: P.CHANNEL, type: "request-flow" });
});

// ---- pasted or dropped exports (n8n, Power Automate, Make, ...): the same adapters.
function checkExport(text) {
  if (typeof text !== "string" || !text.trim()) return;
  if (text.length > MAX_EXPORT) {
    $("source").textContent = "That export is over 8 MiB: not checked.";
    return;
  }
  mode = "export";
  $("back-to-editor").hidden = false;
  $("source").textContent = "Checking a pasted export (the editor is not followed).";
  const report = evaluate(text, settings.tier);
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // YAML or not JSON: findings without a node are listed by the widget only.
  }
  current = { flow: parsed, byPointer: new Map() };
  renderNodes(summarise([{ flow: Array.isArray(parsed) ? parsed : null, report }]).nodes);
  widget.update(text);
}

$("check-export").addEventListener("click", () => checkExport($("export-text").value));
$("back-to-editor").addEventListener("click", () => {
  mode = "editor";
  $("back-to-editor").hidden = true;
  $("export-text").value = "";
  if (tabId !== null) follow(tabId);
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer?.files?.[0];
  if (!file) return checkExport(e.dataTransfer?.getData("text/plain"));
  if (file.size > MAX_EXPORT) return checkExport("x".repeat(MAX_EXPORT + 1));
  checkExport(await file.text());
});

document.documentElement.dataset.ready = "true";
