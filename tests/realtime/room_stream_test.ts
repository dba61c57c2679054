import assert from "node:assert/strict";
import { HISTORY_ON_JOIN, MAX_RESUME } from "../../src/contract/limits.js";
import type { ChatMessage } from "../../src/model.ts";
import { RoomStream, type RoomStreamOptions } from "../../src/realtime/room_stream.ts";
import { range, waitFor } from "./_fake_member.ts";
import { gate, openTestLog } from "./_test_log.ts";

/**
 * A stream of room "lobby" over a real `:memory:` store. It reads every
 * backlog from the log (`recentKept: 0`), never checks quiet rooms and waits
 * a minute on a gap unless told otherwise.
 */
function setup(options: Partial<RoomStreamOptions<ChatMessage>> = {}) {
  const t = openTestLog();
  const delivered: ChatMessage[] = [];
  const resets: number[] = [];
  const errors: unknown[] = [];
  const stream = new RoomStream<ChatMessage>({
    room: "lobby",
    log: t.log,
    onEvent: (event) => delivered.push(event),
    onReset: (epoch) => resets.push(epoch),
    onError: (error) => errors.push(error),
    gapTimeoutMs: 60_000,
    quietCheckMs: 0,
    recentKept: 0,
    ...options,
  });
  return {
    ...t,
    get store() {
      return t.store;
    },
    stream,
    delivered,
    resets,
    errors,
    seqs: () => delivered.map((m) => m.seq),
    /** Stores a message and hands it to the stream, as the bus would. */
    async post() {
      const message = await t.append("lobby");
      stream.receive(message);
      return message;
    },
    async [Symbol.asyncDispose]() {
      stream.close();
      await t[Symbol.asyncDispose]();
    },
  };
}

// --- ordering, gaps, duplicates ---

Deno.test("open() starts at the log's last seq, then each next event is delivered at once", async () => {
  await using t = setup();
  await t.appendMany("lobby", 3);
  await t.stream.open();
  assert.equal(t.stream.cursor, 3);
  await t.post();
  await t.post();
  assert.deepEqual(t.seqs(), [4, 5]);
  assert.equal(t.stream.cursor, 5);
  assert.equal(t.stream.epoch, 0);
});

Deno.test("events out of order are delivered in seq order", async () => {
  await using t = setup();
  await t.stream.open();
  const [m1, m2, m3, m4] = await t.appendMany("lobby", 4);
  t.stream.receive(m1!);
  t.stream.receive(m3!);
  t.stream.receive(m4!);
  assert.deepEqual(t.seqs(), [1], "3 and 4 wait for 2");
  t.stream.receive(m2!);
  assert.deepEqual(t.seqs(), [1, 2, 3, 4]);
});

Deno.test("duplicate events are dropped", async () => {
  await using t = setup();
  await t.stream.open();
  const [m1, m2] = await t.appendMany("lobby", 2);
  for (const m of [m1, m1, m2, m1, m2]) t.stream.receive(m!);
  assert.deepEqual(t.seqs(), [1, 2]);
});

for (const when of ["before", "after"] as const) {
  Deno.test(`events received while open() reads the last seq (${when} them) are delivered once, in order`, async () => {
    await using t = setup();
    await t.appendMany("lobby", 5);
    const hold = gate(when);
    t.hooks.lastSeqGate = hold;
    const opened = t.stream.open();
    const m6 = await t.post();
    await t.post();
    assert.equal(t.stream.cursor, -1);
    hold.open();
    await opened;
    t.stream.receive(m6); // a late copy
    await t.post();
    // Read before 6 and 7 were stored, the cursor is 5 and they follow it;
    // read after, it is 7 and they are history.
    assert.deepEqual(t.seqs(), when === "before" ? [8] : [6, 7, 8]);
  });
}

Deno.test("a gap is filled from the log after gapTimeoutMs, and a late copy is dropped", async () => {
  await using t = setup({ gapTimeoutMs: 30 });
  await t.stream.open();
  const [m1, m2, m3, , m5] = await t.appendMany("lobby", 5);
  t.stream.receive(m1!);
  t.stream.receive(m3!);
  t.stream.receive(m5!);
  assert.deepEqual(t.seqs(), [1]);
  await waitFor("the gap to be filled", () => t.delivered.length === 5);
  assert.deepEqual(t.seqs(), [1, 2, 3, 4, 5]);
  t.stream.receive(m2!);
  await t.post();
  assert.deepEqual(t.seqs(), [1, 2, 3, 4, 5, 6]);
});

Deno.test("a failed gap read is reported and tried again", async () => {
  await using t = setup({ gapTimeoutMs: 10 });
  await t.stream.open();
  const [m1, , m3] = await t.appendMany("lobby", 3);
  let failures = 1;
  t.hooks.failList = () => failures-- > 0;
  t.stream.receive(m1!);
  t.stream.receive(m3!);
  await waitFor("the gap to be filled", () => t.delivered.length === 3);
  assert.deepEqual(t.seqs(), [1, 2, 3]);
  assert.equal(t.errors.length, 1);
});

Deno.test("close() while a gap is pending clears its timer and delivers nothing more", async () => {
  await using t = setup({ gapTimeoutMs: 60_000 });
  await t.stream.open();
  const [m1, m2, m3] = await t.appendMany("lobby", 3);
  t.stream.receive(m1!);
  t.stream.receive(m3!);
  t.stream.close(); // the sanitizer fails this test if the gap timer outlives the stream
  t.stream.receive(m2!);
  assert.deepEqual(t.seqs(), [1]);
});

Deno.test("an event stored but never sent on the bus reaches a quiet room within quietCheckMs", async () => {
  await using t = setup({ quietCheckMs: 30 });
  await t.stream.open();
  await t.post();
  // Its sender's process died between the append and the publish.
  await t.append("lobby");
  await t.append("lobby");
  await waitFor("the unpublished events", () => t.delivered.length === 3);
  assert.deepEqual(t.seqs(), [1, 2, 3]);
  await t.post();
  assert.deepEqual(t.seqs(), [1, 2, 3, 4]);
});

Deno.test("open() rejects when the last seq cannot be read", async () => {
  await using t = setup();
  t.hooks.failLastSeq = () => true;
  await assert.rejects(t.stream.open(), /lastSeq failed/);
  await assert.rejects(t.stream.backlog(), /lastSeq failed/);
});

// --- backlog: history and resume ---

Deno.test("backlog() is the latest 50 of 60 events, up to date at the last", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const backlog = await t.stream.backlog();
  assert.equal(HISTORY_ON_JOIN, 50);
  assert.deepEqual(backlog.events.map((m) => m.seq), range(11, 60));
  assert.equal(backlog.events[0]?.text, "text 11");
  assert.equal(backlog.upTo, 60);
  assert.equal(backlog.epoch, 0);
});

Deno.test("backlog() of an empty room is empty, up to date at 0", async () => {
  await using t = setup();
  assert.deepEqual(await t.stream.backlog(), { events: [], upTo: 0, epoch: 0 });
});

Deno.test("backlog(since) is every event after since, at most 1,000", async () => {
  await using t = setup();
  await t.appendMany("lobby", 60);
  const seqs = async (since: number) => (await t.stream.backlog(since)).events.map((m) => m.seq);
  assert.deepEqual(await seqs(45), range(46, 60));
  assert.deepEqual(await seqs(0), range(1, 60), "more than the 50 of a plain join");
  assert.deepEqual(await t.stream.backlog(60), { events: [], upTo: 60, epoch: 0 });
  assert.equal(MAX_RESUME, 1000);
});

Deno.test("backlog(since) beyond the log is up to date at the log's last seq", async () => {
  await using t = setup();
  await t.appendMany("lobby", 5);
  assert.deepEqual(await t.stream.backlog(100), { events: [], upTo: 5, epoch: 0 });
});

Deno.test("backlog(since) ahead of the cursor reads the log, which has what the bus has not brought", async () => {
  await using t = setup({ recentKept: 100 });
  await t.stream.open();
  for (let i = 0; i < 5; i++) await t.post();
  await t.appendMany("lobby", 3); // stored, on their way over the bus
  assert.deepEqual((await t.stream.backlog(6)).events.map((m) => m.seq), [7, 8]);
  assert.deepEqual(await t.stream.backlog(8), { events: [], upTo: 8, epoch: 0 });
});

Deno.test("backlog() answers from delivered events without reading the log, when they cover it", async () => {
  await using t = setup({ recentKept: 100 });
  await t.appendMany("lobby", 30); // stored before the stream opened
  await t.stream.open();
  for (let i = 0; i < 60; i++) await t.post();
  let reads = 0;
  t.hooks.failList = () => (reads++, true);
  const latest = await t.stream.backlog();
  assert.deepEqual(latest.events.map((m) => m.seq), range(41, 90));
  assert.equal(latest.upTo, 90);
  assert.deepEqual((await t.stream.backlog(85)).events.map((m) => m.seq), range(86, 90));
  assert.equal(reads, 0);
  // Older than what the stream kept: the log answers (and here fails).
  await assert.rejects(t.stream.backlog(10), /list failed/);
  assert.equal(reads, 1);
});

Deno.test("backlog() keeps at most twice recentKept delivered events and still covers a history", async () => {
  await using t = setup({ recentKept: 60 });
  await t.stream.open();
  for (let i = 0; i < 130; i++) await t.post();
  t.hooks.failList = () => true;
  assert.deepEqual((await t.stream.backlog()).events.map((m) => m.seq), range(81, 130));
  await assert.rejects(t.stream.backlog(5), /list failed/, "seq 6 is no longer kept");
});

// --- epoch: a log that was reset ---

Deno.test("a log that went back below the cursor is found by the quiet check: a new epoch, from its start", async () => {
  await using t = setup({ quietCheckMs: 20 });
  await t.stream.open();
  for (let i = 0; i < 5; i++) await t.post();
  await t.wipe();
  // The new log's first events: at or below the cursor, they look like duplicates.
  const [n1, n2] = await t.appendMany("lobby", 2);
  t.stream.receive(n1!);
  t.stream.receive(n2!);
  assert.deepEqual(t.seqs(), [1, 2, 3, 4, 5]);
  await waitFor("the reset", () => t.resets.length === 1);
  assert.deepEqual(t.resets, [1]);
  assert.equal(t.stream.epoch, 1);
  await waitFor("the new log's events", () => t.delivered.length === 7);
  assert.deepEqual(t.delivered.slice(5).map((m) => m.id), [n1!.id, n2!.id]);
  await t.post();
  assert.deepEqual(t.seqs(), [1, 2, 3, 4, 5, 1, 2, 3]);
  assert.equal(t.stream.cursor, 3);
});

Deno.test("a history read that ends below the cursor restarts the stream, and names the old epoch", async () => {
  await using t = setup();
  await t.stream.open();
  for (let i = 0; i < 4; i++) await t.post();
  await t.wipe();
  const [n1] = await t.appendMany("lobby", 1);
  const stale = await t.stream.backlog();
  assert.equal(stale.epoch, 0, "read in the old epoch: the caller must read again");
  assert.equal(t.stream.epoch, 1);
  await waitFor("the new log's event", () => t.delivered.length === 5);
  assert.equal(t.delivered[4]?.id, n1!.id);
  const fresh = await t.stream.backlog();
  assert.deepEqual(fresh.events.map((m) => m.id), [n1!.id]);
  assert.equal(fresh.epoch, 1);
});

Deno.test("a resume ahead of a log that was reset is clamped to the new log and restarts the stream", async () => {
  await using t = setup();
  await t.stream.open();
  for (let i = 0; i < 4; i++) await t.post();
  await t.wipe();
  await t.appendMany("lobby", 2);
  const stale = await t.stream.backlog(9);
  assert.equal(stale.upTo, 2);
  assert.equal(stale.epoch, 0);
  assert.deepEqual(t.resets, [1]);
});

Deno.test("a log that only grew is no reset", async () => {
  await using t = setup({ quietCheckMs: 10 });
  await t.stream.open();
  await t.post();
  await t.appendMany("lobby", 2);
  await waitFor("the quiet check to deliver", () => t.delivered.length === 3);
  const backlog = await t.stream.backlog(1);
  assert.deepEqual(backlog.events.map((m) => m.seq), [2, 3]);
  assert.deepEqual(t.resets, []);
  assert.equal(t.stream.epoch, 0);
});
