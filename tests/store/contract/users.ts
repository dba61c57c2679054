/**
 * The store contract: users.
 *
 * @module
 */
import assert from "node:assert/strict";
import { canonicalUsername } from "../../../src/auth/username.ts";
import {
  type ContractTest,
  isConflict,
  newUser,
  openScoped,
  range,
  type StoreFactory,
} from "./helpers.ts";

/** Registers this part of the store contract. */
export function usersContract(test: ContractTest, open: StoreFactory): void {
  test("createUser() returns increasing positive integer ids", async () => {
    await using s = await openScoped(open);
    const ids: number[] = [];
    for (const username of ["alice", "bob", "carol", "dave"]) {
      const user = await s.store.createUser(newUser(username));
      assert.ok(Number.isSafeInteger(user.id) && user.id > 0, `id ${user.id}`);
      assert.equal(user.username, username);
      ids.push(user.id);
    }
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids ${ids}`);
  });

  test("createUser() refuses a name differing only in case with USER_EXISTS", async () => {
    await using s = await openScoped(open);
    await s.store.createUser(newUser("Alice"));
    await assert.rejects(s.store.createUser(newUser("alice")), isConflict("USER_EXISTS"));
    await assert.rejects(s.store.createUser(newUser("ALICE")), isConflict("USER_EXISTS"));
  });

  test("createUser() refuses a fullwidth compatibility form with USER_EXISTS", async () => {
    await using s = await openScoped(open);
    await s.store.createUser(newUser("alice"));
    await assert.rejects(s.store.createUser(newUser("Ａｌｉｃｅ")), isConflict("USER_EXISTS"));
  });

  test("createUser() keeps ids increasing after a refused duplicate", async () => {
    await using s = await openScoped(open);
    const first = await s.store.createUser(newUser("alice"));
    await assert.rejects(s.store.createUser(newUser("Alice")), isConflict("USER_EXISTS"));
    const second = await s.store.createUser(newUser("bob"));
    assert.ok(second.id > first.id);
    assert.equal(await s.store.findUserByCanonicalName("alice").then((u) => u?.id), first.id);
  });

  test("createUser() run concurrently gives distinct ids and one winner per name", async () => {
    await using s = await openScoped(open);
    const distinct = await Promise.all(
      range(1, 20).map((i) => s.store.createUser(newUser(`user${i}`))),
    );
    assert.equal(new Set(distinct.map((u) => u.id)).size, 20);
    const same = await Promise.allSettled(
      ["zed", "Zed", "ZED", "ｚｅｄ", "zeD"].map((n) => s.store.createUser(newUser(n))),
    );
    assert.equal(same.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of same) if (r.status === "rejected") isConflict("USER_EXISTS")(r.reason);
  });

  test("findUserByCanonicalName() returns the record with the name as given", async () => {
    await using s = await openScoped(open);
    const created = await s.store.createUser(newUser("Ｂｏｂ Smith", "pbkdf2-sha256$1$a$b"));
    assert.deepEqual(created, { id: created.id, username: "Ｂｏｂ Smith" });
    const found = await s.store.findUserByCanonicalName(canonicalUsername("BOB smith"));
    assert.deepEqual(found, {
      id: created.id,
      username: "Ｂｏｂ Smith",
      passwordHash: "pbkdf2-sha256$1$a$b",
    });
  });

  test("createUser() and findUserByCanonicalName() take a name whose NFKC form passes 2 KiB", async () => {
    await using s = await openScoped(open);
    // 64 code points that NFKC expands to 1,152 (2,112 bytes): past Deno KV's 2 KiB key limit.
    const long = "ﷺ".repeat(64);
    const other = "ﷺ".repeat(63) + "x";
    const created = await s.store.createUser(newUser(long));
    await assert.rejects(s.store.createUser(newUser(long)), isConflict("USER_EXISTS"));
    const second = await s.store.createUser(newUser(other));
    assert.equal((await s.store.findUserByCanonicalName(canonicalUsername(long)))?.id, created.id);
    assert.equal((await s.store.findUserByCanonicalName(canonicalUsername(other)))?.id, second.id);
    assert.equal(await s.store.findUserByCanonicalName("ﷺ".repeat(2000)), undefined);
  });

  test("findUserByCanonicalName() returns undefined for an unknown name", async () => {
    await using s = await openScoped(open);
    await s.store.createUser(newUser("alice"));
    assert.equal(await s.store.findUserByCanonicalName("bob"), undefined);
  });

  test("findUserById() returns the public user only, undefined when unknown", async () => {
    await using s = await openScoped(open);
    const alice = await s.store.createUser(newUser("Alice", "secret-hash"));
    const bob = await s.store.createUser(newUser("bob"));
    assert.deepEqual(await s.store.findUserById(alice.id), { id: alice.id, username: "Alice" });
    assert.deepEqual(await s.store.findUserById(bob.id), { id: bob.id, username: "bob" });
    assert.equal(await s.store.findUserById(bob.id + 1000), undefined);
  });

  test("updatePasswordHash() replaces the stored hash of that user only", async () => {
    await using s = await openScoped(open);
    const alice = await s.store.createUser(newUser("alice", "old-a"));
    await s.store.createUser(newUser("bob", "old-b"));
    await s.store.updatePasswordHash(alice.id, "new-a");
    assert.equal((await s.store.findUserByCanonicalName("alice"))?.passwordHash, "new-a");
    assert.equal((await s.store.findUserByCanonicalName("bob"))?.passwordHash, "old-b");
    assert.deepEqual(await s.store.findUserById(alice.id), { id: alice.id, username: "alice" });
  });
}
