/**
 * The SQLite store, on the built-in `node:sqlite`. WAL mode, a busy timeout,
 * and `BEGIN IMMEDIATE` around appends, so isolates and processes sharing one
 * file assign a gapless per-room `seq`.
 *
 * @module
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { ConflictError } from "../errors.ts";
import { storeClosed, storeFailure } from "./store_failure.ts";
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  canonical TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rooms (
  name TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
  room TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  sender_id INTEGER NOT NULL,
  sender_name TEXT NOT NULL,
  text TEXT NOT NULL,
  nonce TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (room, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS presence (
  node TEXT NOT NULL,
  room TEXT NOT NULL,
  users TEXT NOT NULL,
  anonymous INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (room, node)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

interface MessageRow {
  room: string;
  seq: number;
  id: string;
  sender_id: number;
  sender_name: string;
  text: string;
  nonce: string | null;
  created_at: number;
}

function rowToMessage(row: MessageRow): ChatMessage {
  return toChatMessage({
    id: row.id,
    room: row.room,
    sender: { id: row.sender_id, username: row.sender_name },
    text: row.text,
    nonce: row.nonce ?? undefined,
    createdAtMs: row.created_at,
  }, row.seq);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed/i.test(error.message);
}

/**
 * SQLite's primary result codes that mean the database cannot serve now (busy,
 * locked, out of memory, read-only, I/O, corrupt, full, cannot open); any other
 * code (an SQL error, a constraint, a mismatch) is a bug.
 */
const OUTAGE_CODES = new Set([5, 6, 7, 8, 10, 11, 13, 14, 15, 26]);

function isSqliteOutage(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" && OUTAGE_CODES.has(code & 0xff);
}

/** Options for {@linkcode openSqliteStore}. */
export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Opens (creating if needed) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const now = options.now ?? Date.now;
  if (options.path !== ":memory:") {
    const dir = options.path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== options.path) Deno.mkdirSync(dir, { recursive: true });
  }
  const db = new DatabaseSync(options.path);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(SCHEMA);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }

  const cache = new Map<string, StatementSync>();
  const sql = (text: string): StatementSync => {
    let statement = cache.get(text);
    if (!statement) {
      statement = db.prepare(text);
      cache.set(text, statement);
    }
    return statement;
  };
  let closed = false;

  /** Runs `fn`, mapping driver failures (other than those `fn` maps itself) to 503. */
  const guard = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(storeClosed());
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeFailure(error, isSqliteOutage));
    }
  };

  const transaction = <T>(fn: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  };

  return {
    createUser(user: NewUser): Promise<PublicUser> {
      return guard(() => {
        try {
          const row = sql(
            "INSERT INTO users (username, canonical, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
          ).get(user.username, user.canonical, user.passwordHash, now()) as { id: number };
          return { id: Number(row.id), username: user.username };
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(
              "USER_EXISTS",
              `Cannot create user "${user.username}": name is taken`,
            );
          }
          throw error;
        }
      });
    },

    findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined> {
      return guard(() => {
        const row = sql("SELECT id, username, password_hash FROM users WHERE canonical = ?").get(
          canonical,
        ) as { id: number; username: string; password_hash: string } | undefined;
        return row &&
          { id: Number(row.id), username: row.username, passwordHash: row.password_hash };
      });
    },

    findUserById(id: number): Promise<PublicUser | undefined> {
      return guard(() => {
        const row = sql("SELECT id, username FROM users WHERE id = ?").get(id) as
          | { id: number; username: string }
          | undefined;
        return row && { id: Number(row.id), username: row.username };
      });
    },

    updatePasswordHash(id: number, passwordHash: string): Promise<void> {
      return guard(() => {
        sql("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id);
      });
    },

    appendMessage(message: NewMessage): Promise<ChatMessage> {
      return guard(() =>
        transaction(() => {
          const row = sql(
            "INSERT INTO rooms (name, last_seq) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
          ).get(message.room) as { last_seq: number };
          const seq = Number(row.last_seq);
          sql(
            "INSERT INTO messages (room, seq, id, sender_id, sender_name, text, nonce, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          ).run(
            message.room,
            seq,
            message.id,
            message.sender.id,
            message.sender.username,
            message.text,
            message.nonce ?? null,
            message.createdAtMs,
          );
          return toChatMessage(message, seq);
        })
      );
    },

    listMessages(room: string, query: MessageQuery): Promise<ChatMessage[]> {
      return guard(() => {
        const where = ["room = ?"];
        const params: SQLInputValue[] = [room];
        if (query.before !== undefined) {
          where.push("seq < ?");
          params.push(query.before);
        }
        if (query.after !== undefined) {
          where.push("seq > ?");
          params.push(query.after);
        }
        const oldestFirst = query.from === "oldest";
        params.push(query.limit);
        const rows = sql(
          `SELECT * FROM messages WHERE ${where.join(" AND ")} ORDER BY seq ${
            oldestFirst ? "ASC" : "DESC"
          } LIMIT ?`,
        ).all(...params) as unknown as MessageRow[];
        if (!oldestFirst) rows.reverse();
        return rows.map(rowToMessage);
      });
    },

    lastSeq(room: string): Promise<number> {
      return guard(() => {
        const row = sql("SELECT last_seq FROM rooms WHERE name = ?").get(room) as
          | { last_seq: number }
          | undefined;
        return row ? Number(row.last_seq) : 0;
      });
    },

    putPresence(node: string, room: string, snapshot: PresenceSnapshot, ttlMs: number) {
      return guard(() => {
        if (snapshot.users.length === 0 && snapshot.anonymous === 0) {
          sql("DELETE FROM presence WHERE room = ? AND node = ?").run(room, node);
          return;
        }
        sql(
          "INSERT INTO presence (node, room, users, anonymous, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (room, node) DO UPDATE SET users = excluded.users, anonymous = excluded.anonymous, expires_at = excluded.expires_at",
        ).run(node, room, JSON.stringify(snapshot.users), snapshot.anonymous, now() + ttlMs);
      });
    },

    roomPresence(room: string): Promise<RoomPresence> {
      return guard(() => {
        const rows = sql(
          "SELECT users, anonymous FROM presence WHERE room = ? AND expires_at > ?",
        ).all(room, now()) as unknown as { users: string; anonymous: number }[];
        return mergePresence(
          rows.map((row) => ({
            users: JSON.parse(row.users) as PublicUser[],
            anonymous: Number(row.anonymous),
          })),
        );
      });
    },

    clearPresence(node: string): Promise<void> {
      return guard(() => {
        sql("DELETE FROM presence WHERE node = ?").run(node);
      });
    },

    getOrCreateSecret(name: string, create: () => string): Promise<string> {
      return guard(() => {
        const select = sql("SELECT value FROM secrets WHERE name = ?");
        const existing = select.get(name) as { value: string } | undefined;
        if (existing) return existing.value;
        sql("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").run(
          name,
          create(),
        );
        return (select.get(name) as { value: string }).value;
      });
    },

    ping(): Promise<void> {
      return guard(() => {
        sql("SELECT 1").get();
      });
    },

    close(): Promise<void> {
      if (!closed) {
        closed = true;
        cache.clear();
        db.close();
      }
      return Promise.resolve();
    },
  };
}
