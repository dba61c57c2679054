/**
 * The store contract: presence and shared secrets.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { PublicUser } from "../../../src/model.ts";
import { type ContractTest, FakeClock, openScoped, range, type StoreFactory } from "./helpers.ts";

/** Registers this part of the store contract. */
export function presenceContract(test: ContractTest, open: StoreFactory): void {
  const alice: PublicUser = { id: 1, username: "alice" };
  const bob: PublicUser = { id: 2, username: "bob" };
  const carol: PublicUser = { id: 3, username: "carol" };

  test("roomPresence() merges nodes, deduplicating users and summing anonymous", async () => {
    await using s = await openScoped(open);
    await s.store.putPresence("node-a", "lobby", { users: [bob, alice], anonymous: 1 }, 60_000);
    await s.store.putPresence("node-b", "lobby", { users: [carol, bob], anonymous: 2 }, 60_000);
    await s.store.putPresence("node-b", "other", { users: [carol], anonymous: 5 }, 60_000);
    assert.deepEqual(await s.store.roomPresence("lobby"), {
      users: [alice, bob, carol],
      anonymous: 3,
    });
    assert.deepEqual(await s.store.roomPresence("other"), { users: [carol], anonymous: 5 });
    assert.deepEqual(await s.store.roomPresence("empty"), { users: [], anonymous: 0 });
  });

  test("putPresence() replaces the node's entry; an empty snapshot removes it", async () => {
    await using s = await openScoped(open);
    await s.store.putPresence("node-a", "lobby", { users: [alice], anonymous: 4 }, 60_000);
    await s.store.putPresence("node-b", "lobby", { users: [bob], anonymous: 0 }, 60_000);
    await s.store.putPresence("node-a", "lobby", { users: [carol], anonymous: 1 }, 60_000);
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [bob, carol], anonymous: 1 });
    await s.store.putPresence("node-a", "lobby", { users: [], anonymous: 0 }, 60_000);
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [bob], anonymous: 0 });
    await s.store.putPresence("node-b", "lobby", { users: [], anonymous: 0 }, 60_000);
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [], anonymous: 0 });
  });

  test("putPresence() keeps 2,000 users with 64-character names, and shrinking drops the rest", async () => {
    await using s = await openScoped(open);
    // 64 code points, most of 4 bytes in UTF-8.
    const users = range(1, 2000).map((id) => ({
      id,
      username: `${id}${"𝄞".repeat(64 - String(id).length)}`,
    }));
    await s.store.putPresence("node-a", "big", { users, anonymous: 3 }, 60_000);
    await s.store.putPresence("node-b", "big", { users: [users[0]!], anonymous: 1 }, 60_000);
    const all = await s.store.roomPresence("big");
    assert.equal(all.users.length, 2000);
    assert.deepEqual(all.users.map((u) => u.id), range(1, 2000));
    assert.equal(all.anonymous, 4);
    await s.store.putPresence("node-a", "big", { users: users.slice(0, 10), anonymous: 0 }, 60_000);
    assert.deepEqual(await s.store.roomPresence("big"), {
      users: users.slice(0, 10),
      anonymous: 1,
    });
    await s.store.clearPresence("node-a");
    assert.deepEqual(await s.store.roomPresence("big"), { users: [users[0]!], anonymous: 1 });
  });

  test("roomPresence() drops an entry once its ttl has passed, unless rewritten", async () => {
    const clock = new FakeClock();
    await using s = await openScoped(open, clock.now);
    await s.store.putPresence("node-a", "lobby", { users: [alice], anonymous: 0 }, 1_000);
    await s.store.putPresence("node-b", "lobby", { users: [bob], anonymous: 2 }, 1_000);
    clock.ms += 600;
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [alice, bob], anonymous: 2 });
    await s.store.putPresence("node-b", "lobby", { users: [bob], anonymous: 2 }, 1_000);
    clock.ms += 600; // node-a's entry is 1,200 ms old, node-b's 600 ms.
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [bob], anonymous: 2 });
    clock.ms += 600;
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [], anonymous: 0 });
  });

  test("clearPresence() drops every entry of that node only", async () => {
    await using s = await openScoped(open);
    await s.store.putPresence("node-a", "lobby", { users: [alice], anonymous: 1 }, 60_000);
    await s.store.putPresence("node-a", "other", { users: [alice], anonymous: 0 }, 60_000);
    await s.store.putPresence("node-b", "lobby", { users: [bob], anonymous: 0 }, 60_000);
    await s.store.clearPresence("node-a");
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [bob], anonymous: 0 });
    assert.deepEqual(await s.store.roomPresence("other"), { users: [], anonymous: 0 });
    await s.store.clearPresence("node-unknown");
    assert.deepEqual(await s.store.roomPresence("lobby"), { users: [bob], anonymous: 0 });
  });

  test("getOrCreateSecret() stores the first value and returns it again", async () => {
    await using s = await openScoped(open);
    let calls = 0;
    const first = await s.store.getOrCreateSecret("jwt", () => (calls++, "first-value"));
    assert.equal(first, "first-value");
    assert.equal(calls, 1);
    const again = await s.store.getOrCreateSecret("jwt", () => (calls++, "second-value"));
    assert.equal(again, "first-value");
    assert.equal(calls, 1, "create() is not called when a value exists");
    assert.equal(await s.store.getOrCreateSecret("other", () => "other-value"), "other-value");
  });

  test("getOrCreateSecret() run concurrently agrees on one value", async () => {
    await using s = await openScoped(open);
    const values = await Promise.all(
      range(1, 10).map((i) => s.store.getOrCreateSecret("jwt", () => `value-${i}`)),
    );
    assert.equal(new Set(values).size, 1, `values ${values}`);
  });
}
