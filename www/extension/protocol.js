// Parapet extension: the message protocol between the Node-RED page, the content-script relay
// and the extension pages. A classic script (content scripts cannot be modules) that defines
// `globalThis.ParapetProtocol`; extension pages and the unit tests import it for that effect.
//
// Every message carries `channel: "parapet-extension/v1"` and a `type`. Anything that does not
// have exactly the expected shape, or that comes from the wrong sender, is ignored (null).
(() => {
  const CHANNEL = "parapet-extension/v1";
  const LIMITS = Object.freeze({ nodes: 20000, idLength: 256, bytes: 8 * 1024 * 1024, count: 100000 });
  const LEVELS = Object.freeze(["info", "warn", "approval", "deny"]);

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isId = (v) => typeof v === "string" && v.length > 0 && v.length <= LIMITS.idLength;
  const isRevision = (v) => Number.isSafeInteger(v) && v >= 0;

  /** `http(s)://host[:port]` (no path, query, credentials or wildcard), normalised; else null. */
  function normalizeOrigin(text) {
    if (typeof text !== "string" || text.length > 2048 || text.includes("*")) return null;
    let url;
    try {
      url = new URL(text.trim());
    } catch {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (url.username || url.password || url.search || url.hash) return null;
    if (url.pathname !== "/" && url.pathname !== "") return null;
    return url.origin;
  }

  /** The match pattern that grants exactly one origin: `https://host:port/*`. */
  function originPattern(origin) {
    const o = normalizeOrigin(origin);
    return o ? `${o}/*` : null;
  }

  /** The page's flow, as the relay forwards it: { channel, type: "flow", revision, flow }. */
  function flowMessage(m) {
    if (!isObject(m) || m.channel !== CHANNEL || m.type !== "flow" || !isRevision(m.revision)) return null;
    const flow = m.flow;
    if (!Array.isArray(flow) || flow.length > LIMITS.nodes) return null;
    for (const node of flow) {
      if (!isObject(node) || !isId(node.id) || typeof node.type !== "string" || node.type.length > LIMITS.idLength) return null;
    }
    let bytes;
    try {
      bytes = JSON.stringify(flow).length;
    } catch {
      return null;
    }
    if (bytes > LIMITS.bytes) return null;
    const out = { channel: CHANNEL, type: "flow", revision: m.revision, flow };
    if (typeof m.title === "string") out.title = m.title.slice(0, 200);
    return out;
  }

  /** Badges for the canvas: { channel, type: "badges", revision, badges: [{ id, count, level }] }. */
  function badgesMessage(m) {
    if (!isObject(m) || m.channel !== CHANNEL || m.type !== "badges" || !isRevision(m.revision)) return null;
    if (!Array.isArray(m.badges) || m.badges.length > LIMITS.nodes) return null;
    const badges = [];
    for (const b of m.badges) {
      if (!isObject(b) || !isId(b.id) || !LEVELS.includes(b.level)) return null;
      if (!Number.isSafeInteger(b.count) || b.count < 1 || b.count > LIMITS.count) return null;
      badges.push({ id: b.id, count: b.count, level: b.level });
    }
    return { channel: CHANNEL, type: "badges", revision: m.revision, badges };
  }

  /** Reveal one node on the canvas: { channel, type: "reveal", id }. */
  function revealMessage(m) {
    if (!isObject(m) || m.channel !== CHANNEL || m.type !== "reveal" || !isId(m.id)) return null;
    return { channel: CHANNEL, type: "reveal", id: m.id };
  }

  /** Ask the page for its current flow: { channel, type: "request-flow" }. */
  function requestFlowMessage(m) {
    if (!isObject(m) || m.channel !== CHANNEL || m.type !== "request-flow") return null;
    return { channel: CHANNEL, type: "request-flow" };
  }

  /** What the extension pages may send to a tab. */
  function toPage(m) {
    return badgesMessage(m) ?? revealMessage(m) ?? requestFlowMessage(m);
  }

  /**
   * A message from a tab (the relay) is accepted only from this extension's content script, in
   * the top frame of a tab whose origin is one the user configured.
   */
  function senderIsTab(sender, extensionId, origins) {
    if (!isObject(sender) || sender.id !== extensionId) return false;
    if (!isObject(sender.tab) || !Number.isSafeInteger(sender.tab.id) || sender.tab.id < 0) return false;
    if (sender.frameId !== 0) return false;
    const origin = normalizeOrigin(sender.origin ?? (typeof sender.url === "string" ? safeOrigin(sender.url) : null));
    return origin !== null && Array.isArray(origins) && origins.includes(origin);
  }

  /** A message to the relay is accepted only from this extension's own pages (no tab). */
  function senderIsExtension(sender, extensionId) {
    return isObject(sender) && sender.id === extensionId && sender.tab === undefined;
  }

  /** A window message in the relay: from the same window and origin, never from a frame. */
  function windowMessageFromPage(event, win) {
    return isObject(event) && event.source === win && event.origin === win.location.origin;
  }

  function safeOrigin(url) {
    try {
      return new URL(url).origin;
    } catch {
      return null;
    }
  }

  /** The highest of the levels (`deny` > `approval` > `warn` > `info`). */
  function maxLevel(a, b) {
    return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
  }

  globalThis.ParapetProtocol = Object.freeze({
    CHANNEL, LIMITS, LEVELS, normalizeOrigin, originPattern, flowMessage, badgesMessage, revealMessage,
    requestFlowMessage, toPage, senderIsTab, senderIsExtension, windowMessageFromPage, maxLevel,
  });
})();
