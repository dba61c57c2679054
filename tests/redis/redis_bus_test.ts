import assert from "node:assert/strict";
import { silentLogger } from "../../src/log.ts";
import type { ChatMessage, LoggedEvent } from "../../src/model.ts";
import { Hub, type Member } from "../../src/realtime/hub.ts";
import { createRedisBus, type RedisBus } from "../../src/realtime/redis_bus.ts";
import { messageLog } from "../../src/realtime/room_stream.ts";
import { Rooms } from "../../src/realtime/rooms.ts";
import type { RoomEvent } from "../../src/realtime/subscriptions.ts";
import type { Seat } from "../../src/realtime/seat.ts";
import { openRedisConnection, type RedisConnection } from "../../src/redis/connection.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";
import { newMessage } from "../store/store_contract.ts";
import { busContract, busMessage, type BusNetwork, busSignal } from "../realtime/bus_contract.ts";
import type { Signal } from "../../src/realtime/signal.ts";
import { waitFor } from "../realtime/_fake_member.ts";
import { redisOrSkip, startRedisServer } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/redis_bus_test.ts");
const ignore = redis === undefined;

interface Node<E extends RoomEvent = LoggedEvent> extends AsyncDisposable {
  readonly connection: RedisConnection;
  readonly bus: RedisBus<E>;
}

async function openNode<E extends RoomEvent = LoggedEvent>(
  url: string,
  prefix: string,
  maxRetained?: number,
): Promise<Node<E>> {
  const connection = await openRedisConnection({
    url,
    logger: silentLogger,
    connectTimeoutMs: 3000,
    maxReconnectDelayMs: 100,
  });
  const bus = createRedisBus<E>({
    publisher: connection.commands,
    subscriber: await connection.subscriber(),
    logger: silentLogger,
    channelPrefix: prefix,
    maxRetained,
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

busContract("Redis bus", () => {
  const prefix = `test:${crypto.randomUUID()}:`;
  const nodes: Node[] = [];
  const open = async (channelPrefix: string) => {
    const node = await openNode(redis!.url, channelPrefix);
    nodes.push(node);
    return { bus: node.bus, settled: () => node.bus.settled() };
  };
  const network: BusNetwork = {
    node: () => open(prefix),
    foreign: () => open(`${prefix}foreign:`),
    async [Symbol.asyncDispose]() {
      for (const node of nodes) await node[Symbol.asyncDispose]();
    },
  };
  return Promise.resolve(network);
}, { crossesNodes: true, ignore });

/** The rooms of one node over `bus` and `store`, and one anonymous reader of "lobby". */
async function roomsWithReader(bus: RedisBus<ChatMessage>, store: Store, quietCheckMs?: number) {
  const rooms = new Rooms({
    hub: new Hub<Seat>(),
    bus,
    log: messageLog(store),
    gapTimeoutMs: 50,
    quietCheckMs,
    lingerMs: 0,
  });
  const seqs: number[] = [];
  const member: Member = {
    user: undefined,
    batch: false,
    send: (frame) => seqs.push(...(JSON.parse(frame) as ChatMessage[]).map((m) => m.seq)),
  };
  const leave = await rooms.join("lobby", member);
  await bus.settled();
  return {
    seqs,
    [Symbol.dispose]() {
      leave();
      rooms.clear();
    },
  };
}

Deno.test({
  name: "Redis bus: a room on another node gets messages sent while Redis was down, once each",
  ignore,
  async fn() {
    const server = await startRedisServer();
    // SQLite store, Redis bus: the store stays up while Redis is away.
    const store = openSqliteStore({ path: ":memory:" });
    try {
      const prefix = `test:${crypto.randomUUID()}:`;
      await using a = await openNode<ChatMessage>(server.url, prefix);
      await using b = await openNode<ChatMessage>(server.url, prefix);
      // What Redis was down for comes from a's retry of its failed PUBLISHes, or,
      // when b subscribes again only after that retry, from b's quiet check.
      using reader = await roomsWithReader(b.bus, store, 100);
      const send = async (text: string) =>
        a.bus.publish(await store.appendMessage(newMessage("lobby", { text })));
      await send("1");
      await waitFor("the first message", () => reader.seqs.length === 1, 5000);

      await server.stop("SIGTERM");
      await send("2"); // PUBLISH fails: kept for a retry, and in the store.
      await send("3");
      await server.start();
      await waitFor(
        "the messages sent while Redis was down",
        () => reader.seqs.length === 3,
        10_000,
      );
      await send("4");
      await waitFor("a message after the restart", () => reader.seqs.length === 4, 5000);
      // A duplicate would follow its original; the sentinel comes after any.
      await send("5");
      await waitFor("the sentinel", () => reader.seqs.includes(5), 5000);
      assert.deepEqual(reader.seqs, [1, 2, 3, 4, 5]);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});

Deno.test({
  name:
    "Redis bus: without retries, a room on another node catches up from the store by its quiet check",
  ignore,
  async fn() {
    const server = await startRedisServer();
    const store = openSqliteStore({ path: ":memory:" });
    try {
      const prefix = `test:${crypto.randomUUID()}:`;
      // Node a never publishes again what failed (retention 0).
      await using a = await openNode<ChatMessage>(server.url, prefix, 0);
      await using b = await openNode<ChatMessage>(server.url, prefix);
      using reader = await roomsWithReader(b.bus, store, 50);
      await server.stop("SIGTERM");
      a.bus.publish(await store.appendMessage(newMessage("lobby")));
      a.bus.publish(await store.appendMessage(newMessage("lobby")));
      await server.start();
      await waitFor("the catch-up", () => reader.seqs.length === 2, 10_000);
      assert.deepEqual(reader.seqs, [1, 2]);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});

Deno.test({
  name: "Redis bus: a malformed, misrouted or unnumbered payload on a room channel is ignored",
  ignore,
  async fn() {
    const prefix = `test:${crypto.randomUUID()}:`;
    await using a = await openNode(redis!.url, prefix);
    const got: LoggedEvent[] = [];
    a.bus.subscribe("lobby", (m) => got.push(m));
    await a.bus.settled();
    const raw = (payload: string) => a.connection.commands.publish(`${prefix}lobby`, payload);
    await raw("no-space-at-all");
    await raw("other-node {not json");
    await raw(`other-node ${JSON.stringify(busMessage("elsewhere", 1))}`);
    await raw(`other-node ${JSON.stringify({ ...busMessage("lobby", 1), seq: "1" })}`);
    await raw(`other-node ${JSON.stringify(busMessage("lobby", 2))}`);
    await waitFor("the well-formed message", () => got.length > 0, 5000);
    assert.deepEqual(got, [busMessage("lobby", 2)]);
  },
});

Deno.test({
  name: "Redis bus: a malformed or misshapen payload on a room's signal channel is ignored",
  ignore,
  async fn() {
    const prefix = `test:${crypto.randomUUID()}:`;
    await using a = await openNode(redis!.url, prefix);
    const got: Signal[] = [];
    a.bus.subscribeSignals("lobby", (s) => got.push(s));
    await a.bus.settled();
    const raw = (payload: string) =>
      a.connection.commands.publish(`${prefix}lobby/signals`, payload);
    const good = busSignal("lobby", 2, "node-b");
    await raw("no-space-at-all");
    await raw("other-node {not json");
    await raw(`other-node ${JSON.stringify(busSignal("elsewhere", 1))}`);
    await raw(`other-node ${JSON.stringify({ ...good, kind: "shout" })}`);
    await raw(`other-node ${JSON.stringify({ ...good, user: { id: "2" } })}`);
    await raw(`other-node ${JSON.stringify(good)}`);
    await waitFor("the well-formed signal", () => got.length > 0, 5000);
    assert.deepEqual(got, [good]);
  },
});
