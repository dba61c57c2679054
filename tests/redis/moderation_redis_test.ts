/**
 * The §7 REST suites (tests/http/routes/moderation_suites.ts) and socket
 * suite (tests/e2e/moderation_socket_suite.ts) on the Redis store, each test
 * on its own key prefix of one real `redis-server`.
 *
 * @module
 */
import { moderationSocketSuite } from "../e2e/moderation_socket_suite.ts";
import { moderationSuites } from "../http/routes/moderation_suites.ts";
import { openRedisStore } from "./_redis_store.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/moderation_redis_test.ts");

if (redis) {
  moderationSuites("Redis", (now) => openRedisStore(redis.url, now));
  moderationSocketSuite("Redis sockets", () => openRedisStore(redis.url));
}
