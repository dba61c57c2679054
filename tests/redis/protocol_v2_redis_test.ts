/**
 * The protocol v2 suite (tests/e2e/protocol_v2_suite.ts) on the Redis store,
 * each test on its own key prefix of one real `redis-server`. Across two
 * processes on the Redis bus: `v2_events_test.ts`.
 *
 * @module
 */
import { protocolV2Suite } from "../e2e/protocol_v2_suite.ts";
import { openRedisStore } from "./_redis_store.ts";
import { redisOrSkip } from "./_redis_server.ts";

const redis = await redisOrSkip("tests/redis/protocol_v2_redis_test.ts");

if (redis) protocolV2Suite("Redis", () => openRedisStore(redis.url));
