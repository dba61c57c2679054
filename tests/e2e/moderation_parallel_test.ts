/**
 * Moderation across the isolates of `deno serve --parallel` (two isolates,
 * one SQLite file or one Deno KV file, the BroadcastChannel bus): see
 * `_cross_node_moderation.ts`.
 *
 * @module
 */
import { FILE_STORES, spawnServer } from "../_helpers/process.ts";
import { connectAcrossIsolates, type TestSocket } from "../_helpers/ws_client.ts";
import { crossNodeModeration } from "./_cross_node_moderation.ts";

const API_KEY = "p".repeat(40);

for (const [storeName, storeEnv] of Object.entries(FILE_STORES)) {
  Deno.test({
    name:
      `deno serve --parallel (${storeName}): kicks, bans, mutes, revocations and disconnects reach sockets on both isolates`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const dir = await Deno.makeTempDir();
      try {
        await using server = await spawnServer({
          mode: "parallel",
          env: {
            ...storeEnv(dir),
            ADMIN_USERNAMES: "root",
            ADMIN_API_KEY: API_KEY,
          },
        });
        await crossNodeModeration({
          url: server.url,
          apiKey: API_KEY,
          async sockets(room, token) {
            const url = `${server.wsUrl}/api/v1/rooms/${room}/ws`;
            const sockets = await connectAcrossIsolates(url, [[token]]);
            // One socket per isolate; close the extra ones.
            const byIsolate = new Map<string | undefined, TestSocket>();
            for (const socket of sockets) {
              if (byIsolate.has(socket.servedBy)) await socket.close();
              else byIsolate.set(socket.servedBy, socket);
            }
            if (byIsolate.size !== 2) throw new Error("expected sockets on two isolates");
            return [...byIsolate.values()];
          },
          async statuses(path, token) {
            const seen = new Map<string, number>();
            for (let i = 0; i < 60 && seen.size < 2; i++) {
              // A connection of its own, so the kernel may hand it to either isolate.
              using client = Deno.createHttpClient({});
              const response = await fetch(`${server.url}${path}`, {
                client,
                headers: { authorization: `Bearer ${token}` },
              });
              await response.body?.cancel();
              seen.set(response.headers.get("x-served-by") ?? "?", response.status);
            }
            if (seen.size !== 2) throw new Error("requests did not reach two isolates");
            return [...seen.values()];
          },
        });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
