// @ts-self-types="../client/chat_client.d.ts"
/**
 * A dependency-free client for the chat server, for browsers and Deno.
 *
 * `ChatClient` wraps the REST API (sign-up, login, history, room info,
 * presence) and turns every error envelope into an {@linkcode ApiError}.
 * `ChatClient.join()` opens a {@linkcode RoomConnection}: it acknowledges each
 * `send()` when the server echoes the message's `nonce`, reconnects after a
 * dropped connection with exponential backoff and jitter, and resumes with
 * `?since=<last seq seen>`, dropping anything already seen, so nothing is lost
 * or doubled. Listen with the `onMessage`/`onStatus`/`onError` options or with
 * `room.on("message", …)`; `await room.ready` waits for the room's history.
 *
 * The wire contract (close codes, limits, room-name rules, error types, message
 * shapes) is re-exported from `../contract/mod.js`, which the server uses too.
 *
 * The server serves this file at `/client.js` (types at `/client.d.ts`):
 *
 * ```js
 * import { ChatClient } from "http://localhost:8000/client.js";
 * const chat = new ChatClient({ baseUrl: "http://localhost:8000" });
 * await chat.login("alice", "correct horse");
 * const room = chat.join("lobby", { onMessage: (m) => console.log(m.sender.username, m.text) });
 * await room.ready;
 * await room.send("hello");
 * ```
 *
 * Its modules import each other as `../client/x.js`, which resolves to the
 * same file whether this one is loaded as `/client.js` or `/client/chat_client.js`.
 *
 * @module
 */
import { ApiError } from "../client/errors.js";
import { RoomConnection } from "../client/room_connection.js";

export * from "../contract/mod.js";
export { CLOSE_CODES, CLOSE_REASONS, isFatalClose } from "../client/close_policy.js";
export { ApiError, ClosedError, TimeoutError } from "../client/errors.js";
export { RoomConnection } from "../client/room_connection.js";
export { textProblem } from "../client/text_problem.js";
export * from "../client/types.js";

/**
 * @import { HistoryPage, LoginResult, RoomInfo, RoomUsers } from "../contract/mod.js"
 * @import { ChatClientOptions, JoinOptions, User } from "../client/types.js"
 */

/** @returns {string | undefined} */
function pageOrigin() {
  try {
    const origin = globalThis.location?.origin;
    return origin && origin !== "null" ? origin : undefined;
  } catch {
    return undefined; // Deno without --location.
  }
}

/** A client of one chat server. */
export class ChatClient {
  /** @type {typeof fetch} */
  #fetch;
  /** @type {typeof WebSocket} */
  #WebSocket;

  /**
   * Makes a client of the server at `options.baseUrl` (in a page: the page's origin).
   *
   * @param {ChatClientOptions} [options]
   */
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
      history: (before, limit) => this.history(room, { before, limit }),
      roomInfo: () => this.roomInfo(room),
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
