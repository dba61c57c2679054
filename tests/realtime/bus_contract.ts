/**
 * The contract every {@linkcode Bus} passes, run against the memory and
 * `BroadcastChannel` buses by `bus_test.ts` and against the Redis bus by
 * `tests/redis/redis_bus_test.ts`. Cases across nodes run only for a bus whose
 * nodes reach each other.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChatMessage } from "../../src/model.ts";
import type { Bus } from "../../src/realtime/bus.ts";
import { waitFor } from "./_fake_member.ts";

/** One node's bus, and how to wait for its subscriptions to be live elsewhere. */
export interface BusNode {
  readonly bus: Bus;
  /** Resolves once every subscription change made so far reaches the other nodes. */
  settled(): Promise<void>;
}

/** Nodes that share one network (one channel name, one Redis and prefix). */
export interface BusNetwork extends AsyncDisposable {
  /** Opens another node; the network closes it when disposed. */
  node(): Promise<BusNode>;
  /** Opens a node of another network of the same kind. */
  foreign(): Promise<BusNode>;
}

/** A message of `room` with `seq`. */
export function busMessage(room: string, seq: number): ChatMessage {
  return {
    id: `${room}-${seq}`,
    seq,
    room,
    sender: { id: 1, username: "alice" },
    text: `message ${seq}`,
    createTime: 1_764_000_000,
    createdAt: "2025-11-24T16:00:00.000Z",
    nonce: "n",
  };
}

/** How long a case waits for a message from another node. */
const REMOTE_MS = 5000;

/** How a kind of bus runs the contract. */
export interface BusContractOptions {
  /** Whether two nodes reach each other (false: the memory bus, whose cases across nodes are skipped). */
  readonly crossesNodes: boolean;
  /** Skips every case (the backend is missing). */
  readonly ignore?: boolean;
}

/** Registers the contract's cases for one kind of bus. */
export function busContract(
  name: string,
  open: () => Promise<BusNetwork>,
  options: BusContractOptions,
): void {
  const test = (title: string, fn: (net: BusNetwork) => Promise<void>, remote = false) =>
    Deno.test({
      name: `${name}: ${title}`,
      ignore: options.ignore || (remote && !options.crossesNodes),
      async fn() {
        await using net = await open();
        await fn(net);
      },
    });

  test("publish() hands a message to this node's subscribers of its room only, at once", async (net) => {
    const { bus } = await net.node();
    const got: string[] = [];
    bus.subscribe("a", (m) => got.push(`a1:${m.seq}`));
    bus.subscribe("a", (m) => got.push(`a2:${m.seq}`));
    bus.subscribe("b", (m) => got.push(`b:${m.seq}`));
    bus.publish(busMessage("a", 1));
    bus.publish(busMessage("c", 1));
    bus.publish(busMessage("b", 7));
    assert.deepEqual(got, ["a1:1", "a2:1", "b:7"]);
  });

  test("publish() passes the message itself to this node's subscribers", async (net) => {
    const { bus } = await net.node();
    const sent = busMessage("a", 1);
    let received: ChatMessage | undefined;
    bus.subscribe("a", (m) => received = m);
    bus.publish(sent);
    assert.equal(received, sent);
  });

  test("a disposer ends one subscription and may be called twice", async (net) => {
    const { bus } = await net.node();
    const got: string[] = [];
    const first = bus.subscribe("a", (m) => got.push(`first:${m.seq}`));
    bus.subscribe("a", (m) => got.push(`second:${m.seq}`));
    bus.publish(busMessage("a", 1));
    first();
    first();
    bus.publish(busMessage("a", 2));
    assert.deepEqual(got, ["first:1", "second:1", "second:2"]);
  });

  test("one handler subscribed to two rooms is ended in one of them only", async (net) => {
    const { bus } = await net.node();
    const got: string[] = [];
    const handler = (m: ChatMessage) => got.push(`${m.room}:${m.seq}`);
    const offA = bus.subscribe("a", handler);
    bus.subscribe("b", handler);
    offA();
    bus.publish(busMessage("a", 1));
    bus.publish(busMessage("b", 1));
    assert.deepEqual(got, ["b:1"]);
  });

  test("nothing is delivered after close(), which may be called twice", async (net) => {
    const { bus } = await net.node();
    const got: number[] = [];
    bus.subscribe("a", (m) => got.push(m.seq));
    bus.close();
    bus.close();
    bus.publish(busMessage("a", 1));
    assert.deepEqual(got, []);
  });

  test("a message reaches the other node once and its own node once", async (net) => {
    const a = await net.node();
    const b = await net.node();
    const gotA: number[] = [];
    const gotB: number[] = [];
    a.bus.subscribe("lobby", (m) => gotA.push(m.seq));
    b.bus.subscribe("lobby", (m) => gotB.push(m.seq));
    await a.settled();
    await b.settled();
    a.bus.publish(busMessage("lobby", 1));
    assert.deepEqual(gotA, [1], "the publishing node delivers at once");
    await waitFor("node b to hear 1", () => gotB.length >= 1, REMOTE_MS);
    b.bus.publish(busMessage("lobby", 2));
    assert.deepEqual(gotB, [1, 2]);
    // An echo of 1 would reach a before 2 does, and one of 2 reach b before 3.
    await waitFor("node a to hear 2", () => gotA.length >= 2, REMOTE_MS);
    a.bus.publish(busMessage("lobby", 3));
    await waitFor("node b to hear 3", () => gotB.length >= 3, REMOTE_MS);
    assert.deepEqual(gotA, [1, 2, 3]);
    assert.deepEqual(gotB, [1, 2, 3]);
  }, true);

  test(
    "a node hears the rooms it subscribes only, and another network hears nothing",
    async (net) => {
      const a = await net.node();
      const b = await net.node();
      const foreign = await net.foreign();
      const got: string[] = [];
      const heardElsewhere: number[] = [];
      b.bus.subscribe("a", (m) => got.push(`a:${m.seq}`));
      b.bus.subscribe("b", (m) => got.push(`b:${m.seq}`));
      foreign.bus.subscribe("a", (m) => heardElsewhere.push(m.seq));
      await b.settled();
      await foreign.settled();
      a.bus.publish(busMessage("a", 1));
      a.bus.publish(busMessage("c", 1));
      a.bus.publish(busMessage("b", 1));
      await waitFor("room b's message", () => got.includes("b:1"), REMOTE_MS);
      assert.deepEqual(got, ["a:1", "b:1"]);
      assert.deepEqual(heardElsewhere, []);
    },
    true,
  );

  test(
    "after the last handler of a room leaves, the node gets none of its messages",
    async (net) => {
      const a = await net.node();
      const b = await net.node();
      const got: number[] = [];
      const leave = b.bus.subscribe("lobby", (m) => got.push(m.seq));
      await b.settled();
      a.bus.publish(busMessage("lobby", 1));
      await waitFor("the first message", () => got.length === 1, REMOTE_MS);
      leave();
      await b.settled();
      a.bus.publish(busMessage("lobby", 2));
      const other: number[] = [];
      b.bus.subscribe("other", (m) => other.push(m.seq));
      await b.settled();
      a.bus.publish(busMessage("other", 1));
      await waitFor("a message in another room", () => other.length === 1, REMOTE_MS);
      assert.deepEqual(got, [1]);
    },
    true,
  );

  test("a closed node hears nothing, and publishing on it sends nothing", async (net) => {
    const one = await net.node();
    const two = await net.node();
    const sentinel = await net.node();
    const heardByTwo: number[] = [];
    const seen: number[] = [];
    two.bus.subscribe("lobby", (m) => heardByTwo.push(m.seq));
    sentinel.bus.subscribe("lobby", (m) => seen.push(m.seq));
    await two.settled();
    await sentinel.settled();
    two.bus.close();
    two.bus.close();
    one.bus.publish(busMessage("lobby", 1));
    await waitFor("the sentinel to hear 1", () => seen.includes(1), REMOTE_MS);
    assert.deepEqual(heardByTwo, []);
    two.bus.publish(busMessage("lobby", 2)); // must not throw on a closed bus
    one.bus.publish(busMessage("lobby", 3));
    await waitFor("the sentinel to hear 3", () => seen.includes(3), REMOTE_MS);
    assert.deepEqual(seen, [1, 3], "the closed bus sent nothing");
  }, true);
}
