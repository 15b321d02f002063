// A Node 20 user of the installed package.
import { readFileSync } from "node:fs";

const started = performance.now();
const { default: init, Engine, version } = await import("parapet");
await init(); // a no-op under Node: the "node" entry is ready on import
const instantiateMs = performance.now() - started;

const manifest = readFileSync(new URL("./manifest.yaml", import.meta.url), "utf8");
const verdicts = {};
verdicts.parapet = new Engine().evaluate(manifest, { now: "2026-11-28" }).verdict;
const node = await import("parapet/node");
verdicts["parapet/node"] = new node.Engine().evaluate(manifest, { now: "2026-11-28" }).verdict;

let error = "none";
try {
  new Engine().evaluate(42);
} catch (e) {
  error = `${e.name}:${e.code}`;
}
console.log(JSON.stringify({ version: version(), verdicts, error, instantiateMs }));
