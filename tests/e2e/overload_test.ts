/**
 * MEMORY_HIGH_WATER_MB in a real process (`deno run src/main.ts`): with a mark
 * below what any Deno process holds, the first sample puts the server over it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawnServer } from "../_helpers/process.ts";
import { getJson } from "../_helpers/server.ts";
import { connect, type RefusedHandshake } from "../_helpers/ws_client.ts";

Deno.test({
  name:
    "a server over MEMORY_HIGH_WATER_MB refuses sockets with 503 OVERLOADED, fails /readyz, logs it and still serves /healthz",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await using server = await spawnServer({
        env: { DATABASE_PATH: `${dir}/chat.sqlite3`, MEMORY_HIGH_WATER_MB: "1" },
      });
      let ready = await getJson(`${server.url}/readyz`);
      for (let i = 0; i < 100 && ready.status === 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        ready = await getJson(`${server.url}/readyz`);
      }
      assert.equal(ready.status, 503);
      assert.equal(ready.body.error.type, "OVERLOADED");
      const refused = await connect(`${server.wsUrl}/api/v1/rooms/lobby/ws`).then(
        () => assert.fail("the socket was accepted"),
        (error: RefusedHandshake) => error,
      );
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error.type, "OVERLOADED");
      assert.equal((await getJson(`${server.url}/healthz`)).status, 200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /^chat_memory_high_water 1$/m);
      assert.match(metrics, /^chat_overload_refused_total 1$/m);
      assert.match(server.output(), /Memory is over its high-water mark/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
