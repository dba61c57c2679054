/**
 * CORS for the REST API: only origins on the allow-list get CORS headers, and
 * preflights are answered here.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

const ALLOW_METHODS = "GET, POST, OPTIONS";
const ALLOW_HEADERS = "authorization, content-type";

/**
 * @param allowed the allow-list (`*` allows any origin); `undefined` sends no CORS headers
 */
export function cors(allowed: readonly string[] | undefined): MiddlewareHandler<AppEnv> {
  const permits = (origin: string | undefined): origin is string =>
    origin !== undefined && allowed !== undefined &&
    (allowed.includes("*") || allowed.includes(origin));
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      const headers = new Headers({ vary: "Origin" });
      if (permits(origin)) {
        headers.set("access-control-allow-origin", origin);
        headers.set("access-control-allow-methods", ALLOW_METHODS);
        headers.set("access-control-allow-headers", ALLOW_HEADERS);
        headers.set("access-control-max-age", "600");
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (c.res.status === 101) return;
    c.res.headers.append("vary", "Origin");
    if (permits(origin)) {
      c.res.headers.set("access-control-allow-origin", origin);
      c.res.headers.set(
        "access-control-expose-headers",
        "retry-after, x-request-id, x-oldest-kept-seq",
      );
    }
  };
}
