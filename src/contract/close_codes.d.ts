/**
 * Every WebSocket close the server initiates, with its code and the short
 * reason word sent with it (CONTRACT §3, and the moderation closes of §6): one
 * table for the server, the client module and the page.
 *
 * @module
 */
/**
 * The row of {@linkcode CLOSE} a received close matches, by code and reason.
 *
 * @param {number} code the close event's `code`
 * @param {string} reason the close event's `reason`
 * @returns {CloseName | undefined} `undefined` for a close the table does not list
 */
export function closeNameOf(code: number, reason: string): CloseName | undefined;
/** The table of close reasons, by name (the name is the reason word, except `NORMAL`). */
export const CLOSE: Readonly<{
  /** Normal close. */
  NORMAL: Readonly<{
    readonly code: 1000;
    readonly reason: "";
  }>;
  /** The server is stopping. */
  SHUTDOWN: Readonly<{
    readonly code: 1001;
    readonly reason: "SHUTDOWN";
  }>;
  /** The client sent a binary frame. */
  BINARY_NOT_SUPPORTED: Readonly<{
    readonly code: 1003;
    readonly reason: "BINARY_NOT_SUPPORTED";
  }>;
  /** A frame that is not JSON, not an object, without a usable `text`, or with a bad `nonce`. */
  BAD_MESSAGE: Readonly<{
    readonly code: 1007;
    readonly reason: "BAD_MESSAGE";
  }>;
  /** An anonymous reader sent a frame. */
  READ_ONLY: Readonly<{
    readonly code: 1008;
    readonly reason: "READ_ONLY";
  }>;
  /** The connection's token bucket ran dry. */
  RATE_LIMITED: Readonly<{
    readonly code: 1008;
    readonly reason: "RATE_LIMITED";
  }>;
  /** The token's `exp` passed while connected. */
  TOKEN_EXPIRED: Readonly<{
    readonly code: 1008;
    readonly reason: "TOKEN_EXPIRED";
  }>;
  /** The token was revoked (a logout, a server ban) while connected. */
  TOKEN_REVOKED: Readonly<{
    readonly code: 1008;
    readonly reason: "TOKEN_REVOKED";
  }>;
  /** A v1 client muted in the room sent a message (v2 gets an `error` event instead). */
  MUTED: Readonly<{
    readonly code: 1008;
    readonly reason: "MUTED";
  }>;
  /** A frame over the frame limit or a text over the text limit. */
  TOO_BIG: Readonly<{
    readonly code: 1009;
    readonly reason: "TOO_BIG";
  }>;
  /** The server failed (for a send: the message was not stored). */
  INTERNAL_ERROR: Readonly<{
    readonly code: 1011;
    readonly reason: "INTERNAL_ERROR";
  }>;
  /** The client stopped reading and its unsent frames passed the server's bound. */
  SLOW_CONSUMER: Readonly<{
    readonly code: 1013;
    readonly reason: "SLOW_CONSUMER";
  }>;
  /** The server's memory passed its high-water mark: anonymous readers are shed (try again later). */
  OVERLOADED: Readonly<{
    readonly code: 1013;
    readonly reason: "OVERLOADED";
  }>;
  /** Removed from a private room, or disconnected by the server API. */
  KICKED: Readonly<{
    readonly code: 4001;
    readonly reason: "KICKED";
  }>;
  /** Banned from the room or from the server. */
  BANNED: Readonly<{
    readonly code: 4003;
    readonly reason: "BANNED";
  }>;
}>;
/**
 * The code a WebSocket reports when the connection dropped without a close
 * frame (RFC 6455 §7.1.5). Never sent on the wire; clients see it (browsers
 * as 1006, Deno as 0) and should reconnect.
 */
export const ABNORMAL_CLOSURE: 1006;
/**
 * The code every policy close of the table shares (`READ_ONLY`,
 * `RATE_LIMITED`, `TOKEN_EXPIRED`, `TOKEN_REVOKED`, `MUTED`): the reason word
 * tells them apart.
 */
export const POLICY_VIOLATION: 1008;
/**
 * A close code and the short reason word sent with it.
 */
export type CloseReason = {
  readonly code: number;
  readonly reason: string;
};
/**
 * The name of one row of {@linkcode CLOSE}.
 */
export type CloseName = keyof typeof CLOSE;
