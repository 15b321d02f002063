// Parapet extension: the service worker. It keeps the content scripts registered on exactly the
// origins the user configured AND granted (chrome.permissions), nowhere else, and opens the side
// panel from the toolbar button. It reads no page and sends nothing anywhere.
import { load } from "./settings.js";

const P = globalThis.ParapetProtocol;
const IDS = ["parapet-relay", "parapet-reader"];

async function granted(origins) {
  const out = [];
  for (const origin of origins) {
    const pattern = P.originPattern(origin);
    if (pattern && (await chrome.permissions.contains({ origins: [pattern] }))) out.push(pattern);
  }
  return out;
}

async function sync() {
  const settings = await load();
  const matches = await granted(settings.origins);
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: IDS });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (!matches.length) return;
  await chrome.scripting.registerContentScripts([
    { id: "parapet-relay", matches, js: ["protocol.js", "relay.js"], runAt: "document_start", allFrames: false, persistAcrossSessions: true },
    { id: "parapet-reader", matches, js: ["reader.js"], world: "MAIN", runAt: "document_idle", allFrames: false, persistAcrossSessions: true },
  ]);
}

let running = Promise.resolve();
function resync() {
  running = running.then(sync, sync).catch((e) => console.error("parapet: content scripts", e));
  return running;
}

chrome.runtime.onInstalled.addListener(resync);
chrome.runtime.onStartup.addListener(resync);
chrome.permissions.onAdded.addListener(resync);
chrome.permissions.onRemoved.addListener(resync);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) resync();
});
chrome.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});

// For the options page and the tests: "sync now", answered once registration is done.
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (!P.senderIsExtension(sender, chrome.runtime.id)) return false;
  if (message?.channel !== P.CHANNEL || message.type !== "sync-content-scripts") return false;
  resync().then(() => reply({ ok: true }));
  return true;
});
