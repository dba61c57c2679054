/**
 * One Redis command client as every module of the Redis store uses it: the
 * key names, a timeout per call, and the one error rule (outage → 503, an
 * error reply such as `WRONGTYPE` or data that does not parse → 500).
 *
 * @module
 */
import { StoreUnavailableError } from "../../errors.ts";
import type { RedisClient } from "../../redis/connection.ts";
import { storeClosed, storeFailure } from "../store_failure.ts";
import { type RedisKeys, redisKeys } from "./keys.ts";

/** Error replies of a Redis that is there but cannot serve now (loading, failing over, busy). */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * Whether `error` is the client's `ErrorReply` (an error answer from Redis),
 * told by its class name: importing the class would load the Redis client into
 * every server, whatever its store.
 */
function isErrorReply(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  for (
    let proto = Object.getPrototypeOf(error);
    proto && proto !== Error.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto.constructor?.name === "ErrorReply") return true;
  }
  return false;
}

/**
 * Whether a failure means Redis is away (503) rather than a bug or bad data
 * (an error reply such as `WRONGTYPE`, a log entry that does not parse: 500).
 */
export function isRedisOutage(error: unknown): boolean {
  return isErrorReply(error) ? TRANSIENT_REPLY.test(error.message) : true;
}

/** Rejects with `onTimeout()` when `promise` takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // The command may still settle after the timeout; nobody is waiting then.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What the modules of the Redis store share. */
export interface RedisContext {
  readonly client: RedisClient;
  readonly key: RedisKeys;
  /** Milliseconds since the epoch (presence expiry). */
  readonly now: () => number;
  /** Runs `fn` as a store call: at once 503 when closed or disconnected, 503 after the timeout. */
  guard<T>(fn: () => Promise<T>): Promise<T>;
  /** Sends a raw command (for `ZRANGE … BYSCORE … LIMIT` and the like). */
  send(args: string[]): Promise<unknown>;
  close(): void;
}

/** Options of {@linkcode redisContext}. */
export interface RedisContextOptions {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  readonly now: () => number;
  readonly commandTimeoutMs: number;
}

/** Wraps a connected client. */
export function redisContext(options: RedisContextOptions): RedisContext {
  const { client, commandTimeoutMs: timeoutMs } = options;
  let closed = false;
  return {
    client,
    key: redisKeys(options.keyPrefix),
    now: options.now,
    async guard<T>(fn: () => Promise<T>): Promise<T> {
      if (closed) throw storeClosed();
      if (!client.isReady) throw new StoreUnavailableError(new Error("Redis is not connected"));
      try {
        return await withTimeout(
          fn(),
          timeoutMs,
          () => new Error(`Redis did not answer within ${timeoutMs} ms`),
        );
      } catch (error) {
        throw storeFailure(error, isRedisOutage);
      }
    },
    send: (args) => client.sendCommand(args),
    close() {
      closed = true;
    },
  };
}
