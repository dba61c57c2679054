/**
 * Pure units of the client module: the throttle behind `typing()`, reading a
 * token's times, when to refresh it, and which values of a v2 frame reach
 * listeners.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isFatalClose } from "../../src/client/close_policy.js";
import { isServerEvent } from "../../src/client/server_events.js";
import { Throttle } from "../../src/client/throttle.js";
import { refreshDelayMs, tokenTimes } from "../../src/client/token_expiry.js";
import { frameValues, socketUrl } from "../../src/client/wire.js";
import { CLOSE } from "../../src/contract/mod.js";

/** An unsigned JWT with these claims (the client only reads them). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.signature`;
}

Deno.test("Throttle.take() lets one call through per interval", () => {
  let now = 1000;
  const throttle = new Throttle(2000, () => now);
  assert.equal(throttle.take(), true);
  now += 1999;
  assert.equal(throttle.take(), false);
  now += 1;
  assert.equal(throttle.take(), true);
  assert.equal(throttle.take(), false);
});

Deno.test("tokenTimes() reads iat and exp in milliseconds, and nothing from a token without exp", () => {
  assert.deepEqual(tokenTimes(jwt({ sub: "1", iat: 100, exp: 160 })), {
    issuedAtMs: 100_000,
    expiresAtMs: 160_000,
  });
  assert.deepEqual(tokenTimes(jwt({ exp: 5 })), { issuedAtMs: undefined, expiresAtMs: 5000 });
  assert.equal(tokenTimes(jwt({ sub: "1" })), undefined);
  assert.equal(tokenTimes("not a token"), undefined);
  assert.equal(tokenTimes("a.%%%.c"), undefined);
  // base64url characters that plain base64 spells + and /
  const name = "\u00ff\u00fe?>";
  assert.equal(tokenTimes(jwt({ name, exp: 7 }))?.expiresAtMs, 7000);
});

Deno.test("refreshDelayMs() aims leadMs before exp, never before half the token's life", () => {
  const day = jwt({ iat: 0, exp: 86_400 });
  assert.equal(refreshDelayMs(day, 60_000, 0), 86_400_000 - 60_000);
  const short = jwt({ iat: 0, exp: 4 });
  assert.equal(refreshDelayMs(short, 60_000, 0), 2000, "half of a four-second life");
  assert.equal(refreshDelayMs(short, 60_000, 3000), 0, "due");
  assert.equal(refreshDelayMs(short, 60_000, 9000), 0, "expired");
  assert.equal(refreshDelayMs("opaque", 60_000, 0), undefined);
});

Deno.test("isFatalClose() ends the connection for kicks, bans, policy closes and bad frames only", () => {
  for (const row of [CLOSE.KICKED, CLOSE.BANNED, CLOSE.TOKEN_REVOKED, CLOSE.READ_ONLY]) {
    assert.equal(isFatalClose(row.code), true, row.reason);
  }
  for (const row of [CLOSE.TOO_BIG, CLOSE.BAD_MESSAGE, CLOSE.BINARY_NOT_SUPPORTED]) {
    assert.equal(isFatalClose(row.code), true, row.reason);
  }
  for (const row of [CLOSE.NORMAL, CLOSE.SHUTDOWN, CLOSE.INTERNAL_ERROR, CLOSE.SLOW_CONSUMER]) {
    assert.equal(isFatalClose(row.code), false, row.reason);
  }
  assert.equal(isFatalClose(1006), false);
});

Deno.test("isServerEvent() passes the v2 events the client knows and skips malformed or unknown ones", () => {
  const user = { id: 1, username: "alice" };
  const message = {
    type: "message",
    id: "m",
    seq: 1,
    room: "r",
    sender: user,
    text: "hi",
    createTime: 1,
    createdAt: "2025-01-01T00:00:00.000Z",
  };
  const good = [
    message,
    { type: "edit", seq: 2, room: "r", target: 1, text: "x", editedAt: "", sender: user },
    { type: "delete", seq: 3, room: "r", target: 1, by: user },
    { type: "presence", users: [user], anonymous: 0 },
    { type: "join", user },
    { type: "leave", user },
    { type: "typing", user },
    { type: "read", room: "r", seq: 3 },
    { type: "error", error: { type: "FORBIDDEN", message: "No" } },
  ];
  for (const event of good) assert.equal(isServerEvent(event), true, event.type);
  const bad = [
    null,
    "message",
    [message],
    { ...message, seq: "1" },
    { type: "edit", seq: 2, target: 1, sender: user },
    { type: "delete", seq: 3, target: 1 },
    { type: "presence", users: [{ id: "1" }], anonymous: 0 },
    { type: "join" },
    { type: "error", error: "FORBIDDEN" },
    { type: "toString" },
    { type: "poll", question: "?" },
  ];
  for (const event of bad) assert.equal(isServerEvent(event), false, JSON.stringify(event));
});

Deno.test("socketUrl() adds v, batch and since as asked; frameValues() reads a frame or nothing", () => {
  const base = new URL("ws://127.0.0.1:1/api/v1/rooms/lobby/messages/ws");
  assert.equal(socketUrl(base, { v2: false, batch: false, since: undefined }).search, "");
  assert.equal(socketUrl(base, { v2: true, batch: true, since: 0 }).search, "?v=2&batch=1&since=0");
  assert.deepEqual(frameValues('[{"a":1},{"b":2}]'), [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(frameValues('{"a":1}'), [{ a: 1 }]);
  assert.deepEqual(frameValues("not json"), []);
  assert.deepEqual(frameValues(new ArrayBuffer(2)), []);
});
