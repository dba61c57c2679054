/**
 * The web page and the client module, embedded in the module graph as text
 * imports, so the bundle and the compiled binary serve them with no file
 * beside them.
 *
 * @module
 */
import { Hono } from "hono";
import clientJs from "../../client/chat_client.js" with { type: "text" };
import appJs from "../../web/app.js" with { type: "text" };
import indexHtml from "../../web/index.html" with { type: "text" };
import styleCss from "../../web/style.css" with { type: "text" };
import type { AppEnv } from "../env.ts";
import { methodNotAllowed } from "../method_not_allowed.ts";

/** One embedded asset. */
interface Asset {
  readonly body: string;
  readonly type: string;
  /** May other origins load it (the client module may be imported from anywhere)? */
  readonly shared?: boolean;
}

const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/** The path of every asset. `/client/chat_client.js` is where `app.js` imports it from. */
const ASSETS: Readonly<Record<string, Asset>> = {
  "/": { body: indexHtml, type: HTML },
  "/index.html": { body: indexHtml, type: HTML },
  "/app.js": { body: appJs, type: JS },
  "/style.css": { body: styleCss, type: CSS },
  "/client.js": { body: clientJs, type: JS, shared: true },
  "/client/chat_client.js": { body: clientJs, type: JS, shared: true },
};

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

/** Serves the chat page (`/`), its script and style, and the client module (`/client.js`). */
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
      return new Response(asset.body, { headers });
    });
    app.all(path, methodNotAllowed("GET"));
  }
  return app;
}
