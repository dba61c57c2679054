/**
 * Protocol v2 (CONTRACT §6) on real sockets over one store, in both frame
 * modes: every event, the client frames, reply errors that leave the socket
 * open, `since` replay, and the REST routes whose changes reach the sockets.
 * v1 members of the same room keep their v1 frames. Registered per store by
 * `protocol_v2_test.ts` (SQLite, KV) and `tests/redis/protocol_v2_redis_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/store/store.ts";
import { signIn, startServer, type TestServer } from "../_helpers/server.ts";
import { UNTHROTTLED } from "../_helpers/unthrottled.ts";
import { briefs, eventsOf, waitForEvent } from "../_helpers/v2_events.ts";
import { connect, type TestSocket } from "../_helpers/ws_client.ts";

type User = Awaited<ReturnType<typeof signIn>>;

/**
 * Registers the suite.
 *
 * @param name shown in each test's name, e.g. `"SQLite"`
 * @param open opens a fresh, empty store for each test
 */
export function protocolV2Suite(name: string, open: () => Promise<Store>): void {
  /** A server over a fresh store; disposing of it closes both. */
  const start = async (options: { env: Record<string, string> }) => {
    const store = await open();
    const server = await startServer({ ...options, store });
    return Object.assign(server, {
      async [Symbol.asyncDispose]() {
        try {
          await server.close();
        } finally {
          await store.close();
        }
      },
    });
  };

  for (const batch of [false, true]) {
    const mode = batch ? "batch=1" : "one event per frame";
    const query = batch ? "?v=2&batch=1" : "?v=2";

    /** Joins `room` over v2 as `user` (or anonymous) and waits for its presence snapshot. */
    const join = async (server: TestServer, room: string, user?: User, extra = "") => {
      const socket = await connect(
        `${server.wsUrl}/api/v1/rooms/${room}/ws${query}${extra}`,
        user ? [user.token] : [],
      );
      await waitForEvent(socket, (e) => e.type === "presence");
      return socket;
    };

    /** In the mode without batch, every frame holds one event. */
    const assertFrames = (...sockets: TestSocket[]) => {
      if (batch) return;
      for (const socket of sockets) {
        for (const frame of socket.frames) assert.equal(frame.length, 1, JSON.stringify(frame));
      }
    };

    Deno.test(`${name} v2 ${mode}: presence after the history, then join and leave of others, across their tabs`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      const bob = await signIn(server, "bob");
      const a = await join(server, "lobby", alice);
      assert.deepEqual(briefs(a), ["presence alice +0"]);
      const reader = await join(server, "lobby");
      assert.deepEqual(briefs(reader), ["presence alice +1"]);
      const b1 = await join(server, "lobby", bob);
      assert.deepEqual(briefs(b1), ["presence alice,bob +1"]);
      await waitForEvent(a, "join bob");
      await waitForEvent(reader, "join bob");
      const b2 = await join(server, "lobby", bob); // a second tab: no second join
      await b1.close();
      await b2.close();
      await waitForEvent(a, "leave bob");
      assert.deepEqual(briefs(a), ["presence alice +0", "join bob", "leave bob"]);
      assert.deepEqual(briefs(reader), ["presence alice +1", "join bob", "leave bob"]);
      assertFrames(a, reader, b1, b2);
      await a.close();
      await reader.close();
    });

    Deno.test(`${name} v2 ${mode}: message, edit and delete reach every v2 member; v1 members get the message only`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      const bob = await signIn(server, "bob");
      const a = await join(server, "lobby", alice);
      const b = await join(server, "lobby", bob);
      const v1 = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`);
      a.send({ type: "message", text: "hello", nonce: "m1" });
      await waitForEvent(b, "message 1 hello");
      a.send({ type: "edit", target: 1, text: "hello!", nonce: "e1" });
      // Sent from two sockets, the edit and the reply would race for their seqs.
      await waitForEvent(b, "edit 2>1 hello!");
      b.send({ text: "reply", replyTo: 1 });
      await waitForEvent(a, "message 3 reply");
      a.send({ type: "delete", target: 1, nonce: "d1" });
      await waitForEvent(b, "delete 4>1");
      const expected = ["message 1 hello", "edit 2>1 hello!", "message 3 reply", "delete 4>1"];
      for (const s of [a, b]) {
        assert.deepEqual(
          briefs(s).filter((x) => !x.startsWith("presence") && !x.startsWith("join")),
          expected,
        );
      }
      const events = eventsOf(b);
      const message = events.find((e) => e.type === "message" && e.seq === 1);
      assert.equal(message.nonce, "m1");
      assert.deepEqual(message.sender, alice.user);
      assert.equal(events.find((e) => e.type === "edit").nonce, "e1");
      assert.equal(events.find((e) => e.seq === 3).replyTo, 1);
      assert.deepEqual(events.find((e) => e.type === "delete").by, alice.user);
      // The v1 reader: the two messages, in the v1 shape, one per frame.
      const v1Messages = await v1.waitForMessages(2);
      assert.deepEqual(v1Messages.map((m) => [m.seq, m.text]), [[1, "hello"], [3, "reply"]]);
      assert.ok(v1Messages.every((m) => !("type" in m) && !("replyTo" in m)));
      assert.deepEqual(v1.frames.map((f) => f.length), [1, 1]);
      assertFrames(a, b);
      for (const s of [a, b, v1]) await s.close();
    });

    Deno.test(`${name} v2 ${mode}: a failed request is answered with an error event and the socket stays open`, async () => {
      await using server = await start({
        env: { ...UNTHROTTLED, RATE_LIMIT_BURST: "8", RATE_LIMIT_PER_SEC: "1" },
      });
      const alice = await signIn(server, "alice");
      const bob = await signIn(server, "bob");
      const a = await join(server, "lobby", alice);
      const b = await join(server, "lobby", bob);
      a.send({ text: "mine", nonce: "ok" });
      await waitForEvent(b, "message 1 mine");
      a.send({ text: "   ", nonce: "blank" });
      a.send({ text: "x".repeat(4001), nonce: "long" });
      b.send({ type: "edit", target: 1, text: "bob's now", nonce: "steal" });
      b.send({ type: "delete", target: 1 });
      a.send({ type: "edit", target: 99, text: "x", nonce: "ghost" });
      a.send({ text: "answer", replyTo: 42, nonce: "nothing" });
      await waitForEvent(a, "error MESSAGE_NOT_FOUND nothing");
      await waitForEvent(b, (e) => e.type === "error" && e.nonce === undefined);
      assert.deepEqual(briefs(a).filter((x) => x.startsWith("error")), [
        "error BAD_TEXT blank",
        "error BAD_TEXT long",
        "error MESSAGE_NOT_FOUND ghost",
        "error MESSAGE_NOT_FOUND nothing",
      ]);
      assert.deepEqual(briefs(b).filter((x) => x.startsWith("error")), [
        "error FORBIDDEN steal",
        "error FORBIDDEN",
      ]);
      const blank = eventsOf(a).find((e) => e.nonce === "blank");
      assert.deepEqual(blank, {
        type: "error",
        nonce: "blank",
        error: { type: "BAD_TEXT", message: "Cannot send the message: text is empty" },
      });
      // Past the burst: errors, not a close; the rest of the bucket still posts.
      for (let i = 0; i < 4; i++) a.send({ text: `flood ${i}`, nonce: `f${i}` });
      await waitForEvent(a, "error RATE_LIMITED f3");
      // A reply goes out at once; with batch=1 a busy room's message may wait for
      // BATCH_WINDOW_MS, so it can come after the errors of the frames behind it.
      await waitForEvent(a, "message 2 flood 0");
      assert.equal(a.ws.readyState, 1, "still open");
      assert.equal(b.ws.readyState, 1, "still open");
      assert.ok(!briefs(b).some((x) => x.startsWith("edit")), "nothing was edited");
      assertFrames(a, b);
      for (const s of [a, b]) await s.close();
    });

    Deno.test(`${name} v2 ${mode}: a frame of the wrong shape still closes with 1007, and a reader's frame with READ_ONLY`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      for (
        const frame of [
          { type: "shout" },
          { type: "edit", text: "x" },
          { type: "read", seq: -1 },
          "nope",
        ]
      ) {
        const socket = await join(server, "lobby", alice);
        socket.send(frame);
        assert.deepEqual(
          await socket.closed,
          { code: 1007, reason: "BAD_MESSAGE" },
          JSON.stringify(frame),
        );
      }
      const reader = await join(server, "lobby");
      reader.send({ type: "typing" });
      assert.deepEqual(await reader.closed, { code: 1008, reason: "READ_ONLY" });
    });

    Deno.test(`${name} v2 ${mode}: typing reaches everyone but the typist, at most once per 2 s`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      const bob = await signIn(server, "bob");
      const a1 = await join(server, "lobby", alice);
      const a2 = await join(server, "lobby", alice);
      const b = await join(server, "lobby", bob);
      const reader = await join(server, "lobby");
      for (let i = 0; i < 5; i++) a1.send({ type: "typing" });
      a2.send({ type: "typing" });
      await waitForEvent(b, "typing alice");
      b.send({ text: "sentinel" }); // after the typing frames, on the same server
      for (const s of [a1, a2, b, reader]) await waitForEvent(s, "message 1 sentinel");
      assert.equal(briefs(b).filter((x) => x === "typing alice").length, 1);
      assert.equal(briefs(reader).filter((x) => x === "typing alice").length, 1);
      assert.ok(
        !briefs(a1).some((x) => x.startsWith("typing")) &&
          !briefs(a2).some((x) => x.startsWith("typing")),
      );
      assertFrames(a1, a2, b, reader);
      for (const s of [a1, a2, b, reader]) await s.close();
    });

    Deno.test(`${name} v2 ${mode}: read moves lastRead and reaches the reader's other tabs only, over the socket and REST`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      const bob = await signIn(server, "bob");
      const tab1 = await join(server, "lobby", alice);
      const tab2 = await join(server, "lobby", alice);
      const b = await join(server, "lobby", bob);
      b.send({ text: "one" });
      b.send({ text: "two" });
      await waitForEvent(tab1, "message 2 two");
      tab1.send({ type: "read", seq: 2 });
      await waitForEvent(tab2, "read lobby 2");
      assert.equal(await server.store.getLastRead(alice.user.id, "lobby"), 2);
      const response = await fetch(`${server.url}/api/v1/rooms/lobby/read`, {
        method: "PUT",
        headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
        body: JSON.stringify({ seq: 1 }),
      });
      assert.deepEqual((await response.json()).data, { room: "lobby", lastRead: 2 });
      await waitForEvent(tab1, "read lobby 2");
      b.send({ text: "sentinel" });
      for (const s of [tab1, tab2, b]) await waitForEvent(s, "message 3 sentinel");
      assert.deepEqual(
        briefs(tab1).filter((x) => x.startsWith("read")),
        ["read lobby 2"],
        "its own read is not echoed",
      );
      assert.deepEqual(briefs(tab2).filter((x) => x.startsWith("read")), [
        "read lobby 2",
        "read lobby 2",
      ]);
      assert.ok(!briefs(b).some((x) => x.startsWith("read")), "nobody else's");
      assertFrames(tab1, tab2, b);
      for (const s of [tab1, tab2, b]) await s.close();
    });

    Deno.test(`${name} v2 ${mode}: since replays every logged event after it, folded, then the live stream`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      const a = await join(server, "lobby", alice);
      a.send({ text: "one" });
      a.send({ text: "two" });
      a.send({ type: "edit", target: 2, text: "two!" });
      a.send({ text: "three" });
      a.send({ type: "delete", target: 1 });
      await waitForEvent(a, "delete 5>1");
      const resumed = await join(server, "lobby", alice, "&since=1");
      assert.deepEqual(briefs(resumed), [
        "message 2 two!",
        "edit 3>2 two!",
        "message 4 three",
        "delete 5>1",
        "presence alice +0",
      ]);
      const fresh = await join(server, "lobby", alice);
      assert.deepEqual(briefs(fresh).slice(0, 4), [
        "message 2 two!",
        "edit 3>2 two!",
        "message 4 three",
        "delete 5>1",
      ]);
      a.send({ text: "live" });
      await waitForEvent(resumed, "message 6 live");
      assert.equal(eventsOf(resumed).filter((e) => e.seq === 6).length, 1);
      if (batch) assert.equal(resumed.frames[0]!.length, 4, "the backlog as one frame");
      assertFrames(resumed, fresh);
      for (const s of [a, resumed, fresh]) await s.close();
    });

    Deno.test(`${name} v2 ${mode}: PATCH over REST reaches the sockets as an edit event`, async () => {
      await using server = await start({ env: UNTHROTTLED });
      const alice = await signIn(server, "alice");
      const a = await join(server, "lobby", alice);
      a.send({ text: "typo" });
      await waitForEvent(a, "message 1 typo");
      const response = await fetch(`${server.url}/api/v1/rooms/lobby/messages/1`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
        body: JSON.stringify({ text: "fixed" }),
      });
      assert.equal(response.status, 200);
      await response.body?.cancel();
      const edit = await waitForEvent(a, "edit 2>1 fixed");
      assert.deepEqual(edit.sender, alice.user);
      await a.close();
    });
  }
}
