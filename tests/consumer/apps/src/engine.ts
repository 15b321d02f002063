import init, { Engine, isParapetError, type Report } from "parapet";

await init(); // fetches parapet_bg.wasm: Vite, webpack and esbuild emit it as an asset
const engine = new Engine(); // the built-in pack; compile a pack once, reuse the engine

export function check(manifest: string): Report {
  return engine.evaluate(manifest);
}

export function loadPolicy(text: string): Engine | undefined {
  try {
    return new Engine(text);
  } catch (e) {
    if (!isParapetError(e)) throw e;
    console.warn(`policy: ${e.code} at line ${e.line ?? "?"}: ${e.message}`);
    return undefined;
  }
}
