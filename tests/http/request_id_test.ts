/**
 * `X-Request-Id`: a sane incoming id is the request's id, in the log line and
 * the response header; anything else gets a fresh one.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createApp } from "../../src/app.ts";
import { MAX_REQUEST_ID_CHARS, requestIdFor } from "../../src/http/request_id.ts";
import { createLogger } from "../../src/log.ts";
import { createMemoryBus } from "../../src/realtime/bus.ts";
import { memoryStore, TEST_JWT_SECRET, testConfig } from "../_helpers/server.ts";

/** An app whose info log lines are kept, driven through `app.request()`. */
async function appWithLog() {
  const lines: Record<string, unknown>[] = [];
  const store = await memoryStore("sqlite");
  const bus = createMemoryBus();
  const app = createApp({
    config: testConfig(),
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: createLogger("info", (line) => lines.push(JSON.parse(line))),
  });
  const env = { remoteAddr: { hostname: "127.0.0.1" } };
  return {
    lines,
    request: (headers: Record<string, string> = {}) =>
      app.hono.request(new Request("http://127.0.0.1/healthz", { headers }), undefined, env),
    async [Symbol.asyncDispose]() {
      await app.close();
      bus.close();
      await store.close();
    },
  };
}

/** The `requestId` of the log's "Request" lines. */
function loggedIds(lines: Record<string, unknown>[]): unknown[] {
  return lines.filter((line) => line.message === "Request").map((line) => line.requestId);
}

Deno.test("a sane X-Request-Id is the request's id in the log and the response", async () => {
  await using app = await appWithLog();
  const incoming = "req-7f3a:edge.example/1=" + "x".repeat(MAX_REQUEST_ID_CHARS - 24);
  assert.equal(incoming.length, MAX_REQUEST_ID_CHARS);
  const response = await app.request({ "x-request-id": incoming });
  await response.body?.cancel();
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-request-id"), incoming);
  assert.deepEqual(loggedIds(app.lines), [incoming]);
});

Deno.test("without X-Request-Id, or with an unfit one, the request gets a fresh id", async () => {
  await using app = await appWithLog();
  const unfit = ["", "has space", "x".repeat(MAX_REQUEST_ID_CHARS + 1), "naïve", "tab\there"];
  const sent = [undefined, ...unfit];
  const answered: string[] = [];
  for (const value of sent) {
    const response = await app.request(value === undefined ? {} : { "x-request-id": value });
    await response.body?.cancel();
    const id = response.headers.get("x-request-id") ?? "";
    assert.match(id, /^[0-9a-f]{8}$/, `sent ${JSON.stringify(value)}`);
    answered.push(id);
  }
  assert.equal(new Set(answered).size, sent.length, "each fresh id is new");
  assert.deepEqual(loggedIds(app.lines), answered);
});

Deno.test("requestIdFor() keeps 1 to 128 visible ASCII characters and nothing else", () => {
  assert.equal(requestIdFor("abc-123"), "abc-123");
  assert.equal(requestIdFor("~!"), "~!");
  for (const bad of [null, undefined, "", " ", "a b", "\u0000", "é", "x".repeat(129)]) {
    assert.match(requestIdFor(bad), /^[0-9a-f]{8}$/, JSON.stringify(bad));
  }
});
