/**
 * Serves the embedded page, client module and contract (`../static_assets.ts`).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";
import { ASSETS, HTML } from "../static_assets.ts";

/** A host header value safe to repeat inside the policy. */
const SAFE_HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The page's Content-Security-Policy: its own scripts, styles and connections
 * only. `ws:`/`wss:` to the same host are named because older browsers do not
 * count them as `'self'`.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Serves the chat page (`/`), its script and style, the client module
 * (`/client.js`, `/client/*.js`) and the contract (`/contract/*.js`), each
 * module with its `.d.ts`.
 */
export function staticRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (c) => {
      const headers = new Headers({
        "content-type": asset.type,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      });
      if (asset.type === HTML) {
        headers.set("content-security-policy", contentSecurityPolicy(c.req.header("host")));
        headers.set("x-frame-options", "DENY");
      }
      if (asset.shared) headers.set("access-control-allow-origin", "*");
      if (asset.types) headers.set("x-typescript-types", asset.types);
      return new Response(asset.body, { headers });
    });
    app.all(path, methodNotAllowed("GET"));
  }
  return app;
}
