/**
 * The HTTP throttles (login per address and per username, sign-up per
 * address) behind one interface, so the runtime can pick where their counts
 * live: in this process ({@linkcode memoryThrottles}) or in Redis, shared by
 * every process (`src/redis/shared_throttle.ts`).
 *
 * @module
 */
import { RateLimiter } from "./rate_limiter.ts";

/** Throttles one action per key. */
export interface Throttle {
  /** Takes a token for `key`. @throws {import("../errors.ts").RateLimitError} when there is none */
  take(key: string): void | Promise<void>;
  /** Gives back the token `take(key)` took, for an attempt that turned out not to count. */
  giveBack(key: string): void | Promise<void>;
}

/** What one throttle limits. */
export interface ThrottleSpec {
  /** A short stable id, part of shared keys: `login`, `login-user`, `signup`. */
  readonly name: string;
  /** Names the throttled action in the error message ("login attempts"). */
  readonly what: string;
  /** Tokens per minute, refilled evenly; 0 turns the throttle off. */
  readonly perMinute: number;
}

/** Makes the throttles of one app. */
export type ThrottleFactory = (spec: ThrottleSpec) => Throttle;

/** Throttles whose counts live in this process (each process counts on its own). */
export function memoryThrottles(now: () => number = Date.now): ThrottleFactory {
  return ({ what, perMinute }) => new RateLimiter(what, perMinute, now);
}
