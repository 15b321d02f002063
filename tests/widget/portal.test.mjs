// The widget as a portal team meets it: errors before init(), options checked, the stylesheet
// adopted (and the <style> fallback), `policy-src` fetched once on upgrade, the typed verdict.
// Real Chromium, the real package (pkg/widget.js). The strict-CSP, bundled versions of these are
// in tests/consumer/bundlers.mjs.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { launch, newPage, startStatic } from "./harness.mjs";

let web;
let browser;
before(async () => {
  web = await startStatic();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const SLACK_APP = {
  apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "bot" },
  spec: { tier: "sandbox", connectors: [{ name: "chat", service: "slack" }] },
};

describe("the widget entry for portal teams", () => {
  test("before init(): ParapetError not_initialized; after: unknown or mistyped options are errors", async () => {
    const page = await newPage(browser);
    await page.goto(`${web.origin}/fixtures/blank.html`);
    const r = await page.evaluate(async () => {
      const m = await import("/pkg/widget.js");
      const host = document.createElement("div");
      document.body.append(host);
      const attempt = (f) => {
        try { f(); return null; } catch (e) {
          return { name: e.name, code: e.code, message: e.message, instanceOf: e instanceof m.ParapetError, guard: m.isParapetError(e) };
        }
      };
      const before = attempt(() => m.mountWidget(host));
      await m.default();
      return {
        before,
        unknown: attempt(() => m.mountWidget(host, { now: "2026-11-28", approvalEndpont: "https://x.example" })),
        mistyped: attempt(() => m.mountWidget(host, { requester: 42 })),
        notObject: attempt(() => m.mountWidget(host, "fast")),
        ok: attempt(() => m.mountWidget(host, { now: "2026-11-28", requester: "sam@corp.example", approvalEndpoint: undefined })),
      };
    });
    assert.equal(r.before?.code, "not_initialized");
    assert.ok(r.before.instanceOf && r.before.guard, "instanceof ParapetError and isParapetError");
    assert.match(r.before.message, /await init\(\)/);
    assert.equal(r.unknown?.code, "invalid_argument");
    assert.match(r.unknown.message, /unknown option "approvalEndpont", expected one of policy, approvalEndpoint/);
    assert.ok(r.unknown.instanceOf);
    assert.equal(r.mistyped?.code, "invalid_argument");
    assert.match(r.mistyped.message, /requester must be a string/);
    assert.equal(r.notObject?.code, "invalid_argument");
    assert.equal(r.ok, null);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("styles: one adopted stylesheet shared by every mount, a <style> element where there are none", async () => {
    const page = await newPage(browser);
    await page.goto(`${web.origin}/fixtures/blank.html`);
    const adopted = await page.evaluate(async () => {
      const m = await import("/pkg/widget.js");
      await m.default();
      const hosts = [0, 1].map(() => document.body.appendChild(document.createElement("div")));
      const handles = hosts.map((h) => m.mountWidget(h, { now: "2026-11-28" }));
      handles[0].update({ apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "x" }, spec: { tier: "sandbox", owner: "user:jane" } });
      // Mounting again on the same host reuses its shadow root: still one sheet.
      handles[1].destroy();
      m.mountWidget(hosts[1], { now: "2026-11-28" });
      await new Promise((r) => requestAnimationFrame(() => r()));
      const [a, b] = hosts.map((h) => h.shadowRoot);
      return {
        sheets: [a.adoptedStyleSheets.length, b.adoptedStyleSheets.length],
        shared: a.adoptedStyleSheets[0] === b.adoptedStyleSheets[0],
        styleElements: a.querySelectorAll("style").length + b.querySelectorAll("style").length,
        border: getComputedStyle(a.querySelector(".parapet-root")).borderTopStyle,
        verdict: handles[0].verdict,
      };
    });
    assert.deepEqual(adopted.sheets, [1, 1]);
    assert.ok(adopted.shared, "one CSSStyleSheet for every widget");
    assert.equal(adopted.styleElements, 0);
    assert.equal(adopted.border, "solid");
    assert.equal(adopted.verdict, "allow");

    // A browser without constructable stylesheets: the <style> element.
    const old = await newPage(browser);
    await old.addInitScript(() => { delete CSSStyleSheet.prototype.replaceSync; });
    await old.goto(`${web.origin}/fixtures/blank.html`);
    const fallback = await old.evaluate(async () => {
      const m = await import("/pkg/widget.js");
      await m.default();
      const host = document.body.appendChild(document.createElement("div"));
      m.mountWidget(host, { now: "2026-11-28" });
      return {
        sheets: host.shadowRoot.adoptedStyleSheets.length,
        styleElements: host.shadowRoot.querySelectorAll("style").length,
        border: getComputedStyle(host.shadowRoot.querySelector(".parapet-root")).borderTopStyle,
      };
    });
    assert.deepEqual(fallback, { sheets: 0, styleElements: 1, border: "solid" });
    assert.deepEqual([...page.errors, ...old.errors], []);
    await page.context().close();
    await old.context().close();
  });

  test("<parapet-guard policy-src> upgraded from parsed HTML fetches its policy once, mounts once", async () => {
    const page = await newPage(browser);
    const fetches = [];
    page.on("request", (r) => { if (r.url().endsWith("/fixtures/strict-policy.yaml")) fetches.push(r.url()); });
    await page.goto(`${web.origin}/fixtures/blank.html`);
    const verdict = await page.evaluate(async (app) => {
      // Parsed before the element is defined: defineElement() upgrades it (attributeChanged for
      // each attribute, then connected).
      document.querySelector("main").innerHTML =
        '<parapet-guard id="g" policy-src="/fixtures/strict-policy.yaml" now="2026-11-28" requester="sam@corp.example" docs-base-url="/rules/"></parapet-guard>';
      const m = await import("/pkg/widget.js");
      await m.default();
      const g = document.getElementById("g");
      const errors = [];
      g.addEventListener("parapet:error", (e) => errors.push(e.detail));
      m.defineElement();
      g.manifest = app;
      const deadline = Date.now() + 10_000;
      while (g.verdict !== "deny" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return { verdict: g.verdict, errors, roots: g.shadowRoot.querySelectorAll(".parapet-root").length };
    }, SLACK_APP);
    assert.equal(verdict.verdict, "deny", "the strict pack (slack blocked) was applied");
    assert.deepEqual(verdict.errors, []);
    assert.equal(verdict.roots, 1);
    await page.waitForTimeout(300);
    assert.equal(fetches.length, 1, `policy-src fetched ${fetches.length} times`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
