import assert from "node:assert/strict";
import { loadConfig } from "../src/config/load_config.ts";
import { createLogger } from "../src/log.ts";
import { configFrom } from "../src/config/flags.ts";
import { openRuntime } from "../src/runtime.ts";
import { StartupError } from "../src/errors.ts";

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger("info", (line) => lines.push(line)) };
}

Deno.test("openRuntime: without JWT_SECRET it warns and every runtime on one store shares one generated secret", async () => {
  const dir = await Deno.makeTempDir();
  const config = loadConfig({
    DATABASE_PATH: `${dir}/chat.sqlite3`,
    BUS: "memory",
    PBKDF2_ITERATIONS: "1000",
  });
  const first = capture();
  const a = await openRuntime(config, first.logger);
  const b = await openRuntime(config, capture().logger);
  assert.ok(first.lines.some((l) => /JWT_SECRET is not set/.test(l)));
  await a.app.accounts.signUp("shared", "secret");
  const { token } = await a.app.accounts.login("shared", "secret");
  // A token from one isolate is valid on another: the secret is shared through the store.
  assert.equal((await b.app.tokens.verify(token)).user.username, "shared");
  await a.close();
  await b.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openRuntime: a JWT_SECRET shorter than 32 bytes starts with a warning", async () => {
  const config = loadConfig({ DATABASE_PATH: ":memory:", BUS: "memory", JWT_SECRET: "short" });
  const { lines, logger } = capture();
  const runtime = await openRuntime(config, logger);
  assert.ok(lines.some((l) => /shorter than 32 bytes/.test(l)));
  assert.ok(!lines.some((l) => l.includes('"short"')));
  await runtime.close();
});

Deno.test("loadConfig(): Deno Deploy picks the KV store unless STORE is set", () => {
  assert.equal(loadConfig({ DENO_DEPLOYMENT_ID: "x" }).store, "kv");
  assert.equal(loadConfig({ DENO_DEPLOYMENT_ID: "x", STORE: "sqlite" }).store, "sqlite");
  assert.equal(loadConfig({}).store, "sqlite");
});

Deno.test("configFrom(): deno run uses the in-process bus, except on Deno Deploy (KV and BroadcastChannel)", () => {
  assert.equal(configFrom({}, []).bus, "memory");
  assert.equal(configFrom({ BUS: "broadcast" }, []).bus, "broadcast");
  assert.equal(configFrom({}, ["--bus=redis", "--redis-url=redis://127.0.0.1:1"]).bus, "redis");
  const deploy = configFrom({ DENO_DEPLOYMENT_ID: "x" }, []);
  assert.equal(deploy.bus, "broadcast");
  assert.equal(deploy.store, "kv");
  assert.equal(configFrom({ DENO_DEPLOYMENT_ID: "x", BUS: "memory" }, []).bus, "memory");
  assert.equal(loadConfig({}, { launch: "serve" }).bus, "broadcast", "deno serve spans isolates");
});

Deno.test("openRuntime(): a Redis that does not answer is a StartupError, and nothing stays open", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const config = loadConfig({ STORE: "redis", REDIS_URL: `redis://127.0.0.1:${port}` });
  await assert.rejects(openRuntime(config, capture().logger), (error: unknown) => {
    assert.ok(error instanceof StartupError, String(error));
    assert.match(error.message, /Cannot connect to Redis/);
    return true;
  });
});
