/**
 * The room directory in SQLite: a keyset walk down the partial index
 * `rooms_directory (active_at DESC, name DESC) WHERE visibility = 'public'`,
 * so a page reads `limit + 1` index entries however many rooms there are.
 *
 * @module
 */
import type { DirectoryPage, RoomNamePage, RoomStore } from "../api/rooms.ts";
import { decodeRoomCursor, encodeRoomCursor } from "../room_cursor.ts";
import type { SqliteContext } from "./db.ts";
import { ROOM_COLUMNS, type RoomRow, rowToRoom } from "./rows.ts";

/** The first directory page. */
export const DIRECTORY_FIRST = `SELECT ${ROOM_COLUMNS} FROM rooms INDEXED BY rooms_directory ` +
  "WHERE visibility = 'public' ORDER BY active_at DESC, name DESC LIMIT ?";

/** A directory page after a cursor. */
export const DIRECTORY_AFTER = `SELECT ${ROOM_COLUMNS} FROM rooms INDEXED BY rooms_directory ` +
  "WHERE visibility = 'public' AND (active_at, name) < (?, ?) " +
  "ORDER BY active_at DESC, name DESC LIMIT ?";

/** `listRooms` and `listRoomNames` over one connection. */
export function sqliteDirectory(
  ctx: SqliteContext,
): Pick<RoomStore, "listRooms" | "listRoomNames"> {
  const { sql, guard } = ctx;
  return {
    listRooms(options): Promise<DirectoryPage> {
      return guard(() => {
        const limit = Math.max(0, options.limit);
        const after = options.cursor === undefined ? undefined : decodeRoomCursor(options.cursor);
        const rows = (after
          ? sql(DIRECTORY_AFTER).all(after.activeAtMs, after.name, limit + 1)
          : sql(DIRECTORY_FIRST).all(limit + 1)) as unknown as RoomRow[];
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        const next = rows.length > limit && last
          ? encodeRoomCursor({ activeAtMs: Number(last.active_at), name: last.name })
          : null;
        return { rooms: page.map(rowToRoom), next };
      });
    },

    listRoomNames(options): Promise<RoomNamePage> {
      return guard(() => {
        const limit = Math.max(0, options.limit);
        const rows = sql("SELECT name FROM rooms WHERE name > ? ORDER BY name LIMIT ?").all(
          options.cursor ?? "",
          limit + 1,
        ) as unknown as { name: string }[];
        const names = rows.slice(0, limit).map((row) => row.name);
        return { names, next: rows.length > limit ? names.at(-1) ?? null : null };
      });
    },
  };
}
