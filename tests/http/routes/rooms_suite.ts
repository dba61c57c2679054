/**
 * §7 over REST, part 1: creating rooms, private rooms in history, room info,
 * the user and member lists and the directory, memberships with roles, and
 * direct messages. Registered once per store by `moderation_suites.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  createRoom,
  expectStatus,
  openModerationApp,
  type StoreOpener,
} from "./_moderation_app.ts";

/** Registers the tests of this part. */
export function roomsSuite(name: string, open: StoreOpener): void {
  const test = (what: string, fn: () => Promise<void>) => Deno.test(`${name}: ${what}`, fn);

  test("POST /rooms creates a room the caller owns; a name with an owner or a message is taken", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    const room = await createRoom(t, alice, {
      name: "lounge",
      visibility: "public",
      title: "The lounge",
    });
    assert.deepEqual(room, {
      name: "lounge",
      title: "The lounge",
      visibility: "public",
      ownerId: alice.user.id,
      direct: false,
      createdAt: new Date(room.createdAt).toISOString(),
      lastSeq: 0,
      lastMessageAt: null,
    });
    const members = expectStatus(await t.call("GET", "/api/v1/rooms/lounge/members"), 200);
    assert.deepEqual(
      members.members.map((m: { user: { id: number }; role: string }) => [m.user.id, m.role]),
      [[alice.user.id, "owner"]],
    );
    const again = { name: "lounge", visibility: "private" };
    expectStatus(
      await t.call("POST", "/api/v1/rooms", { as: bob, body: again }),
      409,
      "ROOM_EXISTS",
    );
    // A room that has a message (joined and written to, as in v1) is taken too.
    await t.app.actions.post({ room: "busy", user: bob.user, text: "first" });
    const busy = { name: "busy", visibility: "public" };
    expectStatus(
      await t.call("POST", "/api/v1/rooms", { as: alice, body: busy }),
      409,
      "ROOM_EXISTS",
    );
  });

  test("POST /rooms refuses a missing token, a bad body, a bad name and the direct-message form", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const post = (body: unknown) => t.call("POST", "/api/v1/rooms", { as: alice, body });
    expectStatus(
      await t.call("POST", "/api/v1/rooms", { body: { name: "x", visibility: "public" } }),
      401,
      "INVALID_AUTH_TOKEN",
    );
    expectStatus(await post({ name: "x", visibility: "secret" }), 400, "BAD_BINDING");
    expectStatus(await post({ name: "x" }), 400, "BAD_BINDING");
    expectStatus(await post({ name: "x", visibility: "public", title: " " }), 400, "BAD_BINDING");
    expectStatus(await post({ name: "two words", visibility: "public" }), 400, "BAD_ROOM_NAME");
    expectStatus(await post({ name: "dm:1:2", visibility: "private" }), 400, "BAD_ROOM_NAME");
  });

  test("a private room's history, info, users and members are for members and admins only", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    const root = await t.signIn("root");
    await createRoom(t, alice, { name: "secret", visibility: "private" });
    await t.app.actions.post({ room: "secret", user: alice.user, text: "for members" });
    for (const path of ["/messages", "", "/users", "/members"]) {
      const url = `/api/v1/rooms/secret${path}`;
      expectStatus(await t.call("GET", url), 401, "INVALID_AUTH_TOKEN");
      expectStatus(await t.call("GET", url, { as: bob }), 403, "NOT_A_MEMBER");
      expectStatus(await t.call("GET", url, { as: alice }), 200);
      expectStatus(await t.call("GET", url, { as: root }), 200);
    }
    const page = expectStatus(
      await t.call("GET", "/api/v1/rooms/secret/messages", { as: alice }),
      200,
    );
    assert.deepEqual(page.messages.map((m: { text: string }) => m.text), ["for members"]);
    // The directory lists public rooms only.
    await t.app.actions.post({ room: "open", user: bob.user, text: "hi" });
    const directory = expectStatus(await t.call("GET", "/api/v1/rooms"), 200);
    assert.deepEqual(directory.rooms.map((r: { name: string }) => r.name), ["open"]);
    // A public room reads no token, as in v1: even a malformed one is not looked at.
    expectStatus(await t.call("GET", "/api/v1/rooms/open/messages", { as: "not a token" }), 200);
  });

  test("members: the owner and moderators add members, only the owner makes moderators", async () => {
    await using t = await openModerationApp(open);
    const [alice, bob, carol, dave] = [
      await t.signIn("alice"),
      await t.signIn("bob"),
      await t.signIn("carol"),
      await t.signIn("dave"),
    ];
    await createRoom(t, alice, { name: "team", visibility: "private" });
    const put = (as: typeof alice, user: typeof alice, role?: string) =>
      t.call("PUT", `/api/v1/rooms/team/members/${user.user.id}`, {
        as,
        body: role === undefined ? {} : { role },
      });
    const remove = (as: typeof alice, user: typeof alice) =>
      t.call("DELETE", `/api/v1/rooms/team/members/${user.user.id}`, { as });
    const membership = expectStatus(await put(alice, bob), 200);
    assert.deepEqual(
      { room: membership.room, user: membership.user, role: membership.role },
      { room: "team", user: bob.user, role: "member" },
    );
    expectStatus(await t.call("GET", "/api/v1/rooms/team/messages", { as: bob }), 200);
    expectStatus(await put(bob, carol), 403, "FORBIDDEN");
    expectStatus(await put(alice, bob, "moderator"), 200);
    expectStatus(await put(bob, carol), 200);
    expectStatus(await put(bob, carol, "moderator"), 403, "FORBIDDEN");
    expectStatus(await put(bob, bob, "member"), 403, "FORBIDDEN");
    expectStatus(await remove(bob, alice), 403, "FORBIDDEN");
    expectStatus(await put(dave, carol), 403, "NOT_A_MEMBER");
    assert.deepEqual(expectStatus(await remove(bob, carol), 200), { removed: true });
    assert.deepEqual(expectStatus(await remove(bob, carol), 200), { removed: false });
    expectStatus(
      await t.call("GET", "/api/v1/rooms/team/messages", { as: carol }),
      403,
      "NOT_A_MEMBER",
    );
    const listed = expectStatus(
      await t.call("GET", "/api/v1/rooms/team/members", { as: bob }),
      200,
    );
    assert.deepEqual(
      listed.members.map((
        m: { user: { username: string }; role: string },
      ) => [m.user.username, m.role]),
      [["alice", "owner"], ["bob", "moderator"]],
    );
  });

  test("members: unknown users and rooms, bad ids and roles get typed errors", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const root = await t.signIn("root");
    await createRoom(t, alice, { name: "team", visibility: "public" });
    const path = (room: string, id: string | number) => `/api/v1/rooms/${room}/members/${id}`;
    expectStatus(
      await t.call("PUT", path("team", 999), { as: alice, body: {} }),
      404,
      "USER_NOT_FOUND",
    );
    expectStatus(await t.call("PUT", path("team", "x"), { as: alice, body: {} }), 400, "BAD_QUERY");
    expectStatus(
      await t.call("PUT", path("team", root.user.id), { as: alice, body: { role: "king" } }),
      400,
      "BAD_BINDING",
    );
    expectStatus(
      await t.call("PUT", path("team", root.user.id), { body: {} }),
      401,
      "INVALID_AUTH_TOKEN",
    );
    // Only created rooms have members; an ownerless room is the admins' to moderate.
    expectStatus(
      await t.call("PUT", path("nowhere", alice.user.id), { as: root, body: {} }),
      404,
      "ROOM_NOT_FOUND",
    );
    expectStatus(
      await t.call("PUT", path("nowhere", root.user.id), { as: alice, body: {} }),
      403,
      "FORBIDDEN",
    );
  });

  test("POST /dms opens the same private room of two users whoever asks; others stay out", async () => {
    await using t = await openModerationApp(open);
    const [alice, bob, carol, root] = [
      await t.signIn("alice"),
      await t.signIn("bob"),
      await t.signIn("carol"),
      await t.signIn("root"),
    ];
    const room = expectStatus(
      await t.call("POST", "/api/v1/dms", { as: alice, body: { userId: bob.user.id } }),
      200,
    );
    const low = Math.min(alice.user.id, bob.user.id);
    const high = Math.max(alice.user.id, bob.user.id);
    assert.equal(room.name, `dm:${low}:${high}`);
    assert.equal(room.visibility, "private");
    assert.equal(room.direct, true);
    assert.equal(room.ownerId, null);
    const back = expectStatus(
      await t.call("POST", "/api/v1/dms", { as: bob, body: { userId: alice.user.id } }),
      200,
    );
    assert.equal(back.name, room.name);
    const history = `/api/v1/rooms/${room.name}/messages`;
    expectStatus(await t.call("GET", history, { as: bob }), 200);
    expectStatus(await t.call("GET", history, { as: carol }), 403, "NOT_A_MEMBER");
    expectStatus(await t.call("GET", history), 401, "INVALID_AUTH_TOKEN");
    // Its members are fixed, even for an admin.
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/${room.name}/members/${carol.user.id}`, {
        as: root,
        body: {},
      }),
      403,
      "FORBIDDEN",
    );
    expectStatus(
      await t.call("POST", "/api/v1/dms", { as: alice, body: { userId: 999 } }),
      404,
      "USER_NOT_FOUND",
    );
    expectStatus(
      await t.call("POST", "/api/v1/dms", { as: alice, body: { userId: "2" } }),
      400,
      "BAD_BINDING",
    );
    expectStatus(
      await t.call("POST", "/api/v1/dms", { body: { userId: 2 } }),
      401,
      "INVALID_AUTH_TOKEN",
    );
    // A name of that form that is no direct room yet is nobody's: it cannot be read or taken.
    const future = `dm:${high}:${high + 50}`;
    expectStatus(
      await t.call("GET", `/api/v1/rooms/${future}/messages`, { as: carol }),
      403,
      "NOT_A_MEMBER",
    );
  });
}
