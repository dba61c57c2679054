import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AppError } from "../../src/errors.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";
import type { AppendJob, AppendResult } from "./append_worker.ts";
import type { LockEvent, LockJob } from "./lock_worker.ts";
import { newMessage, newUser, storeContract } from "./store_contract.ts";

/** A temp directory removed when the test's scope ends. */
async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "chat-sqlite-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

storeContract(
  "SQLite :memory:",
  ({ now }) => Promise.resolve(openSqliteStore({ path: ":memory:", now })),
);

storeContract("SQLite file", async ({ now }) => {
  const dir = await Deno.makeTempDir({ prefix: "chat-sqlite-test-" });
  const store = openSqliteStore({ path: `${dir}/nested/chat.sqlite3`, now });
  return {
    ...store,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  } satisfies Store;
});

Deno.test("SQLite file: two handles appending concurrently to one room stay gapless", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const a = openSqliteStore({ path });
  const b = openSqliteStore({ path });
  try {
    const results = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) => (i % 2 === 0 ? a : b).appendMessage(newMessage("lobby", { text: `m${i}` })),
      ),
    );
    const got = results.map((m) => m.seq).sort((x, y) => x - y);
    assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.equal(await a.lastSeq("lobby"), 200);
    assert.equal(await b.lastSeq("lobby"), 200);
    const listed = await b.listMessages("lobby", { after: 0, from: "oldest", limit: 500 });
    assert.deepEqual(listed.map((m) => m.seq), got);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("SQLite file: workers appending at once to one file get each seq exactly once", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const main = openSqliteStore({ path }); // creates the schema before the workers start
  const perWorker = 150;
  const workers = ["w1", "w2", "w3"].map((label) => ({
    label,
    worker: new Worker(new URL("./append_worker.ts", import.meta.url), { type: "module" }),
  }));
  try {
    const done = workers.map(({ worker, label }) =>
      new Promise<AppendResult>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<AppendResult>) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage({ path, room: "lobby", count: perWorker, label } satisfies AppendJob);
      })
    );
    const mine: number[] = [];
    for (let i = 0; i < 50; i++) mine.push((await main.appendMessage(newMessage("lobby"))).seq);
    const results = await Promise.all(done);
    const all = [...mine];
    for (const result of results) {
      assert.ok("seqs" in result, JSON.stringify(result));
      // Each handle sees its own appends in increasing order.
      assert.deepEqual(result.seqs, [...result.seqs].sort((x, y) => x - y));
      all.push(...result.seqs);
    }
    const total = perWorker * workers.length + 50;
    assert.deepEqual(all.sort((x, y) => x - y), Array.from({ length: total }, (_, i) => i + 1));
    assert.equal(await main.lastSeq("lobby"), total);
    const listed = await main.listMessages("lobby", { after: 0, from: "oldest", limit: 1000 });
    assert.equal(listed.length, total);
  } finally {
    for (const { worker } of workers) worker.terminate();
    await main.close();
  }
});

/** Starts a worker holding `path`'s write lock; resolves once it holds it. */
async function holdWriteLock(job: LockJob): Promise<{ released: Promise<void> } & Disposable> {
  const worker = new Worker(new URL("./lock_worker.ts", import.meta.url), { type: "module" });
  const { promise: holding, resolve: onHolding } = Promise.withResolvers<void>();
  const { promise: released, resolve: onReleased } = Promise.withResolvers<void>();
  worker.onmessage = (event: MessageEvent<LockEvent>) => {
    if (event.data === "holding") onHolding();
    else onReleased();
  };
  worker.postMessage(job);
  await holding;
  return { released, [Symbol.dispose]: () => worker.terminate() };
}

Deno.test("SQLite file: opening a new file whose write lock another connection holds waits for it", async () => {
  // Where waiting could deadlock SQLite does not wait: switching a new file to
  // WAL under another writer failed at once with "database is locked" (two
  // isolates of deno serve --parallel opening one new file together).
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  using lock = await holdWriteLock({ path, holdMs: 300, rollbackMode: true });
  const store = openSqliteStore({ path }); // threw before the fix
  try {
    await lock.released;
    assert.equal((await store.appendMessage(newMessage("lobby"))).seq, 1);
    const probe = new DatabaseSync(path, { readOnly: true });
    assert.equal(
      (probe.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
      "wal",
    );
    probe.close();
  } finally {
    await store.close();
  }
});

Deno.test("SQLite file: a write that cannot get the lock in time is STORE_UNAVAILABLE, and stores nothing", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const store = openSqliteStore({ path, busyTimeoutMs: 50 });
  try {
    {
      using lock = await holdWriteLock({ path, holdMs: 1000, rollbackMode: false });
      await assert.rejects(store.appendMessage(newMessage("lobby")), (error: unknown) => {
        assert.ok(error instanceof AppError, String(error));
        assert.equal(error.type, "STORE_UNAVAILABLE");
        assert.equal(error.status, 503);
        return true;
      });
      await lock.released;
    }
    assert.equal(await store.lastSeq("lobby"), 0);
    assert.equal((await store.appendMessage(newMessage("lobby"))).seq, 1);
  } finally {
    await store.close();
  }
});

Deno.test("SQLite file: two handles agree on getOrCreateSecret()", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const a = openSqliteStore({ path });
  const b = openSqliteStore({ path });
  try {
    const [fromA, fromB] = await Promise.all([
      a.getOrCreateSecret("jwt", () => "from-a"),
      b.getOrCreateSecret("jwt", () => "from-b"),
    ]);
    assert.equal(fromA, fromB);
    assert.equal(await b.getOrCreateSecret("jwt", () => "later"), fromA);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("SQLite file: users, messages and secrets survive a reopen", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.sqlite3`;
  const first = openSqliteStore({ path });
  const alice = await first.createUser(newUser("Alice"));
  await first.appendMessage(newMessage("lobby", { nonce: "n1" }));
  const secret = await first.getOrCreateSecret("jwt", () => "kept");
  await first.close();
  const second = openSqliteStore({ path });
  try {
    assert.deepEqual(await second.findUserById(alice.id), alice);
    assert.equal(await second.getOrCreateSecret("jwt", () => "new"), secret);
    assert.equal(await second.lastSeq("lobby"), 1);
    assert.equal((await second.appendMessage(newMessage("lobby"))).seq, 2);
    const [stored] = await second.listMessages("lobby", { limit: 1, before: 2 });
    assert.equal(stored?.nonce, "n1");
    const bob = await second.createUser(newUser("bob"));
    assert.ok(bob.id > alice.id);
  } finally {
    await second.close();
  }
});
