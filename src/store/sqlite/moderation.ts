/**
 * Restrictions in SQLite: `restrictions (kind, scope, user_id)`, the scope
 * being the room's name or `''` for the server. An expired row stays until
 * it is replaced or removed; every read filters on `until`.
 *
 * @module
 */
import type { ModerationStore, Restriction, RestrictionKind } from "../api/moderation.ts";
import type { SqliteContext } from "./db.ts";

interface RestrictionRow {
  kind: RestrictionKind;
  scope: string;
  user_id: number;
  until: number | null;
  reason: string | null;
  by_id: number | null;
  at: number;
}

const scopeOf = (room: string | null) => room ?? "";

function rowToRestriction(row: RestrictionRow): Restriction {
  return {
    kind: row.kind,
    room: row.scope === "" ? null : row.scope,
    userId: Number(row.user_id),
    untilMs: row.until === null ? null : Number(row.until),
    reason: row.reason,
    byId: row.by_id === null ? null : Number(row.by_id),
    atMs: Number(row.at),
  };
}

const IN_FORCE = "(until IS NULL OR until > ?)";

/** The restriction methods over one connection. */
export function sqliteRestrictions(
  ctx: SqliteContext,
): Pick<
  ModerationStore,
  "putRestriction" | "removeRestriction" | "findRestriction" | "listRestrictions"
> {
  const { sql, guard } = ctx;
  return {
    putRestriction(restriction: Restriction): Promise<Restriction> {
      return guard(() => {
        sql(
          "INSERT OR REPLACE INTO restrictions (kind, scope, user_id, until, reason, by_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(
          restriction.kind,
          scopeOf(restriction.room),
          restriction.userId,
          restriction.untilMs,
          restriction.reason,
          restriction.byId,
          restriction.atMs,
        );
        return { ...restriction };
      });
    },

    removeRestriction(kind, room, userId): Promise<boolean> {
      return guard(() =>
        Number(
          sql("DELETE FROM restrictions WHERE kind = ? AND scope = ? AND user_id = ?").run(
            kind,
            scopeOf(room),
            userId,
          ).changes,
        ) > 0
      );
    },

    findRestriction(kind, room, userId, atMs): Promise<Restriction | undefined> {
      return guard(() => {
        const row = sql(
          `SELECT * FROM restrictions WHERE kind = ? AND scope = ? AND user_id = ? AND ${IN_FORCE}`,
        ).get(kind, scopeOf(room), userId, atMs) as RestrictionRow | undefined;
        return row && rowToRestriction(row);
      });
    },

    listRestrictions(kind, room, atMs): Promise<Restriction[]> {
      return guard(() =>
        (sql(
          `SELECT * FROM restrictions WHERE kind = ? AND scope = ? AND ${IN_FORCE} ORDER BY user_id`,
        ).all(kind, scopeOf(room), atMs) as unknown as RestrictionRow[]).map(rowToRestriction)
      );
    },
  };
}
