/**
 * Contract §3: a credential that is present but invalid never falls back to
 * anonymous; a header of another scheme (a proxy's own `Basic` login) is not ours.
 *
 * @module
 */
import assert from "node:assert/strict";
import { getJson, startServer } from "../_helpers/server.ts";
import { connect, type RefusedHandshake } from "../_helpers/ws_client.ts";

async function refused(attempt: Promise<unknown>): Promise<RefusedHandshake> {
  try {
    await attempt;
  } catch (error) {
    return error as RefusedHandshake;
  }
  throw new Error("the handshake was accepted");
}

Deno.test("the socket handshake and /users/me refuse a malformed Bearer header with 401", async () => {
  await using server = await startServer();
  for (const header of ["Bearer ", "Bearer a b c", "Bearer"]) {
    const socket = await refused(
      connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [], { headers: { authorization: header } }),
    );
    assert.equal(socket.status, 401, header);
    assert.equal(socket.body.error.type, "INVALID_AUTH_TOKEN", header);
    const me = await getJson(`${server.url}/api/v1/users/me`, { authorization: header });
    assert.equal(me.status, 401, header);
    assert.equal(me.body.error.type, "INVALID_AUTH_TOKEN", header);
  }
  const users = await getJson(`${server.url}/api/v1/rooms/lobby/users`);
  assert.deepEqual(users.body.data, { users: [], anonymous: 0 }, "nobody joined");
});

Deno.test("a Basic Authorization header is ignored: the socket joins read-only", async () => {
  await using server = await startServer();
  const socket = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`, [], {
    headers: { authorization: "Basic dXNlcjpwYXNz" },
  });
  try {
    socket.send({ text: "hi" });
    assert.deepEqual(await socket.closed, { code: 1008, reason: "READ_ONLY" });
  } finally {
    await socket.close();
  }
  const me = await getJson(`${server.url}/api/v1/users/me`, {
    authorization: "Basic dXNlcjpwYXNz",
  });
  assert.equal(me.status, 401);
});
