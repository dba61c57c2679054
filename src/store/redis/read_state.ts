/**
 * Read state in Redis: `read:<user id>` (room → `lastRead`), written by
 * `setLastRead`, and `posted:<user id>`, added to by each append. Unread
 * counts walk the room's log (kept messages only) back from the newest to
 * `lastRead` or the user's own latest message, at most
 * {@linkcode UNREAD_CAP}, in one script.
 *
 * @module
 */
import { RedisScript } from "../../redis/script.ts";
import { type ReadStateStore, UNREAD_CAP, type UserRoom } from "../api/read_state.ts";
import type { RoomRole } from "../api/rooms.ts";
import { byActivity } from "../name_order.ts";
import { activityOf, toRoomRecord } from "./codec.ts";
import type { RedisContext } from "./context.ts";

// KEYS: seq, read hash. ARGV: room, seq, '1' to allow moving back. Returns the stored lastRead.
const SET_READ = new RedisScript(`
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local target = math.max(0, math.min(tonumber(ARGV[2]), last))
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local value = target
if ARGV[3] ~= '1' then value = math.max(current, target) end
redis.call('HSET', KEYS[2], ARGV[1], string.format('%d', value))
return value
`);

// KEYS: log. ARGV: lastRead, the sender marker of the user, the cap. Counts the newest
// messages after lastRead, stopping at the user's own (a member holds its sender as
// "sender":{"id":N, once: a quote inside a JSON string is escaped).
const UNREAD = new RedisScript(`
local newest = redis.call('ZRANGE', KEYS[1], '+inf', '(' .. ARGV[1], 'BYSCORE', 'REV',
  'LIMIT', 0, ARGV[3])
for i, member in ipairs(newest) do
  if string.find(member, ARGV[2], 1, true) then return i - 1 end
end
return #newest
`);

/** The read-state methods over one client. */
export function redisReadState(ctx: RedisContext): ReadStateStore {
  const { client, key, guard } = ctx;
  return {
    setLastRead(userId, room, seq, options = {}): Promise<number> {
      return guard(async () =>
        Number(
          await SET_READ.run(client, [key.seq(room), key.read(userId)], [
            room,
            String(Math.trunc(seq)),
            options.allowBackward ? "1" : "0",
          ]),
        )
      );
    },

    getLastRead(userId, room): Promise<number> {
      return guard(async () => Number(await client.hGet(key.read(userId), room) ?? 0));
    },

    listUserRooms(userId): Promise<UserRoom[]> {
      return guard(async () => {
        const [roles, posted, reads] = await Promise.all([
          client.hGetAll(key.memberOf(userId)) as Promise<Record<string, RoomRole>>,
          client.sMembers(key.posted(userId)) as Promise<string[]>,
          client.hGetAll(key.read(userId)) as Promise<Record<string, string>>,
        ]);
        const names = new Set([...Object.keys(roles), ...posted]);
        const rooms = await Promise.all([...names].map(async (name) => {
          const lastRead = Number(reads[name] ?? 0);
          const [seq, hash, unread] = await Promise.all([
            client.get(key.seq(name)),
            client.hGetAll(key.room(name)) as Promise<Record<string, string>>,
            UNREAD.run(client, [key.log(name)], [
              String(lastRead),
              `"sender":{"id":${userId},`,
              String(UNREAD_CAP),
            ]),
          ]);
          const record = toRoomRecord(name, seq, hash);
          if (!record) return undefined;
          const room: UserRoom = {
            ...record,
            role: roles[name] ?? null,
            lastRead,
            unread: Number(unread),
          };
          return { name, activeAtMs: activityOf(hash), room };
        }));
        return rooms.filter((r) => r !== undefined).sort(byActivity).map((r) => r.room);
      });
    },
  };
}
