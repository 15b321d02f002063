// A TypeScript user of the installed package: compiled with `tsc --strict`, never run.
import init, { Engine, ParapetError, isParapetError, rules, version } from "parapet";
import type {
  ErrorCode, EvaluateOptions, Finding, Level, Manifest, PolicyPack, Report, RuleMeta, Verdict,
} from "parapet";

await init();
const manifest: Manifest = {
  apiVersion: "parapet.dev/v1",
  kind: "MicroApp",
  metadata: { name: "typed-app", tags: ["demo"] },
  spec: {
    tier: "controlled",
    owner: "group:ops",
    connectors: [{ name: "crm", type: "saas", service: "salesforce", auth: "oauth2", actions: ["read"] }],
    permissions: [{ effect: "allow", actions: "sheets:read", resources: ["sheet/leave"] }],
  },
};
const pack: PolicyPack = {
  metadata: { name: "retailco" },
  tiers: { sandbox: { budgetCapMonthly: null } },
  rules: { "config/cors-wildcard": { sandbox: "deny" }, "lifecycle/review-overdue": "off" },
};
const options: EvaluateOptions = { now: "2026-11-28", format: "auto", utf16: true };
const engine = new Engine(pack);
const report: Report = engine.evaluate(manifest, options);
const fromText: Report = new Engine().evaluate("apiVersion: parapet.dev/v1", { now: "2026-11-28" });
const verdict: Verdict = report.verdict;
const first: Finding | undefined = report.findings[0];
const level: Level | undefined = first?.level;
const start: number | undefined = first?.utf16?.start;
const route: string | undefined = first?.approval?.route;
const catalogue: RuleMeta[] = rules();
const v: string = version();
try {
  new Engine("tiers: 3");
} catch (e) {
  if (!isParapetError(e)) throw e;
  const code: ErrorCode = e.code;
  console.log(code, e.line, e.errors?.[0]?.pointer);
}
try {
  new Engine().evaluate("x", { now: "2026-11-28", format: "yaml" });
} catch (e) {
  if (e instanceof ParapetError) console.log(e.code === "not_initialized");
}
console.log(verdict, level, start, route, catalogue[0]?.defaults.sandbox, v, fromText.app.name);
engine.free();
