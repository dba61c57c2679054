/**
 * The read-state part of the {@linkcode import("../store.ts").Store}: how far
 * each user has read each room, and the list of a user's rooms (issue 12).
 *
 * @module
 */
import type { RoomRecord, RoomRole } from "./rooms.ts";
import { UNREAD_CAP } from "../../contract/mod.js";

/**
 * `unread` counts at most this many (a wire limit of the contract): a room
 * with more reports this number, so show it as "99+". The count stays cheap
 * on every backend.
 */
export { UNREAD_CAP };

/** One of a user's rooms, with its read state. */
export interface UserRoom extends RoomRecord {
  /** The user's role; `null` when it only posted there. */
  readonly role: RoomRole | null;
  /** The `seq` the user has marked read (`setLastRead`), 0 when never. */
  readonly lastRead: number;
  /**
   * Kept, not deleted messages of other users after both `lastRead` and the
   * user's own latest message (posting counts as having read what came
   * before), at most {@linkcode UNREAD_CAP}.
   */
  readonly unread: number;
}

/** Read state. */
export interface ReadStateStore {
  /**
   * Moves a user's `lastRead` in a room to `seq`, clamped to `[0, lastSeq]`.
   * It only moves forward (an older `seq` leaves it as it is) unless
   * `options.allowBackward` ("mark unread from here"). Posting does not move
   * it (see {@linkcode UserRoom.unread}), so the per-message path writes no
   * read state.
   *
   * @returns the `lastRead` now stored
   */
  setLastRead(
    userId: number,
    room: string,
    seq: number,
    options?: { readonly allowBackward?: boolean },
  ): Promise<number>;
  /** A user's `lastRead` in a room, 0 when never set. */
  getLastRead(userId: number, room: string): Promise<number>;
  /**
   * A user's rooms: those it is a member of and those it has posted in, most
   * recently active first (as the directory orders them), private ones
   * included.
   */
  listUserRooms(userId: number): Promise<UserRoom[]>;
}
