/**
 * Retention in Redis: reads a room's oldest kept messages, then one script
 * drops the log and event members up to the last pruned `seq`, the events
 * about pruned messages, and records `pruned_through`.
 *
 * @module
 */
import { RedisScript } from "../../redis/script.ts";
import type { PruneResult, RetentionStore } from "../api/retention.ts";
import type { RedisMessage } from "./codec.ts";
import type { RedisContext } from "./context.ts";

/** The default of `maxMessages`. */
const PRUNE_BATCH = 1000;

// KEYS: log, events, events_of, room hash. ARGV: the last pruned seq. Returns pruned_through.
const PRUNE = new RedisScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, seq in ipairs(redis.call('ZRANGE', KEYS[3], '-inf', ARGV[1], 'BYSCORE')) do
  redis.call('ZREMRANGEBYSCORE', KEYS[2], seq, seq)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[4], 'pruned_through') or '0')
if tonumber(ARGV[1]) > current then
  redis.call('HSET', KEYS[4], 'pruned_through', ARGV[1])
  return tonumber(ARGV[1])
end
return current
`);

/** The retention methods over one client. */
export function redisRetention(ctx: RedisContext): RetentionStore {
  const { client, key, guard } = ctx;
  const prunedThrough = async (room: string) =>
    Number(await client.hGet(key.room(room), "pruned_through") ?? 0);
  return {
    pruneRoom(room, cutoffMs, options = {}): Promise<PruneResult> {
      const max = Math.max(1, options.maxMessages ?? PRUNE_BATCH);
      return guard(async () => {
        const oldest = (await client.zRange(key.log(room), 0, max) as string[])
          .map((raw) => JSON.parse(raw) as RedisMessage);
        let removed = 0;
        let through = 0;
        for (const message of oldest) {
          if (removed === max || message.createdAtMs >= cutoffMs) break;
          through = message.seq;
          removed++;
        }
        const next = oldest[removed];
        const done = next === undefined || next.createdAtMs >= cutoffMs;
        if (removed === 0) return { removed, prunedThrough: await prunedThrough(room), done };
        const recorded = Number(
          await PRUNE.run(client, [
            key.log(room),
            key.events(room),
            key.eventsOf(room),
            key.room(room),
          ], [String(through)]),
        );
        return { removed, prunedThrough: recorded, done };
      });
    },

    oldestKeptSeq(room: string): Promise<number> {
      return guard(async () => (await prunedThrough(room)) + 1);
    },
  };
}
