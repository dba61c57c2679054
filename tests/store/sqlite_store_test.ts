import assert from "node:assert/strict";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";
import type { AppendJob, AppendResult } from "./append_worker.ts";
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
