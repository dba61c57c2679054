/**
 * The `getToken()` hook against a real server whose tokens live two or three
 * seconds: a v2 connection is refreshed in band and stays open past the first
 * token's `exp`; a v1 connection reconnects with a fresh token; without the
 * hook an expiry stays final. These tests wait for real expiries, so each
 * takes a few seconds.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ChatClient, CLOSE, ClosedError, ReplyError } from "../../src/client/chat_client.js";
import { tokenTimes } from "../../src/client/token_expiry.js";
import { startServer } from "../_helpers/server.ts";
import { FAST, record, sleep } from "./_v2.ts";

/** A client of `username` whose `getToken` logs in again, counting its calls. */
async function refreshing(url: string, username: string) {
  const calls: string[] = [];
  const login = new ChatClient({ baseUrl: url });
  const client = new ChatClient({
    baseUrl: url,
    getToken: async () => {
      const { token } = await login.login(username, "correct horse");
      calls.push(token);
      return token;
    },
  });
  await client.signUp(username, "correct horse");
  await client.login(username, "correct horse");
  return { client, calls };
}

Deno.test("getToken() refreshes a v2 connection in band: it stays open past its first token's exp", async () => {
  await using server = await startServer({ env: { ...FAST, TOKEN_TTL: "3" } });
  const { client, calls } = await refreshing(server.url, "alice");
  const firstExp = tokenTimes(client.token ?? "")?.expiresAtMs ?? 0;
  await using room = record(client, "lobby");
  await room.connection.ready;
  await sleep(Math.max(0, firstExp - Date.now()) + 1200);
  assert.ok(calls.length >= 1, "getToken() was called");
  assert.equal(room.connection.state, "open");
  const states = room.of("status").map((s) => s.state);
  assert.deepEqual(states, ["connecting", "open"], "no reconnect");
  assert.deepEqual(room.of("error"), []);
  const sent = await room.connection.send("still signed in");
  assert.equal(sent.sender.username, "alice");
  assert.equal(client.token, calls.at(-1), "the client keeps the fresh token");
});

Deno.test("getToken() lets a v1 connection reconnect after TOKEN_EXPIRED with a fresh token", async () => {
  await using server = await startServer({ env: { ...FAST, TOKEN_TTL: "2" } });
  const { client, calls } = await refreshing(server.url, "alice");
  const firstExp = tokenTimes(client.token ?? "")?.expiresAtMs ?? 0;
  await using room = record(client, "lobby", { v2: false });
  await room.connection.ready;
  await sleep(Math.max(0, firstExp - Date.now()) + 300);
  await room.until(
    () => room.of("status").filter((s) => s.state === "open").length >= 2,
    "a second open",
  );
  const retry = room.of("status").find((s) => s.state === "reconnecting");
  assert.equal(retry?.reason, CLOSE.TOKEN_EXPIRED.reason);
  assert.ok(calls.length >= 1);
  const sent = await room.connection.send("back");
  assert.equal(sent.text, "back");
  assert.deepEqual(room.of("error"), []);
});

Deno.test("without getToken() a TOKEN_EXPIRED close is final", async () => {
  await using server = await startServer({ env: { ...FAST, TOKEN_TTL: "1" } });
  const client = new ChatClient({ baseUrl: server.url });
  await client.signUp("alice", "correct horse");
  await client.login("alice", "correct horse");
  await using room = record(client, "lobby");
  await room.until(() => room.connection.state === "closed", "the expiry", 5000);
  const [error] = room.of("error");
  assert.ok(error instanceof ClosedError);
  assert.equal(error.reason, CLOSE.TOKEN_EXPIRED.reason);
});

Deno.test("a token of another user from getToken() is refused with an error event; the socket stays open", async () => {
  await using server = await startServer({ env: { ...FAST, TOKEN_TTL: "4" } });
  const bob = new ChatClient({ baseUrl: server.url });
  await bob.signUp("bob", "correct horse");
  const { token: bobToken } = await bob.login("bob", "correct horse");
  const client = new ChatClient({ baseUrl: server.url, getToken: () => bobToken });
  await client.signUp("alice", "correct horse");
  await client.login("alice", "correct horse");
  await using room = record(client, "lobby");
  await room.connection.ready;
  await room.until(() => room.of("error").length === 1, "the refused auth frame", 5000);
  const [error] = room.of("error");
  assert.ok(error instanceof ReplyError, String(error));
  assert.equal(error.nonce, undefined);
  assert.equal(room.connection.state, "open");
});

Deno.test("refreshToken() without a getToken option rejects with a TypeError", async () => {
  const client = new ChatClient({ baseUrl: "http://127.0.0.1:9" });
  await assert.rejects(client.refreshToken(), TypeError);
});
