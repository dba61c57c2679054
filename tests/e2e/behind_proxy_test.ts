/**
 * Contract §8 on a real server, with this test standing in for the proxy (the
 * test's loopback address is the trusted one): the origin check reads a
 * trusted proxy's `X-Forwarded-*` or `PUBLIC_URL`, and throttles and the
 * socket cap count per client address. `tests/deploy/` runs real nginx and Caddy.
 *
 * @module
 */
import assert from "node:assert/strict";
import { postJson, signIn, startServer } from "../_helpers/server.ts";
import { connect, type RefusedHandshake } from "../_helpers/ws_client.ts";

const AS_PROXY = {
  host: "chat-upstream",
  "x-forwarded-proto": "https",
  "x-forwarded-host": "chat.example.com",
  "x-forwarded-for": "198.51.100.1",
};

async function refusal(promise: Promise<unknown>): Promise<RefusedHandshake> {
  try {
    const socket = await promise as { close(): Promise<void> };
    await socket.close();
  } catch (error) {
    return error as RefusedHandshake;
  }
  throw new Error("the handshake was accepted");
}

Deno.test("behind a trusted proxy, Origin is checked against X-Forwarded-Proto and -Host", async () => {
  await using server = await startServer({ env: { TRUSTED_PROXIES: "127.0.0.1" } });
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const socket = await connect(url, [], {
    headers: { ...AS_PROXY, origin: "https://chat.example.com" },
  });
  await socket.close();
  for (
    const origin of ["https://evil.example", "http://chat.example.com", "https://chat-upstream"]
  ) {
    const refused = await refusal(connect(url, [], { headers: { ...AS_PROXY, origin } }));
    assert.equal(refused.status, 403, origin);
    assert.equal(refused.body.error.type, "FORBIDDEN_ORIGIN", origin);
  }
});

Deno.test("without TRUSTED_PROXIES, X-Forwarded-* headers are ignored by the origin check", async () => {
  await using server = await startServer();
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const refused = await refusal(
    connect(url, [], { headers: { ...AS_PROXY, origin: "https://chat.example.com" } }),
  );
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.type, "FORBIDDEN_ORIGIN");
  // The rewritten Host is still the server's own host, as before.
  const own = await connect(url, [], {
    headers: { host: "chat-upstream", origin: "http://chat-upstream" },
  });
  await own.close();
});

Deno.test("PUBLIC_URL is the only origin allowed, unless ALLOWED_ORIGINS adds more", async () => {
  await using server = await startServer({ env: { PUBLIC_URL: "https://chat.example.com" } });
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const socket = await connect(url, [], { headers: { origin: "https://chat.example.com" } });
  await socket.close();
  const own = await refusal(connect(url, [], { headers: { origin: server.url } }));
  assert.equal(own.status, 403, "the request's own host no longer counts");

  await using listed = await startServer({
    env: { PUBLIC_URL: "https://chat.example.com", ALLOWED_ORIGINS: "https://app.example" },
  });
  const listedUrl = `${listed.wsUrl}/api/v1/rooms/lobby/ws`;
  for (const origin of ["https://chat.example.com", "https://app.example"]) {
    await (await connect(listedUrl, [], { headers: { origin } })).close();
  }
  const other = await refusal(connect(listedUrl, [], { headers: { origin: listed.url } }));
  assert.equal(other.status, 403);
});

Deno.test("behind a trusted proxy, sign-ups and logins are throttled per client address", async () => {
  await using server = await startServer({
    env: { TRUSTED_PROXIES: "127.0.0.1", SIGNUP_RATE_LIMIT: "1", LOGIN_RATE_LIMIT: "1" },
  });
  const signUp = (client: string, username: string) =>
    postJson(`${server.url}/api/v1/users`, { username, secret: "pw" }, {
      "x-forwarded-for": client,
    });
  const login = (client: string, username: string) =>
    postJson(`${server.url}/api/v1/login`, { username, secret: "pw" }, {
      "x-forwarded-for": client,
    });
  assert.equal((await signUp("198.51.100.1", "ann")).status, 201);
  const again = await signUp("198.51.100.1", "bob");
  assert.equal(again.status, 429);
  assert.equal(again.body.error.type, "RATE_LIMITED");
  // A prefix the client made up changes nothing: the proxy's entry is the right-most.
  assert.equal((await signUp("203.0.113.5, 198.51.100.1", "bob")).status, 429);
  assert.equal((await signUp("198.51.100.2", "bob")).status, 201);

  assert.equal((await login("198.51.100.1", "ann")).status, 200);
  assert.equal((await login("198.51.100.1", "ann")).status, 429);
  assert.equal((await login("198.51.100.2", "ann")).status, 200);
});

Deno.test("from an untrusted peer, forged X-Forwarded-For does not buy more sign-ups", async () => {
  await using server = await startServer({ env: { SIGNUP_RATE_LIMIT: "1" } });
  const signUp = (client: string, username: string) =>
    postJson(`${server.url}/api/v1/users`, { username, secret: "pw" }, {
      "x-forwarded-for": client,
      forwarded: `for=${client}`,
    });
  assert.equal((await signUp("198.51.100.1", "ann")).status, 201);
  assert.equal((await signUp("198.51.100.2", "bob")).status, 429);
});

Deno.test("behind a trusted proxy, MAX_SOCKETS_PER_ADDRESS counts per client address", async () => {
  await using server = await startServer({
    env: { TRUSTED_PROXIES: "127.0.0.1", MAX_SOCKETS_PER_ADDRESS: "1" },
  });
  const { token } = await signIn(server, "cap");
  const url = `${server.wsUrl}/api/v1/rooms/lobby/ws`;
  const as = (client: string) => connect(url, [token], { headers: { "x-forwarded-for": client } });
  const first = await as("198.51.100.1");
  const second = await refusal(as("198.51.100.1"));
  assert.equal(second.status, 429);
  assert.equal(second.body.error.type, "RATE_LIMITED");
  const other = await as("198.51.100.2");
  await first.close();
  await other.close();
});
