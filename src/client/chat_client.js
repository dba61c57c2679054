// @ts-check
/**
 * A dependency-free client for the chat server, for browsers and Deno.
 *
 * `ChatClient` wraps the REST API (sign-up, login, history, room info,
 * presence) and turns every error envelope into an {@linkcode ApiError}.
 * `ChatClient.join()` opens a {@linkcode RoomConnection}: it acknowledges each
 * `send()` when the server echoes the message's `nonce`, reconnects after a
 * dropped connection with exponential backoff and jitter, and resumes with
 * `?since=<last seq seen>`, dropping anything already seen, so nothing is lost
 * or doubled.
 *
 * The server serves this file at `/client.js`:
 *
 * ```js
 * import { ChatClient } from "http://localhost:8000/client.js";
 * const chat = new ChatClient({ baseUrl: "http://localhost:8000" });
 * await chat.login("alice", "correct horse");
 * const room = chat.join("lobby", { onMessage: (m) => console.log(m.sender.username, m.text) });
 * await room.send("hello");
 * ```
 *
 * @module
 */

/**
 * A user as the server shows it.
 * @typedef {{ id: number, username: string }} User
 */

/**
 * One chat message as the server delivers it.
 * @typedef {object} ChatMessage
 * @property {string} id
 * @property {number} seq The room's own gapless counter, from 1.
 * @property {string} room
 * @property {User} sender
 * @property {string} text
 * @property {number} createTime Unix seconds.
 * @property {string} createdAt ISO 8601 with milliseconds.
 * @property {string} [nonce] The sender's correlation value, when it sent one.
 */

/**
 * A page of room history, oldest first.
 * @typedef {{ messages: ChatMessage[], hasMore: boolean }} HistoryPage
 */

/**
 * What `GET /rooms/:room` returns.
 * @typedef {{ name: string, lastSeq: number, online: { users: number, anonymous: number } }} RoomInfo
 */

/**
 * Who is connected to a room now.
 * @typedef {{ users: User[], anonymous: number }} RoomUsers
 */

/**
 * What a successful login returns.
 * @typedef {{ token: string, user: User }} LoginResult
 */

/**
 * The state of a room connection.
 * @typedef {"connecting" | "open" | "reconnecting" | "closed"} ConnectionState
 */

/**
 * What `onStatus` receives whenever the connection's state changes.
 * @typedef {object} ConnectionStatus
 * @property {ConnectionState} state
 * @property {number} attempt Reconnect attempts since the last open connection.
 * @property {number} [delayMs] With `reconnecting`: the wait before the next attempt.
 * @property {number} [code] With `reconnecting` and `closed`: the close code that caused it.
 * @property {string} [reason] With `reconnecting` and `closed`: the close reason.
 * @property {Error} [error] With `closed`: why it closed for good (`undefined` after `close()`).
 */

/**
 * Options of {@linkcode ChatClient.join}.
 * @typedef {object} JoinOptions
 * @property {boolean} [batch] Join with `?batch=1` (several messages per frame).
 * @property {number} [since] Start after this `seq` instead of with the latest 50 messages.
 * @property {(message: ChatMessage) => void} [onMessage] Called once per message, in `seq` order.
 * @property {(status: ConnectionStatus) => void} [onStatus] Called on every state change.
 * @property {(error: Error) => void} [onError] Called once when the connection ends for good
 *   because of an error: a {@linkcode ClosedError} or an {@linkcode ApiError}.
 * @property {number} [sendTimeoutMs] How long `send()` waits for its echo (default 10,000).
 * @property {number} [minReconnectDelayMs] First reconnect delay before jitter (default 500).
 * @property {number} [maxReconnectDelayMs] Longest reconnect delay (default 15,000).
 */

/**
 * Options of {@linkcode ChatClient}.
 * @typedef {object} ChatClientOptions
 * @property {string} [baseUrl] The server's origin, e.g. `http://localhost:8000`;
 *   defaults to the page's own origin in a browser.
 * @property {string} [token] A token from an earlier login.
 * @property {User} [user] The token's user, when known.
 * @property {typeof fetch} [fetch] A `fetch` to use instead of the global one.
 * @property {typeof WebSocket} [WebSocket] A `WebSocket` to use instead of the global one.
 */

/** WebSocket close codes the server uses (CONTRACT §3), plus 1006 for a dropped connection. */
export const CLOSE_CODES = Object.freeze({
  NORMAL: 1000,
  SHUTDOWN: 1001,
  BINARY_NOT_SUPPORTED: 1003,
  ABNORMAL: 1006,
  BAD_MESSAGE: 1007,
  POLICY: 1008,
  TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  SLOW_CONSUMER: 1013,
});

/** The close reasons the server sends with its close codes (CONTRACT §3). */
export const CLOSE_REASONS = Object.freeze({
  SHUTDOWN: "SHUTDOWN",
  BINARY_NOT_SUPPORTED: "BINARY_NOT_SUPPORTED",
  BAD_MESSAGE: "BAD_MESSAGE",
  READ_ONLY: "READ_ONLY",
  RATE_LIMITED: "RATE_LIMITED",
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
  TOO_BIG: "TOO_BIG",
  INTERNAL_ERROR: "INTERNAL_ERROR",
  SLOW_CONSUMER: "SLOW_CONSUMER",
});

/** The most characters (code points) a message's text may have. */
export const MAX_TEXT_CHARS = 4000;

/** @type {ReadonlySet<number>} */
const FATAL_CLOSE_CODES = new Set([
  CLOSE_CODES.BINARY_NOT_SUPPORTED,
  CLOSE_CODES.BAD_MESSAGE,
  CLOSE_CODES.POLICY,
  CLOSE_CODES.TOO_BIG,
]);

/**
 * Whether a close code ends a connection for good: reconnecting would only
 * repeat it (1003, 1007, 1008 `READ_ONLY`/`RATE_LIMITED`/`TOKEN_EXPIRED`, 1009).
 *
 * @param {number} code
 * @returns {boolean}
 */
export function isFatalClose(code) {
  return FATAL_CLOSE_CODES.has(code);
}

/** An error envelope from the server (`{"error": {"type", "message"}}`), or a failed request. */
export class ApiError extends Error {
  /**
   * @param {number} status The HTTP status; 0 when the server could not be reached.
   * @param {string} type The envelope's `error.type`, e.g. `USER_EXISTS`; `NETWORK_ERROR`
   *   when the server could not be reached, `BAD_RESPONSE` when it did not answer with an envelope.
   * @param {string} message
   * @param {{ retryAfter?: number, cause?: unknown }} [options] `retryAfter`: seconds, from `Retry-After`.
   */
  constructor(status, type, message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    /** @type {number} */
    this.status = status;
    /** @type {string} */
    this.type = type;
    /** @type {number | undefined} */
    this.retryAfter = options.retryAfter;
  }
}

/** A room connection that closed: the close code and reason. */
export class ClosedError extends Error {
  /**
   * @param {number} code
   * @param {string} reason
   * @param {string} [message]
   */
  constructor(code, reason, message) {
    super(message ?? `Connection closed with ${code}${reason ? ` ${reason}` : ""}`);
    this.name = "ClosedError";
    /** @type {number} */
    this.code = code;
    /** @type {string} */
    this.reason = reason;
  }
}

/** A `send()` whose echo did not arrive in time. The message may still be delivered later. */
export class TimeoutError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * Checks a message's text as the server will (trimmed non-empty, at most 4,000 code points).
 *
 * @param {string} text
 * @returns {string | undefined} why the text would be refused, or `undefined` when it is fine
 */
export function textProblem(text) {
  if (typeof text !== "string") return "Message must be a string";
  if (text.trim().length === 0) return "Message is empty";
  if (text.length > MAX_TEXT_CHARS && [...text].length > MAX_TEXT_CHARS) {
    return `Message is longer than ${MAX_TEXT_CHARS} characters`;
  }
  if (!text.isWellFormed()) return "Message has broken characters";
  return undefined;
}

/** @returns {string} a random nonce of 32 hex characters */
function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** @returns {string | undefined} */
function pageOrigin() {
  try {
    const origin = globalThis.location?.origin;
    return origin && origin !== "null" ? origin : undefined;
  } catch {
    return undefined; // Deno without --location.
  }
}

/**
 * @param {unknown} value
 * @returns {value is ChatMessage}
 */
function isMessage(value) {
  if (typeof value !== "object" || value === null) return false;
  const m = /** @type {Record<string, unknown>} */ (value);
  return typeof m.seq === "number" && typeof m.text === "string" &&
    typeof m.sender === "object" && m.sender !== null;
}

/** A client of one chat server. */
export class ChatClient {
  /** @type {typeof fetch} */
  #fetch;
  /** @type {typeof WebSocket} */
  #WebSocket;

  /** @param {ChatClientOptions} [options] */
  constructor(options = {}) {
    const baseUrl = options.baseUrl ?? pageOrigin();
    if (!baseUrl) throw new TypeError("ChatClient needs a baseUrl outside a browser page");
    /** The server's origin. @type {string} */
    this.baseUrl = new URL(baseUrl).origin;
    /** The token from the last login, sent with every join. @type {string | undefined} */
    this.token = options.token;
    /** The logged-in user, when known. @type {User | undefined} */
    this.user = options.user;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
  }

  /**
   * Creates an account.
   *
   * @param {string} username
   * @param {string} secret
   * @returns {Promise<User>}
   * @throws {ApiError} e.g. `USER_EXISTS`, `BAD_USERNAME`, `BAD_PASSWORD`
   */
  signUp(username, secret) {
    return this.#request("POST", "/api/v1/users", { username, secret });
  }

  /**
   * Logs in and keeps the token for later joins.
   *
   * @param {string} username
   * @param {string} secret
   * @returns {Promise<LoginResult>}
   * @throws {ApiError} e.g. `USER_NOT_FOUND`, `PASSWORD_MATCH_FAILED`, `RATE_LIMITED`
   */
  async login(username, secret) {
    /** @type {LoginResult} */
    const result = await this.#request("POST", "/api/v1/login", { username, secret });
    this.token = result.token;
    this.user = result.user;
    return result;
  }

  /** Forgets the token: later joins are read-only. */
  logout() {
    this.token = undefined;
    this.user = undefined;
  }

  /**
   * The token's user (`GET /users/me`).
   *
   * @returns {Promise<User>}
   * @throws {ApiError} `INVALID_AUTH_TOKEN` when the token is missing, invalid or expired
   */
  me() {
    return this.#request("GET", "/api/v1/users/me", undefined, true);
  }

  /**
   * A page of a room's history, oldest first: the page just before `before`, or the latest.
   *
   * @param {string} room
   * @param {{ before?: number, limit?: number }} [page] `limit` is 1 to 100 (server default 50)
   * @returns {Promise<HistoryPage>}
   */
  history(room, page = {}) {
    const query = new URLSearchParams();
    if (page.before !== undefined) query.set("before", String(page.before));
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    const qs = `${query}` ? `?${query}` : "";
    return this.#request("GET", `/api/v1/rooms/${encodeURIComponent(room)}/messages${qs}`);
  }

  /**
   * A room's name, last `seq` and how many are online.
   *
   * @param {string} room
   * @returns {Promise<RoomInfo>}
   */
  roomInfo(room) {
    return this.#request("GET", `/api/v1/rooms/${encodeURIComponent(room)}`);
  }

  /**
   * Who is connected to a room now.
   *
   * @param {string} room
   * @returns {Promise<RoomUsers>}
   */
  roomUsers(room) {
    return this.#request("GET", `/api/v1/rooms/${encodeURIComponent(room)}/users`);
  }

  /**
   * Joins a room: with the token when logged in, read-only otherwise.
   *
   * @param {string} room
   * @param {JoinOptions} [options]
   * @returns {RoomConnection}
   */
  join(room, options = {}) {
    return new RoomConnection({
      room,
      url: this.#url(`/api/v1/rooms/${encodeURIComponent(room)}/messages/ws`, true),
      token: this.token,
      userId: this.user?.id,
      WebSocket: this.#WebSocket,
      diagnose: () => this.#diagnose(room),
      history: (before) => this.history(room, { before, limit: 100 }),
      options,
    });
  }

  /**
   * Finds out why a handshake failed, when REST can tell: a bad room name or a bad token.
   *
   * @param {string} room
   * @returns {Promise<ApiError | undefined>}
   */
  async #diagnose(room) {
    try {
      await this.roomInfo(room);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) return error;
    }
    if (this.token) {
      try {
        await this.me();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return error;
      }
    }
    return undefined;
  }

  /**
   * @param {string} path
   * @param {boolean} [ws]
   */
  #url(path, ws = false) {
    const url = new URL(path, this.baseUrl);
    if (ws) url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url;
  }

  /**
   * Sends a request and unwraps the envelope.
   *
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {boolean} [auth] send the token as `Authorization: Bearer`
   * @returns {Promise<any>} the envelope's `data`
   */
  async #request(method, path, body, auth = false) {
    /** @type {Record<string, string>} */
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    /** @type {Response} */
    let response;
    try {
      response = await this.#fetch(this.#url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the server", { cause: error });
    }
    const text = await response.text().catch(() => "");
    /** @type {any} */
    let envelope;
    try {
      envelope = text ? JSON.parse(text) : undefined;
    } catch {
      envelope = undefined;
    }
    const retry = Number(response.headers.get("retry-after"));
    const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined;
    if (envelope && typeof envelope === "object" && envelope.error) {
      const { type, message } = envelope.error;
      throw new ApiError(
        response.status,
        typeof type === "string" ? type : "UNKNOWN_ERROR",
        typeof message === "string" ? message : `Request failed with ${response.status}`,
        { retryAfter },
      );
    }
    if (!response.ok || !envelope || typeof envelope !== "object" || !("data" in envelope)) {
      throw new ApiError(
        response.status,
        "BAD_RESPONSE",
        `The server answered ${method} ${path} with ${response.status} and no envelope`,
        { retryAfter },
      );
    }
    return envelope.data;
  }
}

/**
 * @typedef {object} PendingSend
 * @property {(message: ChatMessage) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {ReturnType<typeof setTimeout>} timer
 * @property {string | undefined} frame The frame, until it has been written to a socket.
 */

/**
 * @typedef {object} RoomConnectionInit
 * @property {string} room
 * @property {URL} url
 * @property {string | undefined} token
 * @property {number | undefined} userId
 * @property {typeof WebSocket} WebSocket
 * @property {() => Promise<ApiError | undefined>} diagnose
 * @property {(before: number) => Promise<HistoryPage>} history The page of 100 before a seq.
 * @property {JoinOptions} options
 */

/**
 * A live connection to one room that survives dropped connections. Made by
 * {@linkcode ChatClient.join}; it starts connecting in a microtask, so its
 * callbacks may refer to the connection `join()` returned.
 */
export class RoomConnection {
  /** @type {RoomConnectionInit} */
  #init;
  /** @type {WebSocket | undefined} */
  #socket;
  /** @type {Map<string, PendingSend>} */
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
  /** Messages that arrived after a gap, held while the gap is filled. @type {ChatMessage[] | undefined} */
  #held;

  /** @param {RoomConnectionInit} init */
  constructor(init) {
    this.#init = init;
    /** The room's name. @type {string} */
    this.room = init.room;
    /** True without a token: `send()` would end the connection with 1008 `READ_ONLY`. */
    this.readOnly = !init.token;
    /** The highest `seq` delivered so far. @type {number | undefined} */
    this.lastSeq = init.options.since;
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
      return Promise.reject(
        this.#error ?? new ClosedError(CLOSE_CODES.NORMAL, "", "Connection is closed"),
      );
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
      /** @type {PendingSend} */
      const pending = { resolve, reject, timer, frame };
      this.#pending.set(nonce, pending);
      const socket = this.#socket;
      if (socket && socket.readyState === socket.OPEN) {
        socket.send(frame);
        pending.frame = undefined;
      }
    });
  }

  /**
   * Closes the connection for good; pending sends are rejected with a {@linkcode ClosedError}.
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
    if (socket && socket.readyState <= socket.OPEN) socket.close(CLOSE_CODES.NORMAL);
    this.#finish(undefined, { code: CLOSE_CODES.NORMAL, reason: "" });
    return closed.then(() => {});
  }

  #connect() {
    const { url, token, options } = this.#init;
    const target = new URL(url);
    if (options.batch) target.searchParams.set("batch", "1");
    if (this.lastSeq !== undefined) target.searchParams.set("since", String(this.lastSeq));
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
      this.#receive(Array.isArray(parsed) ? parsed : [parsed]);
    });
    socket.addEventListener("close", (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#userClosed || this.#state === "closed") return;
      // Deno reports a dropped connection as code 0; browsers as 1006.
      const code = event.code || CLOSE_CODES.ABNORMAL;
      const reason = event.reason;
      if (isFatalClose(code)) {
        return this.#finish(new ClosedError(code, reason), { code, reason });
      }
      if (opened) {
        // Joined a room that showed nothing yet (it was empty): resume from its
        // start, or the next plain join would skip what came in meanwhile.
        if (this.lastSeq === undefined) this.lastSeq = 0;
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

  /**
   * Delivers messages in seq order. A message past a gap (more than a resume
   * sends, or a server that skipped one) is held until the gap is filled from
   * the REST history.
   *
   * @param {unknown[]} values
   */
  #receive(values) {
    for (const value of values) {
      if (!isMessage(value)) continue;
      if (this.#held) {
        this.#held.push(value);
      } else if (this.lastSeq !== undefined && value.seq > this.lastSeq + 1) {
        this.#held = [value];
        void this.#fillGap(value.seq);
      } else {
        this.#deliver(value);
      }
    }
  }

  /**
   * Reads the messages between `lastSeq` and `untilSeq` from the REST history,
   * delivers them, then the held ones. If the history cannot be read, the
   * held messages are delivered anyway rather than stalling the room.
   *
   * @param {number} untilSeq
   */
  async #fillGap(untilSeq) {
    const after = this.lastSeq ?? 0;
    /** @type {ChatMessage[]} */
    let found = [];
    let before = untilSeq;
    try {
      while (before - 1 > after && this.#state !== "closed") {
        const page = await this.#init.history(before);
        found = page.messages.concat(found);
        const first = page.messages[0];
        if (!first || !page.hasMore) break;
        before = first.seq;
      }
    } catch {
      // Deliver what arrived; the gap stays.
    }
    if (this.#state === "closed") return;
    for (const message of found) this.#deliver(message);
    const held = (this.#held ?? []).sort((a, b) => a.seq - b.seq);
    this.#held = undefined;
    // Whatever could not be filled is accepted, so a failing history cannot stall the room.
    const next = held[0];
    if (next && this.lastSeq !== undefined && next.seq > this.lastSeq + 1) {
      this.lastSeq = next.seq - 1;
    }
    this.#receive(held);
  }

  /** @param {ChatMessage} value */
  #deliver(value) {
    if (this.lastSeq !== undefined && value.seq <= this.lastSeq) return;
    this.lastSeq = value.seq;
    try {
      this.#init.options.onMessage?.(value);
    } catch (error) {
      globalThis.reportError(error);
    }
    if (value.nonce === undefined) return;
    const pending = this.#pending.get(value.nonce);
    if (!pending) return;
    if (this.#init.userId !== undefined && value.sender.id !== this.#init.userId) return;
    this.#pending.delete(value.nonce);
    clearTimeout(pending.timer);
    pending.resolve(value);
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
    this.#setState({ state: "closed", attempt: this.#attempt, ...close, error });
    if (error) this.#init.options.onError?.(error);
    this.#resolveEnded(error);
  }

  /** @param {ConnectionStatus} status */
  #setState(status) {
    this.#state = status.state;
    try {
      this.#init.options.onStatus?.(status);
    } catch (error) {
      globalThis.reportError(error);
    }
  }
}
