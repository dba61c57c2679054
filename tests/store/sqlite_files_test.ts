/**
 * What only the SQLite store can show: erased text is gone from the database
 * file and its write-ahead log, a database written by the v1 server is
 * migrated in place, and the directory reads its index.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DIRECTORY_AFTER, DIRECTORY_FIRST } from "../../src/store/sqlite/directory.ts";
import { SCHEMA_VERSION } from "../../src/store/sqlite/schema.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import { newMessage, T0 } from "./contract/helpers.ts";

/** A temp directory removed when the test's scope ends. */
async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "chat-sqlite-files-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Whether `text` is in any of the database's files (the file, its WAL, its shared memory). */
async function filesHold(path: string, text: string): Promise<boolean> {
  const needle = new TextEncoder().encode(text);
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(file);
    } catch {
      continue;
    }
    outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
      for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      return true;
    }
  }
  return false;
}

Deno.test("SQLite file: a deleted message's text and its edits' text leave the files, while the store stays open", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const store = openSqliteStore({ path });
  try {
    const alice = { id: 1, username: "alice" };
    await store.appendMessage(newMessage("lobby", { text: "ORIGINAL-SECRET-4711" }));
    await store.appendMessage(newMessage("lobby", { text: "KEPT-TEXT-0815" }));
    await store.editMessage({
      room: "lobby",
      target: 1,
      text: "EDITED-SECRET-4712",
      editor: alice,
      editedAtMs: T0,
    });
    assert.ok(await filesHold(path, "ORIGINAL-SECRET-4711"), "the probe finds stored text");
    await store.deleteMessage({ room: "lobby", target: 1, by: alice, atMs: T0 });
    assert.equal(await filesHold(path, "ORIGINAL-SECRET-4711"), false);
    assert.equal(await filesHold(path, "EDITED-SECRET-4712"), false);
    assert.ok(await filesHold(path, "KEPT-TEXT-0815"));
  } finally {
    await store.close();
  }
});

Deno.test("SQLite file: pruned messages' text leaves the files", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const store = openSqliteStore({ path });
  try {
    await store.appendMessage(newMessage("lobby", { text: "OLD-TEXT-1234", createdAtMs: T0 }));
    await store.appendMessage(newMessage("lobby", { text: "NEW-TEXT-5678", createdAtMs: T0 + 10 }));
    assert.equal((await store.pruneRoom("lobby", T0 + 5)).removed, 1);
    assert.equal(await filesHold(path, "OLD-TEXT-1234"), false);
    assert.ok(await filesHold(path, "NEW-TEXT-5678"));
  } finally {
    await store.close();
  }
});

/** The schema the v1 server wrote (schema version 0). */
const V1_SCHEMA = `
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL,
  canonical TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE rooms (name TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE messages (room TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,
  sender_id INTEGER NOT NULL, sender_name TEXT NOT NULL, text TEXT NOT NULL, nonce TEXT,
  created_at INTEGER NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;
CREATE TABLE presence (node TEXT NOT NULL, room TEXT NOT NULL, users TEXT NOT NULL,
  anonymous INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (room, node)) WITHOUT ROWID;
CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO users (username, canonical, password_hash, created_at) VALUES ('alice', 'alice', 'h', 1);
INSERT INTO rooms VALUES ('lobby', 2), ('quiet', 1);
INSERT INTO messages VALUES ('lobby', 1, 'a', 1, 'alice', 'first', NULL, ${T0}),
  ('lobby', 2, 'b', 1, 'alice', 'second', 'n-2', ${T0 + 50}),
  ('quiet', 1, 'c', 1, 'alice', 'hush', NULL, ${T0 + 10});
`;

Deno.test("SQLite file: a database written by the v1 server is migrated and keeps everything", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const old = new DatabaseSync(path);
  old.exec(V1_SCHEMA);
  old.close();
  const store = openSqliteStore({ path });
  try {
    const history = await store.listMessages("lobby", { limit: 10 });
    assert.deepEqual(history.map((m) => [m.seq, m.text, m.nonce]), [
      [1, "first", undefined],
      [2, "second", "n-2"],
    ]);
    assert.deepEqual(
      (await store.listRooms({ limit: 10 })).rooms.map((r) => [r.name, r.lastMessageAtMs]),
      [["lobby", T0 + 50], ["quiet", T0 + 10]],
    );
    const edit = await store.editMessage({
      room: "lobby",
      target: 1,
      text: "first!",
      editor: { id: 1, username: "alice" },
      editedAtMs: T0 + 60,
    });
    assert.equal(edit.event.seq, 3);
    assert.equal((await store.appendMessage(newMessage("lobby"))).seq, 4);
    assert.equal((await store.findUserByCanonicalName("alice"))?.passwordHash, "h");
  } finally {
    await store.close();
  }
  const reopened = new DatabaseSync(path);
  try {
    const row = reopened.prepare("PRAGMA user_version").get() as { user_version: number };
    assert.equal(row.user_version, SCHEMA_VERSION);
  } finally {
    reopened.close();
  }
  // Opening again does not migrate twice.
  const again = openSqliteStore({ path });
  assert.equal(await again.lastSeq("lobby"), 4);
  await again.close();
});

Deno.test("SQLite file: a database from a newer server is refused, not changed", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  openSqliteStore({ path }).close();
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openSqliteStore({ path }), /newer than this server/);
});

Deno.test("SQLite: the directory walks its index, with no sort of its own", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  await openSqliteStore({ path }).close();
  const db = new DatabaseSync(path);
  try {
    for (
      const [query, args] of [[DIRECTORY_FIRST, [10]], [DIRECTORY_AFTER, [T0, "x", 10]]] as const
    ) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...args) as { detail: string }[])
        .map((row) => row.detail).join("\n");
      assert.match(plan, /USING (COVERING )?INDEX rooms_directory/, plan);
      assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
    }
  } finally {
    db.close();
  }
});
