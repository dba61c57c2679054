/**
 * Who the client is behind proxies (contract §8): when the TCP peer is in
 * `TRUSTED_PROXIES`, the client's address is the right-most untrusted entry
 * of `X-Forwarded-For` (or `Forwarded: for=`), and the public origin comes
 * from `X-Forwarded-Proto`/`X-Forwarded-Host` (or `Forwarded: proto=;host=`).
 * From any other peer these headers are ignored.
 *
 * When a request carries any `X-Forwarded-*` header, `Forwarded` is ignored
 * (and the other way round only without them): a proxy that sets one family
 * passes the other through from the client untouched, so mixing them would let
 * a client forge what the proxy does not overwrite.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { parseForwarded, parseNode } from "./forwarded_header.ts";
import { formatIp, inRanges, type IpRange, parseIp } from "./ip_range.ts";
import { publicOrigin } from "./origin_check.ts";

/** What the trusted proxies in front of this server say about a request. */
export interface ResolvedClient {
  /** The client's address in canonical form: the key of every per-address throttle. */
  readonly address: string;
  /** The scheme the client used, as the proxy that received its request says. */
  readonly proto: string | undefined;
  /** The `Host` the client sent, as the proxy that received its request says. */
  readonly host: string | undefined;
}

/**
 * Walks `hops` (oldest first, as proxies append) from the right past trusted
 * addresses. An entry that is not an address (`unknown`, `_hidden`, garbage)
 * ends the walk at the trusted hop that wrote it.
 *
 * @returns the client's address and the index of the entry that names it
 */
function walk(
  hops: readonly string[],
  peer: string,
  trusted: readonly IpRange[],
): { address: string; index: number } {
  let nearest = peer;
  for (let index = hops.length - 1; index >= 0; index--) {
    const ip = parseNode(hops[index]!);
    if (ip === undefined) return { address: nearest, index };
    nearest = formatIp(ip);
    if (!inRanges(ip, trusted)) return { address: nearest, index };
  }
  // Every hop is trusted: the client is the first of them.
  return { address: nearest, index: 0 };
}

/** The last value of a comma-separated header (the one the nearest proxy wrote). */
function lastValue(header: string | null): string | undefined {
  if (header === null) return undefined;
  const values = header.split(",").map((value) => value.trim()).filter(Boolean);
  return values.at(-1);
}

/**
 * Resolves a request's client.
 *
 * @param peer the TCP peer's address as `Deno.serve` reports it (`undefined`: none, as in tests)
 * @param trusted `TRUSTED_PROXIES`
 */
export function resolveClient(
  headers: Headers,
  peer: string | undefined,
  trusted: readonly IpRange[],
): ResolvedClient {
  const none = { proto: undefined, host: undefined };
  if (peer === undefined) return { address: "unknown", ...none };
  if (trusted.length === 0) return { address: peer, ...none };
  const peerIp = parseIp(peer);
  if (peerIp === undefined) return { address: peer, ...none };
  const address = formatIp(peerIp);
  if (!inRanges(peerIp, trusted)) return { address, ...none };

  const xff = headers.get("x-forwarded-for");
  const xfp = headers.get("x-forwarded-proto");
  const xfh = headers.get("x-forwarded-host");
  if (xff !== null || xfp !== null || xfh !== null) {
    return {
      address: xff === null ? address : walk(xff.split(","), address, trusted).address,
      proto: lastValue(xfp),
      host: lastValue(xfh),
    };
  }
  const header = headers.get("forwarded");
  const elements = header === null ? undefined : parseForwarded(header);
  if (elements === undefined) return { address, ...none };
  const found = walk(elements.map((element) => element.for ?? ""), address, trusted);
  const element = elements[found.index];
  return { address: found.address, proto: element?.proto, host: element?.host };
}

/** Options of {@linkcode clientAddress}. */
export interface ClientAddressOptions {
  /** `TRUSTED_PROXIES`. */
  readonly trustedProxies: readonly IpRange[];
  /** `PUBLIC_URL`'s origin: when set, it is every request's public origin. */
  readonly publicUrl: string | undefined;
}

/**
 * The middleware that sets `c.var.clientAddress` (the key of every
 * per-address throttle and cap) and `c.var.publicOrigin` (what the origin
 * check compares `Origin` with) on every request.
 */
export function clientAddress(options: ClientAddressOptions): MiddlewareHandler<AppEnv> {
  const url = options.publicUrl === undefined ? undefined : new URL(options.publicUrl);
  const configured = url && publicOrigin(url.protocol, url.host);
  return async (c, next) => {
    const request = c.req.raw;
    const client = resolveClient(
      request.headers,
      c.env?.remoteAddr?.hostname,
      options.trustedProxies,
    );
    c.set("clientAddress", client.address);
    let origin = configured;
    if (origin === undefined) {
      // TLS on this server says https; plain HTTP says nothing (a TLS proxy may be in front).
      const protocol = client.proto ?? (request.url.startsWith("https:") ? "https" : undefined);
      const forwarded = client.host === undefined ? undefined : publicOrigin(protocol, client.host);
      const host = request.headers.get("host");
      origin = forwarded ?? (host === null ? undefined : publicOrigin(protocol, host));
    }
    c.set("publicOrigin", origin);
    await next();
  };
}
