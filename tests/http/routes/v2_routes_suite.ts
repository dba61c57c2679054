/**
 * The REST routes of issue 12 over one store: the directory (`GET /rooms`),
 * read state (`GET /users/me/rooms`, `PUT /rooms/:room/read`) and message
 * edits (`PATCH /rooms/:room/messages/:seq`), with the permission table's
 * refusals. Registered once per store by `moderation_suites.ts`; every
 * response is held against the OpenAPI document.
 *
 * @module
 */
import assert from "node:assert/strict";
import { UNREAD_CAP } from "../../../src/contract/mod.js";
import {
  createRoom,
  expectStatus,
  type ModerationApp,
  openModerationApp,
  type StoreOpener,
  type TestUser,
} from "./_moderation_app.ts";

/** Appends `count` messages of `user` to `room`, one clock millisecond apart. */
async function seed(t: ModerationApp, room: string, user: TestUser, count: number) {
  for (let i = 1; i <= count; i++) {
    t.clock.now += 1;
    await t.store.appendMessage({
      id: crypto.randomUUID(),
      room,
      sender: user.user,
      text: `message ${i}`,
      createdAtMs: t.clock.now,
    });
  }
}

/** `owner` creates the private room `club` (with `extra` fields) and adds `member`. */
async function privateClub(
  t: ModerationApp,
  owner: TestUser,
  member: TestUser,
  extra: { title?: string } = {},
): Promise<void> {
  await createRoom(t, owner, { name: "club", visibility: "private", ...extra });
  expectStatus(
    await t.call("PUT", `/api/v1/rooms/club/members/${member.user.id}`, { as: owner, body: {} }),
    200,
  );
}

/** The fields of each listed room named by `keys`. */
function pick(rooms: Record<string, unknown>[], ...keys: string[]): unknown[][] {
  return rooms.map((room) => keys.map((key) => room[key]));
}

/** Registers the tests of this part. */
export function v2RoutesSuite(name: string, open: StoreOpener): void {
  const test = (what: string, fn: () => Promise<void>) => Deno.test(`${name}: ${what}`, fn);

  // ------------------------------------------------------------- directory

  test("GET /rooms lists public rooms, most recently active first, paged with next until null", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    for (const room of ["a", "b", "c", "d", "e"]) {
      t.clock.now += 1000;
      await seed(t, room, alice, 1);
    }
    t.clock.now += 1000;
    await createRoom(t, alice, { name: "hidden", visibility: "private" });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const query: string = cursor === null
        ? "?limit=2"
        : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const data = expectStatus(await t.call("GET", `/api/v1/rooms${query}`), 200);
      assert.ok(data.rooms.length <= 2);
      seen.push(...data.rooms.map((r: { name: string }) => r.name));
      cursor = data.next;
      if (cursor === null) break;
    }
    assert.equal(cursor, null, "the last page says so");
    assert.deepEqual(seen, ["e", "d", "c", "b", "a"], "no private room, newest first");
  });

  test("GET /rooms gives each room's title, last seq, last message time and who is online", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    await seed(t, "lobby", alice, 3);
    await t.store.putPresence("node-1", "lobby", { users: [alice.user], anonymous: 2 }, 60_000);
    await t.store.putPresence(
      "node-2",
      "lobby",
      { users: [alice.user, bob.user], anonymous: 1 },
      60_000,
    );
    t.clock.now += 1000;
    await createRoom(t, bob, { name: "news", visibility: "public", title: "The news" });
    const data = expectStatus(await t.call("GET", "/api/v1/rooms"), 200);
    assert.equal(data.next, null);
    const lobby = data.rooms.find((r: { name: string }) => r.name === "lobby");
    assert.deepEqual(lobby, {
      name: "lobby",
      title: null,
      visibility: "public",
      lastSeq: 3,
      lastMessageAt: new Date(t.clock.now - 1000).toISOString(),
      online: { users: 2, anonymous: 3 },
    });
    const news = data.rooms.find((r: { name: string }) => r.name === "news");
    assert.deepEqual(news, {
      name: "news",
      title: "The news",
      visibility: "public",
      lastSeq: 0,
      lastMessageAt: null,
      online: { users: 0, anonymous: 0 },
    });
  });

  test("GET /rooms refuses a bad cursor or limit with 400 BAD_QUERY", async () => {
    await using t = await openModerationApp(open);
    for (
      const query of [
        "?limit=0",
        "?limit=101",
        "?limit=abc",
        "?limit=5&limit=6",
        "?cursor=",
        "?cursor=nonsense",
      ]
    ) {
      const answer = await t.call("GET", `/api/v1/rooms${query}`);
      expectStatus(answer, 400, "BAD_QUERY");
      assert.match(answer.body.error.message, /cursor|limit/, query);
    }
  });

  // ------------------------------------------------------------ read state

  test("GET /users/me/rooms lists the caller's rooms with lastRead, lastSeq and unread", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    await seed(t, "lobby", alice, 2);
    await seed(t, "lobby", bob, 1); // bob posted: lobby is one of bob's rooms
    await seed(t, "lobby", alice, 3);
    await seed(t, "quiet", alice, 1);
    const mine = expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as: bob }), 200);
    // Bob's own message (seq 3) and what came before it are not unread.
    assert.deepEqual(pick(mine.rooms, "name", "role", "lastSeq", "lastRead", "unread"), [
      ["lobby", null, 6, 0, 3],
    ]);
    const marked = expectStatus(
      await t.call("PUT", "/api/v1/rooms/lobby/read", { as: bob, body: { seq: 5 } }),
      200,
    );
    assert.deepEqual(marked, { room: "lobby", lastRead: 5 });
    const after = expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as: bob }), 200);
    assert.deepEqual(pick(after.rooms, "lastRead", "unread"), [[5, 1]]);
    const hers = expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as: alice }), 200);
    assert.deepEqual(hers.rooms.map((r: { name: string }) => r.name), ["quiet", "lobby"]);
  });

  test(`GET /users/me/rooms counts unread up to ${UNREAD_CAP}; memberships are listed with their role`, async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    await privateClub(t, alice, bob, { title: "Club" });
    await seed(t, "club", alice, UNREAD_CAP + 3);
    const mine = expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as: bob }), 200);
    assert.deepEqual(
      pick(mine.rooms, "name", "title", "visibility", "direct", "role", "lastSeq", "unread"),
      [["club", "Club", "private", false, "member", UNREAD_CAP + 3, UNREAD_CAP]],
    );
    expectStatus(
      await t.call("PUT", "/api/v1/rooms/club/read", { as: bob, body: { seq: 10 } }),
      200,
    );
    const after = expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as: bob }), 200);
    assert.deepEqual(pick(after.rooms, "lastRead", "unread"), [[10, UNREAD_CAP - 7]]);
    const hers = expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as: alice }), 200);
    assert.deepEqual(pick(hers.rooms, "name", "role", "unread"), [["club", "owner", 0]]);
  });

  test("PUT /rooms/:room/read clamps to the last seq and never moves back", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    await seed(t, "lobby", alice, 4);
    const read = async (seq: number) =>
      expectStatus(
        await t.call("PUT", "/api/v1/rooms/lobby/read", { as: alice, body: { seq } }),
        200,
      ).lastRead;
    assert.equal(await read(99), 4);
    assert.equal(await read(2), 4);
    assert.equal(await read(0), 4);
    assert.equal(await t.store.getLastRead(alice.user.id, "lobby"), 4);
    assert.equal(
      expectStatus(
        await t.call("PUT", "/api/v1/rooms/empty/read", { as: alice, body: { seq: 3 } }),
        200,
      ).lastRead,
      0,
      "a room without messages has nothing to read",
    );
  });

  test("the read-state routes refuse a missing token, a bad room and a bad body", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    expectStatus(await t.call("GET", "/api/v1/users/me/rooms"), 401, "INVALID_AUTH_TOKEN");
    expectStatus(
      await t.call("GET", "/api/v1/users/me/rooms", { as: "nope" }),
      401,
      "INVALID_AUTH_TOKEN",
    );
    expectStatus(
      await t.call("PUT", "/api/v1/rooms/lobby/read", { body: { seq: 1 } }),
      401,
      "INVALID_AUTH_TOKEN",
    );
    expectStatus(
      await t.call("PUT", "/api/v1/rooms/a%20b/read", { as: alice, body: { seq: 1 } }),
      400,
      "BAD_ROOM_NAME",
    );
    for (const body of [{}, { seq: -1 }, { seq: 1.5 }, { seq: "3" }, [1]]) {
      const answer = await t.call("PUT", "/api/v1/rooms/lobby/read", { as: alice, body });
      expectStatus(answer, 400, "BAD_BINDING");
    }
  });

  test("read state keeps to what the caller may read: private rooms, removed members, bans", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const carol = await t.signIn("carol");
    const dave = await t.signIn("dave");
    const root = await t.signIn("root");
    await privateClub(t, alice, carol);
    await t.app.actions.post({ room: "club", user: carol.user, text: "hi" });
    await seed(t, "club", alice, 3);
    const read = (as: TestUser, room = "club") =>
      t.call("PUT", `/api/v1/rooms/${room}/read`, { as, body: { seq: 99 } });
    // An outsider learns nothing of the room, not even its last seq.
    expectStatus(await read(dave), 403, "NOT_A_MEMBER");
    assert.deepEqual(expectStatus(await read(root), 200), { room: "club", lastRead: 4 });
    assert.deepEqual(expectStatus(await read(carol), 200), { room: "club", lastRead: 4 });
    const rooms = async (as: TestUser) =>
      expectStatus(await t.call("GET", "/api/v1/users/me/rooms", { as }), 200).rooms.map((
        r: { name: string },
      ) => r.name);
    assert.deepEqual(await rooms(carol), ["club"]);
    // Removed, carol posted there but may no longer read it: it leaves her list.
    expectStatus(
      await t.call("DELETE", `/api/v1/rooms/club/members/${carol.user.id}`, { as: alice }),
      200,
    );
    assert.deepEqual(await rooms(carol), []);
    expectStatus(await read(carol), 403, "NOT_A_MEMBER");
    // A public room: a banned user cannot mark it read.
    await seed(t, "lobby", dave, 1);
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/lobby/bans/${dave.user.id}`, { as: root, body: {} }),
      200,
    );
    expectStatus(await read(dave, "lobby"), 403, "BANNED");
  });

  // ---------------------------------------------------------- message edits

  test("PATCH /rooms/:room/messages/:seq lets the author replace the text, and history shows it", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    await seed(t, "lobby", alice, 2);
    const data = expectStatus(
      await t.call("PATCH", "/api/v1/rooms/lobby/messages/2", {
        as: alice,
        body: { text: "fixed" },
      }),
      200,
    );
    assert.equal(data.seq, 2);
    assert.equal(data.text, "fixed");
    assert.equal(data.editedAt, new Date(t.clock.now).toISOString());
    const history = expectStatus(await t.call("GET", "/api/v1/rooms/lobby/messages"), 200);
    assert.deepEqual(history.messages.map((m: { text: string }) => m.text), [
      "message 1",
      "fixed",
    ]);
    assert.equal(await t.store.lastSeq("lobby"), 3, "the edit took a seq of its own");
  });

  test("PATCH /rooms/:room/messages/:seq answers 403, 404, 400 and 401 as the contract says", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    const root = await t.signIn("root");
    await seed(t, "lobby", alice, 1);
    const patch = (seq: string, as: TestUser | undefined, body: unknown) =>
      t.call("PATCH", `/api/v1/rooms/lobby/messages/${seq}`, { as, body });
    expectStatus(await patch("1", bob, { text: "mine now" }), 403, "FORBIDDEN");
    expectStatus(await patch("1", root, { text: "admins too" }), 403, "FORBIDDEN");
    expectStatus(await patch("7", alice, { text: "x" }), 404, "MESSAGE_NOT_FOUND");
    expectStatus(await patch("abc", alice, { text: "x" }), 400, "BAD_QUERY");
    expectStatus(await patch("0", alice, { text: "x" }), 400, "BAD_QUERY");
    const blank = await patch("1", alice, { text: "  " });
    expectStatus(blank, 400, "BAD_TEXT");
    assert.equal(blank.body.error.message, "Cannot edit message 1: text is empty");
    expectStatus(await patch("1", alice, { text: "x".repeat(4001) }), 400, "BAD_TEXT");
    expectStatus(await patch("1", alice, { words: "x" }), 400, "BAD_BINDING");
    expectStatus(await patch("1", undefined, { text: "x" }), 401, "INVALID_AUTH_TOKEN");
    assert.equal((await t.store.findMessage("lobby", 1))?.text, "message 1", "nothing changed");
  });

  test("PATCH is refused to a muted or banned author, and to one removed from a private room", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const carol = await t.signIn("carol");
    await privateClub(t, alice, carol);
    const { seq } = await t.app.actions.post({ room: "club", user: carol.user, text: "mine" });
    const patch = () =>
      t.call("PATCH", `/api/v1/rooms/club/messages/${seq}`, { as: carol, body: { text: "new" } });
    const restrict = async (method: string, kind: "mutes" | "bans") => {
      expectStatus(
        await t.call(method, `/api/v1/rooms/club/${kind}/${carol.user.id}`, {
          as: alice,
          body: method === "PUT" ? {} : undefined,
        }),
        200,
      );
    };
    await restrict("PUT", "mutes");
    expectStatus(await patch(), 403, "MUTED");
    await restrict("DELETE", "mutes");
    await restrict("PUT", "bans");
    expectStatus(await patch(), 403, "BANNED");
    await restrict("DELETE", "bans");
    expectStatus(await patch(), 200);
    expectStatus(
      await t.call("DELETE", `/api/v1/rooms/club/members/${carol.user.id}`, { as: alice }),
      200,
    );
    expectStatus(await patch(), 403, "NOT_A_MEMBER");
    assert.equal((await t.store.findMessage("club", seq))?.text, "new");
  });
}
