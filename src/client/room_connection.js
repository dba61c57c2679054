// @ts-self-types="../client/room_connection.d.ts"
/**
 * A live connection to one room that survives dropped connections: it
 * acknowledges each `send()` by its echoed `nonce`, reconnects with
 * exponential backoff and jitter, and resumes with `?since=` (see
 * `recovery.js`), so nothing is lost or doubled.
 *
 * @module
 */
import { ABNORMAL_CLOSURE, CLOSE } from "../contract/mod.js";
import { isFatalClose } from "../client/close_policy.js";
import { ClosedError, TimeoutError } from "../client/errors.js";
import { Listeners } from "../client/listeners.js";
import { SeqRecovery } from "../client/recovery.js";
import { textProblem } from "../client/text_problem.js";

/**
 * @import { ChatMessage } from "../contract/mod.js"
 * @import { ConnectionState, ConnectionStatus, RoomConnectionInit, RoomEventMap } from "../client/types.js"
 */

/** @returns {string} a random nonce of 32 hex characters */
function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

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
  /**
   * Sends waiting for their echo, by nonce; `frame` is kept until written to a socket.
   * @type {Map<string, { resolve: (m: ChatMessage) => void, reject: (e: Error) => void,
   *   timer: ReturnType<typeof setTimeout>, frame: string | undefined }>}
   */
  #pending = new Map();
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
  /** @type {Promise<void> | undefined} */
  #ready;
  /** @type {{ resolve: () => void, reject: (error: Error) => void } | undefined} */
  #settleReady;
  /** The room's last seq when `ready` was first asked for. @type {number | undefined} */
  #readyTarget;
  #askingTarget = false;

  /**
   * Starts connecting (in a microtask); use `ChatClient.join()` rather than this.
   *
   * @param {RoomConnectionInit} init
   */
  constructor(init) {
    this.#init = init;
    /** The room's name. @type {string} */
    this.room = init.room;
    /** True without a token: `send()` would end the connection with 1008 `READ_ONLY`. */
    this.readOnly = !init.token;
    this.#recovery = new SeqRecovery({
      since: init.options.since,
      history: init.history,
      deliver: (message) => this.#deliver(message),
      stopped: () => this.#state === "closed",
    });
    const { onMessage, onStatus, onError } = init.options;
    if (onMessage) this.#listeners.on("message", onMessage);
    if (onStatus) this.#listeners.on("status", onStatus);
    if (onError) this.#listeners.on("error", onError);
    /**
     * Settles when the connection ends for good: with the error that ended it,
     * or `undefined` after `close()`.
     * @type {Promise<Error | undefined>}
     */
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    // In a microtask, so that callbacks may already refer to this connection.
    queueMicrotask(() => {
      if (!this.#userClosed && this.#state !== "closed") this.#connect();
    });
  }

  /** The current state. @returns {ConnectionState} */
  get state() {
    return this.#state;
  }

  /** The highest `seq` delivered so far (or the `since` joined with). @returns {number | undefined} */
  get lastSeq() {
    return this.#recovery.lastSeq;
  }

  /**
   * Resolves once the connection has joined and delivered the room's history:
   * every message up to the room's last `seq` at the time `ready` was first
   * read (asked once with `GET /rooms/:room` after the socket opens). Rejects
   * with the closing error if the connection ends for good first, `close()`
   * included.
   *
   * @returns {Promise<void>}
   */
  get ready() {
    if (this.#ready) return this.#ready;
    this.#ready = new Promise((resolve, reject) => (this.#settleReady = { resolve, reject }));
    if (this.#state === "closed") this.#rejectReady();
    else if (this.#state === "open") this.#askReadyTarget();
    return this.#ready;
  }

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
   * its nonce. Messages sent while reconnecting are written once the connection
   * is back.
   *
   * @param {string} text
   * @returns {Promise<ChatMessage>}
   * @throws {RangeError} when the server would refuse the text (empty, too long)
   * @throws {ClosedError | ApiError} when the connection has ended
   * @throws {TimeoutError} when no echo arrives within `sendTimeoutMs`
   */
  send(text) {
    if (this.#state === "closed") {
      return Promise.reject(this.#error ?? this.#closedByClient("Connection is closed"));
    }
    const problem = textProblem(text);
    if (problem) return Promise.reject(new RangeError(problem));
    const nonce = newNonce();
    const frame = JSON.stringify({ text, nonce });
    const timeoutMs = this.#init.options.sendTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(nonce);
        reject(new TimeoutError(`No acknowledgement within ${timeoutMs} ms`));
      }, timeoutMs);
      const pending = { resolve, reject, timer, frame: /** @type {string | undefined} */ (frame) };
      this.#pending.set(nonce, pending);
      const socket = this.#socket;
      if (socket && socket.readyState === socket.OPEN) {
        socket.send(frame);
        pending.frame = undefined;
      }
    });
  }

  /**
   * Closes the connection for good; pending sends (and an unsettled `ready`)
   * are rejected with a {@linkcode ClosedError}.
   *
   * @returns {Promise<void>} resolved once the socket has closed
   */
  close() {
    if (this.#state === "closed" && !this.#socket) return Promise.resolve();
    this.#userClosed = true;
    const socket = this.#socket;
    const closed = socket && socket.readyState !== socket.CLOSED
      ? new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }))
      : Promise.resolve();
    if (socket && socket.readyState <= socket.OPEN) socket.close(CLOSE.NORMAL.code);
    this.#finish(undefined, { code: CLOSE.NORMAL.code, reason: CLOSE.NORMAL.reason });
    return closed.then(() => {});
  }

  /** @param {string} message */
  #closedByClient(message) {
    return new ClosedError(CLOSE.NORMAL.code, CLOSE.NORMAL.reason, message);
  }

  #connect() {
    const { url, token, options } = this.#init;
    const target = new URL(url);
    if (options.batch) target.searchParams.set("batch", "1");
    const since = this.#recovery.lastSeq;
    if (since !== undefined) target.searchParams.set("since", String(since));
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
      for (const pending of this.#pending.values()) {
        if (pending.frame === undefined) continue;
        socket.send(pending.frame);
        pending.frame = undefined;
      }
      if (this.#settleReady) this.#askReadyTarget();
    });
    socket.addEventListener("message", (event) => {
      if (this.#socket !== socket || typeof event.data !== "string") return;
      /** @type {unknown} */
      let parsed;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#recovery.receive(Array.isArray(parsed) ? parsed : [parsed]);
    });
    socket.addEventListener("close", (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#userClosed || this.#state === "closed") return;
      // Deno reports a dropped connection as code 0; browsers as 1006.
      const code = event.code || ABNORMAL_CLOSURE;
      const reason = event.reason;
      if (isFatalClose(code)) {
        return this.#finish(new ClosedError(code, reason), { code, reason });
      }
      if (opened) {
        this.#recovery.resumePoint();
        return this.#scheduleReconnect(code, reason);
      }
      // The handshake failed: browsers do not show the HTTP answer, so ask REST why.
      this.#init.diagnose().then((error) => {
        if (this.#userClosed || this.#state === "closed") return;
        if (error) this.#finish(error, { code, reason });
        else this.#scheduleReconnect(code, reason);
      });
    });
  }

  /** @param {ChatMessage} value */
  #deliver(value) {
    this.#listeners.emit("message", value);
    this.#checkReady();
    if (value.nonce === undefined) return;
    const pending = this.#pending.get(value.nonce);
    if (!pending) return;
    if (this.#init.userId !== undefined && value.sender.id !== this.#init.userId) return;
    this.#pending.delete(value.nonce);
    clearTimeout(pending.timer);
    pending.resolve(value);
  }

  /** Learns the seq `ready` waits for; a failed ask is repeated on the next open. */
  #askReadyTarget() {
    if (this.#readyTarget !== undefined || this.#askingTarget) return;
    this.#askingTarget = true;
    this.#init.roomInfo().then(
      (info) => {
        this.#readyTarget = info.lastSeq;
        this.#checkReady();
      },
      () => {},
    ).finally(() => (this.#askingTarget = false));
  }

  #checkReady() {
    const target = this.#readyTarget;
    if (!this.#settleReady || target === undefined || this.#state === "closed") return;
    if ((this.#recovery.lastSeq ?? 0) < target) return;
    this.#settleReady.resolve();
    this.#settleReady = undefined;
  }

  #rejectReady() {
    this.#settleReady?.reject(
      this.#error ?? this.#closedByClient("Connection closed by the client"),
    );
    this.#settleReady = undefined;
  }

  /**
   * @param {number} code
   * @param {string} reason
   */
  #scheduleReconnect(code, reason) {
    const { minReconnectDelayMs = 500, maxReconnectDelayMs = 15_000 } = this.#init.options;
    const ceiling = Math.min(maxReconnectDelayMs, minReconnectDelayMs * 2 ** this.#attempt);
    // "Equal jitter": half fixed, half random, so clients that dropped together spread out.
    const delayMs = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.#attempt += 1;
    this.#setState({ state: "reconnecting", attempt: this.#attempt, delayMs, code, reason });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#userClosed && this.#state !== "closed") this.#connect();
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
    const failure = error ??
      new ClosedError(close.code, close.reason, "Connection closed by the client");
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(failure);
    }
    this.#pending.clear();
    this.#rejectReady();
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
