// End-to-end tests of the widget in the demo builder: real Chromium (Debian, through
// playwright-core), the real package (pkg/, built with the widget) and, for approvals, the real
// edge worker on workerd. Run by scripts/test-widget.mjs.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import {
  edge, everything, freePort, launch, newPage, NOW, openDemo, RESULTS, ROOT, startStatic, until, verdict,
  waitForVerdict,
} from "./harness.mjs";

// A Slack bot token, assembled at run time so that no scanner mistakes this file for a leak.
const SLACK_TOKEN = ["xoxb", "2048", "1234567890123", "Zq8" + "Lm4Np7Rt2Vx5Bc9Kd3Hf6Jw"].join("-");

let web;
let browser;

before(async () => {
  mkdirSync(RESULTS, { recursive: true });
  web = await startStatic();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await web?.close();
});

/** The connector-header value input of connector `i`, adding a header named `name` first. */
async function addHeader(page, i, name) {
  const connector = page.locator(`[data-pointer="/spec/connectors/${i}"]`);
  await connector.locator("[data-add-header]").click();
  await page.keyboard.type(name);
  const value = connector.locator(".header-value").last();
  await value.click();
  return value;
}

function shadow(page, selector) {
  return page.locator("#guard").locator(selector); // playwright's CSS pierces open shadow roots
}

describe("the widget in the demo builder", () => {
  test("every verdict state renders (screenshots in test-results/)", async () => {
    const page = await newPage(browser);
    const cases = [
      ["sandbox-prototype.yaml", "allow"],
      ["controlled-expense-report.yaml", "warn"],
      ["controlled-hr-bot.yaml", "approval"],
      ["production-payments-sync.yaml", "deny"],
    ];
    for (const [preset, expected] of cases) {
      await openDemo(page, web.origin, { preset });
      await waitForVerdict(page, expected);
      const header = shadow(page, ".verdict-label");
      assert.ok((await header.textContent()).length > 0);
      await page.screenshot({ path: join(RESULTS, `widget-${expected}.png`) });
    }
    // The README's picture: the approval state. Refreshed only when asked (it is committed).
    if (process.env.PARAPET_UPDATE_DOCS_SCREENSHOT) {
      mkdirSync(join(ROOT, "docs"), { recursive: true });
      await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml" });
      await page.setViewportSize({ width: 1200, height: 640 });
      await page.screenshot({ path: join(ROOT, "docs/widget.png") });
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("findings show rule id, plain message, field name, help and a docs link", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "production-payments-sync.yaml" });
    await waitForVerdict(page, "deny");
    const finding = shadow(page, '.finding[data-rule="integration/insecure-transport"]');
    await finding.waitFor();
    assert.equal(await finding.locator(".finding-rule").textContent(), "integration/insecure-transport");
    assert.equal(await finding.locator(".finding-title").textContent(), "Connection isn't encrypted");
    assert.match(await finding.locator(".finding-field").textContent(), /connectors › legacy-ledger › url$/);
    assert.match(await finding.locator(".finding-help").textContent(), /https:\/\//);
    assert.equal(
      await finding.locator("a.finding-why").getAttribute("href"),
      "https://parapet.dev/docs/rules/integration/insecure-transport",
    );
    // Grouped by level, most severe first, with counts in the header.
    const groups = await shadow(page, ".group").evaluateAll((els) => els.map((e) => e.dataset.level));
    assert.deepEqual(groups, ["deny", "approval", "warn"]);
    assert.match(await shadow(page, '.count[data-level="deny"]').textContent(), /^\d+ must fix$/);
    await page.context().close();
  });

  test("a Slack token typed into a connector header shows up only redacted", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml" });
    await waitForVerdict(page, "approval");
    const value = await addHeader(page, 1, "Authorization");
    await page.keyboard.type(`Bearer ${SLACK_TOKEN}`);
    await waitForVerdict(page, "deny");
    const finding = shadow(page, '.finding[data-rule="secrets/plaintext-secret"]');
    await finding.waitFor();
    const message = await finding.locator(".finding-message").textContent();
    assert.match(message, /Slack/);
    assert.match(message, /…/, "the value is shown redacted");
    assert.match(await finding.locator(".finding-field").textContent(), /connectors › slack › headers › Authorization/);
    assert.equal(await value.inputValue(), `Bearer ${SLACK_TOKEN}`, "the builder's own field keeps it");

    const { light, shadow: shadowHtml } = await everything(page);
    assert.ok(!shadowHtml.includes(SLACK_TOKEN), "not in the widget's shadow DOM");
    assert.ok(!shadowHtml.includes(SLACK_TOKEN.slice(0, 20)), "not even a long prefix");
    // The page's markup: the input's value is a property, not markup, so the token is not there.
    assert.ok(!light.includes(SLACK_TOKEN), "not in the page's markup");
    const live = await shadow(page, '[role="status"]').textContent();
    assert.ok(!live.includes(SLACK_TOKEN), "not in the live region");
    // Approval requests carry the manifest, so the button is held back while a secret is in it.
    assert.equal(await shadow(page, '[data-action="request-approval"]').count(), 0);
    assert.match(await shadow(page, '.approval-status[data-state="blocked"]').textContent(), /password or token/);
    await page.context().close();
  });

  test("a token pasted as a name or a key is redacted everywhere in the widget", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml" });
    await page.locator('[data-pointer="/spec/connectors/0/name"]').fill(SLACK_TOKEN);
    await page.evaluate((t) => {
      const m = window.parapetDemo.manifest;
      m.spec.settings = { [t]: "x", nested: { [t]: 1 } };
      window.parapetDemo.manifest = m;
    }, SLACK_TOKEN);
    await waitForVerdict(page, "deny");
    assert.ok((await shadow(page, '.finding[data-rule="secrets/plaintext-secret"]').count()) >= 2);
    const { shadow: shadowHtml } = await everything(page);
    // The engine's messages quote connector names; the widget redacts whatever its scanner sees.
    assert.ok(!shadowHtml.includes(SLACK_TOKEN.slice(0, 24)), "no recognisable part of the token");
    await page.context().close();
  });

  test("tier sandbox → controlled → production changes the verdict as the catalogue says", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml" });
    // integration/external-connector: deny / approval / approval.
    const tier = page.locator("#tier");
    await tier.selectOption("sandbox");
    await waitForVerdict(page, "deny");
    assert.equal(await shadow(page, '.finding[data-rule="integration/external-connector"]').getAttribute("data-level"), "deny");
    await tier.selectOption("controlled");
    await waitForVerdict(page, "approval");
    await tier.selectOption("production");
    await waitForVerdict(page, "approval");
    assert.equal(await shadow(page, '.finding[data-rule="integration/external-connector"]').getAttribute("data-level"), "approval");
    // Production asks for more: ownership/missing-sla is deny there once the SLA goes.
    await page.evaluate(() => { const m = window.parapetDemo.manifest; delete m.spec.sla; window.parapetDemo.manifest = m; });
    await waitForVerdict(page, "deny");
    assert.equal(await shadow(page, '.finding[data-rule="ownership/missing-sla"]').getAttribute("data-level"), "deny");
    await page.context().close();
  });

  test("new findings are announced in the live region", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "sandbox-prototype.yaml" });
    await waitForVerdict(page, "allow");
    const live = shadow(page, '[role="status"][aria-live="polite"]');
    assert.match(await live.textContent(), /no problems/);
    await page.locator('[data-pointer="/spec/connectors/0/url"]').fill("http://sheets.example.com/v4");
    await waitForVerdict(page, "warn");
    assert.match(await live.textContent(), /1 new problem: Connection isn't encrypted \(connectors › team-sheet › url\)/);
    await page.context().close();
  });

  test("clicking a finding fires parapet:focus and the builder highlights the field", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "production-payments-sync.yaml" });
    await waitForVerdict(page, "deny");
    await page.evaluate(() => {
      window.focusEvents = [];
      document.addEventListener("parapet:focus", (e) => window.focusEvents.push({ ...e.detail, composed: e.composed }));
    });
    await shadow(page, '.finding[data-rule="integration/insecure-transport"] .finding-target').click();
    const events = await page.evaluate(() => window.focusEvents);
    assert.deepEqual(events, [{ pointer: "/spec/connectors/2/url", rule: "integration/insecure-transport", composed: true }]);
    const focused = await page.evaluate(() => ({
      pointer: document.activeElement?.dataset.pointer,
      highlighted: document.activeElement?.classList.contains("parapet-highlight"),
    }));
    assert.deepEqual(focused, { pointer: "/spec/connectors/2/url", highlighted: true });

    // A field the designer does not show (permissions) opens the text tab at its line.
    await shadow(page, '.finding[data-rule="config/iam-wildcard"] .finding-target').click();
    assert.equal(await page.locator("#panel-source").isVisible(), true);
    const selected = await page.evaluate(() => {
      const a = document.getElementById("manifest-text");
      return a.value.slice(a.selectionStart, a.selectionEnd);
    });
    assert.match(selected, /\*/);
    await page.context().close();
  });

  test("findings are keyboard reachable and show a visible focus ring", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "controlled-expense-report.yaml" });
    await waitForVerdict(page, "warn");
    await page.evaluate(() => {
      window.focusEvents = [];
      document.addEventListener("parapet:focus", (e) => window.focusEvents.push(e.detail.rule));
    });
    // Tab from the last control of the builder into the widget.
    await page.locator("#manifest-text").evaluate((el) => el.closest("main").querySelector("#add-trigger").focus());
    let reached = null;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => {
        const inner = document.getElementById("guard").shadowRoot?.activeElement;
        return inner?.classList.contains("finding-target") ? inner.closest(".finding").dataset.rule : null;
      });
    }
    assert.ok(reached, "a finding got the focus by Tab");
    const outline = await page.evaluate(() => {
      const inner = document.getElementById("guard").shadowRoot.activeElement;
      const s = getComputedStyle(inner);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.equal(outline.style, "solid");
    assert.ok(outline.width >= 2);
    await page.keyboard.press("Enter");
    assert.deepEqual(await page.evaluate(() => window.focusEvents), [reached]);
    await page.context().close();
  });

  test("manifest-derived strings are rendered as text: no markup injection", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml" });
    const evil = "<img src=x onerror=window.__xss=1>";
    await page.evaluate((evil) => {
      const m = window.parapetDemo.manifest;
      m.metadata.name = evil;
      m.spec.connectors[0].name = evil;
      m.spec.connectors[0].service = `<script>window.__xss=2</script>${evil}`;
      m.spec.triggers[0].name = evil;
      m.spec.triggers[0].auth = "none";
      m.spec.data[0].fields[0].name = evil;
      window.parapetDemo.manifest = m;
    }, evil);
    await waitForVerdict(page, "deny");
    await page.waitForTimeout(300); // give an injected image the chance to fail to load
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator("#guard").locator("img, script").count(), 0);
    const texts = await shadow(page, ".finding").allTextContents();
    assert.ok(texts.some((t) => t.includes(evil)), "the names are shown, as text");
    await page.context().close();
  });

  test("axe-core finds no serious or critical accessibility violations", async () => {
    const page = await newPage(browser);
    for (const preset of ["controlled-hr-bot.yaml", "production-payments-sync.yaml"]) {
      await openDemo(page, web.origin, { preset });
      await page.addScriptTag({ url: `${web.origin}/axe.js` });
      const result = await page.evaluate(async () => {
        // The widget's shadow root included (axe follows open shadow roots).
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
      });
      const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad, [], `${preset}: ${JSON.stringify(bad, null, 1)}`);
    }
    await page.context().close();
  });

  test("host CSS cannot break it: * { all: unset !important } on the page", async () => {
    const page = await newPage(browser);
    await page.goto(`${web.origin}/fixtures/hostile.html`);
    await page.waitForFunction(() => window.ready === true);
    await waitForVerdict(page, "deny");
    const look = await page.evaluate(() => {
      const host = document.getElementById("guard");
      const label = host.shadowRoot.querySelector(".verdict-label");
      const s = getComputedStyle(label);
      const box = label.getBoundingClientRect();
      const hostStyle = getComputedStyle(host);
      return {
        text: label.textContent,
        display: s.display,
        visibility: s.visibility,
        fontSize: s.fontSize,
        height: box.height,
        width: box.width,
        hostDisplay: hostStyle.display,
        hostVisibility: hostStyle.visibility,
        findings: host.shadowRoot.querySelectorAll(".finding").length,
        buttonDisplay: getComputedStyle(host.shadowRoot.querySelector(".finding-target")).display,
      };
    });
    assert.equal(look.text, "Blocked");
    assert.equal(look.display, "block");
    assert.equal(look.visibility, "visible");
    assert.equal(look.fontSize, "17px");
    assert.ok(look.height > 10 && look.width > 40, JSON.stringify(look));
    assert.equal(look.hostDisplay, "block");
    assert.equal(look.hostVisibility, "visible");
    assert.ok(look.findings > 3);
    assert.equal(look.buttonDisplay, "block");
    await page.screenshot({ path: join(RESULTS, "widget-hostile-css.png") });
    await page.context().close();
  });

  test("setPolicy swaps the pack; an invalid pack throws ParapetError and keeps the old one", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml" });
    await waitForVerdict(page, "approval");
    const strict = readFileSync(join(ROOT, "tests/widget/fixtures/strict-policy.yaml"), "utf8");
    await page.evaluate((p) => window.parapetDemo.widget.setPolicy(p), strict);
    await waitForVerdict(page, "deny"); // slack is blocked by this pack
    const error = await page.evaluate(() => {
      try {
        window.parapetDemo.widget.setPolicy("apiVersion: parapet.dev/v1\nkind: PolicyPack\ntiers: 7\n");
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, line: e.line };
      }
    });
    assert.equal(error?.name, "ParapetError");
    assert.equal(error?.code, "invalid_policy");
    assert.equal(typeof error?.line, "number");
    assert.equal(await verdict(page), "deny");
    assert.equal(await page.evaluate(() => window.parapetDemo.widget.verdict), "deny");
    await page.context().close();
  });

  test("<parapet-guard>: attributes, .manifest, policy-src", async () => {
    const page = await newPage(browser);
    await page.goto(`${web.origin}/fixtures/element.html`);
    await page.waitForFunction(() => window.ready === true);
    assert.deepEqual(await page.evaluate(() => window.defined), [true, false]);
    const text = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8");
    await page.evaluate((t) => { document.getElementById("guard").manifest = t; }, text);
    await waitForVerdict(page, "approval");
    assert.equal(await page.evaluate(() => document.getElementById("guard").verdict), "approval");
    // policy-src: the strict pack blocks slack.
    await page.evaluate(() => document.getElementById("guard").setAttribute("policy-src", "/fixtures/strict-policy.yaml"));
    await waitForVerdict(page, "deny");
    // Removed and re-attached: unmounted, then mounted again with its manifest and policy.
    await page.evaluate(() => {
      const g = document.getElementById("guard");
      g.remove();
      document.querySelector("main").append(g);
    });
    await waitForVerdict(page, "deny");
    // A created element works too, and bad input is reported as parapet:error.
    await page.evaluate(() => {
      const g = document.createElement("parapet-guard");
      g.id = "second";
      g.setAttribute("now", "not a date");
      document.body.append(g);
    });
    const errors = await page.evaluate(() => window.errors);
    assert.deepEqual(errors.map((e) => e.code), ["invalid_argument"]);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe("the demo's Import an export tab", () => {
  test("a pasted n8n workflow and an opened Node-RED flow list their findings on their nodes", async () => {
    const page = await newPage(browser);
    await openDemo(page, web.origin, {});
    await page.click("#tab-import");
    const n8n = readFileSync(join(ROOT, "tests/corpus/n8n/webhook-basicauth-exec-command-mailgun.json"), "utf8");
    await page.fill("#import-text", n8n);
    await page.waitForSelector('#import-nodes li.import-node');
    assert.match(await page.textContent("#import-status"), /^n8n workflow, sandbox tier: deny/);
    const mail = page.locator('#import-nodes li.import-node[data-node-id="node-4e26e093"]');
    assert.match(await mail.textContent(), /Mail CloudFlare · n8n-nodes-base\.mailgun/);
    assert.match(await mail.textContent(), /integration\/external-connector line 81/);
    // The caller's tier applies to an export, which states none.
    await page.selectOption("#import-tier", "production");
    await until(async () => /production tier: approval/.test(await page.textContent("#import-status")));
    // A one-line Node-RED export through the file picker: the plaintext endpoint on its node.
    await page.setInputFiles("#import-file", join(ROOT, "tests/corpus/node-red/heating-mqtt-mysql-http-flows.json"));
    await until(async () => /^Node-RED flow/.test(await page.textContent("#import-status")));
    const http = page.locator('#import-nodes li.import-node[data-node-id="8996ae35.76695"]');
    assert.match(await http.textContent(), /integration\/insecure-transport line 1: .*http:\/\/ to jjroman\.net/);
    await page.screenshot({ path: join(RESULTS, "demo-import.png") });
    await page.close();
  });
});

describe("one-click approval requests (against the real edge worker)", () => {
  let api;
  let port;

  before(async () => {
    port = await freePort();
    api = await edge({ port, allowedOrigins: [web.origin] });
  });

  after(async () => {
    await api?.dispose();
  });

  /** Opens the demo with a fresh localStorage, approvals going to the edge. */
  async function approvalPage(query = {}) {
    const page = await newPage(browser);
    const posts = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/v1/approvals")) {
        posts.push({ headers: r.headers(), body: JSON.parse(r.postData() ?? "null") });
      }
    });
    page.posts = posts;
    await openDemo(page, web.origin, { preset: "controlled-hr-bot.yaml", approvals: api.url, ...query });
    await waitForVerdict(page, "approval");
    return page;
  }

  test("one click sends exactly one request, with the body and an Idempotency-Key", async () => {
    const page = await approvalPage({ requester: "one-click@corp.example" });
    await shadow(page, ".approval-input").fill("Workday is our HR system of record");
    await shadow(page, '[data-action="request-approval"]').click();
    const status = shadow(page, '.approval-status[data-state="pending"]');
    await status.waitFor({ timeout: 10_000 });
    const id = await status.locator(".approval-id").textContent();
    assert.match(id, /^[0-9a-f-]{36}$/);

    assert.equal(page.posts.length, 1);
    const [post] = page.posts;
    assert.match(post.headers["idempotency-key"], /^parapet-[0-9a-f]{32}$/);
    assert.deepEqual(post.body.rules, ["integration/external-connector"]);
    assert.equal(post.body.requester, "one-click@corp.example");
    assert.equal(post.body.justification, "Workday is our HR system of record");
    assert.equal(post.body.manifest.metadata.name, "hr-approvals-bot");

    const stored = (await api.list()).filter((a) => a.requester === "one-click@corp.example");
    assert.equal(stored.length, 1);
    assert.equal(stored[0].id, id);

    // Shown on later renders and after a reload: no second request.
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
    await shadow(page, '.approval-status[data-state="pending"]').waitFor();
    assert.equal(await shadow(page, '[data-action="request-approval"]').count(), 0);
    assert.equal(page.posts.length, 1);

    // A reviewer approves; the widget's poll shows it.
    await api.decide(id, "approved", "ok for this quarter");
    await shadow(page, '.approval-status[data-state="approved"]').waitFor({ timeout: 20_000 });
    assert.match(await shadow(page, ".approval-status").textContent(), /security-team: ok for this quarter/);
    await page.context().close();
  });

  test("with the server down the request is queued, survives a reload, and is delivered once", async () => {
    await api.stop();
    const page = await approvalPage({ requester: "offline@corp.example" });
    await shadow(page, '[data-action="request-approval"]').click();
    await shadow(page, '.approval-status[data-state="queued"]').waitFor({ timeout: 10_000 });
    const queue = await page.evaluate(() => JSON.parse(localStorage.getItem("parapet:approval-queue")));
    assert.equal(queue.length, 1);
    assert.equal(JSON.parse(queue[0].body).requester, "offline@corp.example");

    await page.reload(); // the page is served by the static server, which is still up
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
    await shadow(page, '.approval-status[data-state="queued"]').waitFor();
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem("parapet:approval-queue")).length), 1);

    await api.start();
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await shadow(page, '.approval-status[data-state="pending"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => localStorage.getItem("parapet:approval-queue")), null);
    const keys = new Set(page.posts.map((p) => p.headers["idempotency-key"]));
    assert.equal(keys.size, 1, "every attempt carried the same key");
    const stored = (await api.list()).filter((a) => a.requester === "offline@corp.example");
    assert.equal(stored.length, 1, "delivered exactly once");
    await page.context().close();
  });

  test("a host that prevents parapet:approval-request takes it over: nothing is sent", async () => {
    const page = await approvalPage({ requester: "portal@corp.example" });
    await page.evaluate(() => {
      window.handedOver = [];
      document.getElementById("guard").addEventListener("parapet:approval-request", (e) => {
        e.preventDefault();
        window.handedOver.push(e.detail);
      });
    });
    await shadow(page, '[data-action="request-approval"]').click();
    await shadow(page, '.approval-status[data-state="handled"]').waitFor();
    const [detail] = await page.evaluate(() => window.handedOver);
    assert.deepEqual(detail.rules, ["integration/external-connector"]);
    assert.equal(detail.requester, "portal@corp.example");
    assert.match(detail.idempotencyKey, /^parapet-/);
    assert.equal(page.posts.length, 0);
    await page.context().close();
  });
});
