/**
 * The errors the client module raises: a failed REST call, a connection that
 * closed, a send that was not acknowledged in time, a v2 request the server
 * refused without closing.
 *
 * @module
 */
/** An error envelope from the server (`{"error": {"type", "message"}}`), or a failed request. */
export class ApiError extends Error {
  /**
   * Makes the error of a failed request.
   *
   * @param {number} status The HTTP status; 0 when the server could not be reached.
   * @param {string} type The envelope's `error.type`, e.g. `USER_EXISTS`; `NETWORK_ERROR`
   *   when the server could not be reached, `BAD_RESPONSE` when it did not answer with an envelope.
   * @param {string} message
   * @param {{ retryAfter?: number, cause?: unknown }} [options] `retryAfter`: seconds, from `Retry-After`.
   */
  constructor(status: number, type: string, message: string, options?: {
    retryAfter?: number;
    cause?: unknown;
  });
  /** The HTTP status; 0 when the server could not be reached. @type {number} */
  status: number;
  /** The envelope's `error.type`, or `NETWORK_ERROR` / `BAD_RESPONSE`. @type {string} */
  type: string;
  /** Seconds to wait, from `Retry-After`. @type {number | undefined} */
  retryAfter: number | undefined;
}
/** A room connection that closed: the close code and reason. */
export class ClosedError extends Error {
  /**
   * Makes the error of a close.
   *
   * @param {number} code
   * @param {string} reason
   * @param {string} [message] defaults to one naming the code and reason
   */
  constructor(code: number, reason: string, message?: string);
  /** The close code. @type {number} */
  code: number;
  /** The close reason (a word of the contract's close table, or empty). @type {string} */
  reason: string;
}
/** A `send()` whose echo did not arrive in time. The message may still be delivered later. */
export class TimeoutError extends Error {
  /**
   * Makes the error of a send that timed out.
   *
   * @param {string} message
   */
  constructor(message: string);
}
/**
 * A v2 request the server refused with an `error` event while keeping the
 * connection open (blank or over-long text, not allowed, muted, an unknown
 * target, rate limited, a token of another user).
 */
export class ReplyError extends Error {
  /**
   * Makes the error of a v2 `error` event.
   *
   * @param {string} type The event's `error.type`, e.g. `FORBIDDEN`, `MESSAGE_NOT_FOUND`.
   * @param {string} message The event's `error.message`: short, human, safe to show.
   * @param {string} [nonce] The failed frame's nonce, when it had one.
   */
  constructor(type: string, message: string, nonce?: string);
  /** The error type, as in the REST envelope. @type {string} */
  type: string;
  /** The failed frame's nonce, when it had one. @type {string | undefined} */
  nonce: string | undefined;
}
