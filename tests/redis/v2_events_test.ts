/**
 * Protocol v2 across two server processes on one real `redis-server`
 * (STORE=redis, BUS=redis): join and leave once per user whichever process
 * its sockets are on, typing, read between one user's tabs on two
 * processes, edits, and the leave of the users of a process killed with
 * SIGKILL (it never says `gone`: its entries lapse after `PRESENCE_TTL`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { signIn } from "../_helpers/server.ts";
import { briefs, waitForEvent } from "../_helpers/v2_events.ts";
import { joinV2 } from "../_helpers/v2_nodes.ts";
import type { TestSocket } from "../_helpers/ws_client.ts";
import { type ChatProcess, startChatProcess } from "./_chat_process.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/v2_events_test.ts");

/** Two chat processes on the test's Redis, under a fresh key prefix of their own. */
async function twoProcesses(): Promise<ChatProcess[]> {
  const env = {
    STORE: "redis",
    BUS: "redis",
    REDIS_URL: redis!.url,
    PBKDF2_ITERATIONS: "1000",
    JWT_SECRET: `v2-test-secret-${crypto.randomUUID()}`,
    LOG_LEVEL: "error",
    PRESENCE_TTL: "2",
    LOGIN_RATE_LIMIT: "0",
    LOGIN_USER_RATE_LIMIT: "0",
    SIGNUP_RATE_LIMIT: "0",
  };
  return [await startChatProcess(env), await startChatProcess(env)];
}

Deno.test({
  name: "Redis, two processes: v2 join, typing, edit, read and leave cross processes, each once",
  ignore: redis === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const [one, two] = await twoProcesses();
    const sockets: TestSocket[] = [];
    try {
      const room = `v2-${crypto.randomUUID().slice(0, 8)}`;
      const path = `/api/v1/rooms/${room}/ws?v=2`;
      const alice = await signIn(one!, "alice");
      const bob = await signIn(two!, "bob");
      const watcher = await joinV2(`${one!.wsUrl}${path}`, alice.token);
      const far = await joinV2(`${two!.wsUrl}${path}`, bob.token);
      const farTab = await joinV2(`${two!.wsUrl}${path}&batch=1`, alice.token);
      sockets.push(watcher, far, farTab);
      assert.deepEqual(briefs(far), ["presence alice,bob +0"]);
      await waitForEvent(watcher, "join bob");
      far.send({ type: "typing" });
      await waitForEvent(watcher, "typing bob");
      far.send({ text: "hello from two" });
      await waitForEvent(watcher, "message 1 hello from two");
      far.send({ type: "edit", target: 1, text: "hello from process two" });
      await waitForEvent(watcher, "edit 2>1 hello from process two");
      watcher.send({ type: "read", seq: 2 });
      await waitForEvent(farTab, `read ${room} 2`);
      // Bob's second socket, on process one: still one bob, then one leave.
      const near = await joinV2(`${one!.wsUrl}${path}`, bob.token);
      await far.close();
      await near.close();
      await waitForEvent(watcher, "leave bob");
      assert.deepEqual(briefs(watcher).filter((b) => b.endsWith(" bob")), [
        "join bob",
        "typing bob",
        "leave bob",
      ]);
      assert.ok(!briefs(watcher).includes("join alice"), "her own tab on two is no join");
    } finally {
      for (const socket of sockets) await socket.close();
      await one!.kill("SIGTERM");
      await two!.kill("SIGTERM");
    }
  },
});

Deno.test({
  name: "Redis, two processes: the users of a process killed with SIGKILL leave after PRESENCE_TTL",
  ignore: redis === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const [one, two] = await twoProcesses();
    let watcher: TestSocket | undefined;
    try {
      const room = `v2-${crypto.randomUUID().slice(0, 8)}`;
      const path = `/api/v1/rooms/${room}/ws?v=2`;
      const alice = await signIn(one!, "alice");
      const bob = await signIn(two!, "bob");
      watcher = await joinV2(`${one!.wsUrl}${path}`, alice.token);
      const doomed = await joinV2(`${two!.wsUrl}${path}`, bob.token);
      await waitForEvent(watcher, "join bob");
      await two!.kill("SIGKILL");
      await doomed.closed;
      // 2 s of TTL, a refresh every ~0.7 s: the leave comes within a few seconds.
      await waitForEvent(watcher, "leave bob", 10_000);
      assert.deepEqual(briefs(watcher).filter((b) => b.endsWith(" bob")), [
        "join bob",
        "leave bob",
      ]);
    } finally {
      await watcher?.close();
      await one!.kill("SIGTERM");
      await two!.kill("SIGTERM");
    }
  },
});
