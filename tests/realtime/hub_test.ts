import assert from "node:assert/strict";
import { Hub } from "../../src/realtime/hub.ts";
import { FakeMember } from "./_fake_member.ts";

const alice = { id: 1, username: "alice" };

Deno.test("join() adds a member to its room only, and the disposer removes it once", () => {
  const hub = new Hub<FakeMember>();
  const a = new FakeMember();
  const b = new FakeMember(false, alice);
  const leaveA = hub.join("lobby", a);
  hub.join("lobby", b);
  hub.join("other", a);
  assert.deepEqual(hub.members("lobby"), [a, b]);
  assert.deepEqual(hub.members("other"), [a]);
  assert.equal(hub.size, 3);
  assert.equal(hub.count("lobby"), 2);
  assert.ok(hub.has("lobby", a));
  leaveA();
  leaveA();
  assert.deepEqual(hub.members("lobby"), [b]);
  assert.deepEqual(hub.members("other"), [a], "leaving one room keeps the other");
  assert.equal(hub.size, 2);
  assert.ok(!hub.has("lobby", a));
  assert.equal(hub.leave("lobby", a), false);
});

Deno.test("join() of a member already in the room keeps it once", () => {
  const hub = new Hub<FakeMember>();
  const a = new FakeMember(true);
  hub.join("lobby", a);
  hub.join("lobby", a);
  assert.equal(hub.count("lobby"), 1);
  assert.equal(hub.batchCount("lobby"), 1);
  assert.equal(hub.size, 1);
});

Deno.test("an emptied room is dropped from rooms() and roomCount", () => {
  const hub = new Hub<FakeMember>();
  const a = new FakeMember();
  const leave = hub.join("lobby", a);
  hub.join("other", new FakeMember());
  assert.deepEqual([...hub.rooms()], ["lobby", "other"]);
  assert.equal(hub.roomCount, 2);
  leave();
  assert.deepEqual([...hub.rooms()], ["other"]);
  assert.equal(hub.roomCount, 1);
  assert.deepEqual(hub.members("lobby"), []);
  assert.equal(hub.count("lobby"), 0);
});

Deno.test("batchCount() counts the members that accept batched frames, as they come and go", () => {
  const hub = new Hub<FakeMember>();
  const leaveBatch = hub.join("lobby", new FakeMember(true));
  hub.join("lobby", new FakeMember(true));
  hub.join("lobby", new FakeMember(false));
  assert.equal(hub.batchCount("lobby"), 2);
  leaveBatch();
  assert.equal(hub.batchCount("lobby"), 1);
  assert.equal(hub.batchCount("nowhere"), 0);
});

Deno.test("forEach() visits each member of the room once", () => {
  const hub = new Hub<FakeMember>();
  const a = new FakeMember();
  const b = new FakeMember();
  hub.join("lobby", a);
  hub.join("lobby", b);
  hub.join("other", new FakeMember());
  const seen: FakeMember[] = [];
  hub.forEach("lobby", (m) => seen.push(m));
  hub.forEach("nowhere", (m) => seen.push(m));
  assert.deepEqual(seen, [a, b]);
});

Deno.test("onMembersChanged() is told of each join and leave, not of a repeated one", () => {
  const changes: string[] = [];
  const hub = new Hub<FakeMember>({ onMembersChanged: (room) => changes.push(room) });
  const member = new FakeMember();
  const leave = hub.join("lobby", member);
  hub.join("lobby", member);
  hub.join("other", new FakeMember(false, alice));
  leave();
  leave();
  assert.deepEqual(changes, ["lobby", "other", "lobby"]);
});

Deno.test("clear() removes every member of every room and reports each room once", () => {
  const changes: string[] = [];
  const hub = new Hub<FakeMember>({ onMembersChanged: (room) => changes.push(room) });
  const a = new FakeMember();
  const leaveA = hub.join("lobby", a);
  hub.join("lobby", new FakeMember());
  hub.join("other", new FakeMember());
  changes.length = 0;
  hub.clear();
  assert.deepEqual(changes, ["lobby", "other"]);
  assert.equal(hub.size, 0);
  assert.equal(hub.roomCount, 0);
  assert.equal(hub.count("lobby"), 0);
  const seen: FakeMember[] = [];
  hub.forEach("lobby", (m) => seen.push(m));
  assert.deepEqual(seen, []);
  leaveA(); // a disposer after clear() does nothing
  assert.deepEqual(changes, ["lobby", "other"]);
});
