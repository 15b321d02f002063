// The whole approval loop in Debian Chromium against a real workerd, with nothing mocked:
// the builder's widget requests approval → a reviewer approves in the /review console with an
// expiry → the widget shows who approved it and until when → "Apply approval" puts the signed
// waiver into the app → the verdict changes on screen → the saved manifest passes
// `parapet check` offline (the CLI, with the pack trusting the JWKS saved from /v1/keys).
// PARAPET_SCREENSHOTS=DIR also writes the README's screenshot there.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { generateSigningKey, policyTrustingKeys, publicJwks } from "../../www/edge/config.mjs";
import { CLI, defaultPolicyText, startEdge } from "./harness.mjs";

const SHOTS = process.env.PARAPET_SCREENSHOTS ?? "";
let edge;
let browser;
let jwks;

before(async () => {
  const keys = JSON.stringify([await generateSigningKey()]);
  jwks = publicJwks(keys);
  edge = await startEdge({
    name: "loop",
    env: { PARAPET_SIGNING_KEYS: keys },
    policyText: await policyTrustingKeys(await defaultPolicyText(), jwks),
    extraText: { APPROVALS_PER_MINUTE: "10000" },
  });
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

const verdictOf = (page) => page.evaluate(() => document.querySelector("#guard")?.shadowRoot?.querySelector(".parapet")?.dataset.verdict);

test("widget request → console approval → waiver applied in the builder → verdict changes → CI passes offline", async () => {
  // 1. The requester's builder (the demo at /, approvals to this origin).
  const builder = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  builder.on("pageerror", (e) => errors.push(e.message));
  await builder.goto(`${edge.url}/?preset=controlled-hr-bot.yaml&requester=jane.doe%40corp.example`);
  await builder.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 30_000 });
  await builder.waitForFunction(() => document.querySelector("#guard")?.shadowRoot?.querySelector(".parapet")?.dataset.verdict === "approval");
  await builder.locator("#guard .approval-input").fill("Workday is our HR system of record");
  await builder.locator('#guard [data-action="request-approval"]').click();
  await builder.locator('#guard .approval-status[data-state="pending"]').waitFor({ timeout: 15_000 });

  // 2. The reviewer's console.
  const reviewer = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await reviewer.goto(`${edge.url}/review`);
  await reviewer.waitForFunction(() => document.documentElement.dataset.ready === "true");
  await reviewer.fill("#token", edge.reviewerToken);
  await reviewer.keyboard.press("Enter");
  await reviewer.waitForSelector("#queue .request");
  await reviewer.fill("#reviewer", "security-team@corp.example");
  await reviewer.locator('#queue .request input[type="date"]').fill("2027-06-30");
  await reviewer.locator("#queue .request button.approve").click();
  await reviewer.waitForFunction(() => document.querySelectorAll("#queue .request").length === 0);

  // 3. The widget learns of it (it polls), shows who and until when, and applies the waiver.
  const approved = builder.locator('#guard .approval-status[data-state="approved"]');
  await approved.waitFor({ timeout: 30_000 });
  assert.match(await approved.textContent(), /Approved by security-team@corp\.example until 2027-06-30/);
  if (SHOTS) await builder.screenshot({ path: join(SHOTS, "approved.png") });
  const waiver = builder.evaluate(() => new Promise((resolve) => {
    document.querySelector("#guard").addEventListener("parapet:waiver", (e) => resolve(e.detail), { once: true });
  }));
  await builder.locator('#guard [data-action="apply-approval"]').click();
  const detail = await waiver;
  assert.equal(detail.exceptions[0].rule, "integration/external-connector");
  assert.equal(detail.exceptions[0].approval.payloadType, "application/vnd.parapet.waiver+json");

  // 4. The verdict changes on screen; the finding is waived by the signed exception.
  await builder.waitForFunction(() => document.querySelector("#guard")?.shadowRoot?.querySelector(".parapet")?.dataset.verdict !== "approval", null, { timeout: 10_000 });
  const after = await verdictOf(builder);
  assert.ok(["warn", "allow"].includes(after), after);
  const manifest = await builder.evaluate(() => window.parapetDemo.manifest);
  assert.equal(manifest.spec.exceptions.at(-1).approval.signatures.length, 1);
  if (SHOTS) await builder.screenshot({ path: join(SHOTS, "waiver-applied.png") });
  assert.deepEqual(errors, []);

  // 5. CI: the saved manifest passes `parapet check` with no network, the pack trusting the keys.
  const file = join(edge.dataDir, "hr-approvals-bot.json");
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  const pack = join(edge.dataDir, "ci-pack.json");
  writeFileSync(pack, JSON.stringify({ approvals: { trustedKeys: jwks } }));
  const ci = spawnSync(CLI, ["check", file, "--policy", pack, "--format", "json"], { encoding: "utf8", env: { ...process.env, http_proxy: "http://127.0.0.1:9", https_proxy: "http://127.0.0.1:9" } });
  assert.equal(ci.status, 0, ci.stdout + ci.stderr);
  const report = JSON.parse(ci.stdout);
  const f = report.findings.find((x) => x.rule === "integration/external-connector");
  assert.equal(f.level, "info");
  assert.ok(f.waivedBy);
  // Without the trusted keys the same manifest fails: the waiver is what made it pass.
  const untrusted = spawnSync(CLI, ["check", file, "--format", "json"], { encoding: "utf8" });
  assert.equal(untrusted.status, 1);
  assert.ok(JSON.parse(untrusted.stdout).findings.some((x) => x.rule === "exceptions/invalid-signature" && x.level === "deny"));
});
