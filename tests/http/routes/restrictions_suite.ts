/**
 * §7 over REST, part 2: deleting messages (the text leaves the store), room
 * bans with expiry and reason, mutes, and what server admins may do in any
 * room. Registered once per store by `moderation_suites.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { AppError } from "../../../src/errors.ts";
import {
  createRoom,
  expectStatus,
  type ModerationApp,
  openModerationApp,
  type StoreOpener,
  type TestUser,
} from "./_moderation_app.ts";

/** A created room with an owner (alice), a moderator (bob) and a member (carol), and dave outside. */
async function club(t: ModerationApp, visibility: "public" | "private" = "public") {
  const [alice, bob, carol, dave] = [
    await t.signIn("alice"),
    await t.signIn("bob"),
    await t.signIn("carol"),
    await t.signIn("dave"),
  ];
  await createRoom(t, alice, { name: "club", visibility });
  for (const [user, role] of [[bob, "moderator"], [carol, "member"]] as const) {
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/club/members/${user.user.id}`, {
        as: alice,
        body: { role },
      }),
      200,
    );
  }
  return { alice, bob, carol, dave };
}

async function post(t: ModerationApp, room: string, user: TestUser, text: string) {
  return (await t.app.actions.post({ room, user: user.user, text })).seq;
}

/** Registers the tests of this part. */
export function restrictionsSuite(name: string, open: StoreOpener): void {
  const test = (what: string, fn: () => Promise<void>) => Deno.test(`${name}: ${what}`, fn);

  test("DELETE a message: its author may, others may not; the text leaves the store", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    const first = await post(t, "lobby", alice, "a secret I regret");
    const second = await post(t, "lobby", bob, "bob's");
    const url = (seq: number | string) => `/api/v1/rooms/lobby/messages/${seq}`;
    expectStatus(await t.call("DELETE", url(first), { as: bob }), 403, "FORBIDDEN");
    const event = expectStatus(await t.call("DELETE", url(first), { as: alice }), 200);
    assert.deepEqual(event, {
      type: "delete",
      seq: 3,
      room: "lobby",
      target: first,
      by: alice.user,
    });
    assert.equal(await t.store.findMessage("lobby", first), undefined);
    const history = await t.store.listMessages("lobby", { limit: 10 });
    assert.deepEqual(history.map((m) => m.seq), [second]);
    const events = await t.store.listEvents("lobby", { after: 0, from: "oldest", limit: 10 });
    assert.deepEqual(events.map((e) => e.type), ["message", "delete"]);
    assert.ok(!JSON.stringify(events).includes("regret"), "no trace of the text in the log");
    expectStatus(await t.call("DELETE", url(first), { as: alice }), 404, "MESSAGE_NOT_FOUND");
    expectStatus(await t.call("DELETE", url(99), { as: alice }), 404, "MESSAGE_NOT_FOUND");
    expectStatus(await t.call("DELETE", url("x"), { as: alice }), 400, "BAD_QUERY");
    expectStatus(await t.call("DELETE", url(second)), 401, "INVALID_AUTH_TOKEN");
  });

  test("DELETE a message: the owner, moderators and admins delete anyone's, and it is audited", async () => {
    await using t = await openModerationApp(open);
    const { alice, bob, carol, dave } = await club(t);
    const root = await t.signIn("root");
    const seqs = [
      await post(t, "club", carol, "one"),
      await post(t, "club", dave, "two"),
      await post(t, "club", alice, "three"),
    ];
    const url = (seq: number) => `/api/v1/rooms/club/messages/${seq}`;
    expectStatus(await t.call("DELETE", url(seqs[0]!), { as: dave }), 403, "FORBIDDEN");
    expectStatus(await t.call("DELETE", url(seqs[0]!), { as: bob }), 200);
    expectStatus(await t.call("DELETE", url(seqs[1]!), { as: alice }), 200);
    expectStatus(await t.call("DELETE", url(seqs[2]!), { as: root }), 200);
    const audit = expectStatus(await t.call("GET", "/api/v1/admin/audit", { as: root }), 200);
    const deletes = audit.entries.filter((e: { action: string }) => e.action === "message.delete");
    assert.deepEqual(
      deletes.map((e: { actor: { username: string }; targetUserId: number; room: string }) => [
        e.actor.username,
        e.targetUserId,
        e.room,
      ]),
      [["root", alice.user.id, "club"], ["alice", dave.user.id, "club"], [
        "bob",
        carol.user.id,
        "club",
      ]],
    );
  });

  test("DELETE in a private room: a non-member is refused before it learns whether the message exists", async () => {
    await using t = await openModerationApp(open);
    const { carol, dave } = await club(t, "private");
    const seq = await post(t, "club", carol, "members only");
    for (const target of [seq, 99]) {
      expectStatus(
        await t.call("DELETE", `/api/v1/rooms/club/messages/${target}`, { as: dave }),
        403,
        "NOT_A_MEMBER",
      );
    }
  });

  test("bans: a moderator bans with an expiry and a reason; the banned user is refused until it lapses", async () => {
    await using t = await openModerationApp(open);
    const { alice, bob, carol, dave } = await club(t);
    const own = await post(t, "club", carol, "before the ban");
    const until = new Date(t.clock.now + 60_000).toISOString();
    const ban = expectStatus(
      await t.call("PUT", `/api/v1/rooms/club/bans/${carol.user.id}`, {
        as: bob,
        body: { until, reason: "spam" },
      }),
      200,
    );
    assert.deepEqual(
      { ...ban, at: undefined },
      {
        kind: "ban",
        room: "club",
        userId: carol.user.id,
        user: carol.user,
        until,
        reason: "spam",
        byId: bob.user.id,
        at: undefined,
      },
    );
    const list = expectStatus(await t.call("GET", "/api/v1/rooms/club/bans", { as: bob }), 200);
    assert.deepEqual(list.bans.map((b: { userId: number }) => b.userId), [carol.user.id]);
    expectStatus(await t.call("GET", "/api/v1/rooms/club/bans", { as: dave }), 403, "FORBIDDEN");
    expectStatus(await t.call("GET", "/api/v1/rooms/club/bans"), 401, "INVALID_AUTH_TOKEN");
    // Banned: no post, no delete of its own.
    await assert.rejects(
      t.app.actions.post({ room: "club", user: carol.user, text: "spam" }),
      (error: AppError) => error.type === "BANNED" && error.status === 403,
    );
    expectStatus(
      await t.call("DELETE", `/api/v1/rooms/club/messages/${own}`, { as: carol }),
      403,
      "BANNED",
    );
    // It lapses.
    t.clock.now += 60_001;
    assert.deepEqual(
      expectStatus(await t.call("GET", "/api/v1/rooms/club/bans", { as: alice }), 200).bans,
      [],
    );
    await post(t, "club", carol, "back");
  });

  test("bans: refusals, bad bodies, lifting, and who may ban whom", async () => {
    await using t = await openModerationApp(open);
    let { alice, bob, carol, dave } = await club(t);
    const ban = (as: TestUser, user: TestUser | number, body: unknown = {}) =>
      t.call("PUT", `/api/v1/rooms/club/bans/${typeof user === "number" ? user : user.user.id}`, {
        as,
        body,
      });
    expectStatus(await ban(bob, alice), 403, "FORBIDDEN");
    expectStatus(await ban(bob, bob), 403, "FORBIDDEN");
    expectStatus(await ban(carol, dave), 403, "FORBIDDEN");
    expectStatus(await ban(dave, carol), 403, "FORBIDDEN");
    expectStatus(await ban(bob, 999), 404, "USER_NOT_FOUND");
    const past = new Date(t.clock.now - 1000).toISOString();
    expectStatus(await ban(bob, carol, { until: past }), 400, "BAD_BINDING");
    expectStatus(await ban(bob, carol, { until: "tomorrow" }), 400, "BAD_BINDING");
    expectStatus(await ban(bob, carol, { reason: "x".repeat(501) }), 400, "BAD_BINDING");
    expectStatus(await ban(bob, carol, { reason: 12 }), 400, "BAD_BINDING");
    // The owner bans a moderator; a ban without `until` is for good.
    const forever = expectStatus(await ban(alice, bob), 200);
    assert.equal(forever.until, null);
    assert.equal(forever.reason, null);
    t.clock.now += 365 * 86_400_000;
    await assert.rejects(post(t, "club", bob, "still?"), (e: AppError) => e.type === "BANNED");
    // A year on, the tokens have expired: log in again.
    [alice, carol] = [await t.signIn("alice"), await t.signIn("carol")];
    const lift = (as: TestUser) =>
      t.call("DELETE", `/api/v1/rooms/club/bans/${bob.user.id}`, { as });
    expectStatus(await lift(carol), 403, "FORBIDDEN");
    assert.deepEqual(expectStatus(await lift(alice), 200), { removed: true });
    assert.deepEqual(expectStatus(await lift(alice), 200), { removed: false });
    await post(t, "club", bob, "back");
  });

  test("mutes: a muted user reads but cannot send or edit, until the mute is lifted", async () => {
    await using t = await openModerationApp(open);
    const { alice, bob, carol } = await club(t);
    const own = await post(t, "club", carol, "mine");
    const mute = expectStatus(
      await t.call("PUT", `/api/v1/rooms/club/mutes/${carol.user.id}`, {
        as: bob,
        body: { reason: "cool off" },
      }),
      200,
    );
    assert.equal(mute.kind, "mute");
    await assert.rejects(
      t.app.actions.post({ room: "club", user: carol.user, text: "hey" }),
      (error: AppError) => error.type === "MUTED" && error.status === 403,
    );
    await assert.rejects(
      t.app.actions.edit({ room: "club", user: carol.user, target: own, text: "edited" }),
      (error: AppError) => error.type === "MUTED",
    );
    expectStatus(await t.call("GET", "/api/v1/rooms/club/messages", { as: carol }), 200);
    expectStatus(
      await t.call("DELETE", `/api/v1/rooms/club/messages/${own}`, { as: carol }),
      200,
      undefined,
    );
    const mutes = expectStatus(await t.call("GET", "/api/v1/rooms/club/mutes", { as: alice }), 200);
    assert.deepEqual(mutes.mutes.map((m: { userId: number }) => m.userId), [carol.user.id]);
    assert.deepEqual(
      expectStatus(
        await t.call("DELETE", `/api/v1/rooms/club/mutes/${carol.user.id}`, { as: bob }),
        200,
      ),
      { removed: true },
    );
    await post(t, "club", carol, "free again");
  });

  test("a banned user's token reads nothing of the room over REST (403 BANNED); without one a public room stays open", async () => {
    for (const visibility of ["public", "private"] as const) {
      await using t = await openModerationApp(open);
      const { bob, carol } = await club(t, visibility);
      await post(t, "club", carol, "before the ban");
      const reads = ["/messages", "", "/users", "/members"];
      for (const path of reads) {
        expectStatus(await t.call("GET", `/api/v1/rooms/club${path}`, { as: carol }), 200);
      }
      expectStatus(
        await t.call("PUT", `/api/v1/rooms/club/bans/${carol.user.id}`, { as: bob, body: {} }),
        200,
      );
      for (const path of reads) {
        const answer = await t.call("GET", `/api/v1/rooms/club${path}`, { as: carol });
        expectStatus(answer, 403, "BANNED");
        assert.match(answer.body.error.message, /banned/, `${visibility} ${path}`);
        // As anyone else (a public room), or as a member (a private one): as before.
        expectStatus(
          await t.call("GET", `/api/v1/rooms/club${path}`, {
            as: visibility === "public" ? undefined : bob,
          }),
          200,
        );
      }
      if (visibility === "public") {
        // A token that is not valid is not needed for a public read: it stays a v1 read.
        expectStatus(await t.call("GET", "/api/v1/rooms/club/messages", { as: "nope" }), 200);
        expectStatus(await t.call("GET", "/api/v1/rooms/club", { as: `${carol.token}x` }), 200);
      } else {
        expectStatus(
          await t.call("GET", "/api/v1/rooms/club/messages", { as: "nope" }),
          401,
          "INVALID_AUTH_TOKEN",
        );
      }
      expectStatus(
        await t.call("DELETE", `/api/v1/rooms/club/bans/${carol.user.id}`, { as: bob }),
        200,
      );
      expectStatus(await t.call("GET", "/api/v1/rooms/club", { as: carol }), 200);
    }
  });

  test("server admins moderate every room, ownerless ones included, and cannot be banned", async () => {
    await using t = await openModerationApp(open);
    const { alice, carol } = await club(t, "private");
    const root = await t.signIn("root");
    const eve = await t.signIn("eve");
    await post(t, "lobby", eve, "in an ownerless room");
    // An ownerless room has no moderators: only admins ban there.
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/lobby/bans/${eve.user.id}`, { as: alice, body: {} }),
      403,
      "FORBIDDEN",
    );
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/lobby/bans/${eve.user.id}`, { as: root, body: {} }),
      200,
    );
    await assert.rejects(post(t, "lobby", eve, "again"), (e: AppError) => e.type === "BANNED");
    // A private room's admin reads and manages it without being a member.
    expectStatus(await t.call("GET", "/api/v1/rooms/club/messages", { as: root }), 200);
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/club/mutes/${carol.user.id}`, { as: root, body: {} }),
      200,
    );
    expectStatus(
      await t.call("PUT", `/api/v1/rooms/club/bans/${root.user.id}`, { as: alice, body: {} }),
      403,
      "FORBIDDEN",
    );
    await post(t, "club", root, "admins are not muted or banned by rooms");
  });
}
