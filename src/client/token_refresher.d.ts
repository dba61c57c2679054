/**
 * Keeps one room connection's token fresh with the client's `getToken()`:
 * before the token's `exp`, a v2 connection sends the new one in an `auth`
 * frame and stays open; every (re)connect uses a token that is not about to
 * expire.
 *
 * @module
 */
/** The token of one room connection. */
export class TokenRefresher {
  /**
   * @param {object} init
   * @param {string | undefined} init.token the token joined with
   * @param {(() => Promise<string>) | undefined} init.refresh a fresh token (the client's `getToken`)
   * @param {number} init.leadMs how long before `exp` to refresh
   * @param {(token: string) => boolean} init.send writes the `auth` frame; false when the socket is down
   * @param {(error: Error) => void} init.failed told when a refresh fails
   */
  constructor(init: {
    token: string | undefined;
    refresh: (() => Promise<string>) | undefined;
    leadMs: number;
    send: (token: string) => boolean;
    failed: (error: Error) => void;
  });
  /** Whether a fresh token can be had (the client has a `getToken`). @returns {boolean} */
  get canRefresh(): boolean;
  /**
   * The token to connect with: refreshed first when it is due (or the server
   * said it expired). A failed refresh leaves the old one; the handshake tells.
   *
   * @returns {Promise<string | undefined>}
   */
  current(): Promise<string | undefined>;
  /** The server closed with `TOKEN_EXPIRED`: refresh before the next connect. @returns {void} */
  expired(): void;
  /**
   * Schedules the next in-band refresh of an open v2 connection.
   *
   * @returns {void}
   */
  schedule(): void;
  /** Stops the scheduled refresh (the socket closed). @returns {void} */
  cancel(): void;
  #private;
}
