import assert from "node:assert/strict";
import { StoreUnavailableError } from "../../src/errors.ts";
import type { Store } from "../../src/store/store.ts";
import { getJson, memoryStore, postJson, signIn, startServer } from "../_helpers/server.ts";
import { connect } from "../_helpers/ws_client.ts";

/** A real in-memory store whose every call fails while `down` is set, as a lost database would. */
async function switchableStore(): Promise<{ store: Store; setDown(down: boolean): void }> {
  const real = await memoryStore();
  let down = false;
  const store = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "close") return value;
      return (...args: unknown[]) =>
        down
          ? Promise.reject(new StoreUnavailableError(new Error("disk I/O error")))
          : value.apply(target, args);
    },
  });
  return { store, setDown: (value) => (down = value) };
}

Deno.test("faults: requests get 503 STORE_UNAVAILABLE while the store is down, and recover", async () => {
  const { store, setDown } = await switchableStore();
  await using server = await startServer({ store });
  await signIn(server, "steady");
  setDown(true);
  const health = await getJson(`${server.url}/healthz`);
  assert.equal(health.status, 503);
  assert.equal(health.body.error.type, "STORE_UNAVAILABLE");
  assert.doesNotMatch(JSON.stringify(health.body), /disk I\/O/);
  const login = await postJson(`${server.url}/api/v1/login`, {
    username: "steady",
    secret: "correct horse",
  });
  assert.equal(login.status, 503);
  assert.equal(login.body.error.type, "STORE_UNAVAILABLE");
  const history = await getJson(`${server.url}/api/v1/rooms/x/messages`);
  assert.equal(history.status, 503);
  setDown(false);
  assert.equal((await getJson(`${server.url}/healthz`)).status, 200);
  const again = await postJson(`${server.url}/api/v1/login`, {
    username: "steady",
    secret: "correct horse",
  });
  assert.equal(again.status, 200);
  await store.close();
});

Deno.test("faults: a message that cannot be stored closes its socket with 1011 and reaches no one", async () => {
  const { store, setDown } = await switchableStore();
  await using server = await startServer({ store });
  const { token } = await signIn(server, "writer");
  const url = `${server.wsUrl}/api/v1/rooms/faulty/ws`;
  const writer = await connect(url, [token]);
  const reader = await connect(url);
  writer.send({ text: "stored" });
  await reader.waitForMessages(1);
  setDown(true);
  writer.send({ text: "lost in the outage" });
  assert.deepEqual(await writer.closed, { code: 1011, reason: "INTERNAL_ERROR" });
  setDown(false);
  // The client reconnects with `since` and carries on; the reader never saw the failed one.
  const back = await connect(`${url}?since=1`, [token]);
  back.send({ text: "after recovery", nonce: "r1" });
  const [echo] = await back.waitForMessages(1);
  assert.equal(echo!.seq, 2);
  await reader.waitForMessages(2);
  assert.deepEqual(reader.messages().map((m) => m.text), ["stored", "after recovery"]);
  await Promise.all([back.close(), reader.close()]);
  await store.close();
});

Deno.test("faults: after a failed append, the frames queued behind it are not stored (order is kept)", async () => {
  const real = await memoryStore();
  let failNext = false;
  const store: Store = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== "appendMessage") return typeof value === "function" ? value.bind(target) : value;
      return (...args: Parameters<Store["appendMessage"]>) => {
        if (!failNext) return target.appendMessage(...args);
        failNext = false; // one failure, then the store is back at once
        return Promise.reject(new StoreUnavailableError(new Error("disk I/O error")));
      };
    },
  });
  await using server = await startServer({ store });
  const { token } = await signIn(server, "writer");
  const writer = await connect(`${server.wsUrl}/api/v1/rooms/ordered/ws`, [token]);
  failNext = true;
  for (const text of ["first", "second", "third"]) writer.send({ text });
  assert.deepEqual(await writer.closed, { code: 1011, reason: "INTERNAL_ERROR" });
  assert.deepEqual(await store.listMessages("ordered", { limit: 10 }), []);
  await real.close();
});

Deno.test("faults: joining while the store is down closes with 1011, and joining works after recovery", async () => {
  const { store, setDown } = await switchableStore();
  await using server = await startServer({ store });
  setDown(true);
  const socket = await connect(`${server.wsUrl}/api/v1/rooms/down/ws`);
  assert.deepEqual(await socket.closed, { code: 1011, reason: "INTERNAL_ERROR" });
  setDown(false);
  const ok = await connect(`${server.wsUrl}/api/v1/rooms/down/ws`);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ok.ws.readyState, 1);
  await ok.close();
  await store.close();
});
