/**
 * The floor: a bare `Deno.upgradeWebSocket` broadcast server. One room per URL
 * path; every text frame a client sends goes to every member of its room, the
 * sender included. No auth, no storage, no validation. Listens on HOST:PORT
 * (default 127.0.0.1:0) and prints `{"port": n}` once listening.
 *
 * @module
 */

/** Builds the floor's request handler over its own room registry. */
export function createFloorHandler(): (request: Request) => Response {
  const rooms = new Map<string, Set<WebSocket>>();
  return (request) => {
    if ((request.headers.get("upgrade") ?? "").toLowerCase() !== "websocket") {
      return new Response("ok");
    }
    const room = new URL(request.url).pathname;
    const { socket, response } = Deno.upgradeWebSocket(request);
    let set: Set<WebSocket> | undefined;
    socket.onopen = () => {
      set = rooms.get(room);
      if (!set) rooms.set(room, set = new Set());
      set.add(socket);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (!set) return;
      for (const peer of set) if (peer.readyState === WebSocket.OPEN) peer.send(event.data);
    };
    socket.onclose = () => {
      if (!set) return;
      set.delete(socket);
      if (set.size === 0 && rooms.get(room) === set) rooms.delete(room);
    };
    socket.onerror = () => {};
    return response;
  };
}

if (import.meta.main) {
  const hostname = Deno.env.get("HOST") || "127.0.0.1";
  const port = Number(Deno.env.get("PORT") || 0);
  Deno.serve({
    hostname,
    port,
    onListen: (addr) => console.log(JSON.stringify({ port: addr.port })),
  }, createFloorHandler());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => Deno.exit(0));
  }
}
