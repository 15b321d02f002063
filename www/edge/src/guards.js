// Guards that keep the edge bounded whatever a client sends: a nesting check that runs before
// any recursive JavaScript touches a parsed body, a bound on validation work in flight (so that
// /healthz and small requests are not stuck behind a queue of large ones), a per-client rate
// limit, and bearer-token parsing that tells "no token" (401) from "wrong token" (403).

import { Problem } from "./http.js";

export { checkDepth, MAX_BODY_DEPTH } from "./http.js";

/** A 503 (or 429) with Retry-After, as every guard answers when it turns a request away. */
export function busy(status, detail, retryAfterS) {
  const type = status === 429 ? "rate-limited" : "busy";
  const title = status === 429 ? "Too Many Requests" : "Service Busy";
  return new Problem(status, type, title, detail, {
    headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterS))) },
    extra: { retryAfter: Math.max(1, Math.ceil(retryAfterS)) },
  });
}

/**
 * Bounds the engine work admitted in this isolate. The engine runs synchronously on the
 * isolate's one thread, in time linear in the body, so the bytes admitted are the work a
 * /healthz arriving now may wait behind. Two bounds, each answered at once with 503 +
 * Retry-After instead of queuing:
 *  - bytes in flight: at most `bytes` of bodies at once (one request is always admitted when
 *    nothing else is in flight; a single body is capped by the body limit anyway);
 *  - heavy bodies (over `heavyBytes`) draw from a bucket refilled at `heavyBytesPerSecond`, so
 *    that large validations keep the thread busy only part of the time (a duty cycle) while
 *    typical ones (a few KB) pass untouched. Time per byte cannot be measured inside a request
 *    (the runtime's clock stands still while code runs), so the rate is set in bytes.
 */
export class Gate {
  constructor({ bytes = 1024 * 1024, heavyBytes = 64 * 1024, heavyBytesPerSecond = 512 * 1024, now = () => Date.now() } = {}) {
    this.bytes = bytes;
    this.heavyBytes = heavyBytes;
    this.rate = heavyBytesPerSecond;
    this.burst = Math.max(heavyBytesPerSecond, 1024 * 1024);
    this.tokens = this.burst;
    this.refilled = now();
    this.now = now;
    this.inFlight = 0;
    this.bytesInFlight = 0;
  }

  /** Admits a request expected to carry `size` bytes; returns its release function, or throws. */
  enter(size) {
    const need = Math.max(1, size);
    if (this.inFlight > 0 && this.bytesInFlight + need > this.bytes) {
      throw busy(503, "The validator is busy with other requests; try again shortly.", 1);
    }
    if (need > this.heavyBytes) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.refilled) / 1000) * this.rate);
      this.refilled = t;
      const cost = Math.min(need, this.burst);
      if (this.tokens < cost) {
        throw busy(503, "The validator is busy with large manifests; try again shortly.", (cost - this.tokens) / this.rate);
      }
      this.tokens -= cost;
    }
    this.inFlight += 1;
    this.bytesInFlight += need;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.bytesInFlight -= need;
    };
  }

  /** Runs `fn` admitted for `size` bytes. */
  async run(size, fn) {
    const release = this.enter(size);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/**
 * A fixed-window counter per key (a client address, a requester): at most `limit` events per
 * `windowMs`. Memory is bounded: at most `maxKeys` keys are tracked; when full, expired windows
 * are swept and, failing that, the oldest key is dropped.
 */
export class RateLimiter {
  constructor({ limit, windowMs, maxKeys = 10_000 }) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.maxKeys = maxKeys;
    this.windows = new Map();
  }

  /** Counts one event for `key`; throws a 429 problem with Retry-After when over the limit. */
  take(key, now = Date.now()) {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) {
      throw busy(429, `At most ${this.limit} requests per ${Math.round(this.windowMs / 1000)} s are accepted from one client; try again later.`,
        (w.start + this.windowMs - now) / 1000);
    }
    w.count += 1;
  }

  sweep(now) {
    for (const [k, w] of this.windows) {
      if (now - w.start >= this.windowMs) this.windows.delete(k);
    }
    while (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value);
  }
}

/** The client address for rate limiting: Cloudflare's header when deployed, else one bucket. */
export function clientKey(request) {
  return request.headers.get("cf-connecting-ip") ?? "local";
}

/**
 * The bearer token of a request: null when there is none (no header, or `Bearer` with nothing
 * after it — both a 401), `false` when the header is malformed (a 403 like a wrong token).
 */
export function bearerToken(request) {
  const header = request.headers.get("authorization");
  if (header === null || /^\s*(Bearer\s*)?$/i.test(header)) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : false;
}

/** A positive integer from a binding, or `fallback`. */
export function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
