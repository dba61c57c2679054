/**
 * The Hono environment shared by every route: bindings and typed `c.var` values.
 *
 * @module
 */

/** The Hono env of this app. `Bindings` is what `Deno.serve` passes as the second argument. */
export interface AppEnv {
  Bindings: { remoteAddr?: { hostname?: string } } | undefined;
  Variables: {
    /** A short id for log lines about this request. */
    requestId: string;
  };
}
