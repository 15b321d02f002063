// A browser page bundled by esbuild: the wasm file is an asset (`--loader:.wasm=file`), passed
// to init() by URL.
import init, { Engine } from "parapet";
import wasmUrl from "parapet/parapet_bg.wasm";

try {
  const started = performance.now();
  await init({ module_or_path: wasmUrl });
  const instantiateMs = performance.now() - started;
  const manifest = await (await fetch("/manifest.yaml")).text();
  const engine = new Engine();
  const verdict = engine.evaluate(manifest, { now: "2026-11-28" }).verdict;
  const objectVerdict = engine.evaluate(JSON.parse(JSON.stringify(
    { apiVersion: "parapet.dev/v1", kind: "MicroApp", metadata: { name: "x" }, spec: { tier: "controlled", connectors: [{ name: "w", service: "workday" }] } },
  )), { now: "2026-11-28" }).findings.some((f) => f.level === "approval") ? "approval" : "other";
  let errorCode = "none";
  try { engine.evaluate(null); } catch (e) { errorCode = e.name === "ParapetError" ? e.code : String(e); }
  window.__parapet = { verdict, objectVerdict, errorCode, instantiateMs };
} catch (e) {
  window.__parapet = { error: String(e?.stack ?? e) };
}
