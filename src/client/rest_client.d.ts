/**
 * The REST half of the client: accounts, history, room information, the
 * public directory, the caller's rooms and read state, room creation and
 * direct messages. Moderation (`moderation_client.js`) and sockets
 * (`chat_client.js`) build on it.
 *
 * @module
 */
/**
 * `/api/v1/rooms/<room>` with the name encoded, plus `rest`.
 *
 * @param {string} room
 * @param {string} [rest]
 * @returns {string}
 */
export function roomPath(room: string, rest?: string): string;
/** A client of one chat server's REST API. */
export class RestClient {
  /**
   * Makes a client of the server at `options.baseUrl` (in a page: the page's origin).
   *
   * @param {ChatClientOptions} [options]
   */
  constructor(options?: ChatClientOptions);
  /** The server's origin. @type {string} */
  baseUrl: string;
  /** The token from the last login, sent with every request and join. @type {string | undefined} */
  token: string | undefined;
  /** The logged-in user, when known. @type {User | undefined} */
  user: User | undefined;
  /**
   * Sends one request to the API with the token (when there is one) and
   * unwraps its envelope: for routes this class has no method for.
   *
   * @param {string} method
   * @param {string} path e.g. `/api/v1/rooms/lobby`
   * @param {unknown} [body] sent as JSON
   * @returns {Promise<unknown>} the envelope's `data` (each method here names its shape)
   * @throws {ApiError} the envelope's error, or `NETWORK_ERROR` / `BAD_RESPONSE`
   */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  /**
   * An address on the server, with `ws:`/`wss:` for sockets.
   *
   * @param {string} path
   * @param {boolean} [ws]
   * @returns {URL}
   */
  url(path: string, ws?: boolean): URL;
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
   * Logs in and keeps the token for later requests and joins.
   *
   * @param {string} username
   * @param {string} secret
   * @returns {Promise<LoginResult>}
   * @throws {ApiError} e.g. `USER_NOT_FOUND`, `PASSWORD_MATCH_FAILED`, `USER_BANNED`, `RATE_LIMITED`
   */
  login(username: string, secret: string): Promise<LoginResult>;
  /**
   * Logs out: revokes the token on the server (`POST /logout`; with `all`,
   * every token of the user, so every device is logged out), then forgets it.
   * The token is forgotten even when the server cannot be told.
   *
   * @param {{ all?: boolean }} [options]
   * @returns {Promise<void>}
   * @throws {ApiError} when the server could not revoke it (the token is forgotten anyway)
   */
  logout(options?: {
    all?: boolean;
  }): Promise<void>;
  /** Forgets the token and user without telling the server: later joins are read-only. */
  forget(): void;
  /**
   * The token's user (`GET /users/me`).
   *
   * @returns {Promise<User>}
   * @throws {ApiError} `INVALID_AUTH_TOKEN` when the token is missing, invalid, expired or revoked
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
   * A page of the public directory, most recently active first.
   *
   * @param {{ cursor?: string, limit?: number }} [page] `cursor` is the previous page's `next`
   * @returns {Promise<DirectoryPage>}
   */
  listRooms(page?: {
    cursor?: string;
    limit?: number;
  }): Promise<DirectoryPage>;
  /**
   * The caller's rooms (memberships and rooms it posted in), with `lastRead`,
   * `lastSeq` and `unread`.
   *
   * @returns {Promise<UserRoom[]>}
   * @throws {ApiError} `INVALID_AUTH_TOKEN` without a valid token
   */
  myRooms(): Promise<UserRoom[]>;
  /**
   * Moves the caller's read position in a room to `seq` (`PUT /rooms/:room/read`).
   *
   * @param {string} room
   * @param {number} seq
   * @returns {Promise<{ room: string, lastRead: number }>} the position the server now keeps
   */
  markRead(room: string, seq: number): Promise<{
    room: string;
    lastRead: number;
  }>;
  /**
   * Creates a room the caller owns.
   *
   * @param {string} name
   * @param {NewRoomOptions} [options] `visibility` defaults to `public`
   * @returns {Promise<Room>}
   * @throws {ApiError} `ROOM_EXISTS`, `BAD_ROOM_NAME`, `INVALID_AUTH_TOKEN`
   */
  createRoom(name: string, options?: NewRoomOptions): Promise<Room>;
  /**
   * The direct-message room of the caller and another user: the same private
   * room every time, whoever asks.
   *
   * @param {number} userId
   * @returns {Promise<Room>}
   * @throws {ApiError} `USER_NOT_FOUND`, `INVALID_AUTH_TOKEN`
   */
  openDm(userId: number): Promise<Room>;
  #private;
}
import type { User } from "../client/types.js";
import type { LoginResult } from "../contract/mod.js";
import type { HistoryPage } from "../contract/mod.js";
import type { RoomInfo } from "../contract/mod.js";
import type { RoomUsers } from "../contract/mod.js";
import type { DirectoryPage } from "../client/types.js";
import type { UserRoom } from "../client/types.js";
import type { NewRoomOptions } from "../client/types.js";
import type { Room } from "../client/types.js";
import type { ChatClientOptions } from "../client/types.js";
