import assert from "node:assert/strict";
import type { ChatMessage } from "../../src/model.ts";
import { type Bus, createBroadcastChannelBus, createMemoryBus } from "../../src/realtime/bus.ts";

function message(room: string, seq: number): ChatMessage {
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

/** Resolves with the next message `bus` hands to a subscriber of `room`. */
function nextMessage(bus: Bus, room: string): Promise<ChatMessage> {
  return new Promise((resolve) => {
    const dispose = bus.subscribe(room, (m) => {
      dispose();
      resolve(m);
    });
  });
}

Deno.test("memory bus hands a message to the subscribers of its room only", () => {
  const bus = createMemoryBus();
  const got: string[] = [];
  bus.subscribe("a", (m) => got.push(`a1:${m.seq}`));
  bus.subscribe("a", (m) => got.push(`a2:${m.seq}`));
  bus.subscribe("b", (m) => got.push(`b:${m.seq}`));
  bus.publish(message("a", 1));
  bus.publish(message("c", 1));
  bus.publish(message("b", 7));
  assert.deepEqual(got, ["a1:1", "a2:1", "b:7"]);
  bus.close();
});

Deno.test("memory bus delivers synchronously and passes the message itself", () => {
  const bus = createMemoryBus();
  const sent = message("a", 1);
  let received: ChatMessage | undefined;
  bus.subscribe("a", (m) => received = m);
  bus.publish(sent);
  assert.equal(received, sent);
  bus.close();
});

Deno.test("memory bus disposer ends one subscription and may be called twice", () => {
  const bus = createMemoryBus();
  const got: string[] = [];
  const first = bus.subscribe("a", (m) => got.push(`first:${m.seq}`));
  bus.subscribe("a", (m) => got.push(`second:${m.seq}`));
  bus.publish(message("a", 1));
  first();
  first();
  bus.publish(message("a", 2));
  assert.deepEqual(got, ["first:1", "second:1", "second:2"]);
  bus.close();
});

Deno.test("memory bus keeps a handler subscribed twice to two rooms apart", () => {
  const bus = createMemoryBus();
  const got: string[] = [];
  const handler = (m: ChatMessage) => got.push(`${m.room}:${m.seq}`);
  const offA = bus.subscribe("a", handler);
  bus.subscribe("b", handler);
  offA();
  bus.publish(message("a", 1));
  bus.publish(message("b", 1));
  assert.deepEqual(got, ["b:1"]);
  bus.close();
});

Deno.test("memory bus delivers nothing after close()", () => {
  const bus = createMemoryBus();
  const got: number[] = [];
  bus.subscribe("a", (m) => got.push(m.seq));
  bus.close();
  bus.publish(message("a", 1));
  assert.deepEqual(got, []);
});

Deno.test("BroadcastChannel buses of one name deliver to each other and locally", async () => {
  const name = `chat-test-${crypto.randomUUID()}`;
  const one = createBroadcastChannelBus(name);
  const two = createBroadcastChannelBus(name);
  const other = createBroadcastChannelBus(`${name}-other`);
  try {
    const local: ChatMessage[] = [];
    const remote: ChatMessage[] = [];
    const elsewhere: ChatMessage[] = [];
    one.subscribe("lobby", (m) => local.push(m));
    two.subscribe("lobby", (m) => remote.push(m));
    other.subscribe("lobby", (m) => elsewhere.push(m));
    const arrived = nextMessage(two, "lobby");
    const sent = message("lobby", 1);
    one.publish(sent);
    assert.deepEqual(local, [sent], "local subscribers are served at once");
    assert.deepEqual(await arrived, sent);
    assert.deepEqual(remote, [sent]);

    // A reply from two reaches one once: its own channel never echoes it back.
    const back = nextMessage(one, "lobby");
    two.publish(message("lobby", 2));
    assert.equal((await back).seq, 2);
    assert.deepEqual(local.map((m) => m.seq), [1, 2]);
    assert.deepEqual(remote.map((m) => m.seq), [1, 2]);
    assert.deepEqual(elsewhere, [], "another channel name hears nothing");
  } finally {
    one.close();
    two.close();
    other.close();
  }
});

Deno.test("BroadcastChannel bus delivers by room across buses", async () => {
  const name = `chat-test-${crypto.randomUUID()}`;
  const one = createBroadcastChannelBus(name);
  const two = createBroadcastChannelBus(name);
  try {
    const got: string[] = [];
    two.subscribe("a", (m) => got.push(`a:${m.seq}`));
    const b = nextMessage(two, "b");
    one.publish(message("a", 1));
    one.publish(message("b", 1));
    await b;
    assert.deepEqual(got, ["a:1"]);
  } finally {
    one.close();
    two.close();
  }
});

Deno.test("BroadcastChannel bus hears nothing after close(), and publishing on it is a no-op", async () => {
  const name = `chat-test-${crypto.randomUUID()}`;
  const one = createBroadcastChannelBus(name);
  const two = createBroadcastChannelBus(name);
  const sentinel = createBroadcastChannelBus(name);
  try {
    const heardByTwo: number[] = [];
    two.subscribe("lobby", (m) => heardByTwo.push(m.seq));
    two.close();
    two.close();
    // The sentinel hears what one publishes; by then two would have too.
    const seen = nextMessage(sentinel, "lobby");
    one.publish(message("lobby", 1));
    assert.equal((await seen).seq, 1);
    assert.deepEqual(heardByTwo, []);

    two.publish(message("lobby", 2)); // must not throw on a closed channel
    const next = nextMessage(sentinel, "lobby");
    one.publish(message("lobby", 3));
    assert.equal((await next).seq, 3, "the closed bus sent nothing");
  } finally {
    one.close();
    two.close();
    sentinel.close();
  }
});
