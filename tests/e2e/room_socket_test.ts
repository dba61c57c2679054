/**
 * End-to-end tests of joining a room (contract §3) on a real server at port 0:
 * the handshake at both paths, authentication, read-only readers, close codes
 * and delivery to every member.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { eventually } from "../_helpers/eventually.ts";
import { rawWebSocket } from "../_helpers/raw_ws.ts";
import {
  getJson,
  signIn,
  startServer,
  TEST_JWT_SECRET,
  type TestServer,
} from "../_helpers/server.ts";
import {
  connect,
  type RefusedHandshake,
  type TestSocket,
  type WireMessage,
} from "../_helpers/ws_client.ts";

/** The two paths that join a room; both behave the same. */
const PATHS = [
  (room: string) => `/api/v1/rooms/${room}/messages/ws`,
  (room: string) => `/api/v1/rooms/${room}/ws`,
] as const;
const PATH_NAMES = ["/rooms/:room/messages/ws", "/rooms/:room/ws"] as const;

function portOf(server: TestServer): number {
  return Number(new URL(server.url).port);
}

/** Awaits a handshake that must be refused and returns the refusal. */
async function refused(attempt: Promise<TestSocket>): Promise<RefusedHandshake> {
  let socket: TestSocket;
  try {
    socket = await attempt;
  } catch (error) {
    assert.ok(
      typeof error === "object" && error !== null && "status" in error,
      `expected an HTTP refusal, got ${error}`,
    );
    return error as RefusedHandshake;
  }
  await socket.close();
  assert.fail("the handshake was accepted");
}

/** Checks a delivered message's full wire shape. */
function assertMessage(
  message: WireMessage | undefined,
  expected: { seq: number; room: string; sender: { id: number; username: string }; text: string },
): void {
  assert.ok(message, `message ${expected.seq} is missing`);
  assert.equal(typeof message.id, "string");
  assert.ok(message.id.length > 0);
  assert.equal(message.seq, expected.seq);
  assert.equal(message.room, expected.room);
  assert.deepEqual(message.sender, expected.sender);
  assert.equal(message.text, expected.text);
  assert.ok(Number.isInteger(message.createTime));
  assert.match(message.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(message.createTime, Math.floor(Date.parse(message.createdAt) / 1000));
}

async function tokenFor(server: TestServer, name: string) {
  return await signIn(server, name);
}

async function forge(
  claims: Record<string, unknown>,
  options: { secret?: string; exp?: number | null; iss?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(now - 60).setIssuer(options.iss ?? "deno-chat");
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? now + 3600);
  return await jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

for (const [index, path] of PATHS.entries()) {
  const name = PATH_NAMES[index];

  Deno.test(`GET ${name} selects the token offered as the first subprotocol and joins as its user`, async () => {
    await using server = await startServer();
    const { token, user } = await tokenFor(server, "alice");
    const socket = await connect(`${server.wsUrl}${path("lobby")}`, [token, "chat"]);
    try {
      assert.equal(socket.protocol, token);
      socket.send({ text: "hello" });
      const [message] = await socket.waitForMessages(1);
      assertMessage(message, { seq: 1, room: "lobby", sender: user, text: "hello" });
    } finally {
      await socket.close();
    }
  });

  Deno.test(`GET ${name} accepts "token,other" without a space and selects exactly the token`, async () => {
    await using server = await startServer();
    const { token, user } = await tokenFor(server, "alice");
    await using raw = await rawWebSocket(portOf(server), path("lobby"), {
      "Sec-WebSocket-Protocol": `${token},x`,
    });
    assert.equal(raw.status, 101);
    assert.equal(raw.headers.get("sec-websocket-protocol"), token);
    await raw.sendText(JSON.stringify({ text: "over raw tcp" }));
    const frame = await raw.readFrame();
    assert.equal(frame?.opcode, 1);
    const messages = JSON.parse(new TextDecoder().decode(frame!.payload)) as WireMessage[];
    assert.equal(messages.length, 1);
    assertMessage(messages[0], { seq: 1, room: "lobby", sender: user, text: "over raw tcp" });
  });

  Deno.test(`GET ${name} trims white space around the token in the protocol list`, async () => {
    await using server = await startServer();
    const { token } = await tokenFor(server, "alice");
    await using raw = await rawWebSocket(portOf(server), path("lobby"), {
      "Sec-WebSocket-Protocol": `${token} ,   x`,
    });
    assert.equal(raw.status, 101);
    assert.equal(raw.headers.get("sec-websocket-protocol"), token);
  });

  Deno.test(`GET ${name} authenticates with Authorization: Bearer`, async () => {
    await using server = await startServer();
    const { token, user } = await tokenFor(server, "bob");
    const socket = await connect(`${server.wsUrl}${path("lobby")}`, [], {
      headers: { authorization: `Bearer ${token}` },
    });
    try {
      assert.equal(socket.protocol, "");
      socket.send({ text: "via bearer" });
      const [message] = await socket.waitForMessages(1);
      assertMessage(message, { seq: 1, room: "lobby", sender: user, text: "via bearer" });
    } finally {
      await socket.close();
    }
  });

  Deno.test(`GET ${name} treats an empty first protocol value as no token (read-only)`, async () => {
    await using server = await startServer();
    await using raw = await rawWebSocket(portOf(server), path("lobby"), {
      "Sec-WebSocket-Protocol": ", x",
    });
    assert.equal(raw.status, 101);
    assert.equal(raw.headers.get("sec-websocket-protocol"), "x");
    await raw.sendText(JSON.stringify({ text: "let me in" }));
    assert.deepEqual(await raw.readClose(), { code: 1008, reason: "READ_ONLY" });
    assert.equal(await server.store.lastSeq("lobby"), 0);
  });

  Deno.test(`GET ${name} refuses invalid, expired and tampered tokens with 401 and no upgrade`, async () => {
    await using server = await startServer();
    const { token, user } = await tokenFor(server, "alice");
    const [head, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const tamperedPayload = btoa(JSON.stringify({ ...claims, sub: "999", name: "mallory" }))
      .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const now = Math.floor(Date.now() / 1000);
    const none = `${
      btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")
    }.${payload}.`;
    const cases: Record<string, string> = {
      garbage: "not-a-jwt",
      tampered: `${head}.${tamperedPayload}.${signature}`,
      "bad signature": `${head}.${payload}.${signature.slice(0, -4)}AAAA`,
      expired: await forge({ name: user.username, sub: String(user.id) }, { exp: now - 10 }),
      "wrong key": await forge({ name: user.username, sub: String(user.id) }, {
        secret: "another-secret-another-secret-another",
      }),
      "no exp": await forge({ name: user.username, sub: String(user.id) }, { exp: null }),
      "alg none": none,
    };
    for (const [label, bad] of Object.entries(cases)) {
      const viaProtocol = await refused(connect(`${server.wsUrl}${path("lobby")}`, [bad]));
      assert.equal(viaProtocol.status, 401, label);
      assert.deepEqual(Object.keys(viaProtocol.body).sort(), ["data", "error"], label);
      assert.equal(viaProtocol.body.error.type, "INVALID_AUTH_TOKEN", label);
      assert.equal(viaProtocol.body.data, null, label);
      const viaBearer = await refused(
        connect(`${server.wsUrl}${path("lobby")}`, [], {
          headers: { authorization: `Bearer ${bad}` },
        }),
      );
      assert.equal(viaBearer.status, 401, label);
      assert.equal(viaBearer.body.error.type, "INVALID_AUTH_TOKEN", label);
    }
    // Nobody joined: the refused handshakes never became anonymous readers.
    const users = await getJson(`${server.url}/api/v1/rooms/lobby/users`);
    assert.deepEqual(users.body.data, { users: [], anonymous: 0 });
  });

  Deno.test(`GET ${name} refuses bad room names with 400 BAD_ROOM_NAME before upgrading`, async () => {
    await using server = await startServer();
    const { token } = await tokenFor(server, "alice");
    const bad = {
      "65 characters": "a".repeat(65),
      "a space": "a%20b",
      "a tab": "a%09b",
      "a non-breaking space": "a%C2%A0b",
      "a control character": "a%01b",
      "a DEL": "a%7Fb",
      "an encoded slash": "a%2Fb",
    };
    for (const [label, room] of Object.entries(bad)) {
      for (const protocols of [[token], []]) {
        const refusal = await refused(connect(`${server.wsUrl}${path(room)}`, protocols));
        assert.equal(refusal.status, 400, label);
        assert.equal(refusal.body.error.type, "BAD_ROOM_NAME", label);
        assert.equal(refusal.body.data, null, label);
      }
    }
    const longest = "é".repeat(64);
    const socket = await connect(`${server.wsUrl}${path(encodeURIComponent(longest))}`, [token]);
    try {
      socket.send({ text: "64 characters is fine" });
      const [message] = await socket.waitForMessages(1);
      assert.equal(message?.room, longest);
    } finally {
      await socket.close();
    }
  });

  Deno.test(`GET ${name} without an upgrade gets 426 UPGRADE_REQUIRED`, async () => {
    await using server = await startServer();
    const response = await fetch(`${server.url}${path("lobby")}`);
    assert.equal(response.status, 426);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    const body = await response.json();
    assert.equal(body.error.type, "UPGRADE_REQUIRED");
    assert.equal(body.data, null);
  });
}

Deno.test("room names are case-sensitive: Lobby and lobby are different rooms", async () => {
  await using server = await startServer();
  const { token } = await tokenFor(server, "alice");
  const upper = await connect(`${server.wsUrl}/api/v1/rooms/Lobby/ws`, [token]);
  const lower = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [token]);
  try {
    upper.send({ text: "upper" });
    lower.send({ text: "lower" });
    const [fromUpper] = await upper.waitForMessages(1);
    const [fromLower] = await lower.waitForMessages(1);
    assert.deepEqual([fromUpper?.room, fromUpper?.seq, fromUpper?.text], ["Lobby", 1, "upper"]);
    assert.deepEqual([fromLower?.room, fromLower?.seq, fromLower?.text], ["lobby", 1, "lower"]);
  } finally {
    await upper.close();
    await lower.close();
  }
});

Deno.test("an anonymous reader that sends a frame is closed with 1008 READ_ONLY and nothing reaches others", async () => {
  await using server = await startServer();
  const alice = await tokenFor(server, "alice");
  const listener = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [alice.token]);
  const anonymous = await connect(`${server.wsUrl}/api/v1/rooms/lobby/messages/ws`);
  try {
    assert.equal(anonymous.protocol, "");
    anonymous.send({ text: "sneaky" });
    assert.deepEqual(await anonymous.closed, { code: 1008, reason: "READ_ONLY" });
    listener.send({ text: "first real message" });
    const received = await listener.waitForMessages(1);
    assert.equal(received.length, 1);
    assertMessage(received[0], {
      seq: 1,
      room: "lobby",
      sender: alice.user,
      text: "first real message",
    });
    assert.equal(await server.store.lastSeq("lobby"), 1);
  } finally {
    await listener.close();
    await anonymous.close();
  }
});

/** Frames that close the connection, with the close each earns. */
const BAD_FRAMES: Array<[string, string | Uint8Array, number, string]> = [
  ["a binary frame", new Uint8Array([0x7b, 0x7d]), 1003, "BINARY_NOT_SUPPORTED"],
  ["a frame that is not JSON", "{text: hi}", 1007, "BAD_MESSAGE"],
  ["a JSON array", '[{"text":"hi"}]', 1007, "BAD_MESSAGE"],
  ["a JSON string", '"hi"', 1007, "BAD_MESSAGE"],
  ["JSON null", "null", 1007, "BAD_MESSAGE"],
  ["an object without text", '{"message":"hi"}', 1007, "BAD_MESSAGE"],
  ["a text that is not a string", '{"text":42}', 1007, "BAD_MESSAGE"],
  ["an empty text", '{"text":""}', 1007, "BAD_MESSAGE"],
  ["a blank text", '{"text":" \\n\\t "}', 1007, "BAD_MESSAGE"],
  ["an empty nonce", '{"text":"hi","nonce":""}', 1007, "BAD_MESSAGE"],
  [
    "a nonce of 65 characters",
    JSON.stringify({ text: "hi", nonce: "n".repeat(65) }),
    1007,
    "BAD_MESSAGE",
  ],
  ["a nonce with a non-ASCII character", '{"text":"hi","nonce":"caf\u00e9"}', 1007, "BAD_MESSAGE"],
  ["a nonce with a control character", '{"text":"hi","nonce":"a\\u0001"}', 1007, "BAD_MESSAGE"],
  ["a nonce that is not a string", '{"text":"hi","nonce":7}', 1007, "BAD_MESSAGE"],
  ["a text of 4001 characters", JSON.stringify({ text: "a".repeat(4001) }), 1009, "TOO_BIG"],
  [
    "a frame over 16 KiB",
    JSON.stringify({ text: "short", padding: "p".repeat(16 * 1024) }),
    1009,
    "TOO_BIG",
  ],
];

for (const [label, frame, code, reason] of BAD_FRAMES) {
  Deno.test(`a client that sends ${label} is closed with ${code} ${reason} and nothing is stored`, async () => {
    await using server = await startServer();
    const { token } = await tokenFor(server, "alice");
    const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [token]);
    try {
      if (typeof frame === "string") socket.send(frame);
      else socket.ws.send(frame, { binary: true });
      assert.deepEqual(await socket.closed, { code, reason });
      assert.equal(socket.messages().length, 0);
      assert.equal(await server.store.lastSeq("lobby"), 0);
    } finally {
      await socket.close();
    }
  });
}

Deno.test("a text of 4000 characters outside the BMP is accepted (the limit counts code points)", async () => {
  await using server = await startServer();
  const { token, user } = await tokenFor(server, "alice");
  const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [token]);
  try {
    const text = "😀".repeat(4000);
    socket.send({ text });
    const [message] = await socket.waitForMessages(1);
    assertMessage(message, { seq: 1, room: "lobby", sender: user, text });
  } finally {
    await socket.close();
  }
});

Deno.test("the sender is the token's user even when the frame claims another sender", async () => {
  await using server = await startServer();
  const { token, user } = await tokenFor(server, "alice");
  const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [token]);
  try {
    socket.send({
      text: "who am I",
      sender: { id: 999, username: "mallory" },
      id: "forged-id",
      seq: 77,
      room: "elsewhere",
      createTime: 0,
      createdAt: "1970-01-01T00:00:00.000Z",
    });
    const [message] = await socket.waitForMessages(1);
    assertMessage(message, { seq: 1, room: "lobby", sender: user, text: "who am I" });
    assert.notEqual(message?.id, "forged-id");
    assert.ok((message?.createTime ?? 0) > 1_700_000_000);
  } finally {
    await socket.close();
  }
});

Deno.test("a nonce comes back in the delivered message; a message without one has no nonce", async () => {
  await using server = await startServer();
  const alice = await tokenFor(server, "alice");
  const bob = await tokenFor(server, "bob");
  const sender = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [alice.token]);
  const other = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [bob.token]);
  try {
    const nonce = " !~Az09" + "n".repeat(57);
    assert.equal(nonce.length, 64);
    sender.send({ text: "with nonce", nonce });
    sender.send({ text: "without nonce" });
    const [first, second] = await sender.waitForMessages(2);
    assert.equal(first?.nonce, nonce);
    assert.equal(first?.text, "with nonce");
    assert.ok(second && !("nonce" in second));
    const [seenByOther] = await other.waitForMessages(2);
    assert.equal(seenByOther?.nonce, nonce);
  } finally {
    await sender.close();
    await other.close();
  }
});

Deno.test("every member, the sender and anonymous readers included, gets each message once in seq order", async () => {
  await using server = await startServer();
  const alice = await tokenFor(server, "alice");
  const bob = await tokenFor(server, "bob");
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const aliceSocket = await connect(url, [alice.token]);
  const bobSocket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/messages/ws`, [bob.token]);
  const anonymous = await connect(url);
  const members = [aliceSocket, bobSocket, anonymous];
  try {
    await eventually(
      () => getJson(`${server.url}/api/v1/rooms/lobby`),
      (r) => r.body.data.online.users === 2 && r.body.data.online.anonymous === 1,
    );
    for (let i = 0; i < 10; i++) {
      aliceSocket.send({ text: `alice ${i}`, nonce: `a${i}` });
      bobSocket.send({ text: `bob ${i}`, nonce: `b${i}` });
    }
    for (const member of members) await member.waitForMessages(20);
    aliceSocket.send({ text: "end", nonce: "end" });
    const views = await Promise.all(members.map((member) => member.waitForMessages(21)));
    const expectedSeqs = Array.from({ length: 21 }, (_, i) => i + 1);
    for (const view of views) {
      assert.deepEqual(view.map((m) => m.seq), expectedSeqs);
      assert.deepEqual(view, views[0]);
    }
    const first = views[0]!;
    // Each sender's own messages keep their order.
    assert.deepEqual(
      first.filter((m) => m.sender.id === alice.user.id).map((m) => m.text),
      [...Array.from({ length: 10 }, (_, i) => `alice ${i}`), "end"],
    );
    assert.deepEqual(
      first.filter((m) => m.sender.id === bob.user.id).map((m) => m.text),
      Array.from({ length: 10 }, (_, i) => `bob ${i}`),
    );
    assert.equal(new Set(first.map((m) => m.id)).size, 21);
  } finally {
    for (const member of members) await member.close();
  }
});

Deno.test("by default every frame holds exactly one message, even in a burst", async () => {
  await using server = await startServer({ env: { RATE_LIMIT_BURST: "100" } });
  const alice = await tokenFor(server, "alice");
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const sender = await connect(url, [alice.token]);
  const reader = await connect(url);
  try {
    for (let i = 0; i < 40; i++) sender.send({ text: `burst ${i}` });
    await reader.waitForMessages(40);
    await sender.waitForMessages(40);
    for (const socket of [sender, reader]) {
      assert.equal(socket.frames.length, 40);
      assert.ok(socket.frames.every((frame) => Array.isArray(frame) && frame.length === 1));
    }
  } finally {
    await sender.close();
    await reader.close();
  }
});

Deno.test("a client that sends past its budget is closed with 1008 RATE_LIMITED and the excess is dropped", async () => {
  await using server = await startServer({
    env: { RATE_LIMIT_BURST: "3", RATE_LIMIT_PER_SEC: "0.001" },
  });
  const alice = await tokenFor(server, "alice");
  const bob = await tokenFor(server, "bob");
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const sender = await connect(url, [alice.token]);
  const other = await connect(url, [bob.token]);
  try {
    for (let i = 1; i <= 5; i++) sender.send({ text: `spam ${i}` });
    assert.deepEqual(await sender.closed, { code: 1008, reason: "RATE_LIMITED" });
    // Bob's own message comes right after the three that fit the budget.
    other.send({ text: "bob" });
    const seen = await other.waitForMessages(4);
    assert.deepEqual(seen.map((m) => m.text), ["spam 1", "spam 2", "spam 3", "bob"]);
    assert.equal(await server.store.lastSeq("lobby"), 4);
  } finally {
    await sender.close();
    await other.close();
  }
});

Deno.test("closing the server closes every socket with 1001 SHUTDOWN", async () => {
  const server = await startServer();
  try {
    const alice = await tokenFor(server, "alice");
    const members = [
      await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [alice.token]),
      await connect(`${server.wsUrl}/api/v1/rooms/other/messages/ws`),
    ];
    await server.close();
    for (const member of members) {
      assert.deepEqual(await member.closed, { code: 1001, reason: "SHUTDOWN" });
    }
  } finally {
    await server.close();
  }
});

Deno.test("a handshake while the app is closing gets 503 SHUTTING_DOWN, not a cleared hub", async () => {
  await using server = await startServer();
  const member = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`);
  const closing = server.app.close();
  try {
    await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`);
    assert.fail("the handshake was accepted");
  } catch (error) {
    const refused = error as RefusedHandshake;
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.type, "SHUTTING_DOWN");
  }
  await closing;
  assert.equal((await member.closed).code, 1001);
});

Deno.test("a ?batch=1 member gets every live message once and in order, several to a frame when busy", async () => {
  await using server = await startServer({ env: { RATE_LIMIT_BURST: "100" } });
  const alice = await tokenFor(server, "alice");
  const sender = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [alice.token]);
  const batched = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws?batch=1`);
  const plain = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`);
  try {
    for (let i = 1; i <= 60; i++) sender.send({ text: `busy ${i}` });
    const seen = await batched.waitForMessages(60);
    await plain.waitForMessages(60);
    assert.deepEqual(seen.map((m) => m.seq), Array.from({ length: 60 }, (_, i) => i + 1));
    assert.deepEqual(seen, plain.messages());
    assert.ok(batched.frames.length <= 60);
    assert.equal(plain.frames.length, 60);
  } finally {
    await sender.close();
    await batched.close();
    await plain.close();
  }
});
