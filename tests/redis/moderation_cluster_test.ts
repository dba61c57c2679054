/**
 * Moderation across two chat processes on one real Redis (`STORE=redis`,
 * `BUS=redis`): see tests/e2e/_cross_node_moderation.ts.
 *
 * @module
 */
import { crossNodeModeration } from "../e2e/_cross_node_moderation.ts";
import { connect } from "../_helpers/ws_client.ts";
import { type ChatProcess, startChatProcess } from "./_chat_process.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/moderation_cluster_test.ts");
const API_KEY = "r".repeat(40);

if (redis) {
  Deno.test({
    name:
      "two processes on Redis: kicks, bans, mutes, revocations and disconnects reach sockets on both",
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const env = {
        STORE: "redis",
        BUS: "redis",
        REDIS_URL: redis.url,
        PBKDF2_ITERATIONS: "1000",
        JWT_SECRET: `moderation-cluster-${crypto.randomUUID()}`,
        LOGIN_RATE_LIMIT: "0",
        LOGIN_USER_RATE_LIMIT: "0",
        SIGNUP_RATE_LIMIT: "0",
        ADMIN_USERNAMES: "root",
        ADMIN_API_KEY: API_KEY,
      };
      const servers: ChatProcess[] = [];
      try {
        servers.push(await startChatProcess(env), await startChatProcess(env));
        await crossNodeModeration({
          url: servers[0]!.url,
          apiKey: API_KEY,
          sockets: (room, token) =>
            Promise.all(
              servers.map((server) => connect(`${server.wsUrl}/api/v1/rooms/${room}/ws`, [token])),
            ),
          statuses: (path, token) =>
            Promise.all(servers.map(async (server) => {
              const response = await fetch(`${server.url}${path}`, {
                headers: { authorization: `Bearer ${token}` },
              });
              await response.body?.cancel();
              return response.status;
            })),
        });
      } finally {
        await Promise.all(servers.map((server) => server.kill("SIGTERM")));
        await redis.dispose();
      }
    },
  });
}
