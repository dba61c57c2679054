// @ts-self-types="../client/errors.d.ts"
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
  constructor(status, type, message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    /** The HTTP status; 0 when the server could not be reached. @type {number} */
    this.status = status;
    /** The envelope's `error.type`, or `NETWORK_ERROR` / `BAD_RESPONSE`. @type {string} */
    this.type = type;
    /** Seconds to wait, from `Retry-After`. @type {number | undefined} */
    this.retryAfter = options.retryAfter;
  }
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
  constructor(code, reason, message) {
    super(message ?? `Connection closed with ${code}${reason ? ` ${reason}` : ""}`);
    this.name = "ClosedError";
    /** The close code. @type {number} */
    this.code = code;
    /** The close reason (a word of the contract's close table, or empty). @type {string} */
    this.reason = reason;
  }
}

/** A `send()` whose echo did not arrive in time. The message may still be delivered later. */
export class TimeoutError extends Error {
  /**
   * Makes the error of a send that timed out.
   *
   * @param {string} message
   */
  constructor(message) {
    super(message);
    this.name = "TimeoutError";
  }
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
  constructor(type, message, nonce) {
    super(message);
    this.name = "ReplyError";
    /** The error type, as in the REST envelope. @type {string} */
    this.type = type;
    /** The failed frame's nonce, when it had one. @type {string | undefined} */
    this.nonce = nonce;
  }
}
