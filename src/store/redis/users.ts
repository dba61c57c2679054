/**
 * Users in Redis: `users:by_name` (canonical → id) and `user:<id>` hashes,
 * created by one Lua script so a taken name writes nothing.
 *
 * @module
 */
import type { PublicUser, UserRecord } from "../../model.ts";
import { RedisScript } from "../../redis/script.ts";
import type { NewUser, UserStore } from "../api/users.ts";
import { userExists } from "../store_errors.ts";
import type { RedisContext } from "./context.ts";

// KEYS: by-name hash, id counter. ARGV: canonical, username, hash, user key prefix.
// Returns the new id, or 0 when the name is taken (and then writes nothing).
const CREATE_USER = new RedisScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local id = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], id)
redis.call('HSET', ARGV[4] .. id, 'username', ARGV[2], 'hash', ARGV[3])
return id
`);

// KEYS: by-name hash. ARGV: canonical, user key prefix. Returns {id, username, hash} or nil.
const FIND_USER_BY_NAME = new RedisScript(`
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return nil end
local user = redis.call('HMGET', ARGV[2] .. id, 'username', 'hash')
if not user[1] then return nil end
return {id, user[1], user[2]}
`);

// KEYS: user hash. ARGV: new hash. Writes only when the user exists.
const UPDATE_HASH = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'hash', ARGV[1])
return 1
`);

/** The public user of an id, read inside another call. */
export async function findUser(ctx: RedisContext, id: number): Promise<PublicUser | undefined> {
  const username = await ctx.client.hGet(ctx.key.user(id), "username");
  return typeof username === "string" ? { id, username } : undefined;
}

/** The user methods over one client. */
export function redisUsers(ctx: RedisContext): UserStore {
  const { client, key, guard } = ctx;
  return {
    createUser(user: NewUser): Promise<PublicUser> {
      return guard(async () => {
        const id = Number(
          await CREATE_USER.run(client, [key.userNames, key.userCounter], [
            user.canonical,
            user.username,
            user.passwordHash,
            key.userPrefix,
          ]),
        );
        if (id === 0) throw userExists(user.username);
        return { id, username: user.username };
      });
    },

    findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined> {
      return guard(async () => {
        const row = await FIND_USER_BY_NAME.run(client, [key.userNames], [
          canonical,
          key.userPrefix,
        ]) as [string, string, string] | null;
        if (!row) return undefined;
        return { id: Number(row[0]), username: row[1], passwordHash: row[2] };
      });
    },

    findUserById(id: number): Promise<PublicUser | undefined> {
      return guard(() => findUser(ctx, id));
    },

    updatePasswordHash(id: number, passwordHash: string): Promise<void> {
      return guard(async () => {
        await UPDATE_HASH.run(client, [key.user(id)], [passwordHash]);
      });
    },
  };
}
