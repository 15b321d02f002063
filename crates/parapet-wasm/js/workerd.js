// workerd / Cloudflare Workers entry of `parapet`: the runtime compiles the imported wasm file
// into a WebAssembly.Module (wrangler does it for `.wasm` imports; a workerd config lists it as a
// `wasm` module), which is instantiated synchronously here. `await init()` is a no-op.
import module from "./parapet_bg.wasm";
import { initSync } from "./parapet.js";

initSync({ module });

export * from "./parapet.js";
export { default } from "./parapet.js";
