/**
 * Protocol v2's ephemeral events across the isolates of `deno serve
 * --parallel` (the BroadcastChannel bus): join and leave once per user
 * whichever isolates its sockets are on, typing, read between one user's
 * tabs on two isolates, and the logged events; on a SQLite file and on a
 * Deno KV file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { FILE_STORES, spawnServer } from "../_helpers/process.ts";
import { signIn } from "../_helpers/server.ts";
import { briefs, waitForEvent } from "../_helpers/v2_events.ts";
import { joinElsewhere, joinV2 } from "../_helpers/v2_nodes.ts";

for (const [storeName, storeEnv] of Object.entries(FILE_STORES)) {
  Deno.test({
    name:
      `deno serve --parallel (${storeName}): v2 join, leave, typing, read and edits cross isolates, each once`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const dir = await Deno.makeTempDir();
      await using server = await spawnServer({
        mode: "parallel",
        env: {
          ...storeEnv(dir),
          PBKDF2_ITERATIONS: "1000",
          LOGIN_RATE_LIMIT: "0",
          LOGIN_USER_RATE_LIMIT: "0",
          SIGNUP_RATE_LIMIT: "0",
        },
      });
      const alice = await signIn(server, "alice");
      const guests = [];
      for (let i = 0; i < 8; i++) guests.push(await signIn(server, `guest${i}`));
      const url = `${server.wsUrl}/api/v1/rooms/par/ws?v=2`;
      const watcher = await joinV2(url, alice.token);
      const home = watcher.servedBy;

      // A guest whose socket lands on the other isolate: its join crosses over.
      const { socket: far, token, others } = await joinElsewhere(
        [url],
        guests.map((g) => g.token),
        home,
      );
      const guest = guests.find((g) => g.token === token)!;
      assert.notEqual(far.servedBy, home);
      await waitForEvent(watcher, `join ${guest.user.username}`);
      assert.ok(briefs(far)[0]!.includes("alice"), `the far presence names alice: ${briefs(far)}`);

      // Alice's second tab on the far isolate: no join (she is in), and reads cross over.
      const { socket: farTab, others: aliceHomeTabs } = await joinElsewhere(
        [url],
        [alice.token],
        home,
      );
      far.send({ type: "typing" });
      await waitForEvent(watcher, `typing ${guest.user.username}`);
      far.send({ text: "from afar" });
      const message = await waitForEvent(watcher, (e) => e.type === "message");
      far.send({ type: "edit", target: message.seq, text: "from afar, edited" });
      await waitForEvent(watcher, `edit ${message.seq + 1}>${message.seq} from afar, edited`);
      watcher.send({ type: "read", seq: message.seq + 1 });
      await waitForEvent(farTab, `read par ${message.seq + 1}`);

      // The guest's second socket on alice's isolate, then both close: one leave.
      // (Sockets of the guest's that landed on the far isolate again close first.)
      const tried = await joinElsewhere([url], [token], far.servedBy);
      for (const socket of tried.others) await socket.close();
      await far.close();
      await tried.socket.close();
      await waitForEvent(watcher, `leave ${guest.user.username}`);
      const about = (name: string) => briefs(watcher).filter((b) => b.endsWith(` ${name}`));
      assert.deepEqual(about(guest.user.username), [
        `join ${guest.user.username}`,
        `typing ${guest.user.username}`,
        `leave ${guest.user.username}`,
      ]);
      assert.ok(!briefs(watcher).includes("join alice"), "alice's own tab is no join");
      assert.ok(!briefs(watcher).some((b) => b.startsWith("read")), "its own read is not echoed");
      for (const socket of [watcher, farTab, ...others, ...aliceHomeTabs]) await socket.close();
      await Deno.remove(dir, { recursive: true });
    },
  });
}
