// @ts-self-types="../client/token_refresher.d.ts"
/**
 * Keeps one room connection's token fresh with the client's `getToken()`:
 * before the token's `exp`, a v2 connection sends the new one in an `auth`
 * frame and stays open; every (re)connect uses a token that is not about to
 * expire.
 *
 * @module
 */
import { refreshDelayMs } from "../client/token_expiry.js";

/** The least time between two refreshes, so a `getToken()` that returns a stale token cannot spin. */
const MIN_INTERVAL_MS = 1000;

/** The token of one room connection. */
export class TokenRefresher {
  /** @type {string | undefined} */
  #token;
  /** @type {(() => Promise<string>) | undefined} */
  #refresh;
  #leadMs;
  /** @type {(token: string) => boolean} */
  #send;
  /** @type {(error: Error) => void} */
  #failed;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  #stale = false;
  /** Whether a socket is open to refresh on (from `schedule()` to `cancel()`). */
  #active = false;

  /**
   * @param {object} init
   * @param {string | undefined} init.token the token joined with
   * @param {(() => Promise<string>) | undefined} init.refresh a fresh token (the client's `getToken`)
   * @param {number} init.leadMs how long before `exp` to refresh
   * @param {(token: string) => boolean} init.send writes the `auth` frame; false when the socket is down
   * @param {(error: Error) => void} init.failed told when a refresh fails
   */
  constructor(init) {
    this.#token = init.token;
    this.#refresh = init.refresh;
    this.#leadMs = init.leadMs;
    this.#send = init.send;
    this.#failed = init.failed;
  }

  /** Whether a fresh token can be had (the client has a `getToken`). @returns {boolean} */
  get canRefresh() {
    return this.#refresh !== undefined && this.#token !== undefined;
  }

  /**
   * The token to connect with: refreshed first when it is due (or the server
   * said it expired). A failed refresh leaves the old one; the handshake tells.
   *
   * @returns {Promise<string | undefined>}
   */
  async current() {
    const token = this.#token;
    if (!this.#refresh || token === undefined) return token;
    if (this.#stale || refreshDelayMs(token, this.#leadMs, Date.now()) === 0) {
      try {
        this.#token = await this.#refresh();
        this.#stale = false;
      } catch (error) {
        this.#failed(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.#token;
  }

  /** The server closed with `TOKEN_EXPIRED`: refresh before the next connect. @returns {void} */
  expired() {
    this.#stale = true;
  }

  /**
   * Schedules the next in-band refresh of an open v2 connection.
   *
   * @returns {void}
   */
  schedule() {
    this.cancel();
    this.#active = true;
    const token = this.#token;
    if (!this.#refresh || token === undefined) return;
    const delay = refreshDelayMs(token, this.#leadMs, Date.now());
    if (delay === undefined) return;
    this.#timer = setTimeout(() => void this.#renew(), Math.max(delay, MIN_INTERVAL_MS));
  }

  /** Stops the scheduled refresh (the socket closed). @returns {void} */
  cancel() {
    this.#active = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #renew() {
    this.#timer = undefined;
    const refresh = this.#refresh;
    if (!refresh) return;
    try {
      const token = await refresh();
      this.#token = token;
      // When the socket closed meanwhile, the next connect uses the new token.
      if (this.#active && this.#send(token)) this.schedule();
    } catch (error) {
      if (!this.#active) return;
      this.#failed(error instanceof Error ? error : new Error(String(error)));
      this.schedule(); // Tries again (at least a second later) until the token expires.
    }
  }
}
