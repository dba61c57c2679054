/**
 * The Hono environment shared by every route: bindings and typed `c.var` values.
 *
 * @module
 */
import type { TokenClaims } from "../auth/tokens.ts";

/** The Hono env of this app. `Bindings` is what `Deno.serve` passes as the second argument. */
export interface AppEnv {
  Bindings: { remoteAddr?: { hostname?: string } } | undefined;
  Variables: {
    /** Set by the bearer-auth middleware. */
    auth: TokenClaims;
    /** A short id for log lines about this request. */
    requestId: string;
  };
}
