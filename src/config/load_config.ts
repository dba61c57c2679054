/**
 * Configuration: a pure function over a plain record of environment variables.
 *
 * @module
 */
import { CONFIG_DEFAULTS } from "./variables.ts";
import {
  ConfigError,
  type Env,
  integer,
  oneOf,
  optionalText,
  origins,
  positiveNumber,
  redisUrl,
  text,
} from "./values.ts";
import { publicUrl, type TlsFiles, tlsFiles, trustedProxies } from "./deploy_values.ts";
import { adminApiKey, adminUsernames } from "./admin_values.ts";
import type { IpRange } from "../http/ip_range.ts";

export { CONFIG_DEFAULTS } from "./variables.ts";
export { ConfigError } from "./values.ts";

/** Which user and message store backs the server. */
export type StoreKind = "sqlite" | "kv" | "redis";
/** Which bus fans messages out between isolates. */
export type BusKind = "broadcast" | "memory" | "redis";
/** Log verbosity. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The validated, frozen server configuration. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly store: StoreKind;
  readonly bus: BusKind;
  /** Required when the store or the bus is `redis`. */
  readonly redisUrl: string | undefined;
  readonly databasePath: string;
  /** Path of the Deno KV database; `undefined` uses Deno's default (and Deno Deploy's KV). */
  readonly kvPath: string | undefined;
  /** HS256 secret; `undefined` means "generate one and keep it in the store". */
  readonly jwtSecret: string | undefined;
  /** Token lifetime in seconds. */
  readonly tokenTtlSeconds: number;
  readonly jwtIssuer: string;
  readonly pbkdf2Iterations: number;
  /** `undefined`: same-host origins only. */
  readonly allowedOrigins: readonly string[] | undefined;
  readonly rateLimitBurst: number;
  readonly rateLimitPerSec: number;
  /** 0 means no cap. */
  readonly maxSocketsPerAddress: number;
  /** Resident memory in MiB past which the server sheds load; 0 turns the guard off. */
  readonly memoryHighWaterMb: number;
  /** Login attempts per client address per minute; 0 turns the throttle off. */
  readonly loginRateLimit: number;
  /** Failed logins per username per minute; 0 turns the throttle off. */
  readonly loginUserRateLimit: number;
  /** Sign-ups per client address per minute; 0 turns the throttle off. */
  readonly signupRateLimit: number;
  readonly logLevel: LogLevel;
  /** Seconds a presence entry lives unless refreshed: how long a dead isolate's members linger. */
  readonly presenceTtlSeconds: number;
  /**
   * The longest a `?batch=1` socket's message waits for others to share its
   * frame, in ms; 0: only those of the same event-loop turn share one.
   */
  readonly batchWindowMs: number;
  /** Days a message is kept; 0 keeps every message. */
  readonly messageRetentionDays: number;
  /** Proxies whose forwarding headers are believed; empty: none. */
  readonly trustedProxies: readonly IpRange[];
  /** `PUBLIC_URL`'s origin; `undefined`: the request's own (or its trusted proxy's). */
  readonly publicUrl: string | undefined;
  /** `TLS_CERT` and `TLS_KEY`; `undefined`: plain HTTP. */
  readonly tls: TlsFiles | undefined;
  /** `ADMIN_USERNAMES` in their caseless form (as usernames are compared); empty: no admins. */
  readonly adminUsernames: readonly string[];
  /** `ADMIN_API_KEY`; `undefined`: the server API answers 404. */
  readonly adminApiKey: string | undefined;
}

/** How the server was started, which decides the defaults that depend on it. */
export interface LaunchOptions {
  /**
   * `run`: one isolate (`deno run src/main.ts`, the bundle), so no other isolate
   * could hear a `BroadcastChannel` and `BUS` defaults to `memory`; `serve`
   * (the default): `deno serve`, maybe `--parallel`, so `BUS` defaults to `broadcast`.
   */
  readonly launch?: "run" | "serve";
}

/**
 * Reads and validates the configuration. Every default lives here: on Deno
 * Deploy (`DENO_DEPLOYMENT_ID` set) `STORE` defaults to `kv` and `BUS` to
 * `broadcast`, which spans Deploy's isolates.
 *
 * @param env a plain record such as `Deno.env.toObject()`; missing or empty values take defaults
 * @throws {ConfigError} naming the first invalid variable
 */
export function loadConfig(given: Env, options: LaunchOptions = {}): Config {
  const deploy = Boolean(given.DENO_DEPLOYMENT_ID);
  const env: Env = {
    ...given,
    STORE: given.STORE?.trim() || (deploy ? "kv" : CONFIG_DEFAULTS.STORE),
    BUS: given.BUS?.trim() ||
      (options.launch === "run" && !deploy ? "memory" : CONFIG_DEFAULTS.BUS),
  };
  const host = text(env, "HOST");
  if (/\s/.test(host)) throw new ConfigError(`Invalid HOST "${host}": has white space`);
  return Object.freeze({
    port: integer(env, "PORT", 0, 65535),
    host,
    store: oneOf(env, "STORE", ["sqlite", "kv", "redis"] as const),
    bus: oneOf(env, "BUS", ["broadcast", "memory", "redis"] as const, {
      broadcastchannel: "broadcast",
      local: "broadcast",
    }),
    redisUrl: redisUrl(env),
    databasePath: text(env, "DATABASE_PATH"),
    kvPath: optionalText(env, "KV_PATH"),
    jwtSecret: env.JWT_SECRET || undefined,
    tokenTtlSeconds: integer(env, "TOKEN_TTL", 1, 31_536_000),
    jwtIssuer: text(env, "JWT_ISSUER"),
    pbkdf2Iterations: integer(env, "PBKDF2_ITERATIONS", 1, 100_000_000),
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    rateLimitBurst: integer(env, "RATE_LIMIT_BURST", 1, 1_000_000),
    rateLimitPerSec: positiveNumber(env, "RATE_LIMIT_PER_SEC"),
    maxSocketsPerAddress: integer(env, "MAX_SOCKETS_PER_ADDRESS", 0, 10_000_000),
    memoryHighWaterMb: integer(env, "MEMORY_HIGH_WATER_MB", 0, 1_048_576),
    loginRateLimit: integer(env, "LOGIN_RATE_LIMIT", 0, 1_000_000),
    loginUserRateLimit: integer(env, "LOGIN_USER_RATE_LIMIT", 0, 1_000_000),
    signupRateLimit: integer(env, "SIGNUP_RATE_LIMIT", 0, 1_000_000),
    logLevel: oneOf(env, "LOG_LEVEL", ["debug", "info", "warn", "error"] as const),
    presenceTtlSeconds: integer(env, "PRESENCE_TTL", 2, 3600),
    batchWindowMs: integer(env, "BATCH_WINDOW_MS", 0, 1000),
    messageRetentionDays: integer(env, "MESSAGE_RETENTION_DAYS", 0, 36_500),
    trustedProxies: trustedProxies(env),
    publicUrl: publicUrl(env),
    tls: tlsFiles(env, options.launch ?? "serve"),
    adminUsernames: adminUsernames(env),
    adminApiKey: adminApiKey(env),
  });
}
