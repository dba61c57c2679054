/**
 * Configuration: a pure function over a plain record of environment variables.
 *
 * @module
 */

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
  /** Login attempts per client address per minute; 0 turns the throttle off. */
  readonly loginRateLimit: number;
  /** Failed logins per username per minute; 0 turns the throttle off. */
  readonly loginUserRateLimit: number;
  /** Sign-ups per client address per minute; 0 turns the throttle off. */
  readonly signupRateLimit: number;
  readonly logLevel: LogLevel;
  /** Seconds a presence entry lives unless refreshed: how long a dead isolate's members linger. */
  readonly presenceTtlSeconds: number;
}

/** Raised when a configuration value is invalid; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Environment variables read by {@linkcode loadConfig}, with their defaults. */
export const CONFIG_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  PORT: "8000",
  HOST: "0.0.0.0",
  STORE: "sqlite",
  BUS: "broadcast",
  REDIS_URL: "",
  DATABASE_PATH: "./data/chat.sqlite3",
  KV_PATH: "",
  JWT_SECRET: "",
  TOKEN_TTL: "86400",
  JWT_ISSUER: "deno-chat",
  PBKDF2_ITERATIONS: "600000",
  ALLOWED_ORIGINS: "",
  RATE_LIMIT_BURST: "20",
  RATE_LIMIT_PER_SEC: "5",
  MAX_SOCKETS_PER_ADDRESS: "1000",
  LOGIN_RATE_LIMIT: "30",
  LOGIN_USER_RATE_LIMIT: "10",
  SIGNUP_RATE_LIMIT: "10",
  LOG_LEVEL: "info",
  PRESENCE_TTL: "30",
});

function integer(env: Record<string, string | undefined>, name: string, min: number, max: number) {
  const raw = (env[name] ?? "").trim() || CONFIG_DEFAULTS[name]!;
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(`Invalid ${name} "${raw}": expected a whole number`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`Invalid ${name} "${raw}": expected a number from ${min} to ${max}`);
  }
  return value;
}

function positiveNumber(env: Record<string, string | undefined>, name: string) {
  const raw = (env[name] ?? "").trim() || CONFIG_DEFAULTS[name]!;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0)) {
    throw new ConfigError(`Invalid ${name} "${raw}": expected a positive number`);
  }
  return value;
}

function oneOf<T extends string>(
  env: Record<string, string | undefined>,
  name: string,
  choices: readonly T[],
  aliases: Record<string, T> = {},
): T {
  const raw = ((env[name] ?? "").trim() || CONFIG_DEFAULTS[name]!).toLowerCase();
  const value = aliases[raw] ?? raw;
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigError(`Invalid ${name} "${raw}": expected one of ${choices.join(", ")}`);
  }
  return value as T;
}

function origins(raw: string | undefined): readonly string[] | undefined {
  const list = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return undefined;
  for (const origin of list) {
    if (origin === "*") continue;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`Invalid ALLOWED_ORIGINS entry "${origin}": expected an origin URL`);
    }
    if (url.origin !== origin.replace(/\/$/, "")) {
      throw new ConfigError(
        `Invalid ALLOWED_ORIGINS entry "${origin}": expected scheme://host[:port] only`,
      );
    }
  }
  return Object.freeze(list.map((o) => o.replace(/\/$/, "")));
}

function redisUrl(env: Record<string, string | undefined>): string | undefined {
  const raw = (env.REDIS_URL ?? "").trim();
  const users = ["STORE", "BUS"].filter((name) =>
    (env[name] ?? "").trim().toLowerCase() === "redis"
  );
  if (!raw) {
    if (users.length === 0) return undefined;
    throw new ConfigError(`Missing REDIS_URL: required when ${users.join(" or ")} is "redis"`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`Invalid REDIS_URL: expected redis://[:password@]host[:port][/db]`);
  }
  if (url.password) url.password = "***";
  if ((url.protocol !== "redis:" && url.protocol !== "rediss:") || !url.hostname) {
    throw new ConfigError(
      `Invalid REDIS_URL "${url}": expected redis://[:password@]host[:port][/db]`,
    );
  }
  return raw;
}

/**
 * Reads and validates the configuration.
 *
 * @param env a plain record such as `Deno.env.toObject()`; missing or empty values take defaults
 * @throws {ConfigError} naming the first invalid variable
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const host = (env.HOST ?? "").trim() || CONFIG_DEFAULTS.HOST!;
  if (/\s/.test(host)) throw new ConfigError(`Invalid HOST "${host}": has white space`);
  const jwtSecret = env.JWT_SECRET || undefined;
  return Object.freeze({
    port: integer(env, "PORT", 0, 65535),
    host,
    store: oneOf(env, "STORE", ["sqlite", "kv", "redis"] as const),
    bus: oneOf(env, "BUS", ["broadcast", "memory", "redis"] as const, {
      broadcastchannel: "broadcast",
      local: "broadcast",
    }),
    redisUrl: redisUrl(env),
    databasePath: (env.DATABASE_PATH ?? "").trim() || CONFIG_DEFAULTS.DATABASE_PATH!,
    kvPath: (env.KV_PATH ?? "").trim() || undefined,
    jwtSecret,
    tokenTtlSeconds: integer(env, "TOKEN_TTL", 1, 31_536_000),
    jwtIssuer: (env.JWT_ISSUER ?? "").trim() || CONFIG_DEFAULTS.JWT_ISSUER!,
    pbkdf2Iterations: integer(env, "PBKDF2_ITERATIONS", 1, 100_000_000),
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    rateLimitBurst: integer(env, "RATE_LIMIT_BURST", 1, 1_000_000),
    rateLimitPerSec: positiveNumber(env, "RATE_LIMIT_PER_SEC"),
    maxSocketsPerAddress: integer(env, "MAX_SOCKETS_PER_ADDRESS", 0, 10_000_000),
    loginRateLimit: integer(env, "LOGIN_RATE_LIMIT", 0, 1_000_000),
    loginUserRateLimit: integer(env, "LOGIN_USER_RATE_LIMIT", 0, 1_000_000),
    signupRateLimit: integer(env, "SIGNUP_RATE_LIMIT", 0, 1_000_000),
    logLevel: oneOf(env, "LOG_LEVEL", ["debug", "info", "warn", "error"] as const),
    presenceTtlSeconds: integer(env, "PRESENCE_TTL", 2, 3600),
  });
}
