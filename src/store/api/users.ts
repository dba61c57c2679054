/**
 * The user accounts part of the {@linkcode import("../store.ts").Store}.
 *
 * @module
 */
import type { PublicUser, UserRecord } from "../../model.ts";

/** What the store needs to create a user. */
export interface NewUser {
  /** As typed, NFC. */
  readonly username: string;
  /** The caseless form uniqueness is checked on. */
  readonly canonical: string;
  readonly passwordHash: string;
}

/** User accounts. */
export interface UserStore {
  /**
   * Creates a user with the next id (positive, increasing).
   *
   * @throws {import("../../errors.ts").ConflictError} `USER_EXISTS` when the canonical name is taken
   */
  createUser(user: NewUser): Promise<PublicUser>;
  /** The user whose canonical name is `canonical`, with its hash; `undefined` when none. */
  findUserByCanonicalName(canonical: string): Promise<UserRecord | undefined>;
  /** The public user of that id; `undefined` when none. */
  findUserById(id: number): Promise<PublicUser | undefined>;
  /** Replaces a user's password hash (an unknown id is a no-op). */
  updatePasswordHash(id: number, passwordHash: string): Promise<void>;
}
