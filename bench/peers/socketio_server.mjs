/**
 * A Socket.IO 4 broadcast server on Node: a client joins the room named by its
 * handshake query `room`; every `msg` event it emits goes to the whole room,
 * the sender included (`io.to(room).emit`). WebSocket transport only, no auth,
 * no storage. Listens on HOST:PORT (default 127.0.0.1:0) and prints
 * `{"port": n}` once listening.
 *
 * @module
 */
import http from "node:http";
import { createRequire } from "node:module";

// Loaded with `require` from bench/peers/node_modules: `deno check bench/`
// resolves bare imports against the root deno.json, which does not list
// socket.io (it is a dependency of the Node side only).
const { Server } = createRequire(import.meta.url)("socket.io");

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 0);

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
const io = new Server(server, {
  transports: ["websocket"],
  perMessageDeflate: false,
  serveClient: false,
  maxHttpBufferSize: 1e6,
});

io.on("connection", (socket) => {
  const room = String(socket.handshake.query.room ?? "lobby");
  socket.join(room);
  socket.on("msg", (text) => {
    io.to(room).emit("msg", text);
  });
});

server.listen(port, host, () => {
  const address = server.address();
  console.log(
    JSON.stringify({ port: typeof address === "object" && address ? address.port : port }),
  );
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
