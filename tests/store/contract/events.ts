/**
 * The store contract: edits, deletes, replies and the logged-event query (one
 * `seq` per room counts every logged event, CONTRACT §6).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { EditEvent, PublicUser } from "../../../src/model.ts";
import type { Store } from "../../../src/store/store.ts";
import {
  appendMany,
  type ContractTest,
  isNotFound,
  kinds,
  newMessage,
  openScoped,
  range,
  seqs,
  type StoreFactory,
  T0,
} from "./helpers.ts";

const alice: PublicUser = { id: 1, username: "alice" };
const bob: PublicUser = { id: 2, username: "bob" };
const V1_KEYS = new Set([
  "id",
  "seq",
  "room",
  "sender",
  "text",
  "createTime",
  "createdAt",
  "nonce",
]);
const iso = (ms: number) => new Date(ms).toISOString();

const edit = (store: Store, room: string, target: number, text: string, at = T0 + 1000) =>
  store.editMessage({ room, target, text, editor: alice, editedAtMs: at });
const remove = (store: Store, room: string, target: number, by = alice) =>
  store.deleteMessage({ room, target, by, atMs: T0 + 2000 });

/** Registers this part of the store contract. */
export function eventsContract(test: ContractTest, open: StoreFactory): void {
  test("editMessage() logs an edit with the next seq and changes the message in place", async () => {
    await using s = await openScoped(open);
    const [first] = await appendMany(s.store, "lobby", 2);
    const result = await s.store.editMessage({
      room: "lobby",
      target: 1,
      text: "m1 edited",
      editor: alice,
      editedAtMs: T0 + 1000,
      nonce: "e-1",
    });
    const expectedEvent: EditEvent = {
      type: "edit",
      seq: 3,
      room: "lobby",
      target: 1,
      text: "m1 edited",
      editedAt: iso(T0 + 1000),
      sender: alice,
      nonce: "e-1",
    };
    assert.deepEqual(result.event, expectedEvent);
    const edited = { ...first!, text: "m1 edited", editedAt: iso(T0 + 1000) };
    assert.deepEqual(result.message, edited);
    assert.equal(await s.store.lastSeq("lobby"), 3);
    assert.deepEqual(await s.store.findMessage("lobby", 1), edited);
    const v1 = await s.store.listMessages("lobby", { limit: 10 });
    assert.deepEqual(v1.map((m) => [m.seq, m.text]), [[1, "m1 edited"], [2, "m2"]]);
    assert.ok(!("editedAt" in v1[0]!), "v1 history keeps the v1 shape");
    const events = await s.store.listEvents("lobby", { after: 0, from: "oldest", limit: 10 });
    assert.deepEqual(kinds(events), ["message:1", "message:2", "edit:3"]);
    assert.deepEqual(events[0], { type: "message", ...edited });
    assert.deepEqual(events[2], expectedEvent);
  });

  test("deleteMessage() logs a delete and erases the text of the message and of its edits", async () => {
    await using s = await openScoped(open);
    await s.store.appendMessage(newMessage("lobby", { text: "first secret", nonce: "n-1" }));
    await s.store.appendMessage(newMessage("lobby", { text: "kept" }));
    await edit(s.store, "lobby", 1, "edited secret");
    const event = await s.store.deleteMessage({
      room: "lobby",
      target: 1,
      by: bob,
      atMs: T0 + 2000,
      nonce: "d-1",
    });
    assert.deepEqual(event, {
      type: "delete",
      seq: 4,
      room: "lobby",
      target: 1,
      by: bob,
      nonce: "d-1",
    });
    assert.equal(await s.store.lastSeq("lobby"), 4);
    assert.equal(await s.store.findMessage("lobby", 1), undefined);
    assert.deepEqual(seqs(await s.store.listMessages("lobby", { limit: 10 })), [2]);
    const events = await s.store.listEvents("lobby", { limit: 10 });
    assert.deepEqual(kinds(events), ["message:2", "delete:4"]);
    const everything = JSON.stringify([
      events,
      await s.store.listEvents("lobby", { after: 0, from: "oldest", limit: 10 }),
      await s.store.listMessages("lobby", { after: 0, limit: 10 }),
    ]);
    assert.ok(!everything.includes("secret"), everything);
    assert.ok(!everything.includes("n-1"), "the deleted message's nonce is gone too");
  });

  test("editMessage() and deleteMessage() refuse a target that is not a kept message with MESSAGE_NOT_FOUND", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 2);
    await edit(s.store, "lobby", 2, "two"); // seq 3 is an edit
    await remove(s.store, "lobby", 1); // seq 4 is a delete
    for (const target of [1, 3, 4, 5, 99, 0, -1]) {
      await assert.rejects(edit(s.store, "lobby", target, "x"), isNotFound("MESSAGE_NOT_FOUND"));
      await assert.rejects(remove(s.store, "lobby", target), isNotFound("MESSAGE_NOT_FOUND"));
    }
    await assert.rejects(edit(s.store, "elsewhere", 2, "x"), isNotFound("MESSAGE_NOT_FOUND"));
    await assert.rejects(remove(s.store, "elsewhere", 2), isNotFound("MESSAGE_NOT_FOUND"));
    assert.equal(await s.store.lastSeq("lobby"), 4, "a refused change takes no seq");
    assert.equal(await s.store.lastSeq("elsewhere"), 0);
    assert.equal((await s.store.appendMessage(newMessage("lobby"))).seq, 5);
  });

  test("appendMessage() with replyTo keeps it for v2 and refuses a target that is not a kept message", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 2);
    const reply = await s.store.appendMessage(newMessage("lobby", { text: "re", replyTo: 1 }));
    assert.equal(reply.seq, 3);
    assert.equal(reply.replyTo, 1);
    assert.equal((await s.store.findMessage("lobby", 3))?.replyTo, 1);
    const [v1] = await s.store.listMessages("lobby", { limit: 1 });
    assert.ok(v1 && !("replyTo" in v1), "v1 history leaves replyTo out");
    const [event] = await s.store.listEvents("lobby", { limit: 1 });
    assert.deepEqual(event, { type: "message", ...reply });
    await remove(s.store, "lobby", 2);
    for (const target of [2, 4, 99]) {
      await assert.rejects(
        s.store.appendMessage(newMessage("lobby", { replyTo: target })),
        isNotFound("MESSAGE_NOT_FOUND"),
      );
    }
    await assert.rejects(
      s.store.appendMessage(newMessage("other", { replyTo: 1 })),
      isNotFound("MESSAGE_NOT_FOUND"),
    );
    assert.equal(await s.store.lastSeq("lobby"), 4);
    assert.equal(await s.store.lastSeq("other"), 0);
  });

  test("listMessages() counts messages, not seqs, so a v1 page and hasMore stay exact around edits and deletes", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 6);
    await remove(s.store, "lobby", 2); // 7
    await remove(s.store, "lobby", 4); // 8
    await edit(s.store, "lobby", 5, "five"); // 9
    await edit(s.store, "lobby", 5, "FIVE"); // 10
    const list = async (query: Parameters<Store["listMessages"]>[1]) =>
      seqs(await s.store.listMessages("lobby", query));
    assert.deepEqual(await list({ limit: 3 }), [3, 5, 6]);
    assert.deepEqual(await list({ limit: 4 }), [1, 3, 5, 6]);
    assert.deepEqual(await list({ limit: 50 }), [1, 3, 5, 6]);
    assert.deepEqual(await list({ before: 5, limit: 2 }), [1, 3]);
    assert.deepEqual(await list({ before: 5, limit: 3 }), [1, 3]);
    assert.deepEqual(await list({ after: 1, limit: 2, from: "oldest" }), [3, 5]);
    assert.deepEqual(await list({ after: 1, before: 6, limit: 10 }), [3, 5]);
    assert.deepEqual(await list({ after: 6, limit: 10 }), []);
    // The REST route asks limit + 1 and slices: two pages of two.
    const first = await list({ limit: 3 });
    assert.deepEqual([first.length > 2, first.slice(-2)], [true, [5, 6]]);
    const second = await list({ before: 5, limit: 3 });
    assert.deepEqual([second.length > 2, second], [false, [1, 3]]);
    const messages = await s.store.listMessages("lobby", { limit: 50 });
    assert.equal(messages.find((m) => m.seq === 5)?.text, "FIVE");
    for (const m of messages) {
      for (const key of Object.keys(m)) assert.ok(V1_KEYS.has(key), `v1 key ${key}`);
    }
  });

  test("listEvents() pages by events returned, oldest or newest, between seqs", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "lobby", 6);
    await remove(s.store, "lobby", 2); // 7
    await remove(s.store, "lobby", 4); // 8
    await edit(s.store, "lobby", 5, "five"); // 9
    await edit(s.store, "lobby", 5, "FIVE"); // 10
    const list = async (query: Parameters<Store["listEvents"]>[1]) =>
      kinds(await s.store.listEvents("lobby", query));
    assert.deepEqual(await list({ after: 0, from: "oldest", limit: 3 }), [
      "message:1",
      "message:3",
      "message:5",
    ]);
    assert.deepEqual(await list({ after: 5, from: "oldest", limit: 10 }), [
      "message:6",
      "delete:7",
      "delete:8",
      "edit:9",
      "edit:10",
    ]);
    assert.deepEqual(await list({ limit: 2 }), ["edit:9", "edit:10"]);
    assert.deepEqual(await list({ after: 2, before: 8, limit: 10 }), [
      "message:3",
      "message:5",
      "message:6",
      "delete:7",
    ]);
    assert.deepEqual(await list({ after: 10, limit: 10 }), []);
    assert.deepEqual(kinds(await s.store.listEvents("other", { limit: 10 })), []);
  });

  test("findMessage() returns a kept message and undefined for anything else", async () => {
    await using s = await openScoped(open);
    const appended = await s.store.appendMessage(newMessage("lobby", { nonce: "n-1" }));
    assert.deepEqual(await s.store.findMessage("lobby", 1), appended);
    await edit(s.store, "lobby", 1, "new");
    assert.equal(await s.store.findMessage("lobby", 2), undefined, "an edit is no message");
    assert.equal(await s.store.findMessage("lobby", 3), undefined);
    assert.equal(await s.store.findMessage("lobb", 1), undefined);
    assert.equal(await s.store.findMessage("lobby2", 1), undefined);
  });

  test("edits and deletes racing appends share one gapless seq", async () => {
    await using s = await openScoped(open);
    await appendMany(s.store, "busy", 20);
    const results = await Promise.all([
      ...range(1, 20).map((i) => s.store.appendMessage(newMessage("busy", { text: `n${i}` }))),
      ...range(1, 10).map((i) => edit(s.store, "busy", i, `e${i}`).then((r) => r.event)),
      ...range(11, 15).map((i) => remove(s.store, "busy", i)),
    ]);
    assert.deepEqual(seqs(results).sort((a, b) => a - b), range(21, 55));
    assert.equal(await s.store.lastSeq("busy"), 55);
    const events = await s.store.listEvents("busy", { after: 20, from: "oldest", limit: 100 });
    assert.deepEqual(seqs(events), range(21, 55));
    const texts = (await s.store.listMessages("busy", { before: 21, limit: 100 })).map((m) =>
      m.text
    );
    assert.deepEqual(texts, [
      ...range(1, 10).map((i) => `e${i}`),
      ...range(16, 20).map((i) => `m${i}`),
    ]);
  });
}
