/**
 * The message service on a real `:memory:` store: permission check, then
 * store, then bus, for every action; nothing reaches the store or the bus
 * that a check refused.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RoomActions } from "../../src/chat/room_actions.ts";
import { authorPolicy, type RoomPolicy, type RoomRequest } from "../../src/chat/room_policy.ts";
import { AppError, ForbiddenError } from "../../src/errors.ts";
import type { LoggedEvent, PublicUser } from "../../src/model.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";

async function setup(policy: RoomPolicy = authorPolicy) {
  const store: Store = openSqliteStore({ path: ":memory:" });
  const alice = await store.createUser({
    username: "alice",
    canonical: "alice",
    passwordHash: "x",
  });
  const bob = await store.createUser({ username: "bob", canonical: "bob", passwordHash: "x" });
  const published: LoggedEvent[] = [];
  const reads: Array<[string, number, number, string | undefined]> = [];
  let id = 0;
  const actions = new RoomActions({
    store,
    bus: { publish: (event) => published.push(event) },
    reads: { read: (room, user, seq, origin) => reads.push([room, user.id, seq, origin]) },
    policy,
    now: () => 1_764_000_000_000,
    newId: () => `m${++id}`,
  });
  return {
    store,
    alice,
    bob,
    published,
    reads,
    actions,
    [Symbol.asyncDispose]: () => store.close(),
  };
}

/** Asserts that `promise` rejects with an AppError of `status` and `type`. */
async function rejectsWith(promise: Promise<unknown>, status: number, type: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.type, type);
    return true;
  });
}

Deno.test("post() stores the message, then publishes its message event", async () => {
  await using t = await setup();
  const event = await t.actions.post({ room: "lobby", user: t.alice, text: "hi", nonce: "n" });
  assert.equal(event.type, "message");
  assert.equal(event.seq, 1);
  assert.equal(event.nonce, "n");
  assert.deepEqual(t.published, [event]);
  const reply = await t.actions.post({ room: "lobby", user: t.bob, text: "yes", replyTo: 1 });
  assert.equal(reply.replyTo, 1);
  assert.deepEqual((await t.store.findMessage("lobby", 2))?.replyTo, 1);
});

Deno.test("post() refuses a blank, too long or broken text with BAD_TEXT, storing nothing", async () => {
  await using t = await setup();
  for (const text of ["", "   \n", "x".repeat(4001), "\ud800"]) {
    await rejectsWith(t.actions.post({ room: "lobby", user: t.alice, text }), 400, "BAD_TEXT");
  }
  await rejectsWith(
    t.actions.post({ room: "lobby", user: t.alice, text: "hi", replyTo: 9 }),
    404,
    "MESSAGE_NOT_FOUND",
  );
  assert.equal(await t.store.lastSeq("lobby"), 0);
  assert.deepEqual(t.published, []);
});

Deno.test("edit() lets the author replace the text, and refuses anyone else or an unknown target", async () => {
  await using t = await setup();
  await t.actions.post({ room: "lobby", user: t.alice, text: "hi" });
  const { event, message } = await t.actions.edit({
    room: "lobby",
    user: t.alice,
    target: 1,
    text: "hello",
    nonce: "e1",
  });
  assert.deepEqual(
    [event.type, event.seq, event.target, event.text, event.nonce],
    ["edit", 2, 1, "hello", "e1"],
  );
  assert.equal(message.text, "hello");
  assert.equal(typeof message.editedAt, "string");
  await rejectsWith(
    t.actions.edit({ room: "lobby", user: t.bob, target: 1, text: "mine" }),
    403,
    "FORBIDDEN",
  );
  await rejectsWith(
    t.actions.edit({ room: "lobby", user: t.alice, target: 2, text: "an edit is no message" }),
    404,
    "MESSAGE_NOT_FOUND",
  );
  await rejectsWith(
    t.actions.edit({ room: "lobby", user: t.alice, target: 1, text: " " }),
    400,
    "BAD_TEXT",
  );
  assert.equal((await t.store.findMessage("lobby", 1))?.text, "hello");
  assert.deepEqual(t.published.map((e) => e.type), ["message", "edit"]);
});

Deno.test("remove() lets the author delete: the text leaves the store and the delete event is published", async () => {
  await using t = await setup();
  await t.actions.post({ room: "lobby", user: t.alice, text: "secret" });
  await rejectsWith(t.actions.remove({ room: "lobby", user: t.bob, target: 1 }), 403, "FORBIDDEN");
  const event = await t.actions.remove({ room: "lobby", user: t.alice, target: 1 });
  assert.deepEqual([event.type, event.seq, event.target, event.by.id], [
    "delete",
    2,
    1,
    t.alice.id,
  ]);
  assert.equal(await t.store.findMessage("lobby", 1), undefined);
  assert.ok(!JSON.stringify(await t.store.listEvents("lobby", { limit: 10 })).includes("secret"));
  await rejectsWith(
    t.actions.remove({ room: "lobby", user: t.alice, target: 1 }),
    404,
    "MESSAGE_NOT_FOUND",
  );
  assert.deepEqual(t.published.map((e) => e.type), ["message", "delete"]);
});

Deno.test("every action asks the policy first, with what it is about, and a refusal stops it", async () => {
  const asked: string[] = [];
  const policy: RoomPolicy = {
    check(request: RoomRequest) {
      const about = request.action === "post" ? "" : ` ${request.message.seq}`;
      asked.push(`${request.action} ${request.user.username} ${request.room}${about}`);
      return request.user.username === "bob"
        ? Promise.reject(new ForbiddenError("MUTED", "Cannot post: you are muted"))
        : Promise.resolve();
    },
  };
  await using t = await setup(policy);
  await t.actions.post({ room: "lobby", user: t.alice, text: "hi" });
  await rejectsWith(t.actions.post({ room: "lobby", user: t.bob, text: "hi" }), 403, "MUTED");
  await rejectsWith(t.actions.remove({ room: "lobby", user: t.bob, target: 1 }), 403, "MUTED");
  await t.actions.remove({ room: "lobby", user: t.alice, target: 1 });
  assert.deepEqual(asked, [
    "post alice lobby",
    "post bob lobby",
    "delete bob lobby 1",
    "delete alice lobby 1",
  ]);
  assert.equal(await t.store.lastSeq("lobby"), 2);
});

Deno.test("markRead() stores lastRead (clamped, forward only) and tells the reader's other sockets", async () => {
  await using t = await setup();
  for (let i = 0; i < 3; i++) await t.actions.post({ room: "lobby", user: t.alice, text: `m${i}` });
  assert.equal(await t.actions.markRead("lobby", t.bob, 2, "tab-1"), 2);
  assert.equal(await t.actions.markRead("lobby", t.bob, 99), 3);
  assert.equal(await t.actions.markRead("lobby", t.bob, 1), 3);
  assert.equal(await t.store.getLastRead(t.bob.id, "lobby"), 3);
  assert.deepEqual(t.reads, [
    ["lobby", t.bob.id, 2, "tab-1"],
    ["lobby", t.bob.id, 3, undefined],
    ["lobby", t.bob.id, 3, undefined],
  ]);
});

Deno.test("authorPolicy lets anyone post and only the author edit or delete", async () => {
  const alice: PublicUser = { id: 1, username: "alice" };
  const bob: PublicUser = { id: 2, username: "bob" };
  const message = {
    id: "m",
    seq: 4,
    room: "r",
    sender: alice,
    text: "t",
    createTime: 0,
    createdAt: "1970-01-01T00:00:00.000Z",
  };
  await authorPolicy.check({ action: "post", user: bob, room: "r" });
  await authorPolicy.check({ action: "edit", user: alice, room: "r", message });
  await authorPolicy.check({ action: "delete", user: alice, room: "r", message });
  await rejectsWith(
    authorPolicy.check({ action: "edit", user: bob, room: "r", message }),
    403,
    "FORBIDDEN",
  );
  await assert.rejects(
    authorPolicy.check({ action: "delete", user: bob, room: "r", message }),
    /Cannot delete message 4 of room "r": only its author may/,
  );
});
