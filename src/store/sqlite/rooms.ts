/**
 * Rooms and memberships in SQLite: the `rooms` row (made by the first
 * message, by `createRoom` or by `openDirectRoom`) and the `members` table.
 *
 * @module
 */
import type { PublicUser } from "../../model.ts";
import type {
  AssignableRole,
  Membership,
  NewRoom,
  RoomRecord,
  RoomRole,
  RoomStore,
} from "../api/rooms.ts";
import { directRoomName } from "../direct_room.ts";
import { membershipFixed, roomExists, roomNotFound, userNotFound } from "../store_errors.ts";
import type { SqliteContext } from "./db.ts";
import { sqliteDirectory } from "./directory.ts";
import { ROOM_COLUMNS, type RoomRow, rowToRoom } from "./rows.ts";
import { findUser } from "./users.ts";

interface MemberRow {
  room: string;
  user_id: number;
  username: string;
  role: RoomRole;
  since: number;
}

const MEMBER_SELECT =
  "SELECT m.room, m.user_id, u.username, m.role, m.since FROM members m JOIN users u ON u.id = m.user_id";

const INSERT_ROOM =
  "INSERT INTO rooms (name, last_seq, visibility, title, owner_id, direct, created_at, active_at) " +
  "VALUES (?, 0, ?, ?, ?, ?, ?, ?)";

const PUT_MEMBER = "INSERT INTO members (room, user_id, role, since) VALUES (?, ?, ?, ?) " +
  "ON CONFLICT (room, user_id) DO UPDATE SET role = excluded.role";

function rowToMembership(row: MemberRow): Membership {
  return {
    room: row.room,
    user: { id: Number(row.user_id), username: row.username },
    role: row.role,
    sinceMs: Number(row.since),
  };
}

/** The room and membership methods over one connection. */
export function sqliteRooms(ctx: SqliteContext): RoomStore {
  const { sql, guard, transaction } = ctx;
  const roomRow = (name: string) =>
    sql(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE name = ?`).get(name) as RoomRow | undefined;
  const userOrThrow = (id: number): PublicUser => {
    const user = findUser(ctx, id);
    if (!user) throw userNotFound(id);
    return user;
  };

  return {
    createRoom(room: NewRoom): Promise<RoomRecord> {
      return guard(() =>
        transaction(() => {
          if (roomRow(room.name)) throw roomExists(room.name);
          userOrThrow(room.ownerId);
          const title = room.title ?? null;
          sql(INSERT_ROOM).run(
            room.name,
            room.visibility,
            title,
            room.ownerId,
            0,
            room.createdAtMs,
            room.createdAtMs,
          );
          sql(PUT_MEMBER).run(room.name, room.ownerId, "owner", room.createdAtMs);
          return rowToRoom(roomRow(room.name)!);
        })
      );
    },

    getRoom(name: string): Promise<RoomRecord | undefined> {
      return guard(() => {
        const row = roomRow(name);
        return row && rowToRoom(row);
      });
    },

    openDirectRoom(a: number, b: number, atMs: number): Promise<RoomRecord> {
      return guard(() =>
        transaction(() => {
          const name = directRoomName(a, b);
          const existing = roomRow(name);
          if (existing) {
            if (Number(existing.direct) === 1) return rowToRoom(existing);
            throw roomExists(name);
          }
          userOrThrow(a);
          userOrThrow(b);
          sql(INSERT_ROOM).run(name, "private", null, null, 1, atMs, atMs);
          for (const id of new Set([a, b])) sql(PUT_MEMBER).run(name, id, "member", atMs);
          return rowToRoom(roomRow(name)!);
        })
      );
    },

    putMember(
      room: string,
      userId: number,
      role: AssignableRole,
      atMs: number,
    ): Promise<Membership> {
      return guard(() =>
        transaction(() => {
          const row = roomRow(room);
          if (!row) throw roomNotFound(room);
          if (Number(row.direct) === 1) throw membershipFixed(room, userId, true);
          const user = userOrThrow(userId);
          const existing = sql("SELECT role, since FROM members WHERE room = ? AND user_id = ?")
            .get(room, userId) as { role: RoomRole; since: number } | undefined;
          if (existing?.role === "owner") throw membershipFixed(room, userId, false);
          sql(PUT_MEMBER).run(room, userId, role, atMs);
          return { room, user, role, sinceMs: existing ? Number(existing.since) : atMs };
        })
      );
    },

    removeMember(room: string, userId: number): Promise<boolean> {
      return guard(() =>
        transaction(() => {
          const row = roomRow(room);
          const existing = sql("SELECT role FROM members WHERE room = ? AND user_id = ?").get(
            room,
            userId,
          ) as { role: RoomRole } | undefined;
          if (!row || !existing) return false;
          if (Number(row.direct) === 1) throw membershipFixed(room, userId, true);
          if (existing.role === "owner") throw membershipFixed(room, userId, false);
          sql("DELETE FROM members WHERE room = ? AND user_id = ?").run(room, userId);
          return true;
        })
      );
    },

    getMembership(room: string, userId: number): Promise<Membership | undefined> {
      return guard(() => {
        const row = sql(`${MEMBER_SELECT} WHERE m.room = ? AND m.user_id = ?`).get(
          room,
          userId,
        ) as MemberRow | undefined;
        return row && rowToMembership(row);
      });
    },

    listMembers(room: string): Promise<Membership[]> {
      return guard(() =>
        (sql(`${MEMBER_SELECT} WHERE m.room = ? ORDER BY m.user_id`).all(
          room,
        ) as unknown as MemberRow[]).map(rowToMembership)
      );
    },

    ...sqliteDirectory(ctx),
  };
}
