import assert from "node:assert/strict";
import { spawnServer } from "../_helpers/process.ts";
import { getJson, signIn } from "../_helpers/server.ts";
import { connect } from "../_helpers/ws_client.ts";

for (const store of ["sqlite", "kv"] as const) {
  Deno.test({
    name: `${store}: kill -9 mid-stream loses no message whose echo its sender received`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const dir = await Deno.makeTempDir();
      const env = {
        STORE: store,
        DATABASE_PATH: `${dir}/chat.sqlite3`,
        KV_PATH: `${dir}/chat.kv`,
        RATE_LIMIT_BURST: "100000",
        RATE_LIMIT_PER_SEC: "100000",
      };
      const server = await spawnServer({ env });
      const { token } = await signIn(server, "durable");
      const socket = await connect(`${server.wsUrl}/api/v1/rooms/durable/ws`, [token]);
      const acked = new Set<string>();
      socket.ws.on("message", (data: Uint8Array) => {
        for (const m of JSON.parse(new TextDecoder().decode(data))) acked.add(m.nonce);
      });
      // Keep a window of unacknowledged messages in flight, and kill the server mid-stream.
      let sent = 0;
      const killAfter = 300 + Math.floor(Math.random() * 200);
      while (socket.ws.readyState === 1 && sent < 5000) {
        socket.send({ text: `message ${sent}`, nonce: `n${sent}` });
        sent++;
        if (sent - acked.size > 50) await new Promise((r) => setTimeout(r, 1));
        if (acked.size >= killAfter) {
          server.kill("SIGKILL");
          break;
        }
      }
      await server.status;
      await socket.closed;
      assert.ok(acked.size >= killAfter, `only ${acked.size} acknowledged`);

      await using again = await spawnServer({ env });
      const stored: { seq: number; nonce: string }[] = [];
      let before: number | undefined;
      while (true) {
        const page = await getJson(
          `${again.url}/api/v1/rooms/durable/messages?limit=100${
            before ? `&before=${before}` : ""
          }`,
        );
        stored.unshift(...page.body.data.messages);
        if (!page.body.data.hasMore) break;
        before = page.body.data.messages[0].seq;
      }
      const nonces = new Set(stored.map((m) => m.nonce));
      const lost = [...acked].filter((n) => !nonces.has(n));
      assert.deepEqual(lost, [], `${lost.length} acknowledged messages lost`);
      assert.deepEqual(
        stored.map((m) => m.seq),
        Array.from({ length: stored.length }, (_, i) => i + 1),
      );
      await Deno.remove(dir, { recursive: true });
    },
  });
}
