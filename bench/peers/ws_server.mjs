/**
 * A bare `ws` broadcast server on Node: one room per URL path, every text frame
 * a client sends goes to every member of its room, the sender included. No
 * auth, no storage, no validation. Listens on HOST:PORT (default 127.0.0.1:0)
 * and prints `{"port": n}` once listening.
 *
 * @module
 */
import http from "node:http";
import { WebSocketServer } from "ws";

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 0);

/** @type {Map<string, Set<import("ws").WebSocket>>} */
const rooms = new Map();

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });

wss.on("connection", (socket, req) => {
  const room = new URL(req.url ?? "/", "http://localhost").pathname;
  let members = rooms.get(room);
  if (!members) rooms.set(room, members = new Set());
  members.add(socket);
  socket.on("message", (data, isBinary) => {
    for (const peer of /** @type {Set<import("ws").WebSocket>} */ (members)) {
      if (peer.readyState === 1) peer.send(data, { binary: isBinary });
    }
  });
  socket.on("close", () => {
    members.delete(socket);
    if (members.size === 0 && rooms.get(room) === members) rooms.delete(room);
  });
  socket.on("error", () => {});
});

server.listen(port, host, () => {
  const address = server.address();
  console.log(
    JSON.stringify({ port: typeof address === "object" && address ? address.port : port }),
  );
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
