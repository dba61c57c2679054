/**
 * Read state in SQLite: `read_state (user_id, room) → last_read, posted`.
 * `appendMessage` sets `posted` (see `messages.ts`); unread counts walk the
 * log's primary key back from the newest message to `last_read` or the
 * user's own latest message, at most {@linkcode UNREAD_CAP} rows.
 *
 * @module
 */
import { type ReadStateStore, UNREAD_CAP, type UserRoom } from "../api/read_state.ts";
import type { RoomRole } from "../api/rooms.ts";
import type { SqliteContext } from "./db.ts";
import { type RoomRow, rowToRoom } from "./rows.ts";

const USER_ROOMS = "SELECT r.name, r.last_seq, r.visibility, r.title, r.owner_id, r.direct, " +
  "r.created_at, r.last_message_at, r.active_at, r.pruned_through, " +
  "m.role AS role, coalesce(rs.last_read, 0) AS last_read FROM rooms r " +
  "LEFT JOIN members m ON m.room = r.name AND m.user_id = ?1 " +
  "LEFT JOIN read_state rs ON rs.room = r.name AND rs.user_id = ?1 " +
  "WHERE r.name IN (SELECT room FROM members WHERE user_id = ?1 " +
  "UNION SELECT room FROM read_state WHERE user_id = ?1 AND posted = 1) " +
  "ORDER BY r.active_at DESC, r.name DESC";

/** The senders of the newest kept messages after `last_read`, newest first. */
const NEWEST_SENDERS = "SELECT sender_id FROM messages WHERE room = ? AND seq > ? " +
  "AND kind = 'message' AND deleted_at IS NULL ORDER BY seq DESC LIMIT ?";

/** The read-state methods over one connection. */
export function sqliteReadState(ctx: SqliteContext): ReadStateStore {
  const { sql, guard, transaction } = ctx;
  return {
    setLastRead(userId, room, seq, options = {}): Promise<number> {
      return guard(() =>
        transaction(() => {
          const row = sql("SELECT last_seq FROM rooms WHERE name = ?").get(room) as
            | { last_seq: number }
            | undefined;
          const target = Math.max(0, Math.min(seq, row ? Number(row.last_seq) : 0));
          const update = options.allowBackward
            ? "excluded.last_read"
            : "max(last_read, excluded.last_read)";
          sql(
            "INSERT INTO read_state (user_id, room, last_read) VALUES (?, ?, ?) " +
              `ON CONFLICT (user_id, room) DO UPDATE SET last_read = ${update}`,
          ).run(userId, room, target);
          const stored = sql("SELECT last_read FROM read_state WHERE user_id = ? AND room = ?")
            .get(userId, room) as { last_read: number };
          return Number(stored.last_read);
        })
      );
    },

    getLastRead(userId, room): Promise<number> {
      return guard(() => {
        const row = sql("SELECT last_read FROM read_state WHERE user_id = ? AND room = ?").get(
          userId,
          room,
        ) as { last_read: number } | undefined;
        return row ? Number(row.last_read) : 0;
      });
    },

    listUserRooms(userId): Promise<UserRoom[]> {
      return guard(() => {
        const rows = sql(USER_ROOMS).all(userId) as unknown as (RoomRow & {
          role: RoomRole | null;
          last_read: number;
        })[];
        return rows.map((row) => {
          const lastRead = Number(row.last_read);
          const senders = sql(NEWEST_SENDERS).all(row.name, lastRead, UNREAD_CAP) as unknown as {
            sender_id: number;
          }[];
          const own = senders.findIndex((m) => Number(m.sender_id) === userId);
          const unread = own === -1 ? senders.length : own;
          return { ...rowToRoom(row), role: row.role, lastRead, unread };
        });
      });
    },
  };
}
