// Flowbench: a small low-code builder with the Parapet widget docked beside it.
// Every edit updates the manifest object and calls `widget.update(manifest)`; the widget
// evaluates it in the browser (Rust, WebAssembly) and shows the policy feedback. Clicking a
// finding fires `parapet:focus`, and the builder highlights the field.
//
// URL parameters: preset=<file in presets/>, approvals=<approval endpoint, default this origin>,
// requester=<who asks>, now=<YYYY-MM-DD>.
import init, * as parapet from "/pkg/widget.js";
import { lineOf, pointerJoin, toJson, toYaml } from "./text.js";

const PRESETS = [
  { file: "sandbox-prototype.yaml", label: "Lunch orders (sandbox)" },
  { file: "controlled-expense-report.yaml", label: "Expense helper (controlled)" },
  { file: "controlled-hr-bot.yaml", label: "HR approvals bot (controlled)" },
  { file: "production-payments-sync.yaml", label: "Payments sync (production)" },
  { file: "sandbox-marketing-leads.json", label: "Marketing leads (sandbox, JSON)" },
  { file: "", label: "Blank app" },
];
const BLANK = {
  apiVersion: "parapet.dev/v1",
  kind: "MicroApp",
  metadata: { name: "my-new-app", title: "My new app" },
  spec: { tier: "sandbox", owner: "user:jane.doe", dataClassification: "internal", data: [{ name: "records", fields: [] }], connectors: [], triggers: [] },
};
const CONNECTOR_TYPES = ["http", "saas", "database", "email", "chat", "storage", "webhook", "other"];
const AUTHS = ["none", "basic", "apiKey", "oauth2", "secretRef"];
const TRIGGER_TYPES = ["webhook", "schedule", "event", "manual", "form"];
const TRIGGER_AUTHS = ["none", "token", "hmac", "oauth2", "sso"];

const params = new URLSearchParams(location.search);
const $ = (selector, root = document) => root.querySelector(selector);

let manifest = structuredClone(BLANK);
let widget = null;
let source = { text: "", lines: new Map() };
let designerStale = false;

// ---------------------------------------------------------------- small DOM helpers

/** An element with attributes and children; text children become text nodes (never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "value") el.value = v;
    else if (k === "checked") el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

function select(pointer, value, options, label) {
  const s = h("select", { "data-pointer": pointer, "data-kind": "text", "aria-label": label });
  const values = options.includes(value) || value === undefined ? options : [value, ...options];
  for (const o of values) s.append(h("option", { value: o }, o));
  s.value = value ?? options[0];
  return s;
}

// ---------------------------------------------------------------- the manifest model

function tokens(pointer) {
  return pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function getAt(pointer) {
  let node = manifest;
  for (const t of tokens(pointer)) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[t];
  }
  return node;
}

/** Sets (or, for `undefined`, deletes) the value at a pointer, creating objects on the way. */
function setAt(pointer, value) {
  const path = tokens(pointer);
  let node = manifest;
  for (const t of path.slice(0, -1)) {
    if (node[t] === null || typeof node[t] !== "object") node[t] = {};
    node = node[t];
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else {
    node[last] = value;
  }
}

function valueOf(input) {
  const raw = input.type === "checkbox" ? input.checked : input.value;
  switch (input.dataset.kind) {
    case "bool": return raw;
    case "number": {
      if (raw.trim() === "") return undefined;
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case "list": {
      const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
      return items.length ? items : undefined;
    }
    default: return raw === "" ? undefined : raw;
  }
}

function dataset() {
  if (!Array.isArray(manifest.spec.data) || manifest.spec.data.length === 0) {
    manifest.spec.data = [{ name: "records", fields: [] }];
  }
  const first = manifest.spec.data[0];
  if (!Array.isArray(first.fields)) first.fields = [];
  return first;
}

// ---------------------------------------------------------------- the designer

function renderFields() {
  const box = $("#fields");
  box.replaceChildren();
  const fields = Array.isArray(manifest.spec?.data?.[0]?.fields) ? manifest.spec.data[0].fields : [];
  fields.forEach((f, i) => {
    const p = `/spec/data/0/fields/${i}`;
    const samples = Array.isArray(f.samples) ? f.samples.join(", ") : "";
    box.append(h("div", { class: "row", "data-pointer": p },
      h("label", {}, "Field name", h("input", { "data-pointer": `${p}/name`, "data-kind": "text", value: f.name ?? "", spellcheck: "false" })),
      h("label", {}, "Sample values", h("input", { "data-pointer": `${p}/samples`, "data-kind": "list", value: samples, placeholder: "comma, separated" })),
      h("button", { type: "button", class: "remove", "data-remove": p, "aria-label": `Remove field ${f.name ?? i + 1}` }, "Remove"),
    ));
  });
}

function headerRows(connectorPointer, headers) {
  const rows = h("div", { class: "headers", "data-headers": connectorPointer, "data-pointer": `${connectorPointer}/headers` },
    h("span", { class: "headers-title" }, "Headers"));
  const entries = headers && typeof headers === "object" ? Object.entries(headers) : [];
  entries.forEach(([k, v], i) => rows.append(headerRow(connectorPointer, k, v, i)));
  rows.append(h("button", { type: "button", class: "add", "data-add-header": connectorPointer }, "+ Header"));
  return rows;
}

function headerRow(connectorPointer, key, value, i) {
  const p = key ? pointerJoin(`${connectorPointer}/headers`, key) : `${connectorPointer}/headers`;
  return h("div", { class: "header-row" },
    h("input", { class: "header-key", "aria-label": `Header ${i + 1} name`, value: key, placeholder: "Name", spellcheck: "false" }),
    h("input", { class: "header-value", "data-pointer": p, "aria-label": `Header ${i + 1} value`, value: value ?? "", placeholder: "Value", spellcheck: "false" }),
    h("button", { type: "button", class: "remove", "data-remove-header": "", "aria-label": `Remove header ${i + 1}` }, "×"),
  );
}

function renderConnectors() {
  const box = $("#connectors");
  box.replaceChildren();
  const connectors = Array.isArray(manifest.spec?.connectors) ? manifest.spec.connectors : [];
  connectors.forEach((c, i) => {
    const p = `/spec/connectors/${i}`;
    box.append(h("div", { class: "connector", "data-pointer": p },
      h("div", { class: "connector-head" },
        h("span", {}, `Connector ${i + 1}`),
        h("button", { type: "button", class: "remove", "data-remove": p, "aria-label": `Remove connector ${c.name ?? i + 1}` }, "Remove")),
      h("div", { class: "grid" },
        h("label", {}, "Name", h("input", { "data-pointer": `${p}/name`, "data-kind": "text", value: c.name ?? "", spellcheck: "false" })),
        h("label", {}, "Service", h("input", { "data-pointer": `${p}/service`, "data-kind": "text", value: c.service ?? "", spellcheck: "false" })),
        h("label", {}, "Type", select(`${p}/type`, c.type, CONNECTOR_TYPES, "Type")),
        h("label", {}, "URL", h("input", { "data-pointer": `${p}/url`, "data-kind": "text", value: c.url ?? "", type: "url", spellcheck: "false" })),
        h("label", {}, "Authentication", select(`${p}/auth`, c.auth, AUTHS, "Authentication"))),
      headerRows(p, c.headers),
    ));
  });
}

function renderTriggers() {
  const box = $("#triggers");
  box.replaceChildren();
  const triggers = Array.isArray(manifest.spec?.triggers) ? manifest.spec.triggers : [];
  triggers.forEach((t, i) => {
    const p = `/spec/triggers/${i}`;
    box.append(h("div", { class: "row trigger", "data-pointer": p },
      h("label", {}, "Name", h("input", { "data-pointer": `${p}/name`, "data-kind": "text", value: t.name ?? "", spellcheck: "false" })),
      h("label", {}, "Type", select(`${p}/type`, t.type, TRIGGER_TYPES, "Type")),
      h("label", { class: "check" }, h("input", { type: "checkbox", "data-pointer": `${p}/public`, "data-kind": "bool", checked: t.public === true }), "Public"),
      h("label", {}, "Auth", select(`${p}/auth`, t.auth, TRIGGER_AUTHS, "Auth")),
      h("button", { type: "button", class: "remove", "data-remove": p, "aria-label": `Remove trigger ${t.name ?? i + 1}` }, "Remove"),
    ));
  });
}

function renderDesigner() {
  manifest.metadata ??= {};
  manifest.spec ??= {};
  for (const input of document.querySelectorAll("#panel-designer > fieldset > .grid [data-pointer]")) {
    const v = getAt(input.dataset.pointer);
    if (input.tagName === "SELECT") {
      if (v !== undefined && ![...input.options].some((o) => o.value === String(v))) input.append(h("option", { value: String(v) }, String(v)));
      input.value = v === undefined ? (input.dataset.pointer === "/spec/dataClassification" ? "" : input.options[0].value) : String(v);
    } else {
      input.value = v === undefined || v === null ? "" : String(v);
    }
  }
  renderFields();
  renderConnectors();
  renderTriggers();
  designerStale = false;
}

/** The headers object of one connector, rebuilt from its rows (keys can be renamed). */
function syncHeaders(container) {
  const connectorPointer = container.dataset.headers;
  const headers = {};
  for (const row of container.querySelectorAll(".header-row")) {
    const key = $(".header-key", row).value.trim();
    const valueInput = $(".header-value", row);
    valueInput.dataset.pointer = key ? pointerJoin(`${connectorPointer}/headers`, key) : `${connectorPointer}/headers`;
    if (key) headers[key] = valueInput.value;
  }
  setAt(`${connectorPointer}/headers`, Object.keys(headers).length ? headers : undefined);
}

// ---------------------------------------------------------------- checking

/**
 * Re-evaluates. `since` is the input event's time: two measures for the benchmark,
 * "parapet:update" (keystroke → widget DOM updated; yew renders in a microtask) and
 * "parapet:frame" (keystroke → the next animation frame, vsync wait included).
 */
function check(since) {
  $("#crumb-name").textContent = manifest.metadata?.name || "new app";
  widget.update(manifest);
  if (since !== undefined) measure(since);
}

function measure(since) {
  queueMicrotask(() => performance.measure("parapet:update", { start: since, end: performance.now() }));
  requestAnimationFrame(() => performance.measure("parapet:frame", { start: since, end: performance.now() }));
}

function onDesignerInput(event) {
  const el = event.target;
  if (el.classList.contains("header-key") || el.classList.contains("header-value")) {
    syncHeaders(el.closest("[data-headers]"));
  } else if (el.dataset.pointer && el.dataset.kind) {
    if (el.dataset.pointer.startsWith("/spec/data/0/")) dataset();
    setAt(el.dataset.pointer, valueOf(el));
  } else {
    return;
  }
  check(event.timeStamp);
}

function onDesignerClick(event) {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.id === "add-field") {
    dataset().fields.push({ name: "", type: "string" });
    renderFields();
    $("#fields .row:last-child input")?.focus();
  } else if (button.id === "add-connector") {
    (manifest.spec.connectors ??= []).push({ name: `connector-${manifest.spec.connectors.length + 1}`, type: "http", service: "", url: "https://", auth: "oauth2" });
    renderConnectors();
    $("#connectors .connector:last-child input")?.focus();
  } else if (button.id === "add-trigger") {
    (manifest.spec.triggers ??= []).push({ name: `trigger-${manifest.spec.triggers.length + 1}`, type: "manual" });
    renderTriggers();
    $("#triggers .row:last-child input")?.focus();
  } else if (button.dataset.addHeader !== undefined) {
    const rows = button.closest("[data-headers]");
    const n = rows.querySelectorAll(".header-row").length;
    const row = headerRow(button.dataset.addHeader, "", "", n);
    button.before(row);
    $(".header-key", row).focus();
    return; // nothing changes until the header has a name
  } else if (button.dataset.removeHeader !== undefined) {
    const rows = button.closest("[data-headers]");
    button.closest(".header-row").remove();
    syncHeaders(rows);
  } else if (button.dataset.remove) {
    setAt(button.dataset.remove, undefined);
    renderDesigner();
  } else {
    return;
  }
  check();
}

// ---------------------------------------------------------------- the YAML / JSON tab

function format() {
  return $('input[name="format"]:checked').value;
}

function renderSource() {
  source = format() === "json" ? toJson(manifest) : toYaml(manifest);
  $("#manifest-text").value = source.text;
  $("#source-status").textContent = "";
}

function onSourceInput(event) {
  const text = event.target.value;
  widget.update(text); // the widget reads YAML or JSON text as it is
  try {
    manifest = parapet.parseManifest(text);
    if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) throw new Error("not a mapping");
    designerStale = true;
    $("#source-status").textContent = "";
  } catch {
    $("#source-status").textContent = "The designer will update once the text can be read.";
  }
  measure(event.timeStamp);
}

const TABS = ["designer", "source", "import"];

function showTab(name) {
  for (const t of TABS) {
    $(`#tab-${t}`).setAttribute("aria-selected", String(t === name));
    $(`#tab-${t}`).tabIndex = t === name ? 0 : -1;
    $(`#panel-${t}`).hidden = t !== name;
  }
  if (name === "designer" && designerStale) renderDesigner();
  if (name === "source") renderSource();
  if (name === "import") checkImport();
}

// ---------------------------------------------------------------- the import tab

const FORMAT_NAMES = {
  n8n: "n8n workflow",
  "node-red": "Node-RED flow",
  "power-automate": "Power Automate flow",
  "logic-apps": "Logic Apps workflow",
  make: "Make scenario",
  backstage: "Backstage entity",
  parapet: "Parapet manifest",
  unknown: "unrecognised document",
};
let importEngine = null;
let importTimer = 0;

/** Checks the pasted export and lists its findings by vendor node (text only, never HTML). */
function checkImport() {
  const text = $("#import-text").value;
  const list = $("#import-nodes");
  list.replaceChildren();
  if (!text.trim()) {
    $("#import-status").textContent = "";
    return null;
  }
  importEngine ??= new parapet.Engine();
  const tier = $("#import-tier").value;
  const report = importEngine.evaluate(text, { now: params.get("now") ?? undefined, ...(tier && { tier }) });
  const groups = new Map();
  for (const f of report.findings) {
    const key = f.node ? `${f.node.id}\u0000${f.node.name}\u0000${f.node.type}` : "";
    if (!groups.has(key)) groups.set(key, { node: f.node ?? null, findings: [] });
    groups.get(key).findings.push(f);
  }
  const count = report.findings.filter((f) => f.level !== "info").length;
  $("#import-status").textContent =
    `${FORMAT_NAMES[report.input.format] ?? report.input.format}, ${report.app.tier ?? "no"} tier: ` +
    `${report.verdict} (${count} finding${count === 1 ? "" : "s"})`;
  for (const { node, findings } of groups.values()) {
    const title = node ? `${node.name || node.id} · ${node.type}` : "The whole export";
    const items = findings.map((f) =>
      h("li", { class: `import-finding level-${f.level}`, "data-line": f.location.line },
        h("span", { class: "import-level" }, f.level),
        h("code", {}, f.rule),
        ` line ${f.location.line}: ${f.message}`));
    list.append(h("li", { class: "import-node", "data-node-id": node?.id ?? "" },
      h("strong", {}, title), h("ul", {}, items)));
  }
  return report;
}

function scheduleImport() {
  clearTimeout(importTimer);
  importTimer = setTimeout(checkImport, 150);
}

async function readImportFile(file) {
  if (!file) return;
  $("#import-text").value = await file.text();
  checkImport();
}

// ---------------------------------------------------------------- parapet:focus

function highlight(el) {
  el.classList.add("parapet-highlight");
  setTimeout(() => el.classList.remove("parapet-highlight"), 2500);
}

/** Takes the person to the field a finding is about: the form field, else the text line. */
function focusPointer(pointer) {
  if (!$("#panel-designer").hidden || designerStale === false) {
    let p = pointer;
    for (;;) {
      const target = p ? document.querySelector(`#panel-designer [data-pointer="${CSS.escape(p)}"]`) : null;
      if (target && p !== "/spec" && p !== "/metadata") {
        showTab("designer");
        const input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
        target.scrollIntoView({ block: "center", behavior: "smooth" });
        (input ?? target).focus({ preventScroll: true });
        highlight(input ?? target);
        return;
      }
      const cut = p.lastIndexOf("/");
      if (cut <= 0) break;
      p = p.slice(0, cut);
    }
  }
  // Not in the designer (SLA, export, permissions, exceptions, ...): the line in the text.
  showTab("source");
  const area = $("#manifest-text");
  const line = lineOf(source.lines, pointer);
  const starts = [0];
  for (let i = 0; i < area.value.length; i++) if (area.value[i] === "\n") starts.push(i + 1);
  const start = starts[line - 1] ?? 0;
  const end = (starts[line] ?? area.value.length + 1) - 1;
  area.focus();
  area.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 19;
  area.scrollTop = Math.max(0, (line - 5) * lineHeight);
  highlight(area);
}

// ---------------------------------------------------------------- presets

async function loadPreset(file) {
  if (!file) {
    manifest = structuredClone(BLANK);
  } else {
    const response = await fetch(`presets/${file}`);
    if (!response.ok) throw new Error(`presets/${file}: ${response.status}`);
    manifest = parapet.parseManifest(await response.text());
  }
  renderDesigner();
  if (!$("#panel-source").hidden) renderSource();
  check();
}

// ---------------------------------------------------------------- signed waivers

let trusted = null;

/**
 * The approval service's public keys (GET /v1/keys) become the pack's trusted keys. Fetched
 * once, when the first waiver is applied (pages without a service never ask for them).
 */
function trustServiceKeys(origin) {
  trusted ??= fetchKeys(origin);
  return trusted;
}

async function fetchKeys(origin) {
  try {
    const r = await fetch(new URL("/v1/keys", origin));
    if (!r.ok) return;
    const jwks = await r.json();
    if (Array.isArray(jwks?.keys) && jwks.keys.length) widget.setPolicy({ approvals: { trustedKeys: jwks } });
  } catch {
    // No service, or it signs nothing: signed waivers then show as invalid-signature.
  }
}

async function applyWaiver(entries) {
  if (!Array.isArray(entries) || entries.length === 0) return;
  await trustServiceKeys(params.get("approvals") ?? location.origin);
  manifest.spec ??= {};
  const rules = new Set(entries.map((x) => x.rule));
  const kept = (manifest.spec.exceptions ?? []).filter((x) => !rules.has(x?.rule));
  manifest.spec.exceptions = [...kept, ...structuredClone(entries)];
  renderDesigner();
  if (!$("#panel-source").hidden) renderSource();
  check();
}

// ---------------------------------------------------------------- start

async function main() {
  await init();
  if (typeof parapet.mountWidget !== "function") {
    throw new Error("this build of the parapet package has no widget: build it with `npm run build`");
  }
  const guardEl = $("#guard");
  widget = parapet.mountWidget(guardEl, {
    approvalEndpoint: params.get("approvals") ?? location.origin,
    requester: params.get("requester") ?? "jane.doe@corp.example",
    now: params.get("now") ?? undefined,
  });
  guardEl.addEventListener("parapet:focus", (e) => focusPointer(e.detail.pointer));
  // "Apply approval": the signed waiver's exception entries go into the app, replacing older
  // entries for the same rules; the engine verifies them against the service's keys.
  guardEl.addEventListener("parapet:waiver", (e) => applyWaiver(e.detail?.exceptions));

  const presetSelect = $("#preset");
  const initial = params.get("preset") ?? "controlled-hr-bot.yaml";
  for (const p of PRESETS) presetSelect.append(h("option", { value: p.file }, p.label));
  presetSelect.value = PRESETS.some((p) => p.file === initial) ? initial : PRESETS[0].file;
  presetSelect.addEventListener("change", () => loadPreset(presetSelect.value));

  const form = $("#panel-designer");
  form.addEventListener("input", onDesignerInput);
  form.addEventListener("click", onDesignerClick);
  form.addEventListener("submit", (e) => e.preventDefault());
  $("#manifest-text").addEventListener("input", onSourceInput);
  for (const radio of document.querySelectorAll('input[name="format"]')) radio.addEventListener("change", renderSource);
  for (const t of TABS) $(`#tab-${t}`).addEventListener("click", () => showTab(t));
  $(".tabs").addEventListener("keydown", (e) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    const at = TABS.findIndex((t) => $(`#tab-${t}`).getAttribute("aria-selected") === "true");
    const next = TABS[(at + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
    showTab(next);
    $(`#tab-${next}`).focus();
  });
  $("#import-text").addEventListener("input", scheduleImport);
  $("#import-tier").addEventListener("change", checkImport);
  $("#import-file").addEventListener("change", (e) => readImportFile(e.target.files?.[0]));
  const area = $("#import-text");
  area.addEventListener("dragover", (e) => e.preventDefault());
  area.addEventListener("drop", (e) => {
    e.preventDefault();
    readImportFile(e.dataTransfer?.files?.[0]);
  });

  await loadPreset(presetSelect.value);
  // For tests and the benchmark: the widget handle and the model.
  window.parapetDemo = { widget, loadPreset, checkImport, get manifest() { return manifest; }, set manifest(m) { manifest = m; renderDesigner(); check(); } };
  document.documentElement.dataset.ready = "true";
}

main().catch((error) => {
  console.error(error);
  document.documentElement.dataset.ready = "error";
  $("#guard").textContent = `The policy check could not start: ${error.message}`;
});
