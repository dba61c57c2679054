/**
 * §7 over REST, part 3: server admins and server-wide bans, logout and token
 * revocation, the audit log, and the `X-API-Key` server API (404 without
 * `ADMIN_API_KEY`). Registered once per store by `moderation_suites.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { AppError } from "../../../src/errors.ts";
import {
  API_KEY,
  createRoom,
  expectStatus,
  openModerationApp,
  type StoreOpener,
} from "./_moderation_app.ts";

const KEY = { "x-api-key": API_KEY };

/** Registers the tests of this part. */
export function adminSuite(name: string, open: StoreOpener): void {
  const test = (what: string, fn: () => Promise<void>) => Deno.test(`${name}: ${what}`, fn);

  test("a server ban: login answers 403 USER_BANNED, the user's tokens stop working, until it is lifted", async () => {
    await using t = await openModerationApp(open);
    const root = await t.signIn("root");
    const bob = await t.signIn("bob");
    const carol = await t.signIn("carol");
    const ban = (as: typeof root, id: number) =>
      t.call("PUT", `/api/v1/admin/users/${id}/ban`, { as, body: { reason: "abuse" } });
    expectStatus(await ban(bob, carol.user.id), 403, "FORBIDDEN");
    expectStatus(await ban(root, root.user.id), 403, "FORBIDDEN");
    expectStatus(await ban(root, 999), 404, "USER_NOT_FOUND");
    expectStatus(
      await t.call("PUT", `/api/v1/admin/users/${carol.user.id}/ban`, { body: {} }),
      401,
    );
    const put = expectStatus(await ban(root, carol.user.id), 200);
    assert.deepEqual(
      [put.kind, put.room, put.userId, put.reason, put.byId],
      ["ban", null, carol.user.id, "abuse", root.user.id],
    );
    expectStatus(await t.call("GET", "/api/v1/users/me", { as: carol }), 401, "INVALID_AUTH_TOKEN");
    const login = { username: "carol", secret: "correct horse" };
    expectStatus(await t.call("POST", "/api/v1/login", { body: login }), 403, "USER_BANNED");
    // A wrong secret is still just a wrong secret.
    expectStatus(
      await t.call("POST", "/api/v1/login", { body: { ...login, secret: "nope" } }),
      401,
      "PASSWORD_MATCH_FAILED",
    );
    const lift = (as: typeof root) =>
      t.call("DELETE", `/api/v1/admin/users/${carol.user.id}/ban`, { as });
    expectStatus(await lift(bob), 403, "FORBIDDEN");
    assert.deepEqual(expectStatus(await lift(root), 200), { removed: true });
    assert.deepEqual(expectStatus(await lift(root), 200), { removed: false });
    const again = await t.signIn("carol");
    expectStatus(await t.call("GET", "/api/v1/users/me", { as: again }), 200);
    await t.app.actions.post({ room: "lobby", user: again.user, text: "back" });
    expectStatus(await t.call("GET", "/api/v1/users/me", { as: carol }), 401, "INVALID_AUTH_TOKEN");
  });

  test("a server ban lapses with its until", async () => {
    await using t = await openModerationApp(open);
    const root = await t.signIn("root");
    const carol = await t.signIn("carol");
    const until = new Date(t.clock.now + 60_000).toISOString();
    expectStatus(
      await t.call("PUT", `/api/v1/admin/users/${carol.user.id}/ban`, {
        as: root,
        body: { until },
      }),
      200,
    );
    const login = { username: "carol", secret: "correct horse" };
    expectStatus(await t.call("POST", "/api/v1/login", { body: login }), 403, "USER_BANNED");
    t.clock.now += 60_001;
    expectStatus(await t.call("POST", "/api/v1/login", { body: login }), 200);
  });

  test("GET /users/me says whether the caller is a server admin (ADMIN_USERNAMES, caseless)", async () => {
    await using t = await openModerationApp(open, { ADMIN_USERNAMES: "Root" });
    const root = await t.signIn("root");
    const alice = await t.signIn("alice");
    assert.deepEqual(expectStatus(await t.call("GET", "/api/v1/users/me", { as: root }), 200), {
      ...root.user,
      admin: true,
    });
    assert.deepEqual(expectStatus(await t.call("GET", "/api/v1/users/me", { as: alice }), 200), {
      ...alice.user,
      admin: false,
    });
    // /users/:id stays exactly {id, username}, as in v1.
    assert.deepEqual(
      expectStatus(await t.call("GET", `/api/v1/users/${root.user.id}`), 200),
      root.user,
    );
  });

  test("POST /logout revokes the caller's token at once; all: true every token of the caller", async () => {
    await using t = await openModerationApp(open);
    const first = await t.signIn("alice");
    const second = await t.signIn("alice");
    const third = await t.signIn("alice");
    const bob = await t.signIn("bob");
    const me = (as: typeof first) => t.call("GET", "/api/v1/users/me", { as });
    assert.deepEqual(
      expectStatus(await t.call("POST", "/api/v1/logout", { as: first, body: {} }), 200),
      { revoked: "token" },
    );
    expectStatus(await me(first), 401, "INVALID_AUTH_TOKEN");
    expectStatus(await me(second), 200);
    expectStatus(await t.call("POST", "/api/v1/logout", { as: first, body: {} }), 401);
    assert.deepEqual(
      expectStatus(
        await t.call("POST", "/api/v1/logout", { as: second, body: { all: true } }),
        200,
      ),
      { revoked: "all" },
    );
    expectStatus(await me(second), 401, "INVALID_AUTH_TOKEN");
    expectStatus(await me(third), 401, "INVALID_AUTH_TOKEN");
    expectStatus(await me(bob), 200, undefined);
    const fourth = await t.signIn("alice");
    expectStatus(await me(fourth), 200);
    // Another node of the same store learns it from the store's feed.
    const elsewhere = t.app.moderation.revocations;
    await elsewhere.refresh();
    await assert.rejects(t.app.tokens.verify(third.token), (e: AppError) => e.status === 401);
    expectStatus(await t.call("POST", "/api/v1/logout", { body: {} }), 401, "INVALID_AUTH_TOKEN");
    expectStatus(
      await t.call("POST", "/api/v1/logout", { as: fourth, body: { all: 1 } }),
      400,
      "BAD_BINDING",
    );
  });

  test("the audit log records every moderation action, for admins only", async () => {
    await using t = await openModerationApp(open, { ADMIN_API_KEY: API_KEY });
    const [root, alice, bob] = [
      await t.signIn("root"),
      await t.signIn("alice"),
      await t.signIn("bob"),
    ];
    await createRoom(t, alice, { name: "club", visibility: "public" });
    const steps: Array<[string, string, unknown]> = [
      ["PUT", `/api/v1/rooms/club/members/${bob.user.id}`, { role: "moderator" }],
      ["PUT", `/api/v1/rooms/club/mutes/${bob.user.id}`, {}],
      ["DELETE", `/api/v1/rooms/club/mutes/${bob.user.id}`, undefined],
      ["DELETE", `/api/v1/rooms/club/members/${bob.user.id}`, undefined],
    ];
    for (const [method, path, body] of steps) {
      expectStatus(await t.call(method, path, { as: alice, body }), 200);
    }
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/club/bans/${bob.user.id}`, {
        as: root,
        body: { reason: "r" },
      }),
      200,
    );
    expectStatus(
      await t.call("DELETE", `/api/v1/rooms/club/bans/${bob.user.id}`, { as: root }),
      200,
    );
    expectStatus(
      await t.call("PUT", `/api/v1/admin/users/${bob.user.id}/ban`, { headers: KEY, body: {} }),
      200,
    );
    expectStatus(
      await t.call("DELETE", `/api/v1/admin/users/${bob.user.id}/ban`, { as: root }),
      200,
    );
    expectStatus(
      await t.call("POST", `/api/v1/admin/users/${alice.user.id}/disconnect`, {
        headers: KEY,
        body: {},
      }),
      200,
    );
    const page = expectStatus(await t.call("GET", "/api/v1/admin/audit", { as: root }), 200);
    assert.deepEqual(
      page.entries.map((e: { action: string; actor: { username: string } | null }) => [
        e.action,
        e.actor?.username ?? null,
      ]),
      [
        ["user.disconnect", null],
        ["user.unban", "root"],
        ["user.ban", null],
        ["room.unban", "root"],
        ["room.ban", "root"],
        ["member.remove", "alice"],
        ["room.unmute", "alice"],
        ["room.mute", "alice"],
        ["member.put", "alice"],
      ],
    );
    const ban = page.entries.find((e: { action: string }) => e.action === "room.ban");
    assert.equal(ban.room, "club");
    assert.equal(ban.targetUserId, bob.user.id);
    assert.deepEqual(JSON.parse(ban.detail), { until: null, reason: "r" });
    assert.ok(Date.parse(ban.at) > 0);
    // Pages, newest first.
    const first = expectStatus(
      await t.call("GET", "/api/v1/admin/audit?limit=4", { as: root }),
      200,
    );
    assert.equal(first.entries.length, 4);
    const rest = expectStatus(
      await t.call("GET", `/api/v1/admin/audit?before=${first.next}&limit=100`, { headers: KEY }),
      200,
    );
    assert.equal(rest.entries.length, 5);
    assert.equal(rest.next, null);
    expectStatus(await t.call("GET", "/api/v1/admin/audit", { as: alice }), 403, "FORBIDDEN");
    expectStatus(await t.call("GET", "/api/v1/admin/audit"), 401, "INVALID_AUTH_TOKEN");
    expectStatus(
      await t.call("GET", "/api/v1/admin/audit", { headers: { "x-api-key": "wrong" } }),
      401,
      "INVALID_API_KEY",
    );
    expectStatus(
      await t.call("GET", "/api/v1/admin/audit?limit=0", { as: root }),
      400,
      "BAD_QUERY",
    );
  });

  test("the server API answers 404 on every route while ADMIN_API_KEY is unset", async () => {
    await using t = await openModerationApp(open);
    const root = await t.signIn("root");
    const calls: Array<[string, string, unknown]> = [
      ["POST", "/api/v1/admin/rooms/lobby/messages", { bot: "b", text: "hi" }],
      ["DELETE", "/api/v1/admin/rooms/lobby/messages/1", undefined],
      ["POST", `/api/v1/admin/users/${root.user.id}/disconnect`, {}],
      ["GET", "/api/v1/admin/rooms", undefined],
      ["PUT", `/api/v1/admin/users/${root.user.id}/ban`, {}],
      ["GET", "/api/v1/admin/audit", undefined],
    ];
    for (const [method, path, body] of calls) {
      expectStatus(await t.call(method, path, { body, headers: KEY }), 404, "NOT_FOUND");
    }
  });

  test("the server API posts as a named bot, deletes, disconnects and lists every room", async () => {
    await using t = await openModerationApp(open, { ADMIN_API_KEY: API_KEY });
    const alice = await t.signIn("alice");
    await createRoom(t, alice, { name: "hidden", visibility: "private" });
    const say = (room: string, body: unknown, headers: Record<string, string> = KEY) =>
      t.call("POST", `/api/v1/admin/rooms/${room}/messages`, { headers, body });
    expectStatus(await say("lobby", { bot: "deploy-bot", text: "hi" }, {}), 401, "INVALID_API_KEY");
    expectStatus(await say("lobby", { bot: "deploy-bot", text: "hi" }, { "x-api-key": "k" }), 401);
    const message = expectStatus(await say("lobby", { bot: "deploy-bot", text: "v2 is out" }), 201);
    assert.equal(message.sender.username, "deploy-bot");
    assert.equal(message.text, "v2 is out");
    const again = expectStatus(
      await say("hidden", { bot: "Deploy-Bot", text: "private too" }),
      201,
    );
    assert.equal(again.sender.id, message.sender.id, "one account per bot name");
    const page = expectStatus(await t.call("GET", "/api/v1/rooms/lobby/messages"), 200);
    assert.deepEqual(page.messages.map((m: { text: string }) => m.text), ["v2 is out"]);
    expectStatus(await say("lobby", { bot: "alice", text: "impersonation" }), 409, "USER_EXISTS");
    expectStatus(await say("lobby", { bot: " ", text: "x" }), 400, "BAD_USERNAME");
    expectStatus(await say("lobby", { bot: "b", text: " " }), 400, "BAD_TEXT");
    expectStatus(await say("bad name", { bot: "b", text: "x" }), 400, "BAD_ROOM_NAME");
    // Nobody logs in as a bot.
    expectStatus(
      await t.call("POST", "/api/v1/login", { body: { username: "deploy-bot", secret: "bot" } }),
      401,
      "PASSWORD_MATCH_FAILED",
    );
    const seq = message.seq;
    const deleted = expectStatus(
      await t.call("DELETE", `/api/v1/admin/rooms/lobby/messages/${seq}`, { headers: KEY }),
      200,
    );
    assert.equal(deleted.target, seq);
    assert.equal(deleted.by.username, "server");
    assert.equal(await t.store.findMessage("lobby", seq), undefined);
    expectStatus(
      await t.call("DELETE", `/api/v1/admin/rooms/lobby/messages/${seq}`, { headers: KEY }),
      404,
      "MESSAGE_NOT_FOUND",
    );
    const rooms = expectStatus(await t.call("GET", "/api/v1/admin/rooms", { headers: KEY }), 200);
    assert.deepEqual(rooms.rooms.map((r: { name: string }) => r.name).sort(), ["hidden", "lobby"]);
    const gone = expectStatus(
      await t.call("POST", `/api/v1/admin/users/${alice.user.id}/disconnect`, {
        headers: KEY,
        body: { room: "hidden" },
      }),
      200,
    );
    assert.deepEqual(gone, { userId: alice.user.id, room: "hidden" });
    expectStatus(
      await t.call("POST", "/api/v1/admin/users/999/disconnect", { headers: KEY, body: {} }),
      404,
      "USER_NOT_FOUND",
    );
    // A bearer token, even an admin's, is not the key.
    const root = await t.signIn("root");
    expectStatus(await t.call("GET", "/api/v1/admin/rooms", { as: root }), 401, "INVALID_API_KEY");
  });
}
