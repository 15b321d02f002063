// The built extension (dist/extension) asks for exactly what the README lists: the permissions,
// no host permission up front (origins are granted one by one at runtime), and the extension
// pages' CSP. No remote code: every script is packaged.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DIST, ROOT } from "./harness.mjs";

const manifest = JSON.parse(readFileSync(join(DIST, "manifest.json"), "utf8"));
const readme = readFileSync(join(ROOT, "www/extension/README.md"), "utf8");

/** The README's "permissions" block: `name: value` lines between the markers. */
function readmeList() {
  const block = /<!-- permissions -->\s*```text\n([\s\S]*?)```\s*<!-- \/permissions -->/.exec(readme);
  assert.ok(block, "the README has the permissions block");
  return Object.fromEntries(block[1].trim().split("\n").map((l) => {
    const at = l.indexOf(":");
    return [l.slice(0, at).trim(), l.slice(at + 1).trim()];
  }));
}
const list = (v) => (v === "(none)" ? [] : v.split(/,\s*/));

test("permissions and host permissions are the README's", () => {
  const r = readmeList();
  assert.deepEqual(manifest.permissions, list(r.permissions));
  assert.deepEqual(manifest.host_permissions ?? [], list(r.host_permissions));
  assert.deepEqual(manifest.optional_host_permissions, list(r.optional_host_permissions));
  assert.ok(!JSON.stringify(manifest).includes("<all_urls>"));
  for (const key of ["content_scripts", "externally_connectable", "web_accessible_resources", "key", "update_url"]) {
    assert.equal(manifest[key], undefined, `${key} is not declared (content scripts are registered per granted origin)`);
  }
  assert.equal(manifest.manifest_version, 3);
});

test("the extension pages' CSP is the README's: wasm allowed, scripts only from the package", () => {
  const r = readmeList();
  const csp = manifest.content_security_policy.extension_pages;
  assert.equal(csp, r.extension_pages_csp);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|https?:|\*/);
});

test("every page loads packaged scripts only, and the engine is packaged", () => {
  for (const page of readdirSync(DIST).filter((f) => f.endsWith(".html"))) {
    const html = readFileSync(join(DIST, page), "utf8");
    for (const [, src] of html.matchAll(/<script[^>]*src="([^"]+)"/g)) assert.ok(!/^[a-z]+:|^\/\//i.test(src), `${page}: ${src}`);
    assert.doesNotMatch(html, /<script(?![^>]*src=)[^>]*>/, `${page} has no inline script`);
  }
  assert.ok(existsSync(join(DIST, "vendor/parapet.js")));
  assert.ok(readdirSync(join(DIST, "vendor")).some((f) => f.endsWith(".wasm")));
  assert.ok(existsSync(join(ROOT, "dist/parapet-extension.zip")));
});
