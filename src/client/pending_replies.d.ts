/**
 * Requests written on a room's socket that wait for their answer, by nonce:
 * a send waits for its message's echo, an edit or a delete for its event. A
 * v2 `error` event with the nonce rejects it instead. A request made while
 * the socket is down is kept until it can be written.
 *
 * @module
 */
/** @returns {string} a random nonce of 32 hex characters */
export function newNonce(): string;
/** The requests of one room connection that wait for an answer. */
export class PendingReplies {
  /**
   * Adds a request: `frame` gets a fresh `nonce` and is written at once when
   * `socket` is open, else by the next {@linkcode PendingReplies.writeUnsent}.
   *
   * @template T
   * @param {ReplyKind} kind
   * @param {Record<string, unknown>} frame the frame without its nonce
   * @param {number} timeoutMs rejects with a {@linkcode TimeoutError} after this long
   * @param {WebSocket | undefined} socket
   * @returns {Promise<T>}
   */
  add<T>(
    kind: ReplyKind,
    frame: Record<string, unknown>,
    timeoutMs: number,
    socket: WebSocket | undefined,
  ): Promise<T>;
  /**
   * Writes every request not yet written to a socket that just opened.
   *
   * @param {WebSocket} socket
   * @returns {void}
   */
  writeUnsent(socket: WebSocket): void;
  /**
   * Resolves the request of `nonce` with its answer, when it waits for that kind.
   *
   * @param {ReplyKind} kind
   * @param {string | undefined} nonce
   * @param {unknown} value
   * @returns {boolean} whether a request was settled
   */
  resolve(kind: ReplyKind, nonce: string | undefined, value: unknown): boolean;
  /**
   * Rejects the request of `nonce`.
   *
   * @param {string | undefined} nonce
   * @param {Error} error
   * @returns {boolean} whether a request was settled
   */
  reject(nonce: string | undefined, error: Error): boolean;
  /**
   * Rejects every request (the connection ended).
   *
   * @param {Error} error
   * @returns {void}
   */
  rejectAll(error: Error): void;
  #private;
}
/**
 * What a request waits for: the `type` of the logged event that answers it.
 */
export type ReplyKind = "message" | "edit" | "delete";
export type Pending = {
  kind: ReplyKind;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /**
   * kept until written to a socket
   */
  frame: string | undefined;
};
