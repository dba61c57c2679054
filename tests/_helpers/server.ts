/**
 * Test helpers: a real server on 127.0.0.1, port 0, over a fresh in-memory store.
 *
 * @module
 */
import { type ChatApp, createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config/load_config.ts";
import { silentLogger } from "../../src/log.ts";
import { type Bus, createMemoryBus } from "../../src/realtime/bus.ts";
import { openKvStore } from "../../src/store/kv_store.ts";
import { openSqliteStore } from "../../src/store/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";
import { ContractLog, contractOf } from "../http/openapi_contract.ts";

/** A running test server. */
export interface TestServer extends AsyncDisposable {
  readonly url: string;
  readonly wsUrl: string;
  readonly app: ChatApp;
  readonly store: Store;
  readonly config: Config;
  close(): Promise<void>;
}

/** Options for {@linkcode startServer}. */
export interface TestServerOptions {
  env?: Record<string, string>;
  store?: Store;
  bus?: Bus;
  storeKind?: "sqlite" | "kv";
  now?: () => number;
  maxBufferedBytes?: number;
  heartbeatSeconds?: number;
  /** Keep the store open on close (it belongs to the caller). */
  keepStore?: boolean;
  /** Hold every response against the OpenAPI document, failing on close (default true). */
  checkContract?: boolean;
}

/** The HS256 secret every test server signs with (to forge expired or tampered tokens). */
export const TEST_JWT_SECRET = "test-secret-test-secret-test-secret!";

/** Test configuration: cheap hashing, loopback. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PBKDF2_ITERATIONS: "1000",
    HOST: "127.0.0.1",
    PORT: "0",
    LOGIN_RATE_LIMIT: "0",
    LOGIN_USER_RATE_LIMIT: "0",
    SIGNUP_RATE_LIMIT: "0",
    ...env,
  });
}

/** Opens a fresh in-memory store of the given kind. */
export async function memoryStore(
  kind: "sqlite" | "kv" = "sqlite",
  now?: () => number,
): Promise<Store> {
  return kind === "kv"
    ? await openKvStore({ path: ":memory:", now })
    : openSqliteStore({ path: ":memory:", now });
}

/** Starts a server on a random loopback port. */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = testConfig(options.env);
  const store = options.store ?? await memoryStore(options.storeKind, options.now);
  const bus = options.bus ?? createMemoryBus();
  const app = createApp({
    config,
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: silentLogger,
    now: options.now,
    maxBufferedBytes: options.maxBufferedBytes,
    heartbeatSeconds: options.heartbeatSeconds,
  });
  const contract = options.checkContract === false
    ? undefined
    : new ContractLog(contractOf(app.hono));
  const handler = contract ? contract.wrap(app.fetch) : app.fetch;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const url = `http://127.0.0.1:${server.addr.port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await server.shutdown();
    if (!options.bus) bus.close();
    if (!options.keepStore && !options.store) await store.close();
    await contract?.assertKept();
  };
  return {
    url,
    wsUrl: url.replace("http", "ws"),
    app,
    store,
    config,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A parsed JSON body whose shape the test asserts on. */
// deno-lint-ignore no-explicit-any
export type Json = any;

/** A response's status, headers and parsed JSON body (`undefined` when empty). */
async function readJson(
  response: Response,
): Promise<{ status: number; headers: Headers; body: Json }> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** POSTs JSON and returns status, headers and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  return readJson(
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

/** GETs and returns status, headers and parsed body. */
export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  return readJson(await fetch(url, { headers }));
}

/** Signs up and logs in; returns the token and user. */
export async function signIn(
  server: { url: string },
  username: string,
  secret = "correct horse",
): Promise<{ token: string; user: { id: number; username: string } }> {
  const created = await postJson(`${server.url}/api/v1/users`, { username, secret });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
  }
  const login = await postJson(`${server.url}/api/v1/login`, { username, secret });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return login.body.data;
}

/** Appends `count` messages straight to the store (texts `${prefix} 1`, `${prefix} 2`, …). */
export async function seedMessages(
  store: Store,
  room: string,
  sender: { id: number; username: string },
  count: number,
  prefix = "message",
): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await store.appendMessage({
      id: crypto.randomUUID(),
      room,
      sender,
      text: `${prefix} ${i}`,
      createdAtMs: Date.now(),
    });
  }
}
