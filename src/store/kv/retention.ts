/**
 * Retention in Deno KV: lists a room's oldest kept messages, records the new
 * `prunedThrough` in the room's state first (so a `since` check never trusts
 * history that is about to go), then deletes the messages, every event up to
 * it and every event about a pruned message, in batches.
 *
 * @module
 */
import type { PruneResult, RetentionStore } from "../api/retention.ts";
import { type KvContext, listAll } from "./context.ts";
import { decodeRoom, keys, type KvMessage, type KvRoom } from "./keys.ts";

/** The default of `maxMessages`. */
const PRUNE_BATCH = 1000;

/** The retention methods over one handle. */
export function kvRetention(ctx: KvContext): RetentionStore {
  const { kv, guard, retry, serial } = ctx;
  const prunedThrough = async (room: string) =>
    decodeRoom((await kv.get<KvRoom | number>(keys.room(room))).value).prunedThrough;

  return {
    pruneRoom(room, cutoffMs, options = {}): Promise<PruneResult> {
      const max = Math.max(1, options.maxMessages ?? PRUNE_BATCH);
      return serial(room, () =>
        guard(async () => {
          const oldest = await listAll(
            kv.list<KvMessage>({ prefix: keys.messages(room) }, { limit: max + 1 }),
          );
          let removed = 0;
          let through = 0;
          for (const entry of oldest) {
            if (removed === max || Date.parse(entry.value.createdAt) >= cutoffMs) break;
            through = entry.value.seq;
            removed++;
          }
          const next = oldest[removed];
          const done = next === undefined || Date.parse(next.value.createdAt) >= cutoffMs;
          if (removed === 0) return { removed, prunedThrough: await prunedThrough(room), done };
          const recorded = await retry(async () => {
            const entry = await kv.get<KvRoom | number>(keys.room(room));
            const state = decodeRoom(entry.value);
            const value = Math.max(state.prunedThrough, through);
            const next: KvRoom = { ...state, prunedThrough: value };
            return { op: kv.atomic().check(entry).set(keys.room(room), next), value };
          });
          const [events, about] = await Promise.all([
            listAll(kv.list({ prefix: keys.events(room), end: keys.event(room, through + 1) })),
            listAll(kv.list({
              prefix: keys.eventsOf(room),
              end: [...keys.eventsOf(room), through + 1],
            })),
          ]);
          const doomed: Deno.KvKey[] = [
            ...oldest.slice(0, removed).map((entry) => entry.key),
            ...events.map((entry) => entry.key),
            ...about.flatMap((entry) => [entry.key, keys.event(room, entry.key[3] as number)]),
          ];
          await ctx.commitInBatches(doomed, (op, key) => op.delete(key), 500);
          return { removed, prunedThrough: recorded, done };
        }));
    },

    oldestKeptSeq(room: string): Promise<number> {
      return guard(async () => (await prunedThrough(room)) + 1);
    },
  };
}
