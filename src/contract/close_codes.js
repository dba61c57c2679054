// @ts-self-types="./close_codes.d.ts"
/**
 * Every WebSocket close the server initiates, with its code and the short
 * reason word sent with it (CONTRACT §3, and the moderation closes of §6): one
 * table for the server, the client module and the page.
 *
 * @module
 */

/**
 * A close code and the short reason word sent with it.
 * @typedef {{ readonly code: number, readonly reason: string }} CloseReason
 */

/** The table of close reasons, by name (the name is the reason word, except `NORMAL`). */
export const CLOSE = Object.freeze({
  /** Normal close. */
  NORMAL: Object.freeze(/** @type {const} */ ({ code: 1000, reason: "" })),
  /** The server is stopping. */
  SHUTDOWN: Object.freeze(/** @type {const} */ ({ code: 1001, reason: "SHUTDOWN" })),
  /** The client sent a binary frame. */
  BINARY_NOT_SUPPORTED: Object.freeze(
    /** @type {const} */ ({ code: 1003, reason: "BINARY_NOT_SUPPORTED" }),
  ),
  /** A frame that is not JSON, not an object, without a usable `text`, or with a bad `nonce`. */
  BAD_MESSAGE: Object.freeze(/** @type {const} */ ({ code: 1007, reason: "BAD_MESSAGE" })),
  /** An anonymous reader sent a frame. */
  READ_ONLY: Object.freeze(/** @type {const} */ ({ code: 1008, reason: "READ_ONLY" })),
  /** The connection's token bucket ran dry. */
  RATE_LIMITED: Object.freeze(/** @type {const} */ ({ code: 1008, reason: "RATE_LIMITED" })),
  /** The token's `exp` passed while connected. */
  TOKEN_EXPIRED: Object.freeze(/** @type {const} */ ({ code: 1008, reason: "TOKEN_EXPIRED" })),
  /** The token was revoked (a logout, a server ban) while connected. */
  TOKEN_REVOKED: Object.freeze(/** @type {const} */ ({ code: 1008, reason: "TOKEN_REVOKED" })),
  /** A v1 client muted in the room sent a message (v2 gets an `error` event instead). */
  MUTED: Object.freeze(/** @type {const} */ ({ code: 1008, reason: "MUTED" })),
  /** A frame over the frame limit or a text over the text limit. */
  TOO_BIG: Object.freeze(/** @type {const} */ ({ code: 1009, reason: "TOO_BIG" })),
  /** The server failed (for a send: the message was not stored). */
  INTERNAL_ERROR: Object.freeze(/** @type {const} */ ({ code: 1011, reason: "INTERNAL_ERROR" })),
  /** The client stopped reading and its unsent frames passed the server's bound. */
  SLOW_CONSUMER: Object.freeze(/** @type {const} */ ({ code: 1013, reason: "SLOW_CONSUMER" })),
  /** The server's memory passed its high-water mark: anonymous readers are shed (try again later). */
  OVERLOADED: Object.freeze(/** @type {const} */ ({ code: 1013, reason: "OVERLOADED" })),
  /** Removed from a private room, or disconnected by the server API. */
  KICKED: Object.freeze(/** @type {const} */ ({ code: 4001, reason: "KICKED" })),
  /** Banned from the room or from the server. */
  BANNED: Object.freeze(/** @type {const} */ ({ code: 4003, reason: "BANNED" })),
});

/**
 * The name of one row of {@linkcode CLOSE}.
 * @typedef {keyof typeof CLOSE} CloseName
 */

/**
 * The code a WebSocket reports when the connection dropped without a close
 * frame (RFC 6455 §7.1.5). Never sent on the wire; clients see it (browsers
 * as 1006, Deno as 0) and should reconnect.
 */
export const ABNORMAL_CLOSURE = 1006;

/**
 * The code every policy close of the table shares (`READ_ONLY`,
 * `RATE_LIMITED`, `TOKEN_EXPIRED`, `TOKEN_REVOKED`, `MUTED`): the reason word
 * tells them apart.
 */
export const POLICY_VIOLATION = 1008;

/**
 * The row of {@linkcode CLOSE} a received close matches, by code and reason.
 *
 * @param {number} code the close event's `code`
 * @param {string} reason the close event's `reason`
 * @returns {CloseName | undefined} `undefined` for a close the table does not list
 */
export function closeNameOf(code, reason) {
  for (const [name, row] of Object.entries(CLOSE)) {
    if (row.code === code && row.reason === reason) return /** @type {CloseName} */ (name);
  }
  return undefined;
}
