/**
 * Room-name rules (CONTRACT §3): 1–64 characters (code points), no white
 * space (zero-width and line separators included), no control or format
 * characters, no `/`. Names are case-sensitive. The server answers a name that
 * breaks them with 400 `BAD_ROOM_NAME`; clients can check before they ask.
 *
 * @module
 */
/**
 * Why a room name breaks the rules, as the end of a sentence
 * (`name has white space`), or `undefined` when it is a valid name.
 *
 * @param {string} raw the name as it arrived (already percent-decoded)
 * @returns {string | undefined}
 */
export function roomNameProblem(raw: string): string | undefined;
/**
 * The message the server sends with `BAD_ROOM_NAME`, e.g.
 * `Cannot use room "a b": name has white space` (the name cut to 80 UTF-16 units).
 *
 * @param {string} raw
 * @param {string} problem what {@linkcode roomNameProblem} returned
 * @returns {string}
 */
export function roomNameMessage(raw: string, problem: string): string;
