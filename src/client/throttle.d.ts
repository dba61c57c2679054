/**
 * A throttle: lets one action through per interval (the v2 `typing` frame,
 * at most once per the contract's `TYPING_INTERVAL_MS`).
 *
 * @module
 */
/** Lets one call through per interval. */
export class Throttle {
  /**
   * @param {number} intervalMs
   * @param {() => number} [now] the clock, in milliseconds (default `Date.now`)
   */
  constructor(intervalMs: number, now?: () => number);
  /**
   * Whether the action may run now; if so, the interval starts again.
   *
   * @returns {boolean}
   */
  take(): boolean;
  #private;
}
