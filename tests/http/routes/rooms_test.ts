/**
 * Tests of the room REST routes (contract §4): history pages, room info and
 * who is connected. Those that need no socket go through `app.request()`; the
 * presence tests join over real WebSockets. Every response is also held
 * against the OpenAPI document.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { PublicUser } from "../../../src/model.ts";
import type { Store } from "../../../src/store/store.ts";
import { readEnvelope } from "../../_helpers/envelope.ts";
import { eventually } from "../../_helpers/eventually.ts";
import { seedMessages, signIn, startServer, type TestServer } from "../../_helpers/server.ts";
import { UNTHROTTLED } from "../../_helpers/unthrottled.ts";
import { connect, type WireMessage } from "../../_helpers/ws_client.ts";
import { signInApp, startTestApp, type TestApp } from "../test_app.ts";

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Appends straight to the store, for rooms with more history than a socket may send quickly. */
const seed = (store: Store, room: string, sender: PublicUser, count: number) =>
  seedMessages(store, room, sender, count, "message");

/** Anything that answers requests: an in-process app, or a server's address. */
type Target = TestApp | TestServer;

function request(target: Target, path: string): Promise<Response> {
  return "request" in target ? target.request(path) : fetch(`${target.url}${path}`);
}

async function page(target: Target, room: string, query = "") {
  const response = await request(target, `/api/v1/rooms/${room}/messages${query}`);
  const body = await readEnvelope(response, 200);
  assert.deepEqual(Object.keys(body.data).sort(), ["hasMore", "messages"]);
  return body.data as { messages: WireMessage[]; hasMore: boolean };
}

async function roomInfo(server: TestServer, room: string) {
  return (await readEnvelope(await fetch(`${server.url}/api/v1/rooms/${room}`), 200)).data;
}

async function roomUsers(server: TestServer, room: string) {
  return (await readEnvelope(await fetch(`${server.url}/api/v1/rooms/${room}/users`), 200)).data;
}

Deno.test("GET /rooms/:room/messages walks a room end to end with before, limit and hasMore", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  await seed(app.store, "lobby", alice.user, 120);
  const seen: number[] = [];
  let before: number | undefined;
  let pages = 0;
  while (true) {
    const query = `?limit=25${before === undefined ? "" : `&before=${before}`}`;
    const { messages, hasMore } = await page(app, "lobby", query);
    pages++;
    const seqs = messages.map((m) => m.seq);
    // Each page is oldest first and sits just below the previous one.
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    if (before !== undefined) assert.equal(seqs.at(-1), before - 1);
    seen.unshift(...seqs);
    if (!hasMore) {
      assert.equal(seqs[0], 1);
      break;
    }
    assert.equal(messages.length, 25);
    before = seqs[0];
    assert.ok(pages < 10, "paging does not end");
  }
  assert.equal(pages, 5);
  assert.deepEqual(seen, range(1, 120));
});

Deno.test("GET /rooms/:room/messages holds whole messages, as the socket sends them", async () => {
  await using server = await startServer({ env: UNTHROTTLED });
  const alice = await signIn(server, "alice");
  const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [alice.token]);
  try {
    socket.send({ text: "hello", nonce: "n-1" });
    socket.send({ text: "world" });
    const live = await socket.waitForMessages(2);
    const { messages, hasMore } = await page(server, "lobby");
    assert.equal(hasMore, false);
    assert.deepEqual(messages, live);
  } finally {
    await socket.close();
  }
});

Deno.test("GET /rooms/:room/messages without limit returns the latest 50", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  await seed(app.store, "lobby", alice.user, 120);
  const latest = await page(app, "lobby");
  assert.deepEqual(latest.messages.map((m) => m.seq), range(71, 120));
  assert.equal(latest.hasMore, true);
  const older = await page(app, "lobby", "?before=71");
  assert.deepEqual(older.messages.map((m) => m.seq), range(21, 70));
  assert.equal(older.hasMore, true);
  const all = await page(app, "lobby", "?limit=100&before=101");
  assert.deepEqual(all.messages.map((m) => m.seq), range(1, 100));
  assert.equal(all.hasMore, false);
});

Deno.test("GET /rooms/:room/messages of an empty room is an empty page without more", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  assert.deepEqual(await page(app, "nobody-here"), { messages: [], hasMore: false });
  assert.deepEqual(await page(app, "nobody-here", "?before=10&limit=1"), {
    messages: [],
    hasMore: false,
  });
});

Deno.test("GET /rooms/:room/messages with a bad limit or before gets 400 BAD_QUERY", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const queries = [
    "limit=0",
    "limit=101",
    "limit=abc",
    "limit=-1",
    "limit=1.5",
    "limit=",
    "limit=10&limit=20",
    "before=-1",
    "before=abc",
    "before=1.5",
    "before=",
    "before=1e3",
  ];
  for (const query of queries) {
    const response = await app.request(`/api/v1/rooms/lobby/messages?${query}`);
    await readEnvelope(response, 400, "BAD_QUERY");
  }
});

Deno.test("GET /rooms/:room routes refuse a bad room name with 400 BAD_ROOM_NAME", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  for (const room of ["a".repeat(65), "a%20b", "a%09b", "a%01b", "a%2Fb"]) {
    for (const suffix of ["", "/messages", "/users"]) {
      const response = await app.request(`/api/v1/rooms/${room}${suffix}`);
      await readEnvelope(response, 400, "BAD_ROOM_NAME");
    }
  }
});

Deno.test("GET /rooms/:room reports its name, lastSeq and who is online", async () => {
  await using server = await startServer({ env: UNTHROTTLED });
  assert.deepEqual(await roomInfo(server, "lobby"), {
    name: "lobby",
    lastSeq: 0,
    online: { users: 0, anonymous: 0 },
  });
  const alice = await signIn(server, "alice");
  const bob = await signIn(server, "bob");
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const sockets = [
    await connect(url, [alice.token]),
    await connect(`${server.wsUrl}/api/v1/rooms/lobby/messages/ws`, [alice.token]),
    await connect(url, [bob.token]),
    await connect(url),
    await connect(url),
  ];
  try {
    sockets[0]!.send({ text: "one" });
    sockets[2]!.send({ text: "two" });
    sockets[0]!.send({ text: "three" });
    await sockets[3]!.waitForMessages(3);
    const info = await eventually(
      () => roomInfo(server, "lobby"),
      (i) => i.online.users === 2 && i.online.anonymous === 2,
    );
    assert.deepEqual(info, { name: "lobby", lastSeq: 3, online: { users: 2, anonymous: 2 } });
  } finally {
    for (const socket of sockets) await socket.close();
  }
  const after = await eventually(
    () => roomInfo(server, "lobby"),
    (i) => i.online.users === 0 && i.online.anonymous === 0,
  );
  assert.equal(after.lastSeq, 3);
});

Deno.test("GET /rooms/:room/users lists connected users once each and counts anonymous readers", async () => {
  await using server = await startServer({ env: UNTHROTTLED });
  const alice = await signIn(server, "alice");
  const bob = await signIn(server, "bob");
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const aliceOne = await connect(url, [alice.token]);
  const aliceTwo = await connect(url, [alice.token]);
  const bobSocket = await connect(url, [bob.token]);
  const reader = await connect(url);
  const elsewhere = await connect(`${server.wsUrl}/api/v1/rooms/other/ws`, [bob.token]);
  try {
    const all = await eventually(
      () => roomUsers(server, "lobby"),
      (u) => u.users.length === 2 && u.anonymous === 1,
    );
    assert.deepEqual(all, { users: [alice.user, bob.user], anonymous: 1 });

    // Alice stays while one of her two sockets is open; Bob and the reader leave.
    await aliceOne.close();
    await bobSocket.close();
    await reader.close();
    const left = await eventually(
      () => roomUsers(server, "lobby"),
      (u) => u.users.length === 1 && u.anonymous === 0,
    );
    assert.deepEqual(left, { users: [alice.user], anonymous: 0 });

    await aliceTwo.close();
    const empty = await eventually(
      () => roomUsers(server, "lobby"),
      (u) => u.users.length === 0,
    );
    assert.deepEqual(empty, { users: [], anonymous: 0 });
    // Another room's members were never counted here and are still there.
    assert.deepEqual(await roomUsers(server, "other"), { users: [bob.user], anonymous: 0 });
  } finally {
    for (const socket of [aliceOne, aliceTwo, bobSocket, reader, elsewhere]) await socket.close();
  }
});
