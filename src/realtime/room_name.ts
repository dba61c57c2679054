/**
 * Room-name rules.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** The most characters (code points) of a room name. */
export const MAX_ROOM_NAME_CHARS = 64;

/**
 * Validates a room name: 1–64 characters, no white space, control characters or `/`.
 *
 * @throws {ValidationError} `BAD_ROOM_NAME`
 */
export function parseRoomName(raw: string): string {
  const fail = (why: string) =>
    new ValidationError("BAD_ROOM_NAME", `Cannot use room "${raw.slice(0, 80)}": ${why}`);
  if (raw.length === 0) throw fail("name is empty");
  if (!raw.isWellFormed()) throw fail("name is not valid Unicode");
  if ([...raw].length > MAX_ROOM_NAME_CHARS) {
    throw fail(`name is longer than ${MAX_ROOM_NAME_CHARS} characters`);
  }
  if (/[\s\u200b\u2028\u2029\ufeff]/u.test(raw)) throw fail("name has white space");
  if (/[\p{Cc}\p{Cf}]/u.test(raw)) throw fail("name has control characters");
  if (raw.includes("/")) throw fail('name has "/"');
  return raw;
}
