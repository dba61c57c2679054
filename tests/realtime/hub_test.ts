import assert from "node:assert/strict";
import type { ChatMessage, PublicUser } from "../../src/model.ts";
import { type Bus, createMemoryBus, type MessageHandler } from "../../src/realtime/bus.ts";
import { HISTORY_ON_JOIN, Hub, type HubOptions, type Member } from "../../src/realtime/hub.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { MessageQuery, Store } from "../../src/store/store.ts";

/** A socket stand-in that records the frames it is sent. */
class FakeMember implements Member {
  readonly frames: string[] = [];
  constructor(readonly batch = false, readonly user: PublicUser | undefined = undefined) {}
  send(frame: string): void {
    this.frames.push(frame);
  }
  /** Every message received, in order, across frames. */
  get messages(): ChatMessage[] {
    return this.frames.flatMap((frame) => JSON.parse(frame) as ChatMessage[]);
  }
  get seqs(): number[] {
    return this.messages.map((m) => m.seq);
  }
  /** How many messages each frame held. */
  get frameSizes(): number[] {
    return this.frames.map((frame) => (JSON.parse(frame) as unknown[]).length);
  }
}

/** A memory bus that counts live subscriptions per room. */
function spyBus(): Bus & { subscriptions(room: string): number } {
  const inner = createMemoryBus();
  const live = new Map<string, number>();
  return {
    publish: (message) => inner.publish(message),
    subscribe(room: string, handler: MessageHandler) {
      live.set(room, (live.get(room) ?? 0) + 1);
      const dispose = inner.subscribe(room, handler);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        live.set(room, live.get(room)! - 1);
        dispose();
      };
    },
    close: () => inner.close(),
    subscriptions: (room) => live.get(room) ?? 0,
  };
}

/** Hooks a test uses to hold a store read open while messages flow. */
interface StoreHooks {
  /** Awaited by `listMessages`, before or after the real read. */
  listGate?: { promise: Promise<void>; when: "before" | "after" };
  lastSeqGate?: { promise: Promise<void>; when: "before" | "after" };
  failList?: (query: MessageQuery) => boolean;
  failLastSeq?: () => boolean;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 2000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await delay(2);
  }
}

function gate(when: "before" | "after") {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { promise, when, open: resolve };
}

async function gated<T>(
  hold: { promise: Promise<void>; when: "before" | "after" } | undefined,
  read: () => Promise<T>,
): Promise<T> {
  if (hold?.when === "before") await hold.promise;
  const result = await read();
  if (hold?.when === "after") await hold.promise;
  return result;
}

/** A hub over a real in-memory store and a memory bus. */
/**
 * A hub over a real in-memory store whose reads can be held or failed. It reads
 * every join's history from the store (`recentKept: 0`) unless told otherwise,
 * so the seam between a stored history and live messages is what is tested.
 */
function setup(options: Partial<HubOptions> = {}) {
  const store = openSqliteStore({ path: ":memory:" });
  const bus = spyBus();
  const hooks: StoreHooks = {};
  const hubStore: Pick<Store, "listMessages" | "lastSeq"> = {
    listMessages: (room, query) => {
      if (hooks.failList?.(query)) return Promise.reject(new Error("list failed"));
      return gated(hooks.listGate, () => store.listMessages(room, query));
    },
    lastSeq: (room) => {
      if (hooks.failLastSeq?.()) return Promise.reject(new Error("lastSeq failed"));
      return gated(hooks.lastSeqGate, () => store.lastSeq(room));
    },
  };
  const hub = new Hub({
    bus,
    store: hubStore,
    gapTimeoutMs: 60_000,
    recentKept: 0,
    lingerMs: 0,
    ...options,
  });
  let n = 0;
  /** Stores a message without publishing it. */
  const append = (room: string) =>
    store.appendMessage({
      id: `id-${++n}`,
      room,
      sender: { id: 1, username: "alice" },
      text: `text ${n}`,
      createdAtMs: 1_764_000_000_000 + n,
    });
  /** Stores and publishes, as a session does. */
  const post = async (room: string) => {
    const message = await append(room);
    bus.publish(message);
    return message;
  };
  const appendMany = async (room: string, count: number) => {
    const out: ChatMessage[] = [];
    for (let i = 0; i < count; i++) out.push(await append(room));
    return out;
  };
  return {
    store,
    bus,
    hub,
    hooks,
    append,
    appendMany,
    post,
    async [Symbol.asyncDispose]() {
      hub.clear();
      bus.close();
      await store.close();
    },
  };
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

function assertGapless(member: FakeMember, last: number, what: string) {
  const seqs = member.seqs;
  assert.ok(seqs.length > 0, `${what}: received nothing`);
  assert.deepEqual(seqs, range(seqs[0]!, last), `${what}: ${seqs.join(",")}`);
}

// --- history ---

Deno.test("join() sends the latest 50 of 60 messages, one frame each by default", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  assert.equal(HISTORY_ON_JOIN, 50);
  assert.deepEqual(member.seqs, range(11, 60));
  assert.deepEqual(member.frameSizes, Array(50).fill(1));
  assert.equal(member.messages[0]?.text, "text 11");
});

Deno.test("join() of a batch member sends the history as one array", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const member = new FakeMember(true);
  await t.hub.join("lobby", member);
  assert.deepEqual(member.frameSizes, [50]);
  assert.deepEqual(member.seqs, range(11, 60));
});

Deno.test("join() of an empty room sends nothing, then the live stream", async () => {
  await using t = setup();
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  assert.deepEqual(member.frames, []);
  await t.post("lobby");
  await t.post("lobby");
  await t.post("elsewhere");
  assert.deepEqual(member.seqs, [1, 2]);
  assert.deepEqual(member.frameSizes, [1, 1]);
});

Deno.test("join() with since sends every message after it, then the live stream", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const resumed = new FakeMember();
  const fromStart = new FakeMember();
  const upToDate = new FakeMember();
  const batch = new FakeMember(true);
  await t.hub.join("lobby", resumed, { since: 45 });
  await t.hub.join("lobby", fromStart, { since: 0 });
  await t.hub.join("lobby", upToDate, { since: 60 });
  await t.hub.join("lobby", batch, { since: 50 });
  assert.deepEqual(resumed.seqs, range(46, 60));
  assert.deepEqual(resumed.frameSizes, Array(15).fill(1));
  assert.deepEqual(fromStart.seqs, range(1, 60), "more than the 50 of a plain join");
  assert.deepEqual(upToDate.frames, []);
  assert.deepEqual(batch.frameSizes, [10]);
  await t.post("lobby");
  assert.deepEqual(resumed.seqs.slice(-2), [60, 61]);
  assert.deepEqual(upToDate.seqs, [61]);
  await delay(5);
  assert.deepEqual(batch.seqs, range(51, 61));
});

Deno.test("join() with since beyond the log still gets the next live message", async () => {
  await using t = setup();
  await t.appendMany("lobby", 5);
  const member = new FakeMember();
  await t.hub.join("lobby", member, { since: 100 });
  assert.deepEqual(member.frames, []);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [6]);
});

for (const recentKept of [0, 100]) {
  Deno.test(`join() with since ahead of this hub's cursor sends nothing twice (recentKept ${recentKept})`, async () => {
    // The client saw 6 and 7 on another isolate; here the bus has not brought them yet.
    await using t = setup({ recentKept });
    const early = new FakeMember();
    await t.hub.join("lobby", early);
    for (let i = 0; i < 5; i++) await t.post("lobby");
    const [m6, m7] = await t.appendMany("lobby", 2);
    const member = new FakeMember();
    await t.hub.join("lobby", member, { since: 7 });
    assert.deepEqual(member.frames, []);
    t.bus.publish(m6!);
    t.bus.publish(m7!);
    await t.post("lobby");
    assert.deepEqual(member.seqs, [8]);
    assert.deepEqual(early.seqs, [1, 2, 3, 4, 5, 6, 7, 8]);
  });
}

Deno.test("a message stored but never published reaches the members of a quiet room within syncIntervalMs", async () => {
  await using t = setup({ syncIntervalMs: 30 });
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  await t.post("lobby");
  // Its sender's process died between the append and the publish.
  await t.append("lobby");
  await t.append("lobby");
  await waitFor("the unpublished messages", () => member.seqs.length === 3);
  assert.deepEqual(member.seqs, [1, 2, 3]);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [1, 2, 3, 4]);
});

// --- ordering, gaps, duplicates ---

Deno.test("bus messages out of order reach members in seq order", async () => {
  await using t = setup();
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  const [m1, m2, m3, m4] = await t.appendMany("lobby", 4);
  t.bus.publish(m1!);
  t.bus.publish(m3!);
  t.bus.publish(m4!);
  assert.deepEqual(member.seqs, [1], "3 and 4 wait for 2");
  t.bus.publish(m2!);
  assert.deepEqual(member.seqs, [1, 2, 3, 4]);
  assert.deepEqual(member.frameSizes, [1, 1, 1, 1]);
});

Deno.test("a gap on the bus is filled from the store after gapTimeoutMs", async () => {
  await using t = setup({ gapTimeoutMs: 30 });
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  const [m1, , m3, , m5] = await t.appendMany("lobby", 5);
  t.bus.publish(m1!);
  t.bus.publish(m3!);
  t.bus.publish(m5!);
  assert.deepEqual(member.seqs, [1]);
  await waitFor("the gap to be filled", () => member.seqs.length === 5);
  assert.deepEqual(member.seqs, [1, 2, 3, 4, 5]);
  assert.deepEqual(member.frameSizes, [1, 1, 1, 1, 1]);
  // A late copy of a filled message is not sent again.
  t.bus.publish((await t.store.listMessages("lobby", { before: 3, limit: 1 }))[0]!);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [1, 2, 3, 4, 5, 6]);
});

Deno.test("a failed gap read is reported and tried again", async () => {
  const errors: unknown[] = [];
  await using t = setup({ gapTimeoutMs: 10, onError: (e) => errors.push(e) });
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  const [m1, , m3] = await t.appendMany("lobby", 3);
  let failures = 1;
  t.hooks.failList = () => failures-- > 0;
  t.bus.publish(m1!);
  t.bus.publish(m3!);
  await waitFor("the gap to be filled", () => member.seqs.length === 3);
  assert.deepEqual(member.seqs, [1, 2, 3]);
  assert.equal(errors.length, 1);
});

Deno.test("duplicate bus messages are dropped", async () => {
  await using t = setup();
  const member = new FakeMember();
  const batch = new FakeMember(true);
  await t.hub.join("lobby", member);
  await t.hub.join("lobby", batch);
  const [m1, m2] = await t.appendMany("lobby", 2);
  for (const m of [m1, m1, m2, m1, m2]) t.bus.publish(m!);
  assert.deepEqual(member.seqs, [1, 2]);
  await delay(5);
  assert.deepEqual(batch.seqs, [1, 2]);
});

// --- batching ---

Deno.test("messages of one turn go to batch members as one frame, to others one each", async () => {
  await using t = setup();
  const single = new FakeMember();
  const batchA = new FakeMember(true);
  const batchB = new FakeMember(true);
  for (const m of [single, batchA, batchB]) await t.hub.join("lobby", m);
  const messages = await t.appendMany("lobby", 3);
  for (const m of messages) t.bus.publish(m);
  assert.deepEqual(single.frameSizes, [1, 1, 1]);
  assert.deepEqual(batchA.frames, [], "batch members are written at the end of the turn");
  await delay(5);
  assert.deepEqual(batchA.frameSizes, [3]);
  assert.deepEqual(batchA.seqs, [1, 2, 3]);
  assert.deepEqual(batchB.frames, batchA.frames, "the same frame for every batch member");
  assert.deepEqual(JSON.parse(batchA.frames[0]!), messages);
  // A message of a later turn is a frame of its own.
  await t.post("lobby");
  await delay(5);
  assert.deepEqual(batchA.frameSizes, [3, 1]);
  assert.deepEqual(single.frameSizes, [1, 1, 1, 1]);
});

// --- the seam between history and live ---

for (const when of ["before", "after"] as const) {
  for (const batch of [false, true]) {
    Deno.test(
      `join() while messages are published, read ${when} them, batch ${batch}: each once, no gap`,
      async () => {
        await using t = setup();
        const early = new FakeMember();
        await t.hub.join("lobby", early);
        for (let i = 0; i < 5; i++) await t.post("lobby");
        const hold = gate(when);
        t.hooks.listGate = hold;
        const member = new FakeMember(batch);
        const joined = t.hub.join("lobby", member);
        for (let i = 0; i < 3; i++) await t.post("lobby");
        hold.open();
        await joined;
        t.hooks.listGate = undefined;
        await t.post("lobby");
        await delay(5);
        assert.deepEqual(member.seqs, range(1, 9));
        if (batch) assert.equal(member.frameSizes[0], 8, "history and held messages as one");
        else assert.deepEqual(member.frameSizes, Array(9).fill(1));
        assert.deepEqual(early.seqs, range(1, 9));
      },
    );
  }
}

for (const when of ["before", "after"] as const) {
  Deno.test(
    `first join of a room while messages are published, lastSeq read ${when}: no gap`,
    async () => {
      await using t = setup();
      await t.appendMany("lobby", 5);
      const hold = gate(when);
      t.hooks.lastSeqGate = hold;
      const member = new FakeMember();
      const joined = t.hub.join("lobby", member);
      await t.post("lobby");
      await t.post("lobby");
      hold.open();
      await joined;
      await t.post("lobby");
      assert.deepEqual(member.seqs, range(1, 8));
    },
  );
}

Deno.test("members joining while 100 messages are published out of order get a gapless stream", async () => {
  await using t = setup({ gapTimeoutMs: 20 });
  await t.appendMany("lobby", 60);
  const members: Array<[string, FakeMember]> = [];
  const joins: Promise<unknown>[] = [];
  const first = new FakeMember();
  await t.hub.join("lobby", first);
  const publishing = (async () => {
    for (let round = 0; round < 20; round++) {
      const five: ChatMessage[] = [];
      for (let i = 0; i < 5; i++) five.push(await t.append("lobby"));
      // Publish each group of five in reverse: the hub must reorder.
      for (const m of five.reverse()) t.bus.publish(m);
      await delay(round % 3);
    }
  })();
  for (let i = 0; i < 12; i++) {
    await delay(i % 4);
    const member = new FakeMember(i % 3 === 0);
    members.push([`member ${i}`, member]);
    joins.push(t.hub.join("lobby", member, i % 4 === 1 ? { since: 55 } : {}));
  }
  await publishing;
  await Promise.all(joins);
  await delay(5);
  assert.deepEqual(first.seqs, range(11, 160));
  for (const [what, member] of members) assertGapless(member, 160, what);
});

Deno.test("a message in the joiner's history that the bus delivers later is sent once", async () => {
  await using t = setup();
  const early = new FakeMember();
  const earlyBatch = new FakeMember(true);
  await t.hub.join("lobby", early);
  await t.hub.join("lobby", earlyBatch);
  // Stored but not yet published, as when the bus is slower than the store.
  const [m1, m2, m3] = await t.appendMany("lobby", 3);
  const member = new FakeMember();
  const batch = new FakeMember(true);
  await t.hub.join("lobby", member);
  await t.hub.join("lobby", batch);
  assert.deepEqual(member.seqs, [1, 2, 3]);
  assert.deepEqual(batch.seqs, [1, 2, 3]);
  t.bus.publish(m1!);
  t.bus.publish(m2!);
  t.bus.publish(m3!);
  await t.post("lobby");
  await delay(5);
  assert.deepEqual(member.seqs, [1, 2, 3, 4]);
  assert.deepEqual(batch.seqs, [1, 2, 3, 4]);
  assert.deepEqual(early.seqs, [1, 2, 3, 4]);
  assert.deepEqual(earlyBatch.seqs, [1, 2, 3, 4]);
});

// --- leaving ---

Deno.test("leaving the last member unsubscribes the room", async () => {
  await using t = setup();
  const a = new FakeMember();
  const b = new FakeMember();
  const leaveA = await t.hub.join("lobby", a);
  const leaveB = await t.hub.join("lobby", b);
  assert.equal(t.bus.subscriptions("lobby"), 1, "one subscription per room");
  assert.equal(t.hub.size, 2);
  leaveA();
  leaveA();
  assert.equal(t.bus.subscriptions("lobby"), 1);
  assert.deepEqual(t.hub.members("lobby"), [b]);
  await t.post("lobby");
  assert.deepEqual(a.seqs, []);
  assert.deepEqual(b.seqs, [1]);
  leaveB();
  assert.equal(t.bus.subscriptions("lobby"), 0);
  assert.deepEqual([...t.hub.rooms()], []);
  assert.equal(t.hub.size, 0);
  await t.post("lobby");
  assert.deepEqual(b.seqs, [1]);
  // Coming back builds the room again.
  const c = new FakeMember();
  await t.hub.join("lobby", c);
  assert.equal(t.bus.subscriptions("lobby"), 1);
  assert.deepEqual(c.seqs, [1, 2]);
});

Deno.test("leaving while a gap is pending drops the room and its timer", async () => {
  await using t = setup({ gapTimeoutMs: 60_000 });
  const member = new FakeMember();
  const leave = await t.hub.join("lobby", member);
  const [m1, , m3] = await t.appendMany("lobby", 3);
  t.bus.publish(m1!);
  t.bus.publish(m3!);
  leave(); // the sanitizer fails this test if the gap timer outlives the room
  assert.equal(t.bus.subscriptions("lobby"), 0);
  assert.deepEqual(member.seqs, [1]);
});

Deno.test("clear() during a join removes the member before its history is sent", async () => {
  await using t = setup();
  await t.appendMany("lobby", 3);
  const hold = gate("after");
  t.hooks.listGate = hold;
  const member = new FakeMember();
  const joined = t.hub.join("lobby", member);
  await delay(1);
  t.hub.clear();
  hold.open();
  const leave = await joined;
  leave();
  assert.deepEqual(member.frames, []);
  assert.equal(t.bus.subscriptions("lobby"), 0);
});

Deno.test("onMembersChanged() is told of each join and leave", async () => {
  const changes: string[] = [];
  await using t = setup({ onMembersChanged: (room) => changes.push(room) });
  const leave = await t.hub.join("lobby", new FakeMember());
  await t.hub.join("other", new FakeMember(false, { id: 1, username: "alice" }));
  leave();
  assert.deepEqual(changes, ["lobby", "other", "lobby"]);
});

// --- failures ---

Deno.test("join() rejects when the history cannot be read, and the member is not kept", async () => {
  await using t = setup();
  t.hooks.failList = () => true;
  const member = new FakeMember();
  await assert.rejects(t.hub.join("lobby", member), /list failed/);
  assert.equal(t.hub.size, 0);
  assert.equal(t.bus.subscriptions("lobby"), 0);
  t.hooks.failList = undefined;
  await t.post("lobby");
  assert.deepEqual(member.frames, []);
});

Deno.test("join() rejects when lastSeq fails, and the next join tries again", async () => {
  await using t = setup();
  await t.appendMany("lobby", 2);
  t.hooks.failLastSeq = () => true;
  await assert.rejects(t.hub.join("lobby", new FakeMember()), /lastSeq failed/);
  assert.deepEqual([...t.hub.rooms()], []);
  assert.equal(t.bus.subscriptions("lobby"), 0);
  t.hooks.failLastSeq = undefined;
  const member = new FakeMember();
  await t.hub.join("lobby", member);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [1, 2, 3]);
});

// --- history from the messages a room delivered ---

Deno.test("join() answers history from delivered messages without reading the store", async () => {
  await using t = setup({ recentKept: 100 });
  await t.appendMany("lobby", 30); // stored before the room had members here
  const early = new FakeMember();
  await t.hub.join("lobby", early);
  for (let i = 0; i < 60; i++) await t.post("lobby");
  let reads = 0;
  t.hooks.failList = () => (reads++, true);
  const late = new FakeMember();
  await t.hub.join("lobby", late);
  assert.deepEqual(late.seqs, range(41, 90));
  const resumed = new FakeMember();
  await t.hub.join("lobby", resumed, { since: 85 });
  assert.deepEqual(resumed.seqs, range(86, 90));
  assert.equal(reads, 0);
  // Older than what the room kept: the store answers (and here fails).
  await assert.rejects(t.hub.join("lobby", new FakeMember(), { since: 10 }), /list failed/);
  assert.equal(reads, 1);
  t.hooks.failList = undefined;
  await t.post("lobby");
  assert.deepEqual(late.seqs, range(41, 91));
});

Deno.test("an emptied room lingers subscribed, so a rejoin needs no store read, and clear() drops it", async () => {
  await using t = setup({ recentKept: 100, lingerMs: 60_000 });
  const first = new FakeMember();
  const leave = await t.hub.join("lobby", first);
  for (let i = 0; i < 3; i++) await t.post("lobby");
  leave();
  assert.equal(t.hub.roomCount, 0);
  assert.deepEqual([...t.hub.rooms()], []);
  assert.equal(t.bus.subscriptions("lobby"), 1);
  await t.post("lobby"); // delivered to no one, but kept in order
  let reads = 0;
  t.hooks.failList = () => (reads++, true);
  t.hooks.failLastSeq = () => (reads++, true);
  const back = new FakeMember();
  await t.hub.join("lobby", back);
  assert.deepEqual(back.seqs, [1, 2, 3, 4]);
  assert.equal(reads, 0);
  t.hub.clear();
  assert.equal(t.bus.subscriptions("lobby"), 0);
});
