// The Parapet engine in workerd. "parapet" is the package's workerd entry: it imports the wasm
// file (which the runtime compiles into a WebAssembly.Module) and instantiates it synchronously
// with initSync({ module }), once per isolate. The workerd config (www/edge/config.mjs) and the
// alias in wrangler.toml point the name at pkg/workerd.js.

import { Engine, ruleIds, version } from "parapet";

/**
 * The rule ids by their registry names (`RULE.ManifestSyntax`, ...), from the engine's own rule
 * registry: the edge never writes a rule id by hand, so a renamed rule cannot silently slip past
 * a comparison. Reading a name the registry does not have throws, rather than comparing against
 * `undefined`.
 */
export const RULE = new Proxy(ruleIds(), {
  get(ids, name) {
    if (typeof name === "string" && !Object.hasOwn(ids, name)) throw new Error(`no rule named ${name}`);
    return ids[name];
  },
});

/**
 * Compiles the configured policy pack. Throws an Error that names the binding, and for an
 * invalid pack the field and its line, so that a bad configuration stops the service at start.
 */
export function loadEngine(policyText) {
  if (typeof policyText !== "string" || policyText.trim() === "") {
    throw new Error(
      "POLICY_PACK binding is missing or empty: configure the policy pack's YAML text " +
      "(the start script passes the built-in default pack unless PARAPET_POLICY names a file)",
    );
  }
  let engine;
  try {
    engine = new Engine(policyText);
  } catch (e) {
    const where = e?.line ? ` (line ${e.line}, column ${e.column})` : "";
    throw new Error(`POLICY_PACK is not a valid policy pack${where}: ${e?.message ?? e}`);
  }
  // The pack's name and digest, as every report made with it carries them.
  return { engine, policy: engine.policy(), version: version() };
}

/**
 * The names of the free-text fields that hold a secret, by the engine's own detectors and the
 * pack's allow-list (`engine.checkText`, each text judged as the value of a field of its name).
 * Only names are returned: never the text, nor where in it the secret is, so a caller cannot
 * echo it by mistake.
 */
export function fieldsWithSecrets(engine, fields) {
  return Object.entries(fields)
    .filter(([name, text]) => typeof text === "string" && engine.checkText(text, name).length > 0)
    .map(([name]) => name);
}

/**
 * A report on a body the engine could not read at all (as opposed to a document that reads but
 * is not a valid manifest): the engine's `manifest/syntax` finding on an input of no known format.
 */
export function syntaxFailure(report) {
  if (report.input.format !== "unknown") return null;
  return report.findings.find((f) => f.rule === RULE.ManifestSyntax) ?? null;
}
