// The platform team's catalog page: overview tiles and charts (GET /v1/metrics as JSON), the app
// table with filters and cursor paging (GET /v1/catalog), and an app's detail with its verdict
// history (GET /v1/catalog/{name}). Plain ES modules; every value from the API is set as text.

import { bars, columns, stackedBars, verdictTimeline, VERDICT_COLOURS } from "./charts.js";

const API = "/v1";
const $ = (sel) => document.querySelector(sel);
const VERDICT_LABEL = { allow: "Allow", warn: "Warn", approval: "Needs approval", deny: "Deny" };
const TIER_LABEL = { sandbox: "Sandbox", controlled: "Controlled", production: "Production" };
const LEVEL_COLOURS = { deny: VERDICT_COLOURS.deny, approval: VERDICT_COLOURS.approval, warn: VERDICT_COLOURS.warn };

let next = null;
let listSeq = 0;

async function getJson(path) {
  const r = await fetch(API + path, { headers: { accept: "application/json" } });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const err = new Error(body?.detail ?? `HTTP ${r.status}`);
    err.status = r.status;
    throw err;
  }
  return body;
}

function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function verdictBadge(verdict) {
  const v = verdict ?? "unknown";
  return h("span", { class: `badge v-${v}`, text: VERDICT_LABEL[v] ?? "Not scanned" });
}

function when(iso) {
  if (!iso) return "never";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace("T", " ");
}

// ---------------------------------------------------------------------------------------------
// Overview

async function loadOverview() {
  const m = await getJson("/metrics");
  const ratio = m.production.apps ? Math.round((100 * m.production.attested) / m.production.apps) : 0;
  const tiles = [
    ["Apps", m.apps.total],
    ["Production apps attested", m.production.apps ? `${ratio}%` : "—"],
    ["Over budget", m.overBudget],
    ["Reviews overdue", m.reviewOverdue],
    ["Approvals pending", m.approvals.pending ?? "—"],
  ];
  $("#tiles").replaceChildren(...tiles.map(([label, value]) =>
    h("li", { class: "tile" }, h("span", { class: "tile-value", text: String(value) }), h("span", { class: "tile-label", text: label }))));

  const rows = ["production", "controlled", "sandbox"].map((tier) => ({
    label: TIER_LABEL[tier],
    values: Object.fromEntries(m.apps.byTierVerdict.filter((a) => a.tier === tier).map((a) => [a.verdict, a.apps])),
  }));
  stackedBars($("#chart-tiers"), {
    title: "Apps by tier and verdict",
    rows,
    series: ["deny", "approval", "warn", "allow"].map((k) => ({ key: k, label: VERDICT_LABEL[k], colour: VERDICT_COLOURS[k] })),
  });

  const byRule = new Map();
  for (const f of m.findings) {
    const cur = byRule.get(f.rule) ?? { value: 0, worst: "warn" };
    cur.value += f.findings;
    if (["warn", "approval", "deny"].indexOf(f.level) > ["warn", "approval", "deny"].indexOf(cur.worst)) cur.worst = f.level;
    byRule.set(f.rule, cur);
  }
  const top = [...byRule].sort((a, b) => b[1].value - a[1].value || a[0].localeCompare(b[0])).slice(0, 8);
  bars($("#chart-rules"), {
    title: "Top rules by unwaived findings",
    items: top.map(([rule, v]) => ({ label: rule, value: v.value, colour: LEVEL_COLOURS[v.worst] })),
  });

  columns($("#chart-approvals"), {
    title: "Approval requests per day, and how many of them were approved",
    items: (m.approvals.byDay ?? []).map((d) => ({ label: d.day.slice(5), a: d.requested, b: d.approved })),
    a: { label: "requested", colour: "#455a64" },
    b: { label: "approved", colour: VERDICT_COLOURS.allow },
  });
}

// ---------------------------------------------------------------------------------------------
// List

function filterQuery() {
  const form = $("#filters");
  const q = new URLSearchParams();
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") {
      if (el.checked) q.set(el.name, "true");
    } else if (el.value.trim() !== "" && !(el.name === "sort" && el.value === "name")) {
      q.set(el.name, el.value.trim());
    }
  }
  return q;
}

let shownQuery = null;

async function loadList({ append = false, force = false } = {}) {
  const q = filterQuery();
  const shareable = q.toString();
  // A text field's "change" fires again when focus leaves it: the rows (and the focus in them)
  // stay as they are when the filters did not change.
  if (!append && !force && shareable === shownQuery) return;
  shownQuery = shareable;
  const seq = ++listSeq;
  history.replaceState(null, "", `${location.pathname}${shareable ? `?${shareable}` : ""}${location.hash}`);
  q.set("limit", "25");
  if (append && next) q.set("cursor", next);
  let page;
  try {
    page = await getJson(`/catalog?${q}`);
  } catch (e) {
    if (seq !== listSeq) return;
    shownQuery = null;
    $("#status").textContent = `Could not load the apps: ${e.message}`;
    return;
  }
  if (seq !== listSeq) return; // a newer filter won
  const body = $("#apps tbody");
  const rows = page.apps.map((a) => {
    const link = h("a", { href: `#app/${encodeURIComponent(a.name)}`, text: a.title ?? a.name });
    const nameCell = h("th", { scope: "row" }, link);
    if (a.title) nameCell.append(h("span", { class: "name", text: a.name }));
    return h("tr", {},
      nameCell,
      h("td", { text: a.owner || "—" }),
      h("td", { text: TIER_LABEL[a.tier] ?? "—" }),
      h("td", {}, verdictBadge(a.verdict)),
      h("td", { class: "counts", text: `${a.counts.deny} / ${a.counts.approval} / ${a.counts.warn}` }),
      h("td", { text: when(a.lastScanned) }));
  });
  if (append) body.append(...rows);
  else body.replaceChildren(...rows);
  next = page.next;
  $("#more").hidden = !next;
  const shown = body.rows.length;
  $("#status").textContent = page.total === 0 ? "No apps match these filters." : `Showing ${shown} of ${page.total} apps.`;
}

// ---------------------------------------------------------------------------------------------
// Detail

async function showDetail(name) {
  $("#list-view").hidden = true;
  $("#overview").hidden = true;
  const view = $("#detail-view");
  view.hidden = false;
  const heading = $("#detail-heading");
  let app;
  try {
    app = await getJson(`/catalog/${encodeURIComponent(name)}`);
  } catch (e) {
    heading.textContent = e.status === 404 ? "No such app in the catalog" : `Could not load the app: ${e.message}`;
    for (const id of ["#detail-facts", "#detail-findings", "#detail-links", "#chart-history"]) $(id).replaceChildren();
    $("#history tbody").replaceChildren();
    heading.focus();
    return;
  }
  heading.replaceChildren(document.createTextNode(app.title ?? app.name), " ", verdictBadge(app.verdict));
  const cost = app.cost
    ? `${app.cost.actual ?? "?"} actual · ${app.cost.estimate ?? "?"} estimated · ${app.cost.budget ?? "?"} budget ${app.cost.currency ?? ""} per month`
    : "not declared";
  const facts = [
    ["Name", app.name],
    ["Owner", app.owner ?? "—"],
    ["Tier", TIER_LABEL[app.tier] ?? "—"],
    ["Platform", app.platform ?? "—"],
    ["Last scanned", when(app.lastScanned)],
    ["Cost", cost + (app.overBudget ? " (over budget)" : "")],
    ["Last review", (app.review?.lastReviewed ?? "never") + (app.reviewOverdue ? " (overdue)" : "")],
    ["Attestation", app.attestation?.id ?? "none"],
    ["Approval", app.approval ? `${app.approval.status} (${app.approval.id.slice(0, 8)}…)` : "none"],
    ["Exceptions", (app.exceptions ?? []).map((x) => `${x.rule}${x.expires ? ` until ${x.expires}` : ""}`).join(", ") || "none"],
  ];
  $("#detail-facts").replaceChildren(...facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: String(v) })]));
  $("#detail-links").replaceChildren(
    h("a", { href: `${API}/catalog/${encodeURIComponent(app.name)}/entity`, text: "Backstage entity (catalog-info.yaml)" }));
  const findings = (app.findings ?? []).filter((f) => f.level !== "info");
  $("#detail-findings").replaceChildren(...(findings.length ? findings.map((f) =>
    h("li", {}, h("span", { class: `badge v-${f.level}`, text: VERDICT_LABEL[f.level] ?? f.level }), " ",
      h("code", { text: f.rule }), h("span", { class: "msg", text: ` ${f.message}` })))
    : [h("li", { text: "No findings above info." })]));
  const scans = [...app.history].reverse().map((s) => ({
    label: when(s.scannedAt), verdict: s.verdict, problems: s.counts.deny + s.counts.approval + s.counts.warn,
  }));
  verdictTimeline($("#chart-history"), { title: `Verdicts of ${app.name}'s last ${scans.length} scans`, scans });
  $("#history tbody").replaceChildren(...app.history.map((s) => h("tr", {},
    h("td", { text: when(s.scannedAt) }),
    h("td", { text: s.source }),
    h("td", {}, verdictBadge(s.verdict)),
    h("td", { class: "counts", text: `${s.counts.deny} / ${s.counts.approval} / ${s.counts.warn}` }),
    h("td", {}, h("code", { text: (s.policy?.digest ?? "").slice(0, 19) }))),
  ));
  heading.focus();
}

function showList() {
  $("#detail-view").hidden = true;
  $("#list-view").hidden = false;
  $("#overview").hidden = false;
}

async function route() {
  const m = /^#app\/(.+)$/.exec(location.hash);
  if (m) {
    let name;
    try {
      name = decodeURIComponent(m[1]);
    } catch {
      name = "";
    }
    await showDetail(name);
  } else {
    const fromDetail = !$("#detail-view").hidden;
    showList();
    if (fromDetail) $("#apps-heading").focus();
  }
}

// ---------------------------------------------------------------------------------------------

function restoreFilters() {
  const q = new URLSearchParams(location.search);
  for (const el of $("#filters").elements) {
    if (!el.name || !q.has(el.name)) continue;
    if (el.type === "checkbox") el.checked = q.get(el.name) === "true";
    else el.value = q.get(el.name);
  }
}

async function start() {
  restoreFilters();
  const form = $("#filters");
  let timer = null;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    loadList();
  });
  form.addEventListener("change", () => loadList());
  form.addEventListener("input", (e) => {
    if (e.target.tagName !== "INPUT" || e.target.type === "checkbox") return;
    clearTimeout(timer);
    timer = setTimeout(() => loadList(), 250);
  });
  form.addEventListener("reset", () => setTimeout(() => loadList(), 0));
  $("#more").addEventListener("click", () => loadList({ append: true }));
  $("#back").addEventListener("click", (e) => {
    e.preventDefault();
    location.hash = "";
  });
  window.addEventListener("hashchange", route);
  await Promise.all([loadOverview().catch((e) => { $("#tiles").replaceChildren(h("li", { text: `Could not load the overview: ${e.message}` })); }), loadList()]);
  await route();
  document.documentElement.dataset.ready = "true";
}

start();
