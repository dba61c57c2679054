// @ts-self-types="../client/rest_client.d.ts"
/**
 * The REST half of the client: accounts, history, room information, the
 * public directory, the caller's rooms and read state, room creation and
 * direct messages. Moderation (`moderation_client.js`) and sockets
 * (`chat_client.js`) build on it.
 *
 * @module
 */
import { requestData } from "../client/request.js";

/**
 * @import { HistoryPage, LoginResult, RoomInfo, RoomUsers } from "../contract/mod.js"
 * @import { ChatClientOptions, DirectoryPage, NewRoomOptions, Room, User, UserRoom } from "../client/types.js"
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

/**
 * `/api/v1/rooms/<room>` with the name encoded, plus `rest`.
 *
 * @param {string} room
 * @param {string} [rest]
 * @returns {string}
 */
export function roomPath(room, rest = "") {
  return `/api/v1/rooms/${encodeURIComponent(room)}${rest}`;
}

/** A client of one chat server's REST API. */
export class RestClient {
  /** @type {typeof fetch} */
  #fetch;

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
    /** The token from the last login, sent with every request and join. @type {string | undefined} */
    this.token = options.token;
    /** The logged-in user, when known. @type {User | undefined} */
    this.user = options.user;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

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
  request(method, path, body) {
    return requestData(this.#fetch, { method, url: this.url(path), body, token: this.token });
  }

  /**
   * An address on the server, with `ws:`/`wss:` for sockets.
   *
   * @param {string} path
   * @param {boolean} [ws]
   * @returns {URL}
   */
  url(path, ws = false) {
    const url = new URL(path, this.baseUrl);
    if (ws) url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url;
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
    return /** @type {Promise<User>} */ (requestData(this.#fetch, {
      method: "POST",
      url: this.url("/api/v1/users"),
      body: { username, secret },
    }));
  }

  /**
   * Logs in and keeps the token for later requests and joins.
   *
   * @param {string} username
   * @param {string} secret
   * @returns {Promise<LoginResult>}
   * @throws {ApiError} e.g. `USER_NOT_FOUND`, `PASSWORD_MATCH_FAILED`, `USER_BANNED`, `RATE_LIMITED`
   */
  async login(username, secret) {
    const result = /** @type {LoginResult} */ (await requestData(this.#fetch, {
      method: "POST",
      url: this.url("/api/v1/login"),
      body: { username, secret },
    }));
    this.token = result.token;
    this.user = result.user;
    return result;
  }

  /**
   * Logs out: revokes the token on the server (`POST /logout`; with `all`,
   * every token of the user, so every device is logged out), then forgets it.
   * The token is forgotten even when the server cannot be told.
   *
   * @param {{ all?: boolean }} [options]
   * @returns {Promise<void>}
   * @throws {ApiError} when the server could not revoke it (the token is forgotten anyway)
   */
  async logout(options = {}) {
    if (!this.token) return this.forget();
    try {
      await this.request("POST", "/api/v1/logout", options.all ? { all: true } : {});
    } finally {
      this.forget();
    }
  }

  /** Forgets the token and user without telling the server: later joins are read-only. */
  forget() {
    this.token = undefined;
    this.user = undefined;
  }

  /**
   * The token's user (`GET /users/me`).
   *
   * @returns {Promise<User>}
   * @throws {ApiError} `INVALID_AUTH_TOKEN` when the token is missing, invalid, expired or revoked
   */
  me() {
    return /** @type {Promise<User>} */ (this.request("GET", "/api/v1/users/me"));
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
    return /** @type {Promise<HistoryPage>} */ (this.request(
      "GET",
      roomPath(room, `/messages${qs}`),
    ));
  }

  /**
   * A room's name, last `seq` and how many are online.
   *
   * @param {string} room
   * @returns {Promise<RoomInfo>}
   */
  roomInfo(room) {
    return /** @type {Promise<RoomInfo>} */ (this.request("GET", roomPath(room)));
  }

  /**
   * Who is connected to a room now.
   *
   * @param {string} room
   * @returns {Promise<RoomUsers>}
   */
  roomUsers(room) {
    return /** @type {Promise<RoomUsers>} */ (this.request("GET", roomPath(room, "/users")));
  }

  /**
   * A page of the public directory, most recently active first.
   *
   * @param {{ cursor?: string, limit?: number }} [page] `cursor` is the previous page's `next`
   * @returns {Promise<DirectoryPage>}
   */
  listRooms(page = {}) {
    const query = new URLSearchParams();
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    const qs = `${query}` ? `?${query}` : "";
    return /** @type {Promise<DirectoryPage>} */ (this.request("GET", `/api/v1/rooms${qs}`));
  }

  /**
   * The caller's rooms (memberships and rooms it posted in), with `lastRead`,
   * `lastSeq` and `unread`.
   *
   * @returns {Promise<UserRoom[]>}
   * @throws {ApiError} `INVALID_AUTH_TOKEN` without a valid token
   */
  async myRooms() {
    const data =
      /** @type {{ rooms: UserRoom[] }} */ (await this.request("GET", "/api/v1/users/me/rooms"));
    return data.rooms;
  }

  /**
   * Moves the caller's read position in a room to `seq` (`PUT /rooms/:room/read`).
   *
   * @param {string} room
   * @param {number} seq
   * @returns {Promise<{ room: string, lastRead: number }>} the position the server now keeps
   */
  markRead(room, seq) {
    return /** @type {Promise<{ room: string, lastRead: number }>} */ (this.request(
      "PUT",
      roomPath(room, "/read"),
      { seq },
    ));
  }

  /**
   * Creates a room the caller owns.
   *
   * @param {string} name
   * @param {NewRoomOptions} [options] `visibility` defaults to `public`
   * @returns {Promise<Room>}
   * @throws {ApiError} `ROOM_EXISTS`, `BAD_ROOM_NAME`, `INVALID_AUTH_TOKEN`
   */
  createRoom(name, options = {}) {
    /** @type {Record<string, string>} */
    const body = { name, visibility: options.visibility ?? "public" };
    if (options.title !== undefined) body.title = options.title;
    return /** @type {Promise<Room>} */ (this.request("POST", "/api/v1/rooms", body));
  }

  /**
   * The direct-message room of the caller and another user: the same private
   * room every time, whoever asks.
   *
   * @param {number} userId
   * @returns {Promise<Room>}
   * @throws {ApiError} `USER_NOT_FOUND`, `INVALID_AUTH_TOKEN`
   */
  openDm(userId) {
    return /** @type {Promise<Room>} */ (this.request("POST", "/api/v1/dms", { userId }));
  }
}
