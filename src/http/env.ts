/**
 * The Hono environment shared by every route: bindings and typed `c.var` values.
 *
 * @module
 */
import type { PublicOrigin } from "./origin_check.ts";

/** The Hono env of this app. `Bindings` is what `Deno.serve` passes as the second argument. */
export interface AppEnv {
  Bindings: { remoteAddr?: { hostname?: string } } | undefined;
  Variables: {
    /** A short id for log lines about this request. */
    requestId: string;
    /** The client's address (behind trusted proxies, the one they name): the throttles' key. */
    clientAddress: string;
    /** The origin clients address this server by; `undefined` without a usable `Host`. */
    publicOrigin: PublicOrigin | undefined;
  };
}
