/**
 * §7 on real sockets: private rooms and bans at the handshake (before the
 * upgrade), and kicks (4001), bans (4003), mutes (v1: 1008 MUTED; v2: an
 * `error` event), deletes (the v2 `delete` event, live and on `since`),
 * logout (1008 TOKEN_REVOKED), server bans and the server API's disconnect
 * reaching open sockets. Registered per store by
 * `moderation_socket_test.ts` and `tests/redis/moderation_redis_socket_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/store/store.ts";
import { type Json, signIn, startServer, type TestServer } from "../_helpers/server.ts";
import { connect, type RefusedHandshake, type TestSocket } from "../_helpers/ws_client.ts";
import { API_KEY } from "../http/routes/_moderation_app.ts";

type User = { token: string; user: { id: number; username: string } };

/** Calls the server's API; returns status and data (or the error). */
async function call(
  server: TestServer,
  method: string,
  path: string,
  options: { as?: User; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.as) headers.authorization = `Bearer ${options.as.token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: await response.json() };
}

async function ok(answer: Promise<{ status: number; body: Json }>, status = 200): Promise<Json> {
  const { status: got, body } = await answer;
  assert.equal(got, status, JSON.stringify(body));
  return body.data;
}

async function refused(url: string, protocols: string[] = []): Promise<RefusedHandshake> {
  try {
    const socket = await connect(url, protocols);
    await socket.close();
  } catch (error) {
    return error as RefusedHandshake;
  }
  throw new Error(`the handshake to ${url} was accepted`);
}

/** Resolves with the first event of `type` the socket gets, at most ~5 s. */
async function eventOf(socket: TestSocket, type: string): Promise<Json> {
  for (let i = 0; i < 500; i++) {
    const found = (socket.frames.flat() as Json[]).find((e) => e.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${type} event; got ${JSON.stringify(socket.frames)}`);
}

/** The socket's close, or a failure after 5 s. */
async function closeOf(socket: TestSocket): Promise<{ code: number; reason: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the socket stayed open")), 5000);
  });
  try {
    return await Promise.race([socket.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Registers the socket tests for one store. */
export function moderationSocketSuite(name: string, open: () => Promise<Store>): void {
  const test = (what: string, fn: (server: TestServer) => Promise<void>) =>
    Deno.test(`${name}: ${what}`, async () => {
      const store = await open();
      try {
        await using server = await startServer({
          store,
          env: { ADMIN_USERNAMES: "root", ADMIN_API_KEY: API_KEY, RATE_LIMIT_BURST: "100" },
        });
        await fn(server);
      } finally {
        await store.close();
      }
    });
  const ws = (server: TestServer, room: string, query = "") =>
    `${server.wsUrl}/api/v1/rooms/${room}/ws${query}`;

  test("a private room's handshake: 401 anonymous, 403 NOT_A_MEMBER, 101 for members and admins", async (server) => {
    const alice = await signIn(server, "alice");
    const bob = await signIn(server, "bob");
    const root = await signIn(server, "root");
    await ok(
      call(server, "POST", "/api/v1/rooms", {
        as: alice,
        body: { name: "secret", visibility: "private" },
      }),
      201,
    );
    const anonymous = await refused(ws(server, "secret"));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.type, "INVALID_AUTH_TOKEN");
    const outsider = await refused(ws(server, "secret"), [bob.token]);
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.error.type, "NOT_A_MEMBER");
    for (const user of [alice, root]) {
      const socket = await connect(ws(server, "secret"), [user.token]);
      await socket.close();
    }
  });

  test("removing a member closes its sockets in the private room with 4001 KICKED", async (server) => {
    const alice = await signIn(server, "alice");
    const bob = await signIn(server, "bob");
    await ok(
      call(server, "POST", "/api/v1/rooms", {
        as: alice,
        body: { name: "team", visibility: "private" },
      }),
      201,
    );
    await ok(call(server, "PUT", `/api/v1/rooms/team/members/${bob.user.id}`, {
      as: alice,
      body: {},
    }));
    const bobs = [
      await connect(ws(server, "team"), [bob.token]),
      await connect(ws(server, "team"), [bob.token]),
    ];
    const owner = await connect(ws(server, "team"), [alice.token]);
    await ok(call(server, "DELETE", `/api/v1/rooms/team/members/${bob.user.id}`, { as: alice }));
    for (const socket of bobs) {
      assert.deepEqual(await closeOf(socket), { code: 4001, reason: "KICKED" });
    }
    owner.send({ text: "still here" });
    assert.equal((await owner.waitForMessages(1))[0]!.text, "still here");
    assert.equal((await refused(ws(server, "team"), [bob.token])).body.error.type, "NOT_A_MEMBER");
    await owner.close();
  });

  test("a ban closes the user's sockets in the room with 4003 and refuses its handshake with 403 BANNED", async (server) => {
    const root = await signIn(server, "root");
    const eve = await signIn(server, "eve");
    const inLobby = await connect(ws(server, "lobby"), [eve.token]);
    const elsewhere = await connect(ws(server, "other"), [eve.token]);
    await ok(
      call(server, "PUT", `/api/v1/rooms/lobby/bans/${eve.user.id}`, { as: root, body: {} }),
    );
    assert.deepEqual(await closeOf(inLobby), { code: 4003, reason: "BANNED" });
    const again = await refused(ws(server, "lobby"), [eve.token]);
    assert.equal(again.status, 403);
    assert.equal(again.body.error.type, "BANNED");
    elsewhere.send({ text: "other rooms are fine" });
    await elsewhere.waitForMessages(1);
    await elsewhere.close();
  });

  test("a mute: a v1 socket that sends is closed 1008 MUTED; a v2 one gets an error event and stays", async (server) => {
    const root = await signIn(server, "root");
    const eve = await signIn(server, "eve");
    const v1 = await connect(ws(server, "lobby"), [eve.token]);
    const v2 = await connect(ws(server, "lobby", "?v=2"), [eve.token]);
    await ok(
      call(server, "PUT", `/api/v1/rooms/lobby/mutes/${eve.user.id}`, { as: root, body: {} }),
    );
    v2.send({ type: "message", text: "hello?", nonce: "n1" });
    const error = await eventOf(v2, "error");
    assert.equal(error.nonce, "n1");
    assert.equal(error.error.type, "MUTED");
    v1.send({ text: "hello?" });
    assert.deepEqual(await closeOf(v1), { code: 1008, reason: "MUTED" });
    await ok(call(server, "DELETE", `/api/v1/rooms/lobby/mutes/${eve.user.id}`, { as: root }));
    v2.send({ type: "message", text: "free", nonce: "n2" });
    const message = await eventOf(v2, "message");
    assert.equal(message.text, "free");
    const page = await ok(call(server, "GET", "/api/v1/rooms/lobby/messages"));
    assert.deepEqual(page.messages.map((m: { text: string }) => m.text), ["free"]);
    await v2.close();
  });

  test("a muted user is not shown typing; once unmuted it is", async (server) => {
    const root = await signIn(server, "root");
    const eve = await signIn(server, "eve");
    const watcher = await connect(ws(server, "lobby", "?v=2"), [root.token]);
    await eventOf(watcher, "presence");
    const typist = await connect(ws(server, "lobby", "?v=2"), [eve.token]);
    await eventOf(typist, "presence");
    await ok(
      call(server, "PUT", `/api/v1/rooms/lobby/mutes/${eve.user.id}`, { as: root, body: {} }),
    );
    typist.send({ type: "typing" });
    // A message after the typing frame, answered in order: by then the typing was decided.
    typist.send({ type: "message", text: "still muted?", nonce: "m" });
    assert.equal((await eventOf(typist, "error")).error.type, "MUTED");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const typed = () => (watcher.frames.flat() as Json[]).filter((e) => e.type === "typing");
    assert.deepEqual(typed(), []);
    await ok(call(server, "DELETE", `/api/v1/rooms/lobby/mutes/${eve.user.id}`, { as: root }));
    typist.send({ type: "typing" });
    const typing = await eventOf(watcher, "typing");
    assert.equal(typing.user.id, eve.user.id);
    await typist.close();
    await watcher.close();
  });

  test("a delete reaches v2 members live and on since; v1 history leaves the message out", async (server) => {
    const alice = await signIn(server, "alice");
    const root = await signIn(server, "root");
    const watcher = await connect(ws(server, "lobby", "?v=2"), [root.token]);
    const writer = await connect(ws(server, "lobby"), [alice.token]);
    writer.send({ text: "oops" });
    const [sent] = await writer.waitForMessages(1);
    await ok(call(server, "DELETE", `/api/v1/rooms/lobby/messages/${sent!.seq}`, { as: root }));
    const live = await eventOf(watcher, "delete");
    assert.deepEqual([live.target, live.by.username], [sent!.seq, "root"]);
    const late = await connect(ws(server, "lobby", "?v=2&since=0"), [alice.token]);
    const replayed = await eventOf(late, "delete");
    assert.equal(replayed.target, sent!.seq);
    assert.ok(
      !(late.frames.flat() as Json[]).some((e) => e.type === "message"),
      "text not replayed",
    );
    // A v1 join after the delete: its history leaves the message out, so the next
    // message is the first it receives.
    const v1 = await connect(ws(server, "lobby"));
    writer.send({ text: "after" });
    assert.deepEqual((await v1.waitForMessages(1)).map((m) => m.text), ["after"]);
    const page = await ok(call(server, "GET", "/api/v1/rooms/lobby/messages"));
    assert.deepEqual(page.messages.map((m: { text: string }) => m.text), ["after"]);
    for (const socket of [watcher, writer, late, v1]) await socket.close();
  });

  test("logout closes the token's sockets with 1008 TOKEN_REVOKED; all: true every socket of the user", async (server) => {
    const first = await signIn(server, "alice");
    const second = await signIn(server, "alice");
    const a = await connect(ws(server, "lobby"), [first.token]);
    const b = await connect(ws(server, "other"), [second.token]);
    await ok(call(server, "POST", "/api/v1/logout", { as: first, body: {} }));
    assert.deepEqual(await closeOf(a), { code: 1008, reason: "TOKEN_REVOKED" });
    assert.equal((await refused(ws(server, "lobby"), [first.token])).status, 401);
    b.send({ text: "the other token still works" });
    await b.waitForMessages(1);
    await ok(call(server, "POST", "/api/v1/logout", { as: second, body: { all: true } }));
    assert.deepEqual(await closeOf(b), { code: 1008, reason: "TOKEN_REVOKED" });
  });

  test("a v2 socket that took a fresh token (auth frame) is closed by that token's revocation", async (server) => {
    const first = await signIn(server, "alice");
    const fresh = await signIn(server, "alice");
    const socket = await connect(ws(server, "lobby", "?v=2"), [first.token]);
    socket.send({ type: "auth", token: fresh.token });
    // Frames are handled in order: once this echo is back, the auth frame was taken.
    socket.send({ type: "message", text: "after auth", nonce: "a" });
    await eventOf(socket, "message");
    await ok(call(server, "POST", "/api/v1/logout", { as: first, body: {} }));
    socket.send({ type: "message", text: "still open", nonce: "b" });
    for (let i = 0; i < 500; i++) {
      if ((socket.frames.flat() as Json[]).some((e) => e.nonce === "b")) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok((socket.frames.flat() as Json[]).some((e) => e.text === "still open"));
    await ok(call(server, "POST", "/api/v1/logout", { as: fresh, body: {} }));
    assert.deepEqual(await closeOf(socket), { code: 1008, reason: "TOKEN_REVOKED" });
  });

  test("a server ban closes the user's sockets everywhere with 4003; the server API's disconnect with 4001", async (server) => {
    const root = await signIn(server, "root");
    const eve = await signIn(server, "eve");
    const carol = await signIn(server, "carol");
    const eves = [
      await connect(ws(server, "a"), [eve.token]),
      await connect(ws(server, "b"), [eve.token]),
    ];
    const carols = [
      await connect(ws(server, "a"), [carol.token]),
      await connect(ws(server, "b"), [carol.token]),
    ];
    await ok(call(server, "PUT", `/api/v1/admin/users/${eve.user.id}/ban`, { as: root, body: {} }));
    for (const socket of eves) {
      assert.deepEqual(await closeOf(socket), { code: 4003, reason: "BANNED" });
    }
    assert.equal((await refused(ws(server, "a"), [eve.token])).status, 401);
    await ok(call(server, "POST", `/api/v1/admin/users/${carol.user.id}/disconnect`, {
      headers: { "x-api-key": API_KEY },
      body: { room: "a" },
    }));
    assert.deepEqual(await closeOf(carols[0]!), { code: 4001, reason: "KICKED" });
    carols[1]!.send({ text: "room b is untouched" });
    await carols[1]!.waitForMessages(1);
    await carols[1]!.close();
  });

  test("creating a private room where readers already wait closes those who may not read it (4001)", async (server) => {
    const alice = await signIn(server, "alice");
    const bob = await signIn(server, "bob");
    const reader = await connect(ws(server, "fresh"));
    const stranger = await connect(ws(server, "fresh"), [bob.token]);
    const owner = await connect(ws(server, "fresh"), [alice.token]);
    await ok(
      call(server, "POST", "/api/v1/rooms", {
        as: alice,
        body: { name: "fresh", visibility: "private" },
      }),
      201,
    );
    assert.deepEqual(await closeOf(reader), { code: 4001, reason: "KICKED" });
    assert.deepEqual(await closeOf(stranger), { code: 4001, reason: "KICKED" });
    owner.send({ text: "mine now" });
    await owner.waitForMessages(1);
    await owner.close();
  });
}
