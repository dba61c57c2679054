/**
 * The composition root: reads the environment and flags, opens the store,
 * picks the bus, builds the app, serves it and handles signals.
 *
 * Run it with `deno task start`; `src/serve.ts` is the entry for `deno serve`.
 *
 * @module
 */
import { type ChatApp, createApp } from "./app.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { flagsToEnv } from "./flags.ts";
import { toHex } from "./hex.ts";
import { createLogger, type Logger } from "./log.ts";
import { type Bus, createBroadcastChannelBus, createMemoryBus } from "./realtime/bus.ts";
import { catchUpFromStore, createRedisBus } from "./realtime/redis_bus.ts";
import type { RedisConnection } from "./redis/connection.ts";
import { createRedisStore } from "./store/redis_store.ts";
import type { Store } from "./store/store.ts";

/** Everything one isolate runs, and how to stop it. */
export interface Runtime {
  readonly config: Config;
  readonly app: ChatApp;
  readonly store: Store;
  readonly bus: Bus;
  readonly logger: Logger;
  /** Closes sockets (unless `closeSockets` is false), the bus and the store. */
  close(options?: { closeSockets?: boolean }): Promise<void>;
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return toHex(bytes);
}

/**
 * Opens the configured store; `redis` is the open connection when the store is
 * Redis. Backends are imported on demand, so a KV deployment never loads
 * `node:sqlite` and only Redis setups load the Redis client (a bundle inlines
 * them all the same).
 */
export async function openStore(config: Config, redis?: RedisConnection): Promise<Store> {
  if (config.store === "kv") {
    const { openKvStore } = await import("./store/kv_store.ts");
    return openKvStore({ path: config.kvPath });
  }
  if (config.store === "redis") {
    if (!redis) throw new Error("STORE=redis needs an open Redis connection");
    return createRedisStore({ client: redis.commands });
  }
  const { openSqliteStore } = await import("./store/sqlite_store.ts");
  return openSqliteStore({ path: config.databasePath });
}

/** Builds one isolate's runtime from a validated configuration. */
export async function openRuntime(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<Runtime> {
  const redis = config.store === "redis" || config.bus === "redis"
    ? await (await import("./redis/connection.ts")).openRedisConnection({
      url: config.redisUrl!,
      logger,
    })
    : undefined;
  const store = await openStore(config, redis);
  const bus = config.bus === "redis"
    ? createRedisBus({
      publisher: redis!.commands,
      subscriber: await redis!.subscriber(),
      logger,
      catchUp: catchUpFromStore(store),
    })
    : config.bus === "memory"
    ? createMemoryBus()
    : createBroadcastChannelBus();
  let jwtSecret = config.jwtSecret;
  if (jwtSecret === undefined) {
    jwtSecret = await store.getOrCreateSecret("jwt", randomSecret);
    logger.warn("JWT_SECRET is not set: using a generated secret kept in the store");
  } else if (new TextEncoder().encode(jwtSecret).byteLength < 32) {
    logger.warn("JWT_SECRET is shorter than 32 bytes: use a longer random secret");
  }
  const app = createApp({ config, store, bus, jwtSecret, logger });
  let closing: Promise<void> | undefined;
  return {
    config,
    app,
    store,
    bus,
    logger,
    close(options = {}) {
      closing ??= (async () => {
        await app.close({ closeSockets: options.closeSockets });
        bus.close();
        await store.close();
        await redis?.close();
      })();
      return closing;
    },
  };
}

/** Reads configuration from the environment and `args`. */
export function configFrom(env: Record<string, string>, args: readonly string[]): Config {
  return loadConfig({ ...env, ...flagsToEnv(args) });
}

/**
 * Detects Deno Deploy, where the KV store is chosen automatically, and rooms
 * span its isolates over the `BroadcastChannel` bus.
 */
export function withDeployDefaults(env: Record<string, string>): Record<string, string> {
  if (!env.DENO_DEPLOYMENT_ID) return env;
  return { STORE: "kv", BUS: "broadcast", ...env };
}

/**
 * The environment `deno run src/main.ts` starts from: one isolate, so no other
 * isolate could hear a `BroadcastChannel` and the in-process bus is used
 * unless `BUS` says otherwise (or the server runs on Deno Deploy).
 */
export function mainEnv(env: Record<string, string>): Record<string, string> {
  return { BUS: "memory", ...withDeployDefaults(env) };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = configFrom(mainEnv(Deno.env.toObject()), Deno.args);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cannot start: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config);
  } catch (error) {
    // RedisConnectError, matched by name: its module is loaded only for Redis setups.
    if (error instanceof Error && error.name === "RedisConnectError") {
      console.error(`Cannot start: ${error.message}`);
      Deno.exit(1);
    }
    throw error;
  }
  const { logger } = runtime;
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: ({ hostname, port }) =>
      logger.info("Listening", { hostname, port, store: config.store }),
  }, runtime.app.fetch);

  let stopping = false;
  const stop = async (signal: Deno.Signal) => {
    if (stopping) return;
    stopping = true;
    logger.info("Stopping", { signal });
    const deadline = setTimeout(() => {
      logger.error("Shutdown took longer than 5 seconds; exiting");
      Deno.exit(1);
    }, 5000);
    // The app refuses new sockets from here on, closes its own with 1001
    // SHUTDOWN, then the bus and the store: everything acknowledged is committed.
    await runtime.close();
    // A peer that stopped reading keeps its connection until TCP gives up on
    // it, and the server's shutdown with it: do not wait for that.
    const grace = new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.race([server.shutdown(), grace]);
    clearTimeout(deadline);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
