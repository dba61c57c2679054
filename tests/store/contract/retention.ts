/**
 * The store contract: retention (issue 11).
 *
 * @module
 */
import assert from "node:assert/strict";
import { pruneAllRooms } from "../../../src/store/retention.ts";
import {
  appendMany,
  type ContractTest,
  createUsers,
  kinds,
  newMessage,
  openScoped,
  seqs,
  type StoreFactory,
  T0,
} from "./helpers.ts";

/** Registers this part of the store contract. */
export function retentionContract(test: ContractTest, open: StoreFactory): void {
  test("pruneRoom() removes the oldest messages with their events and reports prunedThrough", async () => {
    await using s = await openScoped(open);
    const alice = { id: 1, username: "alice" };
    const at = (ms: number) => ({ createdAtMs: T0 + ms });
    await s.store.appendMessage(newMessage("lobby", { text: "old one", ...at(0) })); // 1
    await s.store.appendMessage(newMessage("lobby", at(1000))); // 2
    await s.store.appendMessage(newMessage("lobby", at(2000))); // 3
    const edit = (target: number) =>
      s.store.editMessage({
        room: "lobby",
        target,
        text: `old edit ${target}`,
        editor: alice,
        editedAtMs: T0 + 3000,
      });
    await edit(1); // 4
    await edit(3); // 5
    await s.store.deleteMessage({ room: "lobby", target: 2, by: alice, atMs: T0 + 3000 }); // 6
    await s.store.appendMessage(newMessage("lobby", at(4000))); // 7
    assert.equal(await s.store.oldestKeptSeq("lobby"), 1);

    assert.deepEqual(await s.store.pruneRoom("lobby", T0 + 1500), {
      removed: 1,
      prunedThrough: 1,
      done: true,
    });
    assert.equal(await s.store.oldestKeptSeq("lobby"), 2);
    const kept = await s.store.listEvents("lobby", { after: 0, from: "oldest", limit: 50 });
    assert.deepEqual(kinds(kept), ["message:3", "edit:5", "delete:6", "message:7"]);
    assert.ok(
      !JSON.stringify(kept).includes("old one") && !JSON.stringify(kept).includes("edit 1"),
    );
    assert.equal(await s.store.findMessage("lobby", 1), undefined);

    assert.deepEqual(await s.store.pruneRoom("lobby", T0 + 5000), {
      removed: 2,
      prunedThrough: 7,
      done: true,
    });
    assert.deepEqual(await s.store.listEvents("lobby", { limit: 50 }), []);
    assert.deepEqual(await s.store.listMessages("lobby", { limit: 50 }), []);
    assert.equal(await s.store.lastSeq("lobby"), 7, "the counter never goes back");
    assert.equal(await s.store.oldestKeptSeq("lobby"), 8);
    assert.equal((await s.store.appendMessage(newMessage("lobby"))).seq, 8);
    assert.deepEqual(await s.store.pruneRoom("lobby", T0), {
      removed: 0,
      prunedThrough: 7,
      done: true,
    });
  });

  test("pruneRoom() stops at maxMessages and says when it is done", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 5);
    await s.store.appendMessage(newMessage("lobby", { createdAtMs: T0 + 10_000 }));
    const prune = () => s.store.pruneRoom("lobby", T0 + 1, { maxMessages: 2 });
    assert.deepEqual(await prune(), { removed: 2, prunedThrough: 2, done: false });
    assert.deepEqual(await prune(), { removed: 2, prunedThrough: 4, done: false });
    assert.deepEqual(await prune(), { removed: 1, prunedThrough: 5, done: true });
    assert.deepEqual(await prune(), { removed: 0, prunedThrough: 5, done: true });
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { limit: 10 })), [6]);
    const four = await openScoped(open);
    await using _ = four;
    await appendMany(four.store, "x", 4);
    const pruneFour = () => four.store.pruneRoom("x", T0 + 1, { maxMessages: 2 });
    assert.deepEqual(await pruneFour(), { removed: 2, prunedThrough: 2, done: false });
    assert.deepEqual(await pruneFour(), { removed: 2, prunedThrough: 4, done: true });
  });

  test("pruneRoom() leaves other rooms, and oldestKeptSeq() of an unknown room is 1", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "a", 3);
    await appendMany(s.store, "ab", 3);
    assert.equal((await s.store.pruneRoom("a", T0 + 1)).removed, 3);
    assert.deepEqual(seqs(await s.store.listMessages("ab", { limit: 10 })), [1, 2, 3]);
    assert.equal(await s.store.oldestKeptSeq("ab"), 1);
    assert.equal(await s.store.oldestKeptSeq("nowhere"), 1);
    assert.deepEqual(await s.store.pruneRoom("nowhere", T0 + 1), {
      removed: 0,
      prunedThrough: 0,
      done: true,
    });
  });

  test("pruneAllRooms() prunes every room, private and direct ones too; unread counts what is kept", async () => {
    await using s = await openScoped(open);
    const [alice, bob] = await createUsers(s.store, "alice", "bob");
    await s.store.createRoom({
      name: "club",
      visibility: "private",
      ownerId: alice!.id,
      createdAtMs: T0,
    });
    const dm = await s.store.openDirectRoom(alice!.id, bob!.id, T0);
    for (const room of ["lobby", "club", dm.name]) {
      await appendMany(s.store, room, 3, { sender: bob! });
      await s.store.appendMessage(newMessage(room, { sender: bob!, createdAtMs: T0 + 60_000 }));
    }
    const result = await pruneAllRooms(s.store, T0 + 1, { pageSize: 2, maxMessages: 2 });
    assert.equal(result.removed, 9);
    for (const room of ["lobby", "club", dm.name]) {
      assert.deepEqual(seqs(await s.store.listMessages(room, { limit: 10 })), [4], room);
      assert.equal(await s.store.oldestKeptSeq(room), 4);
    }
    const rooms = await s.store.listUserRooms(alice!.id);
    assert.deepEqual(
      rooms.map((r) => [r.name, r.unread]).sort(),
      [["club", 1], [dm.name, 1]].sort(),
    );
    assert.deepEqual((await s.store.listRooms({ limit: 10 })).rooms.map((r) => r.name), ["lobby"]);
  });
}
