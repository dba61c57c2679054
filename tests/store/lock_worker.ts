/**
 * A worker that takes a SQLite file's write lock on a connection of its own
 * and holds it for a while, as another isolate mid-write (or mid-switch to
 * WAL) does.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** The job a test posts: the file, how long to hold, and whether to leave it in rollback mode. */
export interface LockJob {
  readonly path: string;
  readonly holdMs: number;
  /** `true`: the file stays in rollback-journal mode, as a brand-new file is. */
  readonly rollbackMode: boolean;
}

/** What the worker posts: `"holding"` once it has the lock, `"released"` after. */
export type LockEvent = "holding" | "released";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LockJob>) => void) | null;
  postMessage(message: LockEvent): void;
};

scope.onmessage = (event) => {
  const { path, holdMs, rollbackMode } = event.data;
  const db = new DatabaseSync(path);
  if (!rollbackMode) db.exec("PRAGMA journal_mode = WAL");
  db.exec("CREATE TABLE IF NOT EXISTS lock_holder (x)");
  db.exec("BEGIN IMMEDIATE");
  db.exec("INSERT INTO lock_holder VALUES (1)");
  scope.postMessage("holding");
  setTimeout(() => {
    db.exec("COMMIT");
    db.close();
    scope.postMessage("released");
  }, holdMs);
};
