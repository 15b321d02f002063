// A workerd worker, bundled as wrangler does: "parapet" resolves to the package's workerd entry
// (the "workerd" export condition), whose `import module from "./parapet_bg.wasm"` stays a
// wasm module of the worker.
import { Engine } from "parapet";

const engine = new Engine(); // compiled once per isolate, reused by every request

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (request.method === "POST" && url.pathname === "/evaluate") {
        const report = engine.evaluate(await request.text(), { now: url.searchParams.get("now") ?? undefined });
        return Response.json(report);
      }
      if (request.method === "POST" && url.pathname === "/policy") {
        new Engine(await request.text()).free();
        return Response.json({ ok: true });
      }
      return new Response("not found", { status: 404 });
    } catch (e) {
      return Response.json({ name: e.name, code: e.code, message: e.message }, { status: 400 });
    }
  },
};
