// Parapet extension: the relay (content script, isolated world) on the configured Node-RED
// origins. It forwards the page's flow (from reader.js in the main world) to the extension, and
// the extension's badges and reveal requests to the page. Both directions are validated with
// protocol.js; anything else is dropped. It reads nothing itself.
(() => {
  if (globalThis.__parapetRelay) return;
  globalThis.__parapetRelay = true;
  const P = globalThis.ParapetProtocol;

  window.addEventListener("message", (event) => {
    if (!P.windowMessageFromPage(event, window)) return;
    const data = event.data;
    if (data === null || typeof data !== "object" || data.to !== "extension") return;
    const message = P.flowMessage(data);
    if (!message) return;
    try {
      chrome.runtime.sendMessage(message).catch(() => {
        // No extension page listening (the panel is closed): nothing to do.
      });
    } catch {
      // The extension was reloaded or removed: this relay is orphaned; the next page load has a new one.
    }
  });

  chrome.runtime.onMessage.addListener((message, sender) => {
    if (!P.senderIsExtension(sender, chrome.runtime.id)) return;
    const valid = P.toPage(message);
    if (!valid) return;
    window.postMessage({ ...valid, to: "page" }, window.location.origin);
  });

  document.documentElement.dataset.parapetExtension = "connected";
})();
