// The /catalog page in Debian Chromium (playwright-core) against a real workerd: the table and its
// filters, cursor paging, the per-app detail with its verdict history, keyboard use, axe-core
// with no violations, and a 360 px wide screen without horizontal scrolling.
// PARAPET_SCREENSHOTS=DIR also writes the README's screenshots there.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { ROOT, startEdge } from "./harness.mjs";

const PLATFORM_TOKEN = "platform-token-" + "p4ge-0123456789abcdef";
const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.PARAPET_SCREENSHOTS ?? "";

let edge;
let browser;
let total = 0;

function register(body, type, query = "") {
  return edge.json(`/v1/catalog${query}`, {
    method: "POST",
    headers: { "content-type": type, authorization: `Bearer ${PLATFORM_TOKEN}` },
    body,
  });
}

function generated(i) {
  const tier = ["sandbox", "controlled", "production"][i % 3];
  const owner = ["group:people-ops", "group:finance-ops", "group:growth", "jane.doe@corp.example"][i % 4];
  const insecure = i % 4 === 0 ? "    - { name: legacy, type: http, service: legacy, url: http://legacy.corp.example/api }\n" : "";
  return `apiVersion: parapet.dev/v1
kind: MicroApp
metadata: { name: team-app-${String(i).padStart(2, "0")}, title: "Team app ${i}" }
spec:
  tier: ${tier}
  owner: ${owner}
  platform: ${["n8n", "power-automate", "make"][i % 3]}
  dataClassification: internal
  sla: { support: business-hours, responseHours: 24 }
  cost: { currency: USD, budgetMonthly: 100, estimateMonthly: ${i % 5 === 0 ? 150 : 40}, actualMonthly: ${i % 7 === 0 ? 120 : 30} }
  export: { exportable: true, format: json, repository: https://git.corp.example/apps/${i} }
  review: { lastReviewed: 2026-${i % 2 ? "11" : "03"}-01 }
  connectors:
${insecure}    - { name: sheet, type: saas, service: google-sheets, url: https://sheets.googleapis.com, auth: oauth2 }
`;
}

before(async () => {
  process.env.PARAPET_PLATFORM_TOKEN = PLATFORM_TOKEN;
  edge = await startEdge({ name: "catalog-page" });
  for (const f of readdirSync(join(ROOT, "examples")).sort()) {
    const r = await register(readFileSync(join(ROOT, "examples", f), "utf8"), f.endsWith(".json") ? "application/json" : "application/yaml");
    assert.ok(r.status === 201, r.text);
  }
  for (let i = 0; i < 30; i++) {
    const r = await register(generated(i), "application/yaml");
    assert.ok(r.status === 201, r.text);
  }
  // A history worth drawing: the payments app scanned again a few times.
  const pay = readFileSync(join(ROOT, "examples/production-payments-sync.yaml"), "utf8");
  const fixed = pay.replace(/\n\s+headers:\n\s+Authorization: .*/, "").replace("http://ledger", "https://ledger")
    .replace("actualMonthly: 240", "actualMonthly: 150").replace("estimateMonthly: 260", "estimateMonthly: 180");
  assert.notEqual(fixed, pay);
  // Fixed, then the token pasted back in: the last scan is the original (deny) again.
  for (let i = 0; i < 6; i++) await register(i % 2 === 0 ? fixed : pay, "application/yaml");
  // Approval requests for the chart.
  const bot = readFileSync(join(ROOT, "examples/controlled-hr-bot.yaml"), "utf8");
  for (let i = 0; i < 3; i++) {
    const a = await edge.json("/v1/approvals", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `page-${i}` },
      body: JSON.stringify({ manifest: bot, rules: ["integration/external-connector"], requester: `dev${i}@corp.example`, justification: "sync" }),
    });
    assert.equal(a.status, 201, a.text);
    if (i < 2) {
      await edge.json(`/v1/approvals/${a.body.id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${edge.reviewerToken}` },
        body: JSON.stringify({ decision: "approved", reviewer: "sec@corp.example" }),
      });
    }
  }
  total = (await edge.json("/v1/catalog?limit=1")).body.total;
  browser = await chromium.launch({
    executablePath: process.env.PARAPET_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ],
  });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
  edge?.cleanup();
});

async function open(width = 1280, height = 900, path = "/catalog") {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  await page.goto(edge.url + path);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 30_000 });
  return page;
}

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
}

async function rowCount(page) {
  return page.locator("#apps tbody tr").count();
}

describe("catalog page", () => {
  test("lists the apps with paging, overview tiles and three charts", async () => {
    const page = await open();
    assert.match(page.url(), /\/catalog\/$/, "/catalog redirects to the page");
    assert.equal(await rowCount(page), 25, "first page");
    assert.match(await page.textContent("#status"), new RegExp(`of ${total} apps`));
    await page.click("#more");
    await page.waitForFunction((n) => document.querySelectorAll("#apps tbody tr").length === n, total);
    assert.equal(await page.isHidden("#more"), true);
    const names = await page.$$eval("#apps tbody th a", (as) => as.map((a) => a.getAttribute("href")));
    assert.equal(new Set(names).size, total, "no app twice across pages");
    assert.equal(await page.locator("#tiles .tile").count(), 5);
    assert.equal(await page.textContent("#tiles .tile:first-child .tile-value"), String(total));
    for (const id of ["#chart-tiers", "#chart-rules", "#chart-approvals"]) {
      assert.equal(await page.locator(`${id} svg[role=img]`).count(), 1, id);
      const label = await page.$eval(`${id} svg desc`, (d) => d.textContent);
      assert.ok(label.length > 10, `${id} describes itself in words`);
    }
    assert.match(await page.$eval("#chart-tiers svg desc", (d) => d.textContent), /Production: \d+ Deny/);
    assert.match(await page.$eval("#chart-rules svg desc", (d) => d.textContent), /cost\/over-budget: \d+/);
    assert.match(await page.$eval("#chart-approvals svg desc", (d) => d.textContent), /3 requested, 2 approved/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("filters narrow the table to what the API answers, and are kept in the URL", async () => {
    const page = await open();
    await page.selectOption("select[name=tier]", "production");
    const want = (await edge.json("/v1/catalog?tier=production&limit=200")).body.total;
    await page.waitForFunction((n) => document.querySelector("#status").textContent.includes(`of ${n} apps`), want);
    const tiers = await page.$$eval("#apps tbody tr td:nth-child(3)", (tds) => tds.map((t) => t.textContent));
    assert.ok(tiers.length > 0 && tiers.every((t) => t === "Production"), tiers.join(","));
    await page.check("input[name=over-budget]");
    const wantOver = (await edge.json("/v1/catalog?tier=production&over-budget=true&limit=200")).body.total;
    await page.waitForFunction((n) => document.querySelector("#status").textContent.includes(n === 0 ? "No apps" : `of ${n} apps`), wantOver);
    assert.match(page.url(), /tier=production/);
    assert.match(page.url(), /over-budget=true/);
    await page.fill("input[name=owner]", "group:nobody");
    await page.waitForFunction(() => document.querySelector("#status").textContent.includes("No apps match"));
    assert.equal(await rowCount(page), 0);
    await page.click("button[type=reset]");
    await page.waitForFunction((n) => document.querySelector("#status").textContent.includes(`of ${n} apps`), total);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("keyboard: an app opens with Enter, shows its verdict history, and Back returns to the list", async () => {
    const page = await open();
    await page.selectOption("select[name=sort]", "-verdict");
    await page.waitForFunction(() => document.querySelector("#apps tbody tr .badge")?.textContent === "Deny");
    await page.fill("input[name=owner]", "group:finance-ops");
    const want = (await edge.json("/v1/catalog?owner=group:finance-ops&limit=200")).body.total;
    await page.waitForFunction((n) => document.querySelector("#status").textContent === `Showing ${n} of ${n} apps.`, want);
    const link = page.locator("#apps tbody th a", { hasText: "Payments reconciliation sync" });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.querySelector("#detail-view").hidden && document.querySelectorAll("#history tbody tr").length > 0);
    assert.equal(await page.evaluate(() => document.activeElement.id), "detail-heading", "focus moves to the app");
    assert.match(await page.textContent("#detail-heading"), /Payments reconciliation sync/);
    assert.equal(await page.locator("#history tbody tr").count(), 7, "seven scans");
    assert.equal(await page.locator("#chart-history svg rect").count(), 7);
    assert.match(await page.textContent("#detail-facts"), /over budget/);
    assert.ok(await page.locator("#detail-findings li", { hasText: "secrets/plaintext-secret" }).count() >= 1);
    const href = await page.getAttribute("#detail-links a", "href");
    assert.equal(href, "/v1/catalog/payments-sync/entity");
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "catalog-detail.png"), fullPage: true });
    await page.focus("#back");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.querySelector("#list-view").hidden);
    assert.equal(await page.evaluate(() => document.activeElement.id), "apps-heading");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("an unknown app in the URL says so", async () => {
    const page = await open(1280, 900, "/catalog/#app/no-such-app");
    assert.equal(await page.textContent("#detail-heading"), "No such app in the catalog");
    await page.context().close();
  });

  test("axe-core finds no violations, at 1280 px and at 360 px, and 360 px needs no sideways scrolling", async () => {
    for (const width of [1280, 360]) {
      const page = await open(width, width === 360 ? 740 : 900);
      const violations = await axe(page);
      assert.deepEqual(violations, [], `${width}px: ${JSON.stringify(violations, null, 1)}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${width}px: page is ${overflow}px wider than the screen`);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, width === 360 ? "catalog-360.png" : "catalog.png"), fullPage: false });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });
});
