// The test page of tests/consumer/bundlers.mjs: the README's snippets (engine.ts, widget.ts,
// element.ts) as a portal team would paste them, bundled by each bundler, driven by the test
// through `window.portal`.
import { violations } from "./csp";
import { check, loadPolicy } from "./engine";
import { onChange } from "./widget";
import { guard } from "./element";
import { Engine, ParapetError, isParapetError, type Verdict } from "parapet";

interface Portal {
  violations: string[];
  check: typeof check;
  loadPolicy: typeof loadPolicy;
  onChange: typeof onChange;
  guard: typeof guard;
  /** `instanceof ParapetError` and the guard on a real engine error. */
  errorChecks(): { instanceOf: boolean; guard: boolean; code: string };
  verdicts(): { engine: Verdict; widget: Verdict | undefined; element: Verdict | null };
}

declare global {
  interface Window {
    portal?: Portal;
  }
}

window.portal = {
  violations,
  check,
  loadPolicy,
  onChange,
  guard,
  errorChecks() {
    try {
      new Engine("tiers: 3");
    } catch (e) {
      return { instanceOf: e instanceof ParapetError, guard: isParapetError(e), code: isParapetError(e) ? e.code : "" };
    }
    return { instanceOf: false, guard: false, code: "nothing thrown" };
  },
  verdicts() {
    const manifest = "apiVersion: parapet.dev/v1\nkind: MicroApp\nmetadata: { name: lunch }\nspec: { tier: sandbox, owner: \"user:jane\" }\n";
    return { engine: check(manifest).verdict, widget: onChange(manifest), element: guard.verdict };
  },
};
