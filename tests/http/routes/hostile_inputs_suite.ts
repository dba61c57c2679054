/**
 * §6 and §7 over REST, part 5: wrong, empty, huge and hostile inputs to the
 * moderation, server API, directory, read-state and DM routes, each answered
 * with a clear 4xx in the envelope, never a 500. Registered once per store by
 * `moderation_suites.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  API_KEY,
  createRoom,
  expectStatus,
  openModerationApp,
  type StoreOpener,
} from "./_moderation_app.ts";

const KEY = { "x-api-key": API_KEY };

/** Path ids that are not positive whole numbers, as they appear in a URL. */
const BAD_IDS = ["0", "-1", "1.5", "1e3", "007", "0x10", "%20", "abc", "99999999999999999999"];

/** Registers the tests of this part. */
export function hostileInputsSuite(name: string, open: StoreOpener): void {
  const test = (what: string, fn: () => Promise<void>) => Deno.test(`${name}: ${what}`, fn);

  test("every id and seq of a path that is not a positive whole number is 400 BAD_QUERY", async () => {
    await using t = await openModerationApp(open, { ADMIN_API_KEY: API_KEY });
    const alice = await t.signIn("alice");
    const root = await t.signIn("root");
    await createRoom(t, alice, { name: "club", visibility: "public" });
    for (const id of BAD_IDS) {
      const calls = [
        t.call("PUT", `/api/v1/rooms/club/bans/${id}`, { as: alice, body: {} }),
        t.call("DELETE", `/api/v1/rooms/club/mutes/${id}`, { as: alice }),
        t.call("PUT", `/api/v1/rooms/club/members/${id}`, { as: alice, body: {} }),
        t.call("PUT", `/api/v1/admin/users/${id}/ban`, { as: root, body: {} }),
        t.call("POST", `/api/v1/admin/users/${id}/disconnect`, { headers: KEY, body: {} }),
        t.call("PATCH", `/api/v1/rooms/club/messages/${id}`, { as: alice, body: { text: "x" } }),
        t.call("DELETE", `/api/v1/rooms/club/messages/${id}`, { as: alice }),
        t.call("DELETE", `/api/v1/admin/rooms/club/messages/${id}`, { headers: KEY }),
        t.call("GET", `/api/v1/users/${id}`),
      ];
      for (const answer of await Promise.all(calls)) {
        expectStatus(answer, 400, "BAD_QUERY");
        assert.ok(answer.body.error.message.length < 200, answer.body.error.message);
      }
    }
    // A huge id is not echoed back whole.
    const huge = await t.call("GET", `/api/v1/users/${"9".repeat(5000)}`);
    expectStatus(huge, 400, "BAD_QUERY");
    assert.ok(huge.body.error.message.length < 200);
  });

  test("ban and mute bodies: until in the past, not a date or a day the calendar lacks; reasons with control characters", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    const root = await t.signIn("root");
    await createRoom(t, alice, { name: "club", visibility: "public" });
    const nextYear = new Date(t.clock.now).getUTCFullYear() + 1;
    const paths = [
      { as: alice, path: `/api/v1/rooms/club/bans/${bob.user.id}` },
      { as: alice, path: `/api/v1/rooms/club/mutes/${bob.user.id}` },
      { as: root, path: `/api/v1/admin/users/${bob.user.id}/ban` },
    ];
    const bad = [
      { until: "2000-01-01T00:00:00Z" },
      { until: `${nextYear}-02-30T00:00:00Z` },
      { until: `${nextYear}-13-01T00:00:00Z` },
      { until: "+275760-09-13T00:00:00Z" },
      { until: `${nextYear}-01-01` },
      { until: "" },
      { until: 4102444800000 },
      { until: null },
      { reason: "a\u0000b" },
      { reason: "line\nbreak" },
      { reason: "x".repeat(501) },
      { reason: ["x"] },
    ];
    for (const { as, path } of paths) {
      for (const body of bad) {
        const answer = await t.call("PUT", path, { as, body });
        expectStatus(answer, 400, "BAD_BINDING");
        assert.match(answer.body.error.message, /until|reason/, JSON.stringify(body));
      }
      // The far future and a text of exactly 500 characters are fine.
      const until = "9999-12-31T23:59:59.999Z";
      const put = expectStatus(
        await t.call("PUT", path, { as, body: { until, reason: "é".repeat(500) } }),
        200,
      );
      assert.equal(put.until, until);
      assert.equal([...put.reason].length, 500);
      expectStatus(await t.call("DELETE", path, { as }), 200);
    }
  });

  test("POST /dms refuses the caller's own id, an unknown user and ids that are not ids", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const dm = (userId: unknown) => t.call("POST", "/api/v1/dms", { as: alice, body: { userId } });
    const self = await dm(alice.user.id);
    expectStatus(self, 400, "BAD_BINDING");
    assert.match(self.body.error.message, /userId/);
    expectStatus(await dm(Number.MAX_SAFE_INTEGER), 404, "USER_NOT_FOUND");
    for (const userId of [0, -1, 1.5, 1e30, null, "1", [1]]) {
      expectStatus(await dm(userId), 400, "BAD_BINDING");
    }
  });

  test("PUT /rooms/:room/read: a huge seq clamps, one past safe integers or of the wrong type is 400", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const read = (seq: unknown) =>
      t.call("PUT", "/api/v1/rooms/lobby/read", { as: alice, body: { seq } });
    assert.deepEqual(expectStatus(await read(Number.MAX_SAFE_INTEGER), 200), {
      room: "lobby",
      lastRead: 0,
    });
    for (const seq of [1e30, Number.MAX_SAFE_INTEGER + 1, null, true, -0.5]) {
      expectStatus(await read(seq), 400, "BAD_BINDING");
    }
  });

  test("member roles other than member or moderator are 400 BAD_BINDING", async () => {
    await using t = await openModerationApp(open);
    const alice = await t.signIn("alice");
    const bob = await t.signIn("bob");
    await createRoom(t, alice, { name: "club", visibility: "public" });
    for (const role of ["owner", "admin", "MODERATOR", "", null, 1]) {
      const answer = await t.call("PUT", `/api/v1/rooms/club/members/${bob.user.id}`, {
        as: alice,
        body: { role },
      });
      expectStatus(answer, 400, "BAD_BINDING");
      assert.match(answer.body.error.message, /role/);
    }
  });

  test("the server API: an empty or huge X-API-Key is 401, a bot name sign-up refuses is 400", async () => {
    await using t = await openModerationApp(open, { ADMIN_API_KEY: API_KEY });
    for (const key of ["", "k".repeat(39), "k".repeat(41), "k".repeat(64 * 1024)]) {
      for (const path of ["/api/v1/admin/rooms", "/api/v1/admin/audit"]) {
        expectStatus(
          await t.call("GET", path, { headers: { "x-api-key": key } }),
          401,
          "INVALID_API_KEY",
        );
      }
    }
    const say = (bot: unknown) =>
      t.call("POST", "/api/v1/admin/rooms/lobby/messages", {
        headers: KEY,
        body: { bot, text: "hi" },
      });
    for (const bot of ["", "x".repeat(65), "a\u0000b", "a b\n"]) {
      expectStatus(await say(bot), 400, "BAD_USERNAME");
    }
    for (const bot of [null, 7, ["bot"]]) expectStatus(await say(bot), 400, "BAD_BINDING");
    expectStatus(
      await t.call("DELETE", "/api/v1/admin/rooms/lobby/messages/1?bot=%00", { headers: KEY }),
      400,
      "BAD_USERNAME",
    );
  });

  test("the server API's room list: a cursor the store did not give is 400 BAD_QUERY or a page, never a 500", async () => {
    await using t = await openModerationApp(open, { ADMIN_API_KEY: API_KEY });
    const alice = await t.signIn("alice");
    await createRoom(t, alice, { name: "club", visibility: "public" });
    for (const query of ["?cursor=", `?cursor=${"x".repeat(513)}`, "?limit=0", "?limit=101"]) {
      const answer = await t.call("GET", `/api/v1/admin/rooms${query}`, { headers: KEY });
      expectStatus(answer, 400, "BAD_QUERY");
    }
    const cursors = ["garbage", "%00", "AAAA", "-1", "99999999999999999999999", "x".repeat(500)];
    for (const cursor of cursors) {
      const answer = await t.call("GET", `/api/v1/admin/rooms?cursor=${cursor}`, { headers: KEY });
      if (answer.status === 400) {
        assert.match(answer.body.error.message, /cursor/);
        expectStatus(answer, 400, "BAD_QUERY");
      } else {
        expectStatus(answer, 200);
      }
    }
  });
}
