/**
 * The audit log in SQLite: `audit`, one row per moderation action, ids
 * increasing.
 *
 * @module
 */
import type { AuditEntry, ModerationStore, NewAuditEntry } from "../api/moderation.ts";
import type { SqliteContext } from "./db.ts";

interface AuditRow {
  id: number;
  at: number;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_user_id: number | null;
  room: string | null;
  detail: string | null;
}

function rowToEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    actor: row.actor_id === null
      ? null
      : { id: Number(row.actor_id), username: row.actor_name ?? "" },
    action: row.action,
    targetUserId: row.target_user_id === null ? null : Number(row.target_user_id),
    room: row.room,
    detail: row.detail,
    atMs: Number(row.at),
  };
}

/** The audit methods over one connection. */
export function sqliteAudit(
  ctx: SqliteContext,
): Pick<ModerationStore, "appendAudit" | "listAudit"> {
  const { sql, guard } = ctx;
  return {
    appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
      return guard(() => {
        const row = sql(
          "INSERT INTO audit (at, actor_id, actor_name, action, target_user_id, room, detail) " +
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        ).get(
          entry.atMs,
          entry.actor?.id ?? null,
          entry.actor?.username ?? null,
          entry.action,
          entry.targetUserId,
          entry.room,
          entry.detail,
        ) as { id: number };
        return {
          id: Number(row.id),
          actor: entry.actor && { id: entry.actor.id, username: entry.actor.username },
          action: entry.action,
          targetUserId: entry.targetUserId,
          room: entry.room,
          detail: entry.detail,
          atMs: entry.atMs,
        };
      });
    },

    listAudit(options): Promise<AuditEntry[]> {
      return guard(() =>
        (sql("SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?").all(
          options.before ?? Number.MAX_SAFE_INTEGER,
          Math.max(0, options.limit),
        ) as unknown as AuditRow[]).map(rowToEntry)
      );
    },
  };
}
