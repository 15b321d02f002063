// Parapet extension: the options page. Saving asks Chrome for host access to each configured
// origin (and the edge), one origin at a time (never <all_urls>), and drops access to origins
// that were removed.
import { load, save, TIERS } from "./settings.js";

const P = globalThis.ParapetProtocol;
const $ = (id) => document.getElementById(id);

function parseFlowTiers(text) {
  const out = {};
  const bad = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\S+)$/.exec(line);
    if (m && TIERS.includes(m[2]) && m[2]) out[m[1]] = m[2];
    else bad.push(line);
  }
  return { out, bad };
}

async function show() {
  const s = await load();
  $("origins").value = s.origins.join("\n");
  $("edgeUrl").value = s.edgeUrl;
  $("requester").value = s.requester;
  $("tier").value = s.tier;
  $("flowTiers").value = Object.entries(s.flowTiers).map(([k, v]) => `${k} = ${v}`).join("\n");
}

$("options").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = $("status");
  const lines = $("origins").value.split("\n").map((l) => l.trim()).filter(Boolean);
  const origins = lines.map(P.normalizeOrigin);
  const invalid = lines.filter((_, i) => !origins[i]);
  const edgeText = $("edgeUrl").value.trim();
  const edgeUrl = edgeText ? P.normalizeOrigin(edgeText) : "";
  const { out: flowTiers, bad } = parseFlowTiers($("flowTiers").value);
  if (invalid.length || edgeUrl === null || bad.length) {
    status.textContent = invalid.length
      ? `Not an origin (scheme://host[:port], no path): ${invalid.join(", ")}`
      : edgeUrl === null ? "The edge URL must be an origin, e.g. https://parapet.corp.example"
        : `Not "flow-id = tier": ${bad.join(", ")}`;
    status.dataset.state = "error";
    return;
  }
  const previous = await load();
  const wanted = [...new Set([...origins, ...(edgeUrl ? [edgeUrl] : [])])].map(P.originPattern);
  // One request for every origin (one user gesture); Chrome lists each host in its prompt.
  const ok = wanted.length === 0 || (await chrome.permissions.request({ origins: wanted }));
  if (!ok) {
    status.textContent = "Access was not granted: nothing was saved.";
    status.dataset.state = "error";
    return;
  }
  const dropped = [...previous.origins, previous.edgeUrl].filter((o) => o && !wanted.includes(P.originPattern(o)));
  if (dropped.length) await chrome.permissions.remove({ origins: dropped.map(P.originPattern) }).catch(() => {});
  await save({ origins, edgeUrl, requester: $("requester").value, tier: $("tier").value, flowTiers });
  await chrome.runtime.sendMessage({ channel: P.CHANNEL, type: "sync-content-scripts" }).catch(() => {});
  status.textContent = `Saved. Parapet runs on ${origins.length ? origins.join(", ") : "no origin"}; reload open editors.`;
  status.dataset.state = "ok";
});

show();
