/**
 * The contract every {@linkcode Bus} passes, run against the memory and
 * `BroadcastChannel` buses by `bus_test.ts` and against the Redis bus by
 * `tests/redis/redis_bus_test.ts`. Cases across nodes run only for a bus whose
 * nodes reach each other.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { LoggedEvent, LoggedMessage } from "../../src/model.ts";
import type { Bus } from "../../src/realtime/bus.ts";
import type { Signal } from "../../src/realtime/signal.ts";
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

/** A `message` event of `room` with `seq`. */
export function busMessage(room: string, seq: number): LoggedMessage {
  return {
    type: "message",
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

/** A `typing` signal of `room` from user `id`. */
export function busSignal(room: string, id: number, node = "node-a"): Signal {
  return { kind: "typing", room, node, user: { id, username: `user${id}` } };
}

/** A short label of a signal: `room:kind:user id`. */
const label = (s: Signal) => `${s.room}:${s.kind}:${"user" in s ? s.user.id : "-"}`;

/** How long a case waits for a message from another node. */
const REMOTE_MS = 5000;

/** How a kind of bus runs the contract. */
export interface BusContractOptions {
  /** Whether two nodes reach each other (false: the memory bus, for which the cases across nodes are not registered). */
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
  const test = (title: string, fn: (net: BusNetwork) => Promise<void>, remote = false) => {
    // Cases across nodes do not apply to a bus that stays in one node: not registered at all.
    if (remote && !options.crossesNodes) return;
    Deno.test({
      name: `${name}: ${title}`,
      ignore: options.ignore,
      async fn() {
        await using net = await open();
        await fn(net);
      },
    });
  };

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
    let received: LoggedEvent | undefined;
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
    const handler = (m: LoggedEvent) => got.push(`${m.room}:${m.seq}`);
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

  test("signal() hands a signal to this node's subscribers of its room only, at once", async (net) => {
    const { bus } = await net.node();
    const got: string[] = [];
    bus.subscribeSignals("a", (s) => got.push(`a1 ${label(s)}`));
    bus.subscribeSignals("a", (s) => got.push(`a2 ${label(s)}`));
    bus.subscribeSignals("b", (s) => got.push(`b ${label(s)}`));
    bus.signal(busSignal("a", 1));
    bus.signal(busSignal("c", 2));
    bus.signal(busSignal("b", 3));
    assert.deepEqual(got, ["a1 a:typing:1", "a2 a:typing:1", "b b:typing:3"]);
  });

  test("signals and logged events travel apart: neither reaches the other's subscribers", async (net) => {
    const { bus } = await net.node();
    const events: number[] = [];
    const signals: string[] = [];
    bus.subscribe("a", (m) => events.push(m.seq));
    bus.subscribeSignals("a", (s) => signals.push(label(s)));
    bus.signal(busSignal("a", 1));
    bus.publish(busMessage("a", 5));
    assert.deepEqual(events, [5]);
    assert.deepEqual(signals, ["a:typing:1"]);
  });

  test("a signal disposer ends one subscription, and close() ends them all", async (net) => {
    const { bus } = await net.node();
    const got: string[] = [];
    const first = bus.subscribeSignals("a", (s) => got.push(`first ${label(s)}`));
    bus.subscribeSignals("a", (s) => got.push(`second ${label(s)}`));
    first();
    first();
    bus.signal(busSignal("a", 1));
    bus.close();
    bus.signal(busSignal("a", 2));
    assert.deepEqual(got, ["second a:typing:1"]);
    await bus.settled();
  });

  test(
    "a signal reaches the other node once and its own node once, with its fields",
    async (net) => {
      const a = await net.node();
      const b = await net.node();
      const gotA: Signal[] = [];
      const gotB: Signal[] = [];
      a.bus.subscribeSignals("lobby", (s) => gotA.push(s));
      b.bus.subscribeSignals("lobby", (s) => gotB.push(s));
      await a.settled();
      await b.settled();
      const read: Signal = {
        kind: "read",
        room: "lobby",
        node: "node-a",
        user: { id: 7, username: "alice" },
        seq: 12,
        origin: "socket-1",
      };
      a.bus.signal(read);
      assert.deepEqual(gotA, [read], "the signalling node delivers at once");
      await waitFor("node b to hear the read", () => gotB.length >= 1, REMOTE_MS);
      // A sentinel from b: an echo of the read would reach a before it.
      b.bus.signal(busSignal("lobby", 9, "node-b"));
      await waitFor("node a to hear the sentinel", () => gotA.length >= 2, REMOTE_MS);
      assert.deepEqual(gotB.map(label), ["lobby:read:7", "lobby:typing:9"]);
      assert.deepEqual(gotB[0], read);
      assert.deepEqual(gotA.map(label), ["lobby:read:7", "lobby:typing:9"]);
    },
    true,
  );

  test(
    "a node hears the signals of the rooms it subscribes only, never another network's",
    async (net) => {
      const a = await net.node();
      const b = await net.node();
      const foreign = await net.foreign();
      const got: string[] = [];
      const heardElsewhere: string[] = [];
      b.bus.subscribeSignals("a", (s) => got.push(label(s)));
      b.bus.subscribe("b", (m) => got.push(`event b:${m.seq}`));
      foreign.bus.subscribeSignals("a", (s) => heardElsewhere.push(label(s)));
      await b.settled();
      await foreign.settled();
      a.bus.signal(busSignal("a", 1));
      a.bus.signal(busSignal("c", 2));
      a.bus.publish(busMessage("b", 1));
      await waitFor("room a's signal and room b's event", () => got.length >= 2, REMOTE_MS);
      assert.deepEqual(got.sort(), ["a:typing:1", "event b:1"]);
      assert.deepEqual(heardElsewhere, []);
    },
    true,
  );
}
