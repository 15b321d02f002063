// The reviewers' console: sign in with the reviewer token (kept in sessionStorage, never in the
// URL), the approval queue filtered by status, route and app, each request with its redacted
// findings, justification and history, approve with an expiry or reject with a comment.
// Every string from the API is set as text (textContent), never as HTML.

const TOKEN_KEY = "parapet.reviewerToken";
const REVIEWER_KEY = "parapet.reviewer";
const $ = (s) => document.querySelector(s);

/** An element with attributes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const token = () => sessionStorage.getItem(TOKEN_KEY);
let approvals = [];

async function api(path, init = {}) {
  const r = await fetch(path, {
    ...init,
    headers: { ...(init.headers ?? {}), authorization: `Bearer ${token()}` },
  });
  let body = null;
  try {
    body = await r.json();
  } catch {
    // not JSON
  }
  if (r.status === 401 || r.status === 403) {
    signOut("That reviewer token was not accepted.");
    throw new Error("not signed in");
  }
  if (!r.ok) throw new Error(body?.detail ?? body?.title ?? `HTTP ${r.status}`);
  return body;
}

function signOut(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  $("#console").hidden = true;
  $("#signin").hidden = false;
  $("#signin-error").textContent = message;
  $("#token").value = "";
  $("#token").focus();
}

async function signIn(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
  $("#signin-error").textContent = "";
  try {
    await load();
  } catch {
    return;
  }
  $("#signin").hidden = true;
  $("#console").hidden = false;
  $("#queue-heading").focus?.();
}

async function load() {
  const status = $("#f-status").value;
  const q = new URLSearchParams({ limit: "200" });
  if (status) q.set("status", status);
  $("#status").textContent = "Loading…";
  const body = await api(`/v1/approvals?${q}`);
  approvals = body.approvals ?? [];
  const routes = [...new Set(approvals.flatMap((a) => a.routes ?? []))].sort();
  const select = $("#f-route");
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "" }, "All routes"), ...routes.map((r) => h("option", { value: r }, r)));
  select.value = routes.includes(chosen) ? chosen : "";
  render();
}

function visible() {
  const route = $("#f-route").value;
  const app = $("#f-app").value.trim().toLowerCase();
  return approvals.filter((a) => (!route || (a.routes ?? []).includes(route))
    && (!app || String(a.report?.app?.name ?? "").toLowerCase().includes(app)));
}

function inDays(n) {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

function render() {
  const list = visible();
  $("#status").textContent = `${list.length} request${list.length === 1 ? "" : "s"} shown of ${approvals.length}.`;
  $("#queue").replaceChildren(...list.map(requestItem));
}

function requestItem(a) {
  const app = a.report?.app?.name ?? "(unnamed app)";
  const id = `req-${a.id}`;
  const findings = (a.report?.findings ?? []).map((f) => h("li", {},
    h("code", {}, f.rule), ` (${f.level}) `, f.message ?? "", f.path ? h("span", { class: "meta" }, ` at ${f.path}`) : null));
  const history = [h("li", {}, `Requested ${a.created ?? ""} by ${a.requester}`)];
  if (a.decision) {
    history.push(h("li", {}, `${a.decision.decision === "approved" ? "Approved" : "Rejected"} ${a.decision.decidedAt ?? ""} by ${a.decision.reviewer}`
      + (a.decision.expires ? `, until ${a.decision.expires}` : "") + (a.decision.comment ? ` — “${a.decision.comment}”` : "")));
  }
  if (a.delivery && a.delivery.state !== "disabled") history.push(h("li", {}, `Webhook: ${a.delivery.state} after ${a.delivery.attempts} attempt(s)`));
  const item = h("li", { class: "request", "aria-labelledby": id, "data-id": a.id },
    h("h3", { id }, app, " ", h("span", { class: `pill ${a.status}` }, a.status)),
    h("p", { class: "meta" }, `Rules: ${(a.approvalRules ?? a.rules ?? []).join(", ")} · Route: ${(a.routes ?? []).join(", ") || "—"} · Verdict: ${a.report?.verdict ?? "?"}`),
    h("p", {}, h("strong", {}, "Justification: "), a.justification || "(none given)"),
    h("h4", {}, "Findings"),
    h("ul", { class: "findings" }, findings),
    h("h4", {}, "History"),
    h("ul", { class: "history" }, history),
  );
  if (a.waiver) {
    item.append(h("p", { class: "waiver" }, `Signed waiver for ${a.waiver.rules.join(", ")}, valid until ${a.waiver.expires}, key ${a.waiver.kid}.`));
  }
  if (a.status === "pending") item.append(decisionForm(a));
  return item;
}

function decisionForm(a) {
  const expires = h("input", { type: "date", value: inDays(90), min: inDays(0), required: true });
  const comment = h("textarea", { rows: 2 });
  const error = h("p", { class: "error", role: "alert" });
  const decide = async (decision) => {
    const reviewer = $("#reviewer").value.trim();
    if (!reviewer) {
      error.textContent = "Enter your name or e-mail as reviewer first.";
      $("#reviewer").focus();
      return;
    }
    sessionStorage.setItem(REVIEWER_KEY, reviewer);
    const body = { decision, reviewer };
    if (decision === "approved") body.expires = expires.value;
    if (comment.value.trim()) body.comment = comment.value.trim();
    try {
      await api(`/v1/approvals/${a.id}/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      $("#status").textContent = `${decision === "approved" ? "Approved" : "Rejected"}: ${a.report?.app?.name ?? a.id}.`;
      await load();
    } catch (e) {
      error.textContent = e.message;
    }
  };
  return h("form", { class: "decide", onsubmit: (e) => e.preventDefault() },
    h("label", {}, "Approve until", expires),
    h("label", {}, "Comment", comment),
    h("button", { type: "button", class: "approve", onclick: () => decide("approved") }, "Approve"),
    h("button", { type: "button", class: "reject", onclick: () => decide("rejected") }, "Reject"),
    error);
}

function main() {
  $("#signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("#token").value.trim();
    if (value) signIn(value);
  });
  $("#signout").addEventListener("click", () => signOut());
  $("#f-status").addEventListener("change", () => load().catch(() => {}));
  $("#f-route").addEventListener("change", render);
  $("#f-app").addEventListener("input", render);
  $("#reviewer").value = sessionStorage.getItem(REVIEWER_KEY) ?? "";
  $("#queue-heading").tabIndex = -1;
  if (token()) signIn(token());
  else $("#signin").hidden = false;
  document.documentElement.dataset.ready = "true";
}

main();
