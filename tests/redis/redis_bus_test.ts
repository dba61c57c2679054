import assert from "node:assert/strict";
import { silentLogger } from "../../src/log.ts";
import type { ChatMessage } from "../../src/model.ts";
import { Hub, type Member } from "../../src/realtime/hub.ts";
import { catchUpFromStore, createRedisBus } from "../../src/realtime/redis_bus.ts";
import { openRedisConnection, type RedisConnection } from "../../src/redis/connection.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";
import { newMessage } from "../store/store_contract.ts";
import { redisOrSkip, startRedisServer } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/redis_bus_test.ts");
const ignore = redis === undefined;

interface Node extends AsyncDisposable {
  readonly connection: RedisConnection;
  readonly bus: ReturnType<typeof createRedisBus>;
}

async function openNode(url: string, prefix: string, store?: Store): Promise<Node> {
  const connection = await openRedisConnection({
    url,
    logger: silentLogger,
    connectTimeoutMs: 3000,
    maxReconnectDelayMs: 100,
  });
  const bus = createRedisBus({
    publisher: connection.commands,
    subscriber: await connection.subscriber(),
    logger: silentLogger,
    channelPrefix: prefix,
    catchUp: store ? catchUpFromStore(store) : undefined,
  });
  return {
    connection,
    bus,
    async [Symbol.asyncDispose]() {
      bus.close();
      await connection.close();
    },
  };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function message(seq: number, room = "lobby"): ChatMessage {
  return {
    id: crypto.randomUUID(),
    seq,
    room,
    sender: { id: 1, username: "alice" },
    text: `m${seq}`,
    createTime: 1_764_000_000,
    createdAt: "2025-11-24T16:00:00.000Z",
  };
}

Deno.test({
  name: "Redis bus: a message reaches the other node once and its own node once",
  ignore,
  async fn() {
    const prefix = `test:${crypto.randomUUID()}:`;
    await using a = await openNode(redis!.url, prefix);
    await using b = await openNode(redis!.url, prefix);
    const gotA: number[] = [];
    const gotB: number[] = [];
    const gotOther: number[] = [];
    a.bus.subscribe("lobby", (m) => gotA.push(m.seq));
    b.bus.subscribe("lobby", (m) => gotB.push(m.seq));
    b.bus.subscribe("other", (m) => gotOther.push(m.seq));
    await pause(100); // Let the SUBSCRIBEs land.
    a.bus.publish(message(1));
    assert.deepEqual(gotA, [1], "the publishing node delivers at once");
    b.bus.publish(message(2));
    await eventually(() => gotA.length === 2 && gotB.length === 2, "both messages on both nodes");
    await pause(100);
    assert.deepEqual(gotA, [1, 2]);
    assert.deepEqual(gotB, [2, 1]);
    assert.deepEqual(gotOther, []);
  },
});

Deno.test({
  name: "Redis bus: after the last handler of a room leaves, the node gets none of its messages",
  ignore,
  async fn() {
    const prefix = `test:${crypto.randomUUID()}:`;
    await using a = await openNode(redis!.url, prefix);
    await using b = await openNode(redis!.url, prefix);
    const got: number[] = [];
    const leave = b.bus.subscribe("lobby", (m) => got.push(m.seq));
    await pause(100);
    a.bus.publish(message(1));
    await eventually(() => got.length === 1, "the first message");
    leave();
    await pause(100);
    a.bus.publish(message(2));
    const again: number[] = [];
    b.bus.subscribe("other", (m) => again.push(m.seq));
    await pause(100);
    a.bus.publish(message(1, "other"));
    await eventually(() => again.length === 1, "a message in another room");
    assert.deepEqual(got, [1]);
  },
});

Deno.test({
  name: "Redis bus: a hub on another node gets messages sent while Redis was down, once each",
  ignore,
  sanitizeResources: false, // The restarted redis-server is disposed in `finally`.
  sanitizeOps: false,
  async fn() {
    const server = await startRedisServer();
    // SQLite store, Redis bus: the store stays up while Redis is away.
    const store = openSqliteStore({ path: ":memory:" });
    const prefix = `test:${crypto.randomUUID()}:`;
    const a = await openNode(server.url, prefix, store);
    const b = await openNode(server.url, prefix, store);
    const hub = new Hub({ bus: b.bus, store, gapTimeoutMs: 50 });
    const frames: number[] = [];
    const member: Member = {
      user: undefined,
      batch: false,
      send: (frame) => frames.push(...(JSON.parse(frame) as ChatMessage[]).map((m) => m.seq)),
    };
    try {
      const leave = await hub.join("lobby", member);
      await pause(100);
      const send = async (text: string) =>
        a.bus.publish(await store.appendMessage(newMessage("lobby", { text })));
      await send("1");
      await eventually(() => frames.length === 1, "the first message");

      await server.stop("SIGTERM");
      await send("2"); // PUBLISH fails: kept for a retry, and in the store.
      await send("3");
      await server.start();
      await eventually(() => frames.length === 3, "the messages sent while Redis was down", 10_000);
      await send("4");
      await eventually(() => frames.length === 4, "a message after the restart");
      await pause(200);
      assert.deepEqual(frames, [1, 2, 3, 4]);
      leave();
    } finally {
      hub.clear();
      await a[Symbol.asyncDispose]();
      await b[Symbol.asyncDispose]();
      await store.close();
      await server.dispose();
    }
  },
});

Deno.test({
  name: "Redis bus: without retries, a node catches up from the store after resubscribing",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startRedisServer();
    const store = openSqliteStore({ path: ":memory:" });
    const prefix = `test:${crypto.randomUUID()}:`;
    // Node b catches up from the store; node a never republishes (retention 0).
    const connection = await openRedisConnection({
      url: server.url,
      logger: silentLogger,
      maxReconnectDelayMs: 100,
    });
    const a = createRedisBus({
      publisher: connection.commands,
      subscriber: await connection.subscriber(),
      logger: silentLogger,
      channelPrefix: prefix,
      maxRetained: 0,
    });
    const b = await openNode(server.url, prefix, store);
    const got: number[] = [];
    b.bus.subscribe("lobby", (m) => got.push(m.seq));
    try {
      await pause(100);
      await server.stop("SIGTERM");
      a.publish(await store.appendMessage(newMessage("lobby")));
      a.publish(await store.appendMessage(newMessage("lobby")));
      await server.start();
      await eventually(() => got.includes(1) && got.includes(2), "the catch-up", 10_000);
      assert.deepEqual([...new Set(got)].sort(), [1, 2]);
    } finally {
      a.close();
      await connection.close();
      await b[Symbol.asyncDispose]();
      await store.close();
      await server.dispose();
    }
  },
});
