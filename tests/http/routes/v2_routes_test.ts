/**
 * The REST routes of issue 12 through `app.request()`: the directory
 * (`GET /rooms`), read state (`GET /users/me/rooms`, `PUT /rooms/:room/read`)
 * and message edits (`PATCH /rooms/:room/messages/:seq`). Every response is
 * also held against the OpenAPI document.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readEnvelope } from "../../_helpers/envelope.ts";
import { seedMessages } from "../../_helpers/server.ts";
import { UNTHROTTLED } from "../../_helpers/unthrottled.ts";
import { signInApp, startTestApp, type TestApp } from "../test_app.ts";

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function send(app: TestApp, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = token ? auth(token) : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

// ---------------------------------------------------------------- directory

Deno.test("GET /rooms lists public rooms, most recently active first, paged with next until null", async () => {
  let now = 1_764_000_000_000;
  await using app = await startTestApp({ env: UNTHROTTLED, now: () => now });
  const alice = await signInApp(app, "alice");
  for (const room of ["a", "b", "c", "d", "e"]) {
    now += 1000;
    await seedMessages(app.store, room, alice.user, 1);
  }
  await app.store.createRoom({
    name: "hidden",
    visibility: "private",
    ownerId: alice.user.id,
    createdAtMs: now + 5000,
  });
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const query: string = cursor === null
      ? "?limit=2"
      : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
    const body = await readEnvelope(await app.request(`/api/v1/rooms${query}`), 200);
    assert.ok(body.data.rooms.length <= 2);
    seen.push(...body.data.rooms.map((r: { name: string }) => r.name));
    cursor = body.data.next;
    if (cursor === null) break;
  }
  assert.equal(cursor, null, "the last page says so");
  assert.deepEqual(seen, ["e", "d", "c", "b", "a"], "no private room, newest first");
});

Deno.test("GET /rooms gives each room's title, last seq, last message time and who is online", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  const bob = await signInApp(app, "bob");
  await seedMessages(app.store, "lobby", alice.user, 3);
  await app.store.putPresence("node-1", "lobby", { users: [alice.user], anonymous: 2 }, 60_000);
  await app.store.putPresence(
    "node-2",
    "lobby",
    { users: [alice.user, bob.user], anonymous: 1 },
    60_000,
  );
  const body = await readEnvelope(await app.request("/api/v1/rooms"), 200);
  assert.equal(body.data.next, null);
  const [lobby] = body.data.rooms;
  assert.deepEqual({ ...lobby, lastMessageAt: typeof lobby.lastMessageAt }, {
    name: "lobby",
    title: null,
    visibility: "public",
    lastSeq: 3,
    lastMessageAt: "string",
    online: { users: 2, anonymous: 3 },
  });
});

Deno.test("GET /rooms refuses a bad cursor or limit with 400 BAD_QUERY", async () => {
  await using app = await startTestApp();
  for (
    const query of [
      "?limit=0",
      "?limit=101",
      "?limit=abc",
      "?limit=5&limit=6",
      "?cursor=",
      "?cursor=nonsense",
    ]
  ) {
    const response = await app.request(`/api/v1/rooms${query}`);
    const body = await readEnvelope(response, 400, "BAD_QUERY");
    assert.match(body.error!.message, /cursor|limit/, query);
  }
});

// --------------------------------------------------------------- read state

Deno.test("GET /users/me/rooms lists the caller's rooms with lastRead, lastSeq and unread", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  const bob = await signInApp(app, "bob");
  await seedMessages(app.store, "lobby", alice.user, 2);
  await seedMessages(app.store, "lobby", bob.user, 1); // bob posted: lobby is one of bob's rooms
  await seedMessages(app.store, "lobby", alice.user, 3);
  await seedMessages(app.store, "quiet", alice.user, 1);
  const mine = await readEnvelope(await send(app, "GET", "/api/v1/users/me/rooms", bob.token), 200);
  assert.deepEqual(
    mine.data.rooms.map((
      r: Record<string, unknown>,
    ) => [r.name, r.role, r.lastSeq, r.unread]),
    // Bob's own message (seq 3) and what came before it are not unread.
    [["lobby", null, 6, 3]],
  );
  const marked = await readEnvelope(
    await send(app, "PUT", "/api/v1/rooms/lobby/read", bob.token, { seq: 5 }),
    200,
  );
  assert.deepEqual(marked.data, { room: "lobby", lastRead: 5 });
  const after = await readEnvelope(
    await send(app, "GET", "/api/v1/users/me/rooms", bob.token),
    200,
  );
  assert.equal(after.data.rooms[0].unread, 1);
  const hers = await readEnvelope(
    await send(app, "GET", "/api/v1/users/me/rooms", alice.token),
    200,
  );
  assert.deepEqual(hers.data.rooms.map((r: { name: string }) => r.name).sort(), ["lobby", "quiet"]);
});

Deno.test("PUT /rooms/:room/read clamps to the last seq and never moves back", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  await seedMessages(app.store, "lobby", alice.user, 4);
  const read = async (seq: number) =>
    (await readEnvelope(
      await send(app, "PUT", "/api/v1/rooms/lobby/read", alice.token, { seq }),
      200,
    )).data.lastRead;
  assert.equal(await read(99), 4);
  assert.equal(await read(2), 4);
  assert.equal(await app.store.getLastRead(alice.user.id, "lobby"), 4);
});

Deno.test("the read-state routes refuse a missing token, a bad room and a bad body", async () => {
  await using app = await startTestApp();
  const alice = await signInApp(app, "alice");
  await readEnvelope(await send(app, "GET", "/api/v1/users/me/rooms"), 401, "INVALID_AUTH_TOKEN");
  await readEnvelope(
    await send(app, "GET", "/api/v1/users/me/rooms", "nope"),
    401,
    "INVALID_AUTH_TOKEN",
  );
  await readEnvelope(
    await send(app, "PUT", "/api/v1/rooms/lobby/read", undefined, { seq: 1 }),
    401,
    "INVALID_AUTH_TOKEN",
  );
  await readEnvelope(
    await send(app, "PUT", "/api/v1/rooms/a%20b/read", alice.token, { seq: 1 }),
    400,
    "BAD_ROOM_NAME",
  );
  for (const body of [{}, { seq: -1 }, { seq: 1.5 }, { seq: "3" }, "[1]"]) {
    const response = await send(app, "PUT", "/api/v1/rooms/lobby/read", alice.token, body);
    await readEnvelope(response, 400, "BAD_BINDING");
  }
});

// ------------------------------------------------------------ message edits

Deno.test("PATCH /rooms/:room/messages/:seq lets the author replace the text, and history shows it", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  await seedMessages(app.store, "lobby", alice.user, 2);
  const response = await send(app, "PATCH", "/api/v1/rooms/lobby/messages/2", alice.token, {
    text: "fixed",
  });
  const body = await readEnvelope(response, 200);
  assert.equal(body.data.seq, 2);
  assert.equal(body.data.text, "fixed");
  assert.equal(typeof body.data.editedAt, "string");
  const history = await readEnvelope(await app.request("/api/v1/rooms/lobby/messages"), 200);
  assert.deepEqual(history.data.messages.map((m: { text: string }) => m.text), [
    "message 1",
    "fixed",
  ]);
  assert.equal(await app.store.lastSeq("lobby"), 3, "the edit took a seq of its own");
});

Deno.test("PATCH /rooms/:room/messages/:seq answers 403, 404, 400 and 401 as the contract says", async () => {
  await using app = await startTestApp({ env: UNTHROTTLED });
  const alice = await signInApp(app, "alice");
  const bob = await signInApp(app, "bob");
  await seedMessages(app.store, "lobby", alice.user, 1);
  const patch = (seq: string, token: string | undefined, body: unknown) =>
    send(app, "PATCH", `/api/v1/rooms/lobby/messages/${seq}`, token, body);
  await readEnvelope(await patch("1", bob.token, { text: "mine now" }), 403, "FORBIDDEN");
  await readEnvelope(await patch("7", alice.token, { text: "x" }), 404, "MESSAGE_NOT_FOUND");
  await readEnvelope(await patch("abc", alice.token, { text: "x" }), 400, "BAD_QUERY");
  await readEnvelope(await patch("0", alice.token, { text: "x" }), 400, "BAD_QUERY");
  const blank = await readEnvelope(await patch("1", alice.token, { text: "  " }), 400, "BAD_TEXT");
  assert.equal(blank.error!.message, "Cannot edit message 1: text is empty");
  await readEnvelope(await patch("1", alice.token, { text: "x".repeat(4001) }), 400, "BAD_TEXT");
  await readEnvelope(await patch("1", alice.token, { words: "x" }), 400, "BAD_BINDING");
  await readEnvelope(await patch("1", undefined, { text: "x" }), 401, "INVALID_AUTH_TOKEN");
  assert.equal((await app.store.findMessage("lobby", 1))?.text, "message 1", "nothing changed");
});
