/**
 * Throttles whose token buckets live in Redis, so every process behind one
 * Redis shares one count per key: three processes do not give an attacker
 * three times the login attempts. The bucket is the in-process one
 * (`src/token_bucket.ts`: `perMinute` tokens, refilled evenly over a minute)
 * in one Lua script on Redis's clock, so concurrent takes cannot both pass.
 *
 * While Redis is away or slow, each process falls back to its own in-memory
 * bucket (so limits hold per process, never vanish) and logs one warning per
 * outage: a login never fails with a 500 because the throttle's store is away.
 *
 * @module
 */
import { RateLimitError } from "../errors.ts";
import { RateLimiter } from "../http/rate_limiter.ts";
import type { Throttle, ThrottleFactory, ThrottleSpec } from "../http/throttle.ts";
import type { Logger } from "../log.ts";
import type { RedisClient } from "./connection.ts";
import { RedisScript } from "./script.ts";

// KEYS: the bucket hash. ARGV: tokens per minute, cost (1 takes, -1 gives back).
// Returns 0 when done, else the milliseconds until a token is there (nothing written).
// A full bucket is deleted; any other expires once it would be full again.
const BUCKET = new RedisScript(`
local cap = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local perMs = cap / 60000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or cap
local at = tonumber(state[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * perMs)
if cost > 0 and tokens < cost then return math.ceil((cost - tokens) / perMs) end
tokens = math.min(cap, tokens - cost)
if tokens >= cap then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / perMs))
end
return 0
`);

/** Options of {@linkcode redisThrottles}. */
export interface RedisThrottleOptions {
  readonly client: RedisClient;
  readonly logger: Logger;
  /** Key prefix; default `chat:throttle:`. */
  readonly keyPrefix?: string;
  /** How long one call may take before the process's own bucket answers instead; default 1 s. */
  readonly timeoutMs?: number;
  /** The fallback buckets' clock. */
  readonly now?: () => number;
}

/** Rejects after `ms`, so a Redis that stops answering cannot hold a login. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** One throttle on Redis with its in-process fallback. */
class SharedThrottle implements Throttle {
  readonly #fallback: RateLimiter;
  #down = false;

  constructor(
    readonly spec: ThrottleSpec,
    readonly options: Required<Omit<RedisThrottleOptions, "now">>,
    now: () => number,
  ) {
    this.#fallback = new RateLimiter(spec.what, spec.perMinute, now);
  }

  /** Runs the bucket script; `undefined` when Redis failed (and the fallback must answer). */
  async #run(key: string, cost: 1 | -1): Promise<number | undefined> {
    const { client, keyPrefix, timeoutMs, logger } = this.options;
    try {
      const reply = await within(
        timeoutMs,
        BUCKET.run(client, [`${keyPrefix}${this.spec.name}:${key}`], [
          String(this.spec.perMinute),
          String(cost),
        ]),
      );
      if (this.#down) {
        this.#down = false;
        logger.info("Shared throttle back on Redis", { throttle: this.spec.name });
      }
      return Number(reply);
    } catch (error) {
      if (!this.#down) {
        this.#down = true;
        logger.warn("Shared throttle cannot reach Redis: counting in this process meanwhile", {
          throttle: this.spec.name,
          error,
        });
      }
      return undefined;
    }
  }

  async take(key: string): Promise<void> {
    if (this.spec.perMinute <= 0) return;
    const waitMs = await this.#run(key, 1);
    if (waitMs === undefined) return this.#fallback.take(key);
    if (waitMs > 0) {
      throw new RateLimitError(`Too many ${this.spec.what}; try again later`, waitMs / 1000);
    }
  }

  async giveBack(key: string): Promise<void> {
    if (this.spec.perMinute <= 0) return;
    if (await this.#run(key, -1) === undefined) this.#fallback.giveBack(key);
  }
}

/** Throttles shared by every process on the Redis of `client`. */
export function redisThrottles(options: RedisThrottleOptions): ThrottleFactory {
  const settings = {
    client: options.client,
    logger: options.logger,
    keyPrefix: options.keyPrefix ?? "chat:throttle:",
    timeoutMs: options.timeoutMs ?? 1000,
  };
  const now = options.now ?? Date.now;
  return (spec) => new SharedThrottle(spec, settings, now);
}
