/**
 * The moderation routes of the REST API (CONTRACT §7): members of private
 * rooms, editing and deleting messages, room bans and mutes, and server-wide
 * bans by admins. Who may do what is the server's to decide; a refusal is an
 * {@linkcode ApiError} `FORBIDDEN`.
 *
 * @module
 */
/** A {@linkcode RestClient} with the moderation routes. */
export class ModerationClient extends RestClient {
  /**
   * A room's members and their roles (of a private room: for its members only).
   *
   * @param {string} room
   * @returns {Promise<Membership[]>}
   * @throws {ApiError} `NOT_A_MEMBER`, `BANNED`, `INVALID_AUTH_TOKEN`
   */
  listMembers(room: string): Promise<Membership[]>;
  /**
   * Makes a user a member or moderator of a room (owner and moderators only).
   *
   * @param {string} room
   * @param {number} userId
   * @param {Exclude<RoomRole, "owner">} [role] defaults to `member`
   * @returns {Promise<Membership>}
   * @throws {ApiError} `FORBIDDEN`, `ROOM_NOT_FOUND`, `USER_NOT_FOUND`
   */
  setMember(room: string, userId: number, role?: Exclude<RoomRole, "owner">): Promise<Membership>;
  /**
   * Removes a member from a room; its sockets there close with 4001 `KICKED`.
   *
   * @param {string} room
   * @param {number} userId
   * @returns {Promise<Removed>}
   * @throws {ApiError} `FORBIDDEN`, `ROOM_NOT_FOUND`
   */
  removeMember(room: string, userId: number): Promise<Removed>;
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
  editMessage(room: string, seq: number, text: string): Promise<ChatMessage>;
  /**
   * Deletes a message over REST: one's own, or any as the room's owner or
   * moderator or a server admin. The text is removed from the store.
   *
   * @param {string} room
   * @param {number} seq the message's `seq`
   * @returns {Promise<unknown>}
   * @throws {ApiError} `FORBIDDEN`, `MESSAGE_NOT_FOUND`
   */
  deleteMessage(room: string, seq: number): Promise<unknown>;
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
  ban(room: string, userId: number, options?: RestrictionOptions): Promise<Restriction>;
  /**
   * Lifts a user's ban from a room.
   *
   * @param {string} room
   * @param {number} userId
   * @returns {Promise<Removed>}
   */
  unban(room: string, userId: number): Promise<Removed>;
  /**
   * The bans in force in a room.
   *
   * @param {string} room
   * @returns {Promise<Restriction[]>}
   */
  listBans(room: string): Promise<Restriction[]>;
  /**
   * The mutes in force in a room.
   *
   * @param {string} room
   * @returns {Promise<Restriction[]>}
   */
  listMutes(room: string): Promise<Restriction[]>;
  /**
   * Mutes a user in a room: it may still read, but not send, until `until`.
   *
   * @param {string} room
   * @param {number} userId
   * @param {RestrictionOptions} [options]
   * @returns {Promise<Restriction>}
   */
  mute(room: string, userId: number, options?: RestrictionOptions): Promise<Restriction>;
  /**
   * Lifts a user's mute in a room.
   *
   * @param {string} room
   * @param {number} userId
   * @returns {Promise<Removed>}
   */
  unmute(room: string, userId: number): Promise<Removed>;
  /**
   * Bans a user from the whole server (admins only): its logins are refused
   * with `USER_BANNED`, its tokens stop working and its sockets close with 4003.
   *
   * @param {number} userId
   * @param {RestrictionOptions} [options]
   * @returns {Promise<unknown>}
   */
  banUser(userId: number, options?: RestrictionOptions): Promise<unknown>;
}
import type { RestClient } from "../client/rest_client.js";
import type { Membership } from "../client/types.js";
import type { RoomRole } from "../client/types.js";
import type { Removed } from "../client/types.js";
import type { ChatMessage } from "../contract/mod.js";
import type { RestrictionOptions } from "../client/types.js";
import type { Restriction } from "../client/types.js";
