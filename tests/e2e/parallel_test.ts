import assert from "node:assert/strict";
import { spawnServer } from "../_helpers/process.ts";
import { signIn } from "../_helpers/server.ts";
import { connect, connectAcrossIsolates } from "../_helpers/ws_client.ts";

Deno.test({
  name: "deno serve --parallel: members on two isolates get every message once, in seq order",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    await using server = await spawnServer({
      mode: "parallel",
      env: {
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        RATE_LIMIT_BURST: "1000",
        RATE_LIMIT_PER_SEC: "1000",
      },
    });
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await signIn(server, `par${i}`));

    // Connect until both isolates hold members (the kernel spreads connections).
    const url = `${server.wsUrl}/api/v1/rooms/parallel/messages/ws`;
    const sockets = await connectAcrossIsolates(url, users.map((u) => [u.token]));
    const isolates = new Set(sockets.map((s) => s.servedBy));
    assert.equal(isolates.size, 2, "expected members on two isolates");
    const readers = [await connect(url), await connect(url)];

    // One sender per isolate, sending concurrently.
    const senders = [...isolates].map((id) => sockets.find((s) => s.servedBy === id)!);
    const perSender = 100;
    await Promise.all(senders.map(async (sender, n) => {
      for (let i = 0; i < perSender; i++) {
        sender.send({ text: `s${n} m${i}`, nonce: `s${n}-${i}` });
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
      }
    }));
    const total = perSender * senders.length;
    for (const socket of [...sockets, ...readers]) {
      const messages = await socket.waitForMessages(total, 15_000);
      assert.equal(messages.length, total, "no duplicates");
      assert.deepEqual(messages.map((m) => m.seq), Array.from({ length: total }, (_, i) => i + 1));
      for (const frame of socket.frames) assert.equal(frame.length, 1);
    }
    // Each sender's own messages arrive in the order it sent them.
    const received = readers[0]!.messages();
    for (let n = 0; n < senders.length; n++) {
      const mine = received.filter((m) => m.text.startsWith(`s${n} `)).map((m) => m.text);
      assert.deepEqual(mine, Array.from({ length: perSender }, (_, i) => `s${n} m${i}`));
    }
    await Promise.all([...sockets, ...readers].map((s) => s.close()));
    await Deno.remove(dir, { recursive: true });
  },
});
