/**
 * The client module's protocol v2 against a real server on port 0: typed
 * events, edits and deletes answered by their events or by reply errors,
 * typing, read state, and a resume that replays edits and deletes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, ReplyError, TYPING_INTERVAL_MS } from "../../src/client/chat_client.js";
import { startServer } from "../_helpers/server.ts";
import { FAST, record, signedIn, sleep } from "./_v2.ts";
import { startTcpProxy } from "./tcp_proxy.ts";

/** A server with alice and bob signed in, both joined to `lobby` over v2 and ready. */
async function aliceAndBob() {
  const server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  const a = record(alice, "lobby");
  const b = record(bob, "lobby");
  const dispose = async () => {
    await b[Symbol.asyncDispose]();
    await a[Symbol.asyncDispose]();
    await server[Symbol.asyncDispose]();
  };
  try {
    await Promise.all([a.connection.ready, b.connection.ready]);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { server, alice, bob, a, b, [Symbol.asyncDispose]: dispose };
}

Deno.test("a v2 join delivers history as message events and a presence snapshot with the joiner", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  {
    await using first = record(alice, "lobby");
    await first.connection.send("one");
    await first.connection.send("two");
  }
  await using again = record(alice, "lobby");
  await again.connection.ready;
  await again.until(() => again.of("presence").length === 1, "a presence event");
  const messages = again.of("message");
  assert.deepEqual(messages.map((m) => [m.type, m.seq, m.text]), [
    ["message", 1, "one"],
    ["message", 2, "two"],
  ]);
  const [presence] = again.of("presence");
  assert.deepEqual(presence?.users, [alice.user]);
  assert.equal(presence?.anonymous, 0);
  assert.equal(again.connection.v2, true);
});

Deno.test("join and leave events tell a member when another user's socket opens and closes", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  await using a = record(alice, "lobby");
  // The presence snapshot ends a join: from then on alice hears of every join and leave.
  await a.until(() => a.of("presence").length === 1, "alice's presence");
  const b = record(bob, "lobby");
  await a.until(() => a.of("join").length === 1, "bob's join");
  assert.deepEqual(a.of("join")[0]?.user, bob.user);
  await b.until(() => b.of("presence").length === 1, "bob's presence");
  const names = b.of("presence")[0]?.users.map((u) => u.username).sort();
  assert.deepEqual(names, ["alice", "bob"]);
  await b.connection.close();
  await a.until(() => a.of("leave").length === 1, "bob's leave");
  assert.deepEqual(a.of("leave")[0]?.user, bob.user);
  assert.equal(a.of("join").some((e) => e.user.id === alice.user?.id), false);
});

Deno.test("typing() reaches the others, not the typist, once per TYPING_INTERVAL_MS", async () => {
  await using pair = await aliceAndBob();
  const { alice, a, b } = pair;
  assert.equal(a.connection.typing(), true);
  assert.equal(a.connection.typing(), false, "a second call within the interval sends nothing");
  await b.until(() => b.of("typing").length === 1, "alice's typing");
  assert.deepEqual(b.of("typing")[0]?.user, alice.user);
  // Bob's message after alice's typing proves the server sent nothing more meanwhile.
  await b.connection.send("after typing");
  await a.until(() => a.of("message").length === 1, "bob's message");
  assert.equal(a.of("typing").length, 0, "the typist gets no typing event of its own");
  assert.equal(b.of("typing").length, 1);
  assert.ok(TYPING_INTERVAL_MS >= 1000);
});

Deno.test("typing() sends nothing on a read-only or a v1 connection", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  await using reader = record(new ChatClient({ baseUrl: server.url }), "lobby");
  await using v1 = record(alice, "lobby", { v2: false });
  await Promise.all([reader.connection.ready, v1.connection.ready]);
  assert.equal(reader.connection.typing(), false);
  assert.equal(v1.connection.typing(), false);
});

Deno.test("edit() resolves with the edit event, which every member receives", async () => {
  await using pair = await aliceAndBob();
  const { alice, bob, a, b } = pair;
  const sent = await a.connection.send("helo");
  const edit = await a.connection.edit(sent.seq, "hello");
  assert.equal(edit.type, "edit");
  assert.equal(edit.target, sent.seq);
  assert.equal(edit.text, "hello");
  assert.equal(edit.seq, sent.seq + 1, "an edit takes the room's next seq");
  assert.deepEqual(edit.sender, alice.user);
  await b.until(() => b.of("edit").length === 1, "the edit");
  assert.deepEqual(b.of("edit")[0], edit);
  assert.equal(a.connection.lastSeq, edit.seq);
  const history = await bob.history("lobby");
  assert.deepEqual(history.messages.map((m) => m.text), ["hello"]);
});

Deno.test("edit() of another's message rejects with a ReplyError and the connection stays open", async () => {
  await using pair = await aliceAndBob();
  const { a, b } = pair;
  const sent = await a.connection.send("mine");
  const refused = await b.connection.edit(sent.seq, "yours now").then(
    () => assert.fail("edit() should be refused"),
    (error) => error,
  );
  assert.ok(refused instanceof ReplyError, String(refused));
  assert.equal(refused.type, "FORBIDDEN");
  assert.ok(refused.message.length > 0);
  assert.equal(b.connection.state, "open");
  assert.deepEqual(b.of("error"), [], "a matched reply error is not also an error event");
  const unknown = await a.connection.edit(999, "nothing there").then(
    () => assert.fail("edit() of an unknown seq should be refused"),
    (error) => error,
  );
  assert.ok(unknown instanceof ReplyError);
  assert.equal(unknown.type, "MESSAGE_NOT_FOUND");
  const after = await b.connection.send("still here");
  assert.equal(after.text, "still here");
});

Deno.test("edit() and send() refuse blank or over-long text before sending, and on v1 edit() is refused", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  await using a = record(alice, "lobby");
  await using v1 = record(alice, "lobby", { v2: false });
  await Promise.all([a.connection.ready, v1.connection.ready]);
  const sent = await a.connection.send("text");
  await assert.rejects(a.connection.edit(sent.seq, "   "), RangeError);
  await assert.rejects(a.connection.edit(sent.seq, "x".repeat(4001)), RangeError);
  await assert.rejects(v1.connection.edit(sent.seq, "v1 cannot"), RangeError);
  await assert.rejects(v1.connection.delete(sent.seq), RangeError);
  assert.equal(a.connection.state, "open");
  assert.equal(v1.connection.state, "open");
});

Deno.test("delete() by the author removes the message for everyone and from the history", async () => {
  await using pair = await aliceAndBob();
  const { alice, bob, a, b } = pair;
  const kept = await a.connection.send("kept");
  const gone = await a.connection.send("oops");
  const deletion = await a.connection.delete(gone.seq);
  assert.equal(deletion.type, "delete");
  assert.equal(deletion.target, gone.seq);
  assert.deepEqual(deletion.by, alice.user);
  await b.until(() => b.of("delete").length === 1, "the delete");
  assert.deepEqual(b.of("delete")[0], deletion);
  const refused = await b.connection.delete(kept.seq).then(() => undefined, (error) => error);
  assert.ok(refused instanceof ReplyError);
  assert.equal(refused.type, "FORBIDDEN");
  const history = await bob.history("lobby");
  assert.deepEqual(history.messages.map((m) => m.text), ["kept"]);
});

Deno.test("a resume after a cut replays the edits and deletes made meanwhile, in seq order, once", async () => {
  await using server = await startServer({ env: FAST });
  await using proxy = startTcpProxy(Number(new URL(server.url).port));
  const alice = await signedIn(server.url, "alice");
  const reader = record(new ChatClient({ baseUrl: proxy.url }), "lobby", { batch: true });
  await using a = record(alice, "lobby");
  try {
    await Promise.all([reader.connection.ready, a.connection.ready]);
    const first = await a.connection.send("first");
    const second = await a.connection.send("second");
    await reader.until(() => reader.of("message").length === 2, "two messages");
    proxy.blocked = true;
    await proxy.cut();
    await reader.waitForState("reconnecting");
    await a.connection.edit(first.seq, "first, edited");
    await a.connection.delete(second.seq);
    const third = await a.connection.send("third");
    proxy.blocked = false;
    await reader.until(() => reader.connection.lastSeq === third.seq, "the resume");
    await sleep(100); // Anything doubled would arrive by now.
    const logged = reader.seen.filter(([type]) => ["message", "edit", "delete"].includes(type))
      .map(([type, value]) => [type, (value as { seq: number }).seq]);
    assert.deepEqual(logged, [
      ["message", 1],
      ["message", 2],
      ["edit", 3],
      ["delete", 4],
      ["message", 5],
    ]);
    assert.equal(reader.of("edit")[0]?.text, "first, edited");
    assert.equal(reader.of("delete")[0]?.target, second.seq);
    // The rejoin brings its own presence snapshot (ephemeral events are never replayed).
    const secondOpen = () =>
      reader.seen.findLastIndex(([t, v]) => t === "status" && v.state === "open");
    await reader.until(
      () => reader.seen.findLastIndex(([t]) => t === "presence") > secondOpen(),
      "a presence after the rejoin",
    );
  } finally {
    await reader.connection.close();
  }
});

Deno.test("markRead() moves the read position: the user's other socket hears of it and myRooms() shows it", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  await using b = record(bob, "lobby");
  await b.connection.ready;
  for (const text of ["one", "two", "three"]) await b.connection.send(text);
  const aliceOnPhone = new ChatClient({
    baseUrl: server.url,
    token: alice.token,
    user: alice.user,
  });
  await using phone = record(aliceOnPhone, "lobby");
  await using desk = record(alice, "lobby");
  await Promise.all([phone.connection.ready, desk.connection.ready]);
  await desk.connection.send("joined in");
  let lobby = (await alice.myRooms()).find((r) => r.name === "lobby");
  assert.deepEqual([lobby?.lastRead, lobby?.unread], [0, 0], "posting counts as having read");
  // REST moves it too, forward only.
  assert.deepEqual(await bob.markRead("lobby", 2), { room: "lobby", lastRead: 2 });
  assert.deepEqual(await bob.markRead("lobby", 1), { room: "lobby", lastRead: 2 });
  await phone.connection.markRead(4);
  await desk.until(() => desk.of("read").length === 1, "a read event on the other socket");
  assert.deepEqual(desk.of("read")[0], { type: "read", room: "lobby", seq: 4 });
  assert.equal(phone.of("read").length, 0, "not to the socket that read");
  await b.connection.send("four");
  lobby = (await alice.myRooms()).find((r) => r.name === "lobby");
  assert.deepEqual([lobby?.lastRead, lobby?.lastSeq, lobby?.unread], [4, 5, 1]);
  const bobs = (await bob.myRooms()).find((r) => r.name === "lobby");
  assert.deepEqual([bobs?.lastRead, bobs?.unread], [2, 0]);
});

Deno.test("ready resolves on v1 and v2 when the room's last logged event is an edit or a delete", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  {
    await using a = record(alice, "lobby");
    const kept = await a.connection.send("kept");
    const gone = await a.connection.send("gone");
    await a.connection.edit(kept.seq, "kept, edited");
    await a.connection.delete(gone.seq);
  }
  assert.equal((await alice.roomInfo("lobby")).lastSeq, 4);
  await using v1 = record(new ChatClient({ baseUrl: server.url }), "lobby", { v2: false });
  await using v2 = record(new ChatClient({ baseUrl: server.url }), "lobby");
  await Promise.all([v1.connection.ready, v2.connection.ready]);
  assert.deepEqual(v1.of("message").map((m) => [m.seq, m.text]), [[1, "kept, edited"]]);
  assert.equal(v1.connection.lastSeq, 1);
  assert.deepEqual(
    v2.seen.filter(([t]) => t === "message" || t === "delete").map(([t]) => t),
    ["message", "delete"],
  );
  assert.equal(v2.connection.lastSeq, 4);
});
