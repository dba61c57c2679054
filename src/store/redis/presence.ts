/**
 * Presence and shared secrets in Redis: a hash per room (node → entry with
 * its expiry), a set per node of its rooms, and `secret:<name>` (`SET NX`).
 *
 * @module
 */
import type { RoomPresence } from "../../model.ts";
import { RedisScript } from "../../redis/script.ts";
import {
  mergePresence,
  type PresenceSnapshot,
  type PresenceStore,
  type SecretStore,
} from "../api/presence.ts";
import type { RedisContext } from "./context.ts";

interface StoredPresence extends PresenceSnapshot {
  expiresAt: number;
}

/** Presence hashes outlive their longest entry by this much, then Redis drops them. */
const PRESENCE_KEY_SLACK_MS = 60_000;

// KEYS: room presence hash, node's room set. ARGV: node, room, entry JSON ('' removes), key ttl ms.
const PUT_PRESENCE = new RedisScript(`
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[2])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
local ttl = tonumber(ARGV[4])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
return 1
`);

// KEYS: room presence hash. ARGV: now ms. Returns the live entries; drops lapsed ones.
const ROOM_PRESENCE = new RedisScript(`
local now = tonumber(ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local ok, entry = pcall(cjson.decode, all[i + 1])
  local expires = ok and type(entry) == 'table' and tonumber(entry.expiresAt) or nil
  if expires and expires > now then
    live[#live + 1] = all[i + 1]
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return live
`);

// KEYS: node's room set. ARGV: node, presence key prefix.
const CLEAR_PRESENCE = new RedisScript(`
for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  redis.call('HDEL', ARGV[2] .. room, ARGV[1])
end
redis.call('DEL', KEYS[1])
return 1
`);

/** The presence and secret methods over one client. */
export function redisPresence(ctx: RedisContext): PresenceStore & SecretStore {
  const { client, key, guard, now } = ctx;
  return {
    putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number) {
      return guard(async () => {
        const empty = snapshot.users.length === 0 && snapshot.anonymous === 0;
        const entry: StoredPresence = {
          expiresAt: now() + ttlMs,
          users: snapshot.users.map((u) => ({ id: u.id, username: u.username })),
          anonymous: snapshot.anonymous,
        };
        await PUT_PRESENCE.run(client, [key.presence(room), key.nodeRooms(node)], [
          node,
          room,
          empty ? "" : JSON.stringify(entry),
          String(Math.ceil(ttlMs) + PRESENCE_KEY_SLACK_MS),
        ]);
      });
    },

    roomPresence(room: string): Promise<RoomPresence> {
      return guard(async () => {
        const live = await ROOM_PRESENCE.run(client, [key.presence(room)], [
          String(now()),
        ]) as string[];
        return mergePresence(live.map((raw) => JSON.parse(raw) as StoredPresence));
      });
    },

    clearPresence(node: string): Promise<void> {
      return guard(async () => {
        await CLEAR_PRESENCE.run(client, [key.nodeRooms(node)], [node, key.presencePrefix]);
      });
    },

    getOrCreateSecret(name: string, create: () => string): Promise<string> {
      return guard(async () => {
        const k = key.secret(name);
        const existing = await client.get(k);
        if (typeof existing === "string") return existing;
        await client.set(k, create(), { condition: "NX" });
        const value = await client.get(k);
        if (typeof value !== "string") throw new Error(`secret "${name}" vanished`);
        return value;
      });
    },
  };
}
