import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/config/load_config.ts";
import { silentLogger } from "../../src/log.ts";
import { openRedisConnection, RedisConnectError } from "../../src/redis/connection.ts";
import { freePort } from "./_redis_server.ts";

Deno.test("loadConfig() accepts STORE=redis and BUS=redis with a redis:// REDIS_URL", () => {
  const config = loadConfig({
    STORE: "redis",
    BUS: "REDIS",
    REDIS_URL: "redis://127.0.0.1:6380/2",
  });
  assert.equal(config.store, "redis");
  assert.equal(config.bus, "redis");
  assert.equal(config.redisUrl, "redis://127.0.0.1:6380/2");
  assert.equal(loadConfig({ BUS: "redis", REDIS_URL: "rediss://:pw@cache:6380" }).store, "sqlite");
  assert.equal(loadConfig({}).redisUrl, undefined);
});

Deno.test("loadConfig() refuses STORE=redis or BUS=redis without REDIS_URL, naming it", () => {
  assert.throws(() => loadConfig({ STORE: "redis" }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /REDIS_URL/);
    assert.match(error.message, /STORE/);
    return true;
  });
  assert.throws(() => loadConfig({ BUS: "redis", REDIS_URL: "  " }), /Missing REDIS_URL.*BUS/);
});

Deno.test("loadConfig() refuses a REDIS_URL that is not redis:// without echoing its password", () => {
  for (const raw of ["localhost:6379", "http://127.0.0.1:6379", "not a url", "redis://"]) {
    assert.throws(() => loadConfig({ STORE: "redis", REDIS_URL: raw }), /Invalid REDIS_URL/, raw);
  }
  assert.throws(
    () => loadConfig({ BUS: "redis", REDIS_URL: "http://user:hunter2@host:6379" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    },
  );
});

Deno.test("openRedisConnection() fails with RedisConnectError when nothing listens", async () => {
  const port = freePort();
  const started = performance.now();
  await assert.rejects(
    openRedisConnection({
      url: `redis://:hunter2@127.0.0.1:${port}`,
      logger: silentLogger,
      connectTimeoutMs: 300,
    }),
    (error: unknown) => {
      assert.ok(error instanceof RedisConnectError);
      assert.doesNotMatch(error.message, /hunter2/);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    },
  );
  assert.ok(performance.now() - started < 3000);
});
