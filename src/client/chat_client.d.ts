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
export * from "../contract/mod.js";
export * from "../client/moderation_client.js";
export * from "../client/types.js";
export { RestClient } from "../client/rest_client.js";
export { RoomConnection } from "../client/room_connection.js";
export { textProblem } from "../client/text_problem.js";
/** A client of one chat server: its REST API and its room sockets. */
export class ChatClient extends ModerationClient {
  /**
   * Asks `getToken()` for a fresh token now and keeps it (one call at a time:
   * rooms that ask together share it). Room connections call it by themselves
   * before the token's `exp`.
   *
   * @returns {Promise<string>}
   * @throws {TypeError} without a `getToken` option
   */
  refreshToken(): Promise<string>;
  /**
   * Joins a room: with the token when logged in, read-only otherwise.
   *
   * @param {string} room
   * @param {JoinOptions} [options] `v2: true` for protocol v2
   * @returns {RoomConnection}
   */
  join(room: string, options?: JoinOptions): RoomConnection;
  #private;
}
import type { ModerationClient } from "../client/moderation_client.js";
import type { JoinOptions } from "../client/types.js";
import type { RoomConnection } from "../client/room_connection.js";
export { CLOSE_CODES, CLOSE_REASONS, isFatalClose } from "../client/close_policy.js";
export { ApiError, ClosedError, ReplyError, TimeoutError } from "../client/errors.js";
