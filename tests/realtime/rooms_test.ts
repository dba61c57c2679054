import assert from "node:assert/strict";
import type { ChatMessage } from "../../src/model.ts";
import { type Bus, createMemoryBus, type MessageHandler } from "../../src/realtime/bus.ts";
import { Hub } from "../../src/realtime/hub.ts";
import { Rooms, type RoomsOptions } from "../../src/realtime/rooms.ts";
import type { Seat } from "../../src/realtime/seat.ts";
import { delay, FakeMember, range, waitFor } from "./_fake_member.ts";
import { gate, openTestLog } from "./_test_log.ts";

/** A memory bus that counts live subscriptions per room. */
function spyBus(): Bus<ChatMessage> & { subscriptions(room: string): number } {
  const inner = createMemoryBus<ChatMessage>();
  const live = new Map<string, number>();
  return {
    publish: (message) => inner.publish(message),
    signal: (signal) => inner.signal(signal),
    subscribeSignals: (room, handler) => inner.subscribeSignals(room, handler),
    settled: () => inner.settled(),
    subscribe(room: string, handler: MessageHandler<ChatMessage>) {
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

/**
 * Rooms over a real in-memory store whose reads can be held or failed, a
 * memory bus and a hub. Every join's history is read from the store
 * (`recentKept: 0`) unless told otherwise, so the seam between a stored
 * history and live messages is what is tested.
 */
function setup(options: Partial<RoomsOptions<ChatMessage>> = {}) {
  const t = openTestLog();
  const bus = spyBus();
  const hub = new Hub<Seat>();
  const rooms = new Rooms({
    hub,
    bus,
    log: t.log,
    gapTimeoutMs: 60_000,
    recentKept: 0,
    lingerMs: 0,
    ...options,
  });
  /** Stores and publishes, as a session does. */
  const post = async (room: string) => {
    const message = await t.append(room);
    bus.publish(message);
    return message;
  };
  return {
    ...t,
    bus,
    hub,
    rooms,
    post,
    async [Symbol.asyncDispose]() {
      rooms.clear();
      bus.close();
      await t[Symbol.asyncDispose]();
    },
  };
}

function assertGapless(member: FakeMember, last: number, what: string) {
  const seqs = member.seqs;
  assert.ok(seqs.length > 0, `${what}: received nothing`);
  assert.deepEqual(seqs, range(seqs[0]!, last), `${what}: ${seqs.join(",")}`);
}

// --- history ---

Deno.test("join() sends the latest 50 of 60 messages as backlog, one frame each by default", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const member = new FakeMember();
  await t.rooms.join("lobby", member);
  assert.deepEqual(member.seqs, range(11, 60));
  assert.deepEqual(member.frameSizes, Array(50).fill(1));
  assert.deepEqual(member.backlogFlags, Array(50).fill(true));
  assert.equal(member.messages[0]?.text, "text 11");
  assert.equal(t.rooms.messagesSent, 50);
});

Deno.test("join() of a batch member sends the history as one array", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const member = new FakeMember(true);
  await t.rooms.join("lobby", member);
  assert.deepEqual(member.frameSizes, [50]);
  assert.deepEqual(member.seqs, range(11, 60));
  assert.deepEqual(member.backlogFlags, [true]);
});

Deno.test("join() of an empty room sends nothing, then the live stream one frame each", async () => {
  await using t = setup();
  const member = new FakeMember();
  await t.rooms.join("lobby", member);
  assert.deepEqual(member.frames, []);
  await t.post("lobby");
  await t.post("lobby");
  await t.post("elsewhere");
  assert.deepEqual(member.seqs, [1, 2]);
  assert.deepEqual(member.frameSizes, [1, 1]);
  assert.deepEqual(member.backlogFlags, [false, false]);
});

Deno.test("join() with since sends every message after it, then the live stream", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const resumed = new FakeMember();
  const fromStart = new FakeMember();
  const upToDate = new FakeMember();
  const batch = new FakeMember(true);
  await t.rooms.join("lobby", resumed, { since: 45 });
  await t.rooms.join("lobby", fromStart, { since: 0 });
  await t.rooms.join("lobby", upToDate, { since: 60 });
  await t.rooms.join("lobby", batch, { since: 50 });
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
  await t.rooms.join("lobby", member, { since: 100 });
  assert.deepEqual(member.frames, []);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [6]);
});

for (const recentKept of [0, 100]) {
  Deno.test(`join() with since ahead of this isolate's cursor sends nothing twice (recentKept ${recentKept})`, async () => {
    // The client saw 6 and 7 on another isolate; here the bus has not brought them yet.
    await using t = setup({ recentKept });
    const early = new FakeMember();
    await t.rooms.join("lobby", early);
    for (let i = 0; i < 5; i++) await t.post("lobby");
    const [m6, m7] = await t.appendMany("lobby", 2);
    const member = new FakeMember();
    await t.rooms.join("lobby", member, { since: 7 });
    assert.deepEqual(member.frames, []);
    t.bus.publish(m6!);
    t.bus.publish(m7!);
    await t.post("lobby");
    assert.deepEqual(member.seqs, [8]);
    assert.deepEqual(early.seqs, [1, 2, 3, 4, 5, 6, 7, 8]);
  });
}

Deno.test("a message stored but never published reaches the members of a quiet room", async () => {
  await using t = setup({ quietCheckMs: 30 });
  const member = new FakeMember();
  await t.rooms.join("lobby", member);
  await t.post("lobby");
  await t.append("lobby"); // its sender's process died between the append and the publish
  await waitFor("the unpublished message", () => member.seqs.length === 2);
  assert.deepEqual(member.seqs, [1, 2]);
});

// --- ordering and batching through the hub ---

Deno.test("bus messages out of order and twice reach every member in seq order, once", async () => {
  await using t = setup();
  const member = new FakeMember();
  const batch = new FakeMember(true);
  await t.rooms.join("lobby", member);
  await t.rooms.join("lobby", batch);
  const [m1, m2, m3] = await t.appendMany("lobby", 3);
  for (const m of [m1, m3, m1, m2, m3]) t.bus.publish(m!);
  assert.deepEqual(member.seqs, [1, 2, 3]);
  assert.deepEqual(member.frameSizes, [1, 1, 1]);
  await delay(5);
  assert.deepEqual(batch.seqs, [1, 2, 3]);
  assert.equal(t.rooms.messagesSent, 6);
});

Deno.test("messages of one turn go to batch members as one frame, to others one each", async () => {
  await using t = setup();
  const single = new FakeMember();
  const batchA = new FakeMember(true);
  const batchB = new FakeMember(true);
  for (const m of [single, batchA, batchB]) await t.rooms.join("lobby", m);
  const messages = await t.appendMany("lobby", 3);
  for (const m of messages) t.bus.publish(m);
  assert.deepEqual(single.frameSizes, [1, 1, 1]);
  assert.deepEqual(batchA.frames, [], "batch members are written at the end of the turn");
  await delay(5);
  assert.deepEqual(batchA.frameSizes, [3]);
  assert.deepEqual(batchB.frames, batchA.frames, "the same frame for every batch member");
  assert.deepEqual(JSON.parse(batchA.frames[0]!), messages);
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
        await t.rooms.join("lobby", early);
        for (let i = 0; i < 5; i++) await t.post("lobby");
        const hold = gate(when);
        t.hooks.listGate = hold;
        const member = new FakeMember(batch);
        const joined = t.rooms.join("lobby", member);
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
  Deno.test(`first join of a room while messages are published, lastSeq read ${when}: no gap`, async () => {
    await using t = setup();
    await t.appendMany("lobby", 5);
    const hold = gate(when);
    t.hooks.lastSeqGate = hold;
    const member = new FakeMember();
    const joined = t.rooms.join("lobby", member);
    await t.post("lobby");
    await t.post("lobby");
    hold.open();
    await joined;
    await t.post("lobby");
    assert.deepEqual(member.seqs, range(1, 8));
  });
}

Deno.test("members joining while 100 messages are published out of order get a gapless stream", async () => {
  await using t = setup({ gapTimeoutMs: 20 });
  await t.appendMany("lobby", 60);
  const members: Array<[string, FakeMember]> = [];
  const joins: Promise<unknown>[] = [];
  const first = new FakeMember();
  await t.rooms.join("lobby", first);
  const publishing = (async () => {
    for (let round = 0; round < 20; round++) {
      const five: ChatMessage[] = [];
      for (let i = 0; i < 5; i++) five.push(await t.append("lobby"));
      // Publish each group of five in reverse: the stream must reorder.
      for (const m of five.reverse()) t.bus.publish(m);
      await delay(round % 3);
    }
  })();
  for (let i = 0; i < 12; i++) {
    await delay(i % 4);
    const member = new FakeMember(i % 3 === 0);
    members.push([`member ${i}`, member]);
    joins.push(t.rooms.join("lobby", member, i % 4 === 1 ? { since: 55 } : {}));
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
  await t.rooms.join("lobby", early);
  await t.rooms.join("lobby", earlyBatch);
  // Stored but not yet published, as when the bus is slower than the store.
  const [m1, m2, m3] = await t.appendMany("lobby", 3);
  const member = new FakeMember();
  const batch = new FakeMember(true);
  await t.rooms.join("lobby", member);
  await t.rooms.join("lobby", batch);
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
  const leaveA = await t.rooms.join("lobby", a);
  const leaveB = await t.rooms.join("lobby", b);
  assert.equal(t.bus.subscriptions("lobby"), 1, "one subscription per room");
  assert.equal(t.hub.size, 2);
  leaveA();
  leaveA();
  assert.equal(t.bus.subscriptions("lobby"), 1);
  assert.deepEqual(t.hub.members("lobby").map((seat) => seat.member), [b]);
  await t.post("lobby");
  assert.deepEqual(a.seqs, []);
  assert.deepEqual(b.seqs, [1]);
  leaveB();
  assert.equal(t.bus.subscriptions("lobby"), 0);
  assert.deepEqual([...t.hub.rooms()], []);
  assert.deepEqual([...t.rooms.followed()], []);
  assert.equal(t.hub.size, 0);
  await t.post("lobby");
  assert.deepEqual(b.seqs, [1]);
  // Coming back builds the room again.
  const c = new FakeMember();
  await t.rooms.join("lobby", c);
  assert.equal(t.bus.subscriptions("lobby"), 1);
  assert.deepEqual(c.seqs, [1, 2]);
});

Deno.test("leaving while a gap is pending drops the room and its timer", async () => {
  await using t = setup({ gapTimeoutMs: 60_000 });
  const member = new FakeMember();
  const leave = await t.rooms.join("lobby", member);
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
  const joined = t.rooms.join("lobby", member);
  await delay(1);
  t.rooms.clear();
  hold.open();
  const leave = await joined;
  leave();
  assert.deepEqual(member.frames, []);
  assert.equal(t.bus.subscriptions("lobby"), 0);
  assert.equal(t.hub.size, 0);
});

Deno.test("an emptied room lingers subscribed, so a rejoin needs no store read, and clear() drops it", async () => {
  await using t = setup({ recentKept: 100, lingerMs: 60_000 });
  const first = new FakeMember();
  const leave = await t.rooms.join("lobby", first);
  for (let i = 0; i < 3; i++) await t.post("lobby");
  leave();
  assert.equal(t.hub.roomCount, 0);
  assert.deepEqual([...t.hub.rooms()], []);
  assert.deepEqual([...t.rooms.followed()], ["lobby"]);
  assert.equal(t.bus.subscriptions("lobby"), 1);
  await t.post("lobby"); // delivered to no one, but kept in order
  let reads = 0;
  t.hooks.failList = () => (reads++, true);
  t.hooks.failLastSeq = () => (reads++, true);
  const back = new FakeMember();
  await t.rooms.join("lobby", back);
  assert.deepEqual(back.seqs, [1, 2, 3, 4]);
  assert.equal(reads, 0);
  t.rooms.clear();
  assert.equal(t.bus.subscriptions("lobby"), 0);
});

// --- failures ---

Deno.test("join() rejects when the history cannot be read, and the member is not kept", async () => {
  await using t = setup();
  t.hooks.failList = () => true;
  const member = new FakeMember();
  await assert.rejects(t.rooms.join("lobby", member), /list failed/);
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
  await assert.rejects(t.rooms.join("lobby", new FakeMember()), /lastSeq failed/);
  assert.deepEqual([...t.hub.rooms()], []);
  assert.deepEqual([...t.rooms.followed()], []);
  assert.equal(t.bus.subscriptions("lobby"), 0);
  t.hooks.failLastSeq = undefined;
  const member = new FakeMember();
  await t.rooms.join("lobby", member);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [1, 2, 3]);
});

// --- a store that was reset ---

Deno.test("after the store is wiped, members get the new log's messages and a new joiner its history", async () => {
  const resets: Array<[string, number]> = [];
  await using t = setup({ quietCheckMs: 20, onReset: (room, epoch) => resets.push([room, epoch]) });
  const early = new FakeMember();
  await t.rooms.join("lobby", early);
  for (let i = 0; i < 4; i++) await t.post("lobby");
  // Up to date at 4 by their history: their positions must restart with the log.
  const member = new FakeMember();
  const batch = new FakeMember(true);
  await t.rooms.join("lobby", member);
  await t.rooms.join("lobby", batch);
  await t.wipe();
  await t.post("lobby"); // seq 1 of the new log: it looks like a duplicate until the reset is found
  await waitFor("the reset", () => resets.length === 1);
  await waitFor("the new log's first message", () => member.seqs.length === 5);
  await t.post("lobby");
  await delay(5);
  assert.deepEqual(resets, [["lobby", 1]]);
  assert.deepEqual(early.seqs, [1, 2, 3, 4, 1, 2]);
  assert.deepEqual(member.seqs, [1, 2, 3, 4, 1, 2]);
  assert.deepEqual(batch.seqs, [1, 2, 3, 4, 1, 2]);
  const late = new FakeMember();
  await t.rooms.join("lobby", late);
  assert.deepEqual(late.seqs, [1, 2]);
});

Deno.test("a join whose history reveals a wiped store reads it again in the new epoch", async () => {
  await using t = setup();
  const early = new FakeMember();
  await t.rooms.join("lobby", early);
  for (let i = 0; i < 4; i++) await t.post("lobby");
  await t.wipe();
  const [n1] = await t.appendMany("lobby", 1);
  const member = new FakeMember();
  await t.rooms.join("lobby", member);
  assert.deepEqual(member.messages.map((m) => m.id), [n1!.id], "its history, sent once");
  await waitFor("the early member to get the new log", () => early.seqs.length === 5);
  await t.post("lobby");
  assert.deepEqual(member.seqs, [1, 2]);
  assert.deepEqual(early.seqs, [1, 2, 3, 4, 1, 2]);
});
