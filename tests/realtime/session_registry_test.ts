import assert from "node:assert/strict";
import type { CloseReason } from "../../src/contract/mod.js";
import { type SessionHandle, SessionRegistry } from "../../src/realtime/session_registry.ts";

/** A session as the registry sees it, with its stores settling when the test says. */
function fakeSession(anonymous: boolean) {
  const { promise, resolve } = Promise.withResolvers<void>();
  const ended: CloseReason[] = [];
  const handle: SessionHandle = {
    socket: {} as WebSocket,
    anonymous,
    unsent: () => 0,
    settled: () => promise,
    end: (close) => ended.push(close),
  };
  return { handle, ended, settle: resolve };
}

const BYE: CloseReason = { code: 1001, reason: "SHUTDOWN" };

Deno.test("SessionRegistry counts open sockets; a closed one no longer counts nor is ended", () => {
  const registry = new SessionRegistry();
  const a = fakeSession(false);
  const b = fakeSession(true);
  registry.add(a.handle);
  registry.add(b.handle);
  assert.equal(registry.open, 2);
  registry.closed(a.handle);
  registry.closed(a.handle); // twice is once
  assert.equal(registry.open, 1);
  registry.endAll(BYE);
  assert.deepEqual(a.ended, []);
  assert.deepEqual(b.ended, [BYE]);
});

Deno.test("SessionRegistry.shedAnonymous() ends the open anonymous sessions only", () => {
  const registry = new SessionRegistry();
  const user = fakeSession(false);
  const reader = fakeSession(true);
  const gone = fakeSession(true);
  for (const s of [user, reader, gone]) registry.add(s.handle);
  registry.closed(gone.handle);
  const close = { code: 1013, reason: "OVERLOADED" };
  assert.equal(registry.shedAnonymous(close), 1);
  assert.deepEqual(reader.ended, [close]);
  assert.deepEqual(user.ended, []);
  assert.deepEqual(gone.ended, []);
});

Deno.test("SessionRegistry.settle() waits for a closed session's stores, at most maxMs", async () => {
  const registry = new SessionRegistry();
  const a = fakeSession(false);
  registry.add(a.handle);
  registry.closed(a.handle);
  let settled = false;
  const waiting = registry.settle(5000).then(() => settled = true);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(settled, false, "a closed session whose stores are in flight is waited for");
  assert.equal(registry.quiet, true);
  a.settle();
  await waiting;
  const b = fakeSession(false);
  registry.add(b.handle);
  const started = performance.now();
  await registry.settle(50); // b never settles: settle gives up after maxMs
  assert.ok(performance.now() - started >= 45);
});

Deno.test("SessionRegistry.allClosed() resolves once the last socket closed", async () => {
  const registry = new SessionRegistry();
  const a = fakeSession(false);
  registry.add(a.handle);
  let done = false;
  const waiting = registry.allClosed(5000).then(() => done = true);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(done, false);
  registry.closed(a.handle);
  await waiting;
  assert.equal(registry.open, 0);
});
