/**
 * Protocol v2 (CONTRACT §6) on real sockets: the suite of
 * `protocol_v2_suite.ts` on SQLite and KV (Redis: `tests/redis/
 * protocol_v2_redis_test.ts`), and the `auth` refresh, which no store
 * takes part in.
 *
 * @module
 */
import assert from "node:assert/strict";
import { memoryStore, signIn, startServer } from "../_helpers/server.ts";
import { UNTHROTTLED } from "../_helpers/unthrottled.ts";
import { briefs, waitForEvent } from "../_helpers/v2_events.ts";
import { connect } from "../_helpers/ws_client.ts";
import { protocolV2Suite } from "./protocol_v2_suite.ts";

protocolV2Suite("SQLite", () => memoryStore("sqlite"));
protocolV2Suite("KV", () => memoryStore("kv"));

Deno.test("v2: an auth frame with a fresh token of the same user moves the socket's expiry; others are errors", async () => {
  let now = Date.now();
  await using server = await startServer({ env: UNTHROTTLED, now: () => now });
  const alice = await signIn(server, "alice");
  const bob = await signIn(server, "bob");
  const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws?v=2`, [alice.token]);
  await waitForEvent(socket, (e) => e.type === "presence");
  socket.send({ type: "auth", token: bob.token, nonce: "x" });
  socket.send({ type: "auth", token: "not.a.token" });
  await waitForEvent(socket, "error INVALID_AUTH_TOKEN");
  assert.deepEqual(briefs(socket).slice(1), ["error FORBIDDEN", "error INVALID_AUTH_TOKEN"]);
  assert.equal(socket.ws.readyState, 1);
  // A token of alice's that expires 1–2 s from now (`exp` is in whole seconds):
  // the socket now ends with it.
  const ttlMs = server.config.tokenTtlSeconds * 1000;
  now -= ttlMs - 2000;
  const { token: shortLived } = await signIn(server, "alice");
  now += ttlMs - 2000;
  socket.send({ type: "auth", token: shortLived, nonce: "fresh" });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(briefs(socket).slice(1), ["error FORBIDDEN", "error INVALID_AUTH_TOKEN"]);
  now += 3000; // past the new expiry (the first token had a day left)
  assert.deepEqual(await socket.closed, { code: 1008, reason: "TOKEN_EXPIRED" });
});

Deno.test("v2: a v other than 1 or 2 is 400 BAD_QUERY before any upgrade; v=1 is v1", async () => {
  await using server = await startServer({ env: UNTHROTTLED });
  for (const v of ["0", "3", "two", "", "2&v=2"]) {
    const response = await fetch(`${server.url}/api/v1/rooms/lobby/ws?v=${v}`);
    const body = await response.json();
    assert.equal(response.status, 400, v);
    assert.equal(body.error.type, "BAD_QUERY", v);
  }
  const alice = await signIn(server, "alice");
  const v1 = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws?v=1`, [alice.token]);
  v1.send({ text: "hello" });
  const [message] = await v1.waitForMessages(1);
  assert.ok(!("type" in message!), "a v1 frame");
  await v1.close();
});
