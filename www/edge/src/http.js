// HTTP plumbing for the edge worker: problem+json errors (RFC 9457), bounded body reading,
// media types and CORS. Nothing here ever copies a request body into a response or a log.

/** Largest request body the API accepts (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const PROBLEM_BASE = "https://parapet.dev/problems/";

/** An HTTP error that becomes an application/problem+json response. */
export class Problem extends Error {
  /**
   * @param {number} status
   * @param {string} type   short slug, expanded to a URI under PROBLEM_BASE
   * @param {string} title  the same for every occurrence of this type
   * @param {string} detail this occurrence; must never contain request body text
   * @param {{ headers?: Record<string, string>, extra?: Record<string, unknown> }} [more]
   */
  constructor(status, type, title, detail, more = {}) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.headers = more.headers ?? {};
    this.extra = more.extra ?? {};
  }

  toResponse() {
    const body = {
      type: PROBLEM_BASE + this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...this.extra,
    };
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: {
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        ...this.headers,
      },
    });
  }
}

export const problems = {
  notFound: (detail = "No resource at this path.") =>
    new Problem(404, "not-found", "Not Found", detail),
  methodNotAllowed: (allow) =>
    new Problem(405, "method-not-allowed", "Method Not Allowed",
      `This resource answers only ${allow.join(", ")}.`, { headers: { allow: allow.join(", ") } }),
  tooLarge: (limit = MAX_BODY_BYTES) =>
    new Problem(413, "payload-too-large", "Payload Too Large",
      `The request body is larger than ${limit} bytes.`),
  unsupportedMediaType: (got, accepted) =>
    new Problem(415, "unsupported-media-type", "Unsupported Media Type",
      // The received type is not echoed: a header is request content like any other.
      `${got ? "This media type is" : "A body without a Content-Type is"} not accepted here; send one of ${accepted.join(", ")}.`,
      { headers: { accept: accepted.join(", ") }, extra: { accepted } }),
  malformed: (detail, extra) =>
    new Problem(400, "malformed-body", "Malformed Request Body", detail, { extra }),
  invalid: (detail, extra) =>
    new Problem(400, "invalid-request", "Invalid Request", detail, { extra }),
  unauthorized: () =>
    new Problem(401, "unauthorized", "Unauthorized",
      "This endpoint needs a reviewer token: Authorization: Bearer <token>.",
      { headers: { "www-authenticate": 'Bearer realm="parapet-reviewers"' } }),
  forbidden: () =>
    new Problem(403, "forbidden", "Forbidden", "The reviewer token is not valid."),
  internal: () =>
    new Problem(500, "internal", "Internal Server Error",
      "The server could not complete the request."),
};

/** JSON response with no-store caching (API answers are per request). */
export function json(body, status = 200, headers = {}) {
  return jsonText(JSON.stringify(body), status, headers);
}

/**
 * An answer whose body is JSON already: text, or its UTF-8 bytes (e.g. `engine.evaluateJsonBytes`'s
 * report).
 */
export function jsonText(text, status = 200, headers = {}) {
  return new Response(text, {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** The media type of a request without parameters, lower-cased; "" when absent. */
export function mediaType(request) {
  const raw = request.headers.get("content-type");
  if (!raw) return "";
  return raw.split(";", 1)[0].trim().toLowerCase();
}

/**
 * A refused body up to this size is still read (and dropped) before the 413 is sent: workerd
 * closes a connection whose request body was left unread, and a client still sending then sees
 * a reset instead of the answer. Bigger bodies are cut off at once.
 */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads the request body as bytes, refusing more than `limit` bytes: first by the declared
 * Content-Length, then while reading the stream (a chunked or lying client is cut off). Nothing
 * over the limit is kept in memory.
 */
export async function readBody(request, limit = MAX_BODY_BYTES) {
  const declared = request.headers.get("content-length");
  const expectsContinue = request.headers.has("expect");
  if (declared !== null) {
    const n = Number(declared);
    if (!Number.isFinite(n) || n < 0) throw problems.malformed("Content-Length is not a number.");
    if (n > limit) {
      // With Expect: 100-continue the client waits for us: answer without reading.
      if (!expectsContinue && n <= DRAIN_LIMIT_BYTES && request.body) await drain(request.body.getReader(), 0);
      throw problems.tooLarge(limit);
    }
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await drain(reader, total);
      throw problems.tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Reads and drops a request's body (up to DRAIN_LIMIT_BYTES), so that an answer sent without
 * using it (a 503, a 429) reaches a client that is still sending instead of a reset.
 */
export async function discardBody(request) {
  if (request.body && !request.bodyUsed) await drain(request.body.getReader(), 0);
}

/** Reads and drops the rest of a body, up to DRAIN_LIMIT_BYTES in all; then gives up on it. */
async function drain(reader, seen) {
  try {
    while (seen <= DRAIN_LIMIT_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to answer.
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly; invalid bytes are a 400, reported by offset only. */
export function decodeUtf8(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    throw problems.malformed("The body is not valid UTF-8.");
  }
}

/**
 * Parses a JSON body; the error names the position, never the text. The result's nesting is
 * checked (see checkDepth), so that callers may walk it recursively.
 */
export function parseJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(String(e?.message ?? ""));
    throw problems.malformed(`The body is not valid JSON${at ? ` (at offset ${at[1]})` : ""}.`);
  }
  checkDepth(value);
  return value;
}

/**
 * Deepest nesting of arrays/objects accepted in a JSON body. The engine refuses manifests nested
 * deeper than 64 levels; a body wraps the manifest in a few more.
 */
export const MAX_BODY_DEPTH = 80;

/** The media types a manifest or vendor export may be posted as, and the engine format each means. */
export const MANIFEST_TYPES = {
  "application/json": "json",
  "application/yaml": "yaml",
  "application/x-yaml": "yaml",
  "text/yaml": "yaml",
  "text/x-yaml": "yaml",
  "text/plain": "auto",
};

/**
 * Throws a 400 problem when `value` nests arrays/objects deeper than `max`. Iterative (an explicit
 * stack, bounded by the body's size), so it cannot itself overflow the JavaScript stack; call it
 * on every parsed body before JSON.stringify, canonicalisation or any other recursive walk.
 */
export function checkDepth(value, max = MAX_BODY_DEPTH) {
  if (value === null || typeof value !== "object") return;
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (depth > max) {
      throw new Problem(400, "too-deeply-nested", "Too Deeply Nested",
        `The body nests arrays or objects deeper than ${max} levels.`);
    }
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === "object") stack.push([c, depth + 1]);
    }
  }
}


// ---------------------------------------------------------------------------------------------
// CORS

/** Parses the ALLOWED_ORIGINS binding: a JSON array or a comma/space separated list. */
export function parseOrigins(value) {
  if (value == null || value === "") return [];
  const text = String(value).trim();
  let list;
  if (text.startsWith("[")) {
    list = JSON.parse(text);
    if (!Array.isArray(list) || !list.every((o) => typeof o === "string")) {
      throw new Error("ALLOWED_ORIGINS must be a JSON array of strings or a comma-separated list");
    }
  } else {
    list = text.split(/[\s,]+/).filter(Boolean);
  }
  for (const o of list) {
    if (o === "*") continue;
    let u;
    try {
      u = new URL(o);
    } catch {
      throw new Error(`ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin (scheme://host[:port])`);
    }
    if (u.origin !== o.replace(/\/$/, "")) {
      throw new Error(`ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin (scheme://host[:port])`);
    }
  }
  return list.map((o) => o.replace(/\/$/, ""));
}

export const CORS_ALLOW_HEADERS = "Content-Type, Idempotency-Key, Authorization";
export const CORS_EXPOSE_HEADERS = "Location";

export class Cors {
  /** @param {string[]} origins */
  constructor(origins) {
    this.any = origins.includes("*");
    this.origins = new Set(origins);
  }

  allows(origin) {
    return origin !== null && (this.any || this.origins.has(origin));
  }

  /** Adds the CORS response headers when the request's Origin is allowed. */
  decorate(request, response) {
    const origin = request.headers.get("origin");
    if (!this.allows(origin)) return response;
    const out = new Response(response.body, response);
    out.headers.set("access-control-allow-origin", this.any ? "*" : origin);
    out.headers.set("access-control-expose-headers", CORS_EXPOSE_HEADERS);
    out.headers.append("vary", "Origin");
    return out;
  }

  /** Answers an OPTIONS request for a resource answering `methods`. */
  preflight(request, methods) {
    const origin = request.headers.get("origin");
    const wanted = request.headers.get("access-control-request-method");
    const allow = [...methods, "OPTIONS"];
    if (origin === null || wanted === null) {
      // Not a CORS preflight: a plain OPTIONS asking what the resource supports.
      return new Response(null, { status: 204, headers: { allow: allow.join(", ") } });
    }
    if (!this.allows(origin)) {
      return new Problem(403, "cors-origin-not-allowed", "Origin Not Allowed",
        "This origin is not in the service's allowed origins.").toResponse();
    }
    return new Response(null, {
      status: 204,
      headers: {
        allow: allow.join(", "),
        "access-control-allow-origin": this.any ? "*" : origin,
        "access-control-allow-methods": allow.join(", "),
        "access-control-allow-headers": CORS_ALLOW_HEADERS,
        "access-control-max-age": "600",
        vary: "Origin",
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Hex SHA-256 of a string (UTF-8) or of bytes, by the runtime's native SHA-256. */
export async function sha256Hex(data) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/**
 * A request body's digest as the engine writes it (`sha256:` and lowercase hex), by the runtime's
 * native SHA-256: handed to the engine (`{ digest }`), which then does not hash the body again
 * with its portable code (~13-20% of a typical evaluation in wasm).
 */
export async function inputDigest(bytes) {
  return `sha256:${await sha256Hex(bytes)}`;
}

export function toHex(bytes) {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Compares two strings in time independent of where they differ. */
export async function constantTimeEquals(a, b) {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(a)),
    crypto.subtle.digest("SHA-256", enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(x, y);
}

/** Today's date in UTC, YYYY-MM-DD. */
export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}
