// Vite 7 needs this; Vite 8 works without it. Pre-bundling would move parapet's JS into
// node_modules/.vite/deps, away from its .wasm files, and the dev server would answer the wasm
// request with index.html.
export default {
  optimizeDeps: { exclude: ["parapet"] },
};
