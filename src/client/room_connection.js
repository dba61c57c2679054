// @ts-self-types="../client/room_connection.d.ts"
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
import { ABNORMAL_CLOSURE, CLOSE, TYPING_INTERVAL_MS } from "../contract/mod.js";
import { isFatalClose, reconnectDelayMs } from "../client/close_policy.js";
import { ClosedError } from "../client/errors.js";
import { EventRouter } from "../client/event_router.js";
import { Listeners } from "../client/listeners.js";
import { PendingReplies } from "../client/pending_replies.js";
import { ReadyGate } from "../client/ready_gate.js";
import { SeqRecovery } from "../client/recovery.js";
import { textProblem } from "../client/text_problem.js";
import { Throttle } from "../client/throttle.js";
import { TokenRefresher } from "../client/token_refresher.js";
import { closeSocket, frameValues, socketUrl, writeFrame } from "../client/wire.js";

/**
 * @import { DeleteEvent, EditEvent } from "../contract/mod.js"
 * @import { ReplyKind } from "../client/pending_replies.js"
 * @import { ConnectionState, ConnectionStatus, RoomConnectionInit, RoomEventMap, RoomMessage } from "../client/types.js"
 */

/**
 * A live connection to one room. Made by `ChatClient.join()`; it starts
 * connecting in a microtask, so its callbacks may refer to the connection
 * `join()` returned.
 */
export class RoomConnection {
  /** @type {RoomConnectionInit} */
  #init;
  /** @type {WebSocket | undefined} */
  #socket;
  #pending = new PendingReplies();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #retryTimer;
  #attempt = 0;
  #userClosed = false;
  /** @type {ConnectionState} */
  #state = "connecting";
  /** @type {Error | undefined} */
  #error;
  /** @type {(value: Error | undefined) => void} */
  #resolveEnded = () => {};
  /** @type {Listeners<RoomEventMap>} */
  #listeners = new Listeners();
  /** @type {SeqRecovery} */
  #recovery;
  /** @type {ReadyGate} */
  #ready;
  /** @type {TokenRefresher} */
  #tokens;
  /** @type {EventRouter} */
  #router;
  #typing = new Throttle(TYPING_INTERVAL_MS);

  /**
   * Starts connecting (in a microtask); use `ChatClient.join()` rather than this.
   *
   * @param {RoomConnectionInit} init
   */
  constructor(init) {
    this.#init = init;
    /** The room's name. @type {string} */
    this.room = init.room;
    /** Whether it speaks protocol v2 (`?v=2`). @type {boolean} */
    this.v2 = init.options.v2 === true;
    /** True without a token: `send()` would end the connection with 1008 `READ_ONLY`. */
    this.readOnly = !init.token;
    this.#router = new EventRouter({
      v2: this.v2,
      listeners: this.#listeners,
      pending: this.#pending,
      userId: init.userId,
      sequenced: (values) => this.#recovery.receive(values),
    });
    this.#recovery = new SeqRecovery({
      since: init.options.since,
      history: init.history,
      deliver: (value) => {
        this.#router.logged(value);
        this.#ready.progressed();
      },
      stopped: () => this.#state === "closed",
      fillGaps: !this.v2,
    });
    this.#ready = new ReadyGate({
      // v1 sees only messages: the newest message's seq, not the log's (an edit may follow it).
      lastSeq: () =>
        this.v2
          ? init.roomInfo().then((info) => info.lastSeq)
          : init.history(undefined, 1).then((page) => page.messages.at(-1)?.seq ?? 0),
      position: () => this.#recovery.lastSeq,
    });
    this.#tokens = new TokenRefresher({
      token: init.token,
      refresh: init.refreshToken,
      leadMs: init.tokenRefreshLeadMs,
      send: (token) => this.#write({ type: "auth", token }),
      failed: (error) => this.#listeners.emit("error", error),
    });
    const { onMessage, onStatus, onError } = init.options;
    if (onMessage) this.#listeners.on("message", onMessage);
    if (onStatus) this.#listeners.on("status", onStatus);
    if (onError) this.#listeners.on("error", onError);
    /**
     * Settles when it ends for good: with the error that ended it, or `undefined` after `close()`.
     * @type {Promise<Error | undefined>}
     */
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    // In a microtask, so that callbacks may already refer to this connection.
    queueMicrotask(() => void this.#connect());
  }

  /** The current state. @returns {ConnectionState} */
  get state() {
    return this.#state;
  }

  /**
   * The highest `seq` delivered so far (or the `since` joined with): of a
   * message in v1, of any logged event (message, edit, delete) in v2.
   *
   * @returns {number | undefined}
   */
  get lastSeq() {
    return this.#recovery.lastSeq;
  }

  /**
   * Resolves once the connection has joined and delivered the room's history:
   * everything up to the room's last `seq` at the time `ready` was first
   * read (asked once over REST after the socket opens: the log's last `seq`
   * in v2, the newest message's in v1). Rejects with the closing error if the
   * connection ends for good first, `close()` included.
   *
   * @returns {Promise<void>}
   */
  get ready() {
    return this.#ready.promise;
  }

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
  on(type, listener) {
    return this.#listeners.on(type, listener);
  }

  /**
   * Removes a listener added with {@linkcode RoomConnection.on}.
   *
   * @template {keyof RoomEventMap} K
   * @param {K} type
   * @param {(value: RoomEventMap[K]) => void} listener
   * @returns {void}
   */
  off(type, listener) {
    this.#listeners.off(type, listener);
  }

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
  send(text, options = {}) {
    /** @type {Record<string, unknown>} */
    const frame = this.v2 ? { type: "message", text } : { text };
    if (this.v2 && options.replyTo !== undefined) frame.replyTo = options.replyTo;
    return this.#request("message", frame, textProblem(text));
  }

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
  edit(seq, text) {
    const problem = this.v2 ? textProblem(text) : "Editing needs a v2 connection";
    return this.#request("edit", { type: "edit", target: seq, text }, problem);
  }

  /**
   * Deletes a message (v2): one's own, or any as the room's owner or
   * moderator or a server admin. Resolves with the `delete` event.
   *
   * @param {number} seq the message's `seq`
   * @returns {Promise<DeleteEvent>}
   * @throws {RangeError} on a v1 connection
   * @throws {ReplyError} e.g. `FORBIDDEN`, `MESSAGE_NOT_FOUND`
   */
  delete(seq) {
    const problem = this.v2 ? undefined : "Deleting needs a v2 connection";
    return this.#request("delete", { type: "delete", target: seq }, problem);
  }

  /**
   * Says the user is typing (v2): call it on every keystroke; a `typing`
   * frame goes out at most once per `TYPING_INTERVAL_MS` (2 s), and only on an
   * open, signed-in connection.
   *
   * @returns {boolean} whether a frame was sent
   */
  typing() {
    if (!this.v2 || this.readOnly || this.#state !== "open") return false;
    return this.#typing.take() && this.#write({ type: "typing" });
  }

  /**
   * Moves the user's read position in the room to `seq`: a `read` frame on
   * an open v2 connection, else `PUT /rooms/:room/read`.
   *
   * @param {number} seq
   * @returns {Promise<void>}
   * @throws {ApiError} when the REST call fails
   */
  async markRead(seq) {
    if (this.readOnly) return;
    if (this.v2 && this.#write({ type: "read", seq })) return;
    await this.#init.markRead(seq);
  }

  /**
   * Closes the connection for good; pending requests (and an unsettled
   * `ready`) are rejected with a {@linkcode ClosedError}.
   *
   * @returns {Promise<void>} resolved once the socket has closed
   */
  close() {
    if (this.#state === "closed" && !this.#socket) return Promise.resolve();
    this.#userClosed = true;
    const closed = closeSocket(this.#socket, CLOSE.NORMAL.code);
    this.#finish(undefined, { code: CLOSE.NORMAL.code, reason: CLOSE.NORMAL.reason });
    return closed;
  }

  /**
   * @template T
   * @param {ReplyKind} kind
   * @param {Record<string, unknown>} frame
   * @param {string | undefined} problem why the client refuses it (a `RangeError`)
   * @returns {Promise<T>}
   */
  #request(kind, frame, problem) {
    if (this.#state === "closed") {
      const closed = new ClosedError(
        CLOSE.NORMAL.code,
        CLOSE.NORMAL.reason,
        "Connection is closed",
      );
      return Promise.reject(this.#error ?? closed);
    }
    if (problem) return Promise.reject(new RangeError(problem));
    const timeoutMs = this.#init.options.sendTimeoutMs ?? 10_000;
    return this.#pending.add(kind, frame, timeoutMs, this.#socket);
  }

  /** @param {Record<string, unknown>} frame @returns {boolean} whether it was written */
  #write(frame) {
    return writeFrame(this.#socket, frame);
  }

  #stopped() {
    return this.#userClosed || this.#state === "closed";
  }

  async #connect() {
    if (this.#stopped()) return;
    const token = await this.#tokens.current();
    if (this.#stopped()) return;
    const target = socketUrl(this.#init.url, {
      v2: this.v2,
      batch: this.#init.options.batch === true,
      since: this.#recovery.lastSeq,
    });
    this.#setState({ state: "connecting", attempt: this.#attempt });
    const socket = token
      ? new this.#init.WebSocket(target, [token])
      : new this.#init.WebSocket(target);
    this.#socket = socket;
    let opened = false;
    socket.addEventListener("open", () => {
      if (this.#socket !== socket) return;
      opened = true;
      this.#attempt = 0;
      this.#setState({ state: "open", attempt: 0 });
      this.#pending.writeUnsent(socket);
      this.#ready.opened();
      if (this.v2) this.#tokens.schedule();
    });
    socket.addEventListener("message", (event) => {
      if (this.#socket === socket) this.#router.frame(frameValues(event.data));
    });
    socket.addEventListener("close", (event) => this.#closed(socket, event, opened));
  }

  /**
   * @param {WebSocket} socket
   * @param {CloseEvent} event
   * @param {boolean} opened
   */
  #closed(socket, event, opened) {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#tokens.cancel();
    if (this.#stopped()) return;
    // Deno reports a dropped connection as code 0; browsers as 1006.
    const code = event.code || ABNORMAL_CLOSURE;
    const reason = event.reason;
    const renewable = reason === CLOSE.TOKEN_EXPIRED.reason && this.#tokens.canRefresh;
    if (isFatalClose(code) && !renewable) {
      return this.#finish(new ClosedError(code, reason), { code, reason });
    }
    if (renewable) this.#tokens.expired();
    if (opened) {
      this.#recovery.resumePoint();
      return this.#scheduleReconnect(code, reason);
    }
    // The handshake failed: browsers do not show the HTTP answer, so ask REST why.
    this.#init.diagnose().then((error) => {
      if (this.#stopped()) return;
      if (error) this.#finish(error, { code, reason });
      else this.#scheduleReconnect(code, reason);
    });
  }

  /**
   * @param {number} code
   * @param {string} reason
   */
  #scheduleReconnect(code, reason) {
    const { minReconnectDelayMs = 500, maxReconnectDelayMs = 15_000 } = this.#init.options;
    const delayMs = reconnectDelayMs(this.#attempt, minReconnectDelayMs, maxReconnectDelayMs);
    this.#attempt += 1;
    this.#setState({ state: "reconnecting", attempt: this.#attempt, delayMs, code, reason });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#connect();
    }, delayMs);
  }

  /**
   * @param {Error | undefined} error
   * @param {{ code: number, reason: string }} close
   */
  #finish(error, close) {
    if (this.#state === "closed") return;
    this.#error = error;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#tokens.cancel();
    const failure = error ??
      new ClosedError(close.code, close.reason, "Connection closed by the client");
    this.#pending.rejectAll(failure);
    this.#ready.ended(failure);
    this.#setState({ state: "closed", attempt: this.#attempt, ...close, error });
    if (error) this.#listeners.emit("error", error);
    this.#resolveEnded(error);
  }

  /** @param {ConnectionStatus} status */
  #setState(status) {
    this.#state = status.state;
    this.#listeners.emit("status", status);
  }
}
