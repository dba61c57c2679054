import assert from "node:assert/strict";
import { signIn, startServer } from "../_helpers/server.ts";
import { spawnServer } from "../_helpers/process.ts";
import { connect, type RefusedHandshake } from "../_helpers/ws_client.ts";

const room = (server: { wsUrl: string }, name = "limits") =>
  `${server.wsUrl}/api/v1/rooms/${name}/ws`;

Deno.test("session: more messages than the bucket allows closes with 1008 RATE_LIMITED", async () => {
  await using server = await startServer({
    env: { RATE_LIMIT_BURST: "3", RATE_LIMIT_PER_SEC: "0.01" },
  });
  const { token } = await signIn(server, "spammer");
  const spammer = await connect(room(server), [token]);
  const reader = await connect(room(server));
  for (let i = 0; i < 6; i++) spammer.send({ text: `m${i}` });
  const close = await spammer.closed;
  assert.deepEqual(close, { code: 1008, reason: "RATE_LIMITED" });
  await reader.waitForMessages(3);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(reader.messages().map((m) => m.text), ["m0", "m1", "m2"]);
  await reader.close();
});

Deno.test("session: a token that expires while connected closes with 1008 TOKEN_EXPIRED", async () => {
  await using server = await startServer({ env: { TOKEN_TTL: "1" } });
  const { token } = await signIn(server, "brief");
  const socket = await connect(room(server), [token]);
  const started = Date.now();
  const close = await socket.closed;
  assert.deepEqual(close, { code: 1008, reason: "TOKEN_EXPIRED" });
  assert.ok(Date.now() - started < 2500, `closed after ${Date.now() - started} ms`);
});

Deno.test("handshake: sockets past MAX_SOCKETS_PER_ADDRESS get 429 RATE_LIMITED", async () => {
  await using server = await startServer({ env: { MAX_SOCKETS_PER_ADDRESS: "2" } });
  const a = await connect(room(server));
  const b = await connect(room(server));
  const refused = await connect(room(server)).then(
    () => assert.fail("third socket was accepted"),
    (error: RefusedHandshake) => error,
  );
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.type, "RATE_LIMITED");
  assert.match(String(refused.headers["retry-after"]), /^[1-9]\d*$/);
  await a.close();
  // A slot frees once a socket closes.
  await new Promise((r) => setTimeout(r, 50));
  const c = await connect(room(server));
  await Promise.all([b.close(), c.close()]);
});

Deno.test("handshake: Origin must be the server's own host when ALLOWED_ORIGINS is unset", async () => {
  await using server = await startServer();
  const host = new URL(server.url).host;
  const own = await connect(room(server), [], { headers: { origin: `http://${host}` } });
  await own.close();
  const none = await connect(room(server));
  await none.close();
  const refused = await connect(room(server), [], { headers: { origin: "http://evil.example" } })
    .then(() => assert.fail("foreign origin accepted"), (error: RefusedHandshake) => error);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.type, "FORBIDDEN_ORIGIN");
});

Deno.test("handshake: only listed origins may connect when ALLOWED_ORIGINS is set", async () => {
  await using server = await startServer({ env: { ALLOWED_ORIGINS: "https://chat.example" } });
  const ok = await connect(room(server), [], { headers: { origin: "https://chat.example" } });
  await ok.close();
  const host = new URL(server.url).host;
  for (const origin of [`http://${host}`, "https://chat.example.evil", "null"]) {
    const refused = await connect(room(server), [], { headers: { origin } })
      .then(() => assert.fail(`${origin} accepted`), (error: RefusedHandshake) => error);
    assert.equal(refused.status, 403, origin);
  }
});

Deno.test("heartbeat: a peer that stops answering pings is dropped", async () => {
  await using server = await startServer({ heartbeatSeconds: 1 });
  const { token } = await signIn(server, "ghost");
  const port = Number(new URL(server.url).port);
  // A raw client that completes the handshake and then never reads or answers.
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa("0123456789abcdef");
  await conn.write(new TextEncoder().encode(
    `GET /api/v1/rooms/ghosts/ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Protocol: ${token}\r\n\r\n`,
  ));
  const buffer = new Uint8Array(4096);
  const n = await conn.read(buffer);
  assert.match(new TextDecoder().decode(buffer.subarray(0, n ?? 0)), /^HTTP\/1\.1 101/);
  const waitForMembers = async (count: number) => {
    const deadline = Date.now() + 6000;
    while (server.app.hub.members("ghosts").length !== count) {
      if (Date.now() > deadline) assert.fail(`expected ${count} members`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitForMembers(1);
  // Deno pings after 1 s of silence and gives up 1 s later.
  await waitForMembers(0);
  conn.close();
});

Deno.test("slow consumer: a reader that stops reading is closed with 1013 and stops receiving", async () => {
  await using server = await startServer({
    env: { RATE_LIMIT_BURST: "100000", RATE_LIMIT_PER_SEC: "100000" },
  });
  const { token } = await signIn(server, "firehose");
  const sender = await connect(room(server, "flood"), [token]);
  const slow = await connect(room(server, "flood"));
  // Stop reading: the kernel buffers fill, then the server's send buffer grows.
  (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
  const text = "x".repeat(3900);
  const total = 3000; // ~12 MB: well past the ~4 MB loopback buffers plus the 1 MiB bound
  for (let i = 0; i < total; i++) {
    sender.send({ text });
    if (i % 200 === 199) await sender.waitForMessages(i + 1, 20_000);
  }
  await sender.waitForMessages(total, 20_000);
  (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  const close = await slow.closed;
  assert.deepEqual(close, { code: 1013, reason: "SLOW_CONSUMER" });
  const got = slow.messages().length;
  assert.ok(got < total, `the slow reader received ${got} of ${total}`);
  assert.equal(server.app.metrics.closes.get({ code: "1013", reason: "SLOW_CONSUMER" }), 1);
  await sender.close();
});

function rssBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

Deno.test({
  name:
    "slow consumer: the server's RSS grows by less than 64 MiB while 12 MB flows past a stalled reader",
  ignore: Deno.build.os !== "linux",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    await using server = await spawnServer({
      env: {
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        RATE_LIMIT_BURST: "100000",
        RATE_LIMIT_PER_SEC: "100000",
      },
    });
    const { token } = await signIn(server, "firehose");
    const url = `${server.wsUrl}/api/v1/rooms/flood/ws`;
    const sender = await connect(url, [token]);
    const stalled = await Promise.all(Array.from({ length: 5 }, () => connect(url)));
    for (const s of stalled) (s.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = rssBytes(server.pid);
    const text = "y".repeat(3900);
    const total = 3000;
    let peak = before;
    for (let i = 0; i < total; i++) {
      sender.send({ text });
      if (i % 200 === 199) {
        await sender.waitForMessages(i + 1, 30_000);
        peak = Math.max(peak, rssBytes(server.pid));
      }
    }
    await sender.waitForMessages(total, 30_000);
    peak = Math.max(peak, rssBytes(server.pid));
    const growth = peak - before;
    console.log(`server RSS grew by ${(growth / 1048576).toFixed(1)} MiB (bound 64 MiB)`);
    assert.ok(growth < 64 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MiB`);
    for (const s of stalled) (s.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    for (const s of stalled) assert.equal((await s.closed).code, 1013);
    await sender.close();
    await Deno.remove(dir, { recursive: true });
  },
});
