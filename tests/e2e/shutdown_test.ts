import assert from "node:assert/strict";
import { spawnServer } from "../_helpers/process.ts";
import { getJson, signIn } from "../_helpers/server.ts";
import { connect } from "../_helpers/ws_client.ts";

async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const mode of ["main", "parallel"] as const) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.test({
      name:
        `${mode}: ${signal} closes sockets with 1001, keeps acknowledged messages and exits 0 within 5 s`,
      sanitizeOps: false,
      sanitizeResources: false,
      async fn() {
        const dir = await Deno.makeTempDir();
        const env = { DATABASE_PATH: `${dir}/chat.sqlite3` };
        const server = await spawnServer({ mode, env });
        const { token } = await signIn(server, "closer");
        const member = await connect(`${server.wsUrl}/api/v1/rooms/bye/ws`, [token]);
        const reader = await connect(`${server.wsUrl}/api/v1/rooms/bye/ws`);
        member.send({ text: "before shutdown", nonce: "n1" });
        await member.waitForMessages(1);
        const started = Date.now();
        server.kill(signal);
        const [closeA, closeB] = await within(
          5000,
          Promise.all([member.closed, reader.closed]),
          "closing",
        );
        assert.equal(closeA.code, 1001);
        assert.equal(closeB.code, 1001);
        if (mode === "main") assert.equal(closeA.reason, "SHUTDOWN");
        const status = await within(5000, server.status, "exiting");
        assert.equal(status.code, 0, server.output());
        assert.ok(Date.now() - started < 5000);
        // Every isolate stopped by itself: the launcher did not have to kill `deno serve`.
        assert.doesNotMatch(server.output(), /did not stop/);

        // The acknowledged message survived the restart.
        await using again = await spawnServer({ mode: "main", env });
        const page = await getJson(`${again.url}/api/v1/rooms/bye/messages`);
        assert.deepEqual(page.body.data.messages.map((m: { text: string }) => m.text), [
          "before shutdown",
        ]);
        await Deno.remove(dir, { recursive: true });
      },
    });
  }
}

Deno.test({
  name: "main: SIGTERM exits 0 within 5 s while a reader that stopped reading holds its connection",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const server = await spawnServer({
      env: {
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        RATE_LIMIT_BURST: "100000",
        RATE_LIMIT_PER_SEC: "100000",
      },
    });
    const { token } = await signIn(server, "flooder");
    const sender = await connect(`${server.wsUrl}/api/v1/rooms/stuck/ws`, [token]);
    const stalled = await connect(`${server.wsUrl}/api/v1/rooms/stuck/ws`);
    // Never read again: the kernel buffers fill and the server's writes (its close frame too) stall.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = "s".repeat(3900);
    for (let i = 0; i < 2000; i++) {
      sender.send({ text });
      if (i % 200 === 199) await sender.waitForMessages(i + 1, 20_000);
    }
    await sender.waitForMessages(2000, 20_000);
    const started = Date.now();
    server.kill("SIGTERM");
    const status = await within(5000, server.status, "exiting");
    assert.equal(status.code, 0, server.output());
    assert.ok(Date.now() - started < 5000);
    stalled.ws.terminate();
    await sender.closed;
    await Deno.remove(dir, { recursive: true });
  },
});
