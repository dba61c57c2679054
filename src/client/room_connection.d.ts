/**
 * A live connection to one room that survives dropped connections: it
 * acknowledges each `send()` by its echoed `nonce`, reconnects with
 * exponential backoff and jitter, and resumes with `?since=` (see
 * `recovery.js`), so nothing is lost or doubled.
 *
 * @module
 */
/**
 * A live connection to one room. Made by `ChatClient.join()`; it starts
 * connecting in a microtask, so its callbacks may refer to the connection
 * `join()` returned.
 */
export class RoomConnection {
  /**
   * Starts connecting (in a microtask); use `ChatClient.join()` rather than this.
   *
   * @param {RoomConnectionInit} init
   */
  constructor(init: RoomConnectionInit);
  /** The room's name. @type {string} */
  room: string;
  /** True without a token: `send()` would end the connection with 1008 `READ_ONLY`. */
  readOnly: boolean;
  /**
   * Settles when the connection ends for good: with the error that ended it,
   * or `undefined` after `close()`.
   * @type {Promise<Error | undefined>}
   */
  ended: Promise<Error | undefined>;
  /** The current state. @returns {ConnectionState} */
  get state(): ConnectionState;
  /** The highest `seq` delivered so far (or the `since` joined with). @returns {number | undefined} */
  get lastSeq(): number | undefined;
  /**
   * Resolves once the connection has joined and delivered the room's history:
   * every message up to the room's last `seq` at the time `ready` was first
   * read (asked once with `GET /rooms/:room` after the socket opens). Rejects
   * with the closing error if the connection ends for good first, `close()`
   * included.
   *
   * @returns {Promise<void>}
   */
  get ready(): Promise<void>;
  /**
   * Adds a listener of `message` (each message once, in `seq` order), `status`
   * (every state change) or `error` (the error that ended the connection for
   * good). The `onMessage`, `onStatus` and `onError` options are the first
   * listeners of each.
   *
   * @template {keyof RoomEventMap} K
   * @param {K} type
   * @param {(value: RoomEventMap[K]) => void} listener
   * @returns {() => void} removes the listener
   */
  on<K extends keyof RoomEventMap>(type: K, listener: (value: RoomEventMap[K]) => void): () => void;
  /**
   * Removes a listener added with {@linkcode RoomConnection.on}.
   *
   * @template {keyof RoomEventMap} K
   * @param {K} type
   * @param {(value: RoomEventMap[K]) => void} listener
   * @returns {void}
   */
  off<K extends keyof RoomEventMap>(type: K, listener: (value: RoomEventMap[K]) => void): void;
  /**
   * Sends a message and resolves with it as delivered, once the server echoes
   * its nonce. Messages sent while reconnecting are written once the connection
   * is back.
   *
   * @param {string} text
   * @returns {Promise<ChatMessage>}
   * @throws {RangeError} when the server would refuse the text (empty, too long)
   * @throws {ClosedError | ApiError} when the connection has ended
   * @throws {TimeoutError} when no echo arrives within `sendTimeoutMs`
   */
  send(text: string): Promise<ChatMessage>;
  /**
   * Closes the connection for good; pending sends (and an unsettled `ready`)
   * are rejected with a {@linkcode ClosedError}.
   *
   * @returns {Promise<void>} resolved once the socket has closed
   */
  close(): Promise<void>;
  #private;
}
import type { ConnectionState } from "../client/types.js";
import type { RoomEventMap } from "../client/types.js";
import type { ChatMessage } from "../contract/mod.js";
import type { RoomConnectionInit } from "../client/types.js";
