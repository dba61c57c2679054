import assert from "node:assert/strict";
import { spawnServer } from "../_helpers/process.ts";
import { getJson, type Json, signIn } from "../_helpers/server.ts";
import { eventually } from "../_helpers/eventually.ts";
import { connect, connectAcrossIsolates } from "../_helpers/ws_client.ts";

/** Polls a REST route until `ok(data)` holds. */
function eventuallyData(url: string, ok: (data: Json) => boolean, timeoutMs = 8000): Promise<Json> {
  return eventually(async () => (await getJson(url)).body.data, ok, { timeoutMs, intervalMs: 100 });
}

Deno.test({
  name: "presence: members on two isolates of deno serve --parallel are counted together",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    await using server = await spawnServer({
      mode: "parallel",
      env: { DATABASE_PATH: `${dir}/c.sqlite3` },
    });
    const users = [
      await signIn(server, "p1"),
      await signIn(server, "p2"),
      await signIn(server, "p3"),
    ];
    const url = `${server.wsUrl}/api/v1/rooms/pres/ws`;
    const sockets = await connectAcrossIsolates(url, users.map((u) => [u.token]), 3);
    assert.equal(new Set(sockets.map((s) => s.servedBy)).size, 2);
    sockets.push(await connect(url), await connect(url));
    const anonymous = 2;
    const seen = await eventuallyData(
      `${server.url}/api/v1/rooms/pres/users`,
      (d) => d.users.length === 3 && d.anonymous === anonymous,
    );
    assert.deepEqual(seen.users.map((u: { username: string }) => u.username).sort(), [
      "p1",
      "p2",
      "p3",
    ]);
    const info = await eventuallyData(
      `${server.url}/api/v1/rooms/pres`,
      (d) => d.online.users === 3,
    );
    assert.deepEqual(info.online, { users: 3, anonymous });
    await Promise.all(sockets.map((s) => s.close()));
    await eventuallyData(
      `${server.url}/api/v1/rooms/pres/users`,
      (d) => d.users.length === 0 && d.anonymous === 0,
    );
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "presence: the members of a killed process disappear within PRESENCE_TTL",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const env = { DATABASE_PATH: `${dir}/c.sqlite3`, PRESENCE_TTL: "2" };
    const doomed = await spawnServer({ env });
    await using survivor = await spawnServer({ env });
    const { token } = await signIn(survivor, "mortal");
    const socket = await connect(`${doomed.wsUrl}/api/v1/rooms/ttl/ws`, [token]);
    await eventuallyData(`${survivor.url}/api/v1/rooms/ttl/users`, (d) => d.users.length === 1);
    doomed.kill("SIGKILL");
    await doomed.status;
    const killedAt = Date.now();
    await eventuallyData(
      `${survivor.url}/api/v1/rooms/ttl/users`,
      (d) => d.users.length === 0,
      5000,
    );
    assert.ok(Date.now() - killedAt <= 2500, `lingered ${Date.now() - killedAt} ms`);
    await socket.closed;
    await Deno.remove(dir, { recursive: true });
  },
});
