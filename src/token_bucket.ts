/**
 * A token bucket: `burst` tokens, refilled at `perSecond`.
 *
 * @module
 */

/** A token bucket over an injectable clock (milliseconds). */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  readonly #burst: number;
  readonly #perMs: number;
  readonly #now: () => number;

  constructor(burst: number, perSecond: number, now: () => number = Date.now) {
    this.#burst = burst;
    this.#tokens = burst;
    this.#perMs = perSecond / 1000;
    this.#now = now;
    this.#updatedAt = now();
  }

  #refill(): void {
    const at = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (at - this.#updatedAt) * this.#perMs);
    this.#updatedAt = at;
  }

  /** Takes one token; `false` when the bucket is empty. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Gives back a token taken for an action that turned out not to count. */
  giveBack(): void {
    this.#refill();
    this.#tokens = Math.min(this.#burst, this.#tokens + 1);
  }

  /** Milliseconds until one token is available (0 when one is). */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /** True when the bucket is full again, so it can be forgotten. */
  get full(): boolean {
    this.#refill();
    return this.#tokens >= this.#burst;
  }
}
