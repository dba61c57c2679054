/**
 * One process's Redis connections: a command client (the store's commands and
 * the bus's `PUBLISH`) and, on demand, a subscriber client for pub/sub, which
 * cannot share a connection with commands.
 *
 * Commands fail at once while Redis is away (no offline queue) and the clients
 * reconnect by themselves with a capped backoff; pub/sub subscriptions are
 * restored by the client before it reports `ready` again.
 *
 * @module
 */
import { createClient } from "redis";
import { StartupError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** A connected npm `redis` client. */
export type RedisClient = ReturnType<typeof createClient>;

/** Options for {@linkcode openRedisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…`. */
  readonly url: string;
  readonly logger: Logger;
  /** How long the first connection may take before opening fails; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** The longest pause between reconnect attempts; default 1 s. */
  readonly maxReconnectDelayMs?: number;
}

/** The clients of one process and how to close them. */
export interface RedisConnection {
  /** The command client; also publishes. */
  readonly commands: RedisClient;
  /** Opens (once) and returns the subscriber client. */
  subscriber(): Promise<RedisClient>;
  /** Closes every client; idempotent. */
  close(): Promise<void>;
}

/** Raised when Redis cannot be reached in time at start. */
export class RedisConnectError extends StartupError {
  override name = "RedisConnectError";
}

/** The URL with any password replaced, safe to log. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}

/**
 * Connects the command client, waiting up to `connectTimeoutMs` for Redis.
 *
 * @throws {RedisConnectError} when Redis does not answer in time
 */
export async function openRedisConnection(
  options: RedisConnectionOptions,
): Promise<RedisConnection> {
  const { logger } = options;
  const where = redactRedisUrl(options.url);
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  const clients: RedisClient[] = [];

  const open = async (role: string): Promise<RedisClient> => {
    const client = createClient({
      url: options.url,
      // Commands sent while disconnected fail at once instead of queueing
      // forever. The subscriber keeps its queue so a SUBSCRIBE sent during an
      // outage still happens.
      disableOfflineQueue: role === "commands",
      // A Redis that stops answering without closing the connection: each
      // request times out after 2 s, but its command stays queued; past this
      // many, new commands fail at once instead of growing the queue.
      commandsQueueMaxLength: role === "commands" ? 10_000 : undefined,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) =>
          Math.min(50 * 2 ** Math.min(retries, 10), maxDelay) + Math.floor(Math.random() * 50),
      },
    });
    clients.push(client);
    let down = false;
    client.on("error", (error: unknown) => {
      // Every failed reconnect attempt emits an error: log the transition only.
      if (down) return;
      down = true;
      logger.warn("Redis connection lost", { role, redis: where, error });
    });
    client.on("ready", () => {
      if (!down) return;
      down = false;
      logger.info("Redis connection restored", { role, redis: where });
    });
    const connecting = client.connect();
    connecting.catch(() => {});
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new RedisConnectError(`Cannot connect to Redis at ${where}`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      client.destroy();
      throw error instanceof RedisConnectError
        ? error
        : new RedisConnectError(`Cannot connect to Redis at ${where}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    return client;
  };

  const commands = await open("commands");
  let subscriber: Promise<RedisClient> | undefined;
  let closing: Promise<void> | undefined;
  return {
    commands,
    subscriber: () => subscriber ??= open("subscriber"),
    close() {
      closing ??= (async () => {
        await subscriber?.catch(() => undefined);
        for (const client of clients) {
          try {
            if (client.isReady) await client.close();
            else client.destroy();
          } catch {
            client.destroy();
          }
        }
      })();
      return closing;
    },
  };
}
