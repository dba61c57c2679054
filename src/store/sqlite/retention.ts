/**
 * Retention in SQLite: drops a room's oldest messages and every row up to the
 * last one dropped or about a dropped message, records `pruned_through`, and
 * flushes the write-ahead log so the old text leaves the files.
 *
 * @module
 */
import type { PruneResult, RetentionStore } from "../api/retention.ts";
import type { SqliteContext } from "./db.ts";

/** The default of `maxMessages`. */
export const PRUNE_BATCH = 1000;

/** The retention methods over one connection. */
export function sqliteRetention(ctx: SqliteContext): RetentionStore {
  const { sql, guard, transaction } = ctx;
  const prunedThrough = (room: string): number => {
    const row = sql("SELECT pruned_through FROM rooms WHERE name = ?").get(room) as
      | { pruned_through: number }
      | undefined;
    return row ? Number(row.pruned_through) : 0;
  };
  return {
    pruneRoom(room, cutoffMs, options = {}): Promise<PruneResult> {
      return guard(() => {
        const max = Math.max(1, options.maxMessages ?? PRUNE_BATCH);
        const result = transaction((): PruneResult => {
          const oldest = sql(
            "SELECT seq, created_at FROM messages WHERE room = ? AND kind = 'message' " +
              "AND deleted_at IS NULL ORDER BY seq LIMIT ?",
          ).all(room, max + 1) as unknown as { seq: number; created_at: number }[];
          let through = 0;
          let removed = 0;
          for (const row of oldest) {
            if (removed === max || Number(row.created_at) >= cutoffMs) break;
            through = Number(row.seq);
            removed++;
          }
          const next = oldest[removed];
          const done = next === undefined || Number(next.created_at) >= cutoffMs;
          if (removed === 0) return { removed, prunedThrough: prunedThrough(room), done };
          sql("DELETE FROM messages WHERE room = ? AND seq <= ?").run(room, through);
          sql("DELETE FROM messages WHERE room = ? AND target <= ?").run(room, through);
          sql("UPDATE rooms SET pruned_through = max(pruned_through, ?) WHERE name = ?").run(
            through,
            room,
          );
          return { removed, prunedThrough: prunedThrough(room), done };
        });
        if (result.removed > 0) ctx.flushLog();
        return result;
      });
    },

    oldestKeptSeq(room: string): Promise<number> {
      return guard(() => prunedThrough(room) + 1);
    },
  };
}
