/**
 * Read state in Deno KV: `["read", userId, room]` → `lastRead`, written by
 * `setLastRead`, and `["posted", userId, room]`, set by each append. Unread
 * counts list the room's kept messages back from the newest to `lastRead` or
 * the user's own latest message, at most {@linkcode UNREAD_CAP}.
 *
 * @module
 */
import { type ReadStateStore, UNREAD_CAP, type UserRoom } from "../api/read_state.ts";
import type { RoomRole } from "../api/rooms.ts";
import { byActivity } from "../name_order.ts";
import { type KvContext, listAll } from "./context.ts";
import { decodeRoom, keys, type KvMessage, type KvRoom } from "./keys.ts";
import { toRoomRecord } from "./room_record.ts";

/** The read-state methods over one handle. */
export function kvReadState(ctx: KvContext): ReadStateStore {
  const { kv, guard, retry } = ctx;
  return {
    setLastRead(userId, room, seq, options = {}): Promise<number> {
      return guard(() =>
        retry(async () => {
          const [entry, read] = await kv.getMany<[KvRoom | number, number]>([
            keys.room(room),
            keys.read(userId, room),
          ]);
          const target = Math.max(0, Math.min(seq, decodeRoom(entry.value).lastSeq));
          const current = read.value ?? 0;
          const lastRead = options.allowBackward ? target : Math.max(current, target);
          if (read.value !== null && lastRead === current) return { value: current };
          return {
            op: kv.atomic().check(read).set(keys.read(userId, room), lastRead),
            value: lastRead,
          };
        })
      );
    },

    getLastRead(userId, room): Promise<number> {
      return guard(async () => (await kv.get<number>(keys.read(userId, room))).value ?? 0);
    },

    listUserRooms(userId): Promise<UserRoom[]> {
      return guard(async () => {
        const [memberships, posted, reads] = await Promise.all([
          listAll(kv.list<RoomRole>({ prefix: ["member_of", userId] })),
          listAll(kv.list<true>({ prefix: ["posted", userId] })),
          listAll(kv.list<number>({ prefix: ["read", userId] })),
        ]);
        const roles = new Map(memberships.map((e) => [e.key[2] as string, e.value]));
        const lastRead = new Map(reads.map((e) => [e.key[2] as string, e.value]));
        const names = [...new Set([...roles.keys(), ...posted.map((e) => e.key[2] as string)])];
        const states = await ctx.getMany<KvRoom | number>(names.map((name) => keys.room(name)));
        const rooms = await Promise.all(names.map(async (name, i) => {
          const state = states[i]!.value;
          if (state === null) return undefined;
          const read = lastRead.get(name) ?? 0;
          const newest = await listAll(kv.list<KvMessage>(
            { prefix: keys.messages(name), start: keys.message(name, read + 1) },
            { limit: UNREAD_CAP, reverse: true },
          ));
          const own = newest.findIndex((entry) => entry.value.sender.id === userId);
          const decoded = decodeRoom(state);
          return {
            activeAtMs: decoded.activeAtMs,
            name,
            room: {
              ...toRoomRecord(name, decoded),
              role: roles.get(name) ?? null,
              lastRead: read,
              unread: own === -1 ? newest.length : own,
            },
          };
        }));
        return rooms.filter((r) => r !== undefined).sort(byActivity).map((r) => r.room);
      });
    },
  };
}
