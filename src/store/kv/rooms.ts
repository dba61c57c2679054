/**
 * Rooms and memberships in Deno KV: the room's state under `["rooms", room]`
 * and each membership indexed both ways (`["members", room, userId]`,
 * `["member_of", userId, room]`) in the same `atomic()`.
 *
 * @module
 */
import type { PublicUser, UserRecord } from "../../model.ts";
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
import { type KvContext, listAll } from "./context.ts";
import { kvDirectory } from "./directory.ts";
import { decodeRoom, EMPTY_ROOM, keys, type KvMember, type KvRoom } from "./keys.ts";
import { toRoomRecord } from "./room_record.ts";

function toMembership(room: string, userId: number, member: KvMember): Membership {
  return {
    room,
    user: { id: userId, username: member.username },
    role: member.role,
    sinceMs: member.sinceMs,
  };
}

/** Sets a membership's two keys on `op`. */
function setMember(
  op: Deno.AtomicOperation,
  room: string,
  user: PublicUser,
  role: RoomRole,
  sinceMs: number,
): void {
  const member: KvMember = { username: user.username, role, sinceMs };
  op.set(keys.member(room, user.id), member).set(keys.memberOf(user.id, room), role);
}

/** The room and membership methods over one handle. */
export function kvRooms(ctx: KvContext): RoomStore {
  const { kv, guard, retry } = ctx;
  const userOrThrow = (entry: Deno.KvEntryMaybe<UserRecord>, id: number): PublicUser => {
    if (entry.value === null) throw userNotFound(id);
    return { id, username: entry.value.username };
  };

  return {
    createRoom(room: NewRoom): Promise<RoomRecord> {
      return guard(() =>
        retry(async () => {
          const [entry, owner] = await kv.getMany<[KvRoom | number, UserRecord]>([
            keys.room(room.name),
            keys.user(room.ownerId),
          ]);
          if (entry.value !== null) throw roomExists(room.name);
          const user = userOrThrow(owner, room.ownerId);
          const state: KvRoom = {
            ...EMPTY_ROOM,
            visibility: room.visibility,
            title: room.title ?? null,
            ownerId: room.ownerId,
            createdAtMs: room.createdAtMs,
            activeAtMs: room.createdAtMs,
          };
          const op = kv.atomic().check(entry).set(keys.room(room.name), state);
          setMember(op, room.name, user, "owner", room.createdAtMs);
          if (room.visibility === "public") {
            op.set(keys.directory(state.activeAtMs, room.name), true);
          }
          return { op, value: toRoomRecord(room.name, state) };
        })
      );
    },

    getRoom(name: string): Promise<RoomRecord | undefined> {
      return guard(async () => {
        const entry = await kv.get<KvRoom | number>(keys.room(name));
        return entry.value === null ? undefined : toRoomRecord(name, decodeRoom(entry.value));
      });
    },

    openDirectRoom(a: number, b: number, atMs: number): Promise<RoomRecord> {
      const name = directRoomName(a, b);
      return guard(() =>
        retry(async () => {
          const [entry, userA, userB] = await kv.getMany<[KvRoom | number, UserRecord, UserRecord]>(
            [keys.room(name), keys.user(a), keys.user(b)],
          );
          if (entry.value !== null) {
            const state = decodeRoom(entry.value);
            if (state.direct) return { value: toRoomRecord(name, state) };
            throw roomExists(name);
          }
          const users = [userOrThrow(userA, a), userOrThrow(userB, b)];
          const state: KvRoom = {
            ...EMPTY_ROOM,
            visibility: "private",
            direct: true,
            createdAtMs: atMs,
            activeAtMs: atMs,
          };
          const op = kv.atomic().check(entry).set(keys.room(name), state);
          for (const user of users) setMember(op, name, user, "member", atMs);
          return { op, value: toRoomRecord(name, state) };
        })
      );
    },

    putMember(room: string, userId: number, role: AssignableRole, atMs: number) {
      return guard(() =>
        retry<Membership>(async () => {
          const [entry, user, existing] = await kv.getMany<[KvRoom | number, UserRecord, KvMember]>(
            [keys.room(room), keys.user(userId), keys.member(room, userId)],
          );
          if (entry.value === null) throw roomNotFound(room);
          if (decodeRoom(entry.value).direct) throw membershipFixed(room, userId, true);
          const member = userOrThrow(user, userId);
          if (existing.value?.role === "owner") throw membershipFixed(room, userId, false);
          const sinceMs = existing.value?.sinceMs ?? atMs;
          const op = kv.atomic().check(entry).check(existing);
          setMember(op, room, member, role, sinceMs);
          return { op, value: { room, user: member, role, sinceMs } };
        })
      );
    },

    removeMember(room: string, userId: number): Promise<boolean> {
      return guard(() =>
        retry(async () => {
          const [entry, existing] = await kv.getMany<[KvRoom | number, KvMember]>([
            keys.room(room),
            keys.member(room, userId),
          ]);
          if (entry.value === null || existing.value === null) return { value: false };
          if (decodeRoom(entry.value).direct) throw membershipFixed(room, userId, true);
          if (existing.value.role === "owner") throw membershipFixed(room, userId, false);
          const op = kv.atomic()
            .check(existing)
            .delete(keys.member(room, userId))
            .delete(keys.memberOf(userId, room));
          return { op, value: true };
        })
      );
    },

    getMembership(room: string, userId: number): Promise<Membership | undefined> {
      return guard(async () => {
        const entry = await kv.get<KvMember>(keys.member(room, userId));
        return entry.value === null ? undefined : toMembership(room, userId, entry.value);
      });
    },

    listMembers(room: string): Promise<Membership[]> {
      return guard(async () =>
        (await listAll(kv.list<KvMember>({ prefix: ["members", room] }))).map((entry) =>
          toMembership(room, entry.key.at(-1) as number, entry.value)
        )
      );
    },

    ...kvDirectory(ctx),
  };
}
