/**
 * MEMORY_HIGH_WATER_MB through the real handshake: an app whose RSS source
 * and sampling clock are fakes, served on loopback.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createApp } from "../../../src/app.ts";
import { silentLogger } from "../../../src/log.ts";
import { createMemoryBus } from "../../../src/realtime/bus.ts";
import {
  getJson,
  memoryStore,
  signIn,
  TEST_JWT_SECRET,
  testConfig,
} from "../../_helpers/server.ts";
import { connect, type RefusedHandshake } from "../../_helpers/ws_client.ts";

const MIB = 1024 * 1024;

/** An app over a fake RSS (in MiB) and a clock ticked by hand, mark 100 MiB. */
async function overloadServer() {
  let rssMb = 40;
  const ticks: Array<() => void> = [];
  const store = await memoryStore();
  const bus = createMemoryBus();
  const app = createApp({
    config: testConfig({ MEMORY_HIGH_WATER_MB: "100" }),
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: silentLogger,
    memory: {
      rss: () => rssMb * MIB,
      every: (run) => {
        ticks.push(run);
        return () => void ticks.splice(ticks.indexOf(run), 1);
      },
    },
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    ws: `${url.replace("http", "ws")}/api/v1/rooms/lobby/ws`,
    app,
    /** Sets the RSS and runs one sample. */
    sample(mb: number) {
      rssMb = mb;
      for (const run of ticks) run();
    },
    async [Symbol.asyncDispose]() {
      await app.close();
      await server.shutdown();
      bus.close();
      await store.close();
    },
  };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail("the socket was accepted"),
    (error: RefusedHandshake) => error,
  );

Deno.test("over MEMORY_HIGH_WATER_MB: handshakes get 503 OVERLOADED, anonymous sockets close with 1013, signed-in ones stay, /readyz fails; under it again all is back", async () => {
  await using server = await overloadServer();
  const { token } = await signIn(server, "member");
  const member = await connect(server.ws, [token]);
  const readers = [await connect(server.ws), await connect(server.ws)];
  assert.equal((await getJson(`${server.url}/readyz`)).status, 200);

  server.sample(150);
  for (const reader of readers) {
    assert.deepEqual(await reader.closed, { code: 1013, reason: "OVERLOADED" });
  }
  const refused = await refusal(connect(server.ws));
  assert.equal(refused.status, 503);
  assert.equal(refused.body.error.type, "OVERLOADED");
  assert.match(String(refused.headers["retry-after"]), /^[1-9]\d*$/);
  // Signed-in clients are refused new sockets too, but keep the one they have.
  assert.equal((await refusal(connect(server.ws, [token]))).status, 503);
  assert.equal(member.ws.readyState, member.ws.OPEN);
  const ready = await getJson(`${server.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal(ready.body.error.type, "OVERLOADED");
  // Plain requests are still served: the mark is about sockets.
  assert.equal((await getJson(`${server.url}/livez`)).status, 200);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^chat_memory_high_water 1$/m);
  assert.match(metrics, /^chat_overload_shed_total 2$/m);
  assert.match(metrics, /^chat_overload_refused_total 2$/m);

  server.sample(90);
  assert.equal((await getJson(`${server.url}/readyz`)).status, 200);
  const again = await connect(server.ws);
  assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^chat_memory_high_water 0$/m);
  await Promise.all([again.close(), member.close()]);
});

Deno.test("MEMORY_HIGH_WATER_MB=0 turns the guard off: the RSS is never sampled", async () => {
  const store = await memoryStore();
  const bus = createMemoryBus();
  let scheduled = 0;
  const app = createApp({
    config: testConfig({ MEMORY_HIGH_WATER_MB: "0" }),
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: silentLogger,
    memory: {
      rss: () => assert.fail("sampled"),
      every: () => (scheduled++, () => {}),
    },
  });
  assert.equal(scheduled, 0);
  await app.close();
  bus.close();
  await store.close();
});
