/**
 * The room directory in Deno KV: index keys `["room_directory", activeAtMs,
 * room]` for public rooms, moved in the same `atomic()` as each append, listed
 * in reverse from the cursor's key, so a page reads `limit + 1` keys however
 * many rooms there are.
 *
 * @module
 */
import type { DirectoryPage, RoomNamePage, RoomStore } from "../api/rooms.ts";
import { badRoomCursor, decodeRoomCursor, encodeRoomCursor } from "../room_cursor.ts";
import { type KvContext, listAll } from "./context.ts";
import { decodeRoom, keys, type KvRoom } from "./keys.ts";
import { toRoomRecord } from "./room_record.ts";

/** `listRooms` and `listRoomNames` over one handle. */
export function kvDirectory(ctx: KvContext): Pick<RoomStore, "listRooms" | "listRoomNames"> {
  const { kv, guard } = ctx;
  return {
    listRooms(options): Promise<DirectoryPage> {
      return guard(async () => {
        const after = options.cursor === undefined ? undefined : decodeRoomCursor(options.cursor);
        const limit = Math.max(0, options.limit);
        if (limit === 0) return { rooms: [], next: null };
        const selector: Deno.KvListSelector = after
          ? { prefix: ["room_directory"], end: keys.directory(after.activeAtMs, after.name) }
          : { prefix: ["room_directory"] };
        const index = await listAll(kv.list(selector, { reverse: true, limit: limit + 1 }));
        const page = index.slice(0, limit).map((entry) => ({
          activeAtMs: entry.key[1] as number,
          name: entry.key[2] as string,
        }));
        const states = await ctx.getMany<KvRoom | number>(page.map((p) => keys.room(p.name)));
        const last = page.at(-1);
        return {
          rooms: page.map((p, i) => toRoomRecord(p.name, decodeRoom(states[i]!.value))),
          next: index.length > limit && last ? encodeRoomCursor(last) : null,
        };
      });
    },

    listRoomNames(options): Promise<RoomNamePage> {
      return guard(async () => {
        const limit = Math.max(0, options.limit);
        if (limit === 0) return { names: [], next: null };
        const { cursor } = options;
        const iterator = kv.list({ prefix: ["rooms"] }, { limit, cursor });
        // KV refuses a cursor it did not hand out with a TypeError, on the first read.
        const entries = await listAll(iterator).catch((error) => {
          throw cursor !== undefined && error instanceof TypeError
            ? badRoomCursor(cursor, error)
            : error;
        });
        const names = entries.map((entry) => entry.key[1] as string);
        return { names, next: names.length === limit ? iterator.cursor || null : null };
      });
    },
  };
}
