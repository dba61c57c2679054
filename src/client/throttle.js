// @ts-self-types="../client/throttle.d.ts"
/**
 * A throttle: lets one action through per interval (the v2 `typing` frame,
 * at most once per the contract's `TYPING_INTERVAL_MS`).
 *
 * @module
 */

/** Lets one call through per interval. */
export class Throttle {
  #intervalMs;
  /** @type {() => number} */
  #now;
  #last = -Infinity;

  /**
   * @param {number} intervalMs
   * @param {() => number} [now] the clock, in milliseconds (default `Date.now`)
   */
  constructor(intervalMs, now = Date.now) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /**
   * Whether the action may run now; if so, the interval starts again.
   *
   * @returns {boolean}
   */
  take() {
    const now = this.#now();
    if (now - this.#last < this.#intervalMs) return false;
    this.#last = now;
    return true;
  }
}
