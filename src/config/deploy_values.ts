/**
 * Parsers of the deployment variables (contract §8): `TRUSTED_PROXIES`,
 * `PUBLIC_URL`, `TLS_CERT` and `TLS_KEY`. Each throws a {@linkcode ConfigError}
 * that names the variable.
 *
 * @module
 */
import { type IpRange, parseIpRange } from "../http/ip_range.ts";
import { ConfigError, type Env } from "./values.ts";

/** `TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges; empty: none. */
export function trustedProxies(env: Env): readonly IpRange[] {
  const list = (env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return Object.freeze(list.map((entry) => {
    try {
      return parseIpRange(entry);
    } catch (error) {
      throw new ConfigError(
        `Invalid TRUSTED_PROXIES entry "${entry}": ${(error as Error).message}`,
      );
    }
  }));
}

/** `PUBLIC_URL`: an `http(s)://host[:port]` URL; its origin, or `undefined` when unset. */
export function publicUrl(env: Env): string | undefined {
  const raw = (env.PUBLIC_URL ?? "").trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`Invalid PUBLIC_URL "${raw}": expected https://host[:port]`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`Invalid PUBLIC_URL "${raw}": expected an http:// or https:// URL`);
  }
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) {
    throw new ConfigError(
      `Invalid PUBLIC_URL "${raw}": expected scheme://host[:port] only (the server is served at /)`,
    );
  }
  return url.origin;
}

/** The PEM files of `TLS_CERT` and `TLS_KEY`. */
export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * `TLS_CERT` and `TLS_KEY`: both (serve HTTPS) or neither (`undefined`).
 *
 * @param launch `serve` (`deno serve`), which cannot serve HTTPS, refuses them
 */
export function tlsFiles(env: Env, launch: "run" | "serve"): TlsFiles | undefined {
  const certPath = (env.TLS_CERT ?? "").trim();
  const keyPath = (env.TLS_KEY ?? "").trim();
  if (!certPath && !keyPath) return undefined;
  if (!certPath) throw new ConfigError("Missing TLS_CERT: required when TLS_KEY is set");
  if (!keyPath) throw new ConfigError("Missing TLS_KEY: required when TLS_CERT is set");
  if (launch === "serve") {
    throw new ConfigError(
      "Cannot use TLS_CERT and TLS_KEY under deno serve, which serves plain HTTP only: " +
        "start with deno task start, or terminate TLS in a proxy",
    );
  }
  return Object.freeze({ certPath, keyPath });
}
