// Signed webhook deliveries: `Parapet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
// "<t>.<body>", as Stripe-style receivers expect. A receiver recomputes the HMAC with the shared
// secret, compares in constant time, and rejects old timestamps to stop replays.

const encoder = new TextEncoder();

/** Imports the HMAC key once; the secret text is the key bytes (UTF-8). */
export function importSigningKey(secret) {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/** The Parapet-Signature header value for `body` at unix time `t` (seconds). */
export async function signatureHeader(key, body, t) {
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${t}.${body}`));
  let hex = "";
  for (const b of new Uint8Array(mac)) hex += b.toString(16).padStart(2, "0");
  return `t=${t},v1=${hex}`;
}

/**
 * Delay before attempt `attempts + 1`, after `attempts` failed ones: base · 2^(attempts-1),
 * capped, with up to 10% jitter so that many queued deliveries do not retry in lock step.
 */
export function backoffMs(attempts, baseMs, maxMs) {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (1 + Math.random() * 0.1));
}

/**
 * POSTs one delivery. Resolves to `{ ok, status, error }`; never throws, and never puts the
 * response body anywhere (a misconfigured receiver might reflect headers or secrets).
 */
export async function deliver({ url, key, payload, deliveryId, event, timeoutMs }) {
  const t = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "parapet-edge",
        "parapet-event": event,
        "parapet-delivery": deliveryId,
        "parapet-signature": await signatureHeader(key, payload, t),
      },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain so the connection can be reused; the content is not looked at.
    await response.body?.cancel().catch(() => {});
    return { ok: response.status >= 200 && response.status < 300, status: response.status, error: null };
  } catch (e) {
    const error = e?.name === "TimeoutError" ? "timeout" : "connection failed";
    return { ok: false, status: null, error };
  }
}
