// Node entry of `parapet`: the wasm module is instantiated synchronously on import from the
// package's one wasm file, so `new Engine()` works at once; `await init()` is a harmless no-op.
import { readFileSync } from "node:fs";
import { initSync } from "./parapet.js";

initSync({ module: readFileSync(new URL("./parapet_bg.wasm", import.meta.url)) });

export * from "./parapet.js";
export { default } from "./parapet.js";
