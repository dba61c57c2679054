import assert from "node:assert/strict";
import type { ChatMessage } from "../../src/model.ts";
import { Batcher } from "../../src/realtime/batcher.ts";
import { Hub } from "../../src/realtime/hub.ts";
import { Seat } from "../../src/realtime/seat.ts";
import { delay, FakeMember } from "./_fake_member.ts";

function message(seq: number, room = "lobby"): ChatMessage {
  return {
    id: `id-${seq}`,
    seq,
    room,
    sender: { id: 1, username: "alice" },
    text: `text ${seq}`,
    createTime: 1_764_000_000,
    createdAt: "2025-11-24T16:00:00.000Z",
  };
}

/** A hub whose members are live seats (their join done) up to date at `upTo`. */
function setup() {
  const hub = new Hub<Seat>();
  const batcher = new Batcher<ChatMessage>(hub);
  const seat = (member: FakeMember, upTo = 0, room = "lobby") => {
    const s = new Seat(member);
    s.queue = undefined;
    s.upTo = upTo;
    hub.join(room, s);
    return s;
  };
  return {
    hub,
    batcher,
    seat,
    [Symbol.dispose]: () => batcher.clear(),
  };
}

Deno.test("add() gathers a turn's events into one frame, encoded once for every batching member", async () => {
  using t = setup();
  const a = new FakeMember(true);
  const b = new FakeMember(true);
  const single = new FakeMember(false);
  t.seat(a);
  t.seat(b);
  t.seat(single);
  const events = [message(1), message(2), message(3)];
  for (const e of events) t.batcher.add("lobby", e);
  assert.deepEqual(a.frames, [], "written at the end of the turn");
  await delay(5);
  assert.deepEqual(a.frameSizes, [3]);
  assert.deepEqual(JSON.parse(a.frames[0]!), events);
  assert.equal(b.frames[0], a.frames[0], "the same frame for every batching member");
  assert.deepEqual(single.frames, [], "members without batch are not the batcher's");
  assert.deepEqual(a.backlogFlags, [false]);
  assert.equal(t.batcher.messagesSent, 6);
  // A later turn is a frame of its own.
  t.batcher.add("lobby", message(4));
  await delay(5);
  assert.deepEqual(a.frameSizes, [3, 1]);
  assert.equal(t.batcher.messagesSent, 8);
});

Deno.test("a member whose join sent part of the turn gets the rest; one that has it all gets nothing", async () => {
  using t = setup();
  const fresh = new FakeMember(true);
  const partway = new FakeMember(true);
  const ahead = new FakeMember(true);
  t.seat(fresh, 4);
  t.seat(partway, 5);
  t.seat(ahead, 7);
  for (const seq of [5, 6, 7]) t.batcher.add("lobby", message(seq));
  await delay(5);
  assert.deepEqual(fresh.seqs, [5, 6, 7]);
  assert.deepEqual(partway.seqs, [6, 7]);
  assert.deepEqual(ahead.frames, []);
  assert.equal(t.batcher.messagesSent, 5);
});

Deno.test("a member still reading its backlog is skipped; rooms are written apart", async () => {
  using t = setup();
  const joining = new FakeMember(true);
  const other = new FakeMember(true);
  const s = t.seat(joining);
  s.queue = [];
  t.seat(other, 0, "other");
  t.batcher.add("lobby", message(1));
  t.batcher.add("other", message(1, "other"));
  t.batcher.add("lobby", message(2));
  await delay(5);
  assert.deepEqual(joining.frames, []);
  assert.deepEqual(other.frameSizes, [1]);
  assert.equal(other.messages[0]?.room, "other");
});

Deno.test("flush() writes a room's frame now; drop() and clear() forget it", async () => {
  using t = setup();
  const a = new FakeMember(true);
  t.seat(a);
  t.batcher.add("lobby", message(1));
  t.batcher.flush("lobby");
  assert.deepEqual(a.seqs, [1]);
  t.batcher.add("lobby", message(2));
  t.batcher.drop("lobby");
  t.batcher.add("other", message(1, "other"));
  t.batcher.clear(); // the sanitizer fails this test if the turn's timer outlives it
  await delay(5);
  assert.deepEqual(a.seqs, [1]);
});

Deno.test("with a window, the first event goes at the end of its turn and later ones within the window share a frame", async () => {
  const hub = new Hub<Seat>();
  let clock = 1_000;
  // A window far longer than the test's turns, on a clock the test moves.
  const batcher = new Batcher<ChatMessage>(hub, undefined, 60_000, () => clock);
  const member = new FakeMember(true);
  const seat = new Seat(member);
  seat.queue = undefined;
  hub.join("lobby", seat);
  try {
    batcher.add("lobby", message(1));
    await delay(5);
    assert.deepEqual(member.frameSizes, [1], "nothing left within the window before it: not held");
    batcher.add("lobby", message(2));
    await delay(5);
    batcher.add("lobby", message(3));
    await delay(5);
    assert.deepEqual(member.frameSizes, [1], "held: the last frame left less than a window ago");
    batcher.flush("lobby");
    assert.deepEqual(member.frameSizes, [1, 2], "the held events share one frame");
    clock += 60_000;
    batcher.clear();
    batcher.add("lobby", message(4));
    await delay(5);
    assert.deepEqual(member.frameSizes, [1, 2, 1], "a window after the last frame: not held");
  } finally {
    batcher.clear();
  }
});
