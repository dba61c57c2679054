/**
 * The store contract: appending messages and v1 history.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChatMessage } from "../../../src/model.ts";
import type { MessageQuery } from "../../../src/store/store.ts";
import {
  appendMany,
  type ContractTest,
  newMessage,
  openScoped,
  range,
  seqs,
  type StoreFactory,
} from "./helpers.ts";

/** Registers this part of the store contract. */
export function messagesContract(test: ContractTest, open: StoreFactory): void {
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
}
