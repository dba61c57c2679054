/**
 * Parsers of single configuration values; each throws a {@linkcode ConfigError}
 * that names the variable.
 *
 * @module
 */
import { StartupError } from "../errors.ts";
import { CONFIG_DEFAULTS } from "./variables.ts";

/** A record of environment variables, as `loadConfig` reads it. */
export type Env = Record<string, string | undefined>;

/** Raised when a configuration value is invalid; the message names the variable. */
export class ConfigError extends StartupError {
  override name = "ConfigError";
  /** A bad setting exits with 2, as a bad command line does. */
  override readonly exitCode = 2;
}

/** A whole number from `min` to `max`. */
export function integer(env: Env, name: string, min: number, max: number) {
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

/** A number above 0. */
export function positiveNumber(env: Env, name: string) {
  const raw = (env[name] ?? "").trim() || CONFIG_DEFAULTS[name]!;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0)) {
    throw new ConfigError(`Invalid ${name} "${raw}": expected a positive number`);
  }
  return value;
}

/** One of `choices` (case-insensitive), or an alias of one. */
export function oneOf<T extends string>(
  env: Env,
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

/** `ALLOWED_ORIGINS`: origin URLs or `*`; `undefined` when empty. */
export function origins(raw: string | undefined): readonly string[] | undefined {
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

/** `REDIS_URL`, required when `STORE` or `BUS` is `redis`. */
export function redisUrl(env: Env): string | undefined {
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

/** A trimmed string, or the variable's default when blank. */
export function text(env: Env, name: string): string {
  return (env[name] ?? "").trim() || CONFIG_DEFAULTS[name]!;
}

/** A trimmed string, or `undefined` when blank. */
export function optionalText(env: Env, name: string): string | undefined {
  return (env[name] ?? "").trim() || undefined;
}
