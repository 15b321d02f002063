// Parapet extension: the reader (content script, MAIN world) on the configured Node-RED origins.
// It reads the flow being edited through the editor's own API,
// RED.nodes.createCompleteNodeSet({ credentials: false }) — never credentials — on RED.events
// (nodes:add|change|remove, flows:loaded, deploy ...), debounced, and posts it to the relay. It
// draws the badges it is given with RED.view.annotations and reveals nodes with RED.view.reveal.
(() => {
  if (window.__parapetReader) return;
  window.__parapetReader = true;
  const CHANNEL = "parapet-extension/v1";
  const DEBOUNCE_MS = 16;
  const LEVELS = ["info", "warn", "approval", "deny"];
  const COLOURS = { deny: "#b3261e", approval: "#8a4b00", warn: "#7a5d00", info: "#335c99" };
  const EVENTS = ["nodes:add", "nodes:change", "nodes:remove", "flows:loaded", "flows:change", "deploy",
    "workspace:change", "groups:add", "groups:remove", "groups:change"];

  let revision = 0;
  let timer = null;
  let badges = new Map();
  const stats = { posted: 0, applied: 0, lastApplied: -1 };

  function ready() {
    const RED = window.RED;
    return RED && RED.events && RED.nodes && typeof RED.nodes.createCompleteNodeSet === "function" &&
      RED.view && RED.view.annotations && typeof RED.view.annotations.register === "function" &&
      RED.workspaces && typeof RED.workspaces.active === "function" && Boolean(RED.workspaces.active()) &&
      document.querySelector("#red-ui-workspace-chart svg") !== null;
  }

  function post() {
    timer = null;
    let flow;
    try {
      flow = window.RED.nodes.createCompleteNodeSet({ credentials: false });
    } catch {
      return;
    }
    revision += 1;
    stats.posted = revision;
    window.postMessage({ channel: CHANNEL, to: "extension", type: "flow", revision, flow }, window.location.origin);
  }

  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(post, DEBOUNCE_MS);
  }

  function badgeElement(node) {
    const b = badges.get(node.id);
    const svg = "http://www.w3.org/2000/svg";
    const g = document.createElementNS(svg, "g");
    if (!b) return g;
    const label = `${b.count} ${b.level}`;
    const width = 8 + label.length * 6;
    const rect = document.createElementNS(svg, "rect");
    rect.setAttribute("width", String(width));
    rect.setAttribute("height", "14");
    rect.setAttribute("rx", "3");
    rect.setAttribute("fill", COLOURS[b.level] ?? COLOURS.info);
    const text = document.createElementNS(svg, "text");
    text.setAttribute("x", "4");
    text.setAttribute("y", "10.5");
    text.setAttribute("fill", "#fff");
    text.setAttribute("style", "font: 600 9px sans-serif; pointer-events: none");
    text.textContent = label;
    g.append(rect, text);
    g.setAttribute("class", "parapet-badge");
    g.dataset.parapetNode = node.id;
    g.dataset.parapetCount = String(b.count);
    g.dataset.parapetLevel = b.level;
    return g;
  }

  function register() {
    const RED = window.RED;
    RED.view.annotations.register("parapet", {
      type: "badge",
      class: "parapet-annotation",
      element: badgeElement,
      show: (node) => badges.has(node.id),
      refresh: (node) => {
        if (!node.__parapetDirty) return false;
        delete node.__parapetDirty;
        return true;
      },
      tooltip: (node) => {
        const b = badges.get(node.id);
        return b ? `Parapet: ${b.count} finding${b.count === 1 ? "" : "s"}, highest ${b.level}` : "";
      },
    });
    for (const name of EVENTS) RED.events.on(name, schedule);
    schedule();
  }

  function applyBadges(message) {
    if (!Array.isArray(message.badges) || !Number.isSafeInteger(message.revision)) return;
    const next = new Map();
    for (const b of message.badges) {
      if (b && typeof b.id === "string" && Number.isSafeInteger(b.count) && LEVELS.includes(b.level)) {
        next.set(b.id, { count: b.count, level: b.level });
      }
    }
    const RED = window.RED;
    const changed = new Set();
    for (const [id, b] of next) {
      const old = badges.get(id);
      if (!old || old.count !== b.count || old.level !== b.level) changed.add(id);
    }
    for (const id of badges.keys()) if (!next.has(id)) changed.add(id);
    badges = next;
    for (const id of changed) {
      const node = RED.nodes.node(id);
      if (node) {
        node.__parapetDirty = true;
        node.dirty = true;
      }
    }
    stats.applied += 1;
    stats.lastApplied = message.revision;
    RED.view.redraw();
    requestAnimationFrame(() => {
      document.documentElement.dataset.parapetRevision = String(message.revision);
      window.dispatchEvent(new CustomEvent("parapet:badges", { detail: { revision: message.revision } }));
    });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window || event.origin !== window.location.origin) return;
    const m = event.data;
    if (!m || typeof m !== "object" || m.channel !== CHANNEL || m.to !== "page") return;
    if (m.type === "badges") applyBadges(m);
    else if (m.type === "reveal" && typeof m.id === "string" && window.RED.nodes.node(m.id)) {
      window.RED.view.reveal(m.id);
      window.RED.view.select(m.id);
    }
    else if (m.type === "request-flow") schedule();
  });

  window.__parapetStats = stats;
  let tries = 0;
  const start = () => {
    if (ready()) register();
    else if (++tries < 600) setTimeout(start, 100);
  };
  start();
})();
