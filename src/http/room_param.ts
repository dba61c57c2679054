/**
 * The `:room` path parameter, checked by the contract's room-name rules and
 * refused with the server's typed error.
 *
 * @module
 */
import { roomNameMessage, roomNameProblem } from "../contract/mod.js";
import { ValidationError } from "../errors.ts";

/**
 * Validates a room name (1–64 characters, no white space, control characters or `/`).
 *
 * @throws {ValidationError} `BAD_ROOM_NAME`
 */
export function parseRoomName(raw: string): string {
  const problem = roomNameProblem(raw);
  if (problem !== undefined) {
    throw new ValidationError("BAD_ROOM_NAME", roomNameMessage(raw, problem));
  }
  return raw;
}
