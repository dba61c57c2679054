/**
 * Opens one isolate's runtime from a validated configuration: the Redis
 * connection when a backend needs it, the store, the bus, the JWT secret and
 * the app. Every backend is imported the same way, on demand, from one table,
 * so a SQLite server never loads the Redis client and a KV server never loads
 * `node:sqlite` (a bundle inlines them all the same).
 *
 * @module
 */
import { type ChatApp, createApp } from "./app.ts";
import type { BusKind, Config, StoreKind } from "./config/load_config.ts";
import { toHex } from "./hex.ts";
import { createLogger, type Logger } from "./log.ts";
import { startRetentionJob } from "./retention_job.ts";
import type { Bus } from "./realtime/bus.ts";
import type { RedisConnection } from "./redis/connection.ts";
import type { Store } from "./store/store.ts";

/** Everything one isolate runs, and how to stop it. */
export interface Runtime {
  readonly config: Config;
  readonly app: ChatApp;
  readonly store: Store;
  readonly bus: Bus;
  readonly logger: Logger;
  /** Closes sockets (unless `closeSockets` is false), the bus, the store and Redis. */
  close(options?: { closeSockets?: boolean }): Promise<void>;
}

/** What a backend opener is handed. */
interface BackendContext {
  readonly config: Config;
  readonly logger: Logger;
  /** The open Redis connection, when a backend is `redis`. */
  readonly redis: RedisConnection | undefined;
}

/** Needs an open Redis connection; the configuration guarantees one. */
function redisOf(context: BackendContext): RedisConnection {
  if (!context.redis) throw new Error("A Redis backend needs an open Redis connection");
  return context.redis;
}

/** Every store backend, opened on demand. */
const STORES: Readonly<Record<StoreKind, (context: BackendContext) => Promise<Store>>> = {
  sqlite: async ({ config }) =>
    (await import("./store/sqlite_store.ts")).openSqliteStore({ path: config.databasePath }),
  kv: async ({ config }) =>
    (await import("./store/kv_store.ts")).openKvStore({ path: config.kvPath }),
  redis: async (context) =>
    (await import("./store/redis_store.ts")).createRedisStore({
      client: redisOf(context).commands,
    }),
};

/** Every bus backend, opened on demand. */
const BUSES: Readonly<Record<BusKind, (context: BackendContext) => Promise<Bus>>> = {
  memory: async () => (await import("./realtime/bus.ts")).createMemoryBus(),
  broadcast: async () => (await import("./realtime/bus.ts")).createBroadcastChannelBus(),
  redis: async (context) => {
    const redis = redisOf(context);
    return (await import("./realtime/redis_bus.ts")).createRedisBus({
      publisher: redis.commands,
      subscriber: await redis.subscriber(),
      logger: context.logger,
    });
  },
};

function randomSecret(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** The JWT secret: `JWT_SECRET`, or one generated once and kept in the store. */
async function resolveJwtSecret(config: Config, store: Store, logger: Logger): Promise<string> {
  if (config.jwtSecret === undefined) {
    const secret = await store.getOrCreateSecret("jwt", randomSecret);
    logger.warn("JWT_SECRET is not set: using a generated secret kept in the store");
    return secret;
  }
  if (new TextEncoder().encode(config.jwtSecret).byteLength < 32) {
    logger.warn("JWT_SECRET is shorter than 32 bytes: use a longer random secret");
  }
  return config.jwtSecret;
}

/**
 * Builds one isolate's runtime. What it opened before a failure is closed again.
 *
 * @throws {import("./errors.ts").StartupError} when a backend cannot be reached
 */
export async function openRuntime(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<Runtime> {
  const opened: (() => unknown)[] = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  try {
    const redis = config.store === "redis" || config.bus === "redis"
      ? await (await import("./redis/connection.ts")).openRedisConnection({
        url: config.redisUrl!,
        logger,
      })
      : undefined;
    if (redis) opened.push(() => redis.close());
    const context: BackendContext = { config, logger, redis };
    const store = await STORES[config.store](context);
    opened.push(() => store.close());
    const bus = await BUSES[config.bus](context);
    opened.push(() => bus.close());
    const jwtSecret = await resolveJwtSecret(config, store, logger);
    // With Redis, the login and sign-up throttles count across every process.
    const throttles = redis
      ? (await import("./redis/shared_throttle.ts")).redisThrottles({
        client: redis.commands,
        logger,
      })
      : undefined;
    const app = createApp({ config, store, bus, jwtSecret, logger, throttles });
    const retention = startRetentionJob({ store, days: config.messageRetentionDays, logger });
    let closing: Promise<void> | undefined;
    return {
      config,
      app,
      store,
      bus,
      logger,
      close(options = {}) {
        closing ??= (async () => {
          opened.length = 0;
          await app.close({ closeSockets: options.closeSockets });
          await retention.close();
          bus.close();
          await store.close();
          await redis?.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}
