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

/** SQLite's primary result code of a driver failure, if it carries one. */
function primaryCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" ? code & 0xff : undefined;
}

/** Whether a driver failure means the database cannot serve now. */
export function isSqliteOutage(error: unknown): boolean {
  const code = primaryCode(error);
  return code !== undefined && OUTAGE_CODES.has(code);
}

/** SQLite's `SQLITE_BUSY`: another connection holds a lock this one needs. */
const SQLITE_BUSY = 5;

/** How long a statement, or opening, waits for another connection's lock. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs `fn`, running it again while SQLite answers busy, until `timeoutMs`.
 *
 * `busy_timeout` does not cover every wait: where waiting could deadlock,
 * SQLite answers busy at once. Switching a new file to WAL while another
 * connection holds its write lock is such a case: two isolates of
 * `deno serve --parallel` opening one new file together, one of them
 * mid-switch, made the other fail with "database is locked".
 */
function retryWhileBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return fn();
    } catch (error) {
      if (primaryCode(error) !== SQLITE_BUSY || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
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

/**
 * Opens and configures a connection, creating the file's directory and schema
 * as needed, waiting up to `busyTimeoutMs` for other connections' locks.
 *
 * Statements that can meet a lock run prepared, never through `exec`: the
 * driver gives an `exec` failure no `errcode`, so a busy database would read
 * as a bug (500) instead of an outage (503).
 */
export function openSqliteContext(
  path: string,
  now: () => number,
  busyTimeoutMs: number = BUSY_TIMEOUT_MS,
): SqliteContext {
  if (path !== ":memory:") {
    const dir = path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== path) Deno.mkdirSync(dir, { recursive: true });
  }
  const db = new DatabaseSync(path);
  const setBusyTimeout = (ms: number) => db.prepare(`PRAGMA busy_timeout = ${ms}`).get();
  try {
    setBusyTimeout(busyTimeoutMs);
    retryWhileBusy(() => db.prepare("PRAGMA journal_mode = WAL").get(), busyTimeoutMs);
    db.prepare("PRAGMA synchronous = NORMAL").run();
    db.prepare("PRAGMA foreign_keys = ON").run();
    // Deleted and overwritten content (an erased message, pruned history) is
    // zeroed in the file, not only unlinked.
    db.prepare("PRAGMA secure_delete = ON").get();
    retryWhileBusy(() => migrate(db), busyTimeoutMs);
  } catch (error) {
    db.close();
    throw error;
  }

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
      sql("BEGIN IMMEDIATE").run();
      try {
        const result = fn();
        sql("COMMIT").run();
        return result;
      } catch (error) {
        if (db.isTransaction) sql("ROLLBACK").run();
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
      setBusyTimeout(0);
      try {
        sql("PRAGMA wal_checkpoint(TRUNCATE)").get();
      } catch {
        // Busy: another connection holds the log; it is overwritten later.
      } finally {
        setBusyTimeout(busyTimeoutMs);
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
