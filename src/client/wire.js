// @ts-self-types="../client/wire.d.ts"
/**
 * A room socket's wire as the client sees it: the URL it connects to (`v`,
 * `batch`, `since`), the values of a server frame, writing a frame and
 * closing.
 *
 * @module
 */
import { PROTOCOL_V2 } from "../contract/mod.js";

/**
 * The socket's URL: the room's path with `?v=2`, `batch=1` and `since` as asked.
 *
 * @param {URL} base the room's socket path
 * @param {{ v2: boolean, batch: boolean, since: number | undefined }} options
 * @returns {URL}
 */
export function socketUrl(base, options) {
  const url = new URL(base);
  if (options.v2) url.searchParams.set("v", String(PROTOCOL_V2));
  if (options.batch) url.searchParams.set("batch", "1");
  if (options.since !== undefined) url.searchParams.set("since", String(options.since));
  return url;
}

/**
 * The values of one server frame (a JSON array, or a lone value); `[]` for a
 * frame that is not JSON text.
 *
 * @param {unknown} data the `message` event's `data`
 * @returns {unknown[]}
 */
export function frameValues(data) {
  if (typeof data !== "string") return [];
  try {
    const parsed = JSON.parse(data);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/**
 * Writes one JSON frame when the socket is open.
 *
 * @param {WebSocket | undefined} socket
 * @param {Record<string, unknown>} frame
 * @returns {boolean} whether it was written
 */
export function writeFrame(socket, frame) {
  if (!socket || socket.readyState !== socket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

/**
 * Closes a socket (unless it is closing already) and resolves once it has closed.
 *
 * @param {WebSocket | undefined} socket
 * @param {number} code
 * @returns {Promise<void>}
 */
export function closeSocket(socket, code) {
  if (!socket || socket.readyState === socket.CLOSED) return Promise.resolve();
  const closed = new Promise((resolve) =>
    socket.addEventListener("close", resolve, { once: true })
  );
  if (socket.readyState <= socket.OPEN) socket.close(code);
  return closed.then(() => {});
}
