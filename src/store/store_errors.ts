/**
 * The domain errors every adapter raises, worded once so all backends say the
 * same thing.
 *
 * @module
 */
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";

/** 409 `ROOM_EXISTS`: the name has an owner, a message or is a direct-message room. */
export function roomExists(name: string): ConflictError {
  return new ConflictError("ROOM_EXISTS", `Cannot create room "${name}": it already exists`);
}

/** 404 `ROOM_NOT_FOUND`. */
export function roomNotFound(name: string): NotFoundError {
  return new NotFoundError("ROOM_NOT_FOUND", `Room "${name}" does not exist`);
}

/** 404 `USER_NOT_FOUND`. */
export function userNotFound(id: number): NotFoundError {
  return new NotFoundError("USER_NOT_FOUND", `User ${id} does not exist`);
}

/** 404 `MESSAGE_NOT_FOUND`: no kept, not deleted message with that `seq` in that room. */
export function messageNotFound(room: string, seq: number): NotFoundError {
  return new NotFoundError("MESSAGE_NOT_FOUND", `Room "${room}" has no message ${seq}`);
}

/** 409 `USER_EXISTS`. */
export function userExists(username: string): ConflictError {
  return new ConflictError("USER_EXISTS", `Cannot create user "${username}": name is taken`);
}

/** 403 `FORBIDDEN`: the owner's membership and a direct-message room's members are fixed. */
export function membershipFixed(room: string, userId: number, direct: boolean): ForbiddenError {
  return new ForbiddenError(
    "FORBIDDEN",
    direct
      ? `Cannot change the members of direct-message room "${room}"`
      : `Cannot change the membership of user ${userId}: it owns room "${room}"`,
  );
}
