/**
 * The origin check of WebSocket handshakes (contract §5 and §8): a browser's
 * `Origin` must be the server's public origin, or one `ALLOWED_ORIGINS` lists.
 *
 * @module
 */

/** The origin clients address the server by: its host and, when known, its scheme. */
export interface PublicOrigin {
  /** `host[:port]`, lower-cased (without a default port when the scheme is known). */
  readonly host: string;
  /**
   * The scheme clients use, when something says so: `PUBLIC_URL`, a trusted
   * proxy's `X-Forwarded-Proto`/`Forwarded: proto=`, or TLS on this server.
   * `undefined`: unknown (plain HTTP may be a TLS proxy's), so only hosts are compared.
   */
  readonly protocol: "http:" | "https:" | undefined;
}

/** Who may open sockets from a browser; built once from the configuration. */
export interface OriginPolicy {
  /** `ALLOWED_ORIGINS`: exact origins, or `*` for any. */
  readonly allowedOrigins: readonly string[] | undefined;
  /** Whether the public origin is allowed: unless `ALLOWED_ORIGINS` is set without `PUBLIC_URL`. */
  readonly publicOriginAllowed: boolean;
}

/** The policy of `ALLOWED_ORIGINS` and `PUBLIC_URL`. */
export function originPolicy(
  options: { allowedOrigins: readonly string[] | undefined; publicUrl: string | undefined },
): OriginPolicy {
  return Object.freeze({
    allowedOrigins: options.allowedOrigins,
    publicOriginAllowed: options.allowedOrigins === undefined || options.publicUrl !== undefined,
  });
}

/** `host[:port]`: a bracketed IPv6 address or a registered name / IPv4 address, and a port. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~%!$&'()*+,;=]+)(?::(\d{1,5}))?$/;
const DEFAULT_PORT = { "http:": "80", "https:": "443" } as const;

/**
 * Builds a public origin from a scheme (`http`, `https`, either with a `:`,
 * any case; anything else counts as unknown) and a `host[:port]`. Checked
 * with a pattern rather than `new URL`: this runs on every request.
 *
 * @returns `undefined` when `host` is not a valid `host[:port]`
 */
export function publicOrigin(protocol: string | undefined, host: string): PublicOrigin | undefined {
  const scheme = protocol?.trim().toLowerCase().replace(/:$/, "");
  const known = scheme === "http" || scheme === "https" ? (`${scheme}:` as const) : undefined;
  const text = host.trim().toLowerCase();
  const match = HOST.exec(text);
  const port = match?.[1];
  if (!match || (port !== undefined && Number(port) > 65535)) return undefined;
  // With a known scheme, its default port is dropped, as in a browser's `Origin`.
  const drop = known !== undefined && port === DEFAULT_PORT[known];
  return Object.freeze({ host: drop ? text.slice(0, -(port!.length + 1)) : text, protocol: known });
}

/**
 * Whether a handshake with this `Origin` header may open a socket.
 *
 * @param origin the header; `null` (not a browser) is always allowed
 * @param server the request's public origin (`c.var.publicOrigin`)
 */
export function originAllowed(
  origin: string | null,
  policy: OriginPolicy,
  server: PublicOrigin | undefined,
): boolean {
  if (origin === null) return true;
  const listed = policy.allowedOrigins;
  if (listed && (listed.includes("*") || listed.includes(origin))) return true;
  if (!policy.publicOriginAllowed || server === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (server.protocol !== undefined && url.protocol !== server.protocol) return false;
  return url.host.toLowerCase() === server.host;
}
