/**
 * Rooms of a v2 stream (the store's event log with holes, `loggedWire`) on a
 * real store: what members of each protocol version and frame mode receive
 * live, as history and as a `since` resume, when messages are edited and
 * deleted.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChatMessage } from "../../src/model.ts";
import { FakeMember, waitFor } from "./_fake_member.ts";
import { ALICE, BOB, openV2Room } from "./_v2_room.ts";

type Event = { type: string; seq: number; target?: number; text?: string };

/** Every event a member received, as `type seq` (`edit 3>1` for an edit of 1). */
function shapes(member: FakeMember): string[] {
  return member.frames.flatMap((frame) =>
    (JSON.parse(frame) as Event[]).map((e) =>
      e.type === undefined ? `v1 ${e.seq}` : `${e.type} ${e.seq}${e.target ? `>${e.target}` : ""}`
    )
  );
}

for (const batch of [false, true]) {
  const mode = batch ? "batch=1" : "one event per frame";

  Deno.test(`${mode}: a v2 member gets every logged event live, a v1 member the messages only, byte for byte`, async () => {
    await using t = await openV2Room();
    const v1 = new FakeMember(batch, BOB, 1);
    const v2 = new FakeMember(batch, BOB, 2);
    await t.rooms.join("lobby", v1);
    await t.rooms.join("lobby", v2);
    const first = await t.post("lobby", "hello");
    await t.actions.edit({ room: "lobby", user: ALICE, target: 1, text: "hello again" });
    const second = await t.post("lobby", "bye", BOB);
    await t.actions.remove({ room: "lobby", user: BOB, target: 3 });
    await waitFor("four events", () => shapes(v2).length === 4);
    assert.deepEqual(shapes(v2), ["message 1", "edit 2>1", "message 3", "delete 4>3"]);
    await waitFor("two messages", () => shapes(v1).length === 2);
    // The v1 frames are the v1 messages as the store returned them, nothing added.
    const stored = await t.store.listMessages("lobby", { limit: 10 });
    assert.equal(stored.length, 1, "the deleted message is gone from v1 history");
    const v1Messages = v1.frames.flatMap((f) => JSON.parse(f) as ChatMessage[]);
    const { type: _t, ...firstV1 } = first;
    const { type: _u, ...secondV1 } = second;
    assert.deepEqual(v1Messages, [firstV1, secondV1]);
    if (!batch) {
      assert.deepEqual(v1.frames, [JSON.stringify([firstV1]), JSON.stringify([secondV1])]);
      assert.ok(v2.frames.every((f) => (JSON.parse(f) as unknown[]).length === 1));
    }
    assert.ok(!v1.frames.some((f) => f.includes('"type"')), "no v2 field in a v1 frame");
  });

  Deno.test(`${mode}: a join's history is folded for v2 and current for v1, from the cache or the store alike`, async () => {
    for (const recentKept of [100, 0]) {
      await using t = await openV2Room({ recentKept });
      const early = new FakeMember(batch, BOB, 2);
      await t.rooms.join("lobby", early); // the stream follows the room from here
      await t.post("lobby", "one");
      await t.post("lobby", "two");
      await t.actions.edit({ room: "lobby", user: ALICE, target: 1, text: "one, edited" });
      await t.actions.remove({ room: "lobby", user: ALICE, target: 2 });
      await t.post("lobby", "three");
      await waitFor("the stream to deliver", () => shapes(early).length === 5);
      const v1 = new FakeMember(batch, BOB, 1);
      const v2 = new FakeMember(batch, BOB, 2);
      await t.rooms.join("lobby", v1);
      await t.rooms.join("lobby", v2);
      const label = `recentKept ${recentKept}`;
      assert.deepEqual(shapes(v2), ["message 1", "edit 3>1", "delete 4>2", "message 5"], label);
      const v2Events = v2.frames.flatMap((f) => JSON.parse(f) as Event[]);
      assert.equal(v2Events[0]!.text, "one, edited", `${label}: the message carries its edit`);
      assert.ok(!JSON.stringify(v2Events).includes('"two"'), `${label}: deleted text never sent`);
      assert.deepEqual(shapes(v1), ["v1 1", "v1 5"], label);
      const v1Messages = v1.frames.flatMap((f) => JSON.parse(f) as ChatMessage[]);
      assert.deepEqual(v1Messages.map((m) => m.text), ["one, edited", "three"], label);
      assert.ok(!("editedAt" in v1Messages[0]!), `${label}: no v2 field in v1 history`);
      assert.equal(v2.frames.length, batch ? 1 : 4, label);
    }
  });

  Deno.test(`${mode}: since replays the logged events after it for v2, the messages after it for v1`, async () => {
    await using t = await openV2Room({ recentKept: 0 });
    await t.post("lobby", "one");
    await t.post("lobby", "two");
    await t.actions.edit({ room: "lobby", user: ALICE, target: 2, text: "two, edited" });
    await t.post("lobby", "four");
    const v1 = new FakeMember(batch, BOB, 1);
    const v2 = new FakeMember(batch, BOB, 2);
    await t.rooms.join("lobby", v1, { since: 1 });
    await t.rooms.join("lobby", v2, { since: 2 });
    assert.deepEqual(shapes(v2), ["edit 3>2", "message 4"]);
    assert.deepEqual(shapes(v1), ["v1 2", "v1 4"]);
    // Then the live stream, without a gap or a duplicate at the seam.
    await t.post("lobby", "five");
    await waitFor("the live message", () => shapes(v2).length === 3 && shapes(v1).length === 3);
    assert.deepEqual(shapes(v2).at(-1), "message 5");
    assert.deepEqual(shapes(v1).at(-1), "v1 5");
  });
}

Deno.test("a gap whose message was deleted is filled with a hole: the stream moves on, and no one is sent it", async () => {
  await using t = await openV2Room({ recentKept: 0 });
  const v1 = new FakeMember(false, BOB, 1);
  const v2 = new FakeMember(false, BOB, 2);
  await t.rooms.join("lobby", v1);
  await t.rooms.join("lobby", v2);
  await t.post("lobby", "one");
  // Message 2 is stored but never reaches the bus; then it is deleted (event 3 does).
  await t.store.appendMessage({
    id: "lost",
    room: "lobby",
    sender: ALICE,
    text: "lost",
    createdAtMs: 1_764_000_000_000,
  });
  await t.actions.remove({ room: "lobby", user: ALICE, target: 2 });
  await t.post("lobby", "four");
  await waitFor("the events after the gap", () => shapes(v2).length === 3);
  assert.deepEqual(shapes(v2), ["message 1", "delete 3>2", "message 4"]);
  assert.deepEqual(shapes(v1), ["v1 1", "v1 4"]);
  assert.ok(!v2.frames.some((f) => f.includes("hole") || f.includes("lost")));
});

Deno.test("an event no v1 member is sent writes no frame to v1 members, in either frame mode", async () => {
  await using t = await openV2Room();
  const members = [new FakeMember(false, BOB, 1), new FakeMember(true, BOB, 1)];
  for (const m of members) await t.rooms.join("lobby", m);
  await t.post("lobby", "one");
  await waitFor("the message", () => members.every((m) => m.frames.length === 1));
  await t.actions.edit({ room: "lobby", user: ALICE, target: 1, text: "edited" });
  await t.actions.remove({ room: "lobby", user: ALICE, target: 1 });
  await t.post("lobby", "sentinel");
  await waitFor("the sentinel", () => members.every((m) => m.frames.length === 2));
  assert.deepEqual(members.map((m) => m.frameSizes), [[1, 1], [1, 1]]);
});
