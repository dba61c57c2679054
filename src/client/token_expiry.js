// @ts-self-types="../client/token_expiry.d.ts"
/**
 * When a token should be refreshed: read from its own `exp` and `iat` claims
 * (the client only reads them; the server verifies the signature).
 *
 * @module
 */

/**
 * The `iat` and `exp` claims of a JWT in milliseconds, or `undefined` when
 * the token cannot be read or has no `exp`.
 *
 * @param {string} token
 * @returns {{ issuedAtMs: number | undefined, expiresAtMs: number } | undefined}
 */
export function tokenTimes(token) {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
    if (typeof claims?.exp !== "number") return undefined;
    const issuedAtMs = typeof claims.iat === "number" ? claims.iat * 1000 : undefined;
    return { issuedAtMs, expiresAtMs: claims.exp * 1000 };
  } catch {
    return undefined;
  }
}

/**
 * How long from `nowMs` until a token should be refreshed: `leadMs` before it
 * expires, but never earlier than halfway through its life (so a short-lived
 * token is not refreshed at once). 0 when that moment has passed; `undefined`
 * for a token without a readable `exp`.
 *
 * @param {string} token
 * @param {number} leadMs
 * @param {number} nowMs
 * @returns {number | undefined}
 */
export function refreshDelayMs(token, leadMs, nowMs) {
  const times = tokenTimes(token);
  if (!times) return undefined;
  const { issuedAtMs, expiresAtMs } = times;
  const halfLife = issuedAtMs === undefined ? leadMs : (expiresAtMs - issuedAtMs) / 2;
  const lead = Math.min(leadMs, Math.max(0, halfLife));
  return Math.max(0, expiresAtMs - lead - nowMs);
}
