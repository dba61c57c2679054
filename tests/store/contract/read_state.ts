/**
 * The store contract: read state and a user's rooms (issue 12).
 *
 * @module
 */
import assert from "node:assert/strict";
import { UNREAD_CAP } from "../../../src/store/store.ts";
import {
  appendMany,
  type ContractTest,
  createUsers,
  newMessage,
  openScoped,
  type StoreFactory,
  T0,
} from "./helpers.ts";

/** Registers this part of the store contract. */
export function readStateContract(test: ContractTest, open: StoreFactory): void {
  test("setLastRead() only moves forward, clamped to the room's last seq, unless allowed back", async () => {
    await using s = await openScoped(open);
    const bob = { id: 2, username: "bob" };
    await appendMany(s.store, "lobby", 5, { sender: bob });
    const alice = 1;
    assert.equal(await s.store.getLastRead(alice, "lobby"), 0);
    assert.equal(await s.store.setLastRead(alice, "lobby", 3), 3);
    assert.equal(await s.store.setLastRead(alice, "lobby", 2), 3);
    assert.equal(await s.store.getLastRead(alice, "lobby"), 3);
    assert.equal(await s.store.setLastRead(alice, "lobby", 99), 5);
    assert.equal(await s.store.setLastRead(alice, "lobby", -4, { allowBackward: true }), 0);
    assert.equal(await s.store.setLastRead(alice, "lobby", 2, { allowBackward: true }), 2);
    assert.equal(await s.store.getLastRead(alice, "lobby"), 2);
    assert.equal(await s.store.getLastRead(bob.id, "lobby"), 0, "posting does not move lastRead");
    assert.equal(await s.store.setLastRead(alice, "nowhere", 5), 0);
    assert.equal(await s.store.getLastRead(alice, "other"), 0);
  });

  test("listUserRooms() lists memberships and rooms posted in, most recently active first, with unread", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    const sec = (n: number) => T0 + n * 1000;
    const say = (room: string, sender: typeof alice, at: number) =>
      s.store.appendMessage(
        newMessage(room, { sender: sender!, createdAtMs: at, text: `at ${at}` }),
      );
    for (let i = 1; i <= 4; i++) await say("lobby", bob, sec(i));
    await say("lobby", alice, sec(5)); // seq 5: unread counts only what came after it
    await say("lobby", bob, sec(6));
    await say("lobby", bob, sec(7));
    await s.store.createRoom({
      name: "club",
      visibility: "private",
      ownerId: alice!.id,
      createdAtMs: sec(2),
    });
    await s.store.putMember("club", bob!.id, "member", sec(2));
    for (let i = 10; i <= 12; i++) await say("club", bob, sec(i));
    await say("news", bob, sec(20));
    await s.store.setLastRead(alice!.id, "news", 1); // reading alone does not make it one's room
    const rooms = await s.store.listUserRooms(alice!.id);
    assert.deepEqual(
      rooms.map((r) => [r.name, r.role, r.lastRead, r.lastSeq, r.unread]),
      [["club", "owner", 0, 3, 3], ["lobby", null, 0, 7, 2]],
    );
    assert.equal(rooms[0]!.visibility, "private");
    assert.equal(rooms[1]!.lastMessageAtMs, sec(7));
    // Edit and delete events are no unread messages; a deleted one no longer counts.
    await s.store.editMessage({
      room: "lobby",
      target: 7,
      text: "x",
      editor: bob!,
      editedAtMs: sec(30),
    });
    await s.store.deleteMessage({ room: "lobby", target: 6, by: bob!, atMs: sec(31) });
    await s.store.setLastRead(alice!.id, "club", 2);
    const after = await s.store.listUserRooms(alice!.id);
    assert.deepEqual(
      after.map((r) => [r.name, r.lastRead, r.lastSeq, r.unread]),
      [["club", 2, 3, 1], ["lobby", 0, 9, 1]],
    );
    // Bob's own newest messages close each of his rooms' unread count.
    assert.deepEqual(
      (await s.store.listUserRooms(bob!.id)).map((r) => [r.name, r.role, r.unread]),
      [
        ["news", null, 0],
        ["club", "member", 0],
        ["lobby", null, 0],
      ],
    );
    await say("lobby", alice, sec(40));
    await say("lobby", bob, sec(41));
    assert.equal(
      (await s.store.listUserRooms(alice!.id)).find((r) => r.name === "lobby")?.unread,
      1,
    );
    assert.equal((await s.store.listUserRooms(bob!.id))[0]?.name, "lobby");
    assert.deepEqual(await s.store.listUserRooms(999), []);
  });

  test("listUserRooms() counts unread up to UNREAD_CAP and includes direct rooms", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    const dm = await s.store.openDirectRoom(alice!.id, bob!.id, T0);
    await appendMany(s.store, dm.name, UNREAD_CAP + 5, { sender: bob! });
    const [room] = await s.store.listUserRooms(alice!.id);
    assert.deepEqual([room?.name, room?.role, room?.lastSeq, room?.unread], [
      dm.name,
      "member",
      UNREAD_CAP + 5,
      UNREAD_CAP,
    ]);
    await s.store.setLastRead(alice!.id, dm.name, 4);
    assert.equal((await s.store.listUserRooms(alice!.id))[0]?.unread, UNREAD_CAP);
    await s.store.setLastRead(alice!.id, dm.name, 10);
    assert.equal((await s.store.listUserRooms(alice!.id))[0]?.unread, UNREAD_CAP - 5);
    await s.store.setLastRead(alice!.id, dm.name, UNREAD_CAP - 2);
    assert.equal((await s.store.listUserRooms(alice!.id))[0]?.unread, 7);
    await s.store.appendMessage(newMessage(dm.name, { sender: alice! }));
    assert.equal((await s.store.listUserRooms(alice!.id))[0]?.unread, 0);
  });
}
