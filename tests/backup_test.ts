/**
 * Online backup of the SQLite store (issue 11): a copy taken while other
 * handles write is one consistent snapshot holding every message committed
 * before it began, and `deno task backup` does it from `DATABASE_PATH`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { backupSqliteFile, openSqliteStore } from "../src/store/sqlite_store.ts";
import type { AppendJob, AppendResult } from "./store/append_worker.ts";
import { newMessage, newUser } from "./store/contract/helpers.ts";

/** A temp directory removed when the test's scope ends. */
async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "chat-backup-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Runs `src/backup.ts` with `args` and `env`; returns its exit code and output. */
async function runCli(args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-read", "--allow-write", "src/backup.ts", ...args],
    env,
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: output.code, out: text.decode(output.stdout), err: text.decode(output.stderr) };
}

Deno.test("backupSqliteFile() copies a live database while a worker and this isolate write, and the copy holds every message committed before", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const copy = `${dir.path}/backups/copy.sqlite3`;
  const live = openSqliteStore({ path });
  const worker = new Worker(new URL("./store/append_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    for (let i = 0; i < 2000; i++) {
      await live.appendMessage(newMessage("lobby", { text: `seed ${i}` }));
    }
    const done = new Promise<AppendResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<AppendResult>) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message));
      };
    });
    worker.postMessage({ path, room: "lobby", count: 400, label: "w" } satisfies AppendJob);
    for (let i = 0; i < 500 && await live.lastSeq("lobby") === 2000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const committedBefore = await live.lastSeq("lobby");
    assert.ok(committedBefore > 2000, "the worker is writing when the backup starts");
    const mine = (async () => {
      for (let i = 0; i < 50; i++) {
        await live.appendMessage(newMessage("lobby", { text: `mine ${i}` }));
      }
    })();
    await backupSqliteFile(path, copy);
    await mine;
    const result = await done;
    assert.ok("seqs" in result, JSON.stringify(result));

    const total = 2000 + 400 + 50;
    assert.equal(await live.lastSeq("lobby"), total);
    const restored = openSqliteStore({ path: copy });
    try {
      const last = await restored.lastSeq("lobby");
      assert.ok(last >= committedBefore && last <= total, `copy ends at ${last}`);
      const kept = await restored.listMessages("lobby", {
        after: 0,
        from: "oldest",
        limit: 10_000,
      });
      // One snapshot: every seq up to its last, each message as the live store has it.
      assert.deepEqual(kept.map((m) => m.seq), Array.from({ length: last }, (_, i) => i + 1));
      const original = await live.listMessages("lobby", { after: 0, from: "oldest", limit: last });
      assert.deepEqual(kept, original);
    } finally {
      await restored.close();
    }
    const check = new DatabaseSync(copy, { readOnly: true });
    try {
      assert.deepEqual({ ...check.prepare("PRAGMA integrity_check").get() }, {
        integrity_check: "ok",
      });
    } finally {
      check.close();
    }
  } finally {
    worker.terminate();
    await live.close();
  }
});

Deno.test("SqliteStore.backup() copies a :memory: store, replacing an older copy", async () => {
  await using dir = await tempDir();
  const copy = `${dir.path}/copy.sqlite3`;
  await Deno.writeTextFile(copy, "an older, broken copy");
  const store = openSqliteStore({ path: ":memory:" });
  try {
    const alice = await store.createUser(newUser("alice"));
    await store.createRoom({
      name: "club",
      visibility: "private",
      ownerId: alice.id,
      createdAtMs: 1,
    });
    await store.appendMessage(newMessage("club", { sender: alice, text: "inside" }));
    await store.backup(copy);
  } finally {
    await store.close();
  }
  const restored = openSqliteStore({ path: copy });
  try {
    assert.deepEqual(await restored.findUserById(1), { id: 1, username: "alice" });
    assert.equal((await restored.getRoom("club"))?.visibility, "private");
    assert.deepEqual((await restored.listMessages("club", { limit: 5 })).map((m) => m.text), [
      "inside",
    ]);
  } finally {
    await restored.close();
  }
  assert.deepEqual([...Deno.readDirSync(dir.path)].map((e) => e.name), ["copy.sqlite3"]);
});

Deno.test("deno task backup copies DATABASE_PATH and refuses bad usage with exit code 2", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const store = openSqliteStore({ path });
  await store.appendMessage(newMessage("lobby", { text: "backed up" }));
  try {
    const ok = await runCli([`${dir.path}/copy.sqlite3`], { DATABASE_PATH: path });
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Backed up ".*chat\.sqlite3" to ".*copy\.sqlite3"/);
    const restored = openSqliteStore({ path: `${dir.path}/copy.sqlite3` });
    assert.deepEqual((await restored.listMessages("lobby", { limit: 5 })).map((m) => m.text), [
      "backed up",
    ]);
    await restored.close();

    const flag = await runCli([`${dir.path}/flag.sqlite3`, `--database-path=${path}`], {});
    assert.equal(flag.code, 0, flag.err);

    const usage = await runCli([], { DATABASE_PATH: path });
    assert.equal(usage.code, 2);
    assert.match(usage.err, /Usage: deno task backup <destination>/);
    const kv = await runCli([`${dir.path}/x`], { DATABASE_PATH: path, STORE: "kv" });
    assert.equal(kv.code, 2);
    assert.match(kv.err, /STORE is "kv"/);
    const itself = await runCli([path], { DATABASE_PATH: path });
    assert.equal(itself.code, 2);
    assert.match(itself.err, /onto itself/);
    const missing = await runCli([`${dir.path}/y`], { DATABASE_PATH: `${dir.path}/none.sqlite3` });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Cannot back up ".*none\.sqlite3"/);
  } finally {
    await store.close();
  }
});
