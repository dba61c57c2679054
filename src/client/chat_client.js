// @ts-self-types="../client/chat_client.d.ts"
/**
 * A dependency-free client for the chat server, for browsers and Deno.
 *
 * `ChatClient` wraps the REST API (accounts, history, room information, the
 * directory, the caller's rooms and read state, rooms, direct messages,
 * moderation) and turns every error envelope into an {@linkcode ApiError}.
 * `ChatClient.join()` opens a {@linkcode RoomConnection}: it acknowledges each
 * `send()` when the server echoes the message's `nonce`, reconnects after a
 * dropped connection with exponential backoff and jitter, and resumes with
 * `?since=<last seq seen>`, dropping anything already seen, so nothing is lost
 * or doubled. `join(room, { v2: true })` speaks protocol v2: typed events
 * (`message`, `edit`, `delete`, `presence`, `join`, `leave`, `typing`, `read`,
 * `error`), `edit()`/`delete()` answered by reply errors instead of closes, a
 * throttled `typing()`, and an in-band token refresh with the `getToken`
 * option. Listen with `room.on(type, …)`; `await room.ready` waits for the
 * room's history.
 *
 * The wire contract (close codes, limits, room-name rules, error types,
 * message and event shapes) is re-exported from `../contract/mod.js`, which
 * the server uses too.
 *
 * The server serves this file at `/client.js` (types at `/client.d.ts`):
 *
 * ```js
 * import { ChatClient } from "http://localhost:8000/client.js";
 * const chat = new ChatClient({ baseUrl: "http://localhost:8000" });
 * await chat.login("alice", "correct horse");
 * const room = chat.join("lobby", { v2: true });
 * room.on("message", (m) => console.log(m.seq, m.sender.username, m.text));
 * room.on("typing", (e) => console.log(`${e.user.username} is typing…`));
 * await room.ready;
 * const sent = await room.send("hello");
 * await room.edit(sent.seq, "hello, world");
 * ```
 *
 * Its modules import each other as `../client/x.js`, which resolves to the
 * same file whether this one is loaded as `/client.js` or `/client/chat_client.js`.
 *
 * @module
 */
import { ApiError } from "../client/errors.js";
import { ModerationClient } from "../client/moderation_client.js";
import { roomPath } from "../client/rest_client.js";
import { RoomConnection } from "../client/room_connection.js";

export * from "../contract/mod.js";
export { CLOSE_CODES, CLOSE_REASONS, isFatalClose } from "../client/close_policy.js";
export { ApiError, ClosedError, ReplyError, TimeoutError } from "../client/errors.js";
export * from "../client/moderation_client.js";
export { RestClient } from "../client/rest_client.js";
export { RoomConnection } from "../client/room_connection.js";
export { textProblem } from "../client/text_problem.js";
export * from "../client/types.js";

/** @import { ChatClientOptions, JoinOptions } from "../client/types.js" */

/** Refused handshakes that REST can explain and a retry would repeat. */
const FINAL_STATUSES = new Set([400, 401, 403]);

/** A client of one chat server: its REST API and its room sockets. */
export class ChatClient extends ModerationClient {
  /** @type {typeof WebSocket} */
  #WebSocket;
  /** @type {(() => string | Promise<string>) | undefined} */
  #getToken;
  #tokenRefreshLeadMs;
  /** @type {Promise<string> | undefined} */
  #refreshing;

  /**
   * Makes a client of the server at `options.baseUrl` (in a page: the page's origin).
   *
   * @param {ChatClientOptions} [options]
   */
  constructor(options = {}) {
    super(options);
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#getToken = options.getToken;
    this.#tokenRefreshLeadMs = options.tokenRefreshLeadMs ?? 60_000;
  }

  /**
   * Asks `getToken()` for a fresh token now and keeps it (one call at a time:
   * rooms that ask together share it). Room connections call it by themselves
   * before the token's `exp`.
   *
   * @returns {Promise<string>}
   * @throws {TypeError} without a `getToken` option
   */
  refreshToken() {
    const getToken = this.#getToken;
    if (!getToken) return Promise.reject(new TypeError("ChatClient has no getToken option"));
    this.#refreshing ??= (async () => {
      try {
        const token = await getToken();
        if (typeof token !== "string" || token.length === 0) {
          throw new TypeError("getToken() did not return a token");
        }
        this.token = token;
        return token;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /**
   * Joins a room: with the token when logged in, read-only otherwise.
   *
   * @param {string} room
   * @param {JoinOptions} [options] `v2: true` for protocol v2
   * @returns {RoomConnection}
   */
  join(room, options = {}) {
    return new RoomConnection({
      room,
      url: this.url(roomPath(room, "/messages/ws"), true),
      token: this.token,
      userId: this.user?.id,
      WebSocket: this.#WebSocket,
      diagnose: () => this.#diagnose(room),
      history: (before, limit) => this.history(room, { before, limit }),
      roomInfo: () => this.roomInfo(room),
      markRead: (seq) => this.markRead(room, seq),
      refreshToken: this.#getToken ? () => this.refreshToken() : undefined,
      tokenRefreshLeadMs: this.#tokenRefreshLeadMs,
      options,
    });
  }

  /**
   * Finds out why a handshake failed, when REST can tell: a bad room name, a
   * bad or revoked token, a private room one is not a member of, a ban.
   *
   * @param {string} room
   * @returns {Promise<ApiError | undefined>}
   */
  async #diagnose(room) {
    try {
      await this.roomInfo(room);
    } catch (error) {
      if (error instanceof ApiError && FINAL_STATUSES.has(error.status)) return error;
    }
    if (!this.token) return undefined;
    try {
      await this.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return error;
    }
    try {
      // A ban from a public room shows only here (GET /rooms/:room answers it anyway).
      await this.listMembers(room);
    } catch (error) {
      if (error instanceof ApiError && FINAL_STATUSES.has(error.status)) return error;
    }
    return undefined;
  }
}
