/**
 * A room socket's wire as the client sees it: the URL it connects to (`v`,
 * `batch`, `since`), the values of a server frame, writing a frame and
 * closing.
 *
 * @module
 */
/**
 * The socket's URL: the room's path with `?v=2`, `batch=1` and `since` as asked.
 *
 * @param {URL} base the room's socket path
 * @param {{ v2: boolean, batch: boolean, since: number | undefined }} options
 * @returns {URL}
 */
export function socketUrl(base: URL, options: {
  v2: boolean;
  batch: boolean;
  since: number | undefined;
}): URL;
/**
 * The values of one server frame (a JSON array, or a lone value); `[]` for a
 * frame that is not JSON text.
 *
 * @param {unknown} data the `message` event's `data`
 * @returns {unknown[]}
 */
export function frameValues(data: unknown): unknown[];
/**
 * Writes one JSON frame when the socket is open.
 *
 * @param {WebSocket | undefined} socket
 * @param {Record<string, unknown>} frame
 * @returns {boolean} whether it was written
 */
export function writeFrame(socket: WebSocket | undefined, frame: Record<string, unknown>): boolean;
/**
 * Closes a socket (unless it is closing already) and resolves once it has closed.
 *
 * @param {WebSocket | undefined} socket
 * @param {number} code
 * @returns {Promise<void>}
 */
export function closeSocket(socket: WebSocket | undefined, code: number): Promise<void>;
