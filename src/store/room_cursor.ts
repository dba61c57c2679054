/**
 * The opaque cursor of the room directory: the position (activity time,
 * name) of the last room of a page, as base64url JSON.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** Where a directory page ended. */
export interface RoomCursor {
  /** The last room's activity time (latest message, or creation), ms since the epoch. */
  readonly activeAtMs: number;
  readonly name: string;
}

/** The cursor of a position. */
export function encodeRoomCursor(cursor: RoomCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([cursor.activeAtMs, cursor.name]));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The position of a cursor.
 *
 * @throws {ValidationError} `BAD_QUERY` for a cursor that is not one this store gives
 */
export function decodeRoomCursor(cursor: string): RoomCursor {
  const bad = () => badRoomCursor(cursor);
  if (cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(parsed) || parsed.length !== 2 || !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== "string" || parsed[1].length === 0 || parsed[1].length > 256
  ) throw bad();
  return { activeAtMs: parsed[0], name: parsed[1] };
}

/**
 * The error for a room cursor (of the directory, or of `listRoomNames`) that
 * this store did not hand out: the caller's `BAD_QUERY`, never a 500.
 */
export function badRoomCursor(cursor: string, cause?: unknown): ValidationError {
  return new ValidationError(
    "BAD_QUERY",
    `Cannot list rooms: cursor "${cursor.slice(0, 80)}" is not valid`,
    cause === undefined ? undefined : { cause },
  );
}
