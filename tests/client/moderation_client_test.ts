/**
 * The client's moderation helpers against a real server on port 0: deleting
 * others' messages as owner, bans and mutes, server bans by admins, and
 * logging out one token or all of them. Final closes do not reconnect.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  ApiError,
  ChatClient,
  CLOSE,
  ClosedError,
  ReplyError,
} from "../../src/client/chat_client.js";
import { startServer } from "../_helpers/server.ts";
import { FAST, record, signedIn } from "./_v2.ts";

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => assert.fail("expected a rejection"), (error) => error);
}

Deno.test("the owner deletes a spammer's message and bans them: their socket closes 4003 for good", async () => {
  await using server = await startServer({ env: FAST });
  const owner = await signedIn(server.url, "owner");
  const spammer = await signedIn(server.url, "spammer");
  const watcher = await signedIn(server.url, "watcher");
  await owner.createRoom("town");
  await using o = record(owner, "town");
  await using w = record(watcher, "town");
  const s = record(spammer, "town");
  // Each join ends with its presence snapshot; then everyone knows of everyone.
  const everyone = (r: typeof o) => () => {
    const names = new Set(r.of("presence").flatMap((p) => p.users.map((u) => u.username)));
    for (const j of r.of("join")) names.add(j.user.username);
    return names.size === 3;
  };
  await Promise.all([o, w, s].map((r) => r.until(everyone(r), "everyone's presence")));
  const spam = await s.connection.send("BUY NOW");
  const deletion = await o.connection.delete(spam.seq);
  assert.deepEqual(deletion.by, owner.user);
  await w.until(() => w.of("delete").length === 1, "the watcher sees the delete");
  assert.equal(w.of("delete")[0]?.target, spam.seq);

  await owner.ban("town", spammer.user?.id ?? 0, { reason: "spam" });
  await s.waitForState("closed");
  const [closed] = s.of("error");
  assert.ok(closed instanceof ClosedError, String(closed));
  assert.equal(closed.code, CLOSE.BANNED.code);
  assert.equal(s.of("status").filter((st) => st.state === "reconnecting").length, 0);
  await w.until(() => w.of("leave").some((e) => e.user.id === spammer.user?.id), "a leave");

  // Joining again is refused before the upgrade; REST tells the client why, so it stops.
  const refused = record(spammer, "town");
  await refused.waitForState("closed");
  const [why] = refused.of("error");
  assert.ok(why instanceof ApiError, String(why));
  assert.equal(why.type, "BANNED");

  const bans = await owner.listBans("town");
  assert.deepEqual(bans.map((b) => b.userId), [spammer.user?.id]);
  const notOwner = await failure(watcher.ban("town", owner.user?.id ?? 0));
  assert.ok(notOwner instanceof ApiError);
  assert.equal(notOwner.type, "FORBIDDEN");

  await owner.unban("town", spammer.user?.id ?? 0);
  await using again = record(spammer, "town");
  await again.connection.ready;
  assert.equal((await again.connection.send("sorry")).text, "sorry");
});

Deno.test("a muted user's send rejects with a ReplyError and the socket stays open; unmute() lifts it", async () => {
  await using server = await startServer({ env: FAST });
  const owner = await signedIn(server.url, "owner");
  const loud = await signedIn(server.url, "loud");
  await owner.createRoom("library");
  await using l = record(loud, "library");
  await l.connection.ready;
  await owner.mute("library", loud.user?.id ?? 0);
  const refused = await failure(l.connection.send("SHOUTING"));
  assert.ok(refused instanceof ReplyError, String(refused));
  assert.equal(refused.type, "MUTED");
  assert.equal(l.connection.state, "open");
  await owner.unmute("library", loud.user?.id ?? 0);
  assert.equal((await l.connection.send("whispering")).text, "whispering");
});

Deno.test("REST editMessage() and deleteMessage() follow the same rules as the socket", async () => {
  await using server = await startServer({ env: FAST });
  const owner = await signedIn(server.url, "owner");
  const bob = await signedIn(server.url, "bob");
  await owner.createRoom("board");
  await using b = record(bob, "board");
  const first = await b.connection.send("frist");
  const second = await b.connection.send("second");
  await bob.editMessage("board", first.seq, "first");
  const notAuthor = await failure(owner.editMessage("board", first.seq, "mine now"));
  assert.ok(notAuthor instanceof ApiError);
  assert.equal(notAuthor.type, "FORBIDDEN");
  await owner.deleteMessage("board", second.seq);
  const gone = await failure(owner.deleteMessage("board", second.seq));
  assert.ok(gone instanceof ApiError);
  assert.equal(gone.type, "MESSAGE_NOT_FOUND");
  await b.until(() => b.of("edit").length === 1 && b.of("delete").length === 1, "both events");
  assert.deepEqual((await bob.history("board")).messages.map((m) => m.text), ["first"]);
});

Deno.test("logout() revokes this token only; logout({ all }) closes every socket of the user with TOKEN_REVOKED", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const laptop = await signedIn(server.url, "laptop-user");
  await laptop.logout();
  assert.equal(laptop.token, undefined);
  assert.equal(laptop.user, undefined);

  const phone = await signedIn(server.url, "bob");
  const desk = new ChatClient({ baseUrl: server.url });
  await desk.login("bob", "correct horse");
  const oldToken = desk.token;
  await using onDesk = record(desk, "lobby");
  await onDesk.connection.ready;
  await phone.logout({ all: true });
  await onDesk.until(() => onDesk.connection.state === "closed", "the revocation", 8000);
  const [revoked] = onDesk.of("error");
  assert.ok(revoked instanceof ClosedError, String(revoked));
  assert.equal(revoked.reason, CLOSE.TOKEN_REVOKED.reason);
  assert.equal(onDesk.of("status").filter((s) => s.state === "reconnecting").length, 0);
  desk.token = oldToken;
  const rest = await failure(desk.me());
  assert.ok(rest instanceof ApiError);
  assert.equal(rest.status, 401);
  assert.deepEqual(
    await alice.me(),
    { ...alice.user, admin: false },
    "another user's tokens still work",
  );
});

Deno.test("an admin bans a user from the server: logins are refused with USER_BANNED", async () => {
  await using server = await startServer({ env: { ...FAST, ADMIN_USERNAMES: "root" } });
  const root = await signedIn(server.url, "root");
  const troll = await signedIn(server.url, "troll");
  await using t = record(troll, "lobby");
  await t.connection.ready;
  await root.banUser(troll.user?.id ?? 0, { reason: "trolling" });
  await t.until(() => t.connection.state === "closed", "the server ban", 8000);
  assert.equal((t.of("error")[0] as ClosedError | undefined)?.code, CLOSE.BANNED.code);
  const login = await failure(troll.login("troll", "correct horse"));
  assert.ok(login instanceof ApiError);
  assert.equal(login.type, "USER_BANNED");
  const notAdmin = await failure(troll.banUser(root.user?.id ?? 0));
  assert.ok(notAdmin instanceof ApiError);
});
