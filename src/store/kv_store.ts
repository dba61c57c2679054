/**
 * The Deno KV store. Keys are namespaced tuples; uniqueness and the per-room
 * `seq` are kept by `atomic()` checks, retried on conflict.
 *
 * Keys:
 * - `["users", id]` → user record
 * - `["users_by_name", canonical]` → id (names up to 1,024 bytes)
 * - `["users_by_name_sha256", hex digest of canonical]` → id (longer names: KV keys stop at 2 KiB)
 * - `["counters", "users"]` → last user id
 * - `["rooms", room]` → last seq
 * - `["messages", room, seq]` → message
 * - `["presence", room, node, part]` → a part of a node's snapshot of a room, up to
 *   {@linkcode PRESENCE_USERS_PER_KEY} users each (with `expireIn`; KV values stop at 64 KiB)
 * - `["secrets", name]` → value
 *
 * @module
 */
import { ConflictError } from "../errors.ts";
import { storeClosed, storeFailure } from "./store_failure.ts";
import { toHex } from "../hex.ts";
import {
  type ChatMessage,
  type NewMessage,
  type PublicUser,
  type RoomPresence,
  toChatMessage,
  type UserRecord,
} from "../model.ts";
import {
  mergePresence,
  type MessageQuery,
  type NewUser,
  type PresenceSnapshot,
  type Store,
} from "./store.ts";

interface StoredPresence extends PresenceSnapshot {
  expiresAt: number;
}

/**
 * Users per presence key: 200 names of at most 64 code points stay well
 * under KV's 64 KiB value limit.
 */
const PRESENCE_USERS_PER_KEY = 200;

/** Canonical names longer than this many UTF-8 bytes are keyed by their digest. */
const MAX_NAME_KEY_BYTES = 1024;

/** The key of a canonical name in the unique-name index. */
async function nameKeyOf(canonical: string): Promise<Deno.KvKey> {
  const bytes = new TextEncoder().encode(canonical);
  if (bytes.byteLength <= MAX_NAME_KEY_BYTES) return ["users_by_name", canonical];
  return ["users_by_name_sha256", toHex(await crypto.subtle.digest("SHA-256", bytes))];
}

/** Options for {@linkcode openKvStore}. */
export interface KvStoreOptions {
  /** A file path, `:memory:`, or `undefined` for Deno's default (Deno Deploy's KV). */
  path?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

const MAX_ATTEMPTS = 200;

/** Opens a KV store. */
export async function openKvStore(options: KvStoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now;
  if (options.path && options.path !== ":memory:") {
    const dir = options.path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== options.path) await Deno.mkdir(dir, { recursive: true });
  }
  const kv = await Deno.openKv(options.path);
  let closed = false;
  /** node → room → how many parts its snapshot there has. */
  const nodesSeen = new Map<string, Map<string, number>>();
  /** The last pending append of each room through this handle. */
  const appendTails = new Map<string, Promise<void>>();

  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) throw storeClosed();
    try {
      return await fn();
    } catch (error) {
      // Deno KV reports what it refuses of our input (a key or value too large)
      // as a TypeError or RangeError; anything else of its own is an outage.
      throw storeFailure(error, () => true);
    }
  };

  /**
   * Commits `op`. A local KV file shared by several handles (isolates) answers a
   * checked commit that races another writer with "database is locked"; that
   * is a lost race like a failed check, so it is reported the same way.
   */
  const commitOrBusy = async (op: Deno.AtomicOperation): Promise<{ ok: boolean }> => {
    try {
      return await op.commit();
    } catch (error) {
      if (error instanceof Error && /database is locked|busy/i.test(error.message)) {
        return { ok: false };
      }
      throw error;
    }
  };

  /** Commits the atomic op `build` returns, retrying while checks fail. */
  const retry = async <T>(
    build: () => Promise<{ op?: Deno.AtomicOperation; value: T }>,
  ): Promise<T> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { op, value } = await build();
      if (!op || (await commitOrBusy(op)).ok) return value;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt)));
    }
    throw new Error("too much contention");
  };

  return {
    createUser(user: NewUser): Promise<PublicUser> {
      return guard(() =>
        retry<PublicUser>(async () => {
          const nameKey = await nameKeyOf(user.canonical);
          const [counter, byName] = await kv.getMany<[number, number]>([
            ["counters", "users"],
            nameKey,
          ]);
          if (byName.value !== null) {
            throw new ConflictError(
              "USER_EXISTS",
              `Cannot create user "${user.username}": name is taken`,
            );
          }
          const id = (counter.value ?? 0) + 1;
          const record: UserRecord = {
            id,
            username: user.username,
            passwordHash: user.passwordHash,
          };
          const op = kv.atomic()
            .check(counter)
            .check({ key: byName.key, versionstamp: null })
            .set(["counters", "users"], id)
            .set(nameKey, id)
            .set(["users", id], record);
          return { op, value: { id, username: user.username } };
        })
      );
    },

    findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined> {
      return guard(async () => {
        const id = await kv.get<number>(await nameKeyOf(canonical));
        if (id.value === null) return undefined;
        const user = await kv.get<UserRecord>(["users", id.value]);
        return user.value ?? undefined;
      });
    },

    findUserById(id: number): Promise<PublicUser | undefined> {
      return guard(async () => {
        const user = await kv.get<UserRecord>(["users", id]);
        return user.value ? { id: user.value.id, username: user.value.username } : undefined;
      });
    },

    updatePasswordHash(id: number, passwordHash: string): Promise<void> {
      return guard(() =>
        retry<void>(async () => {
          const user = await kv.get<UserRecord>(["users", id]);
          if (!user.value) return { value: undefined };
          const op = kv.atomic().check(user).set(["users", id], { ...user.value, passwordHash });
          return { op, value: undefined };
        })
      );
    },

    appendMessage(message: NewMessage): Promise<ChatMessage> {
      const append = () =>
        guard(() =>
          retry<ChatMessage>(async () => {
            const last = await kv.get<number>(["rooms", message.room]);
            const seq = (last.value ?? 0) + 1;
            const stored = toChatMessage(message, seq);
            const op = kv.atomic()
              .check(last)
              .set(["rooms", message.room], seq)
              .set(["messages", message.room, seq], stored);
            return { op, value: stored };
          })
        );
      // Appends to one room through this handle go one at a time, so they do not
      // fail each other's checks; other handles are still met by the retry.
      const previous = appendTails.get(message.room) ?? Promise.resolve();
      const result = previous.then(append, append);
      const tail = result.then(() => {}, () => {});
      appendTails.set(message.room, tail);
      tail.then(() => {
        if (appendTails.get(message.room) === tail) appendTails.delete(message.room);
      });
      return result;
    },

    listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]> {
      return guard(async () => {
        const prefix = ["messages", room];
        const { after, before } = query;
        if (after !== undefined && before !== undefined && after + 1 >= before) return [];
        const start = after !== undefined ? [...prefix, after + 1] : undefined;
        const end = before !== undefined ? [...prefix, before] : undefined;
        // KV refuses a selector with `prefix`, `start` and `end` all set.
        const selector: Deno.KvListSelector = start && end
          ? { start, end }
          : start
          ? { prefix, start }
          : end
          ? { prefix, end }
          : { prefix };
        const oldestFirst = query.from === "oldest";
        const out: ChatMessage[] = [];
        for await (
          const entry of kv.list<ChatMessage>(selector, {
            limit: query.limit,
            reverse: !oldestFirst,
            batchSize: Math.min(query.limit, 500),
          })
        ) out.push(entry.value);
        if (!oldestFirst) out.reverse();
        return out;
      });
    },

    lastSeq(room: string): Promise<number> {
      return guard(async () => (await kv.get<number>(["rooms", room])).value ?? 0);
    },

    putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number) {
      return guard(async () => {
        let rooms = nodesSeen.get(node);
        if (!rooms) nodesSeen.set(node, rooms = new Map());
        const before = rooms.get(room) ?? 0;
        const parts: PublicUser[][] = [];
        for (let i = 0; i < snapshot.users.length; i += PRESENCE_USERS_PER_KEY) {
          parts.push(snapshot.users.slice(i, i + PRESENCE_USERS_PER_KEY));
        }
        if (parts.length === 0 && snapshot.anonymous > 0) parts.push([]);
        const op = kv.atomic();
        const expiresAt = now() + ttlMs;
        parts.forEach((users, part) => {
          const value: StoredPresence = {
            users,
            anonymous: part === 0 ? snapshot.anonymous : 0,
            expiresAt,
          };
          op.set(["presence", room, node, part], value, { expireIn: ttlMs });
        });
        for (let part = parts.length; part < before; part++) {
          op.delete(["presence", room, node, part]);
        }
        await op.commit();
        if (parts.length > 0) rooms.set(room, parts.length);
        else rooms.delete(room);
      });
    },

    roomPresence(room: string): Promise<RoomPresence> {
      return guard(async () => {
        const rows: StoredPresence[] = [];
        const at = now();
        // KV deletes expired keys lazily, so the expiry is also checked here.
        for await (const entry of kv.list<StoredPresence>({ prefix: ["presence", room] })) {
          if (entry.value.expiresAt > at) rows.push(entry.value);
        }
        return mergePresence(rows);
      });
    },

    clearPresence(node: string): Promise<void> {
      return guard(async () => {
        for (const [room, parts] of nodesSeen.get(node) ?? []) {
          const op = kv.atomic();
          for (let part = 0; part < parts; part++) op.delete(["presence", room, node, part]);
          await op.commit();
        }
        nodesSeen.delete(node);
      });
    },

    getOrCreateSecret(name: string, create: () => string): Promise<string> {
      return guard(() =>
        retry<string>(async () => {
          const entry = await kv.get<string>(["secrets", name]);
          if (entry.value !== null) return { value: entry.value };
          const value = create();
          return { op: kv.atomic().check(entry).set(entry.key, value), value };
        })
      );
    },

    ping(): Promise<void> {
      return guard(async () => {
        await kv.get(["counters", "users"]);
      });
    },

    close(): Promise<void> {
      if (!closed) {
        closed = true;
        kv.close();
      }
      return Promise.resolve();
    },
  };
}
