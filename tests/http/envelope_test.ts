/**
 * End-to-end tests of the response envelope (contract §1) on a real server.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/store/store.ts";
import { assertNoLeak, readEnvelope } from "../_helpers/envelope.ts";
import { memoryStore, signIn, startServer } from "../_helpers/server.ts";

const json = { "content-type": "application/json" };

Deno.test("a success response is exactly {error: null, data} as application/json; charset=utf-8", async () => {
  await using server = await startServer();
  const created = await fetch(`${server.url}/api/v1/users`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ username: "alice", secret: "s3cret" }),
  });
  const body = await readEnvelope(created, 201);
  assert.deepEqual(Object.keys(body.data).sort(), ["id", "username"]);
  await readEnvelope(await fetch(`${server.url}/api/v1/rooms/lobby`), 200);
  await readEnvelope(await fetch(`${server.url}/api/v1/rooms/lobby/messages`), 200);
  await readEnvelope(await fetch(`${server.url}/api/v1/users/${body.data.id}`), 200);
});

Deno.test("every error response has exactly two keys, a lowercase type, a string message and a matching status", async () => {
  await using server = await startServer();
  await signIn(server, "alice");
  const cases: Array<[string, RequestInit, number, string]> = [
    ["/api/v1/users", { method: "POST", headers: json, body: "[]" }, 400, "BAD_BINDING"],
    ["/api/v1/users", { method: "POST", headers: json, body: '{"username":' }, 400, "BAD_BINDING"],
    [
      "/api/v1/users",
      { method: "POST", headers: json, body: '{"username":"","secret":"x"}' },
      400,
      "BAD_USERNAME",
    ],
    [
      "/api/v1/users",
      { method: "POST", headers: json, body: '{"username":"bob","secret":""}' },
      400,
      "BAD_PASSWORD",
    ],
    [
      "/api/v1/users",
      { method: "POST", headers: json, body: '{"username":"ALICE","secret":"x"}' },
      409,
      "USER_EXISTS",
    ],
    [
      "/api/v1/login",
      { method: "POST", headers: json, body: '{"username":"nobody","secret":"x"}' },
      400,
      "USER_NOT_FOUND",
    ],
    [
      "/api/v1/login",
      { method: "POST", headers: json, body: '{"username":"alice","secret":"wrong"}' },
      401,
      "PASSWORD_MATCH_FAILED",
    ],
    ["/api/v1/users/me", {}, 401, "INVALID_AUTH_TOKEN"],
    ["/api/v1/users/424242", {}, 404, "USER_NOT_FOUND"],
    ["/api/v1/users/abc", {}, 400, "BAD_QUERY"],
    ["/api/v1/rooms/lobby/messages?limit=0", {}, 400, "BAD_QUERY"],
    ["/api/v1/rooms/a%20b", {}, 400, "BAD_ROOM_NAME"],
    ["/api/v1/rooms/lobby/ws", {}, 426, "UPGRADE_REQUIRED"],
    ["/api/v1/nothing-here", {}, 404, "NOT_FOUND"],
    ["/api/v1/users", { method: "GET" }, 405, "METHOD_NOT_ALLOWED"],
    [
      "/api/v1/users",
      { method: "POST", headers: json, body: JSON.stringify({ pad: "x".repeat(20_000) }) },
      413,
      "PAYLOAD_TOO_LARGE",
    ],
  ];
  for (const [path, init, status, type] of cases) {
    const response = await fetch(`${server.url}${path}`, init);
    const raw = await response.clone().text();
    assert.match(raw, /"error":\{"type":"[A-Z_]+","message":"/, `${path}: ${raw}`);
    assert.doesNotMatch(raw, /"Type"/, path);
    await readEnvelope(response, status, type);
  }
});

Deno.test("an unknown path under /api/ gets 404 NOT_FOUND in the envelope", async () => {
  await using server = await startServer();
  for (
    const path of [
      "/api",
      "/api/",
      "/api/v1",
      "/api/v1/nope",
      "/api/v2/users",
      "/api/v1/users/1/extra",
      "/api/v1/rooms/lobby/messages/1/extra",
      "/api/v1/rooms/lobby/read/extra",
      "/api/v1/rooms/lobby/ws/extra",
      "/api/v1/login/now",
    ]
  ) {
    for (const method of ["GET", "POST", "DELETE"]) {
      const response = await fetch(`${server.url}${path}`, { method });
      await readEnvelope(response, 404, "NOT_FOUND");
    }
  }
});

/** Known paths, the methods they serve, and methods they refuse. */
const METHOD_CASES: Array<[string, string[], string[]]> = [
  ["/api/v1/users", ["POST"], ["GET", "PUT", "DELETE", "PATCH"]],
  ["/api/v1/login", ["POST"], ["GET", "PUT", "DELETE", "PATCH"]],
  ["/api/v1/users/me", ["GET"], ["POST", "PUT", "DELETE"]],
  ["/api/v1/users/1", ["GET"], ["POST", "PUT", "DELETE", "PATCH"]],
  ["/api/v1/rooms/lobby", ["GET"], ["POST", "PUT", "DELETE"]],
  ["/api/v1/rooms/lobby/messages", ["GET"], ["POST", "PUT", "DELETE", "PATCH"]],
  ["/api/v1/rooms/lobby/users", ["GET"], ["POST", "DELETE"]],
  ["/api/v1/rooms/lobby/messages/ws", ["GET"], ["POST", "PUT"]],
  ["/api/v1/rooms/lobby/ws", ["GET"], ["POST", "DELETE"]],
  ["/api/v1/rooms", ["GET"], ["PUT", "DELETE", "PATCH"]],
  ["/api/v1/rooms/lobby/read", ["PUT"], ["GET", "POST", "DELETE"]],
  ["/api/v1/rooms/lobby/messages/1", ["PATCH"], ["GET", "POST", "PUT"]],
  ["/api/v1/users/me/rooms", ["GET"], ["POST", "PUT", "DELETE"]],
  ["/api/v1/openapi.json", ["GET"], ["POST", "PUT"]],
];

for (const [path, allowed, refused] of METHOD_CASES) {
  Deno.test(`${refused.join("/")} ${path} gets 405 METHOD_NOT_ALLOWED with Allow: ${allowed.join(", ")}`, async () => {
    await using server = await startServer();
    for (const method of refused) {
      const response = await fetch(`${server.url}${path}`, { method });
      const allow = (response.headers.get("allow") ?? "").split(",").map((m) => m.trim());
      await readEnvelope(response, 405, "METHOD_NOT_ALLOWED");
      for (const m of allowed) assert.ok(allow.includes(m), `${method} ${path}: Allow ${allow}`);
      assert.ok(!allow.includes(method), `${method} ${path}: Allow ${allow}`);
    }
  });
}

Deno.test("an unexpected failure gets 500 INTERNAL_ERROR with a generic message and no detail", async () => {
  const inner = await memoryStore();
  const detail = "boom at Object.findUserById (file:///srv/secret/store.ts:12:7) SQLITE_CORRUPT";
  const store: Store = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === "findUserById") return () => Promise.reject(new TypeError(detail));
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  try {
    await using server = await startServer({ store });
    const response = await fetch(`${server.url}/api/v1/users/1`);
    const raw = await response.clone().text();
    const body = await readEnvelope(response, 500, "INTERNAL_ERROR");
    assert.ok(!raw.includes("boom"), raw);
    assert.ok(!raw.includes("findUserById"), raw);
    assertNoLeak(body.error!.message);
  } finally {
    await inner.close();
  }
});

Deno.test("error messages for malformed input carry no stack trace or parser text", async () => {
  await using server = await startServer();
  const bodies = [
    '{"username": "a", "secret": ',
    "{'username': 'a'}",
    "undefined",
    '{"username": "a", "secret": "b"}}',
    "\u0000",
  ];
  for (const endpoint of ["/api/v1/users", "/api/v1/login"]) {
    for (const body of bodies) {
      const response = await fetch(`${server.url}${endpoint}`, {
        method: "POST",
        headers: json,
        body,
      });
      const raw = await response.clone().text();
      assertNoLeak(raw, `${endpoint} ${JSON.stringify(body)}`);
      await readEnvelope(response, 400, "BAD_BINDING");
    }
  }
  for (const token of ["x", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"]) {
    const response = await fetch(`${server.url}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const raw = await response.clone().text();
    assertNoLeak(raw, token);
    assert.doesNotMatch(raw, /JWS|JWT[A-Z]|jose/, raw);
    await readEnvelope(response, 401, "INVALID_AUTH_TOKEN");
  }
});
