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
export * from "../contract/mod.js";
export * from "../client/types.js";
export { RoomConnection } from "../client/room_connection.js";
export { textProblem } from "../client/text_problem.js";
/** A client of one chat server. */
export class ChatClient {
  /**
   * Makes a client of the server at `options.baseUrl` (in a page: the page's origin).
   *
   * @param {ChatClientOptions} [options]
   */
  constructor(options?: ChatClientOptions);
  /** The server's origin. @type {string} */
  baseUrl: string;
  /** The token from the last login, sent with every join. @type {string | undefined} */
  token: string | undefined;
  /** The logged-in user, when known. @type {User | undefined} */
  user: User | undefined;
  /**
   * Creates an account.
   *
   * @param {string} username
   * @param {string} secret
   * @returns {Promise<User>}
   * @throws {ApiError} e.g. `USER_EXISTS`, `BAD_USERNAME`, `BAD_PASSWORD`
   */
  signUp(username: string, secret: string): Promise<User>;
  /**
   * Logs in and keeps the token for later joins.
   *
   * @param {string} username
   * @param {string} secret
   * @returns {Promise<LoginResult>}
   * @throws {ApiError} e.g. `USER_NOT_FOUND`, `PASSWORD_MATCH_FAILED`, `RATE_LIMITED`
   */
  login(username: string, secret: string): Promise<LoginResult>;
  /** Forgets the token: later joins are read-only. */
  logout(): void;
  /**
   * The token's user (`GET /users/me`).
   *
   * @returns {Promise<User>}
   * @throws {ApiError} `INVALID_AUTH_TOKEN` when the token is missing, invalid or expired
   */
  me(): Promise<User>;
  /**
   * A page of a room's history, oldest first: the page just before `before`, or the latest.
   *
   * @param {string} room
   * @param {{ before?: number, limit?: number }} [page] `limit` is 1 to 100 (server default 50)
   * @returns {Promise<HistoryPage>}
   */
  history(room: string, page?: {
    before?: number;
    limit?: number;
  }): Promise<HistoryPage>;
  /**
   * A room's name, last `seq` and how many are online.
   *
   * @param {string} room
   * @returns {Promise<RoomInfo>}
   */
  roomInfo(room: string): Promise<RoomInfo>;
  /**
   * Who is connected to a room now.
   *
   * @param {string} room
   * @returns {Promise<RoomUsers>}
   */
  roomUsers(room: string): Promise<RoomUsers>;
  /**
   * Joins a room: with the token when logged in, read-only otherwise.
   *
   * @param {string} room
   * @param {JoinOptions} [options]
   * @returns {RoomConnection}
   */
  join(room: string, options?: JoinOptions): RoomConnection;
  #private;
}
import type { User } from "../client/types.js";
import type { LoginResult } from "../contract/mod.js";
import type { HistoryPage } from "../contract/mod.js";
import type { RoomInfo } from "../contract/mod.js";
import type { RoomUsers } from "../contract/mod.js";
import type { JoinOptions } from "../client/types.js";
import type { RoomConnection } from "../client/room_connection.js";
import type { ChatClientOptions } from "../client/types.js";
export { CLOSE_CODES, CLOSE_REASONS, isFatalClose } from "../client/close_policy.js";
export { ApiError, ClosedError, TimeoutError } from "../client/errors.js";
