/**
 * The rooms part of the {@linkcode import("../store.ts").Store}: created rooms
 * with an owner, visibility and title (CONTRACT §7), memberships with roles,
 * direct-message rooms and the public directory.
 *
 * A room joined without being created exists once it has a message: public,
 * ownerless, without a title, as in v1.
 *
 * @module
 */
import type { PublicUser } from "../../model.ts";

/**
 * A room's activity time (the directory's order) moves only when a message
 * comes at least this long after the time it holds, so a busy room moves its
 * directory entry once a second, not once a message. `lastMessageAtMs` is
 * always exact.
 */
export const ACTIVITY_STEP_MS = 1000;

/** Who may see and join a room. */
export type RoomVisibility = "public" | "private";

/** A member's role in a room. */
export type RoomRole = "owner" | "moderator" | "member";

/** A room as the store keeps it. Times are milliseconds since the epoch. */
export interface RoomRecord {
  readonly name: string;
  /** `null` when none was given (and for every room joined without being created). */
  readonly title: string | null;
  readonly visibility: RoomVisibility;
  /** `null` for a room joined without being created, and for a direct-message room. */
  readonly ownerId: number | null;
  /** Whether it is the direct-message room of two users. */
  readonly direct: boolean;
  /** When it was created; `null` for a room joined without being created. */
  readonly createdAtMs: number | null;
  /** The highest `seq` of its log, 0 when empty. */
  readonly lastSeq: number;
  /** When its latest message was appended; `null` before the first. */
  readonly lastMessageAtMs: number | null;
}

/** What {@linkcode RoomStore.createRoom} needs. */
export interface NewRoom {
  readonly name: string;
  readonly visibility: RoomVisibility;
  readonly title?: string;
  /** The creator, who becomes its owner (and a member with role `owner`). */
  readonly ownerId: number;
  readonly createdAtMs: number;
}

/** One user's membership of one room. */
export interface Membership {
  readonly room: string;
  readonly user: PublicUser;
  readonly role: RoomRole;
  /** When the membership was first put. */
  readonly sinceMs: number;
}

/** A role {@linkcode RoomStore.putMember} may give: the owner is made by creating the room. */
export type AssignableRole = Exclude<RoomRole, "owner">;

/** One page of the public directory. */
export interface DirectoryPage {
  readonly rooms: RoomRecord[];
  /** The opaque cursor of the next page; `null` on the last page. */
  readonly next: string | null;
}

/** One page of every room's name, for maintenance jobs. */
export interface RoomNamePage {
  readonly names: string[];
  /** The opaque cursor of the next page; `null` on the last page. */
  readonly next: string | null;
}

/** Rooms, memberships and the directory. */
export interface RoomStore {
  /**
   * Creates a room owned by `ownerId`, who becomes its `owner` member.
   *
   * @throws {import("../../errors.ts").ConflictError} `ROOM_EXISTS` when the name has an owner, any message or is a direct-message room
   * @throws {import("../../errors.ts").NotFoundError} `USER_NOT_FOUND` when the owner does not exist
   */
  createRoom(room: NewRoom): Promise<RoomRecord>;
  /** The room of that name; `undefined` when it was neither created nor written to. */
  getRoom(name: string): Promise<RoomRecord | undefined>;
  /**
   * The direct-message room of two users (`dm:<lower id>:<higher id>`, see
   * `direct_room.ts`): private, ownerless, both users `member`s. Created
   * atomically on the first call; every later call, whoever makes it, returns
   * the same room. `a` may equal `b` (a room of one's own).
   *
   * @throws {import("../../errors.ts").NotFoundError} `USER_NOT_FOUND` when either user does not exist
   * @throws {import("../../errors.ts").ConflictError} `ROOM_EXISTS` when a room that is not a direct-message room holds the name
   */
  openDirectRoom(a: number, b: number, atMs: number): Promise<RoomRecord>;
  /**
   * Makes a user a `member` or `moderator` of a room, or changes its role;
   * `sinceMs` of an existing membership is kept.
   *
   * @throws {import("../../errors.ts").NotFoundError} `ROOM_NOT_FOUND`, `USER_NOT_FOUND`
   * @throws {import("../../errors.ts").ForbiddenError} `FORBIDDEN` for the owner's membership or a direct-message room
   */
  putMember(room: string, userId: number, role: AssignableRole, atMs: number): Promise<Membership>;
  /**
   * Ends a membership.
   *
   * @returns whether there was one
   * @throws {import("../../errors.ts").ForbiddenError} `FORBIDDEN` for the owner or a direct-message room
   */
  removeMember(room: string, userId: number): Promise<boolean>;
  /** A user's membership of a room; `undefined` when it is not a member. */
  getMembership(room: string, userId: number): Promise<Membership | undefined>;
  /** Every member of a room, by user id. */
  listMembers(room: string): Promise<Membership[]>;
  /**
   * The public directory, most recently active first (by the latest message,
   * kept to {@linkcode ACTIVITY_STEP_MS}, or the creation of a room without
   * one; ties by name, descending). Private rooms never appear. Read from an index: a page costs the same among
   * 10,000 rooms as among ten. A room that becomes active while a client
   * pages moves to the front, so it may be missed or seen twice.
   *
   * @param options.cursor the `next` of the previous page
   * @throws {import("../../errors.ts").ValidationError} `BAD_QUERY` for a cursor this store did not give
   */
  listRooms(options: { readonly cursor?: string; readonly limit: number }): Promise<DirectoryPage>;
  /**
   * Every room's name, public and private, in no promised order: for jobs
   * such as retention. On Redis (a `SCAN`) a name may come twice and a page
   * may hold more than `limit`.
   */
  listRoomNames(
    options: { readonly cursor?: string; readonly limit: number },
  ): Promise<RoomNamePage>;
}
