/**
 * The store contract: created rooms, memberships and direct-message rooms
 * (CONTRACT §7).
 *
 * @module
 */
import assert from "node:assert/strict";
import { directRoomName } from "../../../src/store/direct_room.ts";
import type { RoomRecord } from "../../../src/store/store.ts";
import {
  type ContractTest,
  createUsers,
  isAppError,
  isConflict,
  isNotFound,
  newMessage,
  openScoped,
  range,
  type StoreFactory,
  T0,
} from "./helpers.ts";

const isForbidden = isAppError(403, "FORBIDDEN");

/** Registers this part of the store contract. */
export function roomsContract(test: ContractTest, open: StoreFactory): void {
  test("createRoom() makes an owned room whose owner is its first member", async () => {
    await using s = await openScoped(open);
    const [alice] = await createUsers(s.store, "alice");
    const created = await s.store.createRoom({
      name: "club",
      visibility: "private",
      title: "The club",
      ownerId: alice!.id,
      createdAtMs: T0,
    });
    const expected: RoomRecord = {
      name: "club",
      title: "The club",
      visibility: "private",
      ownerId: alice!.id,
      direct: false,
      createdAtMs: T0,
      lastSeq: 0,
      lastMessageAtMs: null,
    };
    assert.deepEqual(created, expected);
    assert.deepEqual(await s.store.getRoom("club"), expected);
    const owner = { room: "club", user: alice, role: "owner", sinceMs: T0 };
    assert.deepEqual(await s.store.getMembership("club", alice!.id), owner);
    assert.deepEqual(await s.store.listMembers("club"), [owner]);
    const plain = await s.store.createRoom({
      name: "plain",
      visibility: "public",
      ownerId: alice!.id,
      createdAtMs: T0 + 1,
    });
    assert.equal(plain.title, null);
    assert.equal(plain.visibility, "public");
  });

  test("a room only written to is public, ownerless and untitled; an unknown one is undefined", async () => {
    await using s = await openScoped(open);
    await s.store.appendMessage(newMessage("lobby", { createdAtMs: T0 + 5 }));
    assert.deepEqual(await s.store.getRoom("lobby"), {
      name: "lobby",
      title: null,
      visibility: "public",
      ownerId: null,
      direct: false,
      createdAtMs: null,
      lastSeq: 1,
      lastMessageAtMs: T0 + 5,
    });
    assert.equal(await s.store.getRoom("nowhere"), undefined);
    assert.equal(await s.store.getRoom("lobb"), undefined);
  });

  test("createRoom() refuses with ROOM_EXISTS a name with an owner, a message or a direct-message room", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    const room = (name: string, ownerId = alice!.id) =>
      s.store.createRoom({ name, visibility: "public", ownerId, createdAtMs: T0 });
    await room("club");
    await assert.rejects(room("club", bob!.id), isConflict("ROOM_EXISTS"));
    await s.store.appendMessage(newMessage("lobby"));
    await assert.rejects(room("lobby"), isConflict("ROOM_EXISTS"));
    const dm = await s.store.openDirectRoom(alice!.id, bob!.id, T0);
    await assert.rejects(room(dm.name), isConflict("ROOM_EXISTS"));
    assert.equal((await s.store.getRoom("club"))?.ownerId, alice!.id, "the first owner stays");
    const raced = await Promise.allSettled(range(1, 8).map(() => room("contested")));
    assert.equal(raced.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of raced) if (r.status === "rejected") isConflict("ROOM_EXISTS")(r.reason);
    assert.equal((await s.store.listMembers("contested")).length, 1);
  });

  test("createRoom() with an unknown owner is USER_NOT_FOUND and creates nothing", async () => {
    await using s = await openScoped(open);
    await assert.rejects(
      s.store.createRoom({ name: "club", visibility: "public", ownerId: 999, createdAtMs: T0 }),
      isNotFound("USER_NOT_FOUND"),
    );
    assert.equal(await s.store.getRoom("club"), undefined);
  });

  test("putMember() adds or changes a role, keeping when it began; removeMember() ends it", async () => {
    await using s = await openScoped(open);
    const [alice, bob, carol] = await createUsers(s.store, "alice", "bob", "carol");
    await s.store.createRoom({
      name: "club",
      visibility: "private",
      ownerId: alice!.id,
      createdAtMs: T0,
    });
    assert.deepEqual(await s.store.putMember("club", bob!.id, "member", T0 + 1), {
      room: "club",
      user: bob,
      role: "member",
      sinceMs: T0 + 1,
    });
    await s.store.putMember("club", carol!.id, "member", T0 + 2);
    const promoted = await s.store.putMember("club", bob!.id, "moderator", T0 + 3);
    assert.deepEqual(promoted, { room: "club", user: bob, role: "moderator", sinceMs: T0 + 1 });
    assert.deepEqual(await s.store.getMembership("club", bob!.id), promoted);
    assert.deepEqual(
      (await s.store.listMembers("club")).map((m) => [m.user.id, m.role]),
      [[alice!.id, "owner"], [bob!.id, "moderator"], [carol!.id, "member"]],
    );
    assert.equal(await s.store.removeMember("club", carol!.id), true);
    assert.equal(await s.store.removeMember("club", carol!.id), false);
    assert.equal(await s.store.getMembership("club", carol!.id), undefined);
    assert.equal(await s.store.removeMember("nowhere", carol!.id), false);
    assert.equal(await s.store.getMembership("other", bob!.id), undefined);
  });

  test("putMember() and removeMember() refuse the owner's membership and unknown rooms or users", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    await s.store.createRoom({
      name: "club",
      visibility: "public",
      ownerId: alice!.id,
      createdAtMs: T0,
    });
    await assert.rejects(s.store.putMember("club", alice!.id, "member", T0), isForbidden);
    await assert.rejects(s.store.removeMember("club", alice!.id), isForbidden);
    assert.equal((await s.store.getMembership("club", alice!.id))?.role, "owner");
    await assert.rejects(
      s.store.putMember("nowhere", bob!.id, "member", T0),
      isNotFound("ROOM_NOT_FOUND"),
    );
    await assert.rejects(
      s.store.putMember("club", 999, "member", T0),
      isNotFound("USER_NOT_FOUND"),
    );
    // A room joined without being created can have moderators too.
    await s.store.appendMessage(newMessage("lobby"));
    assert.equal((await s.store.putMember("lobby", bob!.id, "moderator", T0)).role, "moderator");
  });

  test("openDirectRoom() gives two users one private room, whoever asks and however often", async () => {
    await using s = await openScoped(open);
    const [alice, bob, carol] = await createUsers(s.store, "alice", "bob", "carol");
    const dm = await s.store.openDirectRoom(bob!.id, alice!.id, T0);
    assert.deepEqual(dm, {
      name: directRoomName(alice!.id, bob!.id),
      title: null,
      visibility: "private",
      ownerId: null,
      direct: true,
      createdAtMs: T0,
      lastSeq: 0,
      lastMessageAtMs: null,
    });
    assert.equal(dm.name, `dm:${alice!.id}:${bob!.id}`);
    const again = await Promise.all(
      range(1, 10).map((i) =>
        i % 2
          ? s.store.openDirectRoom(alice!.id, bob!.id, T0 + i)
          : s.store.openDirectRoom(bob!.id, alice!.id, T0 + i)
      ),
    );
    for (const room of again) assert.deepEqual(room, dm);
    assert.deepEqual(
      (await s.store.listMembers(dm.name)).map((m) => [m.user.id, m.role]),
      [[alice!.id, "member"], [bob!.id, "member"]],
    );
    await assert.rejects(s.store.putMember(dm.name, carol!.id, "member", T0), isForbidden);
    await assert.rejects(s.store.removeMember(dm.name, bob!.id), isForbidden);
    const own = await s.store.openDirectRoom(carol!.id, carol!.id, T0);
    assert.deepEqual((await s.store.listMembers(own.name)).map((m) => m.user.id), [carol!.id]);
  });

  test("openDirectRoom() refuses unknown users and a name already used by another room", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    await assert.rejects(s.store.openDirectRoom(alice!.id, 999, T0), isNotFound("USER_NOT_FOUND"));
    assert.equal(await s.store.getRoom(directRoomName(alice!.id, 999)), undefined);
    await s.store.appendMessage(newMessage(directRoomName(alice!.id, bob!.id)));
    await assert.rejects(s.store.openDirectRoom(alice!.id, bob!.id, T0), isConflict("ROOM_EXISTS"));
  });
}
