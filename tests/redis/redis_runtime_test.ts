/**
 * `openRuntime()` on the supported Redis combinations, in this process: two
 * runtimes stand for two machines (each has its own Redis clients and node id).
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load_config.ts";
import { silentLogger } from "../../src/log.ts";
import { openRuntime, type Runtime } from "../../src/runtime.ts";
import { connect } from "../_helpers/ws_client.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/redis_runtime_test.ts");

function serve(runtime: Runtime) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, runtime.app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    wsUrl: url.replace("http", "ws"),
    async [Symbol.asyncDispose]() {
      await runtime.close();
      await server.shutdown();
    },
  };
}

/** Two runtimes on `env`: a message sent on one reaches a reader on the other, and presence is shared. */
async function crossRuntime(env: Record<string, string>) {
  const config = loadConfig({
    PBKDF2_ITERATIONS: "1000",
    JWT_SECRET: "runtime-test-secret-runtime-test-secret",
    ...env,
  });
  await using a = serve(await openRuntime(config, silentLogger));
  await using b = serve(await openRuntime(config, silentLogger));
  const room = `room-${crypto.randomUUID().slice(0, 8)}`;
  const name = `u${crypto.randomUUID().slice(0, 8)}`;
  const created = await fetch(`${a.url}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: name, secret: "pw-secret" }),
  });
  assert.equal(created.status, 201);
  await created.body?.cancel();
  const login = await fetch(`${b.url}/api/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: name, secret: "pw-secret" }),
  }).then((r) => r.json());
  const token: string = login.data.token;

  const reader = await connect(`${b.wsUrl}/api/v1/rooms/${room}/ws`);
  const writer = await connect(`${a.wsUrl}/api/v1/rooms/${room}/ws`, [token]);
  try {
    // Let the reader's node subscribe before the first message.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 1; i <= 5; i++) writer.send({ text: `m${i}`, nonce: `n${i}` });
    const got = await reader.waitForMessages(5, 5000);
    assert.deepEqual(got.map((m) => [m.seq, m.text]), [1, 2, 3, 4, 5].map((i) => [i, `m${i}`]));
    await writer.waitForMessages(5, 5000);

    // Presence crosses runtimes through the store.
    const deadline = Date.now() + 5000;
    let users: { data: { users: unknown[]; anonymous: number } } | undefined;
    while (Date.now() < deadline) {
      users = await fetch(`${a.url}/api/v1/rooms/${room}/users`).then((r) => r.json());
      if (users?.data.users.length === 1 && users.data.anonymous === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(users?.data.anonymous, 1);
    assert.equal(users?.data.users.length, 1);
  } finally {
    await reader.close();
    await writer.close();
  }
}

Deno.test({
  name: "openRuntime() with STORE=redis BUS=redis: two runtimes share users, messages and presence",
  ignore: redis === undefined,
  async fn() {
    await crossRuntime({ STORE: "redis", BUS: "redis", REDIS_URL: redis!.url });
  },
});

Deno.test({
  name: "openRuntime() with a shared SQLite file and BUS=redis: two runtimes share messages",
  ignore: redis === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chat-redis-runtime-" });
    try {
      await crossRuntime({
        STORE: "sqlite",
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        BUS: "redis",
        REDIS_URL: redis!.url,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "openRuntime() with STORE=redis and the default bus serves one process",
  ignore: redis === undefined,
  async fn() {
    const config = loadConfig({
      STORE: "redis",
      REDIS_URL: redis!.url,
      PBKDF2_ITERATIONS: "1000",
      JWT_SECRET: "runtime-test-secret-runtime-test-secret",
    });
    await using a = serve(await openRuntime(config, silentLogger));
    const health = await fetch(`${a.url}/healthz`).then((r) => r.json());
    assert.deepEqual(health, { error: null, data: { status: "ok" } });
  },
});
