// @ts-self-types="../client/close_policy.d.ts"
/**
 * Which closes end a room connection for good, and the client's older names
 * for the contract's close codes and reasons.
 *
 * @module
 */
import { ABNORMAL_CLOSURE, CLOSE, POLICY_VIOLATION } from "../contract/mod.js";

/**
 * Close codes by name, plus `ABNORMAL` (1006, a dropped connection) and
 * `POLICY` (1008, shared by `READ_ONLY`, `RATE_LIMITED` and `TOKEN_EXPIRED`).
 *
 * @deprecated Use the contract's `CLOSE` table (`CLOSE.TOO_BIG.code`),
 *   `ABNORMAL_CLOSURE` and `POLICY_VIOLATION`, which this module re-exports.
 */
export const CLOSE_CODES = Object.freeze({
  NORMAL: CLOSE.NORMAL.code,
  SHUTDOWN: CLOSE.SHUTDOWN.code,
  BINARY_NOT_SUPPORTED: CLOSE.BINARY_NOT_SUPPORTED.code,
  ABNORMAL: ABNORMAL_CLOSURE,
  BAD_MESSAGE: CLOSE.BAD_MESSAGE.code,
  POLICY: POLICY_VIOLATION,
  TOO_BIG: CLOSE.TOO_BIG.code,
  INTERNAL_ERROR: CLOSE.INTERNAL_ERROR.code,
  SLOW_CONSUMER: CLOSE.SLOW_CONSUMER.code,
});

/**
 * The close reasons the server sends, by name.
 *
 * @deprecated Use the contract's `CLOSE` table (`CLOSE.READ_ONLY.reason`).
 */
export const CLOSE_REASONS = Object.freeze({
  SHUTDOWN: CLOSE.SHUTDOWN.reason,
  BINARY_NOT_SUPPORTED: CLOSE.BINARY_NOT_SUPPORTED.reason,
  BAD_MESSAGE: CLOSE.BAD_MESSAGE.reason,
  READ_ONLY: CLOSE.READ_ONLY.reason,
  RATE_LIMITED: CLOSE.RATE_LIMITED.reason,
  TOKEN_EXPIRED: CLOSE.TOKEN_EXPIRED.reason,
  TOO_BIG: CLOSE.TOO_BIG.reason,
  INTERNAL_ERROR: CLOSE.INTERNAL_ERROR.reason,
  SLOW_CONSUMER: CLOSE.SLOW_CONSUMER.reason,
});

/** Closes whose cause a reconnect would only repeat: what the client sent, or who it is. */
const FATAL = new Set([
  CLOSE.BINARY_NOT_SUPPORTED.code,
  CLOSE.BAD_MESSAGE.code,
  POLICY_VIOLATION,
  CLOSE.TOO_BIG.code,
  CLOSE.KICKED.code,
  CLOSE.BANNED.code,
]);

/**
 * Whether a close code ends a connection for good: reconnecting would only
 * repeat it (1003, 1007, 1008 `READ_ONLY`/`RATE_LIMITED`/`TOKEN_EXPIRED`/
 * `TOKEN_REVOKED`, 1009, 4001 `KICKED`, 4003 `BANNED`). A connection whose
 * client has a `getToken` reconnects after `TOKEN_EXPIRED` with a fresh token.
 *
 * @param {number} code
 * @returns {boolean}
 */
export function isFatalClose(code) {
  return FATAL.has(code);
}

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
export function reconnectDelayMs(attempt, minMs, maxMs) {
  const ceiling = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
