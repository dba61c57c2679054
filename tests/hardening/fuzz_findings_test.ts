/** Regression tests for what the fuzzer found (tests/fuzz). */
import assert from "node:assert/strict";
import { rawRequest } from "../_helpers/raw_http.ts";
import { postJson, startServer } from "../_helpers/server.ts";

const portOf = (server: { url: string }) => Number(new URL(server.url).port);

for (const host of ["a b", "127.0.0.1:8000, other", "x:99999", "%00"]) {
  Deno.test(`a malformed Host header (${JSON.stringify(host)}) gets no 500 on query-reading routes`, async () => {
    await using server = await startServer();
    for (const path of ["/api/v1/rooms/lobby/messages?limit=5", "/api/v1/rooms/lobby/ws?since=1"]) {
      const response = await rawRequest(
        portOf(server),
        `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        { timeoutMs: 3000 },
      );
      assert.ok(response.status < 500, `${path}: ${response.status} ${response.body}`);
    }
  });
}

Deno.test("metrics: unknown request methods are counted as OTHER, so labels stay bounded", async () => {
  await using server = await startServer();
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${server.url}/api/v1/users`, { method: `FZ${i}` });
    await response.body?.cancel();
  }
  const text = await (await fetch(`${server.url}/metrics`)).text();
  assert.doesNotMatch(text, /method="FZ/);
  assert.match(text, /http_requests_total\{method="OTHER",route="[^"]*",status="405"\} 20/);
});

for (
  const [name, headers] of [
    ["version 8", "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"],
    ["no version", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"],
    [
      "a key that is not 16 bytes of base64",
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: abc\r\n",
    ],
  ] as const
) {
  Deno.test(`handshake: ${name} gets 400 BAD_HANDSHAKE and no upgrade`, async () => {
    await using server = await startServer();
    const response = await rawRequest(
      portOf(server),
      `GET /api/v1/rooms/lobby/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\n${headers}Connection: close\r\n\r\n`,
      { timeoutMs: 3000 },
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("sec-websocket-version"), "13");
    assert.match(response.body, /"BAD_HANDSHAKE"/);
  });
}

Deno.test("login: very long unknown usernames share one throttle key", async () => {
  await using server = await startServer({ env: { LOGIN_USER_RATE_LIMIT: "2" } });
  const long = (c: string) => c.repeat(5000);
  assert.equal(
    (await postJson(`${server.url}/api/v1/login`, { username: long("a"), secret: "x" })).status,
    400,
  );
  assert.equal(
    (await postJson(`${server.url}/api/v1/login`, { username: long("b"), secret: "x" })).status,
    400,
  );
  const third = await postJson(`${server.url}/api/v1/login`, { username: long("c"), secret: "x" });
  assert.equal(third.status, 429);
});
