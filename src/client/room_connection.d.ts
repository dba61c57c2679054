/**
 * A live connection to one room that survives dropped connections: it
 * acknowledges each request by its echoed `nonce` (`pending_replies.js`),
 * reconnects with exponential backoff and jitter, and resumes with `?since=`
 * (`recovery.js`), so nothing is lost or doubled. In v2 it also delivers the
 * typed events, edits, deletes, sends typing and read frames, and refreshes
 * its token in band before it expires.
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
  /** Whether it speaks protocol v2 (`?v=2`). @type {boolean} */
  v2: boolean;
  /** True without a token: `send()` would end the connection with 1008 `READ_ONLY`. */
  readOnly: boolean;
  /**
   * Settles when it ends for good: with the error that ended it, or `undefined` after `close()`.
   * @type {Promise<Error | undefined>}
   */
  ended: Promise<Error | undefined>;
  /** The current state. @returns {ConnectionState} */
  get state(): ConnectionState;
  /**
   * The highest `seq` delivered so far (or the `since` joined with): of a
   * message in v1, of any logged event (message, edit, delete) in v2.
   *
   * @returns {number | undefined}
   */
  get lastSeq(): number | undefined;
  /**
   * Resolves once the connection has joined and delivered the room's history:
   * everything up to the room's last `seq` at the time `ready` was first
   * read (asked once over REST after the socket opens: the log's last `seq`
   * in v2, the newest message's in v1). Rejects with the closing error if the
   * connection ends for good first, `close()` included.
   *
   * @returns {Promise<void>}
   */
  get ready(): Promise<void>;
  /**
   * Adds a listener of one event type (see {@linkcode RoomEventMap}). The
   * `onMessage`, `onStatus` and `onError` options are the first listeners of
   * their types.
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
   * its nonce. Requests made while reconnecting are written once the
   * connection is back.
   *
   * @param {string} text
   * @param {{ replyTo?: number }} [options] `replyTo` (v2): the `seq` of the message it answers
   * @returns {Promise<RoomMessage>}
   * @throws {RangeError} when the server would refuse the text (empty, too long)
   * @throws {ReplyError} (v2) when the server refuses it, e.g. `FORBIDDEN` when muted
   * @throws {ClosedError | ApiError} when the connection has ended
   * @throws {TimeoutError} when no echo arrives within `sendTimeoutMs`
   */
  send(text: string, options?: {
    replyTo?: number;
  }): Promise<RoomMessage>;
  /**
   * Replaces the text of one's own message (v2) and resolves with the `edit`
   * event once the server has logged it.
   *
   * @param {number} seq the message's `seq`
   * @param {string} text
   * @returns {Promise<EditEvent>}
   * @throws {RangeError} for text the server would refuse, or on a v1 connection
   * @throws {ReplyError} e.g. `FORBIDDEN` (not the author), `MESSAGE_NOT_FOUND`
   */
  edit(seq: number, text: string): Promise<EditEvent>;
  /**
   * Deletes a message (v2): one's own, or any as the room's owner or
   * moderator or a server admin. Resolves with the `delete` event.
   *
   * @param {number} seq the message's `seq`
   * @returns {Promise<DeleteEvent>}
   * @throws {RangeError} on a v1 connection
   * @throws {ReplyError} e.g. `FORBIDDEN`, `MESSAGE_NOT_FOUND`
   */
  delete(seq: number): Promise<DeleteEvent>;
  /**
   * Says the user is typing (v2): call it on every keystroke; a `typing`
   * frame goes out at most once per `TYPING_INTERVAL_MS` (2 s), and only on an
   * open, signed-in connection.
   *
   * @returns {boolean} whether a frame was sent
   */
  typing(): boolean;
  /**
   * Moves the user's read position in the room to `seq`: a `read` frame on
   * an open v2 connection, else `PUT /rooms/:room/read`.
   *
   * @param {number} seq
   * @returns {Promise<void>}
   * @throws {ApiError} when the REST call fails
   */
  markRead(seq: number): Promise<void>;
  /**
   * Closes the connection for good; pending requests (and an unsettled
   * `ready`) are rejected with a {@linkcode ClosedError}.
   *
   * @returns {Promise<void>} resolved once the socket has closed
   */
  close(): Promise<void>;
  #private;
}
import type { ConnectionState } from "../client/types.js";
import type { RoomEventMap } from "../client/types.js";
import type { RoomMessage } from "../client/types.js";
import type { EditEvent } from "../contract/mod.js";
import type { DeleteEvent } from "../contract/mod.js";
import type { RoomConnectionInit } from "../client/types.js";
