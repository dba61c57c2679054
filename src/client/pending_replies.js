// @ts-self-types="../client/pending_replies.d.ts"
/**
 * Requests written on a room's socket that wait for their answer, by nonce:
 * a send waits for its message's echo, an edit or a delete for its event. A
 * v2 `error` event with the nonce rejects it instead. A request made while
 * the socket is down is kept until it can be written.
 *
 * @module
 */
import { TimeoutError } from "../client/errors.js";

/**
 * What a request waits for: the `type` of the logged event that answers it.
 * @typedef {"message" | "edit" | "delete"} ReplyKind
 */

/**
 * @typedef {object} Pending
 * @property {ReplyKind} kind
 * @property {(value: unknown) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {ReturnType<typeof setTimeout>} timer
 * @property {string | undefined} frame kept until written to a socket
 */

/** @returns {string} a random nonce of 32 hex characters */
export function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The requests of one room connection that wait for an answer. */
export class PendingReplies {
  /** @type {Map<string, Pending>} */
  #byNonce = new Map();

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
  add(kind, frame, timeoutMs, socket) {
    const nonce = newNonce();
    const text = JSON.stringify({ ...frame, nonce });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#byNonce.delete(nonce);
        reject(new TimeoutError(`No answer within ${timeoutMs} ms`));
      }, timeoutMs);
      /** @type {Pending} */
      const pending = {
        kind,
        resolve: /** @type {(value: unknown) => void} */ (resolve),
        reject,
        timer,
        frame: text,
      };
      this.#byNonce.set(nonce, pending);
      if (socket && socket.readyState === socket.OPEN) {
        socket.send(text);
        pending.frame = undefined;
      }
    });
  }

  /**
   * Writes every request not yet written to a socket that just opened.
   *
   * @param {WebSocket} socket
   * @returns {void}
   */
  writeUnsent(socket) {
    for (const pending of this.#byNonce.values()) {
      if (pending.frame === undefined) continue;
      socket.send(pending.frame);
      pending.frame = undefined;
    }
  }

  /**
   * Resolves the request of `nonce` with its answer, when it waits for that kind.
   *
   * @param {ReplyKind} kind
   * @param {string | undefined} nonce
   * @param {unknown} value
   * @returns {boolean} whether a request was settled
   */
  resolve(kind, nonce, value) {
    const pending = nonce === undefined ? undefined : this.#byNonce.get(nonce);
    if (!pending || pending.kind !== kind || nonce === undefined) return false;
    this.#byNonce.delete(nonce);
    clearTimeout(pending.timer);
    pending.resolve(value);
    return true;
  }

  /**
   * Rejects the request of `nonce`.
   *
   * @param {string | undefined} nonce
   * @param {Error} error
   * @returns {boolean} whether a request was settled
   */
  reject(nonce, error) {
    const pending = nonce === undefined ? undefined : this.#byNonce.get(nonce);
    if (!pending || nonce === undefined) return false;
    this.#byNonce.delete(nonce);
    clearTimeout(pending.timer);
    pending.reject(error);
    return true;
  }

  /**
   * Rejects every request (the connection ended).
   *
   * @param {Error} error
   * @returns {void}
   */
  rejectAll(error) {
    for (const pending of this.#byNonce.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#byNonce.clear();
  }
}
