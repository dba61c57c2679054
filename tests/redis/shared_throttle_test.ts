/**
 * The login and sign-up throttles on Redis: one count per key for every
 * process on one Redis, and, while Redis is away, each process's own count
 * instead of a 500.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RateLimitError } from "../../src/errors.ts";
import { createLogger } from "../../src/log.ts";
import { openRedisConnection, type RedisConnection } from "../../src/redis/connection.ts";
import { redisThrottles } from "../../src/redis/shared_throttle.ts";
import { eventually } from "../_helpers/eventually.ts";
import { postJson } from "../_helpers/server.ts";
import { type ChatProcess, startChatProcess } from "./_chat_process.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/shared_throttle_test.ts");

/** Whether `take` refuses with 429 RATE_LIMITED. */
async function refused(take: () => void | Promise<void>): Promise<boolean> {
  try {
    await take();
    return false;
  } catch (error) {
    if (error instanceof RateLimitError) return true;
    throw error;
  }
}

/** Two Redis connections standing for two processes, and what they logged. */
async function twoConnections() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", (line) => lines.push(JSON.parse(line)));
  const connections: RedisConnection[] = [];
  for (let i = 0; i < 2; i++) {
    connections.push(
      await openRedisConnection({ url: redis!.url, logger: createLogger("error", () => {}) }),
    );
  }
  const keyPrefix = `test:${crypto.randomUUID()}:`;
  const [a, b] = connections.map((c) => redisThrottles({ client: c.commands, logger, keyPrefix }));
  return {
    a: a!,
    b: b!,
    lines,
    first: connections[0]!,
    keyPrefix,
    async [Symbol.asyncDispose]() {
      for (const connection of connections) await connection.close();
    },
  };
}

Deno.test({
  name: "redisThrottles(): two processes share one bucket per key; giveBack returns a token",
  ignore: redis === undefined,
  async fn() {
    await using pair = await twoConnections();
    const spec = { name: "login", what: "login attempts", perMinute: 3 };
    const [a, b] = [pair.a(spec), pair.b(spec)];
    await a.take("10.0.0.1");
    await b.take("10.0.0.1");
    await a.take("10.0.0.1");
    assert.ok(await refused(() => b.take("10.0.0.1")), "the 4th on the other process is refused");
    assert.ok(await refused(() => a.take("10.0.0.1")));
    // Another key has its own bucket.
    await b.take("10.0.0.2");
    // A token given back on one process can be taken on the other.
    await a.giveBack("10.0.0.1");
    await b.take("10.0.0.1");
    assert.ok(await refused(() => a.take("10.0.0.1")));

    // The refusal says when to come back; the bucket expires once it would be full.
    const error = await Promise.resolve(a.take("10.0.0.1")).catch((e) => e);
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.status, 429);
    assert.equal(error.type, "RATE_LIMITED");
    const retry = Number(error.headers["retry-after"]);
    assert.ok(retry >= 1 && retry <= 20, `retry-after ${retry}`);
    const ttl = await pair.first.commands.pTTL(`${pair.keyPrefix}login:10.0.0.1`);
    assert.ok(ttl > 0 && ttl <= 60_000, `ttl ${ttl}`);
    assert.deepEqual(pair.lines, []);
  },
});

Deno.test({
  name: "redisThrottles(): a limit of 0 is off and writes nothing",
  ignore: redis === undefined,
  async fn() {
    await using pair = await twoConnections();
    const off = pair.a({ name: "signup", what: "sign-ups", perMinute: 0 });
    for (let i = 0; i < 5; i++) await off.take("10.0.0.1");
    assert.deepEqual(await pair.first.commands.keys(`${pair.keyPrefix}*`), []);
  },
});

Deno.test({
  name: "redisThrottles(): while Redis is away each process counts on its own, with one warning",
  ignore: redis === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using pair = await twoConnections();
    const spec = { name: "login", what: "login attempts", perMinute: 2 };
    const [a, b] = [pair.a(spec), pair.b(spec)];
    await a.take("10.0.0.9");
    await redis!.stop();
    try {
      // The process's own bucket answers: full, so 2 takes, then a refusal (never another error).
      await a.take("10.0.0.9");
      await a.take("10.0.0.9");
      assert.ok(await refused(() => a.take("10.0.0.9")));
      await b.take("10.0.0.9");
      const warnings = pair.lines.filter((line) => line.level === "warn");
      assert.equal(warnings.length, 2, "one per throttle and outage");
      assert.match(String(warnings[0]!.message), /cannot reach Redis/);
    } finally {
      await redis!.start();
    }
    // Back on Redis: the shared bucket (1 of 2 taken before the outage) counts again.
    await eventually(
      () => Promise.resolve(a.take("10.0.0.9")).then(() => "taken", (e) => String(e)),
      (outcome) => outcome === "taken",
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    assert.ok(await refused(() => b.take("10.0.0.9")));
    assert.ok(pair.lines.some((line) => line.message === "Shared throttle back on Redis"));
  },
});

/** Two chat processes on the test's Redis with `env`. */
async function twoProcesses(env: Record<string, string>): Promise<ChatProcess[]> {
  const base = {
    STORE: "redis",
    BUS: "redis",
    REDIS_URL: redis!.url,
    PBKDF2_ITERATIONS: "1000",
    JWT_SECRET: `throttle-test-secret-${crypto.randomUUID()}`,
    LOG_LEVEL: "error",
    LOGIN_RATE_LIMIT: "0",
    LOGIN_USER_RATE_LIMIT: "0",
    SIGNUP_RATE_LIMIT: "0",
    ...env,
  };
  return [await startChatProcess(base), await startChatProcess(base)];
}

Deno.test({
  name:
    "Redis, two processes, LOGIN_RATE_LIMIT=3: 3 failed logins across both, the 4th on either is 429",
  ignore: redis === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const servers = await twoProcesses({ LOGIN_RATE_LIMIT: "3" });
    try {
      const [a, b] = servers as [ChatProcess, ChatProcess];
      const login = (server: ChatProcess, username: string) =>
        postJson(`${server.url}/api/v1/login`, { username, secret: "wrong secret" });
      // Unknown users: refused (400 USER_NOT_FOUND), each attempt counted for the address.
      for (const [server, name] of [[a, "nobody1"], [b, "nobody2"], [a, "nobody3"]] as const) {
        assert.equal((await login(server, name)).status, 400);
      }
      for (const server of [b, a]) {
        const refused = await login(server, "nobody4");
        assert.equal(refused.status, 429);
        assert.equal(refused.body.error.type, "RATE_LIMITED");
        assert.ok(Number(refused.headers.get("retry-after")) >= 1);
      }
    } finally {
      for (const server of servers) await server.kill("SIGTERM");
    }
  },
});

Deno.test({
  name:
    "Redis, two processes, LOGIN_USER_RATE_LIMIT=2: failed logins of one user count across both",
  ignore: redis === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const servers = await twoProcesses({ LOGIN_USER_RATE_LIMIT: "2" });
    try {
      const [a, b] = servers as [ChatProcess, ChatProcess];
      const name = `u${crypto.randomUUID().slice(0, 8)}`;
      const created = await postJson(`${a.url}/api/v1/users`, {
        username: name,
        secret: "right one",
      });
      assert.equal(created.status, 201);
      const login = (server: ChatProcess, secret: string) =>
        postJson(`${server.url}/api/v1/login`, { username: name, secret });
      // A successful login gives its token back: it does not count.
      assert.equal((await login(b, "right one")).status, 200);
      assert.equal((await login(a, "wrong one")).status, 401);
      assert.equal((await login(b, "wrong one")).status, 401);
      assert.equal((await login(a, "right one")).status, 429);
      assert.equal((await login(b, "wrong one")).status, 429);
    } finally {
      for (const server of servers) await server.kill("SIGTERM");
    }
  },
});
