// ---- parapet prelude (crates/parapet-wasm/js/prelude.js, added by scripts/build-wasm.mjs) ----

/**
 * Every error the package throws. The engine creates them in Rust as plain `Error`s named
 * "ParapetError" with a string `code`; `instanceof ParapetError` recognises them (and errors
 * from another copy of the package, or another realm) through `Symbol.hasInstance`.
 */
export class ParapetError extends Error {
  constructor(code, message, fields) {
    super(message);
    this.name = "ParapetError";
    this.code = code;
    if (fields) Object.assign(this, fields);
  }

  static [Symbol.hasInstance](value) {
    return isParapetError(value);
  }
}

/** True when `value` is an error this package threw (a type guard in TypeScript). */
export function isParapetError(value) {
  return value !== null && typeof value === "object"
    && Object.prototype.toString.call(value) === "[object Error]"
    && value.name === "ParapetError" && typeof value.code === "string";
}

/** What `wasm` is until `init()` (or `initSync()`) has run: any use throws `not_initialized`. */
const NOT_INITIALIZED = new Proxy({}, {
  get(_target, key) {
    if (key === "then") return undefined; // not a thenable
    throw new ParapetError(
      "not_initialized",
      "parapet is not initialised: `await init()` (the default export) before calling it " +
        "(the Node and workerd entries initialise themselves on import)",
    );
  },
});
// ---- end of the prelude; the wasm-bindgen glue follows ----
