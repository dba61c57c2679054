// @ts-self-types="./room_name.d.ts"
/**
 * Room-name rules (CONTRACT §3): 1–64 characters (code points), no white
 * space (zero-width and line separators included), no control or format
 * characters, no `/`. Names are case-sensitive. The server answers a name that
 * breaks them with 400 `BAD_ROOM_NAME`; clients can check before they ask.
 *
 * @module
 */
import { MAX_ROOM_NAME_CHARS } from "./limits.js";

const WHITE_SPACE = /[\s\u200b\u2028\u2029\ufeff]/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/**
 * Why a room name breaks the rules, as the end of a sentence
 * (`name has white space`), or `undefined` when it is a valid name.
 *
 * @param {string} raw the name as it arrived (already percent-decoded)
 * @returns {string | undefined}
 */
export function roomNameProblem(raw) {
  if (raw.length === 0) return "name is empty";
  if (!raw.isWellFormed()) return "name is not valid Unicode";
  if (raw.length > MAX_ROOM_NAME_CHARS && [...raw].length > MAX_ROOM_NAME_CHARS) {
    return `name is longer than ${MAX_ROOM_NAME_CHARS} characters`;
  }
  if (WHITE_SPACE.test(raw)) return "name has white space";
  if (CONTROL.test(raw)) return "name has control characters";
  if (raw.includes("/")) return 'name has "/"';
  return undefined;
}

/**
 * The message the server sends with `BAD_ROOM_NAME`, e.g.
 * `Cannot use room "a b": name has white space` (the name cut to 80 UTF-16 units).
 *
 * @param {string} raw
 * @param {string} problem what {@linkcode roomNameProblem} returned
 * @returns {string}
 */
export function roomNameMessage(raw, problem) {
  return `Cannot use room "${raw.slice(0, 80)}": ${problem}`;
}
