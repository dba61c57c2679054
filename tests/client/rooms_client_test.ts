/**
 * The client's rooms helpers against a real server on port 0: creating
 * rooms, the public directory, the caller's rooms with read state, private
 * rooms and their members, direct messages.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ApiError, ChatClient, CLOSE, ClosedError } from "../../src/client/chat_client.js";
import { startServer } from "../_helpers/server.ts";
import { FAST, record, signedIn } from "./_v2.ts";

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => assert.fail("expected a rejection"), (error) => error);
}

Deno.test("createRoom() makes a room the caller owns; a second one of that name is ROOM_EXISTS", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  const room = await alice.createRoom("garden", { title: "The garden" });
  assert.equal(room.name, "garden");
  assert.equal(room.title, "The garden");
  assert.equal(room.visibility, "public");
  const taken = await failure(bob.createRoom("garden"));
  assert.ok(taken instanceof ApiError);
  assert.equal(taken.type, "ROOM_EXISTS");
  assert.equal(taken.status, 409);
  const bad = await failure(alice.createRoom("two words"));
  assert.ok(bad instanceof ApiError);
  assert.equal(bad.type, "BAD_ROOM_NAME");
  const anonymous = await failure(new ChatClient({ baseUrl: server.url }).createRoom("mine"));
  assert.ok(anonymous instanceof ApiError);
  assert.equal(anonymous.type, "INVALID_AUTH_TOKEN");
  const mine = await alice.myRooms();
  assert.deepEqual(mine.map((r) => [r.name, r.role, r.unread]), [["garden", "owner", 0]]);
});

Deno.test("listRooms() lists public rooms, most recently active first, in pages, and never private ones", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  await alice.createRoom("quiet");
  await alice.createRoom("secret", { visibility: "private" });
  {
    await using busy = record(alice, "busy");
    await busy.connection.send("hello");
  }
  const all = await alice.listRooms();
  assert.deepEqual(all.rooms.map((r) => r.name), ["busy", "quiet"]);
  assert.equal(all.rooms[0]?.lastSeq, 1);
  assert.equal(all.next, null);
  const first = await alice.listRooms({ limit: 1 });
  assert.deepEqual(first.rooms.map((r) => r.name), ["busy"]);
  assert.ok(first.next);
  const second = await alice.listRooms({ limit: 1, cursor: first.next ?? undefined });
  assert.deepEqual(second.rooms.map((r) => r.name), ["quiet"]);
  const badCursor = await failure(alice.listRooms({ cursor: "nonsense" }));
  assert.ok(badCursor instanceof ApiError);
  assert.equal(badCursor.type, "BAD_QUERY");
});

Deno.test("myRooms() counts unread messages and markRead() moves the read position", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  await alice.createRoom("news");
  {
    await using b = record(bob, "news");
    for (const text of ["one", "two", "three"]) await b.connection.send(text);
  }
  let news = (await alice.myRooms()).find((r) => r.name === "news");
  assert.deepEqual([news?.lastRead, news?.lastSeq, news?.unread], [0, 3, 3]);
  await alice.markRead("news", 2);
  news = (await alice.myRooms()).find((r) => r.name === "news");
  assert.deepEqual([news?.lastRead, news?.unread], [2, 1]);
  const bobs = (await bob.myRooms()).find((r) => r.name === "news");
  assert.equal(bobs?.role, null, "bob only posted there");
  assert.equal(bobs?.unread, 0, "one's own messages are read");
  const anonymous = await failure(new ChatClient({ baseUrl: server.url }).myRooms());
  assert.ok(anonymous instanceof ApiError);
  assert.equal(anonymous.status, 401);
});

Deno.test("a private room: a non-member's join ends with NOT_A_MEMBER; setMember() lets it in; removeMember() kicks it with 4001", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  await alice.createRoom("club", { visibility: "private" });
  const refused = record(bob, "club");
  await refused.waitForState("closed");
  const [error] = refused.of("error");
  assert.ok(error instanceof ApiError, String(error));
  assert.equal(error.type, "NOT_A_MEMBER");
  const readers = record(new ChatClient({ baseUrl: server.url }), "club");
  await readers.waitForState("closed");
  assert.equal((readers.of("error")[0] as ApiError | undefined)?.type, "INVALID_AUTH_TOKEN");

  const membership = await alice.setMember("club", bob.user?.id ?? 0, "member");
  assert.equal(membership.role, "member");
  await using member = record(bob, "club");
  await member.connection.ready;
  await member.connection.send("thanks for having me");
  assert.equal((await bob.history("club")).messages.length, 1, "members read the history");

  const notAllowed = await failure(bob.setMember("club", alice.user?.id ?? 0, "member"));
  assert.ok(notAllowed instanceof ApiError);
  assert.equal(notAllowed.type, "FORBIDDEN");

  await alice.removeMember("club", bob.user?.id ?? 0);
  await member.waitForState("closed");
  const [kicked] = member.of("error");
  assert.ok(kicked instanceof ClosedError, String(kicked));
  assert.equal(kicked.code, CLOSE.KICKED.code);
  assert.equal(kicked.reason, CLOSE.KICKED.reason);
  assert.equal(member.of("status").filter((s) => s.state === "reconnecting").length, 0);
});

Deno.test("openDm() gives both users the same private room, whoever asks", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  const carol = await signedIn(server.url, "carol");
  const fromAlice = await alice.openDm(bob.user?.id ?? 0);
  const fromBob = await bob.openDm(alice.user?.id ?? 0);
  assert.equal(fromAlice.name, fromBob.name);
  assert.equal(fromAlice.visibility, "private");
  await using a = record(alice, fromAlice.name);
  await a.connection.send("just us");
  await using b = record(bob, fromBob.name);
  await b.until(() => b.of("message").length === 1, "the direct message");
  const outsider = record(carol, fromAlice.name);
  await outsider.waitForState("closed");
  assert.equal((outsider.of("error")[0] as ApiError | undefined)?.type, "NOT_A_MEMBER");
  const nobody = await failure(alice.openDm(9999));
  assert.ok(nobody instanceof ApiError);
  assert.equal(nobody.type, "USER_NOT_FOUND");
});
