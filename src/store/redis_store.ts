/**
 * The Redis store, over npm `redis`. Every write that must be atomic is one
 * Lua script, so any number of processes can share one Redis. One module per
 * concern under `redis/` (the keys are listed in `redis/keys.ts`), composed
 * here over one command client.
 *
 * While Redis is unreachable every call rejects at once (or after the command
 * timeout) with `StoreUnavailableError`; nothing queues.
 *
 * @module
 */
import type { RedisClient } from "../redis/connection.ts";
import type { Store } from "./store.ts";
import { redisAudit } from "./redis/audit.ts";
import { redisContext } from "./redis/context.ts";
import { redisMessages } from "./redis/messages.ts";
import { redisRestrictions } from "./redis/moderation.ts";
import { redisPresence } from "./redis/presence.ts";
import { redisReadState } from "./redis/read_state.ts";
import { redisRetention } from "./redis/retention.ts";
import { redisRevocations } from "./redis/revocations.ts";
import { redisRooms } from "./redis/rooms.ts";
import { redisUsers } from "./redis/users.ts";

/** Options for {@linkcode createRedisStore}. */
export interface RedisStoreOptions {
  /** A connected command client; the store does not close it. */
  readonly client: RedisClient;
  /** Prepended to every key; default `chat:`. */
  readonly keyPrefix?: string;
  /** Milliseconds since the epoch, for presence expiry; injectable for tests. */
  readonly now?: () => number;
  /** How long one call may wait for Redis before failing with 503; default 2 s. */
  readonly commandTimeoutMs?: number;
}

/**
 * A store over a connected Redis client.
 *
 * The client should be opened with the offline queue disabled (as
 * `src/redis/connection.ts` does), so calls fail at once while Redis is away.
 */
export function createRedisStore(options: RedisStoreOptions): Store {
  const ctx = redisContext({
    client: options.client,
    keyPrefix: options.keyPrefix ?? "chat:",
    now: options.now ?? Date.now,
    commandTimeoutMs: options.commandTimeoutMs ?? 2000,
  });
  return {
    ...redisUsers(ctx),
    ...redisMessages(ctx),
    ...redisRooms(ctx),
    ...redisReadState(ctx),
    ...redisRestrictions(ctx),
    ...redisRevocations(ctx),
    ...redisAudit(ctx),
    ...redisRetention(ctx),
    ...redisPresence(ctx),

    ping(): Promise<void> {
      return ctx.guard(async () => {
        await ctx.client.ping();
      });
    },

    close(): Promise<void> {
      ctx.close();
      return Promise.resolve();
    },
  };
}
