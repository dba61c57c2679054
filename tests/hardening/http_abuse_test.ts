import assert from "node:assert/strict";
import { createApp } from "../../src/app.ts";
import { createLogger } from "../../src/log.ts";
import { createMemoryBus } from "../../src/realtime/bus.ts";
import { memoryStore, postJson, signIn, startServer, testConfig } from "../_helpers/server.ts";
import { connect } from "../_helpers/ws_client.ts";

Deno.test("login: attempts past LOGIN_RATE_LIMIT per address get 429 RATE_LIMITED with Retry-After", async () => {
  await using server = await startServer({ env: { LOGIN_RATE_LIMIT: "3" } });
  await signIn(server, "limited"); // one login
  const body = { username: "limited", secret: "correct horse" };
  assert.equal((await postJson(`${server.url}/api/v1/login`, body)).status, 200);
  assert.equal((await postJson(`${server.url}/api/v1/login`, body)).status, 200);
  const refused = await postJson(`${server.url}/api/v1/login`, body);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.type, "RATE_LIMITED");
  assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
});

Deno.test("login: failed attempts past LOGIN_USER_RATE_LIMIT lock that username only", async () => {
  await using server = await startServer({ env: { LOGIN_USER_RATE_LIMIT: "2" } });
  await signIn(server, "victim");
  await signIn(server, "bystander");
  const wrong = { username: "Victim", secret: "guess" };
  assert.equal((await postJson(`${server.url}/api/v1/login`, wrong)).status, 401);
  assert.equal((await postJson(`${server.url}/api/v1/login`, wrong)).status, 401);
  const locked = await postJson(`${server.url}/api/v1/login`, {
    username: "victim",
    secret: "correct horse",
  });
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get("retry-after")) >= 1);
  const other = await postJson(`${server.url}/api/v1/login`, {
    username: "bystander",
    secret: "correct horse",
  });
  assert.equal(other.status, 200);
});

Deno.test("login: concurrent guesses cannot pass LOGIN_USER_RATE_LIMIT while the hashes run", async () => {
  await using server = await startServer({
    env: { LOGIN_USER_RATE_LIMIT: "3", PBKDF2_ITERATIONS: "50000" },
  });
  await signIn(server, "victim");
  const guesses = await Promise.all(
    Array.from(
      { length: 10 },
      (_, i) =>
        postJson(`${server.url}/api/v1/login`, { username: "victim", secret: `guess ${i}` }),
    ),
  );
  const statuses = guesses.map((r) => r.status).sort();
  assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
});

Deno.test("login: successful logins do not use up LOGIN_USER_RATE_LIMIT", async () => {
  await using server = await startServer({ env: { LOGIN_USER_RATE_LIMIT: "2" } });
  await signIn(server, "regular");
  for (let i = 0; i < 5; i++) {
    const ok = await postJson(`${server.url}/api/v1/login`, {
      username: "regular",
      secret: "correct horse",
    });
    assert.equal(ok.status, 200);
  }
});

Deno.test("sign-up: attempts past SIGNUP_RATE_LIMIT per address get 429 RATE_LIMITED with Retry-After", async () => {
  await using server = await startServer({ env: { SIGNUP_RATE_LIMIT: "2" } });
  assert.equal(
    (await postJson(`${server.url}/api/v1/users`, { username: "a1", secret: "s" })).status,
    201,
  );
  assert.equal(
    (await postJson(`${server.url}/api/v1/users`, { username: "a2", secret: "s" })).status,
    201,
  );
  const refused = await postJson(`${server.url}/api/v1/users`, { username: "a3", secret: "s" });
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.type, "RATE_LIMITED");
  assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
});

Deno.test("CORS: listed origins get CORS headers and preflights; others get none", async () => {
  await using server = await startServer({ env: { ALLOWED_ORIGINS: "https://app.example" } });
  const preflight = await fetch(`${server.url}/api/v1/login`, {
    method: "OPTIONS",
    headers: {
      origin: "https://app.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  await preflight.body?.cancel();
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /content-type/);

  const denied = await fetch(`${server.url}/api/v1/login`, {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  await denied.body?.cancel();
  assert.equal(denied.headers.get("access-control-allow-origin"), null);

  const simple = await postJson(`${server.url}/api/v1/users`, { username: "cors", secret: "s" }, {
    origin: "https://app.example",
  });
  assert.equal(simple.status, 201);
  assert.equal(simple.headers.get("access-control-allow-origin"), "https://app.example");
  const other = await postJson(`${server.url}/api/v1/users`, { username: "cors2", secret: "s" }, {
    origin: "https://evil.example",
  });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
});

Deno.test("logs: no secret, hash or token appears in any log line", async () => {
  const lines: string[] = [];
  const store = await memoryStore();
  const secret = "jwt-secret-that-must-never-be-logged";
  const app = createApp({
    config: testConfig({ LOG_LEVEL: "debug" }),
    store,
    bus: createMemoryBus(),
    jwtSecret: secret,
    logger: createLogger("debug", (line) => lines.push(line)),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const password = "hunter2-password-never-logged";
  await postJson(`${url}/api/v1/users`, { username: "quiet", secret: password });
  const { token } = await signIn({ url }, "quiet", password);
  await postJson(`${url}/api/v1/login`, {
    username: "quiet",
    secret: "wrong-password-never-logged",
  });
  await fetch(`${url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}x` } }).then((
    r,
  ) => r.text());
  const socket = await connect(`${url.replace("http", "ws")}/api/v1/rooms/quiet/ws`, [token]);
  socket.send("not json");
  await socket.closed;
  const hash = (await store.findUserByCanonicalName("quiet"))!.passwordHash;
  await app.close();
  await server.shutdown();
  await store.close();
  assert.ok(lines.length > 3, "expected request logs");
  const all = lines.join("\n");
  for (
    const needle of [
      secret,
      password,
      "wrong-password-never-logged",
      token,
      token.split(".")[2]!,
      hash,
    ]
  ) {
    assert.ok(!all.includes(needle), `log contains ${needle.slice(0, 12)}…`);
  }
  for (const line of lines) {
    const record = JSON.parse(line);
    assert.equal(typeof record.level, "string");
    assert.equal(typeof record.message, "string");
  }
  // Each request's log line carries the id its response was sent with.
  const requests = lines.map((line) => JSON.parse(line)).filter((r) => r.message === "Request");
  assert.ok(requests.length >= 4, `${requests.length} request lines`);
  for (const record of requests) assert.match(record.requestId, /^[0-9a-f]{8}$/);
  assert.equal(new Set(requests.map((r) => r.requestId)).size, requests.length);
});

Deno.test("logs: a request's log line carries the x-request-id of its response", async () => {
  const lines: string[] = [];
  const store = await memoryStore();
  const app = createApp({
    config: testConfig(),
    store,
    bus: createMemoryBus(),
    jwtSecret: "request-id-test-secret-request-id-test",
    logger: createLogger("info", (line) => lines.push(line)),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  try {
    const response = await fetch(`http://127.0.0.1:${server.addr.port}/api/v1/users/42`);
    await response.body?.cancel();
    const id = response.headers.get("x-request-id");
    assert.match(id ?? "", /^[0-9a-f]{8}$/);
    const record = lines.map((line) => JSON.parse(line)).find((r) => r.requestId === id);
    assert.equal(record?.level, "info");
    assert.equal(record?.status, 404);
    assert.equal(record?.route, "/api/v1/users/:id");
  } finally {
    await app.close();
    await server.shutdown();
    await store.close();
  }
});
