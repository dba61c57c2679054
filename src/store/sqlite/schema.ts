/**
 * The SQLite schema and its migrations. Version 0 is the v1 schema (users,
 * one log of messages per room, presence, secrets); each later version is a
 * step applied once, in order, inside the opening transaction, and recorded
 * in `PRAGMA user_version`. A database written by an older server is brought
 * up to date when a newer one opens it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** The v1 tables, as every database has had them. */
const BASE = `
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

/**
 * Version 1: the v2 log (edit and delete events share `messages`, told apart
 * by `kind`), rooms with owners and the directory index, memberships, read
 * state, moderation and the audit log.
 *
 * - `messages.kind`: `message`, `edit` or `delete`; `target` is the `seq` an
 *   edit or delete is about; `deleted_at` is set on a deleted message and on
 *   its edits, whose text is then erased.
 * - `rooms.active_at`: the latest message's time, or the creation's; the
 *   partial index `rooms_directory` holds public rooms only.
 * - `restrictions.scope`: the room's name, or `''` for the server (no room
 *   name is empty).
 */
const V1 = `
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
ALTER TABLE messages ADD COLUMN target INTEGER;
ALTER TABLE messages ADD COLUMN reply_to INTEGER;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
CREATE INDEX messages_by_target ON messages (room, target) WHERE target IS NOT NULL;

ALTER TABLE rooms ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
ALTER TABLE rooms ADD COLUMN title TEXT;
ALTER TABLE rooms ADD COLUMN owner_id INTEGER;
ALTER TABLE rooms ADD COLUMN direct INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN created_at INTEGER;
ALTER TABLE rooms ADD COLUMN last_message_at INTEGER;
ALTER TABLE rooms ADD COLUMN active_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN pruned_through INTEGER NOT NULL DEFAULT 0;
UPDATE rooms SET last_message_at = (
  SELECT m.created_at FROM messages m WHERE m.room = rooms.name ORDER BY m.seq DESC LIMIT 1
);
UPDATE rooms SET active_at = coalesce(last_message_at, 0);
CREATE INDEX rooms_directory ON rooms (active_at DESC, name DESC) WHERE visibility = 'public';

CREATE TABLE members (
  room TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  role TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (room, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members (user_id, room);

CREATE TABLE read_state (
  user_id INTEGER NOT NULL,
  room TEXT NOT NULL,
  last_read INTEGER NOT NULL,
  posted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, room)
) WITHOUT ROWID;

CREATE TABLE restrictions (
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  until INTEGER,
  reason TEXT,
  by_id INTEGER,
  at INTEGER NOT NULL,
  PRIMARY KEY (kind, scope, user_id)
) WITHOUT ROWID;

CREATE TABLE revoked_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX revoked_tokens_by_at ON revoked_tokens (at);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at);
CREATE TABLE revoked_users (
  user_id INTEGER PRIMARY KEY,
  before INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX revoked_users_by_at ON revoked_users (at);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_id INTEGER,
  actor_name TEXT,
  action TEXT NOT NULL,
  target_user_id INTEGER,
  room TEXT,
  detail TEXT
);
`;

/** Every migration, in order: index `i` brings version `i` to `i + 1`. */
const MIGRATIONS: readonly string[] = [V1];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates the tables or brings them up to {@linkcode SCHEMA_VERSION}, in one
 * `BEGIN IMMEDIATE` transaction, so several processes opening one file at once
 * migrate it once.
 *
 * @throws {Error} when the file was written by a newer version of this server
 */
export function migrate(db: DatabaseSync): void {
  db.prepare("BEGIN IMMEDIATE").run();
  try {
    db.exec(BASE);
    const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
    const version = Number(row.user_version);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `Cannot open the database: its schema version ${version} is newer than this server's ${SCHEMA_VERSION}`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (version !== SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.prepare("COMMIT").run();
  } catch (error) {
    if (db.isTransaction) db.prepare("ROLLBACK").run();
    throw error;
  }
}
