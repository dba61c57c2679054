/**
 * The response checker (tests/http/openapi_contract.ts) catches what breaks
 * the OpenAPI document, so the HTTP tests that run through it can fail: each
 * wrong response below is made by hand and must be refused, next to the real
 * response it imitates, which must pass.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Store } from "../../src/store/store.ts";
import { memoryStore, startServer } from "../_helpers/server.ts";
import { type Contract, ContractLog, contractOf, pathOf, seen } from "./openapi_contract.ts";
import { startTestApp } from "./test_app.ts";

const JSON_TYPE = "application/json; charset=utf-8";
const URL_BASE = "http://127.0.0.1:8000";

async function contract(): Promise<Contract> {
  await using app = await startTestApp();
  return await contractOf(app.app.hono);
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: new Headers({ "content-type": JSON_TYPE, ...headers }),
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

const alice = { id: 1, username: "alice" };

Deno.test("pathOf() keeps the encoded path and drops the query, whatever the host", () => {
  assert.equal(pathOf("http://127.0.0.1:8000/api/v1/rooms/a%20b?x=1"), "/api/v1/rooms/a%20b");
  assert.equal(pathOf("http://bad host/x#y"), "/x");
  assert.equal(pathOf("http://127.0.0.1"), "/");
});

Deno.test("the checker passes responses that keep the document", async () => {
  const c = await contract();
  const cases: Array<[string, string, ReturnType<typeof reply>]> = [
    ["POST", "/api/v1/users", reply(201, { error: null, data: alice })],
    ["GET", "/api/v1/users/me", reply(200, { error: null, data: { ...alice, admin: false } })],
    ["GET", "/api/v1/users/7", reply(404, err("USER_NOT_FOUND"))],
    ["GET", "/api/v1/rooms/lobby?limit=5", reply(200, { error: null, data: roomInfo() })],
    ["GET", "/api/v1/nope", reply(404, err("NOT_FOUND"))],
    ["DELETE", "/api/v1/users", reply(405, err("METHOD_NOT_ALLOWED"), { allow: "POST" })],
    ["POST", "/api/v1/login", reply(429, err("RATE_LIMITED"), { "retry-after": "3" })],
    ["HEAD", "/api/v1/rooms/lobby", reply(200, "")],
    ["OPTIONS", "/api/v1/users", reply(204, "")],
    ["GET", "/app.js", reply(200, "not json", { "content-type": "text/javascript" })],
    ["GET", "/metrics", reply(200, "# HELP", { "content-type": "text/plain; version=0.0.4" })],
    ["GET", "/api/v1/rooms/lobby/ws", { status: 101, headers: new Headers(), body: "" }],
  ];
  for (const [method, path, response] of cases) {
    assert.deepEqual(c.check(method, URL_BASE + path, response), [], `${method} ${path}`);
  }
});

function err(type: string) {
  return { error: { type, message: "Something is wrong" }, data: null };
}

function roomInfo() {
  return { name: "lobby", lastSeq: 3, online: { users: 1, anonymous: 0 } };
}

Deno.test("the checker refuses responses that break the document, naming what is wrong", async () => {
  const c = await contract();
  const cases: Array<[string, string, ReturnType<typeof reply>, RegExp]> = [
    [
      "POST",
      "/api/v1/users",
      reply(201, { error: null, data: { ...alice, passwordHash: "x" } }),
      /passwordHash|additional/i,
    ],
    ["POST", "/api/v1/users", reply(201, { error: null, data: { id: "1", username: "a" } }), /id/],
    ["POST", "/api/v1/users", reply(201, { error: null, data: { id: 0, username: "a" } }), /id/],
    ["POST", "/api/v1/users", reply(200, { error: null, data: alice }), /200 is not documented/],
    ["GET", "/api/v1/rooms/lobby", reply(418, err("TEAPOT")), /418 is not documented/],
    ["POST", "/api/v1/users", reply(400, err("USER_EXISTS")), /type/],
    ["POST", "/api/v1/users", reply(400, { error: null, data: null }), /error/],
    [
      "POST",
      "/api/v1/users",
      reply(400, { error: { type: "BAD_BINDING", message: "" }, data: null }),
      /message/,
    ],
    ["GET", "/api/v1/rooms/lobby", reply(200, roomInfo()), /error|data/],
    [
      "GET",
      "/api/v1/rooms/lobby",
      reply(200, { error: null, data: { ...roomInfo(), online: { users: 1 } } }),
      /anonymous/,
    ],
    [
      "GET",
      "/api/v1/rooms/lobby",
      reply(200, "{}", { "content-type": "text/plain" }),
      /content type "text\/plain"/,
    ],
    ["GET", "/api/v1/rooms/lobby", reply(200, "{not json"), /not JSON/],
    ["GET", "/api/v1/nope", reply(200, { error: null, data: {} }), /expected 404 NOT_FOUND/],
    ["GET", "/api/v1/nope", reply(404, err("ROOM_GONE")), /not NOT_FOUND/],
    ["DELETE", "/api/v1/users", reply(405, err("METHOD_NOT_ALLOWED")), /Allow/],
    ["POST", "/api/v1/login", reply(429, err("RATE_LIMITED")), /Retry-After/],
    ["GET", "/api/v1/rooms/lobby/ws", { status: 101, headers: new Headers(), body: "x" }, /body/],
  ];
  for (const [method, path, response, why] of cases) {
    const problems = c.check(method, URL_BASE + path, response);
    const label = `${method} ${path} ${response.status} ${response.body.slice(0, 60)}`;
    assert.equal(problems.length, 1, `${label}: ${problems.join(" | ") || "passed"}`);
    assert.match(problems[0]!, why, label);
  }
});

Deno.test("a ContractLog fails on close with every response that broke the document", async () => {
  const log = new ContractLog(contract());
  const wrong = () => Response.json({ error: null, data: { id: "x" } }, { status: 201 });
  const right = () => Response.json({ error: null, data: alice }, { status: 201 });
  const handler = log.wrap((request: Request) => request.url.endsWith("?bad") ? wrong() : right());
  const first = await handler(new Request(`${URL_BASE}/api/v1/users?bad`, { method: "POST" }));
  // The caller still reads the body the checker read.
  assert.deepEqual(await first.json(), { error: null, data: { id: "x" } });
  await handler(new Request(`${URL_BASE}/api/v1/users`, { method: "POST" }));
  await assert.rejects(log.assertKept(), /1 response\(s\) break the OpenAPI document/);
  assert.equal(log.violations.length, 1);
  assert.match(log.violations[0]!, /POST \/api\/v1\/users -> 201/);
});

Deno.test("seen() reads a response's body and hands back an equal response", async () => {
  const response = new Response('{"a":1}', { status: 201, headers: { "x-a": "1" } });
  const read = await seen(response);
  assert.equal(read.seen.body, '{"a":1}');
  assert.equal(read.response.status, 201);
  assert.equal(read.response.headers.get("x-a"), "1");
  assert.equal(await read.response.text(), '{"a":1}');
});

Deno.test("a real server whose store leaks the password hash fails its test on close", async () => {
  const inner = await memoryStore();
  // A store that returns the whole record, hash included, where the public user belongs.
  const store: Store = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === "findUserById") {
        return async (id: number) => {
          const user = await target.findUserById(id);
          return user && { ...user, passwordHash: "pbkdf2$leaked" };
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  try {
    const server = await startServer({ store });
    const created = await fetch(`${server.url}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", secret: "s3cret" }),
    });
    const { data } = await created.json();
    const leaked = await fetch(`${server.url}/api/v1/users/${data.id}`);
    assert.equal(leaked.status, 200);
    await leaked.text();
    await assert.rejects(server.close(), /GET \/api\/v1\/users\/1 -> 200.*passwordHash/s);
  } finally {
    await inner.close();
  }
});
