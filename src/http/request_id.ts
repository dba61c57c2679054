/**
 * The id of one HTTP request, in its log lines and its `x-request-id` header:
 * the client's or proxy's `X-Request-Id` when it is sane, so one id follows a
 * request through the proxy's logs and the server's, or a fresh one.
 *
 * @module
 */

/** The longest incoming id kept. */
export const MAX_REQUEST_ID_CHARS = 128;

/** Visible ASCII only: no spaces, no control or non-ASCII characters (safe in logs and headers). */
const SANE = /^[\x21-\x7e]+$/;

/** A fresh id: 8 hex digits, enough to tell the requests of a log apart. */
function freshRequestId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** The request's id: `incoming` when it is 1 to 128 visible ASCII characters, else a fresh one. */
export function requestIdFor(incoming: string | null | undefined): string {
  if (incoming && incoming.length <= MAX_REQUEST_ID_CHARS && SANE.test(incoming)) {
    return incoming;
  }
  return freshRequestId();
}
