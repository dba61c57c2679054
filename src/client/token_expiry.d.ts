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
export function tokenTimes(token: string): {
  issuedAtMs: number | undefined;
  expiresAtMs: number;
} | undefined;
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
export function refreshDelayMs(token: string, leadMs: number, nowMs: number): number | undefined;
