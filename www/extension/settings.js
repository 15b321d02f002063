// Parapet extension: the settings (chrome.storage.local, key "settings") shared by the options
// page, the service worker and the panel. Only configuration is stored here: never a flow.
import "./protocol.js";

const P = globalThis.ParapetProtocol;
export const TIERS = ["", "sandbox", "controlled", "production"];
export const DEFAULTS = Object.freeze({ edgeUrl: "", requester: "", tier: "", flowTiers: {}, origins: [] });

/** Settings with every field checked; unknown fields dropped. */
export function clean(value) {
  const v = value && typeof value === "object" ? value : {};
  const origins = Array.isArray(v.origins) ? [...new Set(v.origins.map(P.normalizeOrigin).filter(Boolean))] : [];
  const edgeUrl = typeof v.edgeUrl === "string" && P.normalizeOrigin(v.edgeUrl) ? P.normalizeOrigin(v.edgeUrl) : "";
  const requester = typeof v.requester === "string" ? v.requester.trim().slice(0, 200) : "";
  const tier = typeof v.tier === "string" && TIERS.includes(v.tier) ? v.tier : "";
  const flowTiers = {};
  if (v.flowTiers && typeof v.flowTiers === "object") {
    for (const [id, t] of Object.entries(v.flowTiers).slice(0, 1000)) {
      if (typeof id === "string" && id.length <= 256 && TIERS.includes(t) && t) flowTiers[id] = t;
    }
  }
  return { edgeUrl, requester, tier, flowTiers, origins };
}

export async function load() {
  const { settings } = await chrome.storage.local.get("settings");
  return clean(settings);
}

export async function save(settings) {
  const value = clean(settings);
  await chrome.storage.local.set({ settings: value });
  return value;
}
