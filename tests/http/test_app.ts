/**
 * Test helper: an app on a fresh in-memory store, driven in process through
 * Hono's `app.request()` (no socket), with every response held against the
 * OpenAPI document (tests/http/openapi_contract.ts). For tests that need no
 * WebSocket and no raw TCP.
 *
 * @module
 */
import { type ChatApp, createApp } from "../../src/app.ts";
import type { Config } from "../../src/config/load_config.ts";
import { silentLogger } from "../../src/log.ts";
import { createMemoryBus } from "../../src/realtime/bus.ts";
import type { Store } from "../../src/store/store.ts";
import { memoryStore, TEST_JWT_SECRET, testConfig } from "../_helpers/server.ts";
import { ContractLog, contractOf } from "./openapi_contract.ts";

/** An app under test. */
export interface TestApp extends AsyncDisposable {
  readonly app: ChatApp;
  readonly store: Store;
  readonly config: Config;
  /** What `app.request(path, init)` answers, as seen from the loopback address. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Sends `body` (JSON-encoded unless a string) as `application/json`. */
  postJson(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Closes the app and its store; fails when a response broke the OpenAPI document. */
  close(): Promise<void>;
}

/** Builds an app for `app.request()` tests. */
export async function startTestApp(
  options: { env?: Record<string, string>; now?: () => number } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const store = await memoryStore("sqlite", options.now);
  const bus = createMemoryBus();
  const app = createApp({
    config,
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: silentLogger,
    now: options.now,
  });
  const log = new ContractLog(contractOf(app.hono));
  const request = (path: string, init?: RequestInit) => {
    const req = new Request(new URL(path, "http://127.0.0.1"), init);
    const env = { remoteAddr: { hostname: "127.0.0.1" } };
    return log.wrap((r: Request) => app.hono.request(r, undefined, env))(req);
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    bus.close();
    await store.close();
    await log.assertKept();
  };
  return {
    app,
    store,
    config,
    request,
    postJson: (path, body, headers = {}) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Signs up and logs in through `app.request()`; returns the token and user. */
export async function signInApp(
  app: TestApp,
  username: string,
  secret = "correct horse",
): Promise<{ token: string; user: { id: number; username: string } }> {
  const created = await app.postJson("/api/v1/users", { username, secret });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`sign-up failed: ${await created.text()}`);
  }
  const login = await app.postJson("/api/v1/login", { username, secret });
  if (login.status !== 200) throw new Error(`login failed: ${await login.text()}`);
  return (await login.json()).data;
}
