/**
 * The room directory in Redis: the sorted set `rooms:directory` (public
 * rooms, scored by activity), walked down from the cursor by one script, so
 * a page reads about `limit + 1` members however many rooms there are. Every
 * room's name comes from `SCAN` over the `seq:` keys.
 *
 * @module
 */
import { RedisScript } from "../../redis/script.ts";
import type { DirectoryPage, RoomNamePage, RoomStore } from "../api/rooms.ts";
import { badRoomCursor, decodeRoomCursor, encodeRoomCursor } from "../room_cursor.ts";
import { toRoomRecord } from "./codec.ts";
import type { RedisContext } from "./context.ts";

// KEYS: directory. ARGV: highest score ('+inf' or the cursor's), cursor's name or '', count.
// Returns name, score, … of up to count members after the cursor, highest score first,
// ties by name descending (members of the cursor's score at or above its name skipped).
const PAGE = new RedisScript(`
local count = tonumber(ARGV[3])
local out = {}
local offset = 0
while #out < 2 * count do
  local batch = redis.call('ZRANGE', KEYS[1], ARGV[1], '-inf', 'BYSCORE', 'REV',
    'LIMIT', offset, count, 'WITHSCORES')
  if #batch == 0 then break end
  for i = 1, #batch, 2 do
    if ARGV[2] == '' or tonumber(batch[i + 1]) < tonumber(ARGV[1]) or batch[i] < ARGV[2] then
      if #out < 2 * count then
        out[#out + 1] = batch[i]
        out[#out + 1] = batch[i + 1]
      end
    end
  end
  offset = offset + count
end
return out
`);

/** A glob pattern matching `text` literally. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, "\\$&");

/** `listRooms` and `listRoomNames` over one client. */
export function redisDirectory(ctx: RedisContext): Pick<RoomStore, "listRooms" | "listRoomNames"> {
  const { client, key, guard, send } = ctx;
  return {
    listRooms(options): Promise<DirectoryPage> {
      return guard(async () => {
        const after = options.cursor === undefined ? undefined : decodeRoomCursor(options.cursor);
        const limit = Math.max(0, options.limit);
        if (limit === 0) return { rooms: [], next: null };
        const flat = await PAGE.run(client, [key.directory], [
          after ? String(after.activeAtMs) : "+inf",
          after?.name ?? "",
          String(limit + 1),
        ]) as string[];
        const page: { name: string; activeAtMs: number }[] = [];
        for (let i = 0; i < flat.length; i += 2) {
          page.push({ name: flat[i]!, activeAtMs: Number(flat[i + 1]) });
        }
        const shown = page.slice(0, limit);
        const rooms = await Promise.all(shown.map(async ({ name }) => {
          const [seq, hash] = await Promise.all([
            client.get(key.seq(name)),
            client.hGetAll(key.room(name)),
          ]);
          return toRoomRecord(name, seq ?? "0", hash as Record<string, string>)!;
        }));
        const last = shown.at(-1);
        return { rooms, next: page.length > limit && last ? encodeRoomCursor(last) : null };
      });
    },

    listRoomNames(options): Promise<RoomNamePage> {
      return guard(async () => {
        const limit = Math.max(1, options.limit);
        const names: string[] = [];
        // A SCAN cursor is an unsigned 64-bit number; anything else Redis refuses.
        if (
          options.cursor !== undefined &&
          (!/^[1-9]\d{0,19}$/.test(options.cursor) || BigInt(options.cursor) >= 2n ** 64n)
        ) {
          throw badRoomCursor(options.cursor);
        }
        let cursor = options.cursor ?? "0";
        // SCAN visits the whole keyspace (other keys included) a slice at a
        // time: go on until a page's worth of rooms is found or the scan ends.
        do {
          const [next, keys] = await send([
            "SCAN",
            cursor,
            "MATCH",
            `${globEscape(key.seqPrefix)}*`,
            "COUNT",
            String(Math.max(limit, 500)),
          ]) as [string, string[]];
          names.push(...keys.map((k) => k.slice(key.seqPrefix.length)));
          cursor = next;
        } while (cursor !== "0" && names.length < limit);
        return { names, next: cursor === "0" ? null : cursor };
      });
    },
  };
}
