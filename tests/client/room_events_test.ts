/**
 * A room connection's listeners (`on`/`off` beside the `on…` options) and its
 * `ready` promise, against a real server on port 0.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  ApiError,
  ChatClient,
  type ChatMessage,
  CLOSE,
  ClosedError,
  type ConnectionStatus,
} from "../../src/client/chat_client.js";
import { eventually } from "../_helpers/eventually.ts";
import { startServer } from "../_helpers/server.ts";

/** Lifts the rate limit so a test can seed history quickly. */
const FAST = { RATE_LIMIT_BURST: "10000", RATE_LIMIT_PER_SEC: "10000" };

async function signedIn(url: string, username: string): Promise<ChatClient> {
  const client = new ChatClient({ baseUrl: url });
  await client.signUp(username, "correct horse");
  await client.login(username, "correct horse");
  return client;
}

/** Sends `count` messages to `room` as a fresh user, then leaves. */
async function seed(url: string, room: string, count: number): Promise<void> {
  const client = await signedIn(url, `seeder-${room}`);
  const connection = client.join(room);
  try {
    for (let i = 1; i <= count; i++) await connection.send(`m${i}`);
  } finally {
    await connection.close();
  }
}

Deno.test("on() listeners get every message in seq order beside onMessage; off() and the disposer stop them", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const fromOption: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const room = alice.join("lobby", { onMessage: (m) => fromOption.push(m.seq) });
  const removeFirst = room.on("message", (m) => first.push(m.seq));
  const onSecond = (m: ChatMessage) => second.push(m.seq);
  room.on("message", onSecond);
  room.on("message", onSecond); // the same function twice is one listener
  try {
    await room.send("one");
    await room.send("two");
    removeFirst();
    room.off("message", onSecond);
    await room.send("three");
    assert.deepEqual(fromOption, [1, 2, 3]);
    assert.deepEqual(first, [1, 2]);
    assert.deepEqual(second, [1, 2]);
  } finally {
    await room.close();
  }
});

Deno.test("a listener that throws is reported and the others still run", async () => {
  await using server = await startServer();
  const alice = await signedIn(server.url, "alice");
  const reported: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    reported.push(event.error);
  };
  globalThis.addEventListener("error", onError);
  const seen: string[] = [];
  const room = alice.join("lobby");
  room.on("message", () => {
    throw new Error("listener failed");
  });
  room.on("message", (m) => seen.push(m.text));
  try {
    await room.send("hello");
    assert.deepEqual(seen, ["hello"]);
    assert.equal(reported.length, 1);
    assert.equal((reported[0] as Error).message, "listener failed");
  } finally {
    globalThis.removeEventListener("error", onError);
    await room.close();
  }
});

Deno.test("status and error listeners see each state change and the error that ended the connection", async () => {
  await using server = await startServer();
  const reader = new ChatClient({ baseUrl: server.url });
  const room = reader.join("lobby");
  const states: ConnectionStatus["state"][] = [];
  const errors: Error[] = [];
  room.on("status", (s) => states.push(s.state));
  room.on("error", (e) => errors.push(e));
  await room.ready;
  const failed = await room.send("let me in").then(
    () => assert.fail("send() should fail"),
    (e) => e,
  );
  assert.ok(failed instanceof ClosedError);
  assert.equal(failed.code, CLOSE.READ_ONLY.code);
  assert.equal(failed.reason, CLOSE.READ_ONLY.reason);
  assert.deepEqual(states, ["connecting", "open", "closed"]);
  assert.deepEqual(errors, [failed]);
  await room.close();
});

Deno.test("ready resolves once the latest 50 of the room's messages have been delivered", async () => {
  await using server = await startServer({ env: FAST });
  await seed(server.url, "busy", 60);
  const seen: number[] = [];
  const room = new ChatClient({ baseUrl: server.url }).join("busy", {
    onMessage: (m) => seen.push(m.seq),
  });
  try {
    await room.ready;
    assert.equal(room.state, "open");
    assert.equal(room.lastSeq, 60);
    assert.deepEqual(seen, Array.from({ length: 50 }, (_, i) => i + 11));
    assert.equal(room.ready, room.ready, "ready is one promise");
  } finally {
    await room.close();
  }
});

Deno.test("ready with since resolves after the messages that came after it", async () => {
  await using server = await startServer({ env: FAST });
  await seed(server.url, "busy", 30);
  const seen: number[] = [];
  const room = new ChatClient({ baseUrl: server.url }).join("busy", {
    since: 25,
    batch: true,
    onMessage: (m) => seen.push(m.seq),
  });
  try {
    await room.ready;
    assert.deepEqual(seen, [26, 27, 28, 29, 30]);
  } finally {
    await room.close();
  }
});

Deno.test("ready resolves for an empty room once the connection is open", async () => {
  await using server = await startServer();
  const room = new ChatClient({ baseUrl: server.url }).join("empty");
  try {
    await room.ready;
    assert.equal(room.state, "open");
    assert.equal(room.lastSeq, undefined);
  } finally {
    await room.close();
  }
});

Deno.test("ready rejects with the error that ended the connection before it joined", async () => {
  await using server = await startServer();
  const badRoom = new ChatClient({ baseUrl: server.url }).join("two words");
  await assert.rejects(badRoom.ready, (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.type, "BAD_ROOM_NAME");
    return true;
  });
  const badToken = new ChatClient({ baseUrl: server.url, token: "not.a.token" }).join("lobby");
  await assert.rejects(badToken.ready, { name: "ApiError", type: "INVALID_AUTH_TOKEN" });
  await badRoom.close();
  await badToken.close();
});

Deno.test("ready rejects with a ClosedError 1000 when close() comes first, and after the end", async () => {
  await using server = await startServer({ env: FAST });
  await seed(server.url, "busy", 5);
  const room = new ChatClient({ baseUrl: server.url }).join("busy");
  const ready = room.ready;
  await room.close();
  await assert.rejects(ready, { name: "ClosedError", code: CLOSE.NORMAL.code });
  const late = new ChatClient({ baseUrl: server.url }).join("busy");
  await eventually(() => Promise.resolve(late.state), (s) => s === "open");
  await late.close();
  await assert.rejects(late.ready, { name: "ClosedError", code: CLOSE.NORMAL.code });
});
