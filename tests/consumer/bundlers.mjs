#!/usr/bin/env node
// A portal team's first hour, with real bundlers (pinned in tests/consumer/apps/package.json,
// installed by scripts/setup): the package as `npm pack` makes it, the README's snippets pasted
// into a strict TypeScript app (tests/consumer/apps/src/), bundled and served under a strict CSP
//
//   Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'; style-src 'self'
//
// and opened in Chromium, where the engine answers, the widget is styled (computed style, through
// its adopted stylesheet) and live (a pasted Slack token turns it to deny, redacted), and
// `<parapet-guard policy-src>` fetches its policy once. Checks:
//
//   readme     every ```ts/```js block of the package README that names a file is that file,
//              byte for byte; the extracted snippets type-check under `strict` with
//              `skipLibCheck: false` on the default lib; a misuse does not
//   tsc        the whole app, the same settings
//   vite8      Vite 8: `vite build` (no config) and the dev server
//   vite7      Vite 7: `vite build` and the dev server, with the README's recipe
//              (tests/consumer/apps/vite.config.mjs: optimizeDeps.exclude)
//   webpack    webpack 5 (production mode) on the app as tsc emits it
//   ssr        Vite SSR: the engine imported on the server (Node, `parapet`), the page rendered
//              there, the widget started in the browser; `parapet/widget` imported on the server
//              too (it must not touch the DOM when imported)
//
// Why Vite SSR and not Next.js: Next's install (~250 MB with its SWC binaries) and its build (a
// minute and more on 2 cores) would cost more than every other check here together; what an SSR
// framework adds for this package — importing it on the server under the "node" condition, and
// importing the widget entry in code shared with the server — is exercised the same way.
//
// Usage: node tests/consumer/bundlers.mjs [--only NAME[,NAME]] [--keep]
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { createServer as createNetServer } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const apps = join(root, "tests/consumer/apps");
const out = join(apps, ".out");
const bin = join(root, "node_modules/.bin");
const argv = process.argv.slice(2);
const onlyAt = argv.indexOf("--only");
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(",")) : null;
const CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
// A Slack bot token, assembled at run time so that no scanner mistakes this file for a leak.
const SLACK_TOKEN = ["xoxb", "2048", "1234567890123", "Zq8" + "Lm4Np7Rt2Vx5Bc9Kd3Hf6Jw"].join("-");

const results = [];
function record(name, ok, detail) {
  results.push({ name, ok });
  console.log(`${ok ? "ok" : "FAIL"} - bundlers: ${name}${detail ? ` (${detail})` : ""}`);
}
async function check(name, fn) {
  if (only && !only.has(name.split(":")[0])) return;
  const started = Date.now();
  try {
    const detail = await fn();
    record(name, true, `${detail ? `${detail}; ` : ""}${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    record(name, false);
    console.log(String(e?.stack ?? e).split("\n").map((l) => `    ${l}`).join("\n"));
  }
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300_000, cwd: apps, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const MIME = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".json": "application/json", ".yaml": "text/yaml", ".css": "text/css",
};

/** A static server for `dir` with the strict CSP; `render(html)` rewrites index.html (SSR). */
async function serve(dir, render) {
  const port = await freePort();
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/") path = "/index.html";
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep)) return res.writeHead(400).end();
    try {
      let body = readFileSync(file);
      if (render && path === "/index.html") body = await render(body.toString("utf8"));
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "content-security-policy": CSP }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}

/** A Vite dev server (child process) on a free port, with the CSP header; stopped by `close`. */
async function viteDev(vite, configFile) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(apps, `node_modules/${vite}/bin/vite.js`), "--config", configFile,
    "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: apps, stdio: ["ignore", "pipe", "pipe"] });
  let logs = "";
  child.stdout.on("data", (d) => { logs += d; });
  child.stderr.on("data", (d) => { logs += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${vite} dev server exited ${child.exitCode}\n${logs}`);
    if (Date.now() > deadline) { child.kill("SIGTERM"); throw new Error(`${vite} dev server did not start\n${logs}`); }
    const r = await fetch(url).catch(() => null);
    if (r?.ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    logs: () => logs,
    close: () => new Promise((r) => { if (child.exitCode !== null) return r(); child.once("exit", r); child.kill("SIGTERM"); }),
  };
}

let browser;
/** Opens `url` in a fresh context and checks engine, widget, element, styles, CSP and liveness. */
async function inChromium(url, { ssr = false } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    const policyFetches = [];
    page.on("request", (r) => { if (new URL(r.url()).pathname === "/policy.yaml") policyFetches.push(r.url()); });
    const response = await page.goto(url);
    const csp = response.headers()["content-security-policy"];
    if (csp !== CSP) throw new Error(`the page was served without the strict CSP: ${csp}`);
    // Until the app is up, or fails (a page error ends the wait at once).
    const failed = new Promise((resolve) => page.once("pageerror", resolve));
    await Promise.race([page.waitForFunction(() => window.portal, null, { timeout: 60_000 }).catch(() => {}), failed]);
    if (problems.length) throw new Error(problems.join("\n"));
    if (!(await page.evaluate(() => Boolean(window.portal)))) throw new Error("the app did not start");

    const verdicts = await page.evaluate(() => window.portal.verdicts());
    if (verdicts.engine !== "allow" || verdicts.widget !== "allow") throw new Error(`verdicts ${JSON.stringify(verdicts)}`);
    const errors = await page.evaluate(() => window.portal.errorChecks());
    if (!errors.instanceOf || !errors.guard || errors.code !== "invalid_policy") throw new Error(`ParapetError: ${JSON.stringify(errors)}`);
    // <parapet-guard policy-src>: mounted, the policy loaded (once), a verdict.
    await page.waitForFunction(() => window.portal.guard.verdict === "allow", null, { timeout: 10_000 });

    // Styled through the adopted stylesheet: no <style> element (blocked by style-src 'self').
    const style = await page.evaluate(() => {
      const shadow = document.querySelector("#policy").shadowRoot;
      const panel = shadow.querySelector(".parapet-root");
      const cs = getComputedStyle(panel);
      const guard = window.portal.guard.shadowRoot;
      return {
        border: cs.borderTopStyle, radius: cs.borderTopLeftRadius, display: getComputedStyle(document.querySelector("#policy")).display,
        adopted: shadow.adoptedStyleSheets.length, styleElements: shadow.querySelectorAll("style").length,
        guardBorder: getComputedStyle(guard.querySelector(".parapet-root")).borderTopStyle,
      };
    });
    if (style.border !== "solid" || style.radius === "0px" || style.display !== "block" || style.guardBorder !== "solid") {
      throw new Error(`the widget is not styled: ${JSON.stringify(style)}`);
    }
    if (style.adopted !== 1 || style.styleElements !== 0) throw new Error(`styles: ${JSON.stringify(style)}`);

    // Live: a pasted Slack token shows up redacted, in the next frame.
    const live = await page.evaluate(async (token) => {
      const manifest = {
        apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "lunch" },
        spec: { tier: "sandbox", connectors: [{ name: "slack", service: "slack", headers: { Authorization: `Bearer ${token}` } }] },
      };
      const verdict = window.portal.onChange(manifest);
      await new Promise((r) => requestAnimationFrame(() => r()));
      const shadow = document.querySelector("#policy").shadowRoot;
      return {
        verdict,
        shown: shadow.querySelector(".parapet")?.dataset.verdict,
        rule: Boolean(shadow.querySelector('[data-rule="secrets/plaintext-secret"]')),
        leaked: shadow.innerHTML.includes(token) || shadow.innerHTML.includes(token.slice(0, 16)),
      };
    }, SLACK_TOKEN);
    if (live.verdict !== "deny" || live.shown !== "deny" || !live.rule || live.leaked) throw new Error(`live update: ${JSON.stringify(live)}`);

    let ssrText = "";
    if (ssr) {
      ssrText = await page.evaluate(() => document.querySelector(".verdict")?.dataset.verdict ?? "");
      if (ssrText !== "allow") throw new Error(`the server-rendered verdict is missing: ${JSON.stringify(ssrText)}`);
    }
    const violations = await page.evaluate(() => window.portal.violations);
    if (violations.length) throw new Error(`CSP violations: ${violations.join("; ")}`);
    if (policyFetches.length !== 1) throw new Error(`policy-src fetched ${policyFetches.length} times`);
    if (problems.length) throw new Error(problems.join("\n"));
    return `engine, widget and <parapet-guard> live and styled under the strict CSP${ssr ? ", server-rendered verdict" : ""}`;
  } finally {
    await context.close();
  }
}

const cleanups = [];
try {
  // ---- the bundlers (scripts/setup installs them; this only repairs a missing install) ----------
  if (!existsSync(join(apps, "node_modules/vite8")) || !existsSync(join(apps, "node_modules/webpack"))) {
    sh("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
  }
  // ---- the package, as npm pack makes it --------------------------------------------------------
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const packed = JSON.parse(sh("npm", ["pack", join(root, "pkg"), "--json", "--pack-destination", out]));
  const installed = join(apps, "node_modules/parapet");
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  sh("tar", ["-xzf", join(out, packed[0].filename), "-C", installed, "--strip-components=1"]);
  const versions = Object.fromEntries(["vite7", "vite8", "webpack"].map((n) =>
    [n, JSON.parse(readFileSync(join(apps, "node_modules", n, "package.json"), "utf8")).version]));
  console.log(`bundlers: ${packed[0].filename} (${packed[0].entryCount} files); vite ${versions.vite7} and ${versions.vite8}, webpack ${versions.webpack}`);

  const tsc = (project) => sh(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", project]);

  await check("readme: snippets are the tested files and type-check under strict", () => {
    const readme = readFileSync(join(installed, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/<!-- file: ([^ ]+) -->\n```(ts|js)\n([\s\S]*?)```/g)];
    if (blocks.length < 5) throw new Error(`expected at least 5 snippets naming their file, found ${blocks.length}`);
    const fenced = [...readme.matchAll(/```(ts|typescript)\n/g)].length;
    const named = blocks.filter((b) => b[2] === "ts").length;
    if (fenced !== named) throw new Error(`${fenced - named} TypeScript block(s) in the README name no tested file`);
    const dir = join(out, "readme");
    mkdirSync(dir, { recursive: true });
    for (const [, file, lang, text] of blocks) {
      const source = readFileSync(join(root, file), "utf8");
      if (text !== source) throw new Error(`the README's ${file} differs from the file: copy the file into the README`);
      if (lang === "ts") writeFileSync(join(dir, file.split("/").pop()), text);
    }
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, skipLibCheck: false, target: "ES2022", module: "ESNext", moduleResolution: "bundler", noEmit: true, types: [] },
      include: ["*.ts"],
    }));
    tsc(join(dir, "tsconfig.json"));
    // The types are real: misuses fail.
    const bad = join(out, "bad");
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, "bad.ts"), [
      `import init, { mountWidget, type Verdict } from "parapet/widget";`,
      `await init();`,
      `const host = document.createElement("div");`,
      `mountWidget(host, { approvalEndpont: "https://x.example" });`, // a typo: excess property
      `host.addEventListener("parapet:focus", (e) => { const n: number = e.detail.pointer; console.log(n); });`,
      `const v: Verdict = mountWidget(host).verdict;`, // may be undefined
      `document.createElement("parapet-guard").verdict = "allow";`, // read-only
      `export { v };`,
    ].join("\n"));
    writeFileSync(join(bad, "tsconfig.json"), readFileSync(join(dir, "tsconfig.json")));
    const r = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(bad, "tsconfig.json")], { cwd: apps, encoding: "utf8" });
    for (const code of ["TS2561", "TS2322", "TS2540"]) {
      if (!r.stdout.includes(code)) throw new Error(`a misuse type-checked (no ${code}):\n${r.stdout}`);
    }
    if ((r.stdout.match(/error TS/g) ?? []).length !== 4) throw new Error(`expected 4 errors:\n${r.stdout}`);
    return `${blocks.length} snippets, ${named} type-checked; 4 misuses rejected`;
  });

  await check("tsc: the app, strict, skipLibCheck false, default lib", () => {
    tsc(join(apps, "tsconfig.json"));
  });

  const { chromium } = await import(pathToFileURL(join(root, "node_modules/playwright-core/index.mjs")).href);
  browser = await chromium.launch({ executablePath: process.env.PARAPET_CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());

  const viteBin = (v) => join(apps, `node_modules/${v}/bin/vite.js`);
  /** A Vite config in .out/ (Vite reads it from a file): the recipe or none, the CSP, a fresh cache. */
  function viteConfig(name, { recipe, ssr }) {
    const file = join(out, `${name}.config.mjs`);
    writeFileSync(file, [
      recipe ? `import recipe from "../vite.config.mjs";` : `const recipe = {};`,
      `export default {`,
      `  ...recipe,`,
      `  root: ${JSON.stringify(apps)},`,
      `  cacheDir: ${JSON.stringify(join(out, `${name}-cache`))},`,
      `  logLevel: "warn",`,
      `  server: { headers: { "Content-Security-Policy": ${JSON.stringify(CSP)} } },`,
      ssr ? `  ssr: {},` : ``,
      `};`,
    ].join("\n"));
    return file;
  }

  for (const [vite, recipe] of [["vite8", false], ["vite7", true]]) {
    const label = recipe ? "with the README's optimizeDeps recipe" : "no config";
    await check(`${vite}: vite build (${label}), served statically`, async () => {
      const dist = join(out, `${vite}-dist`);
      sh(process.execPath, [viteBin(vite), "build", "--config", viteConfig(`${vite}-build`, { recipe }), "--outDir", dist, "--emptyOutDir"]);
      const wasm = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".wasm"));
      if (wasm.length !== 2) throw new Error(`expected the two wasm files as assets, found ${wasm}`);
      const server = await serve(dist);
      try {
        return await inChromium(server.url);
      } finally {
        await server.close();
      }
    });
    await check(`${vite}: dev server (${label})`, async () => {
      const dev = await viteDev(vite, viteConfig(`${vite}-dev`, { recipe }));
      try {
        return await inChromium(dev.url);
      } catch (e) {
        throw new Error(`${e.message}\n--- ${vite} log ---\n${dev.logs()}`);
      } finally {
        await dev.close();
      }
    });
  }

  await check("vite7: dev server without the recipe fails as the README says", async () => {
    // So the recipe is needed, and this suite would see a broken setup.
    const dev = await viteDev("vite7", viteConfig("vite7-norecipe", { recipe: false }));
    try {
      await inChromium(dev.url);
    } catch (e) {
      if (/magic word|WebAssembly|expected magic/i.test(e.message)) return "the wasm request is answered with HTML, as documented";
      throw new Error(`failed, but not as documented: ${e.message}`);
    } finally {
      await dev.close();
    }
    throw new Error("Vite 7's dev server worked without optimizeDeps.exclude: the README's recipe may be obsolete");
  });

  await check("webpack: webpack 5 (production) on tsc's output, served statically", async () => {
    const js = join(out, "webpack-src");
    sh(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(apps, "tsconfig.json"), "--noEmit", "false", "--outDir", js]);
    const dist = join(out, "webpack-dist");
    const webpack = createRequire(join(apps, "package.json"))("webpack");
    const stats = await new Promise((resolve, reject) => webpack({
      mode: "production",
      context: js,
      entry: "./main.js",
      output: { path: dist, filename: "main.js", publicPath: "auto", clean: true },
      devtool: false,
      performance: { hints: false },
      // tsc keeps the app's extensionless imports ("./engine"), as with ts-loader.
      module: { rules: [{ test: /\.js$/, resolve: { fullySpecified: false } }] },
    }, (err, s) => (err ? reject(err) : resolve(s))));
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    const wasm = readdirSync(dist).filter((f) => f.endsWith(".wasm"));
    if (wasm.length !== 2) throw new Error(`expected the two wasm files as assets, found ${wasm}`);
    writeFileSync(join(dist, "index.html"), readFileSync(join(apps, "index.html"), "utf8")
      .replace(`<script type="module" src="/src/main.ts"></script>`, `<script defer src="/main.js"></script>`));
    cpSync(join(apps, "public"), dist, { recursive: true });
    const server = await serve(dist);
    try {
      return await inChromium(server.url);
    } finally {
      await server.close();
    }
  });

  await check("ssr: Vite SSR — engine on the server (Node), widget in the browser", async () => {
    const client = join(out, "ssr-client");
    const server = join(out, "ssr-server");
    const config = viteConfig("ssr", { recipe: false, ssr: true });
    sh(process.execPath, [viteBin("vite8"), "build", "--config", config, "--outDir", client, "--emptyOutDir"]);
    writeFileSync(join(out, "ssr-entry.ts"), `export { render } from "../src/server";\nexport * as widget from "parapet/widget";\n`);
    sh(process.execPath, [viteBin("vite8"), "build", "--config", config, "--ssr", join(out, "ssr-entry.ts"), "--outDir", server, "--emptyOutDir"]);
    const entry = readdirSync(server).find((f) => /\.m?js$/.test(f));
    const mod = await import(pathToFileURL(join(server, entry)).href);
    if (typeof mod.widget.mountWidget !== "function") throw new Error("parapet/widget did not import on the server");
    const manifest = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: lunch }\nspec: { tier: sandbox, owner: \"user:jane\" }\n";
    const web = await serve(client, (html) => html.replace("<!--ssr-->", mod.render(manifest)));
    try {
      return await inChromium(web.url, { ssr: true });
    } finally {
      await web.close();
    }
  });
} catch (e) {
  record("setup", false);
  console.log(String(e?.stack ?? e));
} finally {
  for (const c of cleanups.reverse()) await c();
  if (!argv.includes("--keep")) rmSync(out, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`bundlers: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
