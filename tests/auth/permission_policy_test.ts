/**
 * The message service's permission hook (src/auth/permission_policy.ts): the
 * table's decisions for post, edit and delete, and the standings it keeps so
 * that a post does not read the store each time, forgotten when told.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PermissionPolicy } from "../../src/auth/permission_policy.ts";
import { type AccessStore, RoomAccess } from "../../src/auth/room_access.ts";
import type { AppError } from "../../src/errors.ts";
import type { PublicUser, StoredMessage } from "../../src/model.ts";
import { memoryStore } from "../_helpers/server.ts";

const T0 = Date.UTC(2026, 0, 1);

async function setup() {
  const at = { now: T0 };
  const store = await memoryStore("sqlite", () => at.now);
  let reads = 0;
  const counted: AccessStore = {
    getRoom: (name) => (reads++, store.getRoom(name)),
    getMembership: (room, id) => (reads++, store.getMembership(room, id)),
    findRestriction: (...args) => (reads++, store.findRestriction(...args)),
    findUserById: (id) => (reads++, store.findUserById(id)),
  };
  const access = new RoomAccess({ store: counted, adminUsernames: ["root"], now: () => at.now });
  const policy = new PermissionPolicy({ access, now: () => at.now, ttlMs: 5000 });
  const user = (name: string) =>
    store.createUser({ username: name, canonical: name, passwordHash: "x" });
  return {
    store,
    at,
    policy,
    user,
    reads: () => reads,
    async [Symbol.asyncDispose]() {
      await store.close();
    },
  };
}

const messageOf = (sender: PublicUser, seq = 1): StoredMessage => ({
  id: "m",
  seq,
  room: "lobby",
  sender,
  text: "t",
  createTime: 0,
  createdAt: new Date(T0).toISOString(),
});

const refusedWith = (type: string) => (error: AppError) => error.type === type;

Deno.test("PermissionPolicy: posting, editing and deleting follow the table", async () => {
  await using s = await setup();
  const alice = await s.user("alice");
  const bob = await s.user("bob");
  const root = await s.user("root");
  await s.policy.check({ action: "post", user: alice, room: "lobby" });
  const hers = messageOf(alice);
  await s.policy.check({ action: "edit", user: alice, room: "lobby", message: hers });
  await assert.rejects(
    s.policy.check({ action: "edit", user: bob, room: "lobby", message: hers }),
    refusedWith("FORBIDDEN"),
  );
  await assert.rejects(
    s.policy.check({ action: "delete", user: bob, room: "lobby", message: hers }),
    refusedWith("FORBIDDEN"),
  );
  await s.policy.check({ action: "delete", user: root, room: "lobby", message: hers });
  await assert.rejects(
    s.policy.check({ action: "edit", user: root, room: "lobby", message: hers }),
    (error: AppError) => /Cannot edit message 1 of room "lobby"/.test(error.message),
  );
});

Deno.test("PermissionPolicy: a post reuses the standing it read until told it changed", async () => {
  await using s = await setup();
  const alice = await s.user("alice");
  const post = () => s.policy.check({ action: "post", user: alice, room: "lobby" });
  await post();
  const afterFirst = s.reads();
  for (let i = 0; i < 10; i++) await post();
  assert.equal(s.reads(), afterFirst, "no store read per post");
  await s.store.putRestriction({
    kind: "mute",
    room: "lobby",
    userId: alice.id,
    untilMs: null,
    reason: null,
    byId: null,
    atMs: T0,
  });
  await post(); // still the standing kept before the mute
  s.policy.invalidate("lobby", alice.id);
  await assert.rejects(post(), refusedWith("MUTED"));
  await s.store.removeRestriction("mute", "lobby", alice.id);
  s.policy.invalidate(null, alice.id);
  await post();
  // Without being told, a kept standing lasts its time to live.
  await s.store.putRestriction({
    kind: "ban",
    room: "lobby",
    userId: alice.id,
    untilMs: null,
    reason: null,
    byId: null,
    atMs: T0,
  });
  await post();
  s.at.now += 5001;
  await assert.rejects(post(), refusedWith("BANNED"));
});

Deno.test("PermissionPolicy: forgetting a room forgets every user's standing in it, only there", async () => {
  await using s = await setup();
  const alice = await s.user("alice");
  const bob = await s.user("bob");
  for (const user of [alice, bob]) {
    for (const room of ["a", "b"]) await s.policy.check({ action: "post", user, room });
  }
  const before = s.reads();
  s.policy.invalidate("a", null);
  for (const user of [alice, bob]) await s.policy.check({ action: "post", user, room: "b" });
  assert.equal(s.reads(), before, "room b still kept");
  for (const user of [alice, bob]) await s.policy.check({ action: "post", user, room: "a" });
  assert.equal(s.reads(), before + 10, "room a read again: five reads per user");
});
