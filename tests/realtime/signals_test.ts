/**
 * The ephemeral events of protocol v2 between nodes: two or three
 * {@linkcode Signals}, each with its own fake members, on one memory bus
 * (each a node of its own, as isolates are on a BroadcastChannel bus).
 *
 * @module
 */
import assert from "node:assert/strict";
import { TYPING_INTERVAL_MS } from "../../src/contract/mod.js";
import type { PublicUser, RoomPresence } from "../../src/model.ts";
import { type Bus, createMemoryBus } from "../../src/realtime/bus.ts";
import { type SignalMember, Signals } from "../../src/realtime/signals.ts";
import { waitFor } from "./_fake_member.ts";

const user = (id: number): PublicUser => ({ id, username: `u${id}` });

/** A socket as the signals see it, recording the events it is sent. */
class FakeSocket implements SignalMember {
  readonly frames: string[] = [];
  live = true;
  constructor(
    readonly user: PublicUser | undefined,
    readonly version: 1 | 2 = 2,
    readonly socketId = crypto.randomUUID(),
  ) {}
  send(frame: string): void {
    this.frames.push(frame);
  }
  /** Every event received, each as `type user-id` (or `type room seq` for reads). */
  get events(): string[] {
    return this.frames.flatMap((frame) =>
      (JSON.parse(frame) as Array<Record<string, unknown>>).map((e) =>
        e.type === "read"
          ? `read ${e.room} ${e.seq}`
          : `${e.type} ${(e.user as PublicUser | undefined)?.id ?? "-"}`
      )
    );
  }
}

/** One node: its signals and its members, by room. */
function node(
  bus: Bus,
  name: string,
  options: { now?: () => number; presence?: (room: string) => Promise<RoomPresence> } = {},
) {
  const members = new Map<string, Set<FakeSocket>>();
  const signals = new Signals({
    bus,
    node: name,
    members: { forEach: (room, visit) => members.get(room)?.forEach(visit) },
    presence: options.presence ?? (() => Promise.resolve({ users: [], anonymous: 0 })),
    now: options.now,
    ttlMs: 300,
    refreshMs: 20,
    helloWaitMs: 10,
  });
  /** Joins a socket as a session does: counted first, a member once live. */
  const join = (room: string, socket: FakeSocket) => {
    const exit = signals.enter(room, socket.user);
    if (!members.has(room)) members.set(room, new Set());
    members.get(room)!.add(socket);
    return () => {
      members.get(room)!.delete(socket);
      exit();
    };
  };
  return { signals, join, [Symbol.dispose]: () => signals.close() };
}

Deno.test("join and leave reach live v2 members on every node once, whichever node the user is on", async () => {
  const bus = createMemoryBus();
  using a = node(bus, "a");
  using b = node(bus, "b");
  const watcher = new FakeSocket(user(1));
  const v1 = new FakeSocket(user(4), 1);
  const joining = new FakeSocket(user(5));
  joining.live = false;
  a.join("lobby", watcher);
  a.join("lobby", v1);
  a.join("lobby", joining);
  await a.signals.snapshot("lobby");
  watcher.frames.length = 0; // the joins of 4 and 5
  const first = new FakeSocket(user(2));
  const second = new FakeSocket(user(2));
  const leaveFirst = b.join("lobby", first);
  const leaveSecond = a.join("lobby", second); // user 2 on two nodes
  assert.deepEqual(watcher.events, ["join 2"]);
  leaveFirst();
  assert.deepEqual(watcher.events, ["join 2"], "user 2 still has a socket on node a");
  leaveSecond();
  assert.deepEqual(watcher.events, ["join 2", "leave 2"]);
  assert.deepEqual(first.events, [], "a user is not told of its own join");
  assert.deepEqual(v1.frames, [], "v1 members get no ephemeral events");
  assert.deepEqual(joining.frames, [], "a member still being joined gets none");
});

Deno.test("snapshot() lists the users of every node, learnt by asking them, and the anonymous count", async () => {
  const bus = createMemoryBus();
  using a = node(bus, "a");
  a.join("lobby", new FakeSocket(user(1)));
  a.join("lobby", new FakeSocket(undefined));
  a.join("lobby", new FakeSocket(undefined));
  // Node b starts following the room after a: it learns a's users from a's answer to its hello.
  using b = node(bus, "b", {
    presence: () => Promise.resolve({ users: [], anonymous: 1 }),
  });
  b.join("lobby", new FakeSocket(user(3)));
  const snapshot = await b.signals.snapshot("lobby");
  assert.deepEqual(snapshot, { type: "presence", users: [user(1), user(3)], anonymous: 1 });
  const onA = await a.signals.snapshot("lobby");
  assert.deepEqual(onA, { type: "presence", users: [user(1), user(3)], anonymous: 2 });
  assert.deepEqual(await a.signals.snapshot("empty"), {
    type: "presence",
    users: [],
    anonymous: 0,
  });
});

Deno.test("a node seeds a room from the store's presence; users nobody confirms leave later", async () => {
  const bus = createMemoryBus();
  let now = 10_000;
  using a = node(bus, "a", {
    now: () => now,
    presence: () => Promise.resolve({ users: [user(8), user(9)], anonymous: 0 }),
  });
  using b = node(bus, "b", { now: () => now });
  b.join("lobby", new FakeSocket(user(8)));
  const watcher = new FakeSocket(user(1));
  a.join("lobby", watcher);
  assert.deepEqual((await a.signals.snapshot("lobby")).users, [user(1), user(8), user(9)]);
  watcher.frames.length = 0;
  now += 100; // past the unconfirmed time (1.5 refreshes), before node b's entry lapses
  await waitFor("user 9 to leave", () => watcher.events.includes("leave 9"));
  assert.deepEqual(watcher.events, ["leave 9"], "user 8, confirmed by node b, stays");
});

Deno.test("a node that stops refreshing is dropped after the TTL: its users leave", async () => {
  const bus = createMemoryBus();
  let now = 10_000;
  using a = node(bus, "a", { now: () => now });
  const b = node(bus, "b", { now: () => now });
  const watcher = new FakeSocket(user(1));
  a.join("lobby", watcher);
  await a.signals.snapshot("lobby");
  b.join("lobby", new FakeSocket(user(2)));
  assert.deepEqual(watcher.events, ["join 2"]);
  b.signals.close(); // dies without saying gone
  now += 301;
  await waitFor("user 2 to leave", () => watcher.events.length === 2);
  assert.deepEqual(watcher.events, ["join 2", "leave 2"]);
});

Deno.test("typing reaches everyone but the typist's sockets, once per user per interval", async () => {
  const bus = createMemoryBus();
  let now = 10_000;
  using a = node(bus, "a", { now: () => now });
  using b = node(bus, "b", { now: () => now });
  const typist = new FakeSocket(user(1));
  const typistElsewhere = new FakeSocket(user(1));
  const reader = new FakeSocket(user(2));
  const anonymous = new FakeSocket(undefined);
  a.join("lobby", typist);
  b.join("lobby", typistElsewhere);
  b.join("lobby", reader);
  a.join("lobby", anonymous);
  await b.signals.snapshot("lobby");
  for (const s of [typist, typistElsewhere, reader, anonymous]) s.frames.length = 0;
  a.signals.typing("lobby", user(1));
  b.signals.typing("lobby", user(1)); // the same user on another node, at once: throttled
  a.signals.typing("lobby", user(1));
  assert.deepEqual(reader.events, ["typing 1"]);
  assert.deepEqual(anonymous.events, ["typing 1"]);
  assert.deepEqual(typist.frames, []);
  assert.deepEqual(typistElsewhere.frames, []);
  now += TYPING_INTERVAL_MS;
  b.signals.typing("lobby", user(1));
  assert.deepEqual(reader.events, ["typing 1", "typing 1"]);
  a.signals.typing("other", user(1)); // not in that room here: nothing
  assert.deepEqual(anonymous.events, ["typing 1", "typing 1"]);
});

Deno.test("typing asks its gate only when not throttled, and a refused gate sends nothing", async () => {
  const bus = createMemoryBus();
  using a = node(bus, "a");
  const typist = new FakeSocket(user(1));
  const reader = new FakeSocket(user(2));
  a.join("lobby", typist);
  a.join("lobby", reader);
  await a.signals.snapshot("lobby");
  reader.frames.length = 0;
  let asked = 0;
  const gate = (may: boolean) => () => (asked++, Promise.resolve(may));
  a.signals.typing("lobby", user(1), gate(false));
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(reader.frames, []);
  a.signals.typing("lobby", user(1), gate(true));
  await waitFor("the typing event", () => reader.frames.length > 0);
  a.signals.typing("lobby", user(1), gate(true)); // throttled: the gate is not asked
  assert.equal(asked, 2);
  assert.deepEqual(reader.events, ["typing 1"]);
});

Deno.test("read reaches the reader's other sockets on every node, not the one that read, nor others", async () => {
  const bus = createMemoryBus();
  using a = node(bus, "a");
  using b = node(bus, "b");
  const tab1 = new FakeSocket(user(1));
  const tab2 = new FakeSocket(user(1));
  const tab3 = new FakeSocket(user(1), 2);
  const other = new FakeSocket(user(2));
  a.join("lobby", tab1);
  a.join("lobby", tab2);
  b.join("lobby", tab3);
  b.join("lobby", other);
  await a.signals.snapshot("lobby");
  for (const s of [tab1, tab2, tab3, other]) s.frames.length = 0;
  a.signals.read("lobby", user(1), 42, tab1.socketId);
  assert.deepEqual(tab1.frames, []);
  assert.deepEqual(tab2.events, ["read lobby 42"]);
  assert.deepEqual(tab3.events, ["read lobby 42"]);
  assert.deepEqual(other.frames, []);
  b.signals.read("lobby", user(1), 43); // over REST: every socket of the reader
  assert.deepEqual(tab1.events, ["read lobby 43"]);
});

Deno.test("each event is encoded once for all the members it goes to", async () => {
  const bus = createMemoryBus();
  using a = node(bus, "a");
  const sockets = [new FakeSocket(user(1)), new FakeSocket(user(2)), new FakeSocket(undefined)];
  for (const s of sockets) a.join("lobby", s);
  await a.signals.snapshot("lobby");
  for (const s of sockets) s.frames.length = 0;
  a.join("lobby", new FakeSocket(user(3)));
  const frames = sockets.map((s) => s.frames[0]);
  assert.deepEqual(
    frames.map((f) => JSON.parse(f!)),
    Array(3).fill([{
      type: "join",
      user: user(3),
    }]),
  );
  assert.ok(frames.every((f) => f === frames[0]), "the very same string");
});

Deno.test("after close() nothing is sent or delivered, and the room's signals are unsubscribed", async () => {
  const bus = createMemoryBus();
  const a = node(bus, "a");
  using b = node(bus, "b");
  const watcher = new FakeSocket(user(1));
  b.join("lobby", watcher);
  await b.signals.snapshot("lobby");
  const leave = a.join("lobby", new FakeSocket(user(2)));
  await a.signals.snapshot("lobby");
  a.signals.close();
  leave(); // no gone from a closed node
  a.join("lobby", new FakeSocket(user(3)));
  assert.deepEqual(watcher.events, ["join 2"]);
  assert.deepEqual([...a.signals.rooms()], []);
});

Deno.test("users a node learns while it gathers a room's first presence count as present, not as joins", async () => {
  const bus = createMemoryBus();
  using a = node(bus, "a");
  a.join("lobby", new FakeSocket(user(1)));
  a.join("lobby", new FakeSocket(user(2)));
  await a.signals.snapshot("lobby");
  using b = node(bus, "b", {
    presence: () => Promise.resolve({ users: [user(1), user(7)], anonymous: 0 }),
  });
  const first = new FakeSocket(user(3));
  b.join("lobby", first); // live at once here, to see what a join would be sent
  const snapshot = await b.signals.snapshot("lobby");
  assert.deepEqual(snapshot.users, [user(1), user(2), user(3), user(7)]);
  assert.deepEqual(first.frames, [], "a's users and the store's were no joins");
  b.join("lobby", new FakeSocket(user(4)));
  assert.deepEqual(first.events, ["join 4"], "once known, a new user is a join");
});
