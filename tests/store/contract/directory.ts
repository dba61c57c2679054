/**
 * The store contract: the public room directory and the list of every room.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ACTIVITY_STEP_MS } from "../../../src/store/api/rooms.ts";
import type { Store } from "../../../src/store/store.ts";
import {
  type ContractTest,
  createUsers,
  isAppError,
  newMessage,
  openScoped,
  range,
  type StoreFactory,
  T0,
} from "./helpers.ts";

/** Every page of the directory, walked `limit` at a time (at most 1,000 pages). */
async function walk(store: Store, limit: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await store.listRooms({ cursor, limit });
    assert.ok(result.rooms.length <= limit);
    names.push(...result.rooms.map((r) => r.name));
    if (result.next === null) return names;
    cursor = result.next;
  }
  throw new Error("the directory did not end");
}

/** Registers this part of the store contract. */
export function directoryContract(test: ContractTest, open: StoreFactory): void {
  test("listRooms() lists public rooms most recently active first; private and direct rooms never", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    const sec = (n: number) => T0 + n * 1000;
    await s.store.createRoom({
      name: "fresh",
      visibility: "public",
      title: "Fresh",
      ownerId: alice!.id,
      createdAtMs: sec(10),
    });
    await s.store.appendMessage(newMessage("lobby", { createdAtMs: sec(5) }));
    await s.store.appendMessage(newMessage("quiet", { createdAtMs: sec(20) }));
    await s.store.appendMessage(newMessage("lobby", { createdAtMs: sec(30) }));
    await s.store.createRoom({
      name: "secret",
      visibility: "private",
      ownerId: alice!.id,
      createdAtMs: T0,
    });
    await s.store.appendMessage(newMessage("secret", { createdAtMs: sec(40) }));
    const dm = await s.store.openDirectRoom(alice!.id, bob!.id, T0);
    await s.store.appendMessage(newMessage(dm.name, { createdAtMs: sec(50) }));
    const page = await s.store.listRooms({ limit: 10 });
    assert.deepEqual(page.rooms.map((r) => r.name), ["lobby", "quiet", "fresh"]);
    assert.equal(page.next, null);
    assert.deepEqual(page.rooms[0], {
      name: "lobby",
      title: null,
      visibility: "public",
      ownerId: null,
      direct: false,
      createdAtMs: null,
      lastSeq: 2,
      lastMessageAtMs: sec(30),
    });
    assert.deepEqual(page.rooms[2], {
      name: "fresh",
      title: "Fresh",
      visibility: "public",
      ownerId: alice!.id,
      direct: false,
      createdAtMs: sec(10),
      lastSeq: 0,
      lastMessageAtMs: null,
    });
    await s.store.appendMessage(newMessage("quiet", { createdAtMs: sec(100) }));
    await s.store.appendMessage(newMessage("fresh", { createdAtMs: sec(90) }));
    assert.deepEqual((await s.store.listRooms({ limit: 3 })).rooms.map((r) => r.name), [
      "quiet",
      "fresh",
      "lobby",
    ]);
  });

  test("a room's place in the directory moves at most once per ACTIVITY_STEP_MS; lastMessageAtMs is exact", async () => {
    await using s = await openScoped(open);
    const names = async () => (await s.store.listRooms({ limit: 10 })).rooms.map((r) => r.name);
    await s.store.appendMessage(newMessage("a", { createdAtMs: T0 }));
    await s.store.appendMessage(newMessage("b", { createdAtMs: T0 + 200 }));
    assert.deepEqual(await names(), ["b", "a"]);
    await s.store.appendMessage(newMessage("a", { createdAtMs: T0 + ACTIVITY_STEP_MS - 1 }));
    assert.deepEqual(await names(), ["b", "a"], "within a step of its activity: it stays");
    assert.equal((await s.store.getRoom("a"))?.lastMessageAtMs, T0 + ACTIVITY_STEP_MS - 1);
    await s.store.appendMessage(newMessage("a", { createdAtMs: T0 + ACTIVITY_STEP_MS }));
    assert.deepEqual(await names(), ["a", "b"]);
    const [first] = (await s.store.listRooms({ limit: 1 })).rooms;
    assert.equal(first?.lastMessageAtMs, T0 + ACTIVITY_STEP_MS);
    assert.equal(first?.lastSeq, 3);
  });

  test("listRooms() pages with its cursor through every room once, ties ordered by name", async () => {
    await using s = await openScoped(open);
    // 30 rooms over 10 instants: three rooms share each.
    for (const i of range(0, 29)) {
      const name = `room-${String(i).padStart(2, "0")}`;
      await s.store.appendMessage(newMessage(name, { createdAtMs: T0 + Math.floor(i / 3) }));
    }
    const expected = range(0, 29).reverse().map((i) => `room-${String(i).padStart(2, "0")}`);
    for (const limit of [1, 4, 7, 30, 100]) assert.deepEqual(await walk(s.store, limit), expected);
    const first = await s.store.listRooms({ limit: 5 });
    assert.equal(typeof first.next, "string");
    const second = await s.store.listRooms({ cursor: first.next!, limit: 5 });
    assert.deepEqual(second.rooms.map((r) => r.name), expected.slice(5, 10));
    assert.deepEqual(await s.store.listRooms({ limit: 0 }), { rooms: [], next: null });
  });

  test("listRooms() walks 1,200 rooms in order, each page read from the index", async () => {
    await using s = await openScoped(open);
    await Promise.all(
      range(1, 1200).map((i) =>
        s.store.appendMessage(newMessage(`r${i}`, { createdAtMs: T0 + i * 1000 }))
      ),
    );
    const names = await walk(s.store, 100);
    assert.deepEqual(names, range(1, 1200).reverse().map((i) => `r${i}`));
  });

  test("listRooms() refuses a cursor it did not give with BAD_QUERY", async () => {
    await using s = await openScoped(open);
    await s.store.appendMessage(newMessage("lobby"));
    const bad = [
      "",
      "garbage!!",
      btoa('{"a":1}'),
      btoa("[1]"),
      btoa('["x","lobby"]'),
      "A".repeat(500),
    ];
    for (const cursor of bad) {
      await assert.rejects(s.store.listRooms({ cursor, limit: 10 }), isAppError(400, "BAD_QUERY"));
    }
  });

  test("listRoomNames() pages through every room, private and direct ones too", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    const expected = new Set(range(1, 23).map((i) => `room${i}`));
    for (const name of expected) await s.store.appendMessage(newMessage(name));
    await s.store.createRoom({
      name: "made",
      visibility: "private",
      ownerId: alice!.id,
      createdAtMs: T0,
    });
    expected.add("made");
    expected.add((await s.store.openDirectRoom(alice!.id, bob!.id, T0)).name);
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const result = await s.store.listRoomNames({ cursor, limit: 5 });
      for (const name of result.names) seen.add(name);
      if (result.next === null) break;
      cursor = result.next;
    }
    assert.deepEqual([...seen].sort(), [...expected].sort());
  });
}
