import assert from "node:assert/strict";
import { StoreUnavailableError } from "../../src/errors.ts";
import { silentLogger } from "../../src/log.ts";
import { openRedisConnection, type RedisConnection } from "../../src/redis/connection.ts";
import { createRedisStore, type RedisStoreOptions } from "../../src/store/redis_store.ts";
import type { Store } from "../../src/store/store.ts";
import { newMessage, newUser, storeContract } from "../store/store_contract.ts";
import { redisOrSkip, startRedisServer } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/redis_store_test.ts");

/** A store on a fresh key prefix, whose close also closes its connection. */
async function openStore(
  url: string,
  options: Partial<RedisStoreOptions> = {},
): Promise<Store & { connection: RedisConnection; prefix: string }> {
  const connection = await openRedisConnection({
    url,
    logger: silentLogger,
    connectTimeoutMs: 3000,
    maxReconnectDelayMs: 100,
  });
  const prefix = `test:${crypto.randomUUID()}:`;
  const store = createRedisStore({ client: connection.commands, keyPrefix: prefix, ...options });
  return {
    ...store,
    connection,
    prefix,
    async close() {
      await store.close();
      await connection.close();
    },
  };
}

function isUnavailable(error: unknown): boolean {
  assert.ok(error instanceof StoreUnavailableError, `expected StoreUnavailableError, got ${error}`);
  return true;
}

if (redis) {
  storeContract("Redis", ({ now }) => openStore(redis.url, { now }));

  Deno.test("Redis store: two connections appending concurrently to one room stay gapless", async () => {
    const a = await openStore(redis.url);
    const b = createRedisStore({ client: a.connection.commands, keyPrefix: a.prefix });
    const c = await openStore(redis.url);
    const cStore = createRedisStore({ client: c.connection.commands, keyPrefix: a.prefix });
    try {
      const results = await Promise.all(
        Array.from(
          { length: 300 },
          (_, i) =>
            (i % 2 === 0 ? b : cStore).appendMessage(newMessage("lobby", { text: `m${i}` })),
        ),
      );
      const seqs = results.map((m) => m.seq).sort((x, y) => x - y);
      assert.deepEqual(seqs, Array.from({ length: 300 }, (_, i) => i + 1));
      const listed = await a.listMessages("lobby", { after: 0, from: "oldest", limit: 500 });
      assert.deepEqual(listed.map((m) => m.seq), seqs);
      assert.equal(await cStore.lastSeq("lobby"), 300);
    } finally {
      await a.close();
      await c.close();
    }
  });

  Deno.test("Redis store: bad data is an error, not an outage (no STORE_UNAVAILABLE)", async () => {
    const store = await openStore(redis.url);
    try {
      const client = store.connection.commands;
      // A key of the wrong type: Redis answers WRONGTYPE.
      await client.hSet(`${store.prefix}seq:typed`, "x", "1");
      await assert.rejects(store.appendMessage(newMessage("typed")), (error: unknown) => {
        assert.ok(!(error instanceof StoreUnavailableError), String(error));
        assert.match(String(error), /WRONGTYPE/);
        return true;
      });
      // A log entry that is not JSON.
      await store.appendMessage(newMessage("parsed"));
      await client.zAdd(`${store.prefix}log:parsed`, { score: 2, value: "{not json" });
      await assert.rejects(store.listMessages("parsed", { limit: 10 }), (error: unknown) => {
        assert.ok(!(error instanceof StoreUnavailableError), String(error));
        return true;
      });
      await store.ping();
    } finally {
      await store.close();
    }
  });

  Deno.test("Redis store: a refused createUser() leaves no key behind", async () => {
    const store = await openStore(redis.url);
    try {
      await store.createUser(newUser("alice"));
      const client = store.connection.commands;
      const before = (await client.keys(`${store.prefix}*`)).sort();
      const counter = await client.get(`${store.prefix}users:next`);
      await assert.rejects(store.createUser(newUser("ALICE")), /name is taken/);
      assert.deepEqual((await client.keys(`${store.prefix}*`)).sort(), before);
      assert.equal(await client.get(`${store.prefix}users:next`), counter);
    } finally {
      await store.close();
    }
  });

  Deno.test("Redis store: no key holds a deleted message's text or its edits' text", async () => {
    const store = await openStore(redis.url);
    try {
      const alice = { id: 1, username: "alice" };
      const client = store.connection.commands;
      /** Every key under the store's prefix with its value, as text. */
      const dump = async () => {
        const out: string[] = [];
        for (const key of await client.keys(`${store.prefix}*`)) {
          const type = await client.type(key);
          const value = type === "string"
            ? await client.get(key)
            : type === "hash"
            ? await client.hGetAll(key)
            : type === "set"
            ? await client.sMembers(key)
            : await client.zRange(key, 0, -1);
          out.push(JSON.stringify([key, value]));
        }
        return out.join("\n");
      };
      await store.appendMessage(newMessage("lobby", { text: "ORIGINAL-SECRET-4711" }));
      await store.appendMessage(newMessage("lobby", { text: "KEPT-TEXT-0815" }));
      for (let i = 0; i < 3; i++) {
        await store.editMessage({
          room: "lobby",
          target: 1,
          text: `EDITED-SECRET-${i}`,
          editor: alice,
          editedAtMs: 1,
        });
      }
      assert.match(await dump(), /EDITED-SECRET-2/, "the probe finds stored text");
      await store.deleteMessage({ room: "lobby", target: 1, by: alice, atMs: 2 });
      const after = await dump();
      assert.doesNotMatch(after, /SECRET/);
      assert.match(after, /KEPT-TEXT-0815/);
    } finally {
      await store.close();
    }
  });

  Deno.test("Redis store: rooms whose names look like key parts stay apart", async () => {
    const store = await openStore(redis.url);
    try {
      await store.appendMessage(newMessage("a:b", { text: "in a:b" }));
      await store.appendMessage(newMessage("a", { text: "in a" }));
      await store.appendMessage(newMessage("seq:a", { text: "in seq:a" }));
      assert.deepEqual((await store.listMessages("a", { limit: 10 })).map((m) => m.text), ["in a"]);
      assert.deepEqual((await store.listMessages("a:b", { limit: 10 })).map((m) => m.text), [
        "in a:b",
      ]);
      assert.equal(await store.lastSeq("seq:a"), 1);
      assert.equal(await store.lastSeq("a"), 1);
    } finally {
      await store.close();
    }
  });
}

const missing = redis === undefined;

Deno.test({
  name: "Redis store: calls fail fast with STORE_UNAVAILABLE while Redis is down, then work again",
  ignore: missing,
  async fn() {
    const server = await startRedisServer();
    const store = await openStore(server.url);
    try {
      const first = await store.appendMessage(newMessage("lobby", { text: "before" }));
      assert.equal(first.seq, 1);
      await server.stop("SIGTERM");
      const started = performance.now();
      await assert.rejects(store.appendMessage(newMessage("lobby")), isUnavailable);
      await assert.rejects(store.ping(), isUnavailable);
      await assert.rejects(store.lastSeq("lobby"), isUnavailable);
      assert.ok(performance.now() - started < 1000, "rejections are immediate");

      await server.start();
      const deadline = Date.now() + 10_000;
      while (true) {
        try {
          await store.ping();
          break;
        } catch (error) {
          isUnavailable(error);
          if (Date.now() > deadline) throw new Error("store did not come back");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      // The append-only file kept the log; seq continues with no gap.
      const next = await store.appendMessage(newMessage("lobby", { text: "after" }));
      assert.equal(next.seq, 2);
      const all = await store.listMessages("lobby", { limit: 10 });
      assert.deepEqual(all.map((m) => m.text), ["before", "after"]);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});

Deno.test({
  name: "Redis store: a call to a Redis that does not answer fails after the command timeout",
  ignore: missing,
  async fn() {
    const server = await startRedisServer();
    const store = await openStore(server.url, { commandTimeoutMs: 300 });
    const pid = server.pid!;
    try {
      await store.ping();
      Deno.kill(pid, "SIGSTOP");
      const started = performance.now();
      await assert.rejects(store.appendMessage(newMessage("lobby")), isUnavailable);
      const took = performance.now() - started;
      assert.ok(took >= 250 && took < 2000, `took ${took} ms`);
    } finally {
      Deno.kill(pid, "SIGCONT");
      await store.close();
      await server.dispose();
    }
  },
});
