/**
 * Test helper for the §7 suites: an app over a store of any backend, driven
 * through `app.request()` with every response held against the OpenAPI
 * document, a clock the test moves, and short ways to call the API as a user.
 *
 * @module
 */
import { type ChatApp, createApp } from "../../../src/app.ts";
import { silentLogger } from "../../../src/log.ts";
import { createMemoryBus } from "../../../src/realtime/bus.ts";
import type { Store } from "../../../src/store/store.ts";
import { type Json, TEST_JWT_SECRET, testConfig } from "../../_helpers/server.ts";
import { ContractLog, contractOf } from "../openapi_contract.ts";

/** Opens a fresh, empty store that reads the given clock. */
export type StoreOpener = (now: () => number) => Promise<Store>;

/** A signed-in user of a test app. */
export interface TestUser {
  readonly token: string;
  readonly user: { id: number; username: string };
}

/** An answer: status and parsed envelope. */
export interface Answer {
  readonly status: number;
  readonly body: Json;
}

/** The server API's key in these tests. */
export const API_KEY = "k".repeat(40);

/** An app under test. */
export interface ModerationApp extends AsyncDisposable {
  readonly app: ChatApp;
  readonly store: Store;
  /** The clock app and store read; move `clock.now` forward to let time pass. */
  readonly clock: { now: number };
  /** Calls the API: JSON body when given, `Authorization: Bearer` when `as` is given. */
  call(
    method: string,
    path: string,
    options?: { as?: TestUser | string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  /** Signs up (if needed) and logs in. */
  signIn(username: string): Promise<TestUser>;
}

/** Builds an app over `open`'s store; `env` adds to the test configuration. */
export async function openModerationApp(
  open: StoreOpener,
  env: Record<string, string> = {},
): Promise<ModerationApp> {
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const store = await open(now);
  const bus = createMemoryBus();
  const app = createApp({
    config: testConfig({ ADMIN_USERNAMES: "root", ...env }),
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: silentLogger,
    now,
  });
  const log = new ContractLog(contractOf(app.hono));
  const request = log.wrap((r: Request) =>
    app.hono.request(r, undefined, { remoteAddr: { hostname: "127.0.0.1" } })
  );
  const call: ModerationApp["call"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const token = typeof options.as === "string" ? options.as : options.as?.token;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await request(
      new Request(new URL(path, "http://127.0.0.1"), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      }),
    );
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    app,
    store,
    clock,
    call,
    async signIn(username) {
      await call("POST", "/api/v1/users", { body: { username, secret: "correct horse" } });
      // Tokens of one test differ by their issue time (a revocation cuts off at a millisecond).
      clock.now += 1;
      const login = await call("POST", "/api/v1/login", {
        body: { username, secret: "correct horse" },
      });
      if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
      clock.now += 1;
      return login.body.data;
    },
    async [Symbol.asyncDispose]() {
      await app.close();
      bus.close();
      await store.close();
      await log.assertKept();
    },
  };
}

/** Asserts an answer's status (and error type), with the body in the message. */
export function expectStatus(answer: Answer, status: number, type?: string): Json {
  const label = JSON.stringify(answer.body);
  if (answer.status !== status) {
    throw new Error(`expected ${status}, got ${answer.status} ${label}`);
  }
  if (type !== undefined && answer.body?.error?.type !== type) {
    throw new Error(`expected ${type}, got ${label}`);
  }
  return answer.body?.data;
}

/** `owner` creates a room with `POST /rooms` (asserted 201); returns the room. */
export async function createRoom(
  t: ModerationApp,
  owner: TestUser,
  body: { name: string; visibility: "public" | "private"; title?: string },
): Promise<Json> {
  return expectStatus(await t.call("POST", "/api/v1/rooms", { as: owner, body }), 201);
}
