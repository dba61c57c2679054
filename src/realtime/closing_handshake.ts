/**
 * Closing a server socket the way RFC 6455 §7.1.1 asks: send the close frame,
 * then keep reading until the client's close frame, and only then drop the
 * TCP connection.
 *
 * Deno's server sockets do not: after `socket.close()` the runtime drops the
 * connection at the next data frame it reads (and `server.shutdown()` right
 * after writing its close frame). A client that is sending then writes into a
 * connection the server has closed, the kernel answers with a reset, the
 * client's next write fails, and it never reads the close frame that was
 * waiting for it: it sees 1006. (Measured: `docs/decisions.md`, "Clean
 * shutdown".) Client sockets in Deno do wait for the peer's close frame; the
 * only difference is the socket's internal role, which this switches once the
 * close frame is on its way. The switch is feature-detected: on a runtime
 * without that slot, the socket closes the usual way.
 *
 * @module
 */

/** The value of Deno's `[[role]]` slot for a client socket (ext/websocket/01_websocket.js). */
const CLIENT_ROLE = 1;

/** Deno's private `[[role]]` slot of a socket, if it has one. */
function roleSlot(socket: WebSocket): symbol | undefined {
  return Object.getOwnPropertySymbols(socket).find((key) => key.description === "[[role]]");
}

/**
 * Closes an open `socket` with `code` and `reason` and keeps reading (and
 * dropping) the client's frames until its close frame arrives, so the client
 * always reads the close frame. Returns false when the socket was not open
 * (nothing done) or the runtime has no such slot (closed the usual way).
 */
export function closeWithHandshake(socket: WebSocket, code: number, reason: string): boolean {
  if (socket.readyState !== WebSocket.OPEN) return false;
  socket.close(code, reason);
  const role = roleSlot(socket);
  if (role === undefined) return false;
  (socket as unknown as Record<symbol, unknown>)[role] = CLIENT_ROLE;
  return true;
}
