/**
 * Keyed token buckets for HTTP throttles (login per address and per username,
 * sign-up per address). Full buckets are swept out whenever the map doubles,
 * so memory stays bounded by the keys active within one refill window.
 *
 * @module
 */
import { RateLimitError } from "../errors.ts";
import { TokenBucket } from "../token_bucket.ts";

/** The fewest keys at which full buckets are swept out. */
const MIN_SWEEP_AT = 256;

/** Throttles actions per key: `perMinute` tokens, refilled evenly over a minute. */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #what: string;
  #sweepAt = MIN_SWEEP_AT;

  /**
   * @param what names the throttled action in the error message
   * @param perMinute 0 turns the limiter off
   */
  constructor(what: string, perMinute: number, now: () => number = Date.now) {
    this.#what = what;
    this.#perMinute = perMinute;
    this.#now = now;
  }

  #bucket(key: string): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#sweepAt) {
        this.#sweep();
        // Sweep again when the map has doubled: amortised O(1), memory ~2× the active keys.
        this.#sweepAt = Math.max(MIN_SWEEP_AT, this.#buckets.size * 2);
      }
      bucket = new TokenBucket(this.#perMinute, this.#perMinute / 60, this.#now);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #sweep(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.full) this.#buckets.delete(key);
  }

  /** Gives back the token `take(key)` took, for an attempt that turned out not to count. */
  giveBack(key: string): void {
    this.#buckets.get(key)?.giveBack();
  }

  /** Takes a token for `key`. @throws {RateLimitError} when there is none */
  take(key: string): void {
    if (this.#perMinute <= 0) return;
    const bucket = this.#bucket(key);
    if (!bucket.take()) {
      throw new RateLimitError(`Too many ${this.#what}; try again later`, bucket.waitMs() / 1000);
    }
  }
}
