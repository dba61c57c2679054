/**
 * The client module against a real server on port 0.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  ApiError,
  ChatClient,
  type ChatMessage,
  CLOSE_CODES,
  CLOSE_REASONS,
  ClosedError,
  type ConnectionStatus,
  type JoinOptions,
  type RoomConnection,
  TimeoutError,
} from "../../src/client/chat_client.js";
import { eventually } from "../_helpers/eventually.ts";
import { startServer } from "../_helpers/server.ts";
import { startTcpProxy } from "./tcp_proxy.ts";

/** Lifts the rate limit so a test can send quickly. */
const FAST = { RATE_LIMIT_BURST: "10000", RATE_LIMIT_PER_SEC: "10000" };

/** A joined room that records what it saw. */
interface Recorder {
  connection: RoomConnection;
  messages: ChatMessage[];
  statuses: ConnectionStatus[];
  errors: Error[];
  waitFor(count: number, timeoutMs?: number): Promise<ChatMessage[]>;
  waitForState(state: ConnectionStatus["state"], timeoutMs?: number): Promise<void>;
}

function record(client: ChatClient, room: string, options: JoinOptions = {}): Recorder {
  const messages: ChatMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  const errors: Error[] = [];
  const connection = client.join(room, {
    minReconnectDelayMs: 20,
    maxReconnectDelayMs: 200,
    ...options,
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    onError: (e) => errors.push(e),
  });
  const until = async (done: () => boolean, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    connection,
    messages,
    statuses,
    errors,
    async waitFor(count, timeoutMs = 5000) {
      await until(
        () => messages.length >= count,
        `${count} messages (have ${messages.length})`,
        timeoutMs,
      );
      return messages;
    },
    waitForState(state, timeoutMs = 5000) {
      return until(() => connection.state === state, `state ${state}`, timeoutMs);
    },
  };
}

async function signedIn(url: string, username: string): Promise<ChatClient> {
  const client = new ChatClient({ baseUrl: url });
  await client.signUp(username, "correct horse");
  await client.login(username, "correct horse");
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("signUp() returns the new user and login() keeps the token for later calls", async () => {
  await using server = await startServer();
  const client = new ChatClient({ baseUrl: server.url });
  const created = await client.signUp("alice", "correct horse");
  assert.equal(created.username, "alice");
  assert.ok(Number.isInteger(created.id) && created.id > 0);
  assert.equal(client.token, undefined);

  const result = await client.login("alice", "correct horse");
  assert.equal(client.token, result.token);
  assert.deepEqual(client.user, { id: created.id, username: "alice" });
  assert.deepEqual(await client.me(), { id: created.id, username: "alice", admin: false });
});

Deno.test("signUp() throws an ApiError USER_EXISTS with status 409 when the name is taken", async () => {
  await using server = await startServer();
  const client = new ChatClient({ baseUrl: server.url });
  await client.signUp("alice", "correct horse");
  const error = await client.signUp("ALICE", "another secret").then(
    () => assert.fail("signUp() should have thrown"),
    (e) => e,
  );
  assert.ok(error instanceof ApiError);
  assert.equal(error.type, "USER_EXISTS");
  assert.equal(error.status, 409);
  assert.equal(typeof error.message, "string");
  assert.ok(error.message.length > 0);
});

Deno.test("login() throws typed errors for an unknown user and a wrong secret", async () => {
  await using server = await startServer();
  const client = new ChatClient({ baseUrl: server.url });
  await assert.rejects(client.login("nobody", "x"), {
    name: "ApiError",
    type: "USER_NOT_FOUND",
    status: 400,
  });
  await client.signUp("alice", "correct horse");
  await assert.rejects(client.login("alice", "wrong"), {
    name: "ApiError",
    type: "PASSWORD_MATCH_FAILED",
    status: 401,
  });
  assert.equal(client.token, undefined);
});

Deno.test("a request to an unreachable server throws an ApiError NETWORK_ERROR", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const client = new ChatClient({ baseUrl: `http://127.0.0.1:${port}` });
  await assert.rejects(client.roomInfo("lobby"), {
    name: "ApiError",
    type: "NETWORK_ERROR",
    status: 0,
  });
});

Deno.test("send() resolves with the delivered message carrying its own nonce, for concurrent sends", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const bob = await signedIn(server.url, "bob");
  const a = record(alice, "lobby");
  const b = record(bob, "lobby");
  try {
    await Promise.all([a.waitForState("open"), b.waitForState("open")]);
    const texts = ["one", "two", "three", "four", "five"];
    const [delivered, fromBob] = await Promise.all([
      Promise.all(texts.map((text) => a.connection.send(text))),
      b.connection.send("from bob"),
    ]);
    for (const [i, message] of delivered.entries()) {
      assert.equal(message.text, texts[i]);
      assert.equal(message.sender.username, "alice");
      assert.match(message.nonce ?? "", /^[0-9a-f]{32}$/);
    }
    assert.equal(new Set(delivered.map((m) => m.nonce)).size, texts.length);
    assert.equal(fromBob.sender.username, "bob");
    assert.equal(fromBob.text, "from bob");
    // Every member saw the same six messages, in seq order.
    const seen = await b.waitFor(6);
    assert.deepEqual(seen.map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(a.messages.map((m) => m.id), seen.map((m) => m.id));
  } finally {
    await a.connection.close();
    await b.connection.close();
  }
});

Deno.test("send() rejects empty and over-long text with a RangeError and keeps the connection", async () => {
  await using server = await startServer();
  const alice = await signedIn(server.url, "alice");
  const a = record(alice, "lobby");
  try {
    await a.waitForState("open");
    await assert.rejects(a.connection.send("   "), RangeError);
    await assert.rejects(a.connection.send("x".repeat(4001)), RangeError);
    const ok = await a.connection.send("😀".repeat(4000));
    assert.equal([...ok.text].length, 4000);
    assert.equal(a.connection.state, "open");
  } finally {
    await a.connection.close();
  }
});

Deno.test("send() rejects with a TimeoutError when no echo arrives in time", async () => {
  // A server that accepts the TCP connection and never answers the handshake.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const client = new ChatClient({ baseUrl: `http://127.0.0.1:${listener.addr.port}`, token: "t" });
  const a = record(client, "lobby", { sendTimeoutMs: 50 });
  const conn = await accepted;
  try {
    assert.equal(a.connection.state, "connecting");
    await assert.rejects(a.connection.send("hello"), TimeoutError);
  } finally {
    await Promise.all([a.connection.close(), Promise.resolve().then(() => conn.close())]);
    listener.close();
  }
});

Deno.test("history() pages back with before and limit, oldest first", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const a = record(alice, "lobby");
  try {
    await a.waitForState("open");
    for (let i = 1; i <= 5; i++) await a.connection.send(`m${i}`);
  } finally {
    await a.connection.close();
  }
  const latest = await alice.history("lobby", { limit: 2 });
  assert.deepEqual(latest.messages.map((m) => m.text), ["m4", "m5"]);
  assert.equal(latest.hasMore, true);
  const older = await alice.history("lobby", { before: latest.messages[0]!.seq, limit: 10 });
  assert.deepEqual(older.messages.map((m) => m.text), ["m1", "m2", "m3"]);
  assert.equal(older.hasMore, false);
  await assert.rejects(alice.history("lobby", { limit: 1000 }), {
    name: "ApiError",
    type: "BAD_QUERY",
  });
});

Deno.test("roomInfo() and roomUsers() report the room's last seq and who is online", async () => {
  await using server = await startServer();
  const alice = await signedIn(server.url, "alice");
  const reader = new ChatClient({ baseUrl: server.url });
  const a = record(alice, "lobby");
  const r = record(reader, "lobby");
  try {
    await a.waitForState("open");
    await r.waitForState("open");
    await a.connection.send("hi");
    const users = await eventually(
      () => reader.roomUsers("lobby"),
      (u) => u.users.length === 1 && u.anonymous === 1,
    );
    assert.deepEqual(users.users.map((u) => u.username), ["alice"]);
    const info = await reader.roomInfo("lobby");
    assert.deepEqual(info, { name: "lobby", lastSeq: 1, online: { users: 1, anonymous: 1 } });
  } finally {
    await a.connection.close();
    await r.connection.close();
  }
});

Deno.test("join() delivers the room's history first, in one frame with batch", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const a = record(alice, "lobby");
  try {
    await a.waitForState("open");
    for (let i = 1; i <= 3; i++) await a.connection.send(`m${i}`);
  } finally {
    await a.connection.close();
  }
  const late = record(new ChatClient({ baseUrl: server.url }), "lobby", { batch: true });
  try {
    const seen = await late.waitFor(3);
    assert.deepEqual(seen.map((m) => m.text), ["m1", "m2", "m3"]);
    assert.equal(late.connection.lastSeq, 3);
    assert.equal(late.connection.readOnly, true);
  } finally {
    await late.connection.close();
  }
});

Deno.test(
  "join() reconnects after its connection is cut and loses or doubles nothing while another client keeps sending",
  async () => {
    await using server = await startServer({ env: FAST });
    await using proxy = startTcpProxy(Number(new URL(server.url).port));
    const alice = await signedIn(server.url, "alice");
    const bob = await signedIn(server.url, "bob");
    const viaProxy = new ChatClient({ baseUrl: proxy.url, token: alice.token, user: alice.user });
    const a = record(viaProxy, "lobby", { batch: true });
    const b = record(bob, "lobby");
    // More than the 50 messages a fresh join replays are sent while alice is away,
    // so only a resume with ?since= gets them all.
    const total = 100;
    try {
      await Promise.all([a.waitForState("open"), b.waitForState("open")]);
      let aliceSend: Promise<ChatMessage> | undefined;
      for (let i = 1; i <= total; i++) {
        await b.connection.send(`bob ${i}`);
        if (i === 20) {
          proxy.blocked = true;
          await proxy.cut();
          await a.waitForState("reconnecting");
          // Sent while the connection is down: written once it is back.
          aliceSend = a.connection.send("alice while reconnecting");
        }
        if (i === 90) proxy.blocked = false;
        if (i % 10 === 0) await sleep(40);
      }
      const mine = await aliceSend!;
      assert.equal(mine.text, "alice while reconnecting");
      const seen = await a.waitFor(total + 1);
      await sleep(100); // Anything doubled would arrive by now.
      assert.equal(a.messages.length, total + 1);
      assert.deepEqual(seen.map((m) => m.seq), Array.from({ length: total + 1 }, (_, i) => i + 1));
      assert.deepEqual(
        seen.filter((m) => m.sender.username === "bob").map((m) => m.text),
        Array.from({ length: total }, (_, i) => `bob ${i + 1}`),
      );
      const retries = a.statuses.filter((s) => s.state === "reconnecting");
      assert.equal(retries[0]?.code, CLOSE_CODES.ABNORMAL);
      assert.ok(retries.length >= 2, "the blocked proxy made at least one attempt fail");
      assert.equal(a.connection.state, "open");
      assert.deepEqual(a.errors, []);
    } finally {
      await a.connection.close();
      await b.connection.close();
    }
  },
);

Deno.test("a reader that joined an empty room and is cut off gets every message sent meanwhile", async () => {
  await using server = await startServer({ env: FAST });
  await using proxy = startTcpProxy(Number(new URL(server.url).port));
  const bob = await signedIn(server.url, "bob");
  const reader = record(new ChatClient({ baseUrl: proxy.url }), "empty");
  const b = record(bob, "empty");
  try {
    await Promise.all([reader.waitForState("open"), b.waitForState("open")]);
    proxy.blocked = true;
    await proxy.cut();
    await reader.waitForState("reconnecting");
    // More than the 50 a plain join would send.
    for (let i = 1; i <= 60; i++) await b.connection.send(`bob ${i}`);
    proxy.blocked = false;
    const seen = await reader.waitFor(60);
    await sleep(100);
    assert.deepEqual(seen.map((m) => m.seq), Array.from({ length: 60 }, (_, i) => i + 1));
  } finally {
    await reader.connection.close();
    await b.connection.close();
  }
});

/** A WebSocket stand-in that opens and then delivers the given frames. */
function scriptedSocket(frames: string[]): typeof WebSocket {
  class ScriptedSocket extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    readyState = 0;
    #timer: ReturnType<typeof setTimeout>;
    constructor(_url: string | URL, _protocols?: string[]) {
      super();
      this.#timer = setTimeout(() => {
        this.readyState = 1;
        this.dispatchEvent(new Event("open"));
        for (const data of frames) this.dispatchEvent(new MessageEvent("message", { data }));
      }, 0);
    }
    send(_data: string) {}
    close(code = 1000, reason = "") {
      clearTimeout(this.#timer);
      this.readyState = 3;
      this.dispatchEvent(new CloseEvent("close", { code, reason }));
    }
  }
  return ScriptedSocket as unknown as typeof WebSocket;
}

Deno.test("a gap in the stream is filled from the REST history before later messages", async () => {
  await using server = await startServer({ env: FAST });
  const alice = await signedIn(server.url, "alice");
  const a = record(alice, "lobby");
  try {
    await a.waitForState("open");
    for (let i = 1; i <= 5; i++) await a.connection.send(`m${i}`);
  } finally {
    await a.connection.close();
  }
  const { messages } = await alice.history("lobby");
  // The socket delivers seq 1, then jumps to seq 5.
  const frames = [JSON.stringify([messages[0]]), JSON.stringify([messages[4]])];
  const client = new ChatClient({ baseUrl: server.url, WebSocket: scriptedSocket(frames) });
  const c = record(client, "lobby");
  try {
    const seen = await c.waitFor(5);
    assert.deepEqual(seen.map((m) => m.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual(seen.map((m) => m.text), ["m1", "m2", "m3", "m4", "m5"]);
  } finally {
    await c.connection.close();
  }
});

Deno.test("join() retries an unreachable server with exponential backoff and jitter", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const client = new ChatClient({ baseUrl: `http://127.0.0.1:${port}` });
  const c = record(client, "lobby", { minReconnectDelayMs: 10, maxReconnectDelayMs: 80 });
  try {
    const delays = () =>
      c.statuses.filter((s) => s.state === "reconnecting").map((s) => s.delayMs!);
    await eventually(() => Promise.resolve(delays()), (d) => d.length >= 6, { timeoutMs: 5000 });
    const seen = delays().slice(0, 6);
    for (const [i, delay] of seen.entries()) {
      const ceiling = Math.min(80, 10 * 2 ** i);
      assert.ok(
        delay >= ceiling / 2 && delay <= ceiling,
        `attempt ${i}: ${delay} ms, ceiling ${ceiling}`,
      );
    }
    assert.deepEqual(c.errors, []);
  } finally {
    await c.connection.close();
  }
  assert.equal(c.connection.state, "closed");
});

Deno.test("a read-only connection that sends is closed with READ_ONLY and does not reconnect", async () => {
  await using server = await startServer();
  const reader = new ChatClient({ baseUrl: server.url });
  const r = record(reader, "lobby");
  try {
    await r.waitForState("open");
    assert.equal(r.connection.readOnly, true);
    const error = await r.connection.send("let me in").then(
      () => assert.fail("send() should fail"),
      (e) => e,
    );
    assert.ok(error instanceof ClosedError);
    assert.equal(error.code, CLOSE_CODES.POLICY);
    assert.equal(error.reason, CLOSE_REASONS.READ_ONLY);
    assert.equal(await r.connection.ended, error);
    await sleep(300); // Far past the 20 ms reconnect delay.
    assert.equal(r.connection.state, "closed");
    assert.equal(r.statuses.filter((s) => s.state === "connecting").length, 1);
    assert.deepEqual(r.errors, [error]);
    await assert.rejects(r.connection.send("again"), ClosedError);
  } finally {
    await r.connection.close();
  }
});

Deno.test("join() with an invalid token ends with an ApiError INVALID_AUTH_TOKEN and no retry", async () => {
  await using server = await startServer();
  const client = new ChatClient({ baseUrl: server.url, token: "not.a.token" });
  const c = record(client, "lobby");
  try {
    const error = await c.connection.ended;
    assert.ok(error instanceof ApiError);
    assert.equal(error.type, "INVALID_AUTH_TOKEN");
    assert.equal(error.status, 401);
    assert.equal(c.statuses.filter((s) => s.state === "connecting").length, 1);
  } finally {
    await c.connection.close();
  }
});

Deno.test("join() with a bad room name ends with an ApiError BAD_ROOM_NAME", async () => {
  await using server = await startServer();
  const c = record(new ChatClient({ baseUrl: server.url }), "no spaces allowed");
  try {
    const error = await c.connection.ended;
    assert.ok(error instanceof ApiError);
    assert.equal(error.type, "BAD_ROOM_NAME");
  } finally {
    await c.connection.close();
  }
});

Deno.test("close() ends the connection for good and rejects pending sends with a ClosedError", async () => {
  await using server = await startServer();
  const alice = await signedIn(server.url, "alice");
  const a = record(alice, "lobby");
  await a.waitForState("open");
  const rejected = assert.rejects(a.connection.send("bye"), {
    name: "ClosedError",
    code: CLOSE_CODES.NORMAL,
  });
  await a.connection.close();
  await rejected;
  assert.equal(await a.connection.ended, undefined);
  assert.equal(a.connection.state, "closed");
  assert.deepEqual(a.errors, []);
});
