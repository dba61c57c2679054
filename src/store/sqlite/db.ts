/**
 * One SQLite connection as every module of the SQLite store uses it: cached
 * prepared statements, `BEGIN IMMEDIATE` transactions, and the one error rule
 * (outage → 503, bug → 500).
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { storeClosed, storeFailure } from "../store_failure.ts";
import { migrate } from "./schema.ts";

/**
 * SQLite's primary result codes that mean the database cannot serve now (busy,
 * locked, out of memory, read-only, I/O, corrupt, full, cannot open); any other
 * code (an SQL error, a constraint, a mismatch) is a bug.
 */
const OUTAGE_CODES = new Set([5, 6, 7, 8, 10, 11, 13, 14, 15, 26]);

/** Whether a driver failure means the database cannot serve now. */
export function isSqliteOutage(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" && OUTAGE_CODES.has(code & 0xff);
}

/** Whether a driver failure is a `UNIQUE` constraint. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed/i.test(error.message);
}

/** What the modules of the SQLite store share. */
export interface SqliteContext {
  readonly db: DatabaseSync;
  /** Milliseconds since the epoch (presence expiry). */
  readonly now: () => number;
  /** The prepared statement of `text`, prepared once. */
  sql(text: string): StatementSync;
  /** Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolling back on a throw. */
  transaction<T>(fn: () => T): T;
  /** Runs `fn` as a store call: rejects at once when closed, maps failures by the error rule. */
  guard<T>(fn: () => T): Promise<T>;
  /**
   * Moves the write-ahead log into the database file and truncates it, so the
   * old copies of erased text it held are gone. Best effort: it does not wait
   * for other connections' readers (the log is then overwritten later).
   */
  flushLog(): void;
  /** Closes the connection; idempotent. */
  close(): void;
}

/** Opens and configures a connection, creating the file's directory and schema as needed. */
export function openSqliteContext(path: string, now: () => number): SqliteContext {
  if (path !== ":memory:") {
    const dir = path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== path) Deno.mkdirSync(dir, { recursive: true });
  }
  const db = new DatabaseSync(path);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content (an erased message, pruned history) is
  // zeroed in the file, not only unlinked.
  db.exec("PRAGMA secure_delete = ON");
  migrate(db);

  const cache = new Map<string, StatementSync>();
  let closed = false;
  const sql = (text: string): StatementSync => {
    let statement = cache.get(text);
    if (!statement) {
      statement = db.prepare(text);
      cache.set(text, statement);
    }
    return statement;
  };
  return {
    db,
    now,
    sql,
    transaction<T>(fn: () => T): T {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = fn();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    },
    guard<T>(fn: () => T): Promise<T> {
      if (closed) return Promise.reject(storeClosed());
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(storeFailure(error, isSqliteOutage));
      }
    },
    flushLog(): void {
      if (path === ":memory:") return;
      db.exec("PRAGMA busy_timeout = 0");
      try {
        sql("PRAGMA wal_checkpoint(TRUNCATE)").get();
      } catch {
        // Busy: another connection holds the log; it is overwritten later.
      } finally {
        db.exec("PRAGMA busy_timeout = 5000");
      }
    },
    close(): void {
      if (closed) return;
      closed = true;
      cache.clear();
      db.close();
    },
  };
}
