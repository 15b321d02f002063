#!/usr/bin/env node
// `npm run build:extension`: the browser extension (www/extension, Manifest V3) into
// dist/extension/ with the widget build of the package (pkg/widget.js or, in the older layout,
// pkg/parapet.js with mountWidget) as vendor/parapet.js, and dist/parapet-extension.zip
// (stored + deflated, written here: no zip tool needed).
//
//   node scripts/build-extension.mjs             build the package if needed, then the extension
//   node scripts/build-extension.mjs --no-pkg    use pkg/ as it is (fail when it has no widget)
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "www/extension");
const out = join(root, "dist/extension");
const zipPath = join(root, "dist/parapet-extension.zip");
/** The package to take the widget from: pkg/, or a built copy in PARAPET_EXTENSION_PKG. */
const pkgDir = process.env.PARAPET_EXTENSION_PKG ?? join(root, "pkg");

function widgetGlue() {
  for (const name of ["widget.js", "parapet.js"]) {
    const file = join(pkgDir, name);
    if (existsSync(file) && /export function mountWidget\b/.test(readFileSync(file, "utf8"))) return file;
  }
  return null;
}

if (!process.argv.includes("--no-pkg") && !process.env.PARAPET_EXTENSION_PKG) {
  // The package's own build (each variant rebuilt only when its inputs changed).
  const r = spawnSync("node", [join(root, "scripts/build-wasm.mjs")], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const glue = widgetGlue();
if (!glue) {
  console.error("build-extension: pkg/ has no widget build (mountWidget): run `npm run build` first");
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "vendor"), { recursive: true });
for (const name of readdirSync(src)) {
  if (statSync(join(src, name)).isFile()) copyFileSync(join(src, name), join(out, name));
}
const glueText = readFileSync(glue, "utf8");
const wasmName = /new URL\('([^'/]+\.wasm)', import\.meta\.url\)/.exec(glueText)?.[1];
if (!wasmName) {
  console.error(`build-extension: cannot find the wasm file name in ${relative(root, glue)}`);
  process.exit(1);
}
writeFileSync(join(out, "vendor/parapet.js"), glueText);
copyFileSync(join(pkgDir, wasmName), join(out, "vendor", wasmName));
copyFileSync(join(root, "LICENSE"), join(out, "LICENSE"));

// The manifest must parse and must never ask for every site.
const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
const text = JSON.stringify(manifest);
if (text.includes("<all_urls>") || (manifest.host_permissions ?? []).length) {
  console.error("build-extension: the manifest asks for host permissions up front; origins are granted at runtime");
  process.exit(1);
}

// ---- zip (deflate, CRC-32), entries in a stable order
const crcTable = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
};
walk(out);
const locals = [];
const centrals = [];
let offset = 0;
for (const file of files) {
  const name = Buffer.from(relative(out, file).split("\\").join("/"));
  const data = readFileSync(file);
  const packed = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8); local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12);
  local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8); central.writeUInt16LE(8, 10); central.writeUInt16LE(0, 12); central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc, 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
  locals.push(local, name, packed);
  centrals.push(central, name);
  offset += 30 + name.length + packed.length;
}
const centralSize = centrals.reduce((n, b) => n + b.length, 0);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
end.writeUInt32LE(centralSize, 12); end.writeUInt32LE(offset, 16);
writeFileSync(zipPath, Buffer.concat([...locals, ...centrals, end]));
console.error(`build-extension: ${relative(root, out)}/ (${files.length} files) and ${relative(root, zipPath)} (${(statSync(zipPath).size / 1024).toFixed(0)} KiB)`);
