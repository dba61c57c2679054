/**
 * `/healthz`, `/livez` and `/readyz` (contract §5, §8) through `app.fetch`, in
 * each state: serving, store down, shutting down.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createApp } from "../../../src/app.ts";
import { silentLogger } from "../../../src/log.ts";
import { createMemoryBus } from "../../../src/realtime/bus.ts";
import { StoreUnavailableError } from "../../../src/errors.ts";
import type { Store } from "../../../src/store/store.ts";
import { readEnvelope } from "../../_helpers/envelope.ts";
import { memoryStore, TEST_JWT_SECRET, testConfig } from "../../_helpers/server.ts";

/** A real in-memory store whose `ping` fails while `down` is set, as a lost backend's would. */
async function switchableStore(): Promise<{ store: Store; setDown(down: boolean): void }> {
  const real = await memoryStore();
  let down = false;
  const store = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "close") return value;
      return (...args: unknown[]) =>
        down
          ? Promise.reject(new StoreUnavailableError(new Error("connection refused")))
          : value.apply(target, args);
    },
  });
  return { store, setDown: (value) => (down = value) };
}

async function probeApp() {
  const { store, setDown } = await switchableStore();
  const bus = createMemoryBus();
  const app = createApp({
    config: testConfig(),
    store,
    bus,
    jwtSecret: TEST_JWT_SECRET,
    logger: silentLogger,
  });
  const get = (path: string, method = "GET") =>
    app.fetch(new Request(`http://chat.test${path}`, { method }));
  return {
    app,
    setDown,
    get,
    async [Symbol.asyncDispose]() {
      await app.close();
      bus.close();
      await store.close();
    },
  };
}

Deno.test("/livez, /readyz and /healthz answer 200 ok while serving", async () => {
  await using probe = await probeApp();
  for (const path of ["/livez", "/readyz", "/healthz"]) {
    const body = await readEnvelope(await probe.get(path), 200);
    assert.deepEqual(body.data, { status: "ok" }, path);
  }
});

Deno.test("/readyz and /healthz answer 503 STORE_UNAVAILABLE while the store is down; /livez stays 200", async () => {
  await using probe = await probeApp();
  probe.setDown(true);
  await readEnvelope(await probe.get("/readyz"), 503, "STORE_UNAVAILABLE");
  await readEnvelope(await probe.get("/healthz"), 503, "STORE_UNAVAILABLE");
  assert.deepEqual((await readEnvelope(await probe.get("/livez"), 200)).data, { status: "ok" });
  probe.setDown(false);
  await readEnvelope(await probe.get("/readyz"), 200);
});

Deno.test("/readyz answers 503 SHUTTING_DOWN once shutdown begins; /livez and /healthz stay 200", async () => {
  await using probe = await probeApp();
  const closing = probe.app.close();
  const response = await probe.get("/readyz");
  assert.equal(response.headers.get("retry-after"), "1");
  await readEnvelope(response, 503, "SHUTTING_DOWN");
  await readEnvelope(await probe.get("/livez"), 200);
  await readEnvelope(await probe.get("/healthz"), 200);
  await closing;
});

Deno.test("/livez and /readyz answer 405 to other methods", async () => {
  await using probe = await probeApp();
  for (const path of ["/livez", "/readyz"]) {
    const response = await probe.get(path, "POST");
    assert.equal(response.headers.get("allow"), "GET, HEAD");
    await readEnvelope(response, 405, "METHOD_NOT_ALLOWED");
  }
  const head = await probe.get("/readyz", "HEAD");
  assert.equal(head.status, 200);
  await head.body?.cancel();
});
