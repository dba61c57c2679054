/**
 * The contract every {@linkcode Store} adapter passes, run against a real
 * backend by `sqlite_store_test.ts` and `kv_store_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { canonicalUsername } from "../../src/auth/username.ts";
import { ConflictError, StoreUnavailableError } from "../../src/errors.ts";
import type { ChatMessage, NewMessage, PublicUser } from "../../src/model.ts";
import type { MessageQuery, Store } from "../../src/store/store.ts";

/** What a contract run passes to its factory. */
export interface StoreFactoryOptions {
  /** The store's clock, milliseconds since the epoch. */
  readonly now: () => number;
}

/** Opens a fresh, empty store. */
export type StoreFactory = (options: StoreFactoryOptions) => Promise<Store>;

/** A settable clock for presence expiry. */
export class FakeClock {
  /** Milliseconds since the epoch. */
  ms: number;
  constructor(start = Date.now()) {
    this.ms = start;
  }
  /** The clock as a `now()` function. */
  readonly now = (): number => this.ms;
}

/** A store that closes itself when the test's scope ends. */
export async function openScoped(
  open: StoreFactory,
  now: () => number = Date.now,
): Promise<{ store: Store } & AsyncDisposable> {
  const store = await open({ now });
  return { store, [Symbol.asyncDispose]: () => store.close() };
}

/** A message to append, sent by user 1 unless told otherwise. */
export function newMessage(room: string, fields: Partial<NewMessage> = {}): NewMessage {
  return {
    id: crypto.randomUUID(),
    room,
    sender: { id: 1, username: "alice" },
    text: "hello",
    createdAtMs: 1_764_000_000_123,
    ...fields,
  };
}

/** A user to create, with the canonical form computed as the accounts service does. */
export function newUser(username: string, passwordHash = "hash") {
  return { username, canonical: canonicalUsername(username), passwordHash };
}

async function appendMany(store: Store, room: string, count: number): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (let i = 1; i <= count; i++) {
    out.push(await store.appendMessage(newMessage(room, { text: `m${i}` })));
  }
  return out;
}

const seqs = (messages: readonly ChatMessage[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

function isConflict(type: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ConflictError, `expected a ConflictError, got ${error}`);
    assert.equal(error.type, type);
    assert.equal(error.status, 409);
    return true;
  };
}

function isUnavailable(error: unknown): boolean {
  assert.ok(error instanceof StoreUnavailableError, `expected StoreUnavailableError, got ${error}`);
  assert.equal(error.type, "STORE_UNAVAILABLE");
  assert.equal(error.status, 503);
  return true;
}

/**
 * Registers the store contract's tests.
 *
 * @param name shown in every test name, e.g. `"SQLite :memory:"`
 * @param open opens a fresh, empty store on each call
 */
export function storeContract(name: string, open: StoreFactory): void {
  const test = (what: string, fn: () => Promise<void>) => Deno.test(`${name}: ${what}`, fn);

  // --- users ---

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

  // --- messages ---

  test("appendMessage() assigns 1, 2, 3… per room independently", async () => {
    await using s = await openScoped(open);
    const order = ["a", "b", "a", "a", "b", "c", "a"];
    const got: Array<[string, number]> = [];
    for (const room of order) {
      const m = await s.store.appendMessage(newMessage(room));
      got.push([m.room, m.seq]);
    }
    assert.deepEqual(got, [["a", 1], ["b", 1], ["a", 2], ["a", 3], ["b", 2], ["c", 1], ["a", 4]]);
    assert.equal(await s.store.lastSeq("a"), 4);
    assert.equal(await s.store.lastSeq("b"), 2);
    assert.equal(await s.store.lastSeq("c"), 1);
  });

  test("appendMessage() run 200 times concurrently gives seq 1..200 with no gap", async () => {
    await using s = await openScoped(open);
    const results = await Promise.all(
      range(1, 200).map((i) => s.store.appendMessage(newMessage("busy", { text: `m${i}` }))),
    );
    assert.deepEqual(seqs(results).sort((a, b) => a - b), range(1, 200));
    const stored = await s.store.listMessages("busy", { limit: 500, after: 0, from: "oldest" });
    assert.deepEqual(seqs(stored), range(1, 200));
    // Each stored message is the one the append returned for its seq.
    const byId = new Map(results.map((m) => [m.id, m]));
    for (const m of stored) assert.deepEqual(byId.get(m.id), m);
    assert.equal(await s.store.lastSeq("busy"), 200);
  });

  test("appendMessage() returns the wire shape with seconds and ISO milliseconds", async () => {
    await using s = await openScoped(open);
    const input = newMessage("lobby", {
      sender: { id: 12, username: "Ｂｏｂ" },
      text: "héllo 😀\nsecond line",
      createdAtMs: 1_764_000_000_123,
    });
    const appended = await s.store.appendMessage(input);
    const expected: ChatMessage = {
      id: input.id,
      seq: 1,
      room: "lobby",
      sender: { id: 12, username: "Ｂｏｂ" },
      text: "héllo 😀\nsecond line",
      createTime: 1_764_000_000,
      createdAt: "2025-11-24T16:00:00.123Z",
    };
    assert.deepEqual(appended, expected);
    assert.ok(!("nonce" in appended), "no nonce key when none was given");
    const [listed] = await s.store.listMessages("lobby", { limit: 1 });
    assert.deepEqual(listed, expected);
    assert.ok(listed && !("nonce" in listed));
  });

  test("appendMessage() keeps the nonce and lists it back", async () => {
    await using s = await openScoped(open);
    const appended = await s.store.appendMessage(newMessage("lobby", { nonce: "n-1 ~!" }));
    await s.store.appendMessage(newMessage("lobby"));
    assert.equal(appended.nonce, "n-1 ~!");
    const listed = await s.store.listMessages("lobby", { limit: 10 });
    assert.equal(listed[0]?.nonce, "n-1 ~!");
    assert.ok(listed[1] && !("nonce" in listed[1]));
  });

  test("listMessages() returns the latest page oldest first", async () => {
    await using s = await openScoped(open);
    const all = await appendMany(s.store, "lobby", 10);
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { limit: 3 })), [8, 9, 10]);
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { limit: 1 })), [10]);
    const everything = await s.store.listMessages("lobby", { limit: 100 });
    assert.deepEqual(everything, all);
    assert.deepEqual(everything.map((m) => m.text), range(1, 10).map((i) => `m${i}`));
  });

  test("listMessages() with before returns the page just before it", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 10);
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { before: 5, limit: 2 })), [3, 4]);
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { before: 3, limit: 50 })), [1, 2]);
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { before: 1, limit: 50 })), []);
    assert.deepEqual(
      seqs(await s.store.listMessages("lobby", { before: 1000, limit: 2 })),
      [9, 10],
    );
  });

  test("listMessages() with after takes the newest or the oldest page after it", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 10);
    const list = async (query: MessageQuery) => seqs(await s.store.listMessages("lobby", query));
    assert.deepEqual(await list({ after: 7, limit: 100 }), [8, 9, 10]);
    assert.deepEqual(await list({ after: 2, limit: 3 }), [8, 9, 10]);
    assert.deepEqual(await list({ after: 2, limit: 3, from: "newest" }), [8, 9, 10]);
    assert.deepEqual(await list({ after: 2, limit: 3, from: "oldest" }), [3, 4, 5]);
    assert.deepEqual(await list({ after: 0, limit: 2, from: "oldest" }), [1, 2]);
    assert.deepEqual(await list({ after: 10, limit: 5 }), []);
    assert.deepEqual(await list({ after: 10, limit: 5, from: "oldest" }), []);
  });

  test("listMessages() with after and before returns the messages between them", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 10);
    const list = async (query: MessageQuery) => seqs(await s.store.listMessages("lobby", query));
    assert.deepEqual(await list({ after: 2, before: 6, limit: 10, from: "oldest" }), [3, 4, 5]);
    assert.deepEqual(await list({ after: 2, before: 9, limit: 2, from: "oldest" }), [3, 4]);
    assert.deepEqual(await list({ after: 2, before: 9, limit: 2 }), [7, 8]);
    assert.deepEqual(await list({ after: 4, before: 5, limit: 10 }), []);
    assert.deepEqual(await list({ after: 5, before: 5, limit: 10, from: "oldest" }), []);
  });

  test("listMessages() and lastSeq() of an empty or unknown room return nothing", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 3);
    assert.deepEqual(await s.store.listMessages("empty", { limit: 50 }), []);
    assert.deepEqual(await s.store.listMessages("empty", { after: 0, limit: 50 }), []);
    assert.deepEqual(await s.store.listMessages("empty", { before: 10, limit: 50 }), []);
    assert.equal(await s.store.lastSeq("empty"), 0);
    // A room whose name extends another's shares nothing with it.
    assert.deepEqual(await s.store.listMessages("lobb", { limit: 50 }), []);
    assert.deepEqual(await s.store.listMessages("lobby2", { limit: 50 }), []);
    assert.equal(await s.store.lastSeq("lobby"), 3);
  });

  test("listMessages() keeps rooms apart", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "a", 3);
    await s.store.appendMessage(newMessage("b", { text: "only b" }));
    const b = await s.store.listMessages("b", { limit: 50 });
    assert.deepEqual(b.map((m) => [m.room, m.seq, m.text]), [["b", 1, "only b"]]);
    const a = await s.store.listMessages("a", { limit: 50 });
    assert.ok(a.every((m) => m.room === "a"));
  });

  // --- presence ---

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

  // --- secrets, health, close ---

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

  test("ping() resolves on an open store", async () => {
    await using s = await openScoped(open);
    assert.equal(await s.store.ping(), undefined);
  });

  test("operations after close() reject with STORE_UNAVAILABLE", async () => {
    const store = await open({ now: Date.now });
    await store.appendMessage(newMessage("lobby"));
    await store.close();
    await store.close(); // idempotent
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["ping", () => store.ping()],
      ["createUser", () => store.createUser(newUser("alice"))],
      ["findUserByCanonicalName", () => store.findUserByCanonicalName("alice")],
      ["findUserById", () => store.findUserById(1)],
      ["updatePasswordHash", () => store.updatePasswordHash(1, "x")],
      ["appendMessage", () => store.appendMessage(newMessage("lobby"))],
      ["listMessages", () => store.listMessages("lobby", { limit: 10 })],
      ["lastSeq", () => store.lastSeq("lobby")],
      ["putPresence", () => store.putPresence("n", "lobby", { users: [], anonymous: 1 }, 1000)],
      ["roomPresence", () => store.roomPresence("lobby")],
      ["clearPresence", () => store.clearPresence("n")],
      ["getOrCreateSecret", () => store.getOrCreateSecret("jwt", () => "v")],
    ];
    for (const [what, attempt] of attempts) {
      await assert.rejects(attempt(), isUnavailable, what);
    }
  });

  test("a failure caused by the input is an error, not STORE_UNAVAILABLE, and stores nothing", async () => {
    await using s = await openScoped(open);
    await assert.rejects(
      s.store.appendMessage(newMessage("lobby", { createdAtMs: Number.NaN })),
      (error: unknown) => {
        assert.ok(!(error instanceof StoreUnavailableError), `got ${error}`);
        assert.ok(error instanceof Error);
        return true;
      },
    );
    assert.equal((await s.store.appendMessage(newMessage("lobby"))).seq, 1);
  });
}
