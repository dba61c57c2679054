/**
 * The Redis store, over npm `redis`. Every write that must be atomic is one
 * Lua script, so any number of processes can share one Redis.
 *
 * Keys (after the key prefix, `chat:` by default):
 * - `users:next` → last user id (`INCR`)
 * - `users:by_name` → hash: canonical name → id
 * - `user:<id>` → hash: `username`, `hash`
 * - `seq:<room>` → the room's last `seq` (`INCR`)
 * - `log:<room>` → sorted set: score `seq`, member the stored message as JSON
 * - `presence:<room>` → hash: node → `{"expiresAt", "users", "anonymous"}`
 * - `presence_rooms:<node>` → set of rooms the node has presence in
 * - `secret:<name>` → value (`SET NX`)
 *
 * While Redis is unreachable every call rejects at once (or after the command
 * timeout) with {@linkcode StoreUnavailableError}; nothing queues.
 *
 * @module
 */
import { ConflictError, StoreUnavailableError } from "../errors.ts";
import { storeClosed, storeFailure } from "./store_failure.ts";
import {
  type ChatMessage,
  type NewMessage,
  type PublicUser,
  type RoomPresence,
  toChatMessage,
  type UserRecord,
} from "../model.ts";
import type { RedisClient } from "../redis/connection.ts";
import { RedisScript } from "../redis/script.ts";
import {
  mergePresence,
  type MessageQuery,
  type NewUser,
  type PresenceSnapshot,
  type Store,
} from "./store.ts";

/** Options for {@linkcode createRedisStore}. */
export interface RedisStoreOptions {
  /** A connected command client; the store does not close it. */
  readonly client: RedisClient;
  /** Prepended to every key; default `chat:`. */
  readonly keyPrefix?: string;
  /** Milliseconds since the epoch, for presence expiry; injectable for tests. */
  readonly now?: () => number;
  /** How long one call may wait for Redis before failing with 503; default 2 s. */
  readonly commandTimeoutMs?: number;
}

/** The message as kept in a room's log; its room is the key's. */
interface StoredMessage {
  seq: number;
  id: string;
  sender: PublicUser;
  text: string;
  createdAtMs: number;
  nonce?: string;
}

interface StoredPresence extends PresenceSnapshot {
  expiresAt: number;
}

/** Presence hashes outlive their longest entry by this much, then Redis drops them. */
const PRESENCE_KEY_SLACK_MS = 60_000;

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

// KEYS: seq counter, log. ARGV: the message as a JSON object without seq.
// Assigns the next seq and logs the message under it, as one step.
const APPEND = new RedisScript(`
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
return seq
`);

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

function toMessage(room: string, raw: string): ChatMessage {
  const stored = JSON.parse(raw) as StoredMessage;
  return toChatMessage({
    id: stored.id,
    room,
    sender: stored.sender,
    text: stored.text,
    nonce: stored.nonce,
    createdAtMs: stored.createdAtMs,
  }, stored.seq);
}

/** Error replies of a Redis that is there but cannot serve now (loading, failing over, busy). */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * Whether `error` is the client's `ErrorReply` (an error answer from Redis),
 * told by its class name: importing the class would load the Redis client into
 * every server, whatever its store.
 */
function isErrorReply(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  for (
    let proto = Object.getPrototypeOf(error);
    proto && proto !== Error.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto.constructor?.name === "ErrorReply") return true;
  }
  return false;
}

/**
 * Whether a failure means Redis is away (503) rather than a bug or bad data
 * (an error reply such as `WRONGTYPE`, a log entry that does not parse: 500).
 */
function isOutage(error: unknown): boolean {
  return isErrorReply(error) ? TRANSIENT_REPLY.test(error.message) : true;
}

/** Rejects with `onTimeout()` when `promise` takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // The command may still settle after the timeout; nobody is waiting then.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A store over a connected Redis client.
 *
 * The client should be opened with the offline queue disabled (as
 * {@linkcode "../redis/connection.ts"} does), so calls fail at once while Redis
 * is away.
 */
export function createRedisStore(options: RedisStoreOptions): Store {
  const { client } = options;
  const now = options.now ?? Date.now;
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  const p = options.keyPrefix ?? "chat:";
  const key = {
    userCounter: `${p}users:next`,
    userNames: `${p}users:by_name`,
    userPrefix: `${p}user:`,
    user: (id: number) => `${p}user:${id}`,
    seq: (room: string) => `${p}seq:${room}`,
    log: (room: string) => `${p}log:${room}`,
    presencePrefix: `${p}presence:`,
    presence: (room: string) => `${p}presence:${room}`,
    nodeRooms: (node: string) => `${p}presence_rooms:${node}`,
    secret: (name: string) => `${p}secret:${name}`,
  };
  let closed = false;

  /** Runs `fn` against Redis, mapping an outage (not a conflict, a bug or bad data) to 503. */
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) throw storeClosed();
    if (!client.isReady) throw new StoreUnavailableError(new Error("Redis is not connected"));
    try {
      return await withTimeout(
        fn(),
        timeoutMs,
        () => new Error(`Redis did not answer within ${timeoutMs} ms`),
      );
    } catch (error) {
      throw storeFailure(error, isOutage);
    }
  };

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
        if (id === 0) {
          throw new ConflictError(
            "USER_EXISTS",
            `Cannot create user "${user.username}": name is taken`,
          );
        }
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
      return guard(async () => {
        const username = await client.hGet(key.user(id), "username");
        return typeof username === "string" ? { id, username } : undefined;
      });
    },

    updatePasswordHash(id: number, passwordHash: string): Promise<void> {
      return guard(async () => {
        await UPDATE_HASH.run(client, [key.user(id)], [passwordHash]);
      });
    },

    appendMessage(message: NewMessage): Promise<ChatMessage> {
      return guard(async () => {
        const body: Omit<StoredMessage, "seq"> = {
          id: message.id,
          sender: { id: message.sender.id, username: message.sender.username },
          text: message.text,
          createdAtMs: message.createdAtMs,
          ...(message.nonce !== undefined ? { nonce: message.nonce } : {}),
        };
        const seq = Number(
          await APPEND.run(client, [key.seq(message.room), key.log(message.room)], [
            JSON.stringify(body),
          ]),
        );
        return toChatMessage(message, seq);
      });
    },

    listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]> {
      return guard(async () => {
        if (query.limit <= 0) return [];
        const low = query.after !== undefined ? `(${query.after}` : "-inf";
        const high = query.before !== undefined ? `(${query.before}` : "+inf";
        const oldestFirst = query.from === "oldest";
        // ZRANGE … BYSCORE … LIMIT: O(log n + page).
        const limit = ["LIMIT", "0", String(query.limit)];
        const args = oldestFirst
          ? ["ZRANGE", key.log(room), low, high, "BYSCORE", ...limit]
          : ["ZRANGE", key.log(room), high, low, "BYSCORE", "REV", ...limit];
        const raw = await client.sendCommand(args) as string[];
        const messages = raw.map((member) => toMessage(room, member));
        if (!oldestFirst) messages.reverse();
        return messages;
      });
    },

    lastSeq(room: string): Promise<number> {
      return guard(async () => Number(await client.get(key.seq(room)) ?? 0));
    },

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

    ping(): Promise<void> {
      return guard(async () => {
        await client.ping();
      });
    },

    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };
}
