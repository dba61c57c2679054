/**
 * Test helper: a Redis store on a fresh key prefix of a running
 * `redis-server`, whose close also closes its connection.
 *
 * @module
 */
import { silentLogger } from "../../src/log.ts";
import { openRedisConnection } from "../../src/redis/connection.ts";
import { createRedisStore } from "../../src/store/redis_store.ts";
import type { Store } from "../../src/store/store.ts";

/** Opens a store on `url` under a random key prefix. */
export async function openRedisStore(url: string, now?: () => number): Promise<Store> {
  const connection = await openRedisConnection({ url, logger: silentLogger });
  const store = createRedisStore({
    client: connection.commands,
    keyPrefix: `test:${crypto.randomUUID()}:`,
    now,
  });
  return {
    ...store,
    async close() {
      await store.close();
      await connection.close();
    },
  };
}
