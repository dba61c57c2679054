/**
 * Online backup of a SQLite database with SQLite's backup API (node:sqlite's
 * `backup()`), copying every page in one step: one read transaction, so the
 * copy is one consistent snapshot while writers go on (a WAL reader does not
 * block them), and it works under narrow permissions, where Deno refuses
 * `ATTACH` and so `VACUUM INTO`. The copy goes to a temporary file beside the
 * destination and is renamed into place, so the destination is never a
 * half-written file.
 *
 * @module
 */
import { backup, DatabaseSync } from "node:sqlite";
import { BUSY_TIMEOUT_MS } from "./db.ts";

/** Writes a consistent copy of the database open on `db` to `destination` (replacing it). */
export async function backupDatabase(db: DatabaseSync, destination: string): Promise<void> {
  const dir = destination.replace(/[\\/][^\\/]*$/, "");
  if (dir && dir !== destination) await Deno.mkdir(dir, { recursive: true });
  const partial = `${destination}.partial-${crypto.randomUUID()}`;
  try {
    // rate -1: every page in one step, so no write elsewhere restarts the copy.
    await backup(db, partial, { rate: -1 });
    await Deno.rename(partial, destination);
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
}

/**
 * Writes a consistent copy of the SQLite file at `source` (which a live server
 * may be writing) to `destination`, on a read-only connection of its own.
 *
 * @throws {Error} when `source` is missing, is not a SQLite database or cannot be read
 */
export async function backupSqliteFile(source: string, destination: string): Promise<void> {
  await Deno.stat(source); // a missing file is an error, not a new empty database
  const db = new DatabaseSync(source, { readOnly: true });
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await backupDatabase(db, destination);
  } finally {
    db.close();
  }
}
