// The edge's Ed25519 signing keys (signed waivers, validation attestations) and their JWKS.
//
// Binding SIGNING_KEYS: a JSON list (or a JWKS object) of private Ed25519 JWKs
// `{ kty: "OKP", crv: "Ed25519", kid, x, d }`, newest first. The first key signs; every key is
// published at GET /v1/keys, so waivers and attestations signed before a rotation still verify
// while the old key stays listed. `npm start` generates one key into its data directory when
// PARAPET_SIGNING_KEYS is not set. The private part (`d`) never leaves this module.

const B64URL = /^[A-Za-z0-9_-]{43}$/;
const KID = /^[\x21-\x7e]{1,128}$/;

/**
 * Checks the binding at start-up (synchronously: a bad key stops the worker) and returns the
 * signer, or null when no key is configured (approvals then carry no waiver and
 * POST /v1/attestations answers 503).
 */
export function parseSigningKeys(text) {
  if (text === undefined || text === null || String(text).trim() === "") return null;
  let value;
  try {
    value = JSON.parse(String(text));
  } catch {
    throw new Error("SIGNING_KEYS is not JSON (a list of private Ed25519 JWKs)");
  }
  const list = Array.isArray(value) ? value : value?.keys;
  if (!Array.isArray(list) || list.length === 0 || list.length > 16) {
    throw new Error("SIGNING_KEYS must be a non-empty list (at most 16) of private Ed25519 JWKs");
  }
  const seen = new Set();
  const keys = list.map((k, i) => {
    if (k?.kty !== "OKP" || k?.crv !== "Ed25519") throw new Error(`SIGNING_KEYS[${i}] is not an Ed25519 JWK (kty OKP, crv Ed25519)`);
    if (!B64URL.test(k.x ?? "") || !B64URL.test(k.d ?? "")) throw new Error(`SIGNING_KEYS[${i}] needs x and d (32 bytes each, base64url)`);
    if (!KID.test(k.kid ?? "")) throw new Error(`SIGNING_KEYS[${i}] needs a kid (1 to 128 visible ASCII characters)`);
    if (seen.has(k.kid)) throw new Error(`SIGNING_KEYS[${i}]: kid ${JSON.stringify(k.kid)} is used twice`);
    seen.add(k.kid);
    return { kid: k.kid, x: k.x, d: k.d };
  });
  return new Signer(keys);
}

export class Signer {
  constructor(keys) {
    this.kid = keys[0].kid;
    this.jwks = {
      keys: keys.map((k) => ({ kty: "OKP", crv: "Ed25519", kid: k.kid, x: k.x, alg: "EdDSA", use: "sig" })),
    };
    const active = keys[0];
    this.keyPromise = null;
    this.importKey = () => {
      this.keyPromise ??= crypto.subtle.importKey(
        "jwk", { kty: "OKP", crv: "Ed25519", x: active.x, d: active.d }, { name: "Ed25519" }, false, ["sign"],
      );
      return this.keyPromise;
    };
  }

  /** A DSSE envelope over `payload` (bytes) with the active key. */
  async envelope(payloadType, payload) {
    const key = await this.importKey();
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, pae(payloadType, payload)));
    return { payload: base64(payload), payloadType, signatures: [{ keyid: this.kid, sig: base64(sig) }] };
  }
}

const encoder = new TextEncoder();

/** DSSE v1 pre-authentication encoding. */
export function pae(payloadType, payload) {
  const type = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${type.length} `);
  const mid = encoder.encode(` ${payload.length} `);
  const out = new Uint8Array(head.length + type.length + mid.length + payload.length);
  out.set(head, 0);
  out.set(type, head.length);
  out.set(mid, head.length + type.length);
  out.set(payload, head.length + type.length + mid.length);
  return out;
}

/** Standard base64 with padding. */
export function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** GET /v1/keys: the public keys as a JWKS (empty when signing is not configured). */
export function keysResponse(signer) {
  return new Response(JSON.stringify(signer ? signer.jwks : { keys: [] }), {
    headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" },
  });
}
