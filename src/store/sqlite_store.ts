/**
 * The SQLite store, on the built-in `node:sqlite`: WAL mode, a busy timeout,
 * and `BEGIN IMMEDIATE` around every write that must be atomic, so isolates
 * and processes sharing one file assign a gapless per-room `seq`. One module
 * per concern under `sqlite/`, composed here over one connection.
 *
 * @module
 */
import type { Store } from "./store.ts";
import { storeFailure } from "./store_failure.ts";
import { backupDatabase } from "./sqlite/backup.ts";
import { isSqliteOutage, openSqliteContext } from "./sqlite/db.ts";
import { sqliteMessages } from "./sqlite/messages.ts";
import { sqliteAudit } from "./sqlite/audit.ts";
import { sqliteRestrictions } from "./sqlite/moderation.ts";
import { sqlitePresence } from "./sqlite/presence.ts";
import { sqliteReadState } from "./sqlite/read_state.ts";
import { sqliteRetention } from "./sqlite/retention.ts";
import { sqliteRevocations } from "./sqlite/revocations.ts";
import { sqliteRooms } from "./sqlite/rooms.ts";
import { sqliteUsers } from "./sqlite/users.ts";

export { backupSqliteFile } from "./sqlite/backup.ts";

/** Options for {@linkcode openSqliteStore}. */
export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** How long to wait for another connection's lock; 5,000 ms unless set (tests). */
  busyTimeoutMs?: number;
}

/** The SQLite store: a {@linkcode Store} that can also back itself up. */
export interface SqliteStore extends Store {
  /**
   * Writes a consistent copy of the live database to `destination` (replacing
   * it) while other connections keep writing; also of a `:memory:` store.
   */
  backup(destination: string): Promise<void>;
}

/** Opens (creating or migrating if needed) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const ctx = openSqliteContext(options.path, options.now ?? Date.now, options.busyTimeoutMs);
  return {
    ...sqliteUsers(ctx),
    ...sqliteMessages(ctx),
    ...sqliteRooms(ctx),
    ...sqliteReadState(ctx),
    ...sqliteRestrictions(ctx),
    ...sqliteRevocations(ctx),
    ...sqliteAudit(ctx),
    ...sqliteRetention(ctx),
    ...sqlitePresence(ctx),

    async backup(destination: string): Promise<void> {
      await ctx.guard(() => undefined); // rejects when closed
      try {
        await backupDatabase(ctx.db, destination);
      } catch (error) {
        throw storeFailure(error, isSqliteOutage);
      }
    },

    ping(): Promise<void> {
      return ctx.guard(() => {
        ctx.sql("SELECT 1").get();
      });
    },

    close(): Promise<void> {
      ctx.close();
      return Promise.resolve();
    },
  };
}
