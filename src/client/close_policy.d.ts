/**
 * Which closes end a room connection for good, and the client's older names
 * for the contract's close codes and reasons.
 *
 * @module
 */
/**
 * Whether a close code ends a connection for good: reconnecting would only
 * repeat it (1003, 1007, 1008 `READ_ONLY`/`RATE_LIMITED`/`TOKEN_EXPIRED`/
 * `TOKEN_REVOKED`, 1009, 4001 `KICKED`, 4003 `BANNED`). A connection whose
 * client has a `getToken` reconnects after `TOKEN_EXPIRED` with a fresh token.
 *
 * @param {number} code
 * @returns {boolean}
 */
export function isFatalClose(code: number): boolean;
/**
 * The wait before reconnect attempt `attempt` (0 first): the ceiling doubles
 * from `minMs` up to `maxMs`, and half of it is random ("equal jitter"), so
 * clients that dropped together spread out.
 *
 * @param {number} attempt
 * @param {number} minMs
 * @param {number} maxMs
 * @returns {number}
 */
export function reconnectDelayMs(attempt: number, minMs: number, maxMs: number): number;
/**
 * Close codes by name, plus `ABNORMAL` (1006, a dropped connection) and
 * `POLICY` (1008, shared by `READ_ONLY`, `RATE_LIMITED` and `TOKEN_EXPIRED`).
 *
 * @deprecated Use the contract's `CLOSE` table (`CLOSE.TOO_BIG.code`),
 *   `ABNORMAL_CLOSURE` and `POLICY_VIOLATION`, which this module re-exports.
 */
export const CLOSE_CODES: Readonly<{
  NORMAL: 1000;
  SHUTDOWN: 1001;
  BINARY_NOT_SUPPORTED: 1003;
  ABNORMAL: 1006;
  BAD_MESSAGE: 1007;
  POLICY: 1008;
  TOO_BIG: 1009;
  INTERNAL_ERROR: 1011;
  SLOW_CONSUMER: 1013;
}>;
/**
 * The close reasons the server sends, by name.
 *
 * @deprecated Use the contract's `CLOSE` table (`CLOSE.READ_ONLY.reason`).
 */
export const CLOSE_REASONS: Readonly<{
  SHUTDOWN: "SHUTDOWN";
  BINARY_NOT_SUPPORTED: "BINARY_NOT_SUPPORTED";
  BAD_MESSAGE: "BAD_MESSAGE";
  READ_ONLY: "READ_ONLY";
  RATE_LIMITED: "RATE_LIMITED";
  TOKEN_EXPIRED: "TOKEN_EXPIRED";
  TOO_BIG: "TOO_BIG";
  INTERNAL_ERROR: "INTERNAL_ERROR";
  SLOW_CONSUMER: "SLOW_CONSUMER";
}>;
