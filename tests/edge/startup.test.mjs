// Start-up: `npm start`'s script serves the demo and the API and prints the URL; a missing or
// invalid configuration stops the service at start, loudly, instead of failing per request.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { startWorkerd, writeConfig } from "../../www/edge/config.mjs";
import { defaultPolicyText, freePort, ROOT, tempDataDir } from "./harness.mjs";

const BAD_PACK = "apiVersion: parapet.dev/v1\nkind: PolicyPack\nmetadata: { name: bad }\ntiers:\n  sandbox: { maxDataClass: secretive }\n";
const TOKEN = "reviewer-token-for-tests-0123";

/** Runs scripts/start-edge.mjs; resolves with its output once `until(stdout)` or it exits. */
function startScript(args, { until = () => false, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts/start-edge.mjs"), ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"],
    });
    const out = { stdout: "", stderr: "", code: null, child };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`start-edge did not settle in ${timeoutMs} ms:\n${out.stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (d) => {
      out.stdout += d;
      if (until(out.stdout)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr.on("data", (d) => { out.stderr += d; });
    child.on("exit", (code) => {
      out.code = code;
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe("the worker refuses to start on a bad configuration", () => {
  async function startWith(policyText, env) {
    const dataDir = tempDataDir("bad-config");
    const port = await freePort();
    const configPath = writeConfig({ dataDir, policyText, address: `127.0.0.1:${port}` });
    try {
      await startWorkerd({ configPath, address: `127.0.0.1:${port}`, env, timeoutMs: 20_000 });
      assert.fail("workerd started");
    } catch (e) {
      return e.message;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  test("an invalid policy pack names the field and its line", async () => {
    const msg = await startWith(BAD_PACK, { PARAPET_REVIEWER_TOKEN: TOKEN });
    assert.match(msg, /workerd exited/);
    assert.match(msg, /POLICY_PACK is not a valid policy pack \(line 5, column 28\)/);
    assert.match(msg, /maxDataClass/);
  });

  test("an empty policy pack", async () => {
    assert.match(await startWith("", { PARAPET_REVIEWER_TOKEN: TOKEN }), /POLICY_PACK binding is missing or empty/);
  });

  test("no reviewer token", async () => {
    assert.match(await startWith(await defaultPolicyText(), { PARAPET_REVIEWER_TOKEN: "" }), /REVIEWER_TOKEN must be set/);
  });
});

describe("scripts/start-edge.mjs", () => {
  test("an invalid PARAPET_POLICY stops it before workerd starts", async () => {
    const dataDir = tempDataDir("start-bad");
    const file = join(dataDir, "bad-policy.yaml");
    writeFileSync(file, BAD_PACK);
    const port = await freePort();
    const r = await startScript(["--port", String(port), "--data", dataDir], { env: { PARAPET_POLICY: file } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid policy pack .*bad-policy\.yaml:5:28/);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("serves the demo at /, the package at /pkg/ and the API, and prints the URL", async () => {
    const dataDir = tempDataDir("start");
    const port = await freePort();
    const r = await startScript(["--port", String(port), "--data", dataDir], {
      until: (s) => s.includes("Parapet is serving on"),
    });
    try {
      assert.equal(r.code, null, r.stderr);
      assert.match(r.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/`));
      const base = `http://127.0.0.1:${port}`;
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type"), /^text\/html/);
      await page.arrayBuffer();
      const pkg = await fetch(`${base}/pkg/parapet.js`);
      assert.equal(pkg.status, 200);
      await pkg.arrayBuffer();
      const health = await (await fetch(`${base}/healthz`)).json();
      assert.equal(health.policy.name, "default");
      const v = await fetch(`${base}/v1/validate`, {
        method: "POST", headers: { "content-type": "application/yaml" }, body: "apiVersion: parapet.dev/v1\nkind: MicroApp\n",
      });
      assert.equal(v.status, 200);
      assert.equal((await v.json()).schema, "parapet.dev/report/v1");
    } finally {
      r.child.kill("SIGTERM");
      await new Promise((res) => (r.child.exitCode !== null ? res() : r.child.once("exit", res)));
      rmSync(dataDir, { recursive: true, force: true });
    }
    assert.equal(r.child.exitCode, 0);
  });
});
