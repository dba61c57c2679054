/**
 * Rooms and memberships in Redis: a room exists once `seq:<room>` does (the
 * first append, `createRoom` or `openDirectRoom` sets it); its settings are
 * the `room:<room>` hash; memberships are indexed both ways
 * (`members:<room>`, `member_of:<user id>`), written by check-and-set scripts.
 *
 * @module
 */
import type { PublicUser } from "../../model.ts";
import { RedisScript } from "../../redis/script.ts";
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
import { toRoomRecord } from "./codec.ts";
import type { RedisContext } from "./context.ts";
import { redisDirectory } from "./directory.ts";
import { findUser } from "./users.ts";

/** A membership as kept in `members:<room>`. */
interface RedisMember {
  username: string;
  role: RoomRole;
  sinceMs: number;
}

// KEYS: seq, room hash, members, directory. ARGV: room, visibility, title or '', has title
// ('1'/'0'), created at, direct ('1'/'0'), owner id or '', member_of prefix, then
// (user id, member JSON, role)… Creates the room unless it exists: returns 1, or 0
// (and writes nothing).
const CREATE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], 0)
redis.call('HSET', KEYS[2], 'visibility', ARGV[2], 'direct', ARGV[6], 'created_at', ARGV[5],
  'active_at', ARGV[5])
if ARGV[4] == '1' then redis.call('HSET', KEYS[2], 'title', ARGV[3]) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], 'owner', ARGV[7]) end
if ARGV[6] ~= '1' and ARGV[2] == 'public' then redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1]) end
for i = 9, #ARGV, 3 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  redis.call('HSET', ARGV[8] .. ARGV[i], ARGV[1], ARGV[i + 2])
end
return 1
`);

// KEYS: seq, members, member_of. ARGV: user id, expected member JSON or '', new member JSON
// or '' (removes), role, room. Returns 1, 0 when the member changed meanwhile, -1 without room.
const SET_MEMBER = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local current = redis.call('HGET', KEYS[2], ARGV[1]) or ''
if current ~= ARGV[2] then return 0 end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[5])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  redis.call('HSET', KEYS[3], ARGV[5], ARGV[4])
end
return 1
`);

const MAX_ATTEMPTS = 50;

/** The room and membership methods over one client. */
export function redisRooms(ctx: RedisContext): RoomStore {
  const { client, key, guard } = ctx;

  const readRoom = async (name: string): Promise<RoomRecord | undefined> => {
    const [seq, hash] = await Promise.all([
      client.get(key.seq(name)),
      client.hGetAll(key.room(name)),
    ]);
    return toRoomRecord(name, seq, hash as Record<string, string>);
  };
  const userOrThrow = async (id: number): Promise<PublicUser> => {
    const user = await findUser(ctx, id);
    if (!user) throw userNotFound(id);
    return user;
  };
  const memberJson = (user: PublicUser, role: RoomRole, sinceMs: number) =>
    JSON.stringify({ username: user.username, role, sinceMs } satisfies RedisMember);
  const create = (name: string, args: string[], members: [PublicUser, RoomRole, number][]) =>
    CREATE.run(client, [key.seq(name), key.room(name), key.members(name), key.directory], [
      name,
      ...args,
      key.memberOfPrefix,
      ...members.flatMap(([user, role, since]) => [
        String(user.id),
        memberJson(user, role, since),
        role,
      ]),
    ]);
  const toMembership = (room: string, userId: number, raw: string): Membership => {
    const member = JSON.parse(raw) as RedisMember;
    return {
      room,
      user: { id: userId, username: member.username },
      role: member.role,
      sinceMs: member.sinceMs,
    };
  };

  return {
    createRoom(room: NewRoom): Promise<RoomRecord> {
      return guard(async () => {
        if (await client.exists(key.seq(room.name))) throw roomExists(room.name);
        const owner = await userOrThrow(room.ownerId);
        const created = Number(
          await create(room.name, [
            room.visibility,
            room.title ?? "",
            room.title === undefined ? "0" : "1",
            String(room.createdAtMs),
            "0",
            String(owner.id),
          ], [[owner, "owner", room.createdAtMs]]),
        );
        if (created === 0) throw roomExists(room.name);
        return (await readRoom(room.name))!;
      });
    },

    getRoom(name: string): Promise<RoomRecord | undefined> {
      return guard(() => readRoom(name));
    },

    openDirectRoom(a: number, b: number, atMs: number): Promise<RoomRecord> {
      const name = directRoomName(a, b);
      return guard(async () => {
        let room = await readRoom(name);
        if (!room) {
          const users = [await userOrThrow(a), await userOrThrow(b)];
          const members = [...new Map(users.map((u) => [u.id, u])).values()]
            .map((u): [PublicUser, RoomRole, number] => [u, "member", atMs]);
          await create(name, ["private", "", "0", String(atMs), "1", ""], members);
          room = await readRoom(name);
        }
        if (!room?.direct) throw roomExists(name);
        return room;
      });
    },

    putMember(room: string, userId: number, role: AssignableRole, atMs: number) {
      return guard(async (): Promise<Membership> => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const record = await readRoom(room);
          if (!record) throw roomNotFound(room);
          if (record.direct) throw membershipFixed(room, userId, true);
          const user = await userOrThrow(userId);
          const current = await client.hGet(key.members(room), String(userId)) ?? null;
          const existing = current === null ? undefined : toMembership(room, userId, current);
          if (existing?.role === "owner") throw membershipFixed(room, userId, false);
          const sinceMs = existing?.sinceMs ?? atMs;
          const done = Number(
            await SET_MEMBER.run(
              client,
              [key.seq(room), key.members(room), key.memberOf(userId)],
              [String(userId), current ?? "", memberJson(user, role, sinceMs), role, room],
            ),
          );
          if (done === -1) throw roomNotFound(room);
          if (done === 1) return { room, user, role, sinceMs };
        }
        throw new Error(`too much contention on the members of room "${room}"`);
      });
    },

    removeMember(room: string, userId: number): Promise<boolean> {
      return guard(async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const record = await readRoom(room);
          const current = await client.hGet(key.members(room), String(userId)) ?? null;
          if (!record || current === null) return false;
          if (record.direct) throw membershipFixed(room, userId, true);
          if (toMembership(room, userId, current).role === "owner") {
            throw membershipFixed(room, userId, false);
          }
          const done = Number(
            await SET_MEMBER.run(
              client,
              [key.seq(room), key.members(room), key.memberOf(userId)],
              [String(userId), current, "", "", room],
            ),
          );
          if (done !== 0) return done === 1;
        }
        throw new Error(`too much contention on the members of room "${room}"`);
      });
    },

    getMembership(room: string, userId: number): Promise<Membership | undefined> {
      return guard(async () => {
        const raw = await client.hGet(key.members(room), String(userId));
        return typeof raw === "string" ? toMembership(room, userId, raw) : undefined;
      });
    },

    listMembers(room: string): Promise<Membership[]> {
      return guard(async () => {
        const all = await client.hGetAll(key.members(room)) as Record<string, string>;
        return Object.entries(all)
          .map(([id, raw]) => toMembership(room, Number(id), raw))
          .sort((x, y) => x.user.id - y.user.id);
      });
    },

    ...redisDirectory(ctx),
  };
}
