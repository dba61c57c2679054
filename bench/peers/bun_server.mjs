/**
 * A bare Bun broadcast server on its native pub/sub: one room per URL path,
 * each socket subscribes to its room's topic when it opens, and every text
 * frame a client sends goes to the whole topic through `server.publish`, the
 * sender included. No auth, no storage, no validation. Run with the `bun`
 * binary of the npm `bun` package (`bench/peers/node_modules/.bin/bun`).
 * Listens on HOST:PORT (default 127.0.0.1:0) and prints `{"port": n}` once
 * listening.
 *
 * @module
 */

/** @type {any} Bun's global, absent under Node and Deno. */
const Bun = /** @type {any} */ (globalThis).Bun;
if (!Bun) {
  console.error("bun_server.mjs runs under Bun: bench/peers/node_modules/.bin/bun");
  process.exit(2);
}

const hostname = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 0);

const server = Bun.serve({
  hostname,
  port,
  /**
   * @param {Request} request
   * @param {any} srv
   */
  fetch(request, srv) {
    if ((request.headers.get("upgrade") ?? "").toLowerCase() === "websocket") {
      const room = new URL(request.url).pathname;
      if (srv.upgrade(request, { data: { room } })) return undefined;
      return new Response("upgrade failed", { status: 400 });
    }
    return new Response("ok");
  },
  websocket: {
    perMessageDeflate: false,
    /** @param {any} ws */
    open(ws) {
      ws.subscribe(ws.data.room);
    },
    /** @param {any} ws @param {string | Uint8Array} message */
    message(ws, message) {
      server.publish(ws.data.room, message);
    },
  },
});

console.log(JSON.stringify({ port: server.port }));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
