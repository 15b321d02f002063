// ---- added by scripts/build-wasm.mjs (crates/parapet-wasm/js/prelude.d.ts) ----

/**
 * Every error the package throws: an `Error` named `"ParapetError"` with a `code`.
 * `e instanceof ParapetError` and `isParapetError(e)` both recognise it.
 */
export declare class ParapetError extends Error {
  /** Not constructed by callers: the package throws them. */
  private constructor();
  readonly name: "ParapetError";
  readonly code: ErrorCode;
  /** 1-based position of the (first) problem in the policy text (`invalid_policy`). */
  readonly line?: number;
  readonly column?: number;
  /** JSON Pointer of the (first) problem in the policy document (`invalid_policy`). */
  readonly pointer?: string;
  /** Every problem, for `invalid_policy`. */
  readonly errors?: PolicyProblem[];
  static [Symbol.hasInstance](value: unknown): value is ParapetError;
}

/** True when `value` is an error this package threw. */
export declare function isParapetError(value: unknown): value is ParapetError;
