// The reviewers' console at /review in Debian Chromium (playwright-core) against a real workerd:
// sign in with the token (session storage, never the URL), the queue and its filters, approve
// with an expiry (the request comes back with its signed waiver), reject with a comment,
// keyboard only, axe-core with no violations, 360 px wide without horizontal scrolling, and
// manifest-derived names shown as inert text (XSS payloads stay text).
// PARAPET_SCREENSHOTS=DIR also writes the README's screenshot there.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { generateSigningKey, policyTrustingKeys, publicJwks } from "../../www/edge/config.mjs";
import { defaultPolicyText, ROOT, startEdge } from "./harness.mjs";

const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.PARAPET_SCREENSHOTS ?? "";
const XSS = `<img src=x onerror="window.__xss=1">`;
const RULE = "integration/external-connector";

let edge;
let browser;

function manifest(name, connector) {
  return `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: ${name} }
spec:
  tier: controlled
  owner: group:people-ops
  connectors:
    - { name: ${JSON.stringify(connector)}, type: saas, service: workday, url: "https://wd2-impl.workday.com/api", auth: oauth2 }
`;
}

async function request(key, name, connector, justification) {
  const r = await edge.json("/v1/approvals", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ manifest: manifest(name, connector), rules: [RULE], requester: "jane.doe@corp.example", justification }),
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

before(async () => {
  const keys = JSON.stringify([await generateSigningKey()]);
  edge = await startEdge({
    name: "review",
    env: { PARAPET_SIGNING_KEYS: keys },
    policyText: await policyTrustingKeys(await defaultPolicyText(), publicJwks(keys)),
    extraText: { APPROVALS_PER_MINUTE: "10000" },
  });
  await request("r1", "hr-approvals-bot", "workday", "Leave requests sync with Workday");
  await request("r2", "xss-probe", XSS, `<script>window.__xss=2</script> please`);
  browser = await chromium.launch({
    executablePath: process.env.PARAPET_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
  edge?.cleanup();
});

async function open(width = 1100, height = 900) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("dialog", (d) => { page.errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(edge.url + "/review");
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  return page;
}

async function signIn(page, token = edge.reviewerToken) {
  await page.fill("#token", token);
  await page.keyboard.press("Enter");
}

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
  });
}

describe("review console", () => {
  test("a wrong token is refused; the right one is kept in session storage, not the URL", async () => {
    const page = await open();
    await signIn(page, "not-the-token-0123456789");
    await page.waitForFunction(() => document.querySelector("#signin-error").textContent.length > 0);
    assert.equal(await page.isVisible("#console"), false);
    await signIn(page);
    await page.waitForSelector("#queue .request");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("parapet.reviewerToken")), edge.reviewerToken);
    assert.ok(!page.url().includes(edge.reviewerToken));
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("manifest-derived text stays inert; filters by app and route", async () => {
    const page = await open();
    await signIn(page);
    await page.waitForSelector("#queue .request");
    assert.equal(await page.locator("#queue .request").count(), 2);
    const text = await page.textContent("#queue");
    assert.ok(text.includes(XSS), "the payload is shown as text");
    assert.ok(text.includes("<script>window.__xss=2</script>"));
    assert.equal(await page.evaluate(() => document.querySelectorAll("#queue img, #queue script").length), 0);
    assert.equal(await page.evaluate(() => window.__xss ?? null), null);
    await page.fill("#f-app", "hr-appr");
    assert.equal(await page.locator("#queue .request").count(), 1);
    await page.fill("#f-app", "");
    const routes = await page.$$eval("#f-route option", (o) => o.map((x) => x.value));
    assert.ok(routes.includes("integration-review"), routes.join());
    await page.selectOption("#f-route", "integration-review");
    assert.equal(await page.locator("#queue .request").count(), 2);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("keyboard only: approve with an expiry, then the signed waiver is shown; reject with a comment", async () => {
    const page = await open();
    await page.focus("#token");
    await page.keyboard.type(edge.reviewerToken);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#queue .request");
    await page.focus("#reviewer");
    await page.keyboard.type("sec@corp.example");
    const item = page.locator("#queue .request").filter({ hasText: "Leave requests sync" });
    const date = item.locator('input[type="date"]');
    await date.focus();
    await date.fill("2027-03-31");
    await item.locator("button.approve").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /Approved:/.test(document.querySelector("#status").textContent) || document.querySelectorAll("#queue .request").length === 1);
    await page.selectOption("#f-status", "approved");
    await page.waitForSelector("#queue .waiver");
    const waiver = await page.textContent("#queue .waiver");
    assert.match(waiver, /integration\/external-connector, valid until 2027-03-31, key edge-/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "review.png"), fullPage: true });

    await page.selectOption("#f-status", "pending");
    await page.waitForSelector("#queue .request textarea");
    await page.locator("#queue .request textarea").focus();
    await page.keyboard.type("Not with a connector named like that.");
    await page.locator("#queue .request button.reject").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("#queue .request").length === 0);
    const list = await edge.json("/v1/approvals?status=rejected", { headers: { authorization: `Bearer ${edge.reviewerToken}` } });
    assert.equal(list.body.approvals[0].decision.comment, "Not with a connector named like that.");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("at 360 px wide nothing scrolls sideways", async () => {
    const page = await open(360, 780);
    await signIn(page);
    await page.selectOption("#f-status", "");
    await page.waitForSelector("#queue .request");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
    assert.deepEqual(await axe(page), []);
    await page.context().close();
  });
});
