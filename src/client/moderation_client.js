// @ts-self-types="../client/moderation_client.d.ts"
/**
 * The moderation routes of the REST API (CONTRACT §7): members of private
 * rooms, editing and deleting messages, room bans and mutes, and server-wide
 * bans by admins. Who may do what is the server's to decide; a refusal is an
 * {@linkcode ApiError} `FORBIDDEN`.
 *
 * @module
 */
import { RestClient, roomPath } from "../client/rest_client.js";

/**
 * @import { ChatMessage } from "../contract/mod.js"
 * @import { Membership, Removed, Restriction, RestrictionOptions, RoomRole } from "../client/types.js"
 */

/**
 * The JSON body of a ban or mute: `until` as an ISO date, `reason` when given.
 *
 * @param {RestrictionOptions} options
 * @returns {Record<string, string>}
 */
function restrictionBody(options) {
  /** @type {Record<string, string>} */
  const body = {};
  if (options.until !== undefined) {
    body.until = options.until instanceof Date ? options.until.toISOString() : options.until;
  }
  if (options.reason !== undefined) body.reason = options.reason;
  return body;
}

/** A {@linkcode RestClient} with the moderation routes. */
export class ModerationClient extends RestClient {
  /**
   * A room's members and their roles (of a private room: for its members only).
   *
   * @param {string} room
   * @returns {Promise<Membership[]>}
   * @throws {ApiError} `NOT_A_MEMBER`, `BANNED`, `INVALID_AUTH_TOKEN`
   */
  async listMembers(room) {
    const data = /** @type {{ members: Membership[] }} */ (await this.request(
      "GET",
      roomPath(room, "/members"),
    ));
    return data.members;
  }

  /**
   * Makes a user a member or moderator of a room (owner and moderators only).
   *
   * @param {string} room
   * @param {number} userId
   * @param {Exclude<RoomRole, "owner">} [role] defaults to `member`
   * @returns {Promise<Membership>}
   * @throws {ApiError} `FORBIDDEN`, `ROOM_NOT_FOUND`, `USER_NOT_FOUND`
   */
  setMember(room, userId, role = "member") {
    return /** @type {Promise<Membership>} */ (this.request(
      "PUT",
      roomPath(room, `/members/${userId}`),
      { role },
    ));
  }

  /**
   * Removes a member from a room; its sockets there close with 4001 `KICKED`.
   *
   * @param {string} room
   * @param {number} userId
   * @returns {Promise<Removed>}
   * @throws {ApiError} `FORBIDDEN`, `ROOM_NOT_FOUND`
   */
  removeMember(room, userId) {
    return /** @type {Promise<Removed>} */ (this.request(
      "DELETE",
      roomPath(room, `/members/${userId}`),
    ));
  }

  /**
   * Replaces the text of one's own message over REST (a v2 socket can use
   * `RoomConnection.edit()` instead).
   *
   * @param {string} room
   * @param {number} seq the message's `seq`
   * @param {string} text
   * @returns {Promise<ChatMessage>}
   * @throws {ApiError} `FORBIDDEN` (not the author), `MESSAGE_NOT_FOUND`, `BAD_TEXT`
   */
  editMessage(room, seq, text) {
    return /** @type {Promise<ChatMessage>} */ (this.request(
      "PATCH",
      roomPath(room, `/messages/${seq}`),
      { text },
    ));
  }

  /**
   * Deletes a message over REST: one's own, or any as the room's owner or
   * moderator or a server admin. The text is removed from the store.
   *
   * @param {string} room
   * @param {number} seq the message's `seq`
   * @returns {Promise<unknown>}
   * @throws {ApiError} `FORBIDDEN`, `MESSAGE_NOT_FOUND`
   */
  deleteMessage(room, seq) {
    return /** @type {Promise<unknown>} */ (this.request(
      "DELETE",
      roomPath(room, `/messages/${seq}`),
    ));
  }

  /**
   * Bans a user from a room: its sockets there close with 4003 `BANNED`, and
   * it can neither join nor send until `until` (for good without it).
   *
   * @param {string} room
   * @param {number} userId
   * @param {RestrictionOptions} [options]
   * @returns {Promise<Restriction>}
   * @throws {ApiError} `FORBIDDEN`, `USER_NOT_FOUND`
   */
  ban(room, userId, options = {}) {
    return /** @type {Promise<Restriction>} */ (this.request(
      "PUT",
      roomPath(room, `/bans/${userId}`),
      restrictionBody(options),
    ));
  }

  /**
   * Lifts a user's ban from a room.
   *
   * @param {string} room
   * @param {number} userId
   * @returns {Promise<Removed>}
   */
  unban(room, userId) {
    return /** @type {Promise<Removed>} */ (this.request(
      "DELETE",
      roomPath(room, `/bans/${userId}`),
    ));
  }

  /**
   * The bans in force in a room.
   *
   * @param {string} room
   * @returns {Promise<Restriction[]>}
   */
  async listBans(room) {
    const data =
      /** @type {{ bans: Restriction[] }} */ (await this.request("GET", roomPath(room, "/bans")));
    return data.bans;
  }

  /**
   * The mutes in force in a room.
   *
   * @param {string} room
   * @returns {Promise<Restriction[]>}
   */
  async listMutes(room) {
    const data =
      /** @type {{ mutes: Restriction[] }} */ (await this.request("GET", roomPath(room, "/mutes")));
    return data.mutes;
  }

  /**
   * Mutes a user in a room: it may still read, but not send, until `until`.
   *
   * @param {string} room
   * @param {number} userId
   * @param {RestrictionOptions} [options]
   * @returns {Promise<Restriction>}
   */
  mute(room, userId, options = {}) {
    return /** @type {Promise<Restriction>} */ (this.request(
      "PUT",
      roomPath(room, `/mutes/${userId}`),
      restrictionBody(options),
    ));
  }

  /**
   * Lifts a user's mute in a room.
   *
   * @param {string} room
   * @param {number} userId
   * @returns {Promise<Removed>}
   */
  unmute(room, userId) {
    return /** @type {Promise<Removed>} */ (this.request(
      "DELETE",
      roomPath(room, `/mutes/${userId}`),
    ));
  }

  /**
   * Bans a user from the whole server (admins only): its logins are refused
   * with `USER_BANNED`, its tokens stop working and its sockets close with 4003.
   *
   * @param {number} userId
   * @param {RestrictionOptions} [options]
   * @returns {Promise<unknown>}
   */
  banUser(userId, options = {}) {
    return /** @type {Promise<unknown>} */ (this.request(
      "PUT",
      `/api/v1/admin/users/${userId}/ban`,
      restrictionBody(options),
    ));
  }
}
